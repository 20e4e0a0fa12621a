/* SMTP replies as check_smtp reads them: the bytes come through a real
 * socket (a socketpair) into net_conn's line reader and smtp_read_reply,
 * reply after reply until the peer's close, as from a server. */
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "net.h"
#include "smtp.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	struct net_conn c;
	struct smtp_reply *r = malloc(sizeof *r);
	char err[256], first[128];

	/* a bounded input fits the socket buffer, so writing never blocks */
	if (r == NULL || size > 65536 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		free(r);
		return 0;
	}
	if (size > 0 && write(sv[1], data, size) != (ssize_t)size) {
		close(sv[0]), close(sv[1]), free(r);
		return 0;
	}
	close(sv[1]);
	net_conn_init(&c);
	c.fd = sv[0];
	snprintf(c.peer, sizeof c.peer, "fuzz");
	while (smtp_read_reply(&c, r, err, sizeof err) == NET_OK) {
		smtp_reply_first_line(r, first, sizeof first);
		(void)smtp_reply_class(r);
		(void)smtp_enhanced_scan(r->text);
	}
	net_close(&c);
	free(r);
	return 0;
}
