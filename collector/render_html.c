/* The HTML pages: index.html, notices/ID.html, archive/, tags/ and
 * systems/ID/. Plain HTML5 that is also well-formed XML (every element
 * closed, no named entities), one small embedded stylesheet, an inline
 * favicon, and one optional inline script that adds the reader's local
 * time (the page is complete without it).
 * Links are relative ("../" per level), so the site works from any path
 * and from file://. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "render_int.h"
#include "render_md.h"

/* Kept free of '<' and '&' so the page stays well-formed XML. */
static const char css[] =
        ":root{--bg:#fff;--fg:#1f2328;--mute:#59636e;--line:#d1d9e0;--card:#f6f8fa;"
        "--ok:#1a7f37;--warn:#9a6700;--bad:#d1242f;--maint:#0969da;--int:#59636e}\n"
        "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9198a1;"
        "--line:#3d444d;--card:#151b23;--ok:#3fb950;--warn:#d29922;--bad:#f85149;"
        "--maint:#4493f8;--int:#9198a1}}\n"
        "body{margin:0 auto;max-width:60rem;padding:0 1rem 2rem;font:1rem/1.5 system-ui,"
        "sans-serif;background:var(--bg);color:var(--fg)}\n"
        "a{color:var(--maint)}h1{margin:.2rem 0}header .org{margin:1rem 0 0}\n"
        "table{border-collapse:collapse;width:100%}.scroll{overflow-x:auto}\n"
        "th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);"
        "vertical-align:top}\n"
        ".uptime td{text-align:right;font-variant-numeric:tabular-nums}"
        ".uptime td[colspan]{text-align:left}\n"
        ".st{font-weight:600;white-space:nowrap}.st-operational{color:var(--ok)}"
        ".st-degraded,.st-partial{color:var(--warn)}.st-major{color:var(--bad)}"
        ".st-maintenance{color:var(--maint)}.st-internal,.st-unknown{color:var(--int)}\n"
        ".overall{padding:.6rem 1rem;border-left:.4rem solid currentColor;"
        "background:var(--card);font-weight:600}\n"
        ".maint{border:2px solid var(--maint);border-radius:.4rem;padding:0 1rem;margin:1rem "
        "0}\n"
        ".notice{border-top:1px solid var(--line);padding:.3rem 0}.notice h3{margin:.4rem 0 "
        "0}\n"
        ".meta,.tags,.note,footer{color:var(--mute);font-size:.9rem}\n"
        ".badge{border:1px solid currentColor;border-radius:1rem;padding:0 .5rem;"
        "font-size:.85rem;white-space:nowrap}\n"
        "pre{overflow-x:auto;background:var(--card);padding:.5rem}"
        "code{overflow-wrap:anywhere}\n"
        ".days{display:block;width:100%;min-width:8rem;height:1.5rem}"
        ".days path{fill:none;stroke-width:10;stroke-dasharray:3 1}.d-ok{stroke:var(--ok)}"
        ".d-warn{stroke:var(--warn)}.d-bad{stroke:var(--bad)}.d-none{stroke:var(--line)}\n"
        ".notice .meta{margin:.2rem 0}.uptime th,.uptime small{white-space:nowrap}"
        ".fig td{border-bottom:0;padding-bottom:0}\n"
        ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\n"
        "nav ul{padding-left:1.2rem}footer{border-top:1px solid var(--line);margin-top:2rem}\n"
        ".pin{border-left:.4rem solid var(--bad);background:var(--card);padding:.1rem 1rem;"
        "margin:.8rem 0}.pin-maint{border-left-color:var(--maint)}.pin h3{margin:.4rem 0 0}\n"
        ".rtt,.lt{color:var(--mute);white-space:nowrap}td small,th small{font-size:.8rem}\n"
        ".loc2{display:none;font-weight:400;color:var(--mute)}\n"
        ".dd summary{color:var(--mute);font-size:.85rem;cursor:pointer}"
        ".dd ul{margin:.2rem 0;padding-left:1rem;font-size:.85rem}\n"
        ".scroll:focus-visible,summary:focus-visible{outline:2px solid var(--maint)}\n"
        "@media (max-width:30rem){body{padding:0 .5rem}th,td{padding:.25rem}"
        "h1{font-size:1.3rem}h2{font-size:1.1rem;margin:.6rem 0 "
        ".3rem}h3{font-size:1rem}h4{font-size:.95rem}"
        "header p{margin:.2rem 0}"
        "header .org{margin:.4rem 0 0}.overall{padding:.3rem .6rem;margin:.5rem 0}"
        ".pin{padding:0 .6rem;margin:.4rem 0}.pin p{margin:.2rem 0}.pin h3{font-size:1rem}"
        ".pin,.glance,.uptime{font-size:.85rem}.rtt{display:block}.uptime "
        "small{white-space:normal}"
        ".glance td.loc,.glance thead th:first-child{display:none}"
        ".glance .loc2{display:block}.glance td{white-space:nowrap}}\n"
        "@media print{:root{--bg:#fff;--fg:#000;--card:#fff}.scroll{overflow:visible}"
        "a{color:inherit}.pin{border:1px solid #000}}\n";

/* The reader's own time beside each UTC time, for readers outside UTC.
 * The page is complete without it (every time is written out in UTC);
 * kept free of '<' and '&' like the stylesheet. */
static const char local_time_js[] =
        "(function(){if(!new Date().getTimezoneOffset())return;"
        "document.querySelectorAll('time[datetime]').forEach(function(t){"
        "var d=new Date(t.getAttribute('datetime'));if(isNaN(d))return;"
        "var s=document.createElement('small');s.className='lt';"
        "s.textContent=' ('+d.toLocaleString(undefined,{dateStyle:'medium',"
        "timeStyle:'short'})+' your time)';t.after(s);});})();\n";

/* The favicon, inline so no page load ends in a 404 and no request is
 * made for it; a dot in the colour of the overall status. Percent-encoded:
 * '<' may not appear in an attribute of a well-formed page. */
