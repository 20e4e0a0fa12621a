#include "mailq.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

static const char *const mq_queue_names[MQ_QUEUES] = {
        [MQ_DEFERRED] = "deferred",
        [MQ_ACTIVE] = "active",
        [MQ_HOLD] = "hold",
        [MQ_INCOMING] = "incoming",
};

const char *
mq_queue_name(enum mq_queue q)
{
	return (unsigned)q < MQ_QUEUES ? mq_queue_names[q] : "?";
}

/* ---- counting by key ---- */

static uint64_t
mq_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static struct mq_count *
mq_tally_slot(struct mq_count *slot, size_t cap, const char *key, size_t n)
{
	size_t i = (size_t)mq_hash(key, n) & (cap - 1);
	while (slot[i].key != NULL &&
	       (strncmp(slot[i].key, key, n) != 0 || slot[i].key[n] != '\0'))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static void
mq_tally_grow(struct mq_tally *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	struct mq_count *slot = xcalloc(cap, sizeof *slot);
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].key != NULL)
			*mq_tally_slot(slot, cap, t->slot[i].key, strlen(t->slot[i].key)) =
			        t->slot[i];
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

/* Counts key; true when it was not counted before. */
static bool
mq_tally_add(struct mq_tally *t, const char *key, size_t n)
{
	/* keys are C strings in the table: one with a NUL (from a hostile
	 * listing) is cut there, or lookups would compare past a shorter key */
	n = strnlen(key, n);
	if (t->used * 4 >= t->cap * 3)
		mq_tally_grow(t);
	struct mq_count *c = mq_tally_slot(t->slot, t->cap, key, n);
	if (c->key == NULL) {
		if (t->used >= MQ_TALLY_MAX) {
			t->dropped++;
			return true;
		}
		c->key = xmalloc(n + 1);
		memcpy(c->key, key, n);
		c->key[n] = '\0';
		t->used++;
		c->n++;
		return true;
	}
	c->n++;
	return false;
}

static bool
mq_count_before(const struct mq_count *a, const struct mq_count *b)
{
	return a->n != b->n ? a->n > b->n : strcmp(a->key, b->key) < 0;
}

size_t
mq_tally_top(const struct mq_tally *t, const struct mq_count **out, size_t k)
{
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++) {
		const struct mq_count *c = &t->slot[i];
		if (c->key == NULL)
			continue;
		size_t j = n < k ? n++ : k;
		if (j == k && !mq_count_before(c, out[k - 1]))
			continue;
		if (j == k)
			j = k - 1;
		while (j > 0 && mq_count_before(c, out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = c;
	}
	return n;
}

static void
mq_tally_free(struct mq_tally *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slot[i].key);
	free(t->slot);
	*t = (struct mq_tally){0};
}

void
mq_stats_free(struct mq_stats *st)
{
	mq_tally_free(&st->rcpt_domain);
	mq_tally_free(&st->sender);
	mq_tally_free(&st->sender_domain);
}

/* ---- one message ---- */

/* The domain of an address, lower-cased into buf: what follows the last
 * '@'; "(local)" for a bare local part, as listings show local mail. */
static size_t
mq_domain(const char *addr, size_t n, char *buf, size_t len)
{
	const char *at = memrchr(addr, '@', n);
	const char *d = at ? at + 1 : "(local)";
	size_t dn = at ? n - (size_t)(at + 1 - addr) : strlen(d);
	if (dn == 0)
		d = "(local)", dn = strlen(d);
	if (dn >= len)
		dn = len - 1;
	for (size_t i = 0; i < dn; i++)
		buf[i] = (char)tolower((unsigned char)d[i]);
	buf[dn] = '\0';
	return dn;
}

