/* A native ICMP echo engine for many targets at once (IPv4 and IPv6 in one
 * process, no fork), in the manner of OpenBSD ping and fping:
 *
 *  - one socket per address family: an unprivileged ICMP datagram socket
 *    where net.ipv4.ping_group_range allows it, else a raw socket (which
 *    needs CAP_NET_RAW, and gets a kernel filter on its echo id);
 *    the caller drops its privileges right after opening;
 *  - every request carries a random cookie, its CLOCK_MONOTONIC send time
 *    and its target/packet numbers; a reply counts only when the echo id,
 *    the sequence map, the payload and the sender all agree;
 *  - two FIFO queues (next send, next expiry) stay sorted because every
 *    target shares one interval, and one ppoll() is the only place the
 *    engine sleeps: until the next send, the next expiry or the deadline;
 *  - a global minimum gap between any two requests plus a per-target
 *    interval, so a thousand targets never become a flood;
 *  - an ICMP error about one of our requests (unreachable, TTL exceeded)
 *    ends that target early and records why.
 * All times are integer nanoseconds. */
#ifndef GLANCE_ICMP_H
#define GLANCE_ICMP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "range.h"
#include "state.h"

enum icmp_sock_kind { ICMP_SOCK_AUTO = 0, ICMP_SOCK_DGRAM, ICMP_SOCK_RAW };

/* Why a target ended before all its requests were answered or expired. */
enum icmp_fate {
	ICMP_FATE_NONE = 0,
	ICMP_FATE_NET_UNREACH,
	ICMP_FATE_HOST_UNREACH,
	ICMP_FATE_PROTO_UNREACH,
	ICMP_FATE_PORT_UNREACH,
	ICMP_FATE_PROHIBITED,
	ICMP_FATE_TOO_BIG,
	ICMP_FATE_UNREACH_OTHER,
	ICMP_FATE_TTL_EXCEEDED,
	ICMP_FATE_REASSEMBLY,
	ICMP_FATE_PARAM_PROBLEM,
	ICMP_FATE_SEND_ERROR, /* sendto() failed: errno in fate_errno */
	ICMP_FATE_NO_SOCKET,  /* no socket of the target's family */
	ICMP_FATE_RESOLVE,    /* the caller could not resolve the name */
};

/* "Host unreachable", "TTL exceeded in transit", ... */
const char *icmp_fate_str(enum icmp_fate f);

/* An ICMP error type/code (ICMPv4 when v6 is false) as a fate. */
enum icmp_fate icmp_fate_from(bool v6, int type, int code);

struct icmp_target {
	/* filled by the caller */
	const char *name;             /* as given on the command line */
	struct sockaddr_storage addr; /* family AF_UNSPEC: not resolved */
	socklen_t addrlen;
	char addrstr[INET6_ADDRSTRLEN];
	/* results */
	unsigned sent, received, duplicates, late, expired;
	int64_t *rtt; /* per request: ns, or -1 if unanswered */
	enum icmp_fate fate;
	int fate_errno;
	char fate_from[INET6_ADDRSTRLEN]; /* who sent the ICMP error */
	/* the engine's bookkeeping */
	unsigned pending; /* sent, neither answered nor expired */
	int64_t next_send;
	bool done;
	bool *expired_at; /* per request: its wait has passed */
};

/* What a target's replies add up to; times in ns, valid when received > 0
 * (jitter when received > 1). loss_pct is whole percent, truncated as
 * ping(8) prints it; 100 when nothing was sent. */
struct icmp_stats {
	unsigned sent, received;
	int loss_pct;
	int64_t rtt_min, rtt_max, rtt_avg, jitter;
};

/* Min/avg/max over answered requests; jitter is the mean absolute
 * difference between the RTTs of consecutive answered requests, taken in
 * sequence order. */
void icmp_stats(const struct icmp_target *t, struct icmp_stats *s);

struct icmp_config {
	unsigned count;      /* echo requests per target, >= 1 */
	int64_t interval_ns; /* between two requests to one target */
	int64_t gap_ns;      /* between any two requests: the rate limit */
	int64_t wait_ns;     /* how long a request waits for its reply */
	size_t size;         /* ICMP data bytes, >= ICMP_MIN_DATA */
	int ttl;             /* hop limit; 0: the system's default */
	enum icmp_sock_kind kind;
	const char *source; /* numeric source address, or NULL */
};

/* Our stamp in every request: cookie, send time, target and request
 * numbers. The data may be larger; it is then padded with a pattern. */
#define ICMP_MIN_DATA 24
#define ICMP_MAX_DATA 65000