static void
html_favicon(struct strbuf *sb, enum sys_status worst)
{
	static const char *const fill[] = {"1a7f37", "9a6700", "9a6700", "d1242f",
	                                   "0969da", "59636e", "59636e"};

	sb_appendf(sb,
	           "<link rel=\"icon\" href=\"data:image/svg+xml,%%3Csvg "
	           "xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%%3E%%3Ccircle "
	           "cx='8' cy='8' r='7' fill='%%23%s'/%%3E%%3C/svg%%3E\"/>\n",
	           fill[(unsigned)worst < sizeof fill / sizeof fill[0] ? worst : SYS_UNKNOWN]);
}

/* A glyph beside each status, so it is told by shape too, not only by
 * colour (WCAG 1.4.1); the text label is always there as well. */
static const char *
status_glyph(enum sys_status s)
{
	static const char *const g[] = {"\xE2\x9C\x94",
	                                "\xE2\x96\xB2",
	                                "\xE2\x96\xB2",
	                                "\xE2\x9C\x96",
	                                "\xE2\x97\x86",
	                                "\xE2\x97\x8B",
	                                "?"};
	return (unsigned)s < sizeof g / sizeof g[0] ? g[s] : "?";
}

static void
H(struct strbuf *sb, const char *s)
{
	esc_markup(sb, s);
}

static void
html_time(struct strbuf *sb, time_t t)
{
	char iso[FMT_TIME_MAX], human[FMT_TIME_MAX];

	fmt_time_iso(iso, sizeof iso, t);
	fmt_time_human(human, sizeof human, t);
	sb_appendf(sb, "<time datetime=\"%s\">%s</time>", iso, human);
}

static void
html_status(struct strbuf *sb, enum sys_status s)
{
	sb_appendf(sb,
	           "<span class=\"st st-%s\"><span aria-hidden=\"true\">%s </span>%s</span>",
	           sys_status_name(s), status_glyph(s), status_label(s));
}

static void
html_sys_dir(struct render_ctx *c, struct strbuf *sb, size_t i)
{
	sb_append(sb, "systems/");
	esc_url_segment(sb, c->sys_slug[i]);
	sb_append(sb, "/");
}

static void
html_tag_href(struct render_ctx *c, struct strbuf *sb, const char *root, size_t t)
{
	sb_appendf(sb, "%stags/", root);
	esc_url_segment(sb, c->tags[t].slug);
	sb_append(sb, "/index.html");
}

/* Head and masthead. feed, when set, names a per-system feed directory
 * ("systems/NC036/") offered as the page's own alternate. */
static void
page_begin(struct render_ctx *c, struct strbuf *sb, const char *title, const char *root,
           const char *feed)
{
	const struct site_info *s = &c->v->site;
	const char *site = s->title ? s->title : "System Status";
	const struct overall *o = &c->overall;

	sb_append(sb,
	          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	          "<title>");
	H(sb, title);
	sb_append(sb, "</title>\n");
	html_favicon(sb, o->worst);
	for (int pass = 0; pass < (feed ? 2 : 1); pass++) {
		const char *dir = pass ? feed : "";
		sb_appendf(sb,
		           "<link rel=\"alternate\" type=\"application/atom+xml\" "
		           "href=\"%s%sfeed.atom\" title=\"",
		           root, dir);
		H(sb, pass ? title : site);
		sb_appendf(sb,
		           " (Atom)\"/>\n<link rel=\"alternate\" type=\"application/rss+xml\" "
		           "href=\"%s%sfeed.rss\" title=\"",
		           root, dir);
		H(sb, pass ? title : site);
		sb_append(sb, " (RSS)\"/>\n");
	}
	sb_appendf(
	        sb,
	        "<link rel=\"alternate\" type=\"application/json\" href=\"%sstatus.json\"/>\n",
	        root);
	/* the style sheet is long: copied, not formatted */
	sb_append(sb, "<style>\n");
	sb_append(sb, css);
	sb_appendf(sb,
	           "</style>\n</head>\n<body>\n<header>\n<p class=\"org\"><a "
	           "href=\"%sindex.html\">",
	           root);
	H(sb, s->name ? s->name : site);
	sb_append(sb, "</a></p>\n<h1>");
	H(sb, site);
	sb_append(sb, "</h1>\n");
	if (s->description != NULL) {
		sb_append(sb, "<p>");
		H(sb, s->description);
		sb_append(sb, "</p>\n");
	}
	sb_append(sb, "</header>\n<main>\n");
}

/* The footer. updated: when the page's content last changed, the render
 * itself for pages with live state (the index, a system's page). */
static void
page_end(struct render_ctx *c, struct strbuf *sb, const char *root, time_t updated)
{
	const struct site_info *s = &c->v->site;

	sb_append(sb, "</main>\n<footer>\n<p>Last updated ");
	html_time(sb, updated);
	sb_append(sb, ".");
	if (s->tz_note != NULL) {
		sb_append(sb, " ");
		H(sb, s->tz_note);
	}
	sb_appendf(sb,
	           "</p>\n<p>Subscribe: <a href=\"%sfeed.rss\">RSS</a>, <a "
	           "href=\"%sfeed.atom\">Atom</a>,"
	           " <a href=\"%sstatus.json\">JSON</a>, <a "
	           "href=\"%sapi/v2/summary.json\">Statuspage API</a>."
	           " <a href=\"%sarchive/index.html\">Archives</a>, <a "
	           "href=\"%stags/index.html\">tags</a>.</p>\n",
	           root, root, root, root, root, root);
	for (size_t i = 0; i < s->nfooter; i++) {
		sb_append(sb, i ? " | " : "<p>");
		if (esc_url_is_safe(s->footer[i].url)) {
			sb_append(sb, "<a href=\"");
			H(sb, s->footer[i].url);
			sb_append(sb, "\">");
			H(sb, s->footer[i].text);
			sb_append(sb, "</a>");
		} else {
			H(sb, s->footer[i].text);
		}
		if (i + 1 == s->nfooter)
			sb_append(sb, "</p>\n");
	}
	sb_appendf(sb, "</footer>\n<script>\n%s</script>\n</body>\n</html>\n", local_time_js);
}

