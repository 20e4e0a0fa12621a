/* TCP client I/O where every wait is bounded by the run's deadline
 * (deadline.h). A layer over the socket (TLS, tls.h) plugs in through
 * struct net_ops, so the same calls carry it once started while this
 * file knows nothing of it: a plugin that never speaks TLS links no TLS
 * library. */
#ifndef GLANCE_NET_H
#define GLANCE_NET_H

#include <netdb.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

enum net_status {
	NET_OK = 0,
	NET_ERR_RESOLVE,   /* the name has no address (of the asked family) */
	NET_ERR_REFUSED,   /* connection refused */
	NET_ERR_CONNECT,   /* other connect failure (unreachable, ...) */
	NET_ERR_TIMEOUT,   /* the deadline ran out while waiting */
	NET_ERR_EOF,       /* the peer closed the connection */
	NET_ERR_TOOLONG,   /* a line longer than the caller's buffer */
	NET_ERR_IO,        /* any other socket error */
	NET_ERR_TLS,       /* TLS handshake or record error */
};

/* A short text for a status: "connection refused", "timeout", ... */
const char *net_strerror(enum net_status st);

struct ssl_st;
struct ssl_ctx_st;
struct net_conn;

/* What a layer over the socket does instead of read(2), send(2) and the
 * close before close(2); each wait inside stays bounded by the deadline. */
struct net_ops {
	enum net_status (*read)(struct net_conn *c, char *buf, size_t cap, size_t *got,
	                        char *err, size_t errlen);
	enum net_status (*write)(struct net_conn *c, const void *buf, size_t len, char *err,
	                         size_t errlen);
	void (*close)(struct net_conn *c);
};

struct net_conn {
	int fd;
	const struct net_ops *ops; /* set by a layer (tls_start()); NULL: plain TCP */
	struct ssl_st *ssl;        /* the TLS layer's state, for certificate checks */
	struct ssl_ctx_st *ssl_ctx;
	char peer[64];             /* "127.0.0.1" or "::1" */
	char rbuf[4096];           /* read-ahead for line reads */
	size_t rpos, rlen;
};

/* Resolves host (a name or literal) for a TCP or UDP service.
 * family: AF_UNSPEC, AF_INET or AF_INET6. Free with freeaddrinfo(). */
enum net_status net_resolve(const char *host, unsigned port, int family, int socktype,
			    struct addrinfo **res, char *err, size_t errlen);

/* Formats an address as "192.0.2.1" or "2001:db8::1". */
void net_addr_str(const struct sockaddr *sa, char *buf, size_t len);

/* Connects to one address, non-blocking, within the deadline. */
enum net_status net_connect_addr(struct net_conn *c, const struct addrinfo *ai,
				 char *err, size_t errlen);

/* Resolves and tries each address in turn until one connects. */
enum net_status net_connect(struct net_conn *c, const char *host, unsigned port,
			    int family, char *err, size_t errlen);

enum net_status net_write(struct net_conn *c, const void *buf, size_t len,
			  char *err, size_t errlen);

/* Reads one line ending in "\n" (a bare "\r\n" or "\n" is stripped) into
 * line, NUL-terminated. A line that does not fit in cap-1 bytes is
 * NET_ERR_TOOLONG: a peer can never make us read without bound. */
enum net_status net_read_line(struct net_conn *c, char *line, size_t cap, size_t *len,
			      char *err, size_t errlen);

/* Reads what is available now, at most cap bytes (waiting for the first
 * within the deadline): bytes net_read_line() buffered come first, and
 * nothing more is read ahead, so a binary dialogue never reads past the
 * peer's last byte before a STARTTLS handshake. */
enum net_status net_read(struct net_conn *c, void *buf, size_t cap, size_t *got, char *err,
			 size_t errlen);

/* Waits for fd to become readable (POLLIN) or writable (POLLOUT) within
 * the deadline. Returns NET_OK, NET_ERR_TIMEOUT or NET_ERR_IO. */
enum net_status net_wait(int fd, short events);

/* Closes the layer (TLS: a best effort close_notify) and the socket.
 * Safe to call twice. */
void net_close(struct net_conn *c);

void net_conn_init(struct net_conn *c);

#endif
