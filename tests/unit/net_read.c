/* net_read(): what net_read_line() buffered comes first, and nothing is
 * read ahead of what the caller asked for. */
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "tap.h"

int
main(void)
{
	int sv[2];
	struct net_conn c;
	char line[64], err[128], buf[64];
	size_t len = 0, got = 0;

	if (!ok(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0, "socketpair"))
		return done_testing();
	net_conn_init(&c);
	c.fd = sv[0];
	ok(write(sv[1], "220 ready\r\nBIN", 14) == 14, "peer wrote a line and binary bytes");
	ok(net_read_line(&c, line, sizeof line, &len, err, sizeof err) == NET_OK, "line read");
	is_str(line, "220 ready", "the line");
	ok(net_read(&c, buf, 2, &got, err, sizeof err) == NET_OK && got == 2 &&
	           memcmp(buf, "BI", 2) == 0,
	   "net_read returns buffered bytes first, at most cap");
	ok(net_read(&c, buf, sizeof buf, &got, err, sizeof err) == NET_OK && got == 1 &&
	           buf[0] == 'N',
	   "then the rest of the buffer, no more");
	ok(write(sv[1], "S", 1) == 1, "peer wrote one more byte");
	ok(net_read(&c, buf, sizeof buf, &got, err, sizeof err) == NET_OK && got == 1 &&
	           buf[0] == 'S',
	   "then reads the socket");
	close(sv[1]);
	is_int(net_read(&c, buf, sizeof buf, &got, err, sizeof err), NET_ERR_EOF,
	       "EOF when the peer has closed");
	net_close(&c);
	return done_testing();
}
