/* The mail queue parsers (common/mailq.c) on listings as the tools print
 * them: postqueue -j lines, exim -bpr blocks with the message ids of Exim
 * 4.96 (captured from Debian 12's exim4) and of Exim 4.97 and later
 * (6-11-4 characters, written in that layout: Debian 12 ships 4.96), and
 * sendmail-compatible mailq listings of postfix and sendmail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mailq.h"
#include "tap.h"

/* Feeds text line by line as proc_run() would; returns the first error. */
static int
feed(enum mq_kind kind, struct mq_stats *st, time_t now, const char *text, char *err,
     size_t errlen)
{
	struct mq_parser p;
	int rc = 0;

	mq_parser_init(&p, kind, st, now);
	for (const char *s = text; rc == 0 && *s;) {
		size_t n = strcspn(s, "\n");
		rc = mq_parse_line(&p, s, n, err, errlen);
		s += n + (s[n] == '\n');
	}
	mq_parse_end(&p);
	mq_parser_free(&p);
	return rc;
}

/* "key n, key n" of the k largest counts. */
static const char *
top(const struct mq_tally *t, size_t k)
{
	static char buf[512];
	const struct mq_count *c[8];
	size_t n = mq_tally_top(t, c, k), len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %lu", i ? ", " : "",
		                        c[i]->key, c[i]->n);
	return buf;
}

static void
test_postfix(void)
{
	const char *in =
	        "{\"queue_name\": \"deferred\", \"queue_id\": \"4Xy1\", \"arrival_time\": "
	        "1764000000, \"message_size\": 2048, \"forced_expire\": false, \"sender\": "
	        "\"bob@Example.NET\", \"recipients\": [{\"address\": \"a@remote.example\", "
	        "\"delay_reason\": \"connect to 127.0.0.2[127.0.0.2]:25: Connection "
	        "refused\"}, "
	        "{\"address\": \"b@REMOTE.example\"}, {\"address\": \"c@other.example\"}]}\n"
	        "{\"queue_name\": \"active\", \"queue_id\": \"4Xy2\", \"arrival_time\": "
	        "1764000600, "
	        "\"message_size\": 10, \"sender\": \"bob@example.net\", \"recipients\": "
	        "[{\"address\": \"d@remote.example\"}], \"new_member\": [1, 2]}\n"
	        "\n"
	        "{\"queue_name\": \"hold\", \"queue_id\": \"4Xy3\", \"arrival_time\": "
	        "1763990000, "
	        "\"message_size\": 10, \"sender\": \"\", \"recipients\": [{\"address\": "
	        "\"postmaster\"}]}\n"
	        "{\"queue_name\": \"maildrop\", \"queue_id\": \"4Xy4\", \"arrival_time\": "
	        "1764000900, \"sender\": \"eve@evil.example\", \"recipients\": []}\n";
	struct mq_stats st;
	char err[300] = "";

	is_int(feed(MQ_POSTFIX, &st, 1764001000, in, err, sizeof err), 0,
	       "postqueue -j: four queue files parse (%s)", err);
	is_int(st.total, 4, "postqueue -j: total");
	is_int(st.queue[MQ_DEFERRED], 1, "postqueue -j: deferred");
	is_int(st.queue[MQ_ACTIVE], 1, "postqueue -j: active");
	is_int(st.queue[MQ_HOLD], 1, "postqueue -j: hold");
	is_int(st.queue[MQ_INCOMING], 1, "postqueue -j: maildrop counts as incoming");
	is_int(st.oldest, 1763990000, "postqueue -j: oldest arrival_time");
	is_str(top(&st.rcpt_domain, 5), "remote.example 2, (local) 1, other.example 1",
	       "postqueue -j: a recipient domain counts once per message, lower-cased");
	is_str(top(&st.sender, 5),
	       "<> 1, bob@Example.NET 1, bob@example.net 1, eve@evil.example 1",
	       "postqueue -j: senders as given, the null sender as <>");
	is_str(top(&st.sender_domain, 2), "example.net 2, <> 1",
	       "postqueue -j: sender domains lower-cased");
	mq_stats_free(&st);

	is_int(feed(MQ_POSTFIX, &st, 0, "{\"queue_name\": \"deferred\"}\n", err, sizeof err),
	       -1, "postqueue -j: an object without the members is an error");
	is_str(err,
	       "line 1: a queue file without queue_name, sender, arrival_time or recipients",
	       "postqueue -j: the error names the line");
	mq_stats_free(&st);
	is_int(feed(MQ_POSTFIX, &st, 0,
	            "{\"queue_name\": \"hold\", \"sender\": \"\", \"arrival_time\": 1e300, "
	            "\"recipients\": []}\n",
	            err, sizeof err),
	       -1, "postqueue -j: an arrival_time no time_t can hold is an error");
	is_str(err, "line 1: arrival_time is not a time", "postqueue -j: arrival_time reason");
	mq_stats_free(&st);
	is_int(feed(MQ_POSTFIX, &st, 0, "\n{\"queue_name\": tru", err, sizeof err), -1,
	       "postqueue -j: broken JSON is an error");
	ok(strncmp(err, "line 2: not JSON: ", 18) == 0,
	   "postqueue -j: JSON error on line 2 (%s)", err);
	mq_stats_free(&st);
	is_int(feed(MQ_POSTFIX, &st, 0, "Mail queue is empty\n", err, sizeof err), -1,
	       "postqueue -j: mailq text instead of JSON is an error, not an empty queue");
	mq_stats_free(&st);
}