static void
mq_begin(struct mq_parser *p, enum mq_queue q, const char *sender, size_t n, bool have_time,
         time_t arrival)
{
	struct mq_stats *st = p->st;

	p->in_msg = true;
	p->q = q;
	sb_reset(&p->domains);
	p->ndomains = 0;
	if (p->more_domains.used > 0)
		mq_tally_free(&p->more_domains);
	if (n == 0)
		sender = "<>", n = 2; /* the null sender of bounces */
	mq_tally_add(&st->sender, sender, n);
	if (n == 2 && memcmp(sender, "<>", 2) == 0) {
		mq_tally_add(&st->sender_domain, "<>", 2);
	} else {
		char dom[256];
		size_t dn = mq_domain(sender, n, dom, sizeof dom);
		mq_tally_add(&st->sender_domain, dom, dn);
	}
	if (have_time && (!st->have_oldest || arrival < st->oldest)) {
		st->oldest = arrival;
		st->have_oldest = true;
	}
}

/* A recipient domain counts once per message. Most messages have a few
 * domains, looked up in a short list; past MQ_MSG_DOMAINS the rest go to
 * a table of their own, so a message to 100k domains stays linear. */
#define MQ_MSG_DOMAINS 16
static void
mq_recipient(struct mq_parser *p, const char *addr, size_t n)
{
	char dom[258];
	size_t dn = mq_domain(addr, n, dom, sizeof dom - 1);
	const char *seen = sb_str(&p->domains);

	/* a NUL in the listing would end the entry before its '\n' and the
	 * list walk below would run off it: the domain ends there */
	dn = strnlen(dom, dn);

	dom[dn] = '\n', dom[dn + 1] = '\0';
	for (const char *s = seen; *s; s = strchr(s, '\n') + 1)
		if (strncmp(s, dom, dn + 1) == 0)
			return;
	if (p->ndomains < MQ_MSG_DOMAINS)
		sb_append(&p->domains, dom);
	else if (!mq_tally_add(&p->more_domains, dom, dn))
		return;
	p->ndomains++;
	mq_tally_add(&p->st->rcpt_domain, dom, dn);
}

static void
mq_end_msg(struct mq_parser *p)
{
	if (!p->in_msg)
		return;
	p->st->total++;
	p->st->queue[p->q]++;
	p->in_msg = false;
}

void
mq_parser_init(struct mq_parser *p, enum mq_kind kind, struct mq_stats *st, time_t now)
{
	*p = (struct mq_parser){.kind = kind, .st = st, .now = now};
	*st = (struct mq_stats){0};
}

void
mq_parse_end(struct mq_parser *p)
{
	mq_end_msg(p);
}

static void mq_pf_free(struct mq_pf *x);

void
mq_parser_free(struct mq_parser *p)
{
	sb_free(&p->domains);
	mq_tally_free(&p->more_domains);
	mq_pf_free(p->pf);
	p->pf = NULL;
}

static int
mq_bad_line(const struct mq_parser *p, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "line %lu: %s", p->lineno, what);
	return -1;
}

/* ---- postqueue -j ---- */

static enum mq_queue
mq_postfix_queue(const char *name)
{
	if (strcmp(name, "deferred") == 0)
		return MQ_DEFERRED;
	if (strcmp(name, "active") == 0)
		return MQ_ACTIVE;
	if (strcmp(name, "hold") == 0)
		return MQ_HOLD;
	return MQ_INCOMING; /* incoming, maildrop */
}

/* One line's members as yajl reports them: they come in any order, and
 * of a repeated one the last counts. Depth 1 is the queue file's members,
 * 2 the recipients array, 3 a recipient's members. */
enum mq_pf_key { MQ_PF_OTHER, MQ_PF_QUEUE, MQ_PF_SENDER, MQ_PF_TIME, MQ_PF_RCPTS, MQ_PF_ADDR };
enum mq_pf_type { MQ_PF_STRING, MQ_PF_NUMBER, MQ_PF_ARRAY, MQ_PF_MAP, MQ_PF_SCALAR };

struct mq_pf {
	int depth;
	enum mq_pf_key key; /* of the member whose value comes next */
	bool object, have_queue, have_sender, have_time, have_rcpts, in_rcpts, have_addr;
	double time;
	struct strbuf queue, sender;
	struct strbuf addr;  /* the current recipient's address */
	struct strbuf addrs; /* the recipients so far: a size_t length, then bytes */
};

