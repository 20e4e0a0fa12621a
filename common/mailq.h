/* Mail queue listings, parsed a line at a time as the queue tool prints
 * them, into counts that stay the same size however long the queue:
 *   postfix   `postqueue -j`: one JSON object per queue file and line
 *             (read with yajl's event parser: no tree is built, which made
 *             it 3x faster than with jansson), queue_name and arrival_time
 *             taken as given;
 *   exim      `exim -bpr`: a header line "AGE SIZE ID <SENDER> [*** frozen
 *             ***]", indented recipients ("D " ones are delivered), a
 *             blank line; message ids of Exim < 4.97 (6-6-2 characters)
 *             and of 4.97 and later (6-11-4), whose first six base-62
 *             digits are the arrival time in seconds;
 *   sendmail  a sendmail-compatible `mailq` listing (sendmail's, postfix's
 *             mailq): "ID[*!] SIZE Www Mmm DD HH:MM[:SS] SENDER", then
 *             recipient lines; '*' is active, '!' held.
 * Counts: messages per queue, the oldest arrival, and for the outbreak
 * view messages per recipient domain (a message counts once per domain),
 * per sender address and per sender domain. */
#ifndef GLANCE_MAILQ_H
#define GLANCE_MAILQ_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "strbuf.h"

enum mq_kind { MQ_POSTFIX, MQ_EXIM, MQ_SENDMAIL };

/* Postfix's queues; maildrop counts as incoming; an Exim message is
 * deferred, or held when frozen; sendmail's listing gives active, held
 * or deferred. */
enum mq_queue { MQ_DEFERRED, MQ_ACTIVE, MQ_HOLD, MQ_INCOMING, MQ_QUEUES };

/* "deferred", "active", "hold", "incoming". */
const char *mq_queue_name(enum mq_queue q);

struct mq_count {
	char *key;
	unsigned long n;
};

/* Counts by key (an open-addressing hash table). Past MQ_TALLY_MAX
 * distinct keys new keys are counted in .dropped only, so a queue of a
 * million distinct senders cannot take the memory with it. */
#define MQ_TALLY_MAX 1000000
struct mq_tally {
	struct mq_count *slot;
	size_t cap, used;
	unsigned long dropped;
};

struct mq_stats {
	unsigned long total;
	unsigned long queue[MQ_QUEUES];
	bool have_oldest;
	time_t oldest; /* arrival time of the oldest message */
	struct mq_tally rcpt_domain, sender, sender_domain;
};

struct mq_parser {
	enum mq_kind kind;
	struct mq_stats *st;
	time_t now; /* for listings that give dates without a year */
	unsigned long lineno;
	/* the message being read (exim, sendmail) */
	bool in_msg;
	enum mq_queue q;
	time_t arrival;
	bool have_arrival;
	struct strbuf domains; /* its first recipient domains, '\n'-ended */
	size_t ndomains;
	struct mq_tally more_domains; /* the rest of them */
	struct mq_pf *pf;             /* postqueue -j: one line's members */
};

void mq_parser_init(struct mq_parser *p, enum mq_kind kind, struct mq_stats *st, time_t now);

/* One line without its newline. Returns 0, or -1 with a reason naming
 * the line number when the line is not what the tool prints. */
int mq_parse_line(struct mq_parser *p, const char *line, size_t len, char *err, size_t errlen);

/* Ends the listing (counts a message still open). */
void mq_parse_end(struct mq_parser *p);
void mq_parser_free(struct mq_parser *p);

/* The up to k largest counts, largest first (ties by key), into out;
 * returns how many. */
size_t mq_tally_top(const struct mq_tally *t, const struct mq_count **out, size_t k);

void mq_stats_free(struct mq_stats *st);

/* Arrival time encoded in an Exim message id (its first six base-62
 * digits), or -1 when id is not an Exim id of either length. */
long long mq_exim_id_time(const char *id, size_t len);

#endif
