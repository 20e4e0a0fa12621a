/* The status site end to end: a site_view built in memory (every system
 * status, public and internal systems, notices of every kind, tags,
 * maintenance windows, attacker-controlled text) is rendered into a temp
 * directory, and the result is checked with xmllint (HTML and feeds) and
 * jansson (JSON); then failures and crashes must leave the last good site
 * in place, byte for byte. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "render.h"
#include "tap.h"

#define GEN 1749780000 /* 13 June 2025 02:00:00 UTC */
#define BANNER "220 mx.example.net <script>alert(1)</script> ]]> \"dq\" 'sq' & \x01\xff ESMTP"
#define ATTACK_TITLE "Email: <script>alert('t')</script> & \"quotes\" ]]>"
#define SECRET "SECRET-INTERNAL-OUTPUT-7f3a"

/* ---- building the view ---- */

static char *
S(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
add_system(struct site_view *v, const char *id, const char *loc, const char *role,
           enum sys_status st, enum ping_status ping, double rtt, double up)
{
	struct system_view *s;

	v->systems = xrealloc(v->systems, (v->nsystems + 1) * sizeof *v->systems);
	s = &v->systems[v->nsystems++];
	memset(s, 0, sizeof *s);
	s->id = S(id);
	s->location = S(loc);
	s->role = S(role);
	s->status = st;
	s->internal = st == SYS_INTERNAL;
	s->ping = ping;
	s->rtt_ms = rtt;
	s->ping_checked = GEN - 60;
	s->status_since = GEN - 3600;
	for (int w = 0; w < UPTIME_NWIN; w++) {
		s->uptime[w] = up;
		s->maint_seconds[w] = 0;
	}
	{
		struct strbuf name = STRBUF_INIT;
		sb_appendf(&name, "Server %s", id);
		s->name = sb_detach(&name);
	}
}

static void
add_service(struct site_view *v, const char *name, enum gl_state st, const char *out)
{
	struct system_view *s = &v->systems[v->nsystems - 1];

	s->services = xrealloc(s->services, (s->nservices + 1) * sizeof *s->services);
	s->services[s->nservices++] = (struct service_view){S(name), st, S(out), GEN - 1800};
}

static struct notice_view *
add_notice(struct site_view *v, int64_t id, int64_t inc, const char *sys, const char *title,
           enum notice_kind k, time_t posted, const char *body)
{
	struct notice_view *n;

	v->notices = xrealloc(v->notices, (v->nnotices + 1) * sizeof *v->notices);
	n = &v->notices[v->nnotices++];
	memset(n, 0, sizeof *n);
	n->id = id, n->incident_id = inc, n->system_id = S(sys), n->title = S(title);
	n->kind = k, n->posted = posted, n->body = S(body);
	return n;
}

static void
add_tag(struct notice_view *n, const char *tag)
{
	n->tags = xrealloc(n->tags, (n->ntags + 1) * sizeof *n->tags);
	n->tags[n->ntags++] = S(tag);
}

static void
make_systems(struct site_view *v)
{
	add_system(v, "NC036", "Amsterdam, Netherlands", "Mail server", SYS_OPERATIONAL,
	           PING_UP, 12.34, 0.9995);
	add_service(v, "SMTP", GL_OK, BANNER);
	add_service(v, "IMAP", GL_OK, "IMAP OK - 0.012 second response time");
	v->systems[0].maint_seconds[UPTIME_30D] = 3900;
	v->systems[0].ndaily = 90;
	v->systems[0].daily_uptime = xcalloc(90, sizeof(double));
	for (int k = 0; k < 90; k++)
		v->systems[0].daily_uptime[k] = k < 10    ? NAN
		                                : k == 87 ? 0.5
		                                : k == 88 ? 0.995
		                                          : 1.0;
	add_system(v, "NC033", "Toronto, Canada", "Primary nameserver", SYS_PARTIAL, PING_UP,
	           30, 0.99);
	add_service(v, "DNS", GL_CRITICAL, "DNS CRITICAL - SERVFAIL for example.net");
	add_system(v, "NC041", "New York, United States of America", "Web server", SYS_MAJOR,
	           PING_DOWN, NAN, 0.5);
	add_system(v, "NC023", "London, United Kingdom", "Relay server", SYS_MAINTENANCE,
	           PING_UP, 8, 0.97);
	add_system(v, "NC099", "Lusaka, Zambia", "Phone server", SYS_UNKNOWN, PING_UNKNOWN, NAN,
	           NAN);
	add_system(v, "NC028", "Vancouver, Canada", "Monitoring server", SYS_INTERNAL, PING_UP,
	           77.77, 0.4321);
	add_service(v, "Disk", GL_CRITICAL, SECRET);
}

/* Notices newest first, as derive hands them over. */
static void
make_notices(struct site_view *v)
{
	struct notice_view *n;

	n = add_notice(v, 1, 400, "NC033", "NC033: Server maintenance", NOTICE_MAINT_SCHEDULED,
	               GEN - 60, "Upgrading the nameserver.");
	n->maint = MAINT_SCHEDULED, n->starts = GEN + 86400, n->ends = GEN + 90000;
	n = add_notice(v, 9, 200, "NC023", "NC023: Maintenance underway", NOTICE_MAINT_UNDERWAY,
	               GEN - 600, "Server NC023 went down for maintenance at 01:50 UTC.");
	n->maint = MAINT_IN_PROGRESS, n->starts = GEN - 600, n->ends = GEN + 3000;
	add_tag(n, "maintenance");
	n = add_notice(v, 2, 300, "NC041", "NC041: Server down", NOTICE_OUTAGE, GEN - 900,
	               "Server NC041 is not answering.");
	n->state = INC_INVESTIGATING, n->starts = GEN - 960;
	n = add_notice(v, 8, 200, "NC023", "NC023: Server maintenance", NOTICE_MAINT_SCHEDULED,
	               GEN - 7200, "Server NC023 will be going down within the next hour.");
	n->maint = MAINT_SCHEDULED, n->starts = GEN - 600, n->ends = GEN + 3000;
	add_tag(n, "maintenance");
	n = add_notice(v, 7, 100, "NC036", "NC036: Server back online", NOTICE_RECOVERY,
	               1630551574,
	               "Server NC036 is back online. It was down for 6 minutes between 02:31 "
	               "and 02:37 UTC.");
	n->starts = 1630549860, n->ends = 1630550220;
	add_tag(n, "mail server");
	add_tag(n, "Down Time");
	n = add_notice(v, 6, 100, "NC036", "NC036: Update 1", NOTICE_OPERATOR, 1630550100,
	               "We *identified* the problem.\n\n<script>alert('md')</script>\n\n"
	               "[click](javascript:alert(1))");
	n->state = INC_IDENTIFIED;
	add_tag(n, "mail server");
	n = add_notice(v, 5, 100, "NC036", "NC036: Server down", NOTICE_OUTAGE, 1630549900,
	               "Server NC036 is down.");
	n->impact = IMPACT_MAJOR;
	add_tag(n, "down time");
	n = add_notice(v, 4, 0, NULL, "Connectivity issue at London data centre",
	               NOTICE_OPERATOR, 1451199138,
	               "The London data centre has been suffering from DoS attacks.");
	add_tag(n, "dos attack");
	add_tag(n, "connection issues");
	n = add_notice(v, 3, 0, NULL, ATTACK_TITLE, NOTICE_OPERATOR, 1451000000,
	               "Banner: `" BANNER "`\n\n<img src=x onerror=alert(1)>\n");
	add_tag(n, "<script>");
	add_tag(n, ".co.zm domains");
}

static void
make_view(struct site_view *v)
{
	memset(v, 0, sizeof *v);
	v->site.title = S("Server and System Status");
	v->site.name = S("NinerNet Communications");
	v->site.base_url = S("https://status.example.net/");
	v->site.description = S("The status of NinerNet's servers & services.");
	v->site.tz_note = S("All times are UTC.");
	v->site.footer = xcalloc(2, sizeof *v->site.footer);
	v->site.footer[0] = (struct link){S("Home"), S("https://example.net/")};
	v->site.footer[1] = (struct link){S("Evil"), S("javascript:alert(1)")};
	v->site.nfooter = 2;
	v->generated = GEN;
	make_systems(v);
	make_notices(v);
}

/* ---- running xmllint, reading the site ---- */

/* Runs argv with stdout captured into out; returns the exit status, or
 * -1 if it could not run. No shell. */
static int
run_capture(char *const argv[], struct strbuf *out)
{
	int fd[2], st;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(fd[1], STDOUT_FILENO);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(fd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			sb_appendn(out, buf, (size_t)n);
	close(fd[0]);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* xmllint's answer to an XPath expression over one file; html parses it
 * as HTML rather than XML. The caller frees. */
static char *
xpath(const char *dir, const char *file, const char *expr, int html)
{
	struct strbuf path = STRBUF_INIT, out = STRBUF_INIT;
	char *argv[6];
	int i = 0;

	sb_appendf(&path, "%s/%s", dir, file);
	argv[i++] = "xmllint";
	if (html)
		argv[i++] = "--html";
	argv[i++] = "--xpath";
	argv[i++] = (char *)expr;
	argv[i++] = (char *)sb_str(&path);
	argv[i] = NULL;
	if (run_capture(argv, &out) != 0)
		sb_append(&out, "(xmllint failed)");
	sb_free(&path);
	/* xmllint ends its answer with a newline of its own. */
	if (out.len > 0 && out.buf[out.len - 1] == '\n')
		out.buf[--out.len] = '\0';
	sb_append(&out, "");
	return sb_detach(&out);
}

#define XP_IS(dir, file, html, expr, want, ...)                                                \
	do {                                                                                   \
		char *got_ = xpath(dir, file, expr, html);                                     \
		is_str(got_, want, __VA_ARGS__);                                               \
		free(got_);                                                                    \
	} while (0)

/* One XPath check: file of the site, parsed as HTML or XML, the
 * expression, the text it must give. */
struct xp_case {
	const char *file;
	int html;
	const char *expr, *want, *name;
};

static void
xp_table(const char *dir, const struct xp_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		XP_IS(dir, c[i].file, c[i].html, c[i].expr, c[i].want, "%s", c[i].name);
}

static char *
slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sb_appendn(&sb, buf, (size_t)n);
	close(fd);
	if (len)
		*len = sb.len;
	sb_append(&sb, "");
	return sb_detach(&sb);
}

struct files {
	char **rel;
	size_t n;
};

static void
walk(const char *root, const char *rel, struct files *f)
{
	struct strbuf dir = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	sb_appendf(&dir, "%s%s%s", root, rel[0] ? "/" : "", rel);
	d = opendir(sb_str(&dir));
	while (d != NULL && (de = readdir(d)) != NULL) {
		struct strbuf r = STRBUF_INIT;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sb_appendf(&r, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		if (de->d_type == DT_DIR) {
			walk(root, sb_str(&r), f);
			sb_free(&r);
		} else {
			f->rel = xrealloc(f->rel, (f->n + 1) * sizeof *f->rel);
			f->rel[f->n++] = sb_detach(&r);
		}
	}
	if (d != NULL)
		closedir(d);
	sb_free(&dir);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
files_free(struct files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->rel[i]);
	free(f->rel);
	f->rel = NULL;
	f->n = 0;
}

/* Every file's name and bytes, in name order: two equal snapshots mean a
 * byte-identical site. Follows the out_dir link. */
static char *
snapshot(const char *site)
{
	struct files f = {NULL, 0};
	struct strbuf sb = STRBUF_INIT;

	walk(site, "", &f);
	qsort(f.rel, f.n, sizeof *f.rel, str_cmp);
	for (size_t i = 0; i < f.n; i++) {
		struct strbuf p = STRBUF_INIT;
		size_t len = 0;
		char *data;
		sb_appendf(&p, "%s/%s", site, f.rel[i]);
		data = slurp(sb_str(&p), &len);
		sb_appendf(&sb, "== %s %zu\n", f.rel[i], len);
		if (data)
			sb_appendn(&sb, data, len);
		free(data);
		sb_free(&p);
	}
	files_free(&f);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

/* How many entries of dir start with prefix. */
static int
count_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	if (d != NULL)
		closedir(d);
	return n;
}

#define BANNER_CLEAN                                                                           \
	"220 mx.example.net <script>alert(1)</script> ]]> \"dq\" 'sq' & "                      \
	"\xEF\xBF\xBD\xEF\xBF\xBD "                                                            \
	"ESMTP"

/* ---- the checks ---- */

static void
test_files(const char *site)
{
	static const char *const want[] = {"index.html",
	                                   "feed.rss",
	                                   "feed.atom",
	                                   "status.json",
	                                   "api/v2/status.json",
	                                   "api/v2/summary.json",
	                                   "api/v2/components.json",
	                                   "api/v2/incidents.json",
	                                   "api/v2/incidents/unresolved.json",
	                                   "api/v2/scheduled-maintenances.json",
	                                   "api/v2/scheduled-maintenances/upcoming.json",
	                                   "api/v2/scheduled-maintenances/active.json",
	                                   "notices/7.html",
	                                   "notices/3.html",
	                                   "archive/index.html",
	                                   "archive/2025/06/index.html",
	                                   "archive/2021/09/index.html",
	                                   "archive/2015/12/index.html",
	                                   "tags/index.html",
	                                   "tags/down-time/index.html",
	                                   "tags/mail-server/index.html",
	                                   "tags/co-zm-domains/index.html",
	                                   "tags/script/index.html",
	                                   "systems/NC036/index.html",
	                                   "systems/NC036/feed.atom",
	                                   "systems/NC036/feed.rss",
	                                   "systems/NC028/index.html"};
	struct files f = {NULL, 0};
	struct strbuf argv0 = STRBUF_INIT, out = STRBUF_INIT;
	char **argv;
	size_t n = 0;

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct strbuf p = STRBUF_INIT;
		sb_appendf(&p, "%s/%s", site, want[i]);
		ok(access(sb_str(&p), R_OK) == 0, "file written: %s", want[i]);
		sb_free(&p);
	}
	/* Every page and feed is well-formed XML (the HTML is written so). */
	walk(site, "", &f);
	argv = xcalloc(f.n + 3, sizeof *argv);
	argv[n++] = "xmllint";
	argv[n++] = "--noout";
	for (size_t i = 0; i < f.n; i++) {
		const char *dot = strrchr(f.rel[i], '.');
		if (dot &&
		    (!strcmp(dot, ".html") || !strcmp(dot, ".rss") || !strcmp(dot, ".atom"))) {
			struct strbuf p = STRBUF_INIT;
			sb_appendf(&p, "%s/%s", site, f.rel[i]);
			argv[n++] = sb_detach(&p);
		}
	}
	ok(n > 40, "found %zu pages and feeds to check", n - 2);
	is_int(run_capture(argv, &out), 0,
	       "every page and feed is well-formed XML (xmllint --noout)");
	for (size_t i = 2; i < n; i++)
		free(argv[i]);
	free(argv);
	files_free(&f);
	sb_free(&argv0);
	sb_free(&out);
}

static void
test_index_table(const char *s)
{
	{
		static const struct xp_case cases[] = {
		        {"index.html", 1, "string(/html/@lang)", "en", "html lang attribute"},
		        {"index.html", 1, "count(//table[@class='glance']/tbody/tr)", "6",
		         "one row per system"},
		        {"index.html", 1,
		         "count(//table[@class='glance']/thead//th[@scope='col'])", "4",
		         "four column headers with scope"},
		        {"index.html", 1,
		         "concat(//table[@class='glance']/thead//th[1], '|', "
		         "//table[@class='glance']/thead//th[2], '|', "
		         "//table[@class='glance']/thead//th[3], '|', "
		         "//table[@class='glance']/thead//th[4])",
		         "Loc.|System|Status|Ping",
		         "the columns: Loc. | System | Status | Ping"},
		        {"index.html", 1,
		         "count(//table[@class='glance']/tbody//th[@scope='row'])", "6",
		         "row headers with scope"},
		        {"index.html", 1, "string(//tr[@id='sys-NC036']/td[1]/@title)",
		         "Server NC036, Amsterdam, Netherlands (Mail server), OPERATIONAL.",
		         "location tooltip: the row in one sentence"},
		        {"index.html", 1, "string(//tr[@id='sys-NC036']/td[2])",
		         "\xE2\x9C\x94 Operational", "operational: text and glyph"},
		        {"index.html", 1, "string(//tr[@id='sys-NC033']/td[2])",
		         "\xE2\x96\xB2 Partial outage",
		         "a service down, host up: partial outage"},
		        {"index.html", 1, "string(//tr[@id='sys-NC041']/td[2])",
		         "\xE2\x9C\x96 Major outage", "major outage"},
		        {"index.html", 1, "string(//tr[@id='sys-NC023']/td[2])",
		         "\xE2\x97\x86 Under maintenance", "under maintenance"},
		        {"index.html", 1, "string(//tr[@id='sys-NC099']/td[2])", "? No data",
		         "no data"},
		        {"index.html", 1, "string(//tr[@id='sys-NC028']/td[2])",
		         "\xE2\x97\x8B Internal", "internal"},
		        {"index.html", 1, "string(//tr[@id='sys-NC036']/td[2]/span/@class)",
		         "st st-operational", "status colour class"},
		        {"index.html", 1,
		         "concat(//tr[@id='sys-NC036']/td[3]/small, '|', "
		         "count(//tr[@id='sys-NC036']/td[3]/@title))",
		         "(12.3 ms)|0", "RTT as visible text, nothing only on hover"},
		        {"index.html", 1, "string(//tr[@id='sys-NC036']/td[3])", "Up (12.3 ms)",
		         "ping text with its RTT"},
		        {"index.html", 1, "string(//tr[@id='sys-NC041']/td[3])", "Down",
		         "ping down"},
		        {"index.html", 1, "count(//tr[@id='sys-NC041']/td[3]/*)", "0",
		         "no RTT: the state alone"},
		        {"index.html", 1,
		         "concat(string(//tr[@id='sys-NC028']/td[3]), '|', "
		         "count(//tr[@id='sys-NC028']/td[3]/@title))",
		         "Up|0", "internal: ping state, no RTT"},
		        {"index.html", 1, "string(//tr[@id='sys-NC036']/th/a/@href)",
		         "systems/NC036/index.html", "system links to its page"},
		        {"index.html", 1, "string(//p[contains(@class,'overall')])",
		         "\xE2\x9C\x96 Major outage: NC041",
		         "headline: the worst status and who has it"},
		        {"index.html", 1, "count(/html/head/link[@rel='alternate'])", "3",
		         "alternate links for the feeds and JSON"},
		        {"index.html", 1, "normalize-space(//footer/p[1])",
		         "Last updated 13 June 2025 02:00:00 +0000. All times are UTC.",
		         "last updated"},
		        {"index.html", 1, "string(//footer/p[1]/time/@datetime)",
		         "2025-06-13T02:00:00Z", "last updated is machine-readable"},
		        {"index.html", 1,
		         "concat(count(//footer//a[.='Home']), "
		         "count(//a[starts-with(@href,'javascript')]))",
		         "10", "footer: safe link kept, javascript: link not made"},
		};
		xp_table(s, cases, sizeof cases / sizeof cases[0]);
	}
}

/* The runs of NC036's day bars drawn in colour class CLS. */
#define DAYROW "//tr[th/a='NC036']/following-sibling::tr[1]"
#define DAYS(cls) "string(" DAYROW "//path[@class='" cls "']/@d)"
/* The lines of NC036's day list. */
#define DLI DAYROW "//details/ul/li"

static void
test_index_notices(const char *s)
{
	{
		static const struct xp_case cases[] = {
		        {"index.html", 1,
		         "concat(count(//section[@class='pinned']/article), '|', "
		         "count(//section[@class='upcoming']/article), '|', "
		         "count(//section[h2/@id='notices-h']/article))",
		         "2|1|5",
		         "open incident and maintenance under way pinned, upcoming maintenance "
		         "listed apart, every other notice listed"},
		        {"index.html", 1, "concat(//h2[@id='pin-h'], '|', //h2[@id='up-h'])",
		         "Open incidents and maintenance under way|Upcoming maintenance",
		         "the two sections' headings say what they hold"},
		        {"index.html", 1, "string(//article[1]/h3/a)", "NC041: Server down",
		         "the open incident first of all"},
		        {"index.html", 1,
		         "string(//section[h2/@id='notices-h']/article[1]/h3/a)",
		         "NC036: Server back online", "the other notices newest first"},
		        {"index.html", 1, "string(//article[@id='n7']/h3/a)",
		         "NC036: Server back online", "notice title"},
		        {"index.html", 1, "string(//article[@id='n7']/h3/a/@href)",
		         "notices/7.html", "notice links to its page"},
		        {"index.html", 1,
		         "string(//article[@id='n7']/p[@class='meta'][1]/time)",
		         "2 September 2021 02:59:34 +0000", "date in the long style"},
		        {"index.html", 1,
		         "string(//article[@id='n7']/p[@class='meta'][1]/time/@datetime)",
		         "2021-09-02T02:59:34Z", "ISO datetime attribute"},
		        {"index.html", 1, "string(//article[@id='n7']//span[@class='badge'])",
		         "Resolved", "a recovery resolves the incident"},
		        {"index.html", 1,
		         "normalize-space(//article[@id='n7']/p[@class='meta'][2])",
		         "From 2 September 2021 02:31:00 +0000 to 2 September 2021 02:37:00 "
		         "+0000 (6 "
		         "minutes)",
		         "outage window with its duration"},
		        {"index.html", 1,
		         "normalize-space(//article[@id='n7']/div[@class='body'])",
		         "Server NC036 is back online. It was down for 6 minutes between 02:31 "
		         "and 02:37 "
		         "UTC.",
		         "notice body exact"},
		        {"index.html", 1,
		         "normalize-space(//article[@id='n7']/p[@class='tags'])",
		         "Tags: mail server, Down Time", "tags"},
		        {"index.html", 1,
		         "string(//article[@id='n7']/p[@class='tags']/a[2]/@href)",
		         "tags/down-time/index.html", "tag link uses the slug"},
		        {"index.html", 1, "string(//article[@id='n3']/h3/a)", ATTACK_TITLE,
		         "hostile title shown as text"},
		        {"index.html", 1, "string(//article[@id='n6']//pre/code)",
		         "<script>alert('md')</script>\n",
		         "raw HTML in Markdown shown as text"},
		        {"index.html", 1, "string(//article[@id='n6']//a[.='click']/@href)", "",
		         "javascript: link in Markdown dropped"},
		        {"index.html", 1,
		         "concat(count(//script), count(//script[contains(., 'alert')]), "
		         "count(//img), count(//*[@onerror]))",
		         "1000",
		         "no script (but the local-time one), image or handler from any text"},
		        {"index.html", 1, "count(//article[@id='n4']//span[@class='badge'])",
		         "0", "an announcement has no incident state"},
		        {"index.html", 1,
		         "concat(//section[@class='pinned']/article[2]/h3, '|', "
		         "normalize-space(//section[@class='pinned']/article[2]/p[1]))",
		         "NC023: Server maintenance|In progress Started 13 June 2025 01:50:00 "
		         "+0000, ends 13 June 2025 02:50:00 +0000 (1 hour)",
		         "maintenance under way, with its window"},
		        {"index.html", 1,
		         "normalize-space(//section[@class='pinned']/article[2]/p[2])",
		         "Update 13 June 2025 01:50:00 +0000: NC023: Maintenance underway",
		         "maintenance under way: its latest update, dated"},
		        {"index.html", 1,
		         "normalize-space(//section[@class='pinned']/article[2]/"
		         "div[@class='body'])",
		         "Server NC023 went down for maintenance at 01:50 UTC.",
		         "maintenance under way: its latest update's text"},
		        {"index.html", 1,
		         "string(//section[@class='upcoming']/article[1]//"
		         "span[@class='badge'])",
		         "Scheduled", "maintenance upcoming"},
		        {"index.html", 1,
		         "concat(count(//section[@class='upcoming']/article[1]/p), '|', "
		         "normalize-space(//section[@class='upcoming']/article[1]/"
		         "div[@class='body']))",
		         "1|Upgrading the nameserver.",
		         "maintenance upcoming: what it is for, under its window"},
		        {"index.html", 1,
		         "count(//section[@class='pinned']/following::table[@class='glance'])",
		         "1", "open items pinned above the table"},
		        {"index.html", 1,
		         "count(//section[@class='upcoming']/"
		         "preceding::table[@class='glance'])",
		         "1", "upcoming maintenance under the table"},
		        {"index.html", 1, "count(//table[@class='uptime']/tbody/tr/th)", "5",
		         "uptime for public systems only"},
		        {"index.html", 1,
		         "string(//table[@class='uptime']//tr[th/a='NC036']/td[1])", "99.95%",
		         "uptime percentage"},
		        {"index.html", 1,
		         "string(//table[@class='uptime']//tr[th/a='NC036']/td[3]/small)",
		         "maint. 1\xC2\xA0hour 5\xC2\xA0minutes",
		         "maintenance time as visible text, each number bound to its unit"},
		        {"index.html", 1,
		         "string(//table[@class='uptime']//tr[th/a='NC099']/td[4])",
		         "\xE2\x80\x94", "no data shown as a dash"},
		        {"index.html", 1,
		         "concat(" DAYS("d-none") ", '|', " DAYS("d-ok") ", '|', " DAYS(
		                 "d-warn") ", '|', " DAYS("d-bad") ", '|', "
		                                                   "count(" DAYROW
		                                                   "/td[@colspan='4']), '|', "
		                                                   "count(//"
		                                                   "table[@class='uptime']"
		                                                   "//svg))",
		         "M0 5h40|M40 5h308M356 5h4|M352 5h4|M348 5h4|1|1",
		         "day bars, 4 units a day, a run of one colour one line: 10 days "
		         "without data are grey, then 77 good, a bad day, a poor one, a "
		         "good one; on a row of their own under the figures, only for a "
		         "system with history"},
		        {"index.html", 1,
		         "concat(//tr[th/a='NC036']/th/@rowspan, '|', "
		         "count(//tr[th/a='NC033']/th/@rowspan))",
		         "2|0", "the row header spans the figures and the bars"},
		        {"index.html", 1, "count(" DAYROW "//rect)", "0", "no element per day"},
		        {"index.html", 1, "normalize-space(" DAYROW "//details/summary)",
		         "Last 90 days: 78 fully up, 2 with downtime, 10 without data",
		         "the days of each kind counted, in a details to open"},
		        {"index.html", 1,
		         "concat(count(" DLI "), '|', " DLI "[1], '|', " DLI "[2], '|', " DLI
		         "[3], '|', " DLI "[4], '|', " DLI "[5])",
		         "5|13 June 2025: 100% up|12 June 2025: 99.50% up|11 June 2025: 50.00% "
		         "up|"
		         "26 March \xE2\x80\x93 10 June 2025: 100% up|16\xE2\x80\x93"
		         "25 March "
		         "2025: "
		         "no data",
		         "every day as text, newest first: a run of fully up days on one line, "
		         "a run without data on one line, any other day on its own"},
		        {"index.html", 1,
		         "concat(count(" DAYROW
		         "//svg[@aria-hidden='true']), '|', count(//svg[@role]))",
		         "1|0",
		         "the bars are hidden from screen readers: the list says it in words"},
		        {"index.html", 1, "normalize-space(//ul[@class='archives'])",
		         "June 2025 (4) September 2021 (3) December 2015 (2)",
		         "monthly archives listed"},
		        {"index.html", 1, "string(//ul[@class='archives']/li[2]/a/@href)",
		         "archive/2021/09/index.html", "archive link"},
		        {"index.html", 1, "normalize-space(//ul[@class='taglist'])",
		         ".co.zm domains (1) connection issues (1) dos attack (1) Down Time "
		         "(2) mail "
		         "server (2) "
		         "maintenance (2) <script> (1)",
		         "tags merged by slug and counted"},
		};
		xp_table(s, cases, sizeof cases / sizeof cases[0]);
	}
}

static void
test_pages(const char *s)
{
	{
		static const struct xp_case cases[] = {
		        {"notices/7.html", 1, "string(//article/h2)",
		         "NC036: Server back online", "notice page title"},
		        {"notices/7.html", 1,
		         "normalize-space(//nav[@aria-labelledby='tl-h']/ol)",
		         "2 September 2021 02:31:40 +0000 Investigating NC036: Server down "
		         "2 September 2021 02:35:00 +0000 Identified NC036: Update 1 "
		         "2 September 2021 02:59:34 +0000 Resolved NC036: Server back online",
		         "incident timeline, oldest first, with states"},
		        {"notices/7.html", 1, "string(//li/strong[@aria-current='page'])",
		         "NC036: Server back online", "timeline marks this notice"},
		        {"notices/7.html", 1, "string(//p[starts-with(.,'System:')]/a/@href)",
		         "../systems/NC036/index.html", "notice links its system"},
		        {"notices/7.html", 1, "string(/html/head/title)",
		         "NC036: Server back online", "notice page head title"},
		        {"archive/2021/09/index.html", 1,
		         "concat(string(//main/h2), '|', count(//article))",
		         "Notices of September 2021|3", "monthly archive"},
		        {"archive/2021/09/index.html", 1, "string(//article[1]/h3/a/@href)",
		         "../../../notices/7.html", "archive links are relative to its depth"},
		        {"tags/down-time/index.html", 1, "count(//article)", "2", "tag page"},
		        {"tags/script/index.html", 1, "string(//main/h2)",
		         "Notices tagged \xE2\x80\x9C<script>\xE2\x80\x9D",
		         "hostile tag name as text"},
		        {"systems/NC036/index.html", 1,
		         "string(//table[@class='services']/tbody/tr[2]/td[1])", BANNER_CLEAN,
		         "plugin output escaped, control and invalid bytes replaced"},
		        {"systems/NC036/index.html", 1,
		         "string(//table[@class='services']/tbody/tr[1]/td[1])", "OK",
		         "service state"},
		        {"systems/NC036/index.html", 1,
		         "count(/html/head/link[@href='../../systems/NC036/feed.atom'])", "1",
		         "system page offers its own feed"},
		        {"systems/NC036/index.html", 1, "count(//article)", "3",
		         "system page lists its notices"},
		        {"systems/NC028/index.html", 1,
		         "concat(count(//table), '|', string(//main/p[1]))",
		         "0|\xE2\x97\x8B Internal \xC2\xB7 Vancouver, Canada (Monitoring "
		         "server)",
		         "internal system page: no detail"},
		};
		xp_table(s, cases, sizeof cases / sizeof cases[0]);
	}
}

#define ATOM "/*[local-name()='feed']"
#define ENTRY ATOM "/*[local-name()='entry']"
#define N7A ENTRY "[*[local-name()='title']='NC036: Server back online']"

static void
test_feeds(const char *s)
{
	{
		static const struct xp_case cases[] = {
		        {"feed.atom", 0, "count(" ENTRY ")", "9", "atom: every notice"},
		        {"feed.atom", 0, "string(" ENTRY "[9]/*[local-name()='title'])",
		         ATTACK_TITLE, "atom: hostile title round-trips as text"},
		        {"feed.atom", 0, "string(" N7A "/*[local-name()='published'])",
		         "2021-09-02T02:59:34Z", "atom: ISO date"},
		        {"feed.atom", 0, "string(" N7A "/*[local-name()='link']/@href)",
		         "https://status.example.net/notices/7.html", "atom: absolute link"},
		        {"feed.atom", 0, "string(" N7A "/*[local-name()='id'])",
		         "https://status.example.net/notices/7.html", "atom: stable id"},
		        {"feed.atom", 0, "count(" N7A "/*[local-name()='category'])", "2",
		         "atom: categories"},
		        {"feed.atom", 0,
		         "contains(" N7A
		         "/*[local-name()='content'], '<strong>Resolved</strong>')",
		         "true", "atom: content carries the state"},
		        {"feed.atom", 0,
		         "count(" ENTRY "/*[local-name()='content'][contains(., '<script') or "
		         "contains(., '<img')])",
		         "0", "atom: no live markup from any text"},
		        {"feed.atom", 0,
		         "concat(string(" ATOM
		         "/*[local-name()='author']/*[local-name()='name']), '|', "
		         "string(" ATOM "/*[local-name()='link'][@rel='self']/@href))",
		         "NinerNet Communications|https://status.example.net/feed.atom",
		         "atom: author and self"},
		        {"feed.rss", 0, "count(/rss[@version='2.0']/channel/item)", "9",
		         "rss: every notice"},
		        {"feed.rss", 0,
		         "string(/rss/channel/item[title='NC036: Server back online']/pubDate)",
		         "Thu, 02 Sep 2021 02:59:34 +0000", "rss: RFC 822 date"},
		        {"feed.rss", 0,
		         "string(/rss/channel/item[title='NC036: Server back online']/guid)",
		         "https://status.example.net/notices/7.html", "rss: guid"},
		        {"feed.rss", 0, "string(/rss/channel/item[9]/title)", ATTACK_TITLE,
		         "rss: hostile title round-trips as text"},
		        {"feed.rss", 0,
		         "count(/rss/channel/item[contains(description,'<script') or "
		         "contains(description,'<img')])",
		         "0", "rss: no live markup from any text"},
		        {"feed.rss", 0,
		         "concat(string(/rss/channel/link), '|', "
		         "string(/rss/channel/*[local-name()='link'][@rel='self']/@href))",
		         "https://status.example.net/index.html|https://status.example.net/"
		         "feed.rss",
		         "rss: channel link and atom:link self"},
		        {"systems/NC036/feed.rss", 0, "count(/rss/channel/item)", "3",
		         "per-system rss"},
		        {"systems/NC036/feed.atom", 0,
		         "concat(count(" ENTRY "), '|', string(" ATOM
		         "/*[local-name()='title']))",
		         "3|Server and System Status: Server NC036", "per-system atom"},
		        {"systems/NC036/feed.atom", 0,
		         "string(" ATOM "/*[local-name()='link'][@rel='self']/@href)",
		         "https://status.example.net/systems/NC036/feed.atom",
		         "per-system atom self link"},
		};
		xp_table(s, cases, sizeof cases / sizeof cases[0]);
	}
}

static json_t *
load(const char *site, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	json_error_t e;
	json_t *j;

	sb_appendf(&p, "%s/%s", site, rel);
	j = json_load_file(sb_str(&p), 0, &e);
	ok(j != NULL, "%s parses as JSON%s%s", rel, j ? "" : ": ", j ? "" : e.text);
	sb_free(&p);
	return j;
}

static const char *
jget(json_t *j, const char *path)
{
	json_t *v = j;
	char key[64];

	while (v != NULL && *path) {
		size_t n = strcspn(path, ".");
		snprintf(key, sizeof key, "%.*s", (int)n, path);
		v = json_is_array(v) ? json_array_get(v, strtoul(key, NULL, 10))
		                     : json_object_get(v, key);
		path += n + (path[n] == '.');
	}
	if (json_is_string(v))
		return json_string_value(v);
	return v == NULL ? "(missing)" : json_is_null(v) ? "(null)" : "(other)";
}

static void
test_status_json(const char *site)
{
	json_t *j = load(site, "status.json");
	json_t *sys = json_object_get(j, "systems"), *internal = json_array_get(sys, 5);

	is_int(json_integer_value(json_object_get(j, "schema_version")), 1,
	       "status.json: schema_version");
	is_int(json_array_size(sys), 6, "status.json: every system");
	is_str(jget(j, "systems.0.services.0.output"), BANNER_CLEAN,
	       "status.json: plugin output cleaned");
	is_str(jget(j, "systems.0.ping.status"), "up", "status.json: ping");
	ok(fabs(json_real_value(json_object_get(
	                json_object_get(json_array_get(sys, 0), "uptime"), "24h")) -
	        0.9995) < 1e-9,
	   "status.json: uptime fraction");
	is_str(jget(j, "systems.4.uptime.24h"), "(null)", "status.json: no data is null");
	is_int(json_array_size(json_object_get(json_array_get(sys, 0), "daily_uptime")), 90,
	       "status.json: daily uptime");
	is_str(jget(j, "systems.0.daily_uptime.0"), "(null)",
	       "status.json: a day without data is null");
	is_str(jget(internal, "status"), "internal", "status.json: internal status");
	ok(json_object_get(internal, "services") == NULL &&
	           json_object_get(internal, "uptime") == NULL &&
	           json_object_get(json_object_get(internal, "ping"), "rtt_ms") == NULL,
	   "status.json: internal system has no services, uptime or RTT");
	is_str(jget(j, "status.indicator"), "critical", "status.json: indicator");
	is_int(json_array_size(json_object_get(j, "maintenance")), 2,
	       "status.json: current maintenance");
	is_str(jget(j, "maintenance.1.status"), "in_progress",
	       "status.json: maintenance under way");
	is_int(json_array_size(json_object_get(j, "notices")), 9, "status.json: notices");
	is_str(jget(j, "notices.8.title"), ATTACK_TITLE,
	       "status.json: hostile title kept as text");
	is_str(jget(j, "notices.4.posted_at"), "2021-09-02T02:59:34Z",
	       "status.json: ISO times");
	is_str(jget(j, "notices.4.status"), "resolved", "status.json: notice state");
	json_decref(j);
}

static int
in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

/* Every status and indicator in a Statuspage file is one of its enums. */
static void
check_enums(json_t *j, const char *name)
{
	static const char *const comp[] = {"operational",       "degraded_performance",
	                                   "partial_outage",    "major_outage",
	                                   "under_maintenance", NULL};
	static const char *const inc[] = {"investigating", "identified", "monitoring",
	                                  "resolved",      "postmortem", "scheduled",
	                                  "in_progress",   "completed",  NULL};
	static const char *const ind[] = {"none",     "minor",       "major",
	                                  "critical", "maintenance", NULL};
	static const char *const imp[] = {"none",     "minor",       "major",
	                                  "critical", "maintenance", NULL};
	const char *key;
	json_t *v, *e;
	size_t i, bad = 0;

	json_object_foreach(j, key, v)
	{
		if (!strcmp(key, "status") && json_is_object(v))
			bad += !in_set(jget(v, "indicator"), ind);
		json_array_foreach(v, i, e)
		{
			json_t *u, *c;
			size_t k;
			bad += !in_set(jget(e, "status"),
			               !strcmp(key, "components") ? comp : inc);
			if (json_object_get(e, "impact"))
				bad += !in_set(jget(e, "impact"), imp);
			json_array_foreach(json_object_get(e, "incident_updates"), k, u) bad +=
			        !in_set(jget(u, "status"), inc);
			json_array_foreach(json_object_get(e, "components"), k, c) bad +=
			        !in_set(jget(c, "status"), comp);
		}
	}
	is_int(bad, 0, "%s: every status is a Statuspage enum value", name);
}

static void
sp_ids(const char *site, const char *rel, const char *key, const char *want)
{
	json_t *j = load(site, rel), *e;
	struct strbuf got = STRBUF_INIT;
	size_t i;

	json_array_foreach(json_object_get(j, key), i, e)
	        sb_appendf(&got, "%s%s=%s", i ? " " : "", jget(e, "id"), jget(e, "status"));
	is_str(sb_str(&got), want, "%s: %s", rel, key);
	check_enums(j, rel);
	is_str(jget(j, "page.url"), "https://status.example.net/", "%s: page", rel);
	sb_free(&got);
	json_decref(j);
}

static void
test_statuspage(const char *site)
{
	json_t *j;

	sp_ids(site, "api/v2/components.json", "components",
	       "NC036=operational NC033=partial_outage NC041=major_outage "
	       "NC023=under_maintenance "
	       "NC099=degraded_performance");
	sp_ids(site, "api/v2/incidents.json", "incidents", "300=investigating 100=resolved");
	sp_ids(site, "api/v2/incidents/unresolved.json", "incidents", "300=investigating");
	sp_ids(site, "api/v2/scheduled-maintenances.json", "scheduled_maintenances",
	       "400=scheduled 200=in_progress");
	sp_ids(site, "api/v2/scheduled-maintenances/upcoming.json", "scheduled_maintenances",
	       "400=scheduled");
	sp_ids(site, "api/v2/scheduled-maintenances/active.json", "scheduled_maintenances",
	       "200=in_progress");
	sp_ids(site, "api/v2/summary.json", "incidents", "300=investigating");
	j = load(site, "api/v2/status.json");
	is_str(jget(j, "status.indicator"), "critical", "api/v2/status.json: indicator");
	is_str(jget(j, "status.description"), "Major outage: NC041",
	       "api/v2/status.json: description");
	is_str(jget(j, "page.updated_at"), "2025-06-13T02:00:00Z",
	       "api/v2/status.json: updated_at");
	json_decref(j);
	j = load(site, "api/v2/incidents.json");
	is_str(jget(j, "incidents.1.incident_updates.0.status"), "resolved",
	       "incident updates newest first");
	is_str(jget(j, "incidents.1.incident_updates.2.status"), "investigating",
	       "first update");
	is_str(jget(j, "incidents.1.resolved_at"), "2021-09-02T02:59:34Z", "resolved_at");
	is_str(jget(j, "incidents.1.impact"), "critical",
	       "a major outage's impact is Statuspage's critical");
	is_str(jget(j, "incidents.1.components.0.id"), "NC036", "affected component");
	json_decref(j);
	j = load(site, "api/v2/scheduled-maintenances.json");
	is_str(jget(j, "scheduled_maintenances.1.scheduled_for"), "2025-06-13T01:50:00Z",
	       "scheduled_for");
	is_str(jget(j, "scheduled_maintenances.1.scheduled_until"), "2025-06-13T02:50:00Z",
	       "scheduled_until");
	json_decref(j);
}

#define HEAD_TXT                                                                               \
	"Server and System Status - NinerNet Communications\nMajor outage: NC041\n"            \
	"Last updated 13 June 2025 02:00:00 +0000\n\n"

static void
test_text(const char *site)
{
	struct strbuf p = STRBUF_INIT, line = STRBUF_INIT;
	char *txt;
	size_t ctl = 0;
	json_t *j;

	sb_appendf(&p, "%s/status.txt", site);
	txt = slurp(sb_str(&p), NULL);
	ok(txt != NULL && strncmp(txt, HEAD_TXT, strlen(HEAD_TXT)) == 0, "status.txt: heading");
	sb_appendf(&line, "\n%-36s%-8s%-14s%s\n", "Amsterdam, Netherlands", "NC036",
	           "Operational", "Up (12.3 ms)");
	ok(txt && strstr(txt, sb_str(&line)), "status.txt: table row with RTT");
	sb_reset(&line);
	sb_appendf(&line, "\n%-36s%-8s%-14s%s\n", "Vancouver, Canada", "NC028", "Internal",
	           "Up");
	ok(txt && strstr(txt, sb_str(&line)), "status.txt: internal row without RTT");
	ok(txt && strstr(txt, "  2 September 2021 02:59:34 +0000  NC036: Server back online\n"
	                      "    https://status.example.net/notices/7.html\n"),
	   "status.txt: recent notice with its link");
	ok(txt && strstr(txt,
	                 "\nOpen incidents:\n  NC041: Server down - Investigating - since 13 "
	                 "June 2025 01:44:00 +0000\n    "
	                 "https://status.example.net/notices/2.html\n\nMaintenance:\n"),
	   "status.txt: the open incident first, with since when and its link");
	for (const char *c = txt; c && *c; c++)
		ctl += (unsigned char)*c < 0x20 && *c != '\n';
	is_int(ctl, 0, "status.txt: no control characters from any text");
	free(txt);
	j = load(site, "badge.json");
	is_str(jget(j, "message"), "Major outage: NC041", "badge.json: message");
	is_str(jget(j, "color"), "red", "badge.json: colour");
	is_int(json_integer_value(json_object_get(j, "schemaVersion")), 1,
	       "badge.json: schema");
	json_decref(j);
	j = load(site, "systems/NC028/badge.json");
	is_str(jget(j, "message"), "Internal", "internal system badge says only Internal");
	json_decref(j);
	XP_IS(site, "systems/NC036/badge.svg", 0, "string(/*[local-name()='svg']/@aria-label)",
	      "NC036: Operational", "svg badge has a text label");
	sb_free(&p);
	sb_free(&line);
}

/* True when a "<script" in data is not the page's own local-time script. */
static bool
foreign_script(const char *data)
{
	static const char own[] = "<script>\n(function(){if(!new Date().getTimezoneOffset())";

	for (const char *p = data; (p = strcasestr(p, "<script")) != NULL; p++)
		if (strncmp(p, own, sizeof own - 1) != 0)
			return true;
	return false;
}

/* Nothing of the internal system's detail anywhere, and no raw markup
 * from any text in a page or feed. */
static void
test_leaks(const char *site)
{
	static const char *const secret[] = {SECRET, "77.8 ms", "77.77", "43.21%", "0.4321"};
	struct files f = {NULL, 0};
	size_t leaks = 0, raw = 0;

	walk(site, "", &f);
	for (size_t i = 0; i < f.n; i++) {
		struct strbuf p = STRBUF_INIT;
		const char *dot = strrchr(f.rel[i], '.');
		char *data;
		sb_appendf(&p, "%s/%s", site, f.rel[i]);
		data = slurp(sb_str(&p), NULL);
		for (size_t k = 0; data && k < sizeof secret / sizeof secret[0]; k++)
			if (strstr(data, secret[k])) {
				printf("# %s leaks %s\n", f.rel[i], secret[k]);
				leaks++;
			}
		if (data && dot && strcmp(dot, ".json") != 0 && strcmp(dot, ".txt") != 0 &&
		    (foreign_script(data) || strstr(data, "]]>") || strcasestr(data, "<img"))) {
			printf("# %s has raw markup\n", f.rel[i]);
			raw++;
		}
		free(data);
		sb_free(&p);
	}
	ok(f.n > 50, "walked %zu files", f.n);
	is_int(leaks, 0, "the internal system's output, RTT and uptime appear nowhere");
	is_int(raw, 0, "no page or feed has raw <script, <img or ]]>");
	files_free(&f);
}

static char *
link_target(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof buf - 1);

	buf[n < 0 ? 0 : n] = '\0';
	return xstrdup(buf);
}

/* A render that fails half-way (each file limited to 64 KiB, and one
 * notice's body far larger) must leave the site as it was. */
static void
test_failed_render(const char *T, const char *site)
{
	char *before = snapshot(site), *target = link_target(site), *after, *t2;
	int gens = count_prefix(T, "site.gen-"), st;
	pid_t pid = fork();

	if (pid == 0) {
		struct site_view v;
		struct rlimit rl = {65536, 65536};
		char err[256] = "";
		int rc;
		make_view(&v);
		free(v.notices[0].body);
		v.notices[0].body = xmalloc(300000);
		memset(v.notices[0].body, 'x', 299999);
		v.notices[0].body[299999] = '\0';
		v.generated += 60;
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		rc = render_site(&v, site, err, sizeof err);
		printf("# injected failure: %s\n", err);
		fflush(stdout);
		site_view_free(&v);
		/* _exit: the parent's allocations, copied by fork, are not
		 * this process's leaks. */
		_exit(rc == -1 && strstr(err, "File too large") ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "render fails with EFBIG half-way and says so");
	after = snapshot(site);
	t2 = link_target(site);
	ok(strcmp(before, after) == 0, "failed render: previous site byte-identical");
	is_str(t2, target, "failed render: link still names the previous generation");
	is_int(count_prefix(T, "site.gen-"), gens,
	       "failed render: no directory is left behind");
	free(before);
	free(after);
	free(target);
	free(t2);
}

static void
test_refusals(const char *T, const char *site)
{
	struct strbuf p = STRBUF_INIT;
	char *before = snapshot(site), *after;
	char err[256];
	struct site_view v;
	int fd;

	make_view(&v);
	sb_appendf(&p, "%s/missing/site", T);
	is_int(render_site(&v, sb_str(&p), err, sizeof err), -1, "missing parent: fails");
	ok(strstr(err, "missing") != NULL, "missing parent: reason names the path (%s)", err);
	sb_reset(&p);
	sb_appendf(&p, "%s/.site.lock", T);
	fd = open(sb_str(&p), O_RDWR | O_CREAT, 0644);
	ok(fd >= 0 && flock(fd, LOCK_EX) == 0, "took the site lock");
	is_int(render_site(&v, site, err, sizeof err), -1, "concurrent render: refused");
	ok(strstr(err, "another render") != NULL, "concurrent render: says why (%s)", err);
	close(fd);
	v.notices[1].id = v.notices[0].id;
	is_int(render_site(&v, site, err, sizeof err), -1, "duplicate notice id: refused");
	is_str(err, "two notices have the id 1", "duplicate notice id: reason");
	after = snapshot(site);
	ok(strcmp(before, after) == 0, "refused renders: site byte-identical");
	site_view_free(&v);
	sb_free(&p);
	free(before);
	free(after);
}

static void
test_generations(const char *T, const char *site)
{
	struct site_view v;
	char err[256] = "", *prev = link_target(site), *now, *p, *plain_target;
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int rc = 0;

	make_view(&v);
	for (int i = 1; i <= 3; i++) {
		free(prev);
		prev = link_target(site);
		v.generated = GEN + i;
		rc |= render_site(&v, site, err, sizeof err);
	}
	is_int(rc, 0, "three more renders succeed %s", err);
	is_int(count_prefix(T, "site.gen-"), 2,
	       "the current and the previous generation are kept");
	now = link_target(site);
	sb_appendf(&path, "%s/%s/index.html", T, prev);
	ok(strcmp(now, prev) != 0 && access(sb_str(&path), R_OK) == 0,
	   "the previous generation is still readable for requests in flight");
	/* A plain directory at out_dir, from before: exchanged atomically. */
	sb_reset(&path);
	sb_appendf(&path, "%s/plain", T);
	mkdir(sb_str(&path), 0755);
	sb_append(&path, "/old.txt");
	close(open(sb_str(&path), O_WRONLY | O_CREAT, 0644));
	sb_reset(&path);
	sb_appendf(&path, "%s/plain", T);
	is_int(render_site(&v, sb_str(&path), err, sizeof err), 0,
	       "render over a plain directory");
	ok(lstat(sb_str(&path), &st) == 0 && S_ISLNK(st.st_mode),
	   "plain directory replaced by a link");
	plain_target = link_target(sb_str(&path));
	sb_append(&path, "/index.html");
	p = slurp(sb_str(&path), NULL);
	ok(p != NULL && strstr(p, "Systems at a Glance") != NULL,
	   "the new site is served there");
	is_int(count_prefix(T, "plain.gen-"), 2,
	       "the old directory is kept as the previous generation");
	ok(strncmp(plain_target, "plain.gen-", 10) == 0, "link target is relative: %s",
	   plain_target);
	free(p);
	free(plain_target);
	free(prev);
	free(now);
	sb_free(&path);
	site_view_free(&v);
}

/* path's bytes replaced by a new file (its inode may be shared with the
 * live site, which must not change). */
static void
put_file(const char *path, const char *text)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0) {
		ssize_t w = write(fd, text, strlen(text));
		(void)w;
		close(fd);
	}
}