static void
html_notice_href(struct strbuf *sb, const char *root, const struct notice_view *n)
{
	sb_appendf(sb, "%snotices/%lld.html", root, (long long)n->id);
}

/* "From <time> to <time> (6 minutes)" or "Starts <time>". */
static void
html_window(struct strbuf *sb, const struct notice_view *n, const struct event_group *g)
{
	char dur[64];

	if (n->starts == 0)
		return;
	sb_append(sb, "<p class=\"meta\">");
	if (n->ends != 0 && n->ends >= n->starts) {
		fmt_duration(dur, sizeof dur, (long long)(n->ends - n->starts));
		sb_append(sb, g->maintenance ? "Window: " : "From ");
		html_time(sb, n->starts);
		sb_append(sb, " to ");
		html_time(sb, n->ends);
		sb_appendf(sb, " (%s)", dur);
	} else {
		sb_append(sb, g->maintenance ? "Starts " : "Since ");
		html_time(sb, n->starts);
	}
	sb_append(sb, "</p>\n");
}

static void
html_tags(struct render_ctx *c, struct strbuf *sb, size_t i, const char *root)
{
	const struct notice_view *n = &c->v->notices[i];

	if (n->ntags == 0)
		return;
	sb_append(sb, "<p class=\"tags\">Tags: ");
	for (size_t t = 0; t < n->ntags; t++) {
		sb_append(sb, t ? ", <a rel=\"tag\" href=\"" : "<a rel=\"tag\" href=\"");
		html_tag_href(c, sb, root, c->ntag[i][t]);
		sb_append(sb, "\">");
		H(sb, n->tags[t]);
		sb_append(sb, "</a>");
	}
	sb_append(sb, "</p>\n");
}

/* The status after this notice within its incident or maintenance. */
static enum group_status
notice_step(struct render_ctx *c, size_t i, const struct event_group **gp)
{
	const struct event_group *g = &c->groups[c->notice_group[i]];

	*gp = g;
	for (size_t k = 0; k < g->n; k++)
		if (g->idx[k] == i)
			return g->step[k];
	return g->status;
}

/* One notice as an <article>: title (a link unless this is its own page),
 * time, state, window, body, tags. */
static int
html_notice(struct render_ctx *c, struct strbuf *sb, size_t i, const char *root, bool own)
{
	const struct notice_view *n = &c->v->notices[i];
	const struct event_group *g;
	enum group_status st = notice_step(c, i, &g);
	const char *h = own ? "h2" : "h3";

	sb_appendf(sb, "<article class=\"notice k-%s\" id=\"n%lld\">\n<%s>",
	           notice_kind_name(n->kind), (long long)n->id, h);
	if (!own) {
		sb_append(sb, "<a href=\"");
		html_notice_href(sb, root, n);
		sb_append(sb, "\">");
	}
	H(sb, n->title ? n->title : "(untitled)");
	sb_appendf(sb, "%s</%s>\n<p class=\"meta\">", own ? "" : "</a>", h);
	html_time(sb, n->posted);
	if (g->incident)
		sb_appendf(sb, " <span class=\"badge\">%s</span>", group_status_label(st));
	sb_append(sb, "</p>\n");
	html_window(sb, n, g);
	sb_append(sb, "<div class=\"body\">\n");
	if (md_to_html_under(sb, n->body, own ? 2 : 3) != 0)
		return rctx_fail(c, "notice %lld: Markdown conversion failed",
		                 (long long)n->id);
	sb_append(sb, "</div>\n");
	html_tags(c, sb, i, root);
	sb_append(sb, "</article>\n");
	return 0;
}

static int
html_notice_list(struct render_ctx *c, struct strbuf *sb, const size_t *idx, size_t n,
                 const char *root)
{
	if (n == 0)
		sb_append(sb, "<p>No notices.</p>\n");
	for (size_t k = 0; k < n; k++)
		if (html_notice(c, sb, idx[k], root, false) != 0)
			return -1;
	return 0;
}

static void
html_overall(struct render_ctx *c, struct strbuf *sb)
{
	const struct overall *o = &c->overall;

	sb_appendf(sb,
	           "<p class=\"overall st-%s\" role=\"status\"><span aria-hidden=\"true\">%s "
	           "</span>%s</p>\n",
	           sys_status_name(o->worst), status_glyph(o->worst), o->description);
}

/* What a reader came for during an outage: an incident not yet resolved,
 * or a maintenance upcoming or under way. */
static bool
group_is_open(const struct render_ctx *c, const struct event_group *g)
{
	if (g->maintenance)
		return group_is_current_maintenance(c, g);
	return g->incident && (g->status == GS_INVESTIGATING || g->status == GS_IDENTIFIED ||
	                       g->status == GS_MONITORING);
}

/* One open incident or maintenance: its first title, its state, since
 * when (or its window), and its latest update in full. */
static int
html_pinned_item(struct render_ctx *c, struct strbuf *sb, const struct event_group *eg)
{
	const struct notice_view *first = &c->v->notices[eg->idx[0]];
	const struct notice_view *last = &c->v->notices[eg->idx[eg->n - 1]];
	char dur[64];

	sb_appendf(sb, "<article class=\"pin %s\">\n<h3><a href=\"",
	           eg->maintenance ? "pin-maint" : "pin-inc");
	html_notice_href(sb, "", last);
	sb_append(sb, "\">");
	H(sb, first->title ? first->title : "(untitled)");
	sb_appendf(sb, "</a></h3>\n<p class=\"meta\"><span class=\"badge\">%s</span> ",
	           group_status_label(eg->status));
	if (eg->maintenance && eg->starts != 0) {
		sb_append(sb, eg->starts > c->v->generated ? "Starts " : "Started ");
		html_time(sb, eg->starts);
		if (eg->ends > eg->starts) {
			fmt_duration(dur, sizeof dur, (long long)(eg->ends - eg->starts));
			sb_append(sb, ", ends ");
			html_time(sb, eg->ends);
			sb_appendf(sb, " (%s)", dur);
		}
	} else {
		sb_append(sb, "Since ");
		html_time(sb, eg->starts != 0 ? eg->starts : first->posted);
	}
	sb_append(sb, "</p>\n");
	/* The latest update in full, dated when it is not the first: what a
	 * maintenance is for, or where an incident stands. */
	if (last != first) {
		sb_append(sb, "<p class=\"meta\">Update ");
		html_time(sb, last->posted);
		sb_append(sb, ": ");
		H(sb, last->title ? last->title : "(untitled)");
		sb_append(sb, "</p>\n");
	}
	sb_append(sb, "<div class=\"body\">\n");
	if (md_to_html_under(sb, last->body, 3) != 0)
		return rctx_fail(c, "notice %lld: Markdown conversion failed",
		                 (long long)last->id);
	sb_append(sb, "</div>\n</article>\n");
	return 0;
}

