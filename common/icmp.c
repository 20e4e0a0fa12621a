#include "icmp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "net.h"
#include "output.h"
#include "range.h"
#include "strbuf.h"

/* Linux's per-socket filter of ICMPv4 types on raw sockets (linux/icmp.h,
 * which cannot be included beside netinet/ip_icmp.h): a set bit blocks. */
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

#define SEQ_SLOTS 65536
#define ICMP_BURST_NS 10000000 /* 10 ms of catching up at most */

/* The stamp at the start of every request's data. Only this process
 * reads it back, so it stays in host byte order. */
struct icmp_stamp {
	uint64_t cookie;
	int64_t sent_ns;
	uint32_t target;
	uint32_t packet;
};

static const char *const fate_text[] = {
        [ICMP_FATE_NONE] = "",
        [ICMP_FATE_NET_UNREACH] = "Network unreachable",
        [ICMP_FATE_HOST_UNREACH] = "Host unreachable",
        [ICMP_FATE_PROTO_UNREACH] = "Protocol unreachable",
        [ICMP_FATE_PORT_UNREACH] = "Port unreachable",
        [ICMP_FATE_PROHIBITED] = "Communication administratively prohibited",
        [ICMP_FATE_TOO_BIG] = "Packet too big",
        [ICMP_FATE_UNREACH_OTHER] = "Destination unreachable",
        [ICMP_FATE_TTL_EXCEEDED] = "TTL exceeded in transit",
        [ICMP_FATE_REASSEMBLY] = "Fragment reassembly time exceeded",
        [ICMP_FATE_PARAM_PROBLEM] = "Parameter problem",
        [ICMP_FATE_SEND_ERROR] = "Send failed",
        [ICMP_FATE_NO_SOCKET] = "No ICMP socket for this address family",
        [ICMP_FATE_RESOLVE] = "Cannot resolve host name",
};

const char *
icmp_fate_str(enum icmp_fate f)
{
	if ((size_t)f >= sizeof fate_text / sizeof fate_text[0])
		return "?";
	return fate_text[f];
}

static enum icmp_fate
icmp4_fate(int type, int code)
{
	if (type == ICMP_TIME_EXCEEDED)
		return code == ICMP_EXC_FRAGTIME ? ICMP_FATE_REASSEMBLY
		                                 : ICMP_FATE_TTL_EXCEEDED;
	if (type == ICMP_PARAMETERPROB)
		return ICMP_FATE_PARAM_PROBLEM;
	if (type != ICMP_DEST_UNREACH)
		return ICMP_FATE_NONE;
	switch (code) {
	case ICMP_NET_UNREACH:
	case ICMP_NET_UNKNOWN:
	case ICMP_NET_UNR_TOS: return ICMP_FATE_NET_UNREACH;
	case ICMP_HOST_UNREACH:
	case ICMP_HOST_UNKNOWN:
	case ICMP_HOST_UNR_TOS: return ICMP_FATE_HOST_UNREACH;
	case ICMP_PROT_UNREACH: return ICMP_FATE_PROTO_UNREACH;
	case ICMP_PORT_UNREACH: return ICMP_FATE_PORT_UNREACH;
	case ICMP_FRAG_NEEDED: return ICMP_FATE_TOO_BIG;
	case ICMP_NET_ANO:
	case ICMP_HOST_ANO:
	case ICMP_PKT_FILTERED:
	case ICMP_PREC_VIOLATION:
	case ICMP_PREC_CUTOFF: return ICMP_FATE_PROHIBITED;
	}
	return ICMP_FATE_UNREACH_OTHER;
}

/* ICMPv6 types and codes: RFC 4443 sections 3.1-3.4. */
static enum icmp_fate
icmp6_fate(int type, int code)
{
	switch (type) {
	case ICMP6_DST_UNREACH:
		switch (code) {
		case ICMP6_DST_UNREACH_NOROUTE: return ICMP_FATE_NET_UNREACH;
		case ICMP6_DST_UNREACH_ADMIN:
		case 5: /* source address failed ingress/egress policy */
		case 6: /* reject route to destination */ return ICMP_FATE_PROHIBITED;
		case ICMP6_DST_UNREACH_ADDR: return ICMP_FATE_HOST_UNREACH;
		case ICMP6_DST_UNREACH_NOPORT: return ICMP_FATE_PORT_UNREACH;
		}
		return ICMP_FATE_UNREACH_OTHER;
	case ICMP6_PACKET_TOO_BIG: return ICMP_FATE_TOO_BIG;
	case ICMP6_TIME_EXCEEDED:
		return code == ICMP6_TIME_EXCEED_REASSEMBLY ? ICMP_FATE_REASSEMBLY
		                                            : ICMP_FATE_TTL_EXCEEDED;
	case ICMP6_PARAM_PROB: return ICMP_FATE_PARAM_PROBLEM;
	}
	return ICMP_FATE_NONE;
}

