#include "mailq.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

void
mq_parser_free(struct mq_parser *p)
{
	sb_free(&p->domains);
	mq_tally_free(&p->more_domains);
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

static int
mq_postfix_line(struct mq_parser *p, const char *line, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, 0, &je);
	const char *qn = json_string_value(json_object_get(o, "queue_name"));
	const char *sender = json_string_value(json_object_get(o, "sender"));
	json_t *at = json_object_get(o, "arrival_time");
	json_t *rc = json_object_get(o, "recipients");
	int ret = 0;

	if (o == NULL) {
		char msg[200];
		snprintf(msg, sizeof msg, "not JSON: %s", je.text);
		ret = mq_bad_line(p, err, errlen, msg);
	} else if (!json_is_object(o) || qn == NULL || sender == NULL || !json_is_number(at) ||
	           !json_is_array(rc)) {
		ret = mq_bad_line(p, err, errlen,
		                  "a queue file without queue_name, sender, "
		                  "arrival_time or recipients");
	} else if (!(json_number_value(at) >= 0 && json_number_value(at) < 1e11)) {
		ret = mq_bad_line(p, err, errlen, "arrival_time is not a time");
	} else {
		mq_begin(p, mq_postfix_queue(qn), sender,
		         json_string_length(json_object_get(o, "sender")), true,
		         (time_t)json_number_value(at));
		size_t i;
		json_t *r;
		json_array_foreach(rc, i, r)
		{
			json_t *a = json_object_get(r, "address");
			if (json_is_string(a))
				mq_recipient(p, json_string_value(a), json_string_length(a));
		}
		mq_end_msg(p);
	}
	json_decref(o);
	return ret;
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