/* Captured from Debian 12's exim4 4.96 (exim -bpr), one recipient marked
 * delivered and one message frozen by hand. */
static const char exim496[] = " 0m   282 1xZ6gR-00079t-0M <bob@example.net>\n"
                              "          alice@remote.example\n"
                              "        D carol@other.example\n"
                              "\n"
                              "25h  2.9K 1xZ6gR-00079q-0K <> *** frozen ***\n"
                              "          alice@Remote.example\n"
                              "          dave@remote.example\n"
                              "\n";

/* Exim 4.97 and later: 6-11-4 ids; 1vNYyu is 1764000000 in base 62. */
static const char exim497[] = " 3h   312 1vNYyu-00000000Hz4-0AbC <bob@example.net>\n"
                              "          x@remote.example\n"
                              "\n"
                              " 2h  1.1K 1vNZuy-000000001aB-00Zz <carl@example.org>\n"
                              "          y@remote.example\n"
                              "          z@third.example\n";

static void
test_exim(void)
{
	struct mq_stats st;
	char err[300] = "";

	is_int(feed(MQ_EXIM, &st, 0, exim496, err, sizeof err), 0, "exim 4.96: parses (%s)",
	       err);
	is_int(st.total, 2, "exim 4.96: two messages");
	is_int(st.queue[MQ_HOLD], 1, "exim 4.96: the frozen one is held");
	is_int(st.queue[MQ_DEFERRED], 1, "exim 4.96: the other deferred");
	is_int(st.oldest, 1796303831, "exim 4.96: arrival from the id's first six digits");
	is_str(top(&st.rcpt_domain, 5), "remote.example 2",
	       "exim 4.96: delivered recipients are not counted");
	is_str(top(&st.sender, 5), "<> 1, bob@example.net 1", "exim 4.96: senders, <> bounces");
	mq_stats_free(&st);

	is_int(feed(MQ_EXIM, &st, 0, exim497, err, sizeof err), 0, "exim 4.97 ids: parse (%s)",
	       err);
	is_int(st.total, 2,
	       "exim 4.97 ids: both messages counted (check_mailq's regex finds 0)");
	is_int(st.oldest, 1764000000, "exim 4.97 ids: arrival from the id");
	is_str(top(&st.rcpt_domain, 5), "remote.example 2, third.example 1",
	       "exim 4.97 ids: recipient domains");
	is_str(top(&st.sender_domain, 5), "example.net 1, example.org 1",
	       "exim 4.97 ids: sender domains");
	mq_stats_free(&st);

	is_int(mq_exim_id_time("1vNYyu-00000000Hz4-0AbC", 23), 1764000000, "4.97 id decodes");
	is_int(mq_exim_id_time("1xZ6gR-00079t-0M", 16), 1796303831, "4.96 id decodes");
	is_int(mq_exim_id_time("1xZ6gR-00079t-0", 15), -1, "a short id is refused");
	is_int(mq_exim_id_time("1xZ6gR_00079t-0M", 16), -1, "a wrong separator is refused");
	is_int(mq_exim_id_time("1xZ6g!-00079t-0M", 16), -1, "a non base-62 digit is refused");
	is_int(feed(MQ_EXIM, &st, 0, " 0m 282 nonsense <a@b>\n", err, sizeof err), -1,
	       "exim: a header without an id is an error");
	is_str(err, "line 1: not an Exim message id", "exim: the error says why");
	mq_stats_free(&st);
	is_int(feed(MQ_EXIM, &st, 0,
	            "      1xZ6ut-0007FU-00\n    *** spool read error: Permission denied ***\n",
	            err, sizeof err),
	       -1, "exim: a message it cannot read is an error, not an empty queue");
	is_str(err, "line 2: Exim cannot read the spool (spool read error: Permission denied)",
	       "exim: spool read error, with Exim's reason");
	mq_stats_free(&st);
	is_int(feed(MQ_EXIM, &st, 0, "exim: permission denied\n", err, sizeof err), -1,
	       "exim: text that is no listing is an error");
	mq_stats_free(&st);
}

