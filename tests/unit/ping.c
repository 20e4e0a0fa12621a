/* check_ping's pure logic: the "RTA,PL%" grammar, the threshold
 * evaluation, the statistics, and how the ICMP engine matches replies and
 * errors to the requests it sent (no socket involved). */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <string.h>

#include "icmp.h"
#include "tap.h"

static const struct {
	const char *in;
	int ok;
	double rta, pl;
} rta_pl[] = {
        {"100,20%", 1, 100, 20},     {"100.5,20", 1, 100.5, 20}, {"0,0%", 1, 0, 0},
        {"3000,100%", 1, 3000, 100}, {".5,2.5%", 1, 0.5, 2.5},   {"100", 1, 100, -7},
        {"100,", 0, 0, 0},           {",20%", 0, 0, 0},          {"100,101%", 0, 0, 0},
        {"-1,20%", 0, 0, 0},         {"100,20%%", 0, 0, 0},      {"100,20%x", 0, 0, 0},
        {"1e3,20%", 0, 0, 0},        {"100;20%", 0, 0, 0},       {"", 0, 0, 0},
        {"100,-5%", 0, 0, 0},        {"abc,20%", 0, 0, 0},
};

static void
test_rta_pl(void)
{
	char err[160];
	for (size_t i = 0; i < sizeof rta_pl / sizeof rta_pl[0]; i++) {
		double rta = -7, pl = -7;
		int rc = icmp_parse_rta_pl(rta_pl[i].in, &rta, &pl, err, sizeof err);
		if (rta_pl[i].ok)
			ok(rc == 0 && rta == rta_pl[i].rta && pl == rta_pl[i].pl,
			   "RTA,PL '%s' parses to %g,%g", rta_pl[i].in, rta_pl[i].rta,
			   rta_pl[i].pl);
		else
			ok(rc == -1 && err[0] != '\0', "RTA,PL '%s' is rejected (%s)",
			   rta_pl[i].in, err);
	}
}

static void
test_limits(void)
{
	char err[160];
	struct icmp_limits l = {.wrta = 100, .crta = 500, .wpl = 20, .cpl = 60};
	ok(icmp_limits_check(&l, err, sizeof err) == 0,
	   "warn 100,20%% below crit 500,60%% is fine");
	l.wrta = 600;
	ok(icmp_limits_check(&l, err, sizeof err) == -1 && strstr(err, "RTA 600") != NULL,
	   "warn RTA above crit RTA is an error naming RTA (%s)", err);
	l.wrta = 500;
	ok(icmp_limits_check(&l, err, sizeof err) == 0, "equal warn and crit RTA is allowed");
	l.wpl = 70;
	ok(icmp_limits_check(&l, err, sizeof err) == -1 && strstr(err, "packet loss") != NULL,
	   "warn PL above crit PL is an error");
}

static struct icmp_stats
mkstats(unsigned sent, unsigned recv, double avg_ms, double max_ms, double jit_ms)
{
	struct icmp_stats s = {sent,
	                       recv,
	                       sent ? (int)((sent - recv) * 100 / sent) : 100,
	                       0,
	                       (int64_t)(max_ms * 1e6),
	                       (int64_t)(avg_ms * 1e6),
	                       (int64_t)(jit_ms * 1e6)};
	return s;
}