static void
mq_pf_free(struct mq_pf *x)
{
	if (x == NULL)
		return;
	sb_free(&x->queue);
	sb_free(&x->sender);
	sb_free(&x->addr);
	sb_free(&x->addrs);
	free(x);
}

static void
mq_pf_set(struct strbuf *sb, bool *have, enum mq_pf_type t, const char *s, size_t n)
{
	*have = t == MQ_PF_STRING;
	sb_reset(sb);
	if (*have)
		sb_appendn(sb, s, n);
}

/* Every value passes here first: it is the value of the member whose key
 * came last at its depth (or, at depth 0, the line itself). */
static void
mq_pf_value(struct mq_pf *x, enum mq_pf_type t, const char *s, size_t n, double num)
{
	if (x->depth == 0) {
		x->object = t == MQ_PF_MAP;
	} else if (x->depth == 1) {
		switch (x->key) {
		case MQ_PF_QUEUE: mq_pf_set(&x->queue, &x->have_queue, t, s, n); break;
		case MQ_PF_SENDER: mq_pf_set(&x->sender, &x->have_sender, t, s, n); break;
		case MQ_PF_TIME:
			x->have_time = t == MQ_PF_NUMBER;
			x->time = num;
			break;
		case MQ_PF_RCPTS:
			x->have_rcpts = x->in_rcpts = t == MQ_PF_ARRAY;
			sb_reset(&x->addrs);
			break;
		default: break;
		}
	} else if (x->depth == 2) {
		x->have_addr = false; /* a new element of the recipients */
	} else if (x->depth == 3 && x->in_rcpts && x->key == MQ_PF_ADDR) {
		mq_pf_set(&x->addr, &x->have_addr, t, s, n);
	}
	x->depth += t == MQ_PF_MAP || t == MQ_PF_ARRAY;
}

static int
mq_pf_string(void *ctx, const unsigned char *s, size_t n)
{
	mq_pf_value(ctx, MQ_PF_STRING, (const char *)s, n, 0);
	return 1;
}

static int
mq_pf_integer(void *ctx, long long v)
{
	mq_pf_value(ctx, MQ_PF_NUMBER, NULL, 0, (double)v);
	return 1;
}

static int
mq_pf_double(void *ctx, double v)
{
	mq_pf_value(ctx, MQ_PF_NUMBER, NULL, 0, v);
	return 1;
}

static int
mq_pf_null(void *ctx)
{
	mq_pf_value(ctx, MQ_PF_SCALAR, NULL, 0, 0);
	return 1;
}

static int
mq_pf_bool(void *ctx, int v)
{
	(void)v;
	return mq_pf_null(ctx);
}

static int
mq_pf_start_map(void *ctx)
{
	mq_pf_value(ctx, MQ_PF_MAP, NULL, 0, 0);
	return 1;
}

static int
mq_pf_start_array(void *ctx)
{
	mq_pf_value(ctx, MQ_PF_ARRAY, NULL, 0, 0);
	return 1;
}

static int
mq_pf_map_key(void *ctx, const unsigned char *k, size_t n)
{
	static const struct {
		int depth;
		const char *name;
		enum mq_pf_key key;
	} keys[] = {
	        {1, "queue_name", MQ_PF_QUEUE},  {1, "sender", MQ_PF_SENDER},
	        {1, "arrival_time", MQ_PF_TIME}, {1, "recipients", MQ_PF_RCPTS},
	        {3, "address", MQ_PF_ADDR},
	};
	struct mq_pf *x = ctx;

	x->key = MQ_PF_OTHER;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].depth == x->depth && strlen(keys[i].name) == n &&
		    memcmp(keys[i].name, k, n) == 0)
			x->key = keys[i].key;
	return 1;
}

/* A recipient's map closes: its address, if it had one, is kept. */
static int
mq_pf_end(void *ctx)
{
	struct mq_pf *x = ctx;

	x->depth--;
	if (x->depth == 2 && x->in_rcpts && x->have_addr) {
		size_t n = x->addr.len;
		sb_appendn(&x->addrs, (const char *)&n, sizeof n);
		sb_appendn(&x->addrs, sb_str(&x->addr), n);
		x->have_addr = false;
	} else if (x->depth == 1) {
		x->in_rcpts = false;
	}
	return 1;
}

