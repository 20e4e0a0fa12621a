/* Escaping in every output context, slugs, date and number formats, and
 * the Markdown subset the status site accepts. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "render_md.h"
#include "tap.h"

#define FFFD "\xEF\xBF\xBD"

typedef void (*esc_fn)(struct strbuf *, const char *);

/* An escaper, its input, what it must give. */
static const struct {
	esc_fn fn;
	const char *in, *want, *name;
} escapes[] = {
        {esc_markup, "<script>alert(\"x\")</script> & 'q' ]]>",
         "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; ]]&gt;",
         "markup: tags, both quotes, ampersand, CDATA end"},
        {esc_markup,
         "a\x01"
         "b\x7f"
         "c\td\r\n",
         "a" FFFD "b" FFFD "c\td\r\n", "markup: C0 controls and DEL replaced, tab CR LF kept"},
        {esc_clean, "x\xff\xfey", "x" FFFD FFFD "y", "clean: invalid bytes each replaced"},
        {esc_clean, "\xc0\xaf", FFFD FFFD, "clean: overlong '/' refused"},
        {esc_clean, "\xed\xa0\x80", FFFD FFFD FFFD, "clean: UTF-16 surrogate refused"},
        {esc_clean, "end\xe2\x82", "end" FFFD FFFD, "clean: truncated sequence at the end"},
        {esc_clean, "\xc2\x85|\xef\xbf\xbe", FFFD "|" FFFD, "clean: C1 control and U+FFFE"},
        {esc_clean, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
         "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
         "clean: valid 2, 3 and 4 byte UTF-8 kept"},
        {esc_markup, NULL, "", "markup: NULL is empty"},
        {esc_url_segment, "a b/\xc3\xbc?#%~._-", "a%20b%2F%C3%BC%3F%23%25~._-",
         "url segment: reserved and non-ASCII percent-encoded"},
        {esc_url_segment, "\"><script>", "%22%3E%3Cscript%3E", "url segment: markup"},
};

static const struct {
	const char *url;
	bool safe;
	const char *name;
} urls[] = {
        {"https://example.net/x", true, "https allowed"},
        {"HTTP://example.net/", true, "scheme case-insensitive"},
        {"mailto:noc@example.net", true, "mailto allowed"},
        {"../about.html", true, "relative allowed"},
        {"docs/a:b", true, "colon after a slash is a path"},
        {"javascript:alert(1)", false, "javascript refused"},
        {"JaVaScRiPt:alert(1)", false, "javascript in any case refused"},
        {" javascript:alert(1)", false, "leading space does not sneak in"},
        {"java\tscript:alert(1)", false, "control characters refused"},
        {"data:text/html,x", false, "data refused"},
        {"", false, "empty refused"},
};

static const char big[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static const struct {
	const char *in;
	bool lower;
	const char *want, *name;
} slugs[] = {
        {".co.zm domains", true, "co-zm-domains", "dots and space"},
        {"Down  Time!", true, "down-time", "lowercased, runs collapse, no trailing dash"},
        {"../../etc/passwd", true, "etc-passwd", "no path traversal"},
        {"", true, "x", "empty gives x"},
        {"...", true, "x", "only dots gives x"},
        {"NC036", false, "NC036", "system id keeps its case"},
        {"r\xc3\xa9seau", true, "r\xc3\xa9seau", "non-ASCII letters kept"},
        {"<script>\"'&", true, "script", "markup characters dropped"},
        {"bad\xff"
         "byte",
         true, "bad-byte", "invalid UTF-8 becomes a separator"},
        {big, true, big + 36, "at most 64 bytes"},
};

static void
test_escapes(void)
{
	for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		escapes[i].fn(&sb, escapes[i].in);
		is_str(sb_str(&sb), escapes[i].want, "%s", escapes[i].name);
		sb_free(&sb);
	}
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
		is_int(esc_url_is_safe(urls[i].url), urls[i].safe, "url: %s", urls[i].name);
	for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		esc_slug(&sb, slugs[i].in, slugs[i].lower);
		is_str(sb_str(&sb), slugs[i].want, "slug: %s", slugs[i].name);
		sb_free(&sb);
	}
}

typedef void (*time_fn)(char *, size_t, time_t);

static const struct {
	time_fn fn;
	time_t t;
	const char *want, *name;
} times[] = {
        {fmt_time_human, 1749777836, "13 June 2025 01:23:56 +0000",
         "human date in the long style"},
        {fmt_time_human, 1630549860, "2 September 2021 02:31:00 +0000",
         "human date: day without a leading zero"},
        {fmt_time_iso, 1749777836, "2025-06-13T01:23:56Z", "ISO 8601 date"},
        {fmt_time_rfc822, 1749777836, "Fri, 13 Jun 2025 01:23:56 +0000", "RFC 822 date"},
        {fmt_time_rfc822, 1630549860, "Thu, 02 Sep 2021 02:31:00 +0000",
         "RFC 822 date: two-digit day"},
        {fmt_hhmm, 1630549860, "02:31 UTC", "hours and minutes"},
        {fmt_date_hhmm, 1630549860, "2 September 2021 02:31 UTC", "date, hours and minutes"},
};