/* A render writes over the previous generation: afterwards it holds
 * exactly what a render into an empty directory makes, whatever was left
 * in it (a page of a system gone since, a file changed by hand, a stray
 * directory), and no new generation directory is made. */
static void
test_recycled(const char *T, const char *site)
{
	struct site_view v;
	struct strbuf path = STRBUF_INIT, fresh = STRBUF_INIT;
	char err[256] = "", *live, *old, *a, *b;
	const char *gone;
	int rc = 0;

	make_view(&v);
	v.generated = GEN + 100;
	rc |= render_site(&v, site, err, sizeof err);
	old = link_target(site);
	v.generated = GEN + 101;
	rc |= render_site(&v, site, err, sizeof err);
	is_int(rc, 0, "two renders succeed %s", err);
	/* the generation the next render will take: not live, not named old */
	live = link_target(site);
	sb_appendf(&path, "%s/%s/index.html", T, old);
	put_file(sb_str(&path), "changed by hand\n");
	sb_reset(&path);
	sb_appendf(&path, "%s/%s/stray", T, old);
	mkdir(sb_str(&path), 0755);
	sb_append(&path, "/left.html");
	put_file(sb_str(&path), "left over\n");
	/* the last system and the last notice are gone from the next view */
	gone = v.systems[v.nsystems - 1].id;
	v.nsystems--;
	v.nnotices--;
	v.generated = GEN + 102;
	is_int(render_site(&v, site, err, sizeof err), 0,
	       "a render over the previous generation %s", err);
	a = link_target(site);
	is_str(a, old, "it wrote over the previous generation (%s)", old);
	is_int(count_prefix(T, "site.gen-"), 2, "and made no other directory");
	sb_appendf(&fresh, "%s/fresh", T);
	is_int(render_site(&v, sb_str(&fresh), err, sizeof err), 0,
	       "the same view rendered afresh %s", err);
	free(a);
	a = snapshot(site);
	b = snapshot(sb_str(&fresh));
	ok(strcmp(a, b) == 0, "the site written over is byte for byte the fresh one");
	ok(strstr(a, "== stray/") == NULL && strstr(a, "changed by hand") == NULL,
	   "the stray directory is gone and the file changed by hand is written again");
	sb_reset(&path);
	sb_appendf(&path, "%s/systems/%s", site, gone);
	ok(access(sb_str(&path), F_OK) != 0, "the page of the system that is gone is removed");
	sb_reset(&path);
	sb_appendf(&path, "%s/%s/index.html", T, live);
	ok(access(sb_str(&path), R_OK) == 0,
	   "the generation live before stays as the previous one");
	v.nsystems++;
	v.nnotices++;
	free(a);
	free(b);
	free(old);
	free(live);
	sb_free(&path);
	sb_free(&fresh);
	site_view_free(&v);
}

