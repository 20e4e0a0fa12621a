/* Escaping in every output context, slugs, date and number formats, and
 * the Markdown subset the status site accepts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "render_md.h"
#include "tap.h"

#define FFFD "\xEF\xBF\xBD"

typedef void (*esc_fn)(struct strbuf *, const char *);

static void
check(esc_fn fn, const char *in, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	fn(&sb, in);
	is_str(sb_str(&sb), want, "%s", name);
	sb_free(&sb);
}

static void
slug(const char *in, int lower, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	esc_slug(&sb, in, lower);
	is_str(sb_str(&sb), want, "slug: %s", name);
	sb_free(&sb);
}

static void
md(const char *in, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	is_int(md_to_html(&sb, in), 0, "markdown converts: %s", name);
	is_str(sb_str(&sb), want, "markdown: %s", name);
	sb_free(&sb);
}

static void
test_clean_and_markup(void)
{
	check(esc_markup, "<script>alert(\"x\")</script> & 'q' ]]>",
	      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; ]]&gt;",
	      "markup: tags, both quotes, ampersand, CDATA end");
	check(esc_markup,
	      "a\x01"
	      "b\x7f"
	      "c\td\r\n",
	      "a" FFFD "b" FFFD "c\td\r\n",
	      "markup: C0 controls and DEL replaced, tab CR LF kept");
	check(esc_clean, "x\xff\xfey", "x" FFFD FFFD "y", "clean: invalid bytes each replaced");
	check(esc_clean, "\xc0\xaf", FFFD FFFD, "clean: overlong '/' refused");
	check(esc_clean, "\xed\xa0\x80", FFFD FFFD FFFD, "clean: UTF-16 surrogate refused");
	check(esc_clean, "end\xe2\x82", "end" FFFD FFFD,
	      "clean: truncated sequence at the end");
	check(esc_clean, "\xc2\x85|\xef\xbf\xbe", FFFD "|" FFFD,
	      "clean: C1 control and U+FFFE");
	check(esc_clean, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	      "clean: valid 2, 3 and 4 byte UTF-8 kept");
	check(esc_markup, NULL, "", "markup: NULL is empty");
	check(esc_url_segment, "a b/\xc3\xbc?#%~._-", "a%20b%2F%C3%BC%3F%23%25~._-",
	      "url segment: reserved and non-ASCII percent-encoded");
	check(esc_url_segment, "\"><script>", "%22%3E%3Cscript%3E", "url segment: markup");
}

static void
test_url_safety(void)
{
	ok(esc_url_is_safe("https://example.net/x"), "url: https allowed");
	ok(esc_url_is_safe("HTTP://example.net/"), "url: scheme case-insensitive");
	ok(esc_url_is_safe("mailto:noc@example.net"), "url: mailto allowed");
	ok(esc_url_is_safe("../about.html"), "url: relative allowed");
	ok(esc_url_is_safe("docs/a:b"), "url: colon after a slash is a path");
	ok(!esc_url_is_safe("javascript:alert(1)"), "url: javascript refused");
	ok(!esc_url_is_safe("JaVaScRiPt:alert(1)"), "url: javascript in any case refused");
	ok(!esc_url_is_safe(" javascript:alert(1)"), "url: leading space does not sneak in");
	ok(!esc_url_is_safe("java\tscript:alert(1)"), "url: control characters refused");
	ok(!esc_url_is_safe("data:text/html,x"), "url: data refused");
	ok(!esc_url_is_safe(""), "url: empty refused");
}

static void
test_slugs(void)
{
	char big[101];

	memset(big, 'a', 100);
	big[100] = '\0';
	slug(".co.zm domains", 1, "co-zm-domains", "dots and space");
	slug("Down  Time!", 1, "down-time", "lowercased, runs collapse, no trailing dash");
	slug("../../etc/passwd", 1, "etc-passwd", "no path traversal");
	slug("", 1, "x", "empty gives x");
	slug("...", 1, "x", "only dots gives x");
	slug("NC036", 0, "NC036", "system id keeps its case");
	slug("r\xc3\xa9seau", 1, "r\xc3\xa9seau", "non-ASCII letters kept");
	slug("<script>\"'&", 1, "script", "markup characters dropped");
	slug("bad\xff"
	     "byte",
	     1, "bad-byte", "invalid UTF-8 becomes a separator");
	slug(big, 1, big + 36, "at most 64 bytes");
}

static void
test_times(void)
{
	char b[FMT_TIME_MAX];

	fmt_time_human(b, sizeof b, 1749777836);
	is_str(b, "13 June 2025 01:23:56 +0000", "human date in the long style");
	fmt_time_human(b, sizeof b, 1630549860);
	is_str(b, "2 September 2021 02:31:00 +0000", "human date: day without a leading zero");
	fmt_time_iso(b, sizeof b, 1749777836);
	is_str(b, "2025-06-13T01:23:56Z", "ISO 8601 date");
	fmt_time_rfc822(b, sizeof b, 1749777836);
	is_str(b, "Fri, 13 Jun 2025 01:23:56 +0000", "RFC 822 date");
	fmt_time_rfc822(b, sizeof b, 1630549860);
	is_str(b, "Thu, 02 Sep 2021 02:31:00 +0000", "RFC 822 date: two-digit day");
	fmt_month(b, sizeof b, 2025, 6);
	is_str(b, "June 2025", "month heading");
}

static void
test_numbers(void)
{
	static const struct {
		long long s;
		const char *want;
	} dur[] = {{360, "6 minutes"}, {60, "1 minute"}, {3900, "1 hour 5 minutes"},
	           {45, "45 seconds"}, {1, "1 second"},  {183600, "2 days 3 hours"},
	           {7200, "2 hours"},  {86400, "1 day"}, {-5, "0 seconds"}};
	char b[64];

	for (size_t i = 0; i < sizeof dur / sizeof dur[0]; i++) {
		fmt_duration(b, sizeof b, dur[i].s);
		is_str(b, dur[i].want, "duration %lld s", dur[i].s);
	}
	fmt_uptime(b, sizeof b, NAN);
	is_str(b, "\xE2\x80\x94", "uptime: no data is an em dash");
	fmt_uptime(b, sizeof b, 1.0);
	is_str(b, "100%", "uptime: full");
	fmt_uptime(b, sizeof b, 0.9995);
	is_str(b, "99.95%", "uptime: two decimals");
	fmt_uptime(b, sizeof b, 0.99999);
	is_str(b, "99.99%", "uptime: rounded down, never 100%% with downtime");
	fmt_uptime(b, sizeof b, 0.0);
	is_str(b, "0.00%", "uptime: zero");
	fmt_rtt(b, sizeof b, 12.34);
	is_str(b, "12.3 ms", "rtt: tens");
	fmt_rtt(b, sizeof b, 0.421);
	is_str(b, "0.42 ms", "rtt: below 10 ms");
	fmt_rtt(b, sizeof b, 150.4);
	is_str(b, "150 ms", "rtt: hundreds");
	fmt_rtt(b, sizeof b, NAN);
	is_str(b, "", "rtt: unknown is empty");
}

static void
test_markdown(void)
{
	md("Hello *world*", "<p>Hello <em>world</em></p>\n", "emphasis");
	md("<script>alert(1)</script>",
	   "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n",
	   "raw HTML block shown as escaped text");
	md("a <b onclick=\"x()\">b</b>",
	   "<p>a &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt;</p>\n",
	   "inline raw HTML shown as escaped text");
	md("[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n",
	   "javascript link dropped");
	md("![chart](https://example.net/c.png \"t\")",
	   "<p><a href=\"https://example.net/c.png\" title=\"t\">chart</a></p>\n",
	   "image becomes a link");
	md("# Title\n\n## Sub", "<h3>Title</h3>\n<h4>Sub</h4>\n", "headings demoted");
	md("down\x01 \xff", "<p>down" FFFD " " FFFD "</p>\n",
	   "control and invalid bytes replaced");
	md("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n", "lists");
	md(NULL, "", "NULL body");
}

int
main(void)
{
	test_clean_and_markup();
	test_url_safety();
	test_slugs();
	test_times();
	test_numbers();
	test_markdown();
	return done_testing();
}
