#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"

static const char *const net_errors[] = {
	[NET_OK] = "ok",
	[NET_ERR_RESOLVE] = "cannot resolve",
	[NET_ERR_REFUSED] = "connection refused",
	[NET_ERR_CONNECT] = "cannot connect",
	[NET_ERR_TIMEOUT] = "timeout",
	[NET_ERR_EOF] = "connection closed by peer",
	[NET_ERR_TOOLONG] = "line too long",
	[NET_ERR_IO] = "I/O error",
	[NET_ERR_TLS] = "TLS error",
};

const char *
net_strerror(enum net_status st)
{
	if ((unsigned)st >= sizeof net_errors / sizeof net_errors[0])
		return "unknown error";
	return net_errors[st];
}

void
net_conn_init(struct net_conn *c)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

enum net_status
net_resolve(const char *host, unsigned port, int family, int socktype,
	    struct addrinfo **res, char *err, size_t errlen)
{
	struct addrinfo hints;
	char svc[16];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	/* No AI_ADDRCONFIG: it hides ::1 and 127.0.0.1 on a host whose only
	 * addresses are loopback, and the caller asks for a family anyway. */
	snprintf(svc, sizeof svc, "%u", port);
	int rc = getaddrinfo(host, svc, &hints, res);
	if (rc != 0) {
		snprintf(err, errlen, "cannot resolve '%s'%s: %s", host,
			 family == AF_INET ? " (IPv4)" : family == AF_INET6 ? " (IPv6)" : "",
			 gai_strerror(rc));
		return NET_ERR_RESOLVE;
	}
	return NET_OK;
}

void
net_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const void *a = sa->sa_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
				: (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
	if (inet_ntop(sa->sa_family, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

enum net_status
net_wait(int fd, short events)
{
	struct pollfd pfd = {.fd = fd, .events = events};

	for (;;) {
		int ms = deadline_remaining_ms();
		if (ms == 0)
			return NET_ERR_TIMEOUT;
		int n = poll(&pfd, 1, ms);
		if (n > 0)
			return NET_OK;
		if (n == 0)
			return NET_ERR_TIMEOUT;
		if (errno != EINTR)
			return NET_ERR_IO;
	}
}

enum net_status
net_connect_addr(struct net_conn *c, const struct addrinfo *ai, char *err, size_t errlen)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	enum net_status st;

	net_addr_str(ai->ai_addr, c->peer, sizeof c->peer);
	c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       ai->ai_protocol);
	if (c->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NET_ERR_IO;
	}
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return NET_OK;
	if (errno != EINPROGRESS) {
		soerr = errno;
	} else if ((st = net_wait(c->fd, POLLOUT)) != NET_OK) {
		snprintf(err, errlen, "connect to %s: %s", c->peer, net_strerror(st));
		close(c->fd);
		c->fd = -1;
		return st;
	} else if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
		soerr = errno;
	}
	if (soerr == 0)
		return NET_OK;
	snprintf(err, errlen, "connect to %s: %s", c->peer, strerror(soerr));
	close(c->fd);
	c->fd = -1;
	return soerr == ECONNREFUSED ? NET_ERR_REFUSED : NET_ERR_CONNECT;
}

enum net_status
net_connect(struct net_conn *c, const char *host, unsigned port, int family,
	    char *err, size_t errlen)
{
	struct addrinfo *res, *ai;
	enum net_status st = net_resolve(host, port, family, SOCK_STREAM, &res, err, errlen);

	if (st != NET_OK)
		return st;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		st = net_connect_addr(c, ai, err, errlen);
		if (st == NET_OK || st == NET_ERR_TIMEOUT)
			break;
	}
	freeaddrinfo(res);
	return st;
}

/* Raw reads and writes, through the layer when one is on. */
static enum net_status
net_raw_read(struct net_conn *c, char *buf, size_t cap, size_t *got, char *err, size_t errlen)
{
	if (c->ops != NULL)
		return c->ops->read(c, buf, cap, got, err, errlen);
	for (;;) {
		ssize_t n = read(c->fd, buf, cap);
		if (n > 0) {
			*got = (size_t)n;
			return NET_OK;
		}
		if (n == 0)
			return NET_ERR_EOF;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(err, errlen, "read from %s: %s", c->peer, strerror(errno));
			return NET_ERR_IO;
		}
		enum net_status st = net_wait(c->fd, POLLIN);
		if (st != NET_OK)
			return st;
	}
}

enum net_status
net_write(struct net_conn *c, const void *buf, size_t len, char *err, size_t errlen)
{
	const char *p = buf;

	if (c->ops != NULL)
		return c->ops->write(c, buf, len, err, errlen);
	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			enum net_status st = net_wait(c->fd, POLLOUT);
			if (st != NET_OK)
				return st;
			continue;
		}
		snprintf(err, errlen, "write to %s: %s", c->peer, strerror(errno));
		return errno == EPIPE || errno == ECONNRESET ? NET_ERR_EOF : NET_ERR_IO;
	}
	return NET_OK;
}

enum net_status
net_read_line(struct net_conn *c, char *line, size_t cap, size_t *len, char *err,
	      size_t errlen)
{
	size_t n = 0;

	for (;;) {
		while (c->rpos < c->rlen) {
			char ch = c->rbuf[c->rpos++];
			if (ch == '\n') {
				if (n > 0 && line[n - 1] == '\r')
					n--;
				line[n] = '\0';
				*len = n;
				return NET_OK;
			}
			if (n + 1 >= cap) {
				line[n] = '\0';
				*len = n;
				snprintf(err, errlen, "line from %s longer than %zu bytes", c->peer,
					 cap - 1);
				return NET_ERR_TOOLONG;
			}
			line[n++] = ch;
		}
		size_t got = 0;
		enum net_status st = net_raw_read(c, c->rbuf, sizeof c->rbuf, &got, err, errlen);
		if (st != NET_OK) {
			line[n] = '\0';
			*len = n;
			return st;
		}
		c->rpos = 0;
		c->rlen = got;
	}
}

enum net_status
net_read(struct net_conn *c, void *buf, size_t cap, size_t *got, char *err, size_t errlen)
{
	if (c->rpos < c->rlen) {
		size_t n = c->rlen - c->rpos < cap ? c->rlen - c->rpos : cap;
		memcpy(buf, c->rbuf + c->rpos, n);
		c->rpos += n;
		*got = n;
		return NET_OK;
	}
	return net_raw_read(c, buf, cap, got, err, errlen);
}

void
net_close(struct net_conn *c)
{
	if (c->ops != NULL)
		c->ops->close(c);
	c->ops = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->rpos = c->rlen = 0;
}