static void
test_evaluate(void)
{
	struct icmp_limits l = {.wrta = 100, .crta = 500, .wpl = 20, .cpl = 60};
	char err[160];
	struct icmp_stats s = mkstats(5, 5, 0.05, 0.1, 0.01);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_OK, "all answered fast: OK");
	s = mkstats(5, 5, 100, 100, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_WARNING,
	       "RTA equal to warn: WARNING (>=)");
	s = mkstats(5, 5, 500, 500, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_CRITICAL,
	       "RTA equal to crit: CRITICAL");
	s = mkstats(5, 4, 1, 1, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_WARNING,
	       "20%% loss with warn 20%%: WARNING");
	s = mkstats(5, 2, 1, 1, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_CRITICAL, "60%% loss: CRITICAL");
	s = mkstats(5, 0, 0, 0, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_CRITICAL, "100%% loss: CRITICAL");
	l.cpl = 100;
	l.wpl = 100;
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_CRITICAL,
	       "nothing answered is CRITICAL even with 100%% limits");
	s = mkstats(5, 5, 1, 1, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_HOST_UNREACH), GL_CRITICAL,
	       "an ICMP error is CRITICAL");
	s = mkstats(0, 0, 0, 0, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_RESOLVE), GL_UNKNOWN,
	       "a name that did not resolve is UNKNOWN, not a lost host");
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NO_SOCKET), GL_UNKNOWN,
	       "no socket for the family is UNKNOWN");
	thresholds_parse("10,50", false, &l.max, err, sizeof err);
	s = mkstats(5, 5, 5, 10, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_OK,
	       "max RTT at the warn range's end: OK (ranges alert above)");
	s = mkstats(5, 5, 5, 10.5, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_WARNING,
	       "max RTT above warn: WARNING");
	s = mkstats(5, 5, 5, 50.5, 0);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_CRITICAL,
	       "max RTT above crit: CRITICAL");
	thresholds_parse(",2", false, &l.jit, err, sizeof err);
	s = mkstats(5, 5, 5, 5, 3);
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_CRITICAL,
	       "jitter over crit: CRITICAL");
	s = mkstats(5, 1, 5, 5, 3);
	s.loss_pct = 0; /* isolate the jitter rule */
	is_int(icmp_evaluate(&l, &s, ICMP_FATE_NONE), GL_OK, "jitter ignored with one reply");
}

static void
test_stats(void)
{
	int64_t rtt[6] = {1000000, -1, 3000000, 2000000, -2, 6000000};
	struct icmp_target t = {.sent = 6, .rtt = rtt};
	struct icmp_stats s;

	icmp_stats(&t, &s);
	is_int(s.received, 4, "stats count answered requests only (not lost, not late)");
	is_int(s.loss_pct, 33, "2 of 6 lost is 33%% (truncated)");
	is_int(s.rtt_min, 1000000, "rtt min");
	is_int(s.rtt_max, 6000000, "rtt max");
	is_int(s.rtt_avg, 3000000, "rtt avg");
	/* |3-1| + |2-3| + |6-2| = 7 over 3 pairs */
	is_int(s.jitter, 2333333, "jitter: mean absolute difference of successive RTTs");
	t.sent = 0;
	icmp_stats(&t, &s);
	is_int(s.loss_pct, 100, "nothing sent counts as 100%% loss");
}

static void
test_fate(void)
{
	is_int(icmp_fate_from(false, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH),
	       ICMP_FATE_HOST_UNREACH, "ICMPv4 3/1 is host unreachable");
	is_int(icmp_fate_from(false, ICMP_DEST_UNREACH, ICMP_NET_UNREACH),
	       ICMP_FATE_NET_UNREACH, "ICMPv4 3/0 is network unreachable");
	is_int(icmp_fate_from(false, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED),
	       ICMP_FATE_PROHIBITED, "ICMPv4 3/13 is administratively prohibited");
	is_int(icmp_fate_from(false, ICMP_TIME_EXCEEDED, 0), ICMP_FATE_TTL_EXCEEDED,
	       "ICMPv4 11/0 is TTL exceeded");
	is_int(icmp_fate_from(false, ICMP_ECHOREPLY, 0), ICMP_FATE_NONE,
	       "an echo reply is no error");
	is_int(icmp_fate_from(true, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADDR),
	       ICMP_FATE_HOST_UNREACH, "ICMPv6 1/3 is host unreachable");
	is_int(icmp_fate_from(true, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOROUTE),
	       ICMP_FATE_NET_UNREACH, "ICMPv6 1/0 is no route");
	is_int(icmp_fate_from(true, ICMP6_DST_UNREACH, 6), ICMP_FATE_PROHIBITED,
	       "ICMPv6 1/6 (reject route) is prohibited");
	is_int(icmp_fate_from(true, ICMP6_TIME_EXCEEDED, 0), ICMP_FATE_TTL_EXCEEDED,
	       "ICMPv6 3/0 is hop limit exceeded");
	is_str(icmp_fate_str(ICMP_FATE_HOST_UNREACH), "Host unreachable", "fate text");
}