/* kill -9 at arbitrary moments of a render loop: the site must always be
 * complete, and the next render must succeed and clean up. */
static void
test_crashes(const char *T, const char *site)
{
	int complete = 0, rounds = 6;
	struct strbuf path = STRBUF_INIT;
	struct site_view v;
	char err[256] = "";

	sb_appendf(&path, "%s/index.html", site);
	for (int k = 0; k < rounds; k++) {
		pid_t pid = fork();
		char *html, *argv[] = {"xmllint", "--noout", (char *)sb_str(&path), NULL};
		struct strbuf out = STRBUF_INIT;
		if (pid == 0) {
			struct site_view cv;
			char cerr[256];
			make_view(&cv);
			for (;;) {
				cv.generated++;
				if (render_site(&cv, site, cerr, sizeof cerr) != 0)
					_exit(1);
			}
		}
		usleep(3000 + 9000 * (useconds_t)k);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		html = slurp(sb_str(&path), NULL);
		complete += html != NULL && strlen(html) > 7 &&
		            strcmp(html + strlen(html) - 8, "</html>\n") == 0 &&
		            run_capture(argv, &out) == 0;
		free(html);
		sb_free(&out);
	}
	is_int(complete, rounds, "after every kill -9 the site is complete and well-formed");
	make_view(&v);
	is_int(render_site(&v, site, err, sizeof err), 0,
	       "render after the crashes succeeds %s", err);
	is_int(count_prefix(T, "site.gen-"), 2, "crashed generations are cleaned up");
	is_int(count_prefix(T, ".site.lnk-"), 0, "no stray links are left");
	site_view_free(&v);
	sb_free(&path);
}