enum icmp_fate
icmp_fate_from(bool v6, int type, int code)
{
	return v6 ? icmp6_fate(type, code) : icmp4_fate(type, code);
}

uint16_t
icmp_cksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* ---- statistics ---------------------------------------------------- */

void
icmp_stats(const struct icmp_target *t, struct icmp_stats *s)
{
	int64_t sum = 0, jsum = 0, prev = -1;
	unsigned jn = 0;

	memset(s, 0, sizeof *s);
	s->sent = t->sent;
	for (unsigned i = 0; i < t->sent && t->rtt != NULL; i++) {
		int64_t r = t->rtt[i];
		if (r < 0)
			continue;
		if (s->received == 0 || r < s->rtt_min)
			s->rtt_min = r;
		if (r > s->rtt_max)
			s->rtt_max = r;
		sum += r;
		s->received++;
		if (prev >= 0) {
			jsum += r > prev ? r - prev : prev - r;
			jn++;
		}
		prev = r;
	}
	if (s->received > 0)
		s->rtt_avg = sum / s->received;
	if (jn > 0)
		s->jitter = jsum / jn;
	s->loss_pct =
	        s->sent == 0 ? 100 : (int)((uint64_t)(s->sent - s->received) * 100 / s->sent);
}

/* ---- set-up --------------------------------------------------------- */

static int
fam_index(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

static void
random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t r = getrandom(p, len, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* No entropy source at all: the cookie still differs
			 * per run, which is all matching needs. */
			uint64_t x = (uint64_t)mono_ns() ^ ((uint64_t)getpid() << 32);
			for (; len > 0; len--, x >>= 3)
				*p++ = (uint8_t)x;
			return;
		}
		p += r;
		len -= (size_t)r;
	}
}

void
icmp_init(struct icmp_engine *e, const struct icmp_config *cfg, struct icmp_target *t, size_t n)
{
	memset(e, 0, sizeof *e);
	e->cfg = *cfg;
	if (e->cfg.size < ICMP_MIN_DATA)
		e->cfg.size = ICMP_MIN_DATA;
	e->fd[0] = e->fd[1] = -1;
	e->t = t;
	e->n = n;
	random_bytes(&e->cookie, sizeof e->cookie);
	random_bytes(&e->seq, sizeof e->seq);
	random_bytes(e->id, sizeof e->id);
	e->seqmap = xcalloc(SEQ_SLOTS, sizeof *e->seqmap);
	e->sendq = xcalloc(n + 1, sizeof *e->sendq);
	e->eq_cap = n * (size_t)cfg->count + 1;
	e->expq = xcalloc(e->eq_cap, sizeof *e->expq);
	e->pktcap = 8 + e->cfg.size;
	e->pkt = xcalloc(1, e->pktcap);
	e->rbufcap = e->pktcap + 512 > 4096 ? e->pktcap + 512 : 4096;
	e->rbuf = xmalloc(e->rbufcap);
	for (size_t i = 0; i < n; i++) {
		t[i].rtt = xmalloc(cfg->count * sizeof *t[i].rtt);
		t[i].expired_at = xcalloc(cfg->count, sizeof *t[i].expired_at);
		for (unsigned k = 0; k < cfg->count; k++)
			t[i].rtt[k] = -1;
	}
}

/* Binds to the source address (if one of this family was given) or to
 * the wildcard; for datagram sockets the kernel then picks the echo id,
 * which getsockname() tells. */
static int
icmp_bind(struct icmp_engine *e, int fi, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = e->fd[fi];

	memset(&ss, 0, sizeof ss);
	if (fi == 0) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		if (e->cfg.source && inet_pton(AF_INET, e->cfg.source, &s4->sin_addr) != 1)
			return snprintf(err, errlen, "source %s is not IPv4", e->cfg.source),
			       -1;
		sl = sizeof *s4;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		if (e->cfg.source && inet_pton(AF_INET6, e->cfg.source, &s6->sin6_addr) != 1)
			return snprintf(err, errlen, "source %s is not IPv6", e->cfg.source),
			       -1;
		sl = sizeof *s6;
	}
	if ((e->cfg.source || e->kind[fi] == ICMP_SOCK_DGRAM) &&
	    bind(fd, (struct sockaddr *)&ss, sl) != 0)
		return snprintf(err, errlen, "bind: %s", strerror(errno)), -1;
	if (e->kind[fi] != ICMP_SOCK_DGRAM)
		return 0;
	sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return snprintf(err, errlen, "getsockname: %s", strerror(errno)), -1;
	e->id[fi] = ntohs(fi == 0 ? ((struct sockaddr_in *)&ss)->sin_port
	                          : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

/* Lets only replies and errors through to a raw socket: without it every
 * echo request the host receives (our own, on loopback) wakes us. */
static int
icmp_raw_filter(int fd, int fi)
{
	if (fi == 0) {
		uint32_t block = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) |
		                   (1u << ICMP_TIME_EXCEEDED) | (1u << ICMP_PARAMETERPROB));
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &block, sizeof block);
	}
	struct icmp6_filter f;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
	ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
	ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
	ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
	return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
}

