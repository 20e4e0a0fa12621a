/* RSS 2.0 and Atom 1.0 (RFC 4287) feeds: feed.rss and feed.atom for the
 * whole page, and systems/ID/feed.{rss,atom} with only one system's
 * notices, so a customer can follow just the server they use. Each entry
 * carries the notice's state, window and body as escaped HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "render_int.h"
#include "render_md.h"

/* One feed: which notices, where it lives, what it is called. */
struct feed {
	const char *root;  /* from the feed's directory to the site root */
	const char *dir;   /* the feed's directory below the root, URL form */
	const char *fsdir; /* the same as a file path */
	const char *title;
	size_t *idx; /* newest first */
	size_t n;
};

static void
X(struct strbuf *sb, const char *s)
{
	esc_markup(sb, s);
}

/* A URL of the site: absolute under base_url, else relative to the feed
 * (readers resolve it against the feed's own address). Escaped for XML. */
static void
feed_url(struct render_ctx *c, const struct feed *f, struct strbuf *sb, const char *rel)
{
	struct strbuf u = STRBUF_INIT;

	sb_appendf(&u, "%s%s", c->base[0] ? c->base : f->root, rel);
	X(sb, sb_str(&u));
	sb_free(&u);
}

static void
notice_rel(struct strbuf *sb, const struct notice_view *n)
{
	sb_appendf(sb, "notices/%lld.html", (long long)n->id);
}

/* The entry's body: state and window, then the Markdown body. */
static int
feed_entry_html(struct render_ctx *c, size_t i, struct strbuf *out)
{
	const struct notice_view *n = &c->v->notices[i];
	const struct event_group *g = &c->groups[c->notice_group[i]];
	char a[FMT_TIME_MAX], b[FMT_TIME_MAX], dur[64];

	for (size_t k = 0; g->incident && k < g->n; k++)
		if (g->idx[k] == i)
			sb_appendf(out, "<p><strong>%s</strong></p>\n",
			           group_status_label(g->step[k]));
	if (n->starts != 0) {
		fmt_time_human(a, sizeof a, n->starts);
		if (n->ends >= n->starts) {
			fmt_time_human(b, sizeof b, n->ends);
			fmt_duration(dur, sizeof dur, (long long)(n->ends - n->starts));
			sb_appendf(out, "<p>%s %s to %s (%s)</p>\n",
			           g->maintenance ? "Window:" : "From", a, b, dur);
		} else {
			sb_appendf(out, "<p>%s %s</p>\n", g->maintenance ? "Starts" : "Since",
			           a);
		}
	}
	if (md_to_html(out, n->body) != 0)
		return rctx_fail(c, "notice %lld: Markdown conversion failed",
		                 (long long)n->id);
	return 0;
}

