/* Escaping for every context the status site writes text into. Plugin
 * output (an SMTP banner, a DNS answer) is attacker-controlled and operator
 * text is free-form, so nothing reaches a page, feed or JSON file without
 * passing through one of these.
 *
 * Every function first makes its input clean UTF-8 (esc_clean): invalid
 * bytes, surrogates, control characters other than tab, LF and CR, C1
 * controls and U+FFFE/U+FFFF each become U+FFFD, so the result is always
 * well-formed XML 1.0 and valid UTF-8 for jansson. */
#ifndef GLANCE_ESCAPE_H
#define GLANCE_ESCAPE_H

#include <stdbool.h>

#include "strbuf.h"

/* Appends s as clean UTF-8 (see above). NULL appends nothing. */
void esc_clean(struct strbuf *out, const char *s);
/* The same into a new string the caller frees. NULL gives "". */
char *esc_clean_dup(const char *s);

/* For HTML text, double- or single-quoted HTML attribute values, XML text
 * and XML attributes: & < > " ' become entities. */
void esc_markup(struct strbuf *out, const char *s);

/* For one URL path segment: everything but RFC 3986 unreserved characters
 * is percent-encoded (so '/', '?', '#', '%' and non-ASCII are too). */
void esc_url_segment(struct strbuf *out, const char *s);

/* True when an operator-given URL may become an href: http, https or
 * mailto, or a relative reference without a scheme. javascript:, data:
 * and the like are refused. */
bool esc_url_is_safe(const char *url);

/* A file-name-safe slug: ASCII letters and digits are kept (lowercased
 * when lower is set), other non-ASCII characters are kept as UTF-8, and
 * every run of anything else becomes one '-'; no leading or trailing '-',
 * at most 64 bytes; "x" when nothing is left, so never "", "." or "..". Used for tag
 * directories and per-system directories. */
void esc_slug(struct strbuf *out, const char *s, bool lower);

#endif
