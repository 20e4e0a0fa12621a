/* Network I/O with deadlines, against real sockets on 127.0.0.1 that the
 * test itself listens on. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"
#include "net.h"
#include "opts.h"
#include "tap.h"

static int
listen_any(unsigned *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A peer that accepts, writes what it is given, then waits to be killed
 * (or, with hangup, closes the connection at once). */
static pid_t
serve_ex(int lfd, const char *data, size_t len, int hangup)
{
	pid_t pid = fork();
	if (pid == 0) {
		int c = accept(lfd, NULL, NULL);
		while (len > 0) {
			ssize_t n = write(c, data, len);
			if (n <= 0)
				break;
			data += n;
			len -= (size_t)n;
		}
		if (!hangup)
			pause();
		_exit(0);
	}
	return pid;
}

static pid_t
serve(int lfd, const char *data, size_t len)
{
	return serve_ex(lfd, data, len, 0);
}

static void
stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	struct net_conn c;
	char err[256], line[64];
	size_t len;
	unsigned port = 0;
	int lfd = listen_any(&port);

	ok(lfd >= 0, "listening on 127.0.0.1:%u", port);

	deadline_arm("TEST", 5, GL_CRITICAL, NULL, 0);
	pid_t pid = serve(lfd, "220 hello\r\n250 x\n", 17);
	net_conn_init(&c);
	is_int(net_connect(&c, "127.0.0.1", port, AF_INET, err, sizeof err), NET_OK,
	       "connect to a listening port");
	is_int(net_read_line(&c, line, sizeof line, &len, err, sizeof err), NET_OK, "first line");
	is_str(line, "220 hello", "CRLF is stripped");
	is_int(net_read_line(&c, line, sizeof line, &len, err, sizeof err), NET_OK, "second line");
	is_str(line, "250 x", "bare LF ends a line too");
	is_int(net_write(&c, "QUIT\r\n", 6, err, sizeof err), NET_OK, "write");

	/* Nothing more comes: the read must end at the deadline. */
	deadline_arm("TEST", 1.0, GL_CRITICAL, NULL, 0);
	int64_t t0 = mono_ns();
	is_int(net_read_line(&c, line, sizeof line, &len, err, sizeof err), NET_ERR_TIMEOUT,
	       "a silent peer times out");
	double took = (double)(mono_ns() - t0) / 1e9;
	ok(took > 0.5 && took < 1.0, "the wait ended before the 1 s backstop (%.3f s)", took);
	deadline_disarm();
	net_close(&c);
	stop(pid);

	char longline[300];
	memset(longline, 'x', sizeof longline);
	deadline_arm("TEST", 5, GL_CRITICAL, NULL, 0);
	pid = serve(lfd, longline, sizeof longline);
	net_conn_init(&c);
	net_connect(&c, "127.0.0.1", port, AF_INET, err, sizeof err);
	is_int(net_read_line(&c, line, sizeof line, &len, err, sizeof err), NET_ERR_TOOLONG,
	       "an endless line is cut at the buffer size");
	is_int(len, sizeof line - 1, "and the partial line is kept");
	net_close(&c);
	stop(pid);

	pid = serve_ex(lfd, "bye", 3, 1);
	net_conn_init(&c);
	net_connect(&c, "127.0.0.1", port, AF_INET, err, sizeof err);
	is_int(net_read_line(&c, line, sizeof line, &len, err, sizeof err), NET_ERR_EOF,
	       "a peer that closes mid-line gives EOF");
	is_str(line, "bye", "with the partial line");
	net_close(&c);
	stop(pid);
	close(lfd);

	/* The port is closed now: connection refused, at once. */
	net_conn_init(&c);
	is_int(net_connect(&c, "127.0.0.1", port, AF_INET, err, sizeof err), NET_ERR_REFUSED,
	       "a closed port is refused");
	ok(strstr(err, "127.0.0.1") != NULL, "the error names the address: %s", err);
	is_int(net_connect(&c, "no-such-host.invalid", 25, AF_UNSPEC, err, sizeof err),
	       NET_ERR_RESOLVE, "an unresolvable name");
	ok(c.fd == -1, "no socket is left open after failures");
	is_str(net_strerror(NET_ERR_TIMEOUT), "timeout", "error table");
	deadline_disarm();
	return done_testing();
}