static const yajl_callbacks mq_pf_callbacks = {
        .yajl_null = mq_pf_null,
        .yajl_boolean = mq_pf_bool,
        .yajl_integer = mq_pf_integer,
        .yajl_double = mq_pf_double,
        .yajl_string = mq_pf_string,
        .yajl_start_map = mq_pf_start_map,
        .yajl_map_key = mq_pf_map_key,
        .yajl_end_map = mq_pf_end,
        .yajl_start_array = mq_pf_start_array,
        .yajl_end_array = mq_pf_end,
};

/* Parses one line into p->pf; 0, or -1 with yajl's reason in why. */
static int
mq_pf_parse(struct mq_parser *p, const char *line, size_t len, char *why, size_t whylen)
{
	struct mq_pf *x = p->pf;
	yajl_handle h = yajl_alloc(&mq_pf_callbacks, NULL, x);

	if (h == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	x->depth = 0, x->key = MQ_PF_OTHER;
	x->object = x->have_queue = x->have_sender = x->have_time = false;
	x->have_rcpts = x->in_rcpts = false;
	sb_reset(&x->addrs);
	yajl_status st = yajl_parse(h, (const unsigned char *)line, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st != yajl_status_ok) {
		unsigned char *e = yajl_get_error(h, 0, NULL, 0);
		const char *t = e ? (const char *)e : "unknown error";
		snprintf(why, whylen, "%.*s", (int)strcspn(t, "\n"), t);
		yajl_free_error(h, e);
	}
	yajl_free(h);
	return st == yajl_status_ok ? 0 : -1;
}

static int
mq_postfix_line(struct mq_parser *p, const char *line, size_t len, char *err, size_t errlen)
{
	char why[160], msg[200];

	if (p->pf == NULL)
		p->pf = xcalloc(1, sizeof *p->pf);
	struct mq_pf *x = p->pf;
	if (mq_pf_parse(p, line, len, why, sizeof why) != 0) {
		snprintf(msg, sizeof msg, "not JSON: %s", why);
		return mq_bad_line(p, err, errlen, msg);
	}
	if (!x->object || !x->have_queue || !x->have_sender || !x->have_time || !x->have_rcpts)
		return mq_bad_line(p, err, errlen,
		                   "a queue file without queue_name, sender, "
		                   "arrival_time or recipients");
	if (!(x->time >= 0 && x->time < 1e11))
		return mq_bad_line(p, err, errlen, "arrival_time is not a time");
	mq_begin(p, mq_postfix_queue(sb_str(&x->queue)), sb_str(&x->sender), x->sender.len,
	         true, (time_t)x->time);
	for (size_t off = 0; off + sizeof(size_t) <= x->addrs.len;) {
		size_t n;
		memcpy(&n, x->addrs.buf + off, sizeof n);
		mq_recipient(p, x->addrs.buf + off + sizeof n, n);
		off += sizeof n + n;
	}
	mq_end_msg(p);
	return 0;
}

/* ---- exim -bpr ---- */

static int
mq_b62(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	return -1;
}

static bool
mq_b62_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (mq_b62((unsigned char)s[i]) < 0)
			return false;
	return true;
}

long long
mq_exim_id_time(const char *id, size_t len)
{
	bool old = len == 16 && id[6] == '-' && id[13] == '-' && mq_b62_run(id + 7, 6) &&
	           mq_b62_run(id + 14, 2);
	bool new = len == 23 && id[6] == '-' && id[18] == '-' && mq_b62_run(id + 7, 11) &&
	           mq_b62_run(id + 19, 4);
	if (!(old || new) || !mq_b62_run(id, 6))
		return -1;
	long long t = 0;
	for (size_t i = 0; i < 6; i++)
		t = t * 62 + mq_b62((unsigned char)id[i]);
	return t;
}