/* Without base_url every link is relative to the file that holds it, and
 * the feeds stay valid; a view with nothing in it still renders. */
static void
test_minimal(const char *T)
{
	struct strbuf dir = STRBUF_INIT, out = STRBUF_INIT, f1 = STRBUF_INIT, f2 = STRBUF_INIT;
	struct site_view v;
	char err[256] = "";
	char *argv[5];
	json_t *j;

	memset(&v, 0, sizeof v);
	v.generated = GEN;
	sb_appendf(&dir, "%s/empty", T);
	is_int(render_site(&v, sb_str(&dir), err, sizeof err), 0, "empty view renders %s", err);
	XP_IS(sb_str(&dir), "index.html", 1,
	      "concat(string(/html/head/title), '|', count(//article))", "System Status|0",
	      "empty view: default title, no notices");
	j = load(sb_str(&dir), "api/v2/summary.json");
	is_int(json_array_size(json_object_get(j, "components")), 0,
	       "empty view: no components");
	is_str(jget(j, "status.indicator"), "none", "empty view: indicator none");
	json_decref(j);
	add_system(&v, "NC036", "Amsterdam", "Mail server", SYS_OPERATIONAL, PING_UP, 1, 1);
	add_notice(&v, 5, 0, "NC036", "NC036: Server back online", NOTICE_RECOVERY, GEN,
	           "Back.");
	sb_append(&dir, "2");
	is_int(render_site(&v, sb_str(&dir), err, sizeof err), 0,
	       "view without base_url renders");
	{
		static const struct xp_case cases[] = {
		        {"systems/NC036/feed.atom", 0,
		         "string(" ENTRY "/*[local-name()='link']/@href)",
		         "../../notices/5.html",
		         "no base_url: per-system feed links relative to the feed"},
		        {"feed.atom", 0, "string(" ENTRY "/*[local-name()='id'])",
		         "urn:glance:notice:5",
		         "no base_url: atom ids are still absolute URIs"},
		        {"feed.rss", 0, "string(/rss/channel/item/guid/@isPermaLink)", "false",
		         "no base_url: rss guid is not a permalink"},
		};
		xp_table(sb_str(&dir), cases, sizeof cases / sizeof cases[0]);
	}
	sb_appendf(&f1, "%s/feed.rss", sb_str(&dir));
	sb_appendf(&f2, "%s/feed.atom", sb_str(&dir));
	argv[0] = "xmllint", argv[1] = "--noout", argv[2] = (char *)sb_str(&f1);
	argv[3] = (char *)sb_str(&f2), argv[4] = NULL;
	is_int(run_capture(argv, &out), 0, "no base_url: feeds well-formed");
	site_view_free(&v);
	sb_free(&dir);
	sb_free(&out);
	sb_free(&f1);
	sb_free(&f2);
}