/* Drops, in the kernel, echo replies that carry another echo id, as
 * OpenBSD ping does: every raw ICMP socket on the host gets a copy of
 * every reply, so without this each concurrent check wakes for all the
 * others' traffic. Errors pass; icmp_error_match() checks their quoted
 * id. IPv4 raw sockets see the IP header first, IPv6 ones do not. */
static int
icmp_raw_bpf(int fd, int fi, uint16_t id)
{
	struct sock_filter v4[] = {
	        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), /* X = IP header length */
	        BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),  /* A = ICMP type */
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHOREPLY, 0, 3),
	        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4), /* A = echo id */
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 1, 0),
	        BPF_STMT(BPF_RET | BPF_K, 0),           /* another's reply */
	        BPF_STMT(BPF_RET | BPF_K, 0xffffffffu), /* ours, or an error */
	};
	struct sock_filter v6[] = {
	        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP6_ECHO_REPLY, 0, 3),
	        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 1, 0),
	        BPF_STMT(BPF_RET | BPF_K, 0),
	        BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
	};
	struct sock_fprog prog = {fi ? sizeof v6 / sizeof v6[0] : sizeof v4 / sizeof v4[0],
	                          fi ? v6 : v4};
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

/* A filter judges only what arrives after it is attached: another check's
 * replies that reached the raw socket between socket() and
 * SO_ATTACH_FILTER are still queued, so they are read off before our
 * first request goes out. The socket is non-blocking. */
static void
icmp_flush(int fd)
{
	unsigned char buf[256];

	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
}

