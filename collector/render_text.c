/* Small outputs for scripts and READMEs: status.txt (the table, open
 * incidents, maintenance and recent notices as plain text, for curl and
 * less) and badges: shields.io
 * "endpoint" JSON and a self-contained SVG, for the page and each system.
 * Text is cleaned like everywhere else, so a plugin's output cannot send
 * terminal escape sequences through status.txt. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "render_int.h"

#define TXT_NOTICES 10

/* Appends s cleaned and padded with spaces to width characters. */
static void
txt_cell(struct strbuf *sb, const char *s, size_t width)
{
	struct strbuf c = STRBUF_INIT;
	size_t chars = 0;

	esc_clean(&c, s ? s : "");
	for (size_t i = 0; i < c.len; i++)
		chars += ((unsigned char)c.buf[i] & 0xC0) != 0x80;
	sb_append(sb, sb_str(&c));
	for (; chars < width; chars++)
		sb_appendc(sb, ' ');
	sb_free(&c);
}

static void
txt_table(struct render_ctx *c, struct strbuf *sb)
{
	size_t wloc = 4, wid = 6;

	for (size_t i = 0; i < c->v->nsystems; i++) {
		const struct system_view *s = &c->v->systems[i];
		size_t l = nz(s->location) ? strlen(nz(s->location)) : 0, d = strlen(s->id);
		wloc = l > wloc && l < 40 ? l : wloc;
		wid = d > wid && d < 20 ? d : wid;
	}
	txt_cell(sb, "Loc.", wloc + 2);
	txt_cell(sb, "System", wid + 2);
	sb_append(sb, "Status        Ping\n");
	for (size_t i = 0; i < c->v->nsystems; i++) {
		const struct system_view *s = &c->v->systems[i];
		char rtt[32];
		fmt_rtt(rtt, sizeof rtt, s->rtt_ms);
		txt_cell(sb, nz(s->location), wloc + 2);
		txt_cell(sb, s->id, wid + 2);
		txt_cell(sb, status_label(sys_shown_status(s)), 14);
		sb_append(sb, s->ping == PING_UP     ? "Up"
		              : s->ping == PING_DOWN ? "Down"
		                                     : "Unknown");
		if (!sys_internal(s) && rtt[0] != '\0')
			sb_appendf(sb, " (%s)", rtt);
		sb_append(sb, "\n");
	}
}

/* An incident not yet resolved, which a reader during an outage wants
 * before anything else. */
static bool
txt_incident_open(const struct event_group *g)
{
	return g->incident && !g->maintenance &&
	       (g->status == GS_INVESTIGATING || g->status == GS_IDENTIFIED ||
	        g->status == GS_MONITORING);
}

/* "  NC036: Server down - Monitoring - since 3 December 2026 ..." for each
 * open incident (maint false) or current maintenance (maint true), under
 * its heading, with the address of its latest notice. */
static void
txt_open_groups(struct render_ctx *c, struct strbuf *sb, bool maint)
{
	char when[FMT_TIME_MAX];

	for (size_t g = 0, shown = 0; g < c->ngroups; g++) {
		const struct event_group *eg = &c->groups[g];
		const struct notice_view *first = &c->v->notices[eg->idx[0]];
		if (!(maint ? group_is_current_maintenance(c, eg) : txt_incident_open(eg)))
			continue;
		sb_append(sb, shown++ ? ""
		              : maint ? "\nMaintenance:\n"
		                      : "\nOpen incidents:\n");
		sb_append(sb, "  ");
		esc_clean(sb, first->title);
		sb_appendf(sb, " - %s", group_status_label(eg->status));
		if (!maint || eg->starts != 0) {
			fmt_time_human(when, sizeof when,
			               eg->starts != 0 ? eg->starts : first->posted);
			sb_appendf(sb, " - %s %s", maint ? "from" : "since", when);
		}
		sb_appendf(sb, "\n    %snotices/%lld.html\n", c->base,
		           (long long)c->v->notices[eg->idx[eg->n - 1]].id);
	}
}

static void
txt_notices(struct render_ctx *c, struct strbuf *sb)
{
	char when[FMT_TIME_MAX];

	txt_open_groups(c, sb, false);
	txt_open_groups(c, sb, true);
	sb_append(sb, "\nRecent notices:\n");
	for (size_t i = 0; i < c->v->nnotices && i < TXT_NOTICES; i++) {
		const struct notice_view *n = &c->v->notices[i];
		fmt_time_human(when, sizeof when, n->posted);
		sb_appendf(sb, "  %s  ", when);
		esc_clean(sb, n->title);
		sb_appendf(sb, "\n    %snotices/%lld.html\n", c->base, (long long)n->id);
	}
	if (c->v->nnotices == 0)
		sb_append(sb, "  none\n");
}