#define BIGLI "//tr[th/a='NC100']/following-sibling::tr[1]//li"

/* The size the issue names: 50 systems, each with 90 days of history (a
 * few days of downtime and a gap without data, so each day list has
 * several lines), and 50 notices; the index stays under 100 KB. */
static void
test_size(const char *T)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct site_view v;
	char err[256] = "", id[16], title[64];
	struct stat st;

	memset(&v, 0, sizeof v);
	v.generated = 1768046400; /* 10 January 2026 12:00 UTC */
	v.site.title = S("Server and System Status");
	for (int i = 0; i < 50; i++) {
		struct system_view *s;
		snprintf(id, sizeof id, "NC%03d", 100 + i);
		add_system(&v, id, "Amsterdam, Netherlands", "Mail server", SYS_OPERATIONAL,
		           PING_UP, 12.5, 0.9987);
		s = &v.systems[v.nsystems - 1];
		s->ndaily = 90;
		s->daily_uptime = xcalloc(90, sizeof(double));
		for (int k = 0; k < 90; k++)
			s->daily_uptime[k] = k < i % 7               ? NAN
			                     : (k + i) % 29 == 3     ? 0.9712
			                     : (k + 2 * i) % 41 == 5 ? 0.998
			                                             : 1.0;
	}
	for (int k = 0; k < 50; k++) {
		struct notice_view *n;
		snprintf(id, sizeof id, "NC%03d", 100 + k);
		snprintf(title, sizeof title, "%s: Server back online", id);
		n = add_notice(
		        &v, 1000 - k, 0, id, title, NOTICE_RECOVERY, GEN - 3600 * (k + 1),
		        "The server is back online. It was down for 6 minutes between "
		        "02:31 and 02:37 UTC. We are looking into what caused it and will "
		        "post an update here.");
		n->starts = GEN - 3600 * (k + 1) - 360, n->ends = GEN - 3600 * (k + 1);
		add_tag(n, "down time");
	}
	sb_appendf(&dir, "%s/big", T);
	is_int(render_site(&v, sb_str(&dir), err, sizeof err), 0,
	       "50 systems and 50 notices render %s", err);
	sb_appendf(&path, "%s/index.html", sb_str(&dir));
	if (stat(sb_str(&path), &st) != 0)
		st.st_size = -1;
	ok(st.st_size > 0 && st.st_size < 100000,
	   "50 systems and 50 notices: index.html under 100 KB (%lld bytes)",
	   (long long)st.st_size);
	XP_IS(sb_str(&dir), "index.html", 1, "count(//details[@class='dd'])", "50",
	      "50 systems: a day list each");
	XP_IS(sb_str(&dir), "index.html", 1,
	      "concat(" BIGLI "[1], '|', " BIGLI "[3], '|', " BIGLI "[5])",
	      "9\xE2\x80\x93"
	      "10 January 2026: 100% up|14 December 2025 \xE2\x80\x93 7 January "
	      "2026: 100% up|29 November \xE2\x80\x93 12 December 2025: 100% up",
	      "runs of days: the month and year said once, both years across a new year");
	site_view_free(&v);
	sb_free(&dir);
	sb_free(&path);
}