/* Splits the next space-separated word off *s (n bytes left). */
static bool
mq_word(const char **s, size_t *n, const char **w, size_t *wn)
{
	while (*n > 0 && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	*w = *s;
	while (*n > 0 && !isspace((unsigned char)**s))
		(*s)++, (*n)--;
	*wn = (size_t)(*s - *w);
	return *wn > 0;
}

static bool
mq_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* " 25h  2.9K 1rBvFb-00000000Hz4-0AbC <bob@example.net> *** frozen ***" */
static int
mq_exim_header(struct mq_parser *p, const char *s, size_t n, char *err, size_t errlen)
{
	const char *age, *size, *id, *snd;
	size_t an, sn, in, dn;

	if (!mq_word(&s, &n, &age, &an) || !mq_word(&s, &n, &size, &sn) ||
	    !mq_word(&s, &n, &id, &in) || !mq_word(&s, &n, &snd, &dn) || dn < 2 ||
	    snd[0] != '<' || snd[dn - 1] != '>')
		return mq_bad_line(p, err, errlen, "not an exim -bp message line");
	long long t = mq_exim_id_time(id, in);
	if (t < 0)
		return mq_bad_line(p, err, errlen, "not an Exim message id");
	bool frozen = memmem(s, n, "*** frozen ***", 14) != NULL;
	mq_begin(p, frozen ? MQ_HOLD : MQ_DEFERRED, snd + 1, dn - 2, true, (time_t)t);
	return 0;
}

/* Exim right-aligns the age ("0m", "25h", "3d"), so a header line may
 * start with spaces too: it is the line whose first word is an age. */
static bool
mq_exim_is_header(const char *s, size_t n)
{
	const char *w;
	size_t wn;
	if (!mq_word(&s, &n, &w, &wn) || wn < 2 ||
	    (w[wn - 1] != 'm' && w[wn - 1] != 'h' && w[wn - 1] != 'd'))
		return false;
	for (size_t i = 0; i + 1 < wn; i++)
		if (!isdigit((unsigned char)w[i]))
			return false;
	return true;
}

static int
mq_exim_line(struct mq_parser *p, const char *s, size_t n, char *err, size_t errlen)
{
	const char *w;
	size_t wn;

	if (mq_blank(s, n)) {
		mq_end_msg(p);
		return 0;
	}
	if (mq_exim_is_header(s, n)) {
		mq_end_msg(p);
		return mq_exim_header(p, s, n, err, errlen);
	}
	const char *rest = s;
	size_t rn = n;
	mq_word(&rest, &rn, &w, &wn);
	/* What Exim prints for a message it cannot read: the id alone, then
	 * "*** spool read error: REASON ***". */
	if (mq_exim_id_time(w, wn) >= 0 && mq_blank(rest, rn))
		return 0;
	if (wn == 3 && memcmp(w, "***", 3) == 0) {
		char msg[200];
		while (rn > 0 && isspace((unsigned char)*rest))
			rest++, rn--;
		while (rn > 0 && (rest[rn - 1] == '*' || isspace((unsigned char)rest[rn - 1])))
			rn--;
		snprintf(msg, sizeof msg, "Exim cannot read the spool (%.*s)", (int)rn, rest);
		return mq_bad_line(p, err, errlen, msg);
	}
	if (!p->in_msg || !isspace((unsigned char)s[0]))
		return mq_bad_line(p, err, errlen, "not an exim -bp message or recipient line");
	mq_word(&s, &n, &w, &wn);
	if ((wn == 1 && w[0] == 'D') || (wn == 2 && memcmp(w, "+D", 2) == 0))
		return 0; /* delivered already */
	mq_recipient(p, w, wn);
	return 0;
}

/* ---- sendmail-compatible mailq ---- */

static bool
mq_digits(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)w[i]))
			return false;
	return n > 0;
}

static bool
mq_is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(w, lit, n) == 0;
}

static int
mq_month(const char *w, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; n == 3 && i < 12; i++)
		if (memcmp(w, months + 3 * i, 3) == 0)
			return i;
	return -1;
}

/* "Mmm DD HH:MM[:SS]" in local time, without a year: this year, or last
 * year when that would put it more than a day ahead of now. */