static int
icmp_setup(struct icmp_engine *e, int fi, char *err, size_t errlen)
{
	int fd = e->fd[fi], on = 1, buf = 4 << 20;

	if (e->kind[fi] == ICMP_SOCK_RAW && icmp_raw_filter(fd, fi) != 0)
		return snprintf(err, errlen, "ICMP filter: %s", strerror(errno)), -1;
	if (e->kind[fi] == ICMP_SOCK_RAW && icmp_raw_bpf(fd, fi, e->id[fi]) != 0)
		return snprintf(err, errlen, "socket filter: %s", strerror(errno)), -1;
	if (e->kind[fi] == ICMP_SOCK_RAW)
		icmp_flush(fd);
	/* Datagram sockets report ICMP errors only through the error queue. */
	if (e->kind[fi] == ICMP_SOCK_DGRAM &&
	    setsockopt(fd, fi ? IPPROTO_IPV6 : IPPROTO_IP, fi ? IPV6_RECVERR : IP_RECVERR, &on,
	               sizeof on) != 0)
		return snprintf(err, errlen, "RECVERR: %s", strerror(errno)), -1;
	if (e->cfg.ttl > 0 &&
	    setsockopt(fd, fi ? IPPROTO_IPV6 : IPPROTO_IP, fi ? IPV6_UNICAST_HOPS : IP_TTL,
	               &e->cfg.ttl, sizeof e->cfg.ttl) != 0)
		return snprintf(err, errlen, "TTL %d: %s", e->cfg.ttl, strerror(errno)), -1;
	/* A big receive buffer absorbs a burst of a thousand replies; only
	 * root may exceed rmem_max, so the second call is the fallback. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) != 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf) != 0)
		output_debug(1, "SO_RCVBUF: %s", strerror(errno));
	return icmp_bind(e, fi, err, errlen);
}

static void
icmp_open_one(struct icmp_engine *e, int fi)
{
	int dom = fi ? AF_INET6 : AF_INET, proto = fi ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int flags = SOCK_NONBLOCK | SOCK_CLOEXEC, derr = 0, rerr = 0;
	char err[120];

	if (e->cfg.kind != ICMP_SOCK_RAW) {
		e->fd[fi] = socket(dom, SOCK_DGRAM | flags, proto);
		e->kind[fi] = ICMP_SOCK_DGRAM;
		derr = e->fd[fi] < 0 ? errno : 0;
	}
	if (e->fd[fi] < 0 && e->cfg.kind != ICMP_SOCK_DGRAM) {
		e->fd[fi] = socket(dom, SOCK_RAW | flags, proto);
		e->kind[fi] = ICMP_SOCK_RAW;
		rerr = e->fd[fi] < 0 ? errno : 0;
	}
	if (e->fd[fi] < 0) {
		snprintf(e->sock_err[fi], sizeof e->sock_err[fi], "%s%s%s%s%s",
		         derr ? "datagram socket: " : "", derr ? strerror(derr) : "",
		         derr && rerr ? ", " : "", rerr ? "raw socket: " : "",
		         rerr ? strerror(rerr) : "");
		e->denied[fi] =
		        derr == EACCES || derr == EPERM || rerr == EACCES || rerr == EPERM;
		return;
	}
	if (icmp_setup(e, fi, err, sizeof err) != 0) {
		snprintf(e->sock_err[fi], sizeof e->sock_err[fi], "%s socket: %s",
		         e->kind[fi] == ICMP_SOCK_RAW ? "raw" : "datagram", err);
		close(e->fd[fi]);
		e->fd[fi] = -1;
	}
}

int
icmp_open(struct icmp_engine *e, int family)
{
	int n = 0;

	for (int fi = 0; fi < 2; fi++) {
		if (family != AF_UNSPEC && fam_index(family) != fi) {
			if (e->cfg.source != NULL)
				snprintf(e->sock_err[fi], sizeof e->sock_err[fi],
				         "source %s is IPv%d", e->cfg.source, fi ? 4 : 6);
			continue;
		}
		icmp_open_one(e, fi);
		n += e->fd[fi] >= 0;
	}
	return n;
}

void
icmp_close(struct icmp_engine *e)
{
	for (int fi = 0; fi < 2; fi++) {
		if (e->fd[fi] >= 0)
			close(e->fd[fi]);
		e->fd[fi] = -1;
	}
	for (size_t i = 0; i < e->n; i++) {
		free(e->t[i].rtt);
		free(e->t[i].expired_at);
		e->t[i].rtt = NULL;
		e->t[i].expired_at = NULL;
	}
	free(e->seqmap);
	free(e->sendq);
	free(e->expq);
	free(e->pkt);
	free(e->rbuf);
	e->seqmap = NULL;
	e->sendq = NULL;
	e->expq = NULL;
	e->pkt = e->rbuf = NULL;
}

/* ---- sending --------------------------------------------------------- */

size_t
icmp_build(struct icmp_engine *e, size_t ti, int64_t now, uint16_t *seq)
{
	const struct icmp_target *t = &e->t[ti];
	int fi = fam_index(t->addr.ss_family);
	struct icmp_stamp st = {e->cookie, now, (uint32_t)ti, t->sent};
	uint8_t *p = e->pkt;
	size_t len = 8 + e->cfg.size;

	*seq = ++e->seq;
	p[0] = fi ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	p[1] = 0;
	p[2] = p[3] = 0;
	p[4] = (uint8_t)(e->id[fi] >> 8);
	p[5] = (uint8_t)e->id[fi];
	p[6] = (uint8_t)(*seq >> 8);
	p[7] = (uint8_t)*seq;
	memcpy(p + 8, &st, sizeof st);
	for (size_t i = 8 + sizeof st; i < len; i++)
		p[i] = (uint8_t)i;
	/* The kernel fills in the checksum for ICMPv6 and for datagram
	 * sockets; a raw IPv4 socket sends what it is given. */
	if (fi == 0 && e->kind[0] != ICMP_SOCK_DGRAM) {
		uint16_t c = icmp_cksum(p, len);
		memcpy(p + 2, &c, 2);
	}
	return len;
}

static void
icmp_finish(struct icmp_engine *e, struct icmp_target *t)
{
	if (t->done || t->pending > 0)
		return;
	if (t->sent < e->cfg.count && t->fate == ICMP_FATE_NONE)
		return;
	t->done = true;
	e->done++;
}

void
icmp_sent(struct icmp_engine *e, size_t ti, uint16_t seq, int64_t now)
{
	struct icmp_target *t = &e->t[ti];
	struct icmp_seqslot *slot = &e->seqmap[seq];

	slot->target = (uint32_t)ti + 1;
	slot->packet = t->sent;
	slot->sent_ns = now;
	if (e->eq_len < e->eq_cap) {
		size_t tail = (e->eq_head + e->eq_len) % e->eq_cap;
		e->expq[tail] =
		        (struct icmp_expiry){(uint32_t)ti, t->sent, now + e->cfg.wait_ns};
		e->eq_len++;
	}
	t->sent++;
	t->pending++;
	/* The global rate limit is a schedule of send slots one gap apart.
	 * A late wake-up may catch up on the slots it missed, but at most
	 * ICMP_BURST_NS of them: the average rate never exceeds one request
	 * per gap, and no burst is longer than that window. */
	if (e->next_slot < now - ICMP_BURST_NS)
		e->next_slot = now - ICMP_BURST_NS;
	e->next_slot += e->cfg.gap_ns;
}

/* Ends a target early (ICMP error, send failure): what it still waits
 * for is counted lost, and it is sent nothing more. */
static void
icmp_end_target(struct icmp_engine *e, struct icmp_target *t, enum icmp_fate f, int err,
                const struct sockaddr *from)
{
	if (t->done)
		return;
	t->fate = f;
	t->fate_errno = err;
	if (from != NULL)
		net_addr_str(from, t->fate_from, sizeof t->fate_from);
	t->pending = 0;
	icmp_finish(e, t);
}

/* ---- receiving -------------------------------------------------------- */

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The address bytes of a sockaddr, and their length. */
static const uint8_t *
addr_bytes(const struct sockaddr *sa, size_t *len)
{
	if (sa->sa_family == AF_INET6) {
		*len = 16;
		return ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	}
	*len = 4;
	return (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr.s_addr;
}

static bool
target_is(const struct icmp_target *t, int fi, const uint8_t *addr)
{
	size_t len;
	const uint8_t *mine = addr_bytes((const struct sockaddr *)&t->addr, &len);
	return fam_index(t->addr.ss_family) == fi && memcmp(mine, addr, len) == 0;
}

/* The target a sequence number was sent to, if that socket's id matches. */
static struct icmp_target *
icmp_lookup(struct icmp_engine *e, int fi, uint16_t id, uint16_t seq, struct icmp_seqslot **sl)
{
	struct icmp_seqslot *slot = &e->seqmap[seq];

	if (id != e->id[fi] || slot->target == 0 || slot->target > e->n)
		return NULL;
	*sl = slot;
	return &e->t[slot->target - 1];
}

static void
icmp_reply(struct icmp_engine *e, int fi, const uint8_t *icmp, size_t len,
           const struct sockaddr *from, int64_t now)
{
	struct icmp_seqslot *slot = NULL;
	struct icmp_target *t = icmp_lookup(e, fi, get16(icmp + 4), get16(icmp + 6), &slot);
	struct icmp_stamp st;
	size_t alen;

	if (t == NULL || len < 8 + sizeof st) {
		e->foreign++;
		return;
	}
	memcpy(&st, icmp + 8, sizeof st);
	/* Everything must agree: a stale slot, another process's request
	 * or a forged reply is never counted. */
	if (st.cookie != e->cookie || st.target + 1 != slot->target ||
	    st.packet != slot->packet || st.sent_ns != slot->sent_ns ||
	    !target_is(t, fi, addr_bytes(from, &alen)) || st.packet >= e->cfg.count) {
		e->foreign++;
		return;
	}
	if (t->rtt[st.packet] != -1) {
		t->duplicates++;
	} else if (t->expired_at[st.packet] || t->done) {
		t->late++;
		t->rtt[st.packet] = -2; /* seen, but too late to count */
	} else {
		t->rtt[st.packet] = now - st.sent_ns;
		t->received++;
		t->pending--;
		icmp_finish(e, t);
	}
}

/* An ICMP error names the request it is about by quoting its IP header
 * and at least its first 8 bytes (RFC 792; RFC 4443 section 2.4 (c)):
 * that gives the destination, the echo id and the sequence number. */
static void
icmp_error_match(struct icmp_engine *e, int fi, enum icmp_fate f, const uint8_t *dst,
                 const uint8_t *icmp, const struct sockaddr *from, int err)
{
	struct icmp_seqslot *slot;
	struct icmp_target *t;

	if (icmp[0] != (fi ? ICMP6_ECHO_REQUEST : ICMP_ECHO))
		return;
	t = icmp_lookup(e, fi, get16(icmp + 4), get16(icmp + 6), &slot);
	if (t == NULL || !target_is(t, fi, dst)) {
		e->foreign++;
		return;
	}
	output_debug(2, "%s: %s", t->addrstr, icmp_fate_str(f));
	/* "Packet too big" (RFC 1191, RFC 8201) teaches the kernel the path
	 * MTU; that request is lost, but the next ones are sent to fit. */
	if (f == ICMP_FATE_TOO_BIG)
		return;
	icmp_end_target(e, t, f, err, from);
}

static void
icmp_error_quoted(struct icmp_engine *e, int fi, enum icmp_fate f, const uint8_t *in, size_t n,
                  const struct sockaddr *from)
{
	if (fi == 0) {
		size_t ihl = n >= 20 ? (size_t)(in[0] & 0x0f) * 4 : 0;
		if (ihl < 20 || n < ihl + 8 || in[9] != IPPROTO_ICMP)
			return;
		icmp_error_match(e, fi, f, in + 16, in + ihl, from, 0);
		return;
	}
	/* Our requests carry no extension headers, so the ICMPv6 header
	 * follows the fixed IPv6 header directly. */
	if (n < 40 + 8 || in[6] != IPPROTO_ICMPV6)
		return;
	icmp_error_match(e, fi, f, in + 24, in + 40, from, 0);
}

void
icmp_handle(struct icmp_engine *e, int fi, const uint8_t *buf, size_t len, bool hdr,
            const struct sockaddr *from, int64_t now)
{
	if (hdr) {
		size_t ihl = len >= 20 ? (size_t)(buf[0] & 0x0f) * 4 : 0;
		if (ihl < 20 || len < ihl)
			return;
		buf += ihl;
		len -= ihl;
		if (len >= 8 && icmp_cksum(buf, len) != 0) {
			e->foreign++;
			return;
		}
	}
	if (len < 8)
		return;
	if (buf[0] == (fi ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)) {
		icmp_reply(e, fi, buf, len, from, now);
		return;
	}
	enum icmp_fate f = icmp_fate_from(fi, buf[0], buf[1]);
	if (f != ICMP_FATE_NONE)
		icmp_error_quoted(e, fi, f, buf + 8, len - 8, from);
}

/* A datagram socket's ICMP errors (and local send errors) arrive on the
 * error queue: the data is our request as sent, msg_name its destination
 * and the extended error says what happened and who said so. */
static void
icmp_errqueue(struct icmp_engine *e, int fi)
{
	char cbuf[512];
	struct sockaddr_storage dst;

	for (;;) {
		struct iovec iov = {e->rbuf, e->rbufcap};
		struct msghdr m = {.msg_name = &dst,
		                   .msg_namelen = sizeof dst,
		                   .msg_iov = &iov,
		                   .msg_iovlen = 1,
		                   .msg_control = cbuf,
		                   .msg_controllen = sizeof cbuf};
		ssize_t n = recvmsg(e->fd[fi], &m, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n < 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
			      (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
				continue;
			struct sock_extended_err ee;
			memcpy(&ee, CMSG_DATA(c), sizeof ee);
			const struct sockaddr *off = (const struct sockaddr *)SO_EE_OFFENDER(
			        (struct sock_extended_err *)CMSG_DATA(c));
			bool icmp = ee.ee_origin == SO_EE_ORIGIN_ICMP ||
			            ee.ee_origin == SO_EE_ORIGIN_ICMP6;
			enum icmp_fate f = icmp ? icmp_fate_from(fi, ee.ee_type, ee.ee_code)
			                        : ICMP_FATE_SEND_ERROR;
			size_t alen;
			if (n >= 8 && f != ICMP_FATE_NONE &&
			    dst.ss_family == (fi ? AF_INET6 : AF_INET))
				icmp_error_match(e, fi, f,
				                 addr_bytes((struct sockaddr *)&dst, &alen),
				                 e->rbuf, icmp ? off : NULL,
				                 icmp ? 0 : (int)ee.ee_errno);
		}
	}
}

static void
icmp_drain(struct icmp_engine *e, int fi, short revents)
{
	bool hdr = fi == 0 && e->kind[0] == ICMP_SOCK_RAW;
	struct sockaddr_storage from;
	int errs = 0;

	if (revents & POLLERR)
		icmp_errqueue(e, fi);
	for (;;) {
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(e->fd[fi], e->rbuf, e->rbufcap, MSG_DONTWAIT,
		                     (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* A pending ICMP error surfaces here once on a datagram
			 * socket; the error queue has the details. */
			if (errno != EAGAIN && errno != EWOULDBLOCK && ++errs < 8) {
				icmp_errqueue(e, fi);
				continue;
			}
			return;
		}
		icmp_handle(e, fi, e->rbuf, (size_t)n, hdr, (struct sockaddr *)&from,
		            mono_ns());
	}
}

/* ---- the event loop --------------------------------------------------- */

/* Marks every request whose wait has run out by now; a reply to it that
 * still comes is counted late, not received. */
static void
icmp_expire(struct icmp_engine *e, int64_t now)
{
	while (e->eq_len > 0 && e->expq[e->eq_head].at <= now) {
		struct icmp_expiry x = e->expq[e->eq_head];
		struct icmp_target *t = &e->t[x.target];

		e->eq_head = (e->eq_head + 1) % e->eq_cap;
		e->eq_len--;
		if (t->done || t->rtt[x.packet] != -1 || t->expired_at[x.packet])
			continue;
		t->expired_at[x.packet] = true;
		t->expired++;
		t->pending--;
		icmp_finish(e, t);
	}
}

static void
sendq_push(struct icmp_engine *e, size_t ti)
{
	size_t cap = e->n + 1;
	e->sendq[(e->sq_head + e->sq_len) % cap] = ti;
	e->sq_len++;
}

static void
sendq_pop(struct icmp_engine *e)
{
	e->sq_head = (e->sq_head + 1) % (e->n + 1);
	e->sq_len--;
}

/* Sends one request to target ti. A full socket buffer (EAGAIN, ENOBUFS)
 * is retried after a pause; any other error ends the target. */
static int
icmp_send(struct icmp_engine *e, size_t ti, int64_t now)
{
	struct icmp_target *t = &e->t[ti];
	uint16_t seq;
	size_t len = icmp_build(e, ti, now, &seq);
	ssize_t r = sendto(e->fd[fam_index(t->addr.ss_family)], e->pkt, len, 0,
	                   (struct sockaddr *)&t->addr, t->addrlen);

	if (r >= 0) {
		icmp_sent(e, ti, seq, now);
		output_debug(3, "%s: echo request seq %u sent", t->addrstr, (unsigned)seq);
		return 0;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) {
		e->seq--;
		return 1;
	}
	output_debug(2, "%s: sendto: %s", t->addrstr, strerror(errno));
	icmp_end_target(e, t, ICMP_FATE_SEND_ERROR, errno, NULL);
	return 0;
}

/* The earliest time the head of the send queue may go: its own schedule,
 * but never before the next global send slot. */
static int64_t
icmp_next_send(const struct icmp_engine *e)
{
	int64_t at = e->t[e->sendq[e->sq_head]].next_send;
	return at > e->next_slot ? at : e->next_slot;
}

static void
icmp_send_due(struct icmp_engine *e)
{
	bool burst = false;

	while (e->sq_len > 0) {
		size_t ti = e->sendq[e->sq_head];
		struct icmp_target *t = &e->t[ti];
		if (t->done || t->fate != ICMP_FATE_NONE) {
			sendq_pop(e);
			continue;
		}
		int64_t now = mono_ns();
		if (icmp_next_send(e) > now)
			return;
		/* Within a burst, read what has come back before each further
		 * send, or replies would wait behind the burst and their RTTs
		 * grow; a single send is followed by the wait, which reads. */
		if (burst) {
			for (int fi = 0; fi < 2; fi++)
				if (e->fd[fi] >= 0)
					icmp_drain(e, fi, 0);
			now = mono_ns();
		}
		if (icmp_send(e, ti, now) != 0) {
			t->next_send =
			        now + (e->cfg.gap_ns > 1000000 ? e->cfg.gap_ns : 1000000);
			return;
		}
		burst = true;
		sendq_pop(e);
		if (t->sent < e->cfg.count && t->fate == ICMP_FATE_NONE) {
			t->next_send = now + e->cfg.interval_ns;
			sendq_push(e, ti);
		}
	}
}

/* Queues every target that can be pinged; the others are done now. */
static void
icmp_start(struct icmp_engine *e, int64_t now)
{
	for (size_t i = 0; i < e->n; i++) {
		struct icmp_target *t = &e->t[i];
		if (t->addr.ss_family != AF_INET && t->addr.ss_family != AF_INET6) {
			if (t->fate == ICMP_FATE_NONE)
				t->fate = ICMP_FATE_RESOLVE;
		} else if (e->fd[fam_index(t->addr.ss_family)] < 0) {
			t->fate = ICMP_FATE_NO_SOCKET;
		}
		if (t->fate != ICMP_FATE_NONE) {
			icmp_finish(e, t);
			continue;
		}
		t->next_send = now;
		sendq_push(e, i);
	}
	e->next_slot = now;
}

/* The one place the engine sleeps: until the next send, the next expiry
 * or the deadline, whichever is first, unless a socket wakes it. */
static int
icmp_wait(struct icmp_engine *e, int64_t deadline_ns, char *err, size_t errlen)
{
	struct pollfd pfd[2];
	int fam[2], nfd = 0;
	int64_t now = mono_ns(), wake = deadline_ns;

	if (e->sq_len > 0 && icmp_next_send(e) < wake)
		wake = icmp_next_send(e);
	if (e->eq_len > 0 && e->expq[e->eq_head].at < wake)
		wake = e->expq[e->eq_head].at;
	for (int fi = 0; fi < 2; fi++) {
		if (e->fd[fi] < 0)
			continue;
		pfd[nfd] = (struct pollfd){.fd = e->fd[fi], .events = POLLIN};
		fam[nfd++] = fi;
	}
	int64_t d = wake > now ? wake - now : 0;
	struct timespec ts = {(time_t)(d / 1000000000), (long)(d % 1000000000)};
	int r = ppoll(pfd, (nfds_t)nfd, &ts, NULL);
	if (r < 0 && errno != EINTR)
		return snprintf(err, errlen, "poll: %s", strerror(errno)), -1;
	for (int i = 0; r > 0 && i < nfd; i++)
		if (pfd[i].revents)
			icmp_drain(e, fam[i], pfd[i].revents);
	return 0;
}

int
icmp_run(struct icmp_engine *e, int64_t deadline_ns, char *err, size_t errlen)
{
	/* Sub-millisecond gaps need the kernel to wake us on time. */
	if (prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0) != 0)
		output_debug(1, "timer slack: %s", strerror(errno));
	icmp_start(e, mono_ns());
	while (e->done < e->n) {
		int64_t now = mono_ns();
		icmp_expire(e, now);
		if (now >= deadline_ns || e->done >= e->n)
			break;
		icmp_send_due(e);
		if (e->done >= e->n)
			break;
		if (icmp_wait(e, deadline_ns, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* ---- thresholds ------------------------------------------------------- */

int
icmp_parse_rta_pl(const char *s, double *rta, double *pl, char *err, size_t errlen)
{
	size_t n = range_scan_number(s, rta);

	/* check_icmp takes a bare RTA ("-w 100") and keeps the default loss
	 * threshold; so does *pl here, which is left as it was. */
	if (n > 0 && *rta >= 0 && s[n] == '\0')
		return 0;
	if (n == 0 || *rta < 0 || s[n] != ',')
		return snprintf(err, errlen, "'%s' is not RTA,PL%% (RTA in ms, e.g. 100,20%%)",
		                s),
		       -1;
	s += n + 1;
	n = range_scan_number(s, pl);
	if (n == 0 || *pl < 0 || *pl > 100 ||
	    !(s[n] == '\0' || (s[n] == '%' && s[n + 1] == '\0')))
		return snprintf(err, errlen, "packet loss '%s' is not a percentage 0..100", s),
		       -1;
	return 0;
}

int
icmp_limits_check(const struct icmp_limits *l, char *err, size_t errlen)
{
	static const char *const what[] = {"RTA", "packet loss"};
	const double w[] = {l->wrta, l->wpl};
	const double c[] = {l->crta, l->cpl};

	for (size_t i = 0; i < 2; i++)
		if (w[i] >= 0 && c[i] >= 0 && w[i] > c[i])
			return snprintf(err, errlen,
			                "warning %s %g must not be greater than critical %g",
			                what[i], w[i], c[i]),
			       -1;
	return 0;
}

static bool
reaches(double v, double limit)
{
	return limit >= 0 && v >= limit;
}

enum gl_state
icmp_evaluate(const struct icmp_limits *l, const struct icmp_stats *s, enum icmp_fate fate)
{
	double rta = (double)s->rtt_avg / 1e6, max = (double)s->rtt_max / 1e6;
	double jit = (double)s->jitter / 1e6, pl = s->loss_pct;
	bool j = s->received > 1;

	/* Nothing was sent: a name that did not resolve or a family without
	 * a socket says nothing about the host, the one rule for every
	 * plugin ("a name that cannot be resolved is UNKNOWN"). */
	if (fate == ICMP_FATE_RESOLVE || fate == ICMP_FATE_NO_SOCKET)
		return GL_UNKNOWN;
	if (fate != ICMP_FATE_NONE || s->received == 0)
		return GL_CRITICAL;
	if (reaches(pl, l->cpl) || reaches(rta, l->crta) || range_alerts(&l->max.crit, max) ||
	    (j && range_alerts(&l->jit.crit, jit)))
		return GL_CRITICAL;
	if (reaches(pl, l->wpl) || reaches(rta, l->wrta) || range_alerts(&l->max.warn, max) ||
	    (j && range_alerts(&l->jit.warn, jit)))
		return GL_WARNING;
	return GL_OK;
}