static void
rm_rf(const char *path)
{
	char *argv[] = {"rm", "-rf", (char *)path, NULL};
	struct strbuf out = STRBUF_INIT;

	run_capture(argv, &out);
	sb_free(&out);
}

int
main(void)
{
	struct strbuf T = STRBUF_INIT, site = STRBUF_INIT;
	struct site_view v;
	char err[256] = "";
	const char *tmp = getenv("TMPDIR");

	sb_appendf(&T, "%s/glance-render.XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (mkdtemp(T.buf) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	sb_appendf(&site, "%s/site", sb_str(&T));
	make_view(&v);
	is_int(render_site(&v, sb_str(&site), err, sizeof err), 0, "render succeeds %s", err);
	site_view_free(&v);
	test_files(sb_str(&site));
	test_index_table(sb_str(&site));
	test_index_notices(sb_str(&site));
	test_pages(sb_str(&site));
	test_feeds(sb_str(&site));
	test_status_json(sb_str(&site));
	test_statuspage(sb_str(&site));
	test_text(sb_str(&site));
	test_leaks(sb_str(&site));
	test_failed_render(sb_str(&T), sb_str(&site));
	test_refusals(sb_str(&T), sb_str(&site));
	test_generations(sb_str(&T), sb_str(&site));
	test_recycled(sb_str(&T), sb_str(&site));
	test_crashes(sb_str(&T), sb_str(&site));
	test_minimal(sb_str(&T));
	test_size(sb_str(&T));
	rm_rf(sb_str(&T));
	sb_free(&T);
	sb_free(&site);
	return done_testing();
}