/* Postfix's mailq (sendmail -bp) and sendmail's own mailq. */
static const char pf_mailq[] =
        "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
        "A1B2C3D4E5*     312 Thu Dec  3 13:17:11  bob@example.net\n"
        "                                         alice@remote.example\n"
        "\n"
        "4F3A21C0AB!     312 Wed Dec  2 09:00:00  MAILER-DAEMON\n"
        "                                         bob@example.net\n"
        "\n"
        "5B0E11D2C3      400 Thu Dec  3 12:00:00  bob@example.net\n"
        "(connect to 127.0.0.2[127.0.0.2]:25: Connection refused)\n"
        "                                         x@remote.example\n"
        "                                         y@remote.example\n"
        "\n"
        "-- 1 Kbytes in 3 Requests.\n";

static const char sm_mailq[] =
        "\t\t/var/spool/mqueue (2 requests)\n"
        "-----Q-ID----- --Size-- -----Q-Time----- ------------Sender/Recipient-----------\n"
        "0BDCH4gT012345*    1234 Thu Dec  3 13:17 <bob@example.net>\n"
        "                 (Deferred: Connection refused by remote.example.)\n"
        "\t\t\t\t\t <alice@remote.example>\n"
        "0BDCH4gT012346     1234 Tue Dec 30 23:59 <>\n"
        "\t\t\t\t\t <carol@remote.example>\n"
        "\t\tTotal requests: 2\n";

static time_t
local_time(int y, int mon, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mon,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = s,
	                .tm_isdst = -1};
	return mktime(&tm);
}

