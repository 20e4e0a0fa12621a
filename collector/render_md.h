/* Operator notices are written in Markdown (CommonMark, through libcmark).
 * Only a small, safe subset reaches the page: raw HTML is shown as the
 * literal text that was typed (escaped), images become plain links (the
 * page makes no third-party requests), headings are demoted below the
 * notice's own title without skipping a level, and cmark's safe mode drops javascript:,
 * vbscript:, file: and data: link targets. */
#ifndef GLANCE_RENDER_MD_H
#define GLANCE_RENDER_MD_H

#include "strbuf.h"

/* Appends the HTML for Markdown text md (NULL is empty). Returns 0, or -1
 * when libcmark fails (out of memory). */
int md_to_html(struct strbuf *out, const char *md);
/* The same under a title of heading level top (1-5): the operator's
 * headings start at top + 1 and never skip a level. md_to_html is
 * md_to_html_under(out, md, 2), for feeds and the API. */
int md_to_html_under(struct strbuf *out, const char *md, int top);

#endif
