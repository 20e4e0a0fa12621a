/* The plain-text part of STARTTLS for the protocols that upgrade an open
 * connection: SMTP and submission (RFC 3207), IMAP (RFC 3501 6.2.1),
 * POP3 (RFC 2595 4), FTP (RFC 4217 4), XMPP (RFC 6120 5.4), LDAP
 * (RFC 4511 4.14) and PostgreSQL (SSLRequest). After starttls_run()
 * returns NET_OK the caller runs tls_start() on the same connection.
 * SMTP replies are read by smtp.c, as check_smtp reads them; every read
 * is bounded in size and waits only for the run's deadline. */
#ifndef GLANCE_STARTTLS_H
#define GLANCE_STARTTLS_H

#include <stddef.h>

#include "net.h"

enum starttls_proto {
	STARTTLS_NONE = 0, /* TLS from the first byte */
	STARTTLS_SMTP,
	STARTTLS_SUBMISSION,
	STARTTLS_IMAP,
	STARTTLS_POP3,
	STARTTLS_FTP,
	STARTTLS_XMPP,
	STARTTLS_LDAP,
	STARTTLS_POSTGRES,
};

/* "smtp", "imap", ... or "none"; -1 for an unknown name. */
int starttls_parse(const char *name, enum starttls_proto *out);
const char *starttls_name(enum starttls_proto p);

/* The usual protocol on a well-known port: 25 smtp, 587 submission, 143
 * imap, 110 pop3, 21 ftp, 5222 xmpp, 389 ldap, 5432 postgres; otherwise
 * none (implicit TLS, as on 443, 465, 993, 995, 636). */
enum starttls_proto starttls_for_port(unsigned port);

/* Runs the dialogue up to the point where the handshake must start.
 * name is what the client calls itself (EHLO) or the server it asks for
 * (XMPP "to"). On failure err says what the server did. */
enum net_status starttls_run(struct net_conn *c, enum starttls_proto p, const char *name,
                             char *err, size_t errlen);

/* Says goodbye inside TLS as the protocol expects (QUIT, LOGOUT, the end
 * of the XMPP stream, an LDAP unbind, PostgreSQL's Terminate) without
 * waiting for the answer, so the server logs a clean end
 * rather than a lost connection. Nothing for STARTTLS_NONE. */
void starttls_quit(struct net_conn *c, enum starttls_proto p);

#endif