static void
test_sendmail(void)
{
	struct mq_stats st;
	char err[300] = "";
	time_t now = local_time(2026, 11, 3, 14, 0, 0);

	is_int(feed(MQ_SENDMAIL, &st, now, pf_mailq, err, sizeof err), 0,
	       "postfix mailq: parses (%s)", err);
	is_int(st.total, 3, "postfix mailq: three messages");
	is_int(st.queue[MQ_ACTIVE], 1, "postfix mailq: '*' is active");
	is_int(st.queue[MQ_HOLD], 1, "postfix mailq: '!' is held");
	is_int(st.queue[MQ_DEFERRED], 1, "postfix mailq: the rest deferred");
	is_int(st.oldest, local_time(2026, 11, 2, 9, 0, 0), "postfix mailq: oldest, this year");
	is_str(top(&st.rcpt_domain, 5), "remote.example 2, example.net 1",
	       "postfix mailq: recipient domains once per message, reasons skipped");
	is_str(top(&st.sender, 5), "bob@example.net 2, <> 1",
	       "postfix mailq: MAILER-DAEMON is <>");
	mq_stats_free(&st);

	is_int(feed(MQ_SENDMAIL, &st, now, sm_mailq, err, sizeof err), 0,
	       "sendmail mailq: parses (%s)", err);
	is_int(st.total, 2, "sendmail mailq: two messages");
	is_int(st.queue[MQ_ACTIVE], 1, "sendmail mailq: '*' is active");
	is_int(st.oldest, local_time(2025, 11, 30, 23, 59, 0),
	       "sendmail mailq: a date ahead of now is last year's");
	is_str(top(&st.rcpt_domain, 5), "remote.example 2", "sendmail mailq: <recipients>");
	mq_stats_free(&st);

	is_int(feed(MQ_SENDMAIL, &st, now, "Mail queue is empty\n", err, sizeof err), 0,
	       "mailq: an empty queue");
	is_int(st.total, 0, "mailq: empty is 0");
	mq_stats_free(&st);
	is_int(feed(MQ_SENDMAIL, &st, now, "mailq: fatal: something\n", err, sizeof err), -1,
	       "mailq: an unknown line is an error");
	mq_stats_free(&st);
}

static void
test_tally(void)
{
	struct mq_stats st;
	struct mq_parser p;
	char line[200], err[100];

	mq_parser_init(&p, MQ_POSTFIX, &st, 0);
	for (int i = 0; i < 3000; i++) {
		int n = snprintf(
		        line, sizeof line,
		        "{\"queue_name\":\"deferred\",\"arrival_time\":%d,\"sender\":"
		        "\"u%d@d%d.example\",\"recipients\":[{\"address\":\"r@x%d\"}]}",
		        1000 + i, i % 700, i % 7, i % 3);
		mq_parse_line(&p, line, (size_t)n, err, sizeof err);
	}
	mq_parser_free(&p);
	is_int(st.total, 3000, "3000 messages");
	is_int(st.sender.used, 700, "700 distinct senders kept apart as the table grows");
	is_str(top(&st.sender, 3), "u0@d0.example 5, u100@d2.example 5, u101@d3.example 5",
	       "ties are broken by key");
	is_str(top(&st.rcpt_domain, 3), "x0 1000, x1 1000, x2 1000", "recipient domains");
	is_int(st.oldest, 1000, "oldest of many");
	mq_stats_free(&st);

	/* One message to 40 domains, each named twice: once per domain, also
	 * past the short per-message list. */
	struct strbuf sb = STRBUF_INIT;
	sb_append(&sb, "{\"queue_name\":\"deferred\",\"arrival_time\":1,\"sender\":\"a@b\","
	               "\"recipients\":[");
	for (int i = 0; i < 80; i++)
		sb_appendf(&sb, "%s{\"address\":\"u%d@d%d.example\"}", i ? "," : "", i, i % 40);
	sb_append(&sb, "]}\n{\"queue_name\":\"deferred\",\"arrival_time\":1,\"sender\":\"a@b\","
	               "\"recipients\":[{\"address\":\"x@d39.example\"}]}\n");
	is_int(feed(MQ_POSTFIX, &st, 0, sb_str(&sb), err, sizeof err), 0,
	       "80 recipients parse");
	is_int(st.rcpt_domain.used, 40, "40 recipient domains");
	is_str(top(&st.rcpt_domain, 2), "d39.example 2, d0.example 1",
	       "each domain once per message, past the first 16 too");
	mq_stats_free(&st);
	sb_free(&sb);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_postfix();
	test_exim();
	test_sendmail();
	test_tally();
	return done_testing();
}