/* A maintenance not begun yet: listed under the table, where it does not
 * push the table below a phone's fold, rather than pinned above it. */
static bool
group_is_upcoming(const struct render_ctx *c, const struct event_group *g)
{
	return g->maintenance && g->status == GS_SCHEDULED && g->starts > c->v->generated;
}

/* Pinned under the headline and above the table (upcoming false): open
 * incidents, then maintenance under way, since an outage matters more.
 * Under the table (upcoming true): the maintenance still to come. */
static int
html_open_items(struct render_ctx *c, struct strbuf *sb, bool upcoming)
{
	static const char *const head[] = {"Open incidents", "Maintenance under way",
	                                   "Open incidents and maintenance under way"};
	unsigned kinds = 0;

	for (size_t g = 0; g < c->ngroups; g++)
		if (group_is_open(c, &c->groups[g]) &&
		    group_is_upcoming(c, &c->groups[g]) == upcoming)
			kinds |= c->groups[g].maintenance ? 2u : 1u;
	if (kinds == 0)
		return 0;
	sb_appendf(sb, "<section class=\"%s\" aria-labelledby=\"%s\">\n<h2 id=\"%s\">%s</h2>\n",
	           upcoming ? "upcoming" : "pinned", upcoming ? "up-h" : "pin-h",
	           upcoming ? "up-h" : "pin-h",
	           upcoming ? "Upcoming maintenance" : head[kinds - 1]);
	for (size_t k = 0; k < 2 * c->ngroups; k++) {
		const struct event_group *eg = &c->groups[k % c->ngroups];
		if (!group_is_open(c, eg) || group_is_upcoming(c, eg) != upcoming ||
		    eg->maintenance != (k >= c->ngroups))
			continue;
		if (html_pinned_item(c, sb, eg) != 0)
			return -1;
	}
	sb_append(sb, "</section>\n");
	return 0;
}

/* "Server NC036, Amsterdam, Netherlands (Mail server), OPERATIONAL.": a
 * row described in one sentence, as the location cell's tooltip, with
 * the status in capitals ("MAJOR OUTAGE"). */
static void
html_row_title(struct strbuf *sb, const struct system_view *s)
{
	const char *st = status_label(sys_shown_status(s));

	H(sb, nz(s->name) ? s->name : s->id);
	if (nz(s->location)) {
		sb_append(sb, ", ");
		H(sb, nz(s->location));
	}
	if (nz(s->role)) {
		sb_append(sb, " (");
		H(sb, nz(s->role));
		sb_append(sb, ")");
	}
	sb_append(sb, ", ");
	for (const char *p = st; *p; p++)
		sb_appendc(sb, (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p));
	sb_append(sb, ".");
}

/* "Up" and the round trip as visible text (a touch screen has no hover). */
static void
html_ping_cell(struct strbuf *sb, const struct system_view *s)
{
	static const char *const label[] = {"Unknown", "Up", "Down"};
	const char *text = (unsigned)s->ping < 3 ? label[s->ping] : "Unknown";
	char rtt[32];

	fmt_rtt(rtt, sizeof rtt, s->rtt_ms);
	if (sys_internal(s) || rtt[0] == '\0') {
		sb_appendf(sb, "<td>%s</td>", text);
		return;
	}
	sb_appendf(sb, "<td>%s <small class=\"rtt\">(%s)</small></td>", text, rtt);
}

static void
html_glance(struct render_ctx *c, struct strbuf *sb, const char *root)
{
	sb_append(sb, "<section aria-labelledby=\"glance-h\">\n<h2 id=\"glance-h\">Systems at "
	              "a Glance</h2>\n"
	              "<table class=\"glance\">\n<thead><tr>"
	              "<th scope=\"col\"><abbr title=\"Location\">Loc.</abbr></th><th "
	              "scope=\"col\">System</th>"
	              "<th scope=\"col\">Status</th><th "
	              "scope=\"col\">Ping</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < c->v->nsystems; i++) {
		const struct system_view *s = &c->v->systems[i];
		sb_append(sb, "<tr id=\"sys-");
		H(sb, c->sys_slug[i]);
		sb_append(sb, "\"><td class=\"loc\" title=\"");
		html_row_title(sb, s);
		sb_append(sb, "\">");
		H(sb, nz(s->location) ? nz(s->location) : "");
		sb_append(sb, "</td><th scope=\"row\"><a href=\"");
		sb_append(sb, root);
		html_sys_dir(c, sb, i);
		sb_append(sb, "index.html\" title=\"");
		H(sb, nz(s->name) ? s->name : s->id);
		if (nz(s->role)) {
			sb_append(sb, " (");
			H(sb, nz(s->role));
			sb_append(sb, ")");
		}
		sb_append(sb, "\">");
		H(sb, s->id);
		sb_append(sb, "</a>");
		/* On a phone the location goes under the id, so the table
		 * keeps to the screen's width. */
		if (nz(s->location)) {
			sb_append(sb, "<small class=\"loc2\">");
			H(sb, nz(s->location));
			sb_append(sb, "</small>");
		}
		sb_append(sb, "</th><td>");
		html_status(sb, sys_shown_status(s));
		sb_append(sb, "</td>");
		html_ping_cell(sb, s);
		sb_append(sb, "</tr>\n");
	}
	sb_append(sb, "</tbody>\n</table>\n</section>\n");
}

