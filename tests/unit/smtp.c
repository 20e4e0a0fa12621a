/* SMTP reply grammar (RFC 5321 section 4.2), enhanced status codes
 * (RFC 3463) and EHLO extension parsing, as tables of cases; then the
 * bounded reader against a real socket on 127.0.0.1, and the STARTTLS
 * opening check_tls_cert runs on it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"
#include "smtp.h"
#include "starttls.h"
#include "tap.h"

struct reply_case {
	const char *name;
	const char *lines[6]; /* fed in order until NULL */
	enum smtp_feed last;  /* what the last fed line returns */
	int code;
	const char *enhanced;
	const char *text;
	int nlines;
};

static const struct reply_case reply_cases[] = {
        {"single line",
         {"220 mail.example.test ESMTP Postfix"},
         SMTP_FEED_DONE,
         220,
         "",
         "mail.example.test ESMTP Postfix",
         1},
        {"bare code without text", {"250"}, SMTP_FEED_DONE, 250, "", "", 1},
        {"code and one space", {"250 "}, SMTP_FEED_DONE, 250, "", "", 1},
        {"continuation lines",
         {"250-mail.example.test", "250-PIPELINING", "250-SIZE 10240000", "250 8BITMIME"},
         SMTP_FEED_DONE,
         250,
         "",
         "mail.example.test\nPIPELINING\nSIZE 10240000\n8BITMIME",
         4},
        {"continuation still open",
         {"250-mail.example.test", "250-PIPELINING"},
         SMTP_FEED_MORE,
         250,
         "",
         "mail.example.test\nPIPELINING",
         2},
        {"enhanced code taken from the text",
         {"554 5.7.1 <x.local>: Helo command rejected: Go away"},
         SMTP_FEED_DONE,
         554,
         "5.7.1",
         "<x.local>: Helo command rejected: Go away",
         1},
        {"enhanced code with three-digit parts",
         {"550 5.123.456 too many"},
         SMTP_FEED_DONE,
         550,
         "5.123.456",
         "too many",
         1},
        {"enhanced code repeated on every line is stripped",
         {"550-5.1.1 first", "550 5.1.1 second"},
         SMTP_FEED_DONE,
         550,
         "5.1.1",
         "first\nsecond",
         2},
        {"enhanced code whose class disagrees is text",
         {"250 5.1.1 odd"},
         SMTP_FEED_DONE,
         250,
         "",
         "5.1.1 odd",
         1},
        {"four-digit enhanced part is text",
         {"550 5.1.1234 x"},
         SMTP_FEED_DONE,
         550,
         "",
         "5.1.1234 x",
         1},
        {"enhanced code must be followed by a space",
         {"250 2.0.0ok"},
         SMTP_FEED_DONE,
         250,
         "",
         "2.0.0ok",
         1},
        {"bare enhanced code", {"250 2.0.0"}, SMTP_FEED_DONE, 250, "2.0.0", "", 1},
        {"4xx is a reply",
         {"421 4.3.2 Service shutting down"},
         SMTP_FEED_DONE,
         421,
         "4.3.2",
         "Service shutting down",
         1},
        {"354 is a reply",
         {"354 End data with <CR><LF>.<CR><LF>"},
         SMTP_FEED_DONE,
         354,
         "",
         "End data with <CR><LF>.<CR><LF>",
         1},
        /* Malformed replies. */
        {"empty line", {""}, SMTP_FEED_BAD, 0, "", "", 0},
        {"text without a code", {"hello there"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"two-digit code", {"25 ok"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"first digit 1 is not SMTP", {"150 ok"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"first digit 6 is not SMTP", {"650 ok"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"second digit 6 is not SMTP", {"260 ok"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"four-digit code", {"2500 ok"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"tab after the code", {"250\tok"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"HTTP answer", {"HTTP/1.1 400 Bad Request"}, SMTP_FEED_BAD, 0, "", "", 0},
        {"code changes within a reply",
         {"250-first", "251 second"},
         SMTP_FEED_BAD,
         250,
         "",
         "first",
         1},
        {"junk after a continuation",
         {"250-first", "junk"},
         SMTP_FEED_BAD,
         250,
         "",
         "first",
         1},
};

static void
test_reply_table(void)
{
	char err[256];

	for (size_t i = 0; i < sizeof reply_cases / sizeof reply_cases[0]; i++) {
		const struct reply_case *c = &reply_cases[i];
		struct smtp_reply r;
		enum smtp_feed f = SMTP_FEED_MORE;

		smtp_reply_init(&r);
		for (size_t j = 0; j < 6 && c->lines[j] != NULL; j++) {
			f = smtp_reply_feed(&r, c->lines[j], err, sizeof err);
			if (f != SMTP_FEED_MORE)
				break;
		}
		is_int(f, c->last, "%s: feed result", c->name);
		is_int(r.code, c->code, "%s: code", c->name);
		is_str(r.enhanced, c->enhanced, "%s: enhanced code", c->name);
		is_str(r.text, c->text, "%s: text", c->name);
		is_int(r.nlines, c->nlines, "%s: line count", c->name);
	}
}

static void
test_reply_bounds(void)
{
	struct smtp_reply r;
	char err[256], line[SMTP_LINE_MAX];
	enum smtp_feed f = SMTP_FEED_MORE;
	int n = 0;

	smtp_reply_init(&r);
	while (f == SMTP_FEED_MORE && n < 1000) {
		f = smtp_reply_feed(&r, "250-again", err, sizeof err);
		n++;
	}
	is_int(f, SMTP_FEED_BAD, "endless continuation lines are refused");
	is_int(n, SMTP_REPLY_MAX_LINES + 1, "after %d lines", SMTP_REPLY_MAX_LINES);
	is_str(err, "reply longer than 64 lines", "with a reason");

	/* Lines that overflow the kept text cut it, and say so. */
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	memcpy(line, "250-", 4);
	smtp_reply_init(&r);
	for (int i = 0; i < 6; i++)
		smtp_reply_feed(&r, line, err, sizeof err);
	ok(r.truncated, "text over %d bytes is marked truncated", SMTP_TEXT_MAX);
	is_int(r.text_len, SMTP_TEXT_MAX - 1, "and cut at the buffer");
	is_int(strlen(r.text), r.text_len, "and stays NUL-terminated");

	smtp_reply_init(&r);
	smtp_reply_feed(&r,
	                "hello world this is not smtp at all and it goes on and on "
	                "and on for a while",
	                err, sizeof err);
	is_str(err,
	       "not an SMTP reply line: 'hello world this is not smtp at all and it goes on "
	       "and on an...'",
	       "a bad line is quoted, shortened");
}

struct enh_case {
	const char *s;
	size_t want;
};

static void
test_enhanced_scan(void)
{
	static const struct enh_case cases[] = {
	        {"2.0.0", 5},    {"5.7.1 Relay denied", 5},
	        {"4.4.2 x", 5},  {"5.123.456 x", 9},
	        {"3.0.0", 0},    {"5.7", 0},
	        {"5..1", 0},     {"5.7.1x", 0},
	        {"5.1234.1", 0}, {"x.1.1", 0},
	        {"", 0},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(smtp_enhanced_scan(cases[i].s), cases[i].want, "enhanced code scan '%s'",
		       cases[i].s);
}

static void
feed_all(struct smtp_reply *r, const char *const *lines)
{
	char err[256];

	smtp_reply_init(r);
	for (; *lines != NULL; lines++)
		smtp_reply_feed(r, *lines, err, sizeof err);
}

static void
test_ext(void)
{
	static const char *const postfix[] = {
	        "250-mail.example.test",
	        "250-PIPELINING",
	        "250-SIZE 10240000",
	        "250-VRFY",
	        "250-ETRN",
	        "250-STARTTLS",
	        "250-AUTH PLAIN LOGIN",
	        "250-AUTH=PLAIN LOGIN",
	        "250-ENHANCEDSTATUSCODES",
	        "250-8BITMIME",
	        "250-DSN",
	        "250-SMTPUTF8",
	        "250 CHUNKING",
	        NULL,
	};
	static const char *const odd[] = {
	        "250-mx.example.test greets you",
	        "250-size",
	        "250-AUTH=CRAM-MD5 PLAIN",
	        "250--BAD",
	        "250-WAY_TOO_BAD",
	        "250-X-EXPS GSSAPI",
	        "250 starttls",
	        NULL,
	};
	struct smtp_reply r;
	struct smtp_ext ext;
	struct strbuf sb = STRBUF_INIT;

	feed_all(&r, postfix);
	smtp_ext_parse(&r, &ext);
	is_int(ext.n, 11, "postfix EHLO: 11 extensions (the AUTH= duplicate dropped)");
	ok(ext.starttls && ext.pipelining && ext.eightbitmime && ext.smtputf8 && ext.chunking &&
	           ext.dsn && ext.enhancedstatuscodes,
	   "postfix EHLO: flags set");
	ok(ext.has_size && ext.size == 10240000, "postfix EHLO: SIZE 10240000");
	is_str(smtp_ext_find(&ext, "auth"), "PLAIN LOGIN", "AUTH parameters");
	ok(smtp_ext_has_auth(&ext, "login"), "AUTH lists LOGIN (case-insensitive)");
	ok(!smtp_ext_has_auth(&ext, "LOG"), "a prefix of a mechanism is not one");
	ok(!smtp_ext_has_auth(&ext, "CRAM-MD5"), "CRAM-MD5 not listed");
	ok(smtp_ext_find(&ext, "XCLIENT") == NULL, "an unlisted keyword is not found");
	smtp_ext_format(&ext, &sb);
	is_str(sb_str(&sb),
	       "PIPELINING SIZE=10240000 VRFY ETRN STARTTLS AUTH=PLAIN,LOGIN "
	       "ENHANCEDSTATUSCODES 8BITMIME DSN SMTPUTF8 CHUNKING",
	       "formatted list");
	sb_free(&sb);

	feed_all(&r, odd);
	smtp_ext_parse(&r, &ext);
	is_int(ext.n, 4, "odd EHLO: junk keywords skipped, legacy AUTH= kept");
	ok(ext.has_size && ext.size == 0, "SIZE without a number: no declared limit");
	ok(ext.starttls, "keywords are case-insensitive");
	ok(smtp_ext_has_auth(&ext, "CRAM-MD5"), "AUTH= alone is read as AUTH");
	is_str(smtp_ext_find(&ext, "X-EXPS"), "GSSAPI", "X- keyword with parameters");

	static const char *const helo_only[] = {"250 mail.example.test", NULL};
	feed_all(&r, helo_only);
	smtp_ext_parse(&r, &ext);
	ok(ext.n == 0 && !ext.starttls, "a one-line reply lists no extension");
}

/* A loopback peer that writes data and then waits to be killed. */
static pid_t
serve(int lfd, const char *data, size_t len, size_t repeat)
{
	pid_t pid = fork();
	if (pid == 0) {
		int c = accept(lfd, NULL, NULL);
		for (size_t i = 0; i < repeat; i++)
			if (write(c, data, len) != (ssize_t)len)
				break;
		pause();
		_exit(0);
	}
	return pid;
}

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

/* Data as a literal with its exact length, NUL bytes included. */
#define LIT(s) (s), sizeof(s) - 1

static enum net_status
read_from(int lfd, unsigned port, const char *data, size_t len, size_t repeat,
          struct smtp_reply *r, char *err, size_t errlen)
{
	struct net_conn c;
	pid_t pid = serve(lfd, data, len, repeat);
	enum net_status st;

	net_conn_init(&c);
	st = net_connect(&c, "127.0.0.1", port, AF_INET, err, errlen);
	if (st == NET_OK)
		st = smtp_read_reply(&c, r, err, errlen);
	net_close(&c);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return st;
}

static void
test_reader(void)
{
	struct smtp_reply r;
	char err[256];
	unsigned port = 0;
	int lfd = listen_any(&port);

	ok(lfd >= 0, "listening on 127.0.0.1:%u", port);
	deadline_arm("TEST", 5, GL_CRITICAL, NULL, 0);
	is_int(read_from(lfd, port, LIT("250-a\r\n250-b\r\n250 c\r\n"), 1, &r, err, sizeof err),
	       NET_OK, "reader: a multi-line reply");
	is_str(r.text, "a\nb\nc", "reader: all lines kept");
	is_int(read_from(lfd, port, LIT("xxxxxxxxxxxxxxxx"), 1000, &r, err, sizeof err),
	       NET_ERR_TOOLONG, "reader: an endless line is cut");
	is_str(err, "reply line from 127.0.0.1 longer than 2047 bytes", "reader: and says so");
	is_int(read_from(lfd, port, LIT("250-more\r\n"), 1000, &r, err, sizeof err), NET_ERR_IO,
	       "reader: endless continuations end");
	is_str(err, "reply longer than 64 lines", "reader: with the line limit");
	is_int(read_from(lfd, port, LIT("220 a\0b\r\n"), 1, &r, err, sizeof err), NET_ERR_IO,
	       "reader: a line with a NUL byte is refused");
	is_str(err, "reply line with a NUL byte", "reader: naming the NUL");
	deadline_arm("TEST", 1, GL_CRITICAL, NULL, 0);
	is_int(read_from(lfd, port, LIT("250-half"), 1, &r, err, sizeof err), NET_ERR_TIMEOUT,
	       "reader: a reply that stops midway times out");
	is_str(err, "timeout in the middle of a reply", "reader: and says where");
	deadline_disarm();
	close(lfd);
}

/* starttls_run(SMTP) against a peer that sends data (repeat times) and
 * reads nothing: the dialogue's replies can all be sent up front. */
static enum net_status
starttls_from(int lfd, unsigned port, const char *data, size_t len, size_t repeat, char *err,
              size_t errlen)
{
	struct net_conn c;
	pid_t pid = serve(lfd, data, len, repeat);
	enum net_status st;

	net_conn_init(&c);
	err[0] = '\0';
	st = net_connect(&c, "127.0.0.1", port, AF_INET, err, errlen);
	if (st == NET_OK)
		st = starttls_run(&c, STARTTLS_SMTP, "client.example.test", err, errlen);
	net_close(&c);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return st;
}

struct starttls_case {
	const char *name;
	const char *data;
	size_t repeat;
	enum net_status st;
	const char *err;
};

static const struct starttls_case starttls_cases[] = {
        {"multi-line greeting, STARTTLS inside a multi-line EHLO reply",
         "220-mx.example.test ESMTP\r\n220 no UCE\r\n250-mx.example.test\r\n"
         "250-PIPELINING\r\n250-starttls\r\n250 8BITMIME\r\n220 2.0.0 Ready to start TLS\r\n",
         1, NET_OK, ""},
        {"STARTTLS not listed", "220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250 SIZE 1000\r\n",
         1, NET_ERR_IO, "127.0.0.1 does not offer STARTTLS (EHLO lists PIPELINING SIZE=1000)"},
        {"a parameter is no keyword", "220 mx ESMTP\r\n250-mx\r\n250 AUTH STARTTLS\r\n", 1,
         NET_ERR_IO, "127.0.0.1 does not offer STARTTLS (EHLO lists AUTH=STARTTLS)"},
        {"EHLO with no extensions", "220 mx ESMTP\r\n250 mx\r\n", 1, NET_ERR_IO,
         "127.0.0.1 does not offer STARTTLS (EHLO lists no extensions)"},
        {"STARTTLS refused",
         "220 mx\r\n250-mx\r\n250 STARTTLS\r\n454 4.7.0 TLS not available\r\n", 1, NET_ERR_IO,
         "127.0.0.1 answered 454 to STARTTLS: 4.7.0 TLS not available"},
        {"greeting 554", "554 5.3.2 no service here\r\n", 1, NET_ERR_IO,
         "127.0.0.1 answered 554 to the connection (greeting): 5.3.2 no service here"},
        {"EHLO refused", "220 mx\r\n502 5.5.1 unknown command\r\n", 1, NET_ERR_IO,
         "127.0.0.1 answered 502 to EHLO: 5.5.1 unknown command"},
        {"not SMTP", "220 mx\r\nhello there\r\n", 1, NET_ERR_IO,
         "127.0.0.1, reply to EHLO: not an SMTP reply line: 'hello there'"},
        {"endless greeting", "220-more\r\n", 1000, NET_ERR_IO,
         "127.0.0.1, reply to the connection (greeting): reply longer than 64 lines"},
};

static void
test_starttls_smtp(void)
{
	char err[512];
	unsigned port = 0;
	int lfd = listen_any(&port);

	ok(lfd >= 0, "starttls: listening on 127.0.0.1:%u", port);
	deadline_arm("TEST", 5, GL_CRITICAL, NULL, 0);
	for (size_t i = 0; i < sizeof starttls_cases / sizeof starttls_cases[0]; i++) {
		const struct starttls_case *t = &starttls_cases[i];
		is_int(starttls_from(lfd, port, t->data, strlen(t->data), t->repeat, err,
		                     sizeof err),
		       t->st, "starttls smtp: %s: status", t->name);
		if (t->st != NET_OK)
			is_str(err, t->err, "starttls smtp: %s: reason", t->name);
	}
	deadline_arm("TEST", 1, GL_CRITICAL, NULL, 0);
	is_int(starttls_from(lfd, port, LIT("220 mx\r\n250-mx\r\n"), 1, err, sizeof err),
	       NET_ERR_TIMEOUT, "starttls smtp: an EHLO reply that stops midway times out");
	is_str(err, "127.0.0.1, reply to EHLO: timeout in the middle of a reply",
	       "starttls smtp: and says where");
	deadline_disarm();
	close(lfd);
}

static void
test_client_name(void)
{
	char name[256], tiny[4];

	smtp_client_name(name, sizeof name);
	ok(name[0] != '\0' && strpbrk(name, " \r\n") == NULL, "client name: '%s'", name);
	smtp_client_name(tiny, sizeof tiny);
	ok(strlen(tiny) < sizeof tiny, "client name: always terminated in a small buffer");
}

int
main(void)
{
	test_reply_table();
	test_reply_bounds();
	test_enhanced_scan();
	test_ext();
	test_reader();
	test_starttls_smtp();
	test_client_name();
	return done_testing();
}