static int
txt_status(struct render_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	const struct overall *o = &c->overall;
	char when[FMT_TIME_MAX];

	fmt_time_human(when, sizeof when, c->v->generated);
	esc_clean(&sb, c->v->site.title ? c->v->site.title : "System Status");
	if (c->v->site.name) {
		sb_append(&sb, " - ");
		esc_clean(&sb, c->v->site.name);
	}
	sb_appendf(&sb, "\n%s\nLast updated %s\n\n", o->description, when);
	txt_table(c, &sb);
	txt_notices(c, &sb);
	return rctx_write(c, "status.txt", &sb);
}

/* shields.io's named colours for each status. */
static const char *
badge_color(enum sys_status s)
{
	static const char *const col[] = {"brightgreen", "yellow",    "orange",   "red",
	                                  "blue",        "lightgrey", "lightgrey"};
	return (unsigned)s < sizeof col / sizeof col[0] ? col[s] : "lightgrey";
}

static const char *
badge_hex(enum sys_status s)
{
	static const char *const col[] = {"#1a7f37", "#9a6700", "#bc4c00", "#d1242f",
	                                  "#0969da", "#59636e", "#59636e"};
	return (unsigned)s < sizeof col / sizeof col[0] ? col[s] : "#59636e";
}

/* A flat badge, "label | message", sized by a fixed per-character width
 * (no font metrics are available offline); text in an SVG <title> too. */
static void
badge_svg(struct strbuf *sb, const char *label, const char *msg, enum sys_status s)
{
	struct strbuf l = STRBUF_INIT;
	size_t lw, mw;

	esc_clean(&l, label);
	lw = 10 + 7 * strlen(sb_str(&l));
	mw = 10 + 7 * strlen(msg);
	sb_appendf(sb,
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"20\" "
	           "role=\"img\""
	           " aria-label=\"",
	           lw + mw);
	esc_markup(sb, label);
	sb_appendf(sb, ": %s\">\n<title>", msg);
	esc_markup(sb, label);
	sb_appendf(sb,
	           ": %s</title>\n<rect width=\"%zu\" height=\"20\" fill=\"#555\"/>\n"
	           "<rect x=\"%zu\" width=\"%zu\" height=\"20\" fill=\"%s\"/>\n"
	           "<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
	           "font-size=\"11\">\n"
	           "<text x=\"5\" y=\"14\">",
	           msg, lw, lw, mw, badge_hex(s));
	esc_markup(sb, label);
	sb_appendf(sb, "</text>\n<text x=\"%zu\" y=\"14\">%s</text>\n</g>\n</svg>\n", lw + 5,
	           msg);
	sb_free(&l);
}

/* dir is "" or "systems/NC036/" (a file path). */
static int
badge_pair(struct render_ctx *c, const char *dir, const char *label, const char *msg,
           enum sys_status s)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	char *clean = esc_clean_dup(label), *text;
	json_t *j;
	int rc = -1;

	j = json_pack("{s:i, s:s, s:s, s:s}", "schemaVersion", 1, "label", clean, "message",
	              msg, "color", badge_color(s));
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	free(clean);
	if (text == NULL)
		return rctx_fail(c, "%sbadge.json: building the JSON failed", dir);
	sb_appendf(&sb, "%s\n", text);
	free(text);
	sb_appendf(&path, "%sbadge.json", dir);
	if (rctx_write(c, sb_str(&path), &sb) == 0) {
		badge_svg(&sb, label, msg, s);
		sb_reset(&path);
		sb_appendf(&path, "%sbadge.svg", dir);
		rc = rctx_write(c, sb_str(&path), &sb);
	}
	sb_free(&path);
	return rc;
}

int
render_text(struct render_ctx *c)
{
	const struct overall *o = &c->overall;

	if (txt_status(c) != 0 || badge_pair(c, "", "status", o->description, o->worst) != 0)
		return -1;
	for (size_t i = 0; i < c->v->nsystems; i++) {
		struct strbuf dir = STRBUF_INIT;
		enum sys_status st;
		int rc;
		sb_appendf(&dir, "systems/%s/", c->sys_slug[i]);
		st = sys_shown_status(&c->v->systems[i]);
		rc = badge_pair(c, sb_str(&dir), c->v->systems[i].id, status_label(st), st);
		sb_free(&dir);
		if (rc != 0)
			return -1;
	}
	return 0;
}