struct icmp_seqslot {
	uint32_t target; /* index + 1; 0 for a free slot */
	uint32_t packet;
	int64_t sent_ns;
};

struct icmp_expiry {
	uint32_t target, packet;
	int64_t at;
};

struct icmp_engine {
	struct icmp_config cfg;
	int fd[2];                   /* [0] IPv4, [1] IPv6; -1 if closed */
	enum icmp_sock_kind kind[2]; /* what each socket turned out to be */
	uint16_t id[2];              /* echo identifier per socket */
	char sock_err[2][160];       /* why a family has no socket */
	bool denied[2];              /* ... because the kernel said no to us */
	uint64_t cookie;
	struct icmp_target *t;
	size_t n;
	size_t done;
	uint16_t seq;
	struct icmp_seqslot *seqmap; /* 65536 slots, by sequence number */
	size_t *sendq;               /* ring of target indices */
	size_t sq_head, sq_len;
	struct icmp_expiry *expq; /* ring of outstanding requests */
	size_t eq_head, eq_len, eq_cap;
	int64_t next_slot; /* earliest time of the next request */
	uint8_t *pkt;      /* the request being built */
	size_t pktcap;
	uint8_t *rbuf; /* receive buffer */
	size_t rbufcap;
	unsigned foreign; /* replies that matched nothing */
};

/* Sets up the engine for targets t[0..n-1] (which it does not own) and
 * allocates their per-request arrays. No socket is opened yet. */
void icmp_init(struct icmp_engine *e, const struct icmp_config *cfg, struct icmp_target *t,
               size_t n);

/* Opens the socket of each family wanted (AF_UNSPEC: both). Returns the
 * number of sockets open; for a family that failed, e->sock_err[] says
 * why. The caller drops its privileges right after (set-user-id or
 * CAP_NET_RAW are needed for the raw socket only). */
int icmp_open(struct icmp_engine *e, int family);

/* Runs until every target is done or deadline_ns (mono_ns() time) is
 * reached. Returns 0, or -1 with err filled on an internal failure. */
int icmp_run(struct icmp_engine *e, int64_t deadline_ns, char *err, size_t errlen);

/* Handles one received ICMP message as read from family fam's socket at
 * time now (exposed for the unit tests). from is the sender. hdr says
 * whether buf starts with an IPv4 header (raw IPv4 sockets). */
void icmp_handle(struct icmp_engine *e, int fam, const uint8_t *buf, size_t len, bool hdr,
                 const struct sockaddr *from, int64_t now);

/* Builds the next request for target ti into e->pkt, stamped with now,
 * and returns its length (ICMP header included) and sequence number.
 * icmp_sent() then records it once the kernel has taken it. Both are
 * exposed for the unit tests. */
size_t icmp_build(struct icmp_engine *e, size_t ti, int64_t now, uint16_t *seq);
void icmp_sent(struct icmp_engine *e, size_t ti, uint16_t seq, int64_t now);

/* The Internet checksum (RFC 1071). */
uint16_t icmp_cksum(const void *buf, size_t len);

/* Closes the sockets and frees what icmp_init() allocated. */
void icmp_close(struct icmp_engine *e);

/* The check_ping thresholds: "-w RTA,PL%" with RTA in ms, where a
 * negative value is unset and, as in monitoring-plugins check_ping, a
 * value reaching a limit alerts (>=); plus jitter and maximum RTT in ms
 * as ordinary threshold ranges ("WARN[,CRIT]", alert above). */
struct icmp_limits {
	double wrta, crta; /* ms */
	double wpl, cpl;   /* percent */
	struct thresholds jit, max;
};

/* Parses "RTA,PL%" ("100,20%", "100.5,20") or a bare "RTA" as check_icmp
 * takes it, which leaves *pl as it was (the default). RTA is a number
 * >= 0 and PL a number in 0..100. Returns 0 or -1 and err. */
int icmp_parse_rta_pl(const char *s, double *rta, double *pl, char *err, size_t errlen);

/* Checks that no RTA or loss warning exceeds its critical; -1 and err
 * otherwise. */
int icmp_limits_check(const struct icmp_limits *l, char *err, size_t errlen);

/* The state of one target: UNKNOWN when it could not be pinged at all
 * (ICMP_FATE_RESOLVE, ICMP_FATE_NO_SOCKET), CRITICAL when an ICMP error
 * ended it or when nothing came back; otherwise critical then warning
 * limits. */
enum gl_state icmp_evaluate(const struct icmp_limits *l, const struct icmp_stats *s,
                            enum icmp_fate fate);

#endif