static void
test_cksum(void)
{
	/* RFC 1071 section 3's example words sum to 0xddf2. */
	const uint8_t w[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	is_int(ntohs(icmp_cksum(w, sizeof w)), 0x220d, "RFC 1071 checksum example");
	const uint8_t odd[] = {0x01};
	is_int(ntohs(icmp_cksum(odd, 1)), 0xfeff, "odd length pads with a zero byte");
}

/* ---- reply and error matching -------------------------------------- */

static void
set_addr(struct icmp_target *t, const char *a)
{
	memset(&t->addr, 0, sizeof t->addr);
	if (strchr(a, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->addr;
		s6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, a, &s6->sin6_addr);
		t->addrlen = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&t->addr;
		s4->sin_family = AF_INET;
		inet_pton(AF_INET, a, &s4->sin_addr);
		t->addrlen = sizeof *s4;
	}
	snprintf(t->addrstr, sizeof t->addrstr, "%s", a);
	t->name = t->addrstr;
}

static struct sockaddr_storage
sa(const char *a)
{
	struct icmp_target t;
	set_addr(&t, a);
	return t.addr;
}

/* Sends (on paper) the next request to target ti at time now and returns
 * a copy of it in buf. */
static size_t
request(struct icmp_engine *e, size_t ti, int64_t now, uint8_t *buf)
{
	uint16_t seq;
	size_t len = icmp_build(e, ti, now, &seq);
	icmp_sent(e, ti, seq, now);
	memcpy(buf, e->pkt, len);
	return len;
}

/* The echo reply a host would send for request req. */
static size_t
reply_of(const uint8_t *req, size_t len, uint8_t type, uint8_t *out)
{
	memcpy(out, req, len);
	out[0] = type;
	out[2] = out[3] = 0;
	uint16_t c = icmp_cksum(out, len);
	memcpy(out + 2, &c, 2);
	return len;
}

/* An ICMP error from a router quoting the IP header of a request to dst
 * (IPv6 when dst has a ':') and the request's first 8 bytes. */
static size_t
error_of(const uint8_t *req, const char *dst, uint8_t type, uint8_t code, uint8_t *out)
{
	bool v6 = strchr(dst, ':') != NULL;
	size_t iph = v6 ? 40 : 20;

	memset(out, 0, 8 + iph + 8);
	out[0] = type;
	out[1] = code;
	out[8] = v6 ? 0x60 : 0x45;
	out[8 + (v6 ? 6 : 9)] = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	inet_pton(v6 ? AF_INET6 : AF_INET, dst, out + 8 + (v6 ? 24 : 16));
	memcpy(out + 8 + iph, req, 8);
	return 8 + iph + 8;
}

static void
test_matching_v4(struct icmp_engine *e, struct icmp_target *t)
{
	uint8_t req[128], rep[256];
	struct sockaddr_storage from = sa("192.0.2.1"), other = sa("192.0.2.9");
	size_t len = request(e, 0, 1000000, req);

	is_int(t[0].sent, 1, "a recorded request counts as sent");
	reply_of(req, len, ICMP_ECHOREPLY, rep);
	icmp_handle(e, 0, rep, len, false, (struct sockaddr *)&from, 1250000);
	is_int(t[0].received, 1, "the matching reply is counted");
	is_int(t[0].rtt[0], 250000, "RTT is receive time minus the stamped send time");
	icmp_handle(e, 0, rep, len, false, (struct sockaddr *)&from, 1300000);
	is_int(t[0].duplicates, 1, "the same reply again is a duplicate");
	is_int(t[0].received, 1, "a duplicate is not counted twice");

	len = request(e, 0, 2000000, req);
	reply_of(req, len, ICMP_ECHOREPLY, rep);
	unsigned foreign = e->foreign;
	icmp_handle(e, 0, rep, len, false, (struct sockaddr *)&other, 2100000);
	ok(t[0].received == 1 && e->foreign == foreign + 1,
	   "a reply from another sender is dropped");
	rep[4] ^= 0xff;
	icmp_handle(e, 0, rep, len, false, (struct sockaddr *)&from, 2100000);
	ok(t[0].received == 1 && e->foreign == foreign + 2,
	   "a reply with another echo id is dropped");
	rep[4] ^= 0xff;
	rep[8] ^= 0x01;
	icmp_handle(e, 0, rep, len, false, (struct sockaddr *)&from, 2100000);
	ok(t[0].received == 1 && e->foreign == foreign + 3,
	   "a reply with a wrong cookie is dropped");
	rep[8] ^= 0x01;
	icmp_handle(e, 0, rep, 16, false, (struct sockaddr *)&from, 2100000);
	ok(t[0].received == 1 && e->foreign == foreign + 4, "a truncated stamp is dropped");

	/* The same reply through a raw socket: IPv4 header first, checksum
	 * verified. */
	uint8_t raw[300] = {0x45};
	memcpy(raw + 20, rep, len);
	raw[20 + 2] ^= 0x55;
	icmp_handle(e, 0, raw, 20 + len, true, (struct sockaddr *)&from, 2100000);
	ok(t[0].received == 1 && e->foreign == foreign + 5,
	   "a raw reply with a bad checksum is dropped");
	raw[20 + 2] ^= 0x55;
	icmp_handle(e, 0, raw, 20 + len, true, (struct sockaddr *)&from, 2400000);
	is_int(t[0].received, 2, "a raw reply after its IPv4 header is counted");
	is_int(t[0].rtt[1], 400000, "and timed from its own request");

	len = request(e, 0, 3000000, req);
	t[0].expired_at[2] = true; /* as icmp_run does once the wait is over */
	t[0].pending--;
	reply_of(req, len, ICMP_ECHOREPLY, rep);
	icmp_handle(e, 0, rep, len, false, (struct sockaddr *)&from, 9000000);
	ok(t[0].late == 1 && t[0].received == 2,
	   "a reply after its wait is late, not received");
}

static void
test_errors(struct icmp_engine *e, struct icmp_target *t)
{
	uint8_t req[128], err[256];
	struct sockaddr_storage router = sa("198.51.100.1"), router6 = sa("2001:db8:ff::1");
	size_t len;

	request(e, 1, 4000000, req);
	len = error_of(req, "192.0.2.99", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, err);
	icmp_handle(e, 0, err, len, false, (struct sockaddr *)&router, 4100000);
	is_int(t[1].fate, ICMP_FATE_NONE, "an error quoting another destination is ignored");
	len = error_of(req, "192.0.2.2", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, err);
	icmp_handle(e, 0, err, len, false, (struct sockaddr *)&router, 4100000);
	is_int(t[1].fate, ICMP_FATE_HOST_UNREACH,
	       "host unreachable about our request ends the host");
	is_str(t[1].fate_from, "198.51.100.1", "and names the router that said so");
	ok(t[1].done, "the host is done at once");

	len = request(e, 2, 5000000, req);
	uint8_t rep[256];
	reply_of(req, len, ICMP6_ECHO_REPLY, rep);
	struct sockaddr_storage from6 = sa("2001:db8::1");
	icmp_handle(e, 1, rep, len, false, (struct sockaddr *)&from6, 5050000);
	ok(t[2].received == 1 && t[2].rtt[0] == 50000, "an ICMPv6 echo reply is matched");
	request(e, 2, 5500000, req);
	len = error_of(req, "2001:db8::1", ICMP6_PACKET_TOO_BIG, 0, err);
	icmp_handle(e, 1, err, len, false, (struct sockaddr *)&router6, 5600000);
	ok(t[2].fate == ICMP_FATE_NONE && !t[2].done,
	   "packet too big only teaches the path MTU: the host goes on");
	request(e, 2, 6000000, req);
	len = error_of(req, "2001:db8::1", ICMP6_TIME_EXCEEDED, 0, err);
	icmp_handle(e, 1, err, len, false, (struct sockaddr *)&router6, 6100000);
	is_int(t[2].fate, ICMP_FATE_TTL_EXCEEDED, "ICMPv6 time exceeded ends the host");
	is_str(t[2].fate_from, "2001:db8:ff::1", "from the router's IPv6 address");
}

static void
test_matching(void)
{
	struct icmp_target t[3];
	struct icmp_engine e;
	struct icmp_config cfg = {
	        .count = 3, .interval_ns = 1, .wait_ns = 1000000000, .size = 56};

	memset(t, 0, sizeof t);
	set_addr(&t[0], "192.0.2.1");
	set_addr(&t[1], "192.0.2.2");
	set_addr(&t[2], "2001:db8::1");
	icmp_init(&e, &cfg, t, 3);
	test_matching_v4(&e, t);
	test_errors(&e, t);
	is_int(e.done, 2, "hosts ended by errors are done; the others still wait");
	icmp_close(&e);
}

int
main(void)
{
	test_rta_pl();
	test_limits();
	test_evaluate();
	test_stats();
	test_fate();
	test_cksum();
	test_matching();
	return done_testing();
}