/* "1 hour 5 minutes" with a no-break space between each number and its
 * unit, so that a narrow column wraps between "1 hour" and "5 minutes",
 * never between "1" and "hour". */
static void
html_nbsp_units(struct strbuf *sb, const char *dur)
{
	for (const char *p = dur; *p != '\0'; p++) {
		if (*p == ' ' && p > dur && p[-1] >= '0' && p[-1] <= '9')
			sb_append(sb, "\xC2\xA0");
		else
			sb_appendc(sb, *p);
	}
}

static void
html_uptime_cells(struct strbuf *sb, const struct system_view *s)
{
	char pct[32], dur[64];

	for (int w = 0; w < UPTIME_NWIN; w++) {
		fmt_uptime(pct, sizeof pct, s->uptime[w]);
		sb_appendf(sb, "<td>%s", pct);
		if (!isnan(s->maint_seconds[w]) && s->maint_seconds[w] >= 1) {
			fmt_duration(dur, sizeof dur, (long long)s->maint_seconds[w]);
			sb_append(sb, "<br/><small>maint. ");
			html_nbsp_units(sb, dur);
			sb_append(sb, "</small>");
		}
		sb_append(sb, "</td>");
	}
}

static const char *
day_class(double u)
{
	return isnan(u) ? "d-none" : u >= 0.999 ? "d-ok" : u >= 0.99 ? "d-warn" : "d-bad";
}

/* One bar per UTC day, oldest first, 4 units apart; each run of days of
 * one colour is one dashed line (dash 3, gap 1: a bar per day), and each
 * colour one path, so 90 days cost a few hundred bytes. Days without
 * data are grey, never green. The image is hidden from screen readers:
 * the day list under it says the same in words. */
static void
html_day_svg(struct strbuf *sb, const struct system_view *s)
{
	static const char *const cls[] = {"d-ok", "d-warn", "d-bad", "d-none"};
	size_t n = s->ndaily;

	sb_appendf(sb,
	           "<svg class=\"days\" viewBox=\"0 0 %zu 10\" preserveAspectRatio=\"none\" "
	           "aria-hidden=\"true\">",
	           n * 4);
	for (size_t k = 0; k < sizeof cls / sizeof cls[0]; k++) {
		bool any = false;
		for (size_t d = 0, e; d < n; d = e) {
			const char *dc = day_class(s->daily_uptime[d]);
			for (e = d + 1; e < n && strcmp(day_class(s->daily_uptime[e]), dc) == 0;
			     e++)
				;
			if (strcmp(dc, cls[k]) != 0)
				continue;
			sb_appendf(sb, "%sM%zu 5h%zu", any ? "" : "<path d=\"", d * 4,
			           (e - d) * 4);
			any = true;
		}
		if (any)
			sb_appendf(sb, "\" class=\"%s\"/>", cls[k]);
	}
	sb_append(sb, "</svg>");
}

/* What one day's line says: fully up, without data, or its figure. Runs
 * of the first two kinds are one line each. */
enum day_kind { DAY_UP, DAY_SOME, DAY_NONE };

static enum day_kind
day_kind(double u)
{
	return isnan(u) ? DAY_NONE : u >= 1.0 ? DAY_UP : DAY_SOME;
}

/* A day, or a run of days with each part said once: "12 June 2025",
 * "12\xE2\x80\x9313 June 2025", "17 May \xE2\x80\x93 10 June 2025",
 * "22 December 2025 \xE2\x80\x93 3 January 2026". */
static void
html_day_range(struct strbuf *sb, time_t a, time_t b)
{
	char x[FMT_TIME_MAX], y[FMT_TIME_MAX];
	const char *xm, *ym, *xy, *yy;

	fmt_date(x, sizeof x, a);
	fmt_date(y, sizeof y, b);
	xm = strchr(x, ' '), ym = strchr(y, ' ');
	xy = strrchr(x, ' '), yy = strrchr(y, ' ');
	if (a == b)
		sb_append(sb, y);
	else if (xm != NULL && ym != NULL && strcmp(xm, ym) == 0)
		sb_appendf(sb, "%.*s\xE2\x80\x93%s", (int)(xm - x), x, y);
	else if (xy != NULL && yy != NULL && strcmp(xy, yy) == 0)
		sb_appendf(sb, "%.*s \xE2\x80\x93 %s", (int)(xy - x), x, y);
	else
		sb_appendf(sb, "%s \xE2\x80\x93 %s", x, y);
}

/* Every one of the days, newest first, so that each can be read without
 * hovering over its bar: "1\xE2\x80\x9328 May 2026: 100% up". */
static void
html_day_items(struct strbuf *sb, const struct system_view *s, time_t today)
{
	size_t n = s->ndaily;
	char pct[32];

	for (size_t k = n; k-- > 0;) {
		enum day_kind kind = day_kind(s->daily_uptime[k]);
		size_t j = k;
		while (kind != DAY_SOME && j > 0 && day_kind(s->daily_uptime[j - 1]) == kind)
			j--;
		sb_append(sb, "<li>");
		html_day_range(sb, today - (time_t)(n - 1 - j) * 86400,
		               today - (time_t)(n - 1 - k) * 86400);
		fmt_uptime(pct, sizeof pct, s->daily_uptime[k]);
		sb_appendf(sb, ": %s%s</li>", kind == DAY_NONE ? "no data" : pct,
		           kind == DAY_NONE ? "" : " up");
		k = j;
	}
}

/* The bars, then in a <details> every day with its date and figure as
 * text, readable by touch and by keyboard (nothing only on hover); its
 * summary counts the days of each kind. */
