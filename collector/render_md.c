#include "render_md.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Replaces node with a new node of type t carrying node's literal text. */
static int
md_as_literal(cmark_node *node, cmark_node_type t)
{
	cmark_node *n = cmark_node_new(t);
	const char *lit = cmark_node_get_literal(node);

	if (n == NULL || !cmark_node_set_literal(n, lit ? lit : "") ||
	    !cmark_node_replace(node, n)) {
		cmark_node_free(n);
		return -1;
	}
	cmark_node_free(node);
	return 0;
}

/* Replaces an image with a link to the same target around its alt text. */
static int
md_image_to_link(cmark_node *img)
{
	cmark_node *link = cmark_node_new(CMARK_NODE_LINK), *c;
	const char *url = cmark_node_get_url(img), *title = cmark_node_get_title(img);

	if (link == NULL || !cmark_node_set_url(link, url ? url : "") ||
	    !cmark_node_set_title(link, title ? title : "")) {
		cmark_node_free(link);
		return -1;
	}
	while ((c = cmark_node_first_child(img)) != NULL) {
		cmark_node_unlink(c);
		if (!cmark_node_append_child(link, c)) {
			cmark_node_free(c);
			cmark_node_free(link);
			return -1;
		}
	}
	if (!cmark_node_replace(img, link)) {
		cmark_node_free(link);
		return -1;
	}
	cmark_node_free(img);
	return 0;
}

/* Heading levels for the operator's headings under a title of level top:
 * the levels used are ranked (the shallowest becomes top + 1, the next
 * top + 2 ...), and no heading goes more than one level below the one
 * before it, so "# A / ### B" or a first "##" never skips a level
 * (WCAG 1.3.1, axe "heading-order"). Levels stop at 6. */
struct md_levels {
	int rank[7];
	int prev;
};

static void
md_levels_init(struct md_levels *lv, cmark_node *const *nodes, size_t n, int top)
{
	bool used[7] = {false};
	int next = top + 1;

	for (size_t i = 0; i < n; i++)
		if (cmark_node_get_type(nodes[i]) == CMARK_NODE_HEADING)
			used[cmark_node_get_heading_level(nodes[i])] = true;
	for (int l = 1; l <= 6; l++) {
		lv->rank[l] = next > 6 ? 6 : next;
		next += used[l];
	}
	lv->prev = top;
}

static int
md_heading(cmark_node *n, struct md_levels *lv)
{
	int level = lv->rank[cmark_node_get_heading_level(n)];

	if (level > lv->prev + 1)
		level = lv->prev + 1;
	if (level > 6)
		level = 6;
	lv->prev = level;
	return cmark_node_set_heading_level(n, level) ? 0 : -1;
}

static int
md_fix_node(cmark_node *n, struct md_levels *lv)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_BLOCK: return md_as_literal(n, CMARK_NODE_CODE_BLOCK);
	case CMARK_NODE_HTML_INLINE: return md_as_literal(n, CMARK_NODE_TEXT);
	case CMARK_NODE_IMAGE: return md_image_to_link(n);
	case CMARK_NODE_HEADING: return md_heading(n, lv);
	default: return 0;
	}
}

/* The tree may not change under an iterator, so the nodes to rewrite are
 * collected first and rewritten after, in document order. */
static int
md_restrict(cmark_node *doc, int top)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **pending = NULL;
	struct md_levels lv;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (it == NULL)
		return -1;
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(cur);
		if (cmark_iter_get_event_type(it) == CMARK_EVENT_EXIT ||
		    (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE &&
		     t != CMARK_NODE_IMAGE && t != CMARK_NODE_HEADING))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			pending = xrealloc(pending, cap * sizeof *pending);
		}
		pending[n++] = cur;
	}
	cmark_iter_free(it);
	md_levels_init(&lv, pending, n, top);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = md_fix_node(pending[i], &lv);
	free(pending);
	return rc;
}

int
md_to_html(struct strbuf *out, const char *md)
{
	return md_to_html_under(out, md, 2);
}

int
md_to_html_under(struct strbuf *out, const char *md, int top)
{
	char *clean = esc_clean_dup(md), *html;
	cmark_node *doc;
	int rc = -1;

	doc = cmark_parse_document(clean, strlen(clean), CMARK_OPT_VALIDATE_UTF8);
	free(clean);
	if (doc == NULL)
		return -1;
	if (md_restrict(doc, top < 1 ? 1 : top > 5 ? 5 : top) == 0) {
		/* CMARK_OPT_SAFE is cmark's default since 0.29; it is named so
		 * the intent survives an older library. */
		html = cmark_render_html(doc, CMARK_OPT_SAFE);
		if (html != NULL) {
			sb_append(out, html);
			free(html);
			rc = 0;
		}
	}
	cmark_node_free(doc);
	return rc;
}