static const struct {
	long long s;
	const char *want;
} durations[] = {{360, "6 minutes"}, {60, "1 minute"}, {3900, "1 hour 5 minutes"},
                 {45, "45 seconds"}, {1, "1 second"},  {183600, "2 days 3 hours"},
                 {7200, "2 hours"},  {86400, "1 day"}, {-5, "0 seconds"}};

typedef void (*num_fn)(char *, size_t, double);

static const struct {
	num_fn fn;
	double v;
	const char *want, *name;
} numbers[] = {
        {fmt_uptime, NAN, "\xE2\x80\x94", "uptime: no data is an em dash"},
        {fmt_uptime, 1.0, "100%", "uptime: full"},
        {fmt_uptime, 0.9995, "99.95%", "uptime: two decimals"},
        {fmt_uptime, 0.99999, "99.99%", "uptime: rounded down, never 100%% with downtime"},
        {fmt_uptime, 0.0, "0.00%", "uptime: zero"},
        {fmt_rtt, 12.34, "12.3 ms", "rtt: tens"},
        {fmt_rtt, 0.421, "0.42 ms", "rtt: below 10 ms"},
        {fmt_rtt, 150.4, "150 ms", "rtt: hundreds"},
        {fmt_rtt, NAN, "", "rtt: unknown is empty"},
};

static void
test_formats(void)
{
	char b[FMT_TIME_MAX];

	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		times[i].fn(b, sizeof b, times[i].t);
		is_str(b, times[i].want, "%s", times[i].name);
	}
	fmt_month(b, sizeof b, 2025, 6);
	is_str(b, "June 2025", "month heading");
	for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
		fmt_duration(b, sizeof b, durations[i].s);
		is_str(b, durations[i].want, "duration %lld s", durations[i].s);
	}
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		numbers[i].fn(b, sizeof b, numbers[i].v);
		is_str(b, numbers[i].want, "%s", numbers[i].name);
	}
}

/* Markdown in, the HTML the site shows out. */
static const struct {
	const char *in, *want, *name;
} markdown[] = {
        {"Hello *world*", "<p>Hello <em>world</em></p>\n", "emphasis"},
        {"<script>alert(1)</script>",
         "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n",
         "raw HTML block shown as escaped text"},
        {"a <b onclick=\"x()\">b</b>",
         "<p>a &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt;</p>\n",
         "inline raw HTML shown as escaped text"},
        {"[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n", "javascript link dropped"},
        {"![chart](https://example.net/c.png \"t\")",
         "<p><a href=\"https://example.net/c.png\" title=\"t\">chart</a></p>\n",
         "image becomes a link"},
        {"# Title\n\n## Sub", "<h3>Title</h3>\n<h4>Sub</h4>\n", "headings demoted"},
        {"## Summary\n\n#### Timeline\n\n## Cause",
         "<h3>Summary</h3>\n<h4>Timeline</h4>\n<h3>Cause</h3>\n",
         "a skipped level closed up, the shallowest heading right under the title"},
        {"### Detail\n\n# Top", "<h3>Detail</h3>\n<h3>Top</h3>\n",
         "a first heading deeper than the rest goes no deeper than the title + 1"},
        {"# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6",
         "<h3>1</h3>\n<h4>2</h4>\n<h5>3</h5>\n<h6>4</h6>\n<h6>5</h6>\n<h6>6</h6>\n",
         "levels stop at 6"},
        {"down\x01 \xff", "<p>down" FFFD " " FFFD "</p>\n",
         "control and invalid bytes replaced"},
        {"- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n", "lists"},
        {NULL, "", "NULL body"},
};

static void
test_markdown(void)
{
	for (size_t i = 0; i < sizeof markdown / sizeof markdown[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		is_int(md_to_html(&sb, markdown[i].in), 0, "markdown converts: %s",
		       markdown[i].name);
		is_str(sb_str(&sb), markdown[i].want, "markdown: %s", markdown[i].name);
		sb_free(&sb);
	}
}

/* Under a notice's h3 on a list page the operator's first heading is h4. */
static void
test_markdown_under(void)
{
	struct strbuf sb = STRBUF_INIT;

	is_int(md_to_html_under(&sb, "## Timeline\n\n#### 10:00", 3), 0,
	       "markdown under an h3 converts");
	is_str(sb_str(&sb), "<h4>Timeline</h4>\n<h5>10:00</h5>\n",
	       "markdown under an h3: h4, then h5, no skipped level");
	sb_free(&sb);
}

int
main(void)
{
	test_escapes();
	test_formats();
	test_markdown();
	test_markdown_under();
	return done_testing();
}