static bool
mq_mailq_time(const struct mq_parser *p, const char **s, size_t *n, time_t *out)
{
	const char *mon, *day, *hms;
	size_t mn, dn, hn;
	struct tm tm;
	int d, h, mi, sec = 0;
	char buf[32];

	if (!mq_word(s, n, &mon, &mn) || !mq_word(s, n, &day, &dn) ||
	    !mq_word(s, n, &hms, &hn) || mq_month(mon, mn) < 0 || hn >= sizeof buf)
		return false;
	memcpy(buf, hms, hn);
	buf[hn] = '\0';
	if (sscanf(buf, "%d:%d:%d", &h, &mi, &sec) < 2 || dn > 2 || !mq_digits(day, dn))
		return false;
	d = dn == 1 ? day[0] - '0' : (day[0] - '0') * 10 + day[1] - '0';
	localtime_r(&p->now, &tm);
	for (int back = 0; back < 2; back++) {
		struct tm t = {.tm_year = tm.tm_year - back,
		               .tm_mon = mq_month(mon, mn),
		               .tm_mday = d,
		               .tm_hour = h,
		               .tm_min = mi,
		               .tm_sec = sec,
		               .tm_isdst = -1};
		*out = mktime(&t);
		if (*out != (time_t)-1 && *out <= p->now + 86400)
			return true;
	}
	return false;
}

/* "A1B2C3D4E5*  312 Thu Dec  3 13:17:11  bob@example.net" */
static int
mq_mailq_header(struct mq_parser *p, const char *s, size_t n, char *err, size_t errlen)
{
	const char *id, *size, *wday, *snd;
	size_t in, sn, wn, dn;
	time_t t;

	if (!mq_word(&s, &n, &id, &in) || !mq_word(&s, &n, &size, &sn) ||
	    !mq_digits(size, sn) || !mq_word(&s, &n, &wday, &wn) || wn != 3 ||
	    !mq_mailq_time(p, &s, &n, &t))
		return mq_bad_line(p, err, errlen, "not a mailq message line");
	if (!mq_word(&s, &n, &snd, &dn))
		snd = "", dn = 0;
	if (dn >= 2 && snd[0] == '<' && snd[dn - 1] == '>')
		snd++, dn -= 2;
	if (mq_is(snd, dn, "MAILER-DAEMON"))
		dn = 0;
	enum mq_queue q = MQ_DEFERRED;
	if (id[in - 1] == '*')
		q = MQ_ACTIVE;
	else if (id[in - 1] == '!')
		q = MQ_HOLD;
	mq_begin(p, q, snd, dn, true, t);
	return 0;
}

static int
mq_mailq_line(struct mq_parser *p, const char *s, size_t n, char *err, size_t errlen)
{
	const char *w, *rest = s;
	size_t wn, rn = n;

	if (mq_blank(s, n)) {
		mq_end_msg(p);
		return 0;
	}
	mq_word(&rest, &rn, &w, &wn);
	/* Column titles, "-- 3 Kbytes in 2 Requests.", delay reasons in
	 * parentheses, sendmail's queue directory and total lines. */
	if (w[0] == '-' || w[0] == '(' || mq_is(w, wn, "Mail") || mq_is(w, wn, "Total") ||
	    w[0] == '/')
		return 0;
	if (!isspace((unsigned char)s[0])) {
		mq_end_msg(p);
		return mq_mailq_header(p, s, n, err, errlen);
	}
	if (p->in_msg) {
		if (wn >= 2 && w[0] == '<' && w[wn - 1] == '>')
			w++, wn -= 2;
		mq_recipient(p, w, wn);
	}
	return 0;
}

int
mq_parse_line(struct mq_parser *p, const char *line, size_t len, char *err, size_t errlen)
{
	p->lineno++;
	switch (p->kind) {
	case MQ_POSTFIX:
		return mq_blank(line, len) ? 0 : mq_postfix_line(p, line, len, err, errlen);
	case MQ_EXIM: return mq_exim_line(p, line, len, err, errlen);
	case MQ_SENDMAIL: return mq_mailq_line(p, line, len, err, errlen);
	}
	return mq_bad_line(p, err, errlen, "unknown queue listing");
}