static void
html_day_bars(struct strbuf *sb, const struct system_view *s, time_t now)
{
	size_t n = s->ndaily, count[3] = {0, 0, 0};
	static const char *const what[] = {"fully up", "with downtime", "without data"};
	const char *sep = ": ";

	for (size_t k = 0; k < n; k++)
		count[day_kind(s->daily_uptime[k])]++;
	html_day_svg(sb, s);
	sb_appendf(sb, "<details class=\"dd\"><summary>Last %zu days", n);
	for (int kind = DAY_UP; kind <= DAY_NONE; kind++) {
		if (count[kind] == 0)
			continue;
		sb_appendf(sb, "%s%zu %s", sep, count[kind], what[kind]);
		sep = ", ";
	}
	sb_append(sb, "</summary><ul>");
	html_day_items(sb, s, now - now % 86400);
	sb_append(sb, "</ul></details>");
}

static const char uptime_head[] =
        "<thead><tr><th scope=\"col\">System</th><th scope=\"col\">24 hours</th>"
        "<th scope=\"col\">7 days</th><th scope=\"col\">30 days</th>"
        "<th scope=\"col\">90 days</th></tr></thead>\n";

/* One system's uptime: its figures on one row and its day bars and day
 * list on the next, across the figures' columns, so that a phone shows
 * the bars without scrolling sideways. th is the row header's markup. */
static void
html_uptime_row(struct render_ctx *c, struct strbuf *sb, size_t i, const char *th)
{
	const struct system_view *s = &c->v->systems[i];
	bool days = s->ndaily > 0;

	sb_appendf(sb, "<tr%s><th scope=\"row\"%s>%s</th>", days ? " class=\"fig\"" : "",
	           days ? " rowspan=\"2\"" : "", th);
	/* the rest is the same on the index and the system's page: made once */
	if (c->uptime_rest[i] == NULL) {
		struct strbuf rest = STRBUF_INIT;
		html_uptime_cells(&rest, s);
		sb_append(&rest, "</tr>\n");
		if (days) {
			sb_appendf(&rest, "<tr><td colspan=\"%d\">", UPTIME_NWIN);
			html_day_bars(&rest, s, c->v->generated);
			sb_append(&rest, "</td></tr>\n");
		}
		c->uptime_rest[i] = sb_detach(&rest);
	}
	sb_append(sb, c->uptime_rest[i]);
}

static const char uptime_note[] =
        "<p class=\"note\">Uptime is the share of each period the system was up:"
        " a major outage counts as down time, a partial outage as 30\xC2\xA0% down time,"
        " degraded performance as up time; time in announced maintenance and time"
        " without data are left out (\xE2\x80\x9Cmaint.\xE2\x80\x9D says how long), and"
        " \xE2\x80\x94 means no data at all.</p>\n";

static void
html_uptime(struct render_ctx *c, struct strbuf *sb, const char *root)
{
	struct strbuf th = STRBUF_INIT;
	size_t shown = 0;

	for (size_t i = 0; i < c->v->nsystems; i++) {
		const struct system_view *s = &c->v->systems[i];
		if (sys_internal(s))
			continue;
		if (shown++ == 0)
			sb_appendf(sb,
			           "<section aria-labelledby=\"uptime-h\">\n<h2 "
			           "id=\"uptime-h\">Uptime</h2>\n<div class=\"scroll\" "
			           "tabindex=\"0\">\n<table class=\"uptime\">\n%s<tbody>\n",
			           uptime_head);
		sb_reset(&th);
		sb_appendf(&th, "<a href=\"%s", root);
		html_sys_dir(c, &th, i);
		sb_append(&th, "index.html\">");
		H(&th, s->id);
		sb_append(&th, "</a>");
		html_uptime_row(c, sb, i, sb_str(&th));
	}
	if (shown > 0)
		sb_appendf(sb, "</tbody>\n</table>\n</div>\n%s</section>\n", uptime_note);
	sb_free(&th);
}

static void
html_month_href(struct strbuf *sb, const char *root, const struct month_ref *m)
{
	sb_appendf(sb, "%sarchive/%04d/%02d/index.html", root, m->year, m->month);
}

static void
html_archive_list(struct render_ctx *c, struct strbuf *sb, const char *root)
{
	char name[64];

	sb_append(sb, "<ul class=\"archives\">\n");
	for (size_t m = 0; m < c->nmonths; m++) {
		fmt_month(name, sizeof name, c->months[m].year, c->months[m].month);
		sb_append(sb, "<li><a href=\"");
		html_month_href(sb, root, &c->months[m]);
		sb_appendf(sb, "\">%s</a> (%zu)</li>\n", name, c->months[m].n);
	}
	sb_append(sb, "</ul>\n");
}

static void
html_tag_list(struct render_ctx *c, struct strbuf *sb, const char *root)
{
	sb_append(sb, "<ul class=\"taglist\">\n");
	for (size_t t = 0; t < c->ntags; t++) {
		sb_append(sb, "<li><a rel=\"tag\" href=\"");
		html_tag_href(c, sb, root, t);
		sb_append(sb, "\">");
		H(sb, c->tags[t].name);
		sb_appendf(sb, "</a> (%zu)</li>\n", c->tags[t].n);
	}
	sb_append(sb, "</ul>\n");
}

static int
html_index(struct render_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t idx[RENDER_FRONT_NOTICES], n = 0, rest = 0;

	page_begin(c, &sb, c->v->site.title ? c->v->site.title : "System Status", "", NULL);
	html_overall(c, &sb);
	if (html_open_items(c, &sb, false) != 0) {
		sb_free(&sb);
		return -1;
	}
	html_glance(c, &sb, "");
	if (html_open_items(c, &sb, true) != 0) {
		sb_free(&sb);
		return -1;
	}
	sb_append(&sb, "<section aria-labelledby=\"notices-h\">\n<h2 "
	               "id=\"notices-h\">Recent notices</h2>\n");
	for (size_t i = 0; i < c->v->nnotices; i++) {
		if (group_is_open(c, &c->groups[c->notice_group[i]]))
			continue;
		if (n < RENDER_FRONT_NOTICES)
			idx[n++] = i;
		else
			rest++;
	}
	if (html_notice_list(c, &sb, idx, n, "") != 0) {
		sb_free(&sb);
		return -1;
	}
	if (rest > 0)
		sb_append(&sb, "<p><a href=\"archive/index.html\">Older notices</a></p>\n");
	sb_append(&sb, "</section>\n");
	html_uptime(c, &sb, "");
	if (c->nmonths > 0) {
		sb_append(
		        &sb,
		        "<nav aria-labelledby=\"arch-h\">\n<h2 id=\"arch-h\">Archives</h2>\n");
		html_archive_list(c, &sb, "");
		sb_append(&sb, "</nav>\n");
	}
	if (c->ntags > 0) {
		sb_append(&sb,
		          "<nav aria-labelledby=\"tags-h\">\n<h2 id=\"tags-h\">Tags</h2>\n");
		html_tag_list(c, &sb, "");
		sb_append(&sb, "</nav>\n");
	}
	page_end(c, &sb, "", c->v->generated);
	return rctx_write(c, "index.html", &sb);
}