static int
atom_entry(struct render_ctx *c, const struct feed *f, struct strbuf *sb, size_t i)
{
	const struct notice_view *n = &c->v->notices[i];
	struct strbuf rel = STRBUF_INIT, html = STRBUF_INIT;
	char iso[FMT_TIME_MAX];

	notice_rel(&rel, n);
	fmt_time_iso(iso, sizeof iso, n->posted);
	sb_append(sb, "<entry>\n<title>");
	X(sb, n->title ? n->title : "(untitled)");
	sb_append(sb, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	feed_url(c, f, sb, sb_str(&rel));
	sb_append(sb, "\"/>\n<id>");
	if (c->base[0])
		feed_url(c, f, sb, sb_str(&rel));
	else
		sb_appendf(sb, "urn:glance:notice:%lld", (long long)n->id);
	sb_appendf(sb, "</id>\n<published>%s</published>\n<updated>%s</updated>\n", iso, iso);
	for (size_t t = 0; t < n->ntags; t++) {
		sb_append(sb, "<category term=\"");
		X(sb, n->tags[t]);
		sb_append(sb, "\"/>\n");
	}
	sb_free(&rel);
	if (feed_entry_html(c, i, &html) != 0) {
		sb_free(&html);
		return -1;
	}
	sb_append(sb, "<content type=\"html\">");
	X(sb, sb_str(&html));
	sb_append(sb, "</content>\n</entry>\n");
	sb_free(&html);
	return 0;
}

/* Atom's feed <updated> and RSS's <lastBuildDate>: "the last time the
 * content of the channel changed", so an unchanged feed keeps its bytes.
 * A feed without entries takes the site's newest notice, or the render
 * when the site has none. */
static time_t
feed_updated(const struct render_ctx *c, const struct feed *f)
{
	return f->n ? rctx_updated(c, f->idx, f->n, 0)
	            : rctx_updated(c, NULL, c->v->nnotices, c->v->generated);
}

static int
atom_feed(struct render_ctx *c, const struct feed *f)
{
	struct strbuf sb = STRBUF_INIT, self = STRBUF_INIT, path = STRBUF_INIT;
	const char *name = c->v->site.name ? c->v->site.name : f->title;
	char iso[FMT_TIME_MAX];
	int rc = -1;

	sb_appendf(&self, "%sfeed.atom", f->dir);
	fmt_time_iso(iso, sizeof iso, feed_updated(c, f));
	sb_append(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	               "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n<title>");
	X(&sb, f->title);
	sb_append(&sb, "</title>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	feed_url(c, f, &sb, sb_str(&self));
	sb_append(&sb, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	sb_appendf(&path, "%sindex.html", f->dir);
	feed_url(c, f, &sb, sb_str(&path));
	sb_append(&sb, "\"/>\n<id>");
	if (c->base[0])
		feed_url(c, f, &sb, sb_str(&self));
	else
		sb_appendf(&sb, "urn:glance:feed:%s", sb_str(&self));
	sb_appendf(&sb, "</id>\n<updated>%s</updated>\n<author><name>", iso);
	X(&sb, name);
	sb_append(&sb, "</name></author>\n<generator version=\"" GLANCE_VERSION
	               "\">glance</generator>\n");
	for (size_t k = 0; k < f->n && k < RENDER_FEED_NOTICES; k++)
		if (atom_entry(c, f, &sb, f->idx[k]) != 0)
			goto out;
	sb_append(&sb, "</feed>\n");
	sb_reset(&path);
	sb_appendf(&path, "%sfeed.atom", f->fsdir);
	rc = rctx_write(c, sb_str(&path), &sb);
out:
	sb_free(&sb);
	sb_free(&self);
	sb_free(&path);
	return rc;
}

static int
rss_item(struct render_ctx *c, const struct feed *f, struct strbuf *sb, size_t i)
{
	const struct notice_view *n = &c->v->notices[i];
	struct strbuf rel = STRBUF_INIT, html = STRBUF_INIT;
	char date[FMT_TIME_MAX];

	notice_rel(&rel, n);
	fmt_time_rfc822(date, sizeof date, n->posted);
	sb_append(sb, "<item>\n<title>");
	X(sb, n->title ? n->title : "(untitled)");
	sb_append(sb, "</title>\n<link>");
	feed_url(c, f, sb, sb_str(&rel));
	if (c->base[0]) {
		sb_append(sb, "</link>\n<guid isPermaLink=\"true\">");
		feed_url(c, f, sb, sb_str(&rel));
	} else {
		sb_appendf(sb, "</link>\n<guid isPermaLink=\"false\">urn:glance:notice:%lld",
		           (long long)n->id);
	}
	sb_appendf(sb, "</guid>\n<pubDate>%s</pubDate>\n", date);
	for (size_t t = 0; t < n->ntags; t++) {
		sb_append(sb, "<category>");
		X(sb, n->tags[t]);
		sb_append(sb, "</category>\n");
	}
	sb_free(&rel);
	if (feed_entry_html(c, i, &html) != 0) {
		sb_free(&html);
		return -1;
	}
	sb_append(sb, "<description>");
	X(sb, sb_str(&html));
	sb_append(sb, "</description>\n</item>\n");
	sb_free(&html);
	return 0;
}

static int
rss_feed(struct render_ctx *c, const struct feed *f)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	const char *desc = c->v->site.description ? c->v->site.description : f->title;
	char date[FMT_TIME_MAX];
	int rc = -1;

	fmt_time_rfc822(date, sizeof date, feed_updated(c, f));
	sb_append(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	               "<rss version=\"2.0\" "
	               "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n<title>");
	X(&sb, f->title);
	sb_append(&sb, "</title>\n<link>");
	sb_appendf(&path, "%sindex.html", f->dir);
	feed_url(c, f, &sb, sb_str(&path));
	sb_append(&sb, "</link>\n<description>");
	/* RSS 2.0 readers decode <description> as HTML, like an item's: the
	 * config's plain text is made HTML first, then escaped for XML */
	sb_reset(&path);
	X(&path, desc);
	X(&sb, sb_str(&path));
	sb_appendf(
	        &sb,
	        "</description>\n<language>en</language>\n<lastBuildDate>%s</lastBuildDate>\n"
	        "<generator>glance " GLANCE_VERSION "</generator>\n",
	        date);
	if (c->base[0]) {
		sb_reset(&path);
		sb_appendf(&path, "%sfeed.rss", f->dir);
		sb_append(&sb, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
		feed_url(c, f, &sb, sb_str(&path));
		sb_append(&sb, "\"/>\n");
	}
	for (size_t k = 0; k < f->n && k < RENDER_FEED_NOTICES; k++)
		if (rss_item(c, f, &sb, f->idx[k]) != 0)
			goto out;
	sb_append(&sb, "</channel>\n</rss>\n");
	sb_reset(&path);
	sb_appendf(&path, "%sfeed.rss", f->fsdir);
	rc = rctx_write(c, sb_str(&path), &sb);
out:
	sb_free(&sb);
	sb_free(&path);
	return rc;
}

static int
feed_pair(struct render_ctx *c, const struct feed *f)
{
	return atom_feed(c, f) != 0 || rss_feed(c, f) != 0 ? -1 : 0;
}

/* The feeds of one system: its notices, titled "Site title: NC036". */
static int
system_feeds(struct render_ctx *c, size_t i)
{
	const struct system_view *s = &c->v->systems[i];
	struct strbuf dir = STRBUF_INIT, fsdir = STRBUF_INIT, title = STRBUF_INIT;
	struct feed f = {"../../", NULL, NULL, NULL, NULL, 0};
	int rc;

	sb_append(&dir, "systems/");
	esc_url_segment(&dir, c->sys_slug[i]);
	sb_append(&dir, "/");
	sb_appendf(&fsdir, "systems/%s/", c->sys_slug[i]);
	sb_appendf(&title, "%s: %s", c->v->site.title ? c->v->site.title : "System Status",
	           nz(s->name) ? s->name : s->id);
	f.dir = sb_str(&dir), f.fsdir = sb_str(&fsdir), f.title = sb_str(&title);
	for (size_t k = 0; k < c->v->nnotices; k++)
		if (c->v->notices[k].system_id &&
		    strcmp(c->v->notices[k].system_id, s->id) == 0) {
			f.idx = xrealloc(f.idx, (f.n + 1) * sizeof *f.idx);
			f.idx[f.n++] = k;
		}
	rc = feed_pair(c, &f);
	free(f.idx);
	sb_free(&dir);
	sb_free(&fsdir);
	sb_free(&title);
	return rc;
}

int
render_feeds(struct render_ctx *c)
{
	struct feed f = {"",   "", "", c->v->site.title ? c->v->site.title : "System Status",
	                 NULL, 0};
	int rc;

	f.n = c->v->nnotices;
	f.idx = xcalloc(f.n ? f.n : 1, sizeof *f.idx);
	for (size_t k = 0; k < f.n; k++)
		f.idx[k] = k;
	rc = feed_pair(c, &f);
	free(f.idx);
	for (size_t i = 0; rc == 0 && i < c->v->nsystems; i++)
		rc = system_feeds(c, i);
	return rc;
}