/* The other notices of the same incident or maintenance, oldest first. */
static void
html_timeline(struct render_ctx *c, struct strbuf *sb, size_t i)
{
	const struct event_group *g = &c->groups[c->notice_group[i]];

	if (g->n < 2)
		return;
	sb_appendf(sb,
	           "<nav aria-labelledby=\"tl-h\">\n<h2 id=\"tl-h\">%s timeline</h2>\n<ol>\n",
	           g->maintenance ? "Maintenance"
	           : g->incident  ? "Incident"
	                          : "Notice");
	for (size_t k = 0; k < g->n; k++) {
		const struct notice_view *n = &c->v->notices[g->idx[k]];
		sb_append(sb, "<li>");
		html_time(sb, n->posted);
		if (g->incident)
			sb_appendf(sb, " <span class=\"badge\">%s</span>",
			           group_status_label(g->step[k]));
		sb_append(sb, " ");
		if (g->idx[k] == i) {
			sb_append(sb, "<strong aria-current=\"page\">");
			H(sb, n->title ? n->title : "(untitled)");
			sb_append(sb, "</strong>");
		} else {
			sb_append(sb, "<a href=\"");
			html_notice_href(sb, "../", n);
			sb_append(sb, "\">");
			H(sb, n->title ? n->title : "(untitled)");
			sb_append(sb, "</a>");
		}
		sb_append(sb, "</li>\n");
	}
	sb_append(sb, "</ol>\n</nav>\n");
}

static int
html_notice_page(struct render_ctx *c, size_t i)
{
	const struct notice_view *n = &c->v->notices[i];
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	const struct system_view *s;
	size_t si;
	int rc;

	page_begin(c, &sb, n->title ? n->title : "(untitled)", "../", NULL);
	if (html_notice(c, &sb, i, "../", true) != 0) {
		sb_free(&sb);
		return -1;
	}
	s = rctx_system(c, n->system_id, &si);
	if (s != NULL) {
		sb_append(&sb, "<p>System: <a href=\"../");
		html_sys_dir(c, &sb, si);
		sb_append(&sb, "index.html\">");
		H(&sb, nz(s->name) ? s->name : s->id);
		sb_append(&sb, "</a></p>\n");
	}
	html_timeline(c, &sb, i);
	sb_append(&sb, "<p><a href=\"../index.html\">Current status</a></p>\n");
	page_end(c, &sb, "../", rctx_updated(c, &i, 1, 0));
	sb_appendf(&path, "notices/%lld.html", (long long)n->id);
	rc = rctx_write(c, sb_str(&path), &sb);
	sb_free(&path);
	return rc;
}

static int
html_month_page(struct render_ctx *c, size_t m)
{
	const struct month_ref *mr = &c->months[m];
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	char name[64], title[128];
	int rc;

	fmt_month(name, sizeof name, mr->year, mr->month);
	snprintf(title, sizeof title, "Notices of %s", name);
	page_begin(c, &sb, title, "../../../", NULL);
	sb_appendf(&sb, "<h2>%s</h2>\n<nav><p>", title);
	if (m + 1 < c->nmonths) {
		sb_append(&sb, "<a rel=\"prev\" href=\"");
		html_month_href(&sb, "../../../", &c->months[m + 1]);
		sb_append(&sb, "\">Older</a> ");
	}
	if (m > 0) {
		sb_append(&sb, "<a rel=\"next\" href=\"");
		html_month_href(&sb, "../../../", &c->months[m - 1]);
		sb_append(&sb, "\">Newer</a> ");
	}
	sb_append(&sb, "<a href=\"../../index.html\">All months</a></p></nav>\n");
	if (html_notice_list(c, &sb, mr->idx, mr->n, "../../../") != 0) {
		sb_free(&sb);
		return -1;
	}
	page_end(c, &sb, "../../../", rctx_updated(c, mr->idx, mr->n, c->v->generated));
	sb_appendf(&path, "archive/%04d/%02d/index.html", mr->year, mr->month);
	rc = rctx_write(c, sb_str(&path), &sb);
	sb_free(&path);
	return rc;
}

static int
html_tag_page(struct render_ctx *c, size_t t)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT, title = STRBUF_INIT;
	int rc;

	sb_appendf(&title, "Notices tagged \xE2\x80\x9C%s\xE2\x80\x9D", c->tags[t].name);
	page_begin(c, &sb, sb_str(&title), "../../", NULL);
	sb_append(&sb, "<h2>");
	H(&sb, sb_str(&title));
	sb_append(&sb, "</h2>\n<p><a href=\"../index.html\">All tags</a></p>\n");
	sb_free(&title);
	if (html_notice_list(c, &sb, c->tags[t].idx, c->tags[t].n, "../../") != 0) {
		sb_free(&sb);
		return -1;
	}
	page_end(c, &sb, "../../",
	         rctx_updated(c, c->tags[t].idx, c->tags[t].n, c->v->generated));
	sb_appendf(&path, "tags/%s/index.html", c->tags[t].slug);
	rc = rctx_write(c, sb_str(&path), &sb);
	sb_free(&path);
	return rc;
}

static int
html_lists(struct render_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	time_t updated = rctx_updated(c, NULL, c->v->nnotices, c->v->generated);

	page_begin(c, &sb, "Archives", "../", NULL);
	sb_append(&sb, "<h2>Archives</h2>\n");
	if (c->nmonths == 0)
		sb_append(&sb, "<p>No notices.</p>\n");
	else
		html_archive_list(c, &sb, "../");
	page_end(c, &sb, "../", updated);
	if (rctx_write(c, "archive/index.html", &sb) != 0)
		return -1;
	page_begin(c, &sb, "Tags", "../", NULL);
	sb_append(&sb, "<h2>Tags</h2>\n");
	if (c->ntags == 0)
		sb_append(&sb, "<p>No tags.</p>\n");
	else
		html_tag_list(c, &sb, "../");
	page_end(c, &sb, "../", updated);
	return rctx_write(c, "tags/index.html", &sb);
}

/* Each public service's last HARD state and the plugin's own words
 * (escaped: an SMTP banner is attacker-controlled), the words on a row of
 * their own under the state, where a phone has the width for them. */
static void
html_services(struct strbuf *sb, const struct system_view *s)
{
	if (s->nservices == 0)
		return;
	sb_append(sb, "<h2 id=\"svc-h\">Services</h2>\n<div class=\"scroll\" tabindex=\"0\">\n"
	              "<table class=\"services\">\n<thead><tr><th scope=\"col\">Service</th>"
	              "<th scope=\"col\">State</th><th scope=\"col\">Since</th></tr></thead>\n"
	              "<tbody>\n");
	for (size_t k = 0; k < s->nservices; k++) {
		const struct service_view *sv = &s->services[k];
		sb_append(sb, "<tr class=\"fig\"><th scope=\"row\" rowspan=\"2\">");
		H(sb, sv->name);
		sb_appendf(sb, "</th><td>%s</td><td>", state_name(sv->state));
		if (sv->since != 0)
			html_time(sb, sv->since);
		sb_append(sb, "</td></tr>\n<tr><td colspan=\"2\"><code>");
		H(sb, sv->output);
		sb_append(sb, "</code></td></tr>\n");
	}
	sb_append(sb, "</tbody>\n</table>\n</div>\n");
}

/* The public detail of one system: ping, uptime, services. Internal
 * systems get none of it. */
static void
html_system_detail(struct render_ctx *c, struct strbuf *sb, size_t i)
{
	const struct system_view *s = &c->v->systems[i];
	struct strbuf th = STRBUF_INIT;
	char rtt[32];

	fmt_rtt(rtt, sizeof rtt, s->rtt_ms);
	if (s->status_since != 0) {
		sb_append(sb, "<p>Since ");
		html_time(sb, s->status_since);
		sb_append(sb, ".</p>\n");
	}
	sb_appendf(sb, "<p>Ping: %s",
	           s->ping == PING_UP     ? "Up"
	           : s->ping == PING_DOWN ? "Down"
	                                  : "Unknown");
	if (rtt[0] != '\0')
		sb_appendf(sb, ", round trip %s", rtt);
	if (s->ping_checked != 0) {
		sb_append(sb, ", checked ");
		html_time(sb, s->ping_checked);
	}
	sb_appendf(sb,
	           ".</p>\n<h2 id=\"uptime-h\">Uptime</h2>\n<div class=\"scroll\" "
	           "tabindex=\"0\">\n<table class=\"uptime\">\n%s<tbody>\n",
	           uptime_head);
	esc_markup(&th, s->id);
	html_uptime_row(c, sb, i, sb_str(&th));
	sb_free(&th);
	sb_appendf(sb, "</tbody>\n</table>\n</div>\n%s", uptime_note);
	html_services(sb, s);
}

static int
html_system_page(struct render_ctx *c, size_t i)
{
	const struct system_view *s = &c->v->systems[i];
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT, dir = STRBUF_INIT;
	size_t *idx = NULL, n = 0;
	int rc = -1;

	html_sys_dir(c, &dir, i);
	page_begin(c, &sb, nz(s->name) ? s->name : s->id, "../../", sb_str(&dir));
	sb_append(&sb, "<h2>");
	H(&sb, nz(s->name) ? s->name : s->id);
	sb_append(&sb, "</h2>\n<p>");
	html_status(&sb, sys_shown_status(s));
	if (nz(s->location) || nz(s->role)) {
		sb_append(&sb, " \xC2\xB7 ");
		H(&sb, nz(s->location) ? nz(s->location) : "");
		if (nz(s->role)) {
			sb_append(&sb, nz(s->location) ? " (" : "(");
			H(&sb, nz(s->role));
			sb_append(&sb, ")");
		}
	}
	sb_append(&sb, "</p>\n");
	if (!sys_internal(s))
		html_system_detail(c, &sb, i);
	sb_append(&sb, "<p>Follow this system: <a href=\"feed.rss\">RSS</a>, <a "
	               "href=\"feed.atom\">Atom</a>.</p>\n"
	               "<h2>Notices</h2>\n");
	for (size_t k = 0; k < c->v->nnotices; k++)
		if (c->v->notices[k].system_id &&
		    strcmp(c->v->notices[k].system_id, s->id) == 0) {
			idx = xrealloc(idx, (n + 1) * sizeof *idx);
			idx[n++] = k;
		}
	if (html_notice_list(c, &sb, idx, n, "../../") == 0) {
		page_end(c, &sb, "../../", c->v->generated);
		sb_appendf(&path, "systems/%s/index.html", c->sys_slug[i]);
		rc = rctx_write(c, sb_str(&path), &sb);
	}
	free(idx);
	sb_free(&sb);
	sb_free(&path);
	sb_free(&dir);
	return rc;
}

int
render_html(struct render_ctx *c)
{
	if (html_index(c) != 0 || html_lists(c) != 0)
		return -1;
	for (size_t i = 0; i < c->v->nnotices; i++)
		if (html_notice_page(c, i) != 0)
			return -1;
	for (size_t m = 0; m < c->nmonths; m++)
		if (html_month_page(c, m) != 0)
			return -1;
	for (size_t t = 0; t < c->ntags; t++)
		if (html_tag_page(c, t) != 0)
			return -1;
	for (size_t i = 0; i < c->v->nsystems; i++)
		if (html_system_page(c, i) != 0)
			return -1;
	return 0;
}
