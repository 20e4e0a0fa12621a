/* The fast paths of a render against their slow references: the store
 * read at once (store_bulk_load, the derive reader) must give every
 * service exactly what the per-service queries give it, and publishing
 * must link only files whose bytes are the same and never write into a
 * file the live site serves. The store is built through store_record
 * with HARD changes, SOFT attempts, result gaps of many lengths, a
 * service the config does not name and a check with no result. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "derive.h"
#include "publish.h"
#include "store.h"
#include "strbuf.h"
#include "tap.h"

#define T0 1700000000
#define DAYS 3

static const char conf[] = "[site]\ntitle = Fast\noutput = site\nstate = glance.db\n"
                           "[system S1]\nping = P\nservices = A, B, C\n"
                           "[system S2]\nparent = S1\nping = P\nservices = A\n"
                           "[system S3]\nvisibility = internal\nping = P\n"
                           "[check S1/P]\ncommand = check_dummy 0\n"
                           "[check S1/A]\ncommand = check_dummy 0\n"
                           "[check S1/B]\ncommand = check_dummy 0\ninterval = 5m\n"
                           "[check S1/C]\ncommand = check_dummy 0\n"
                           "[check S2/P]\ncommand = check_dummy 0\ninterval = 2m\n"
                           "[check S2/A]\ncommand = check_dummy 0\n"
                           "[check S3/P]\ncommand = check_dummy 0\n";

/* The services that get results, S9/X being in no config. */
static const char *const svcs[][2] = {{"S1", "P"}, {"S1", "A"}, {"S1", "B"}, {"S2", "P"},
                                      {"S2", "A"}, {"S3", "P"}, {"S9", "X"}};
#define NSVCS (sizeof svcs / sizeof svcs[0])

/* A deterministic mess: a result every 60 s or so, gaps of up to two
 * hours now and then, and states that go bad for a while, with their
 * SOFT attempts before HARD. */
static int
fill(struct store *st)
{
	unsigned seed = 7;
	int rc = 0;

	for (size_t k = 0; k < NSVCS && rc >= 0; k++) {
		enum gl_state state = GL_OK;
		int attempt = 1;
		for (time_t t = T0; t < T0 + DAYS * 86400 && rc >= 0;) {
			seed = seed * 1103515245 + 12345;
			unsigned r = (seed >> 8) % 1000;
			if (r < 20)
				state = (enum gl_state)(1 + r % 3);
			else if (r > 960)
				state = GL_OK;
			attempt = state == GL_OK ? 1 : attempt < 3 ? attempt + 1 : 3;
			struct gl_result res = {.system = svcs[k][0],
			                        .service = svcs[k][1],
			                        .state = state,
			                        .hard = state == GL_OK || attempt == 3,
			                        .attempt = attempt,
			                        .output = "OK - fine",
			                        .long_output = "",
			                        .perfdata = "rta=0.4ms;;;0",
			                        .t = t,
			                        .duration_ms = 3};
			rc = store_record(st, &res);
			t += r < 12 ? 600 + (time_t)r * 600 : 55 + r % 10;
		}
	}
	return rc < 0 ? -1 : 0;
}

static int
same_ivs(const struct interval *a, size_t na, const struct interval *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].status != b[i].status || a[i].start != b[i].start ||
		    a[i].end != b[i].end)
			return 0;
	return 1;
}

/* One service of the bulk read against store_get_service,
 * store_svc_intervals and store_svc_gaps at several gap lengths. */
static void
check_service(struct store *st, const struct store_bulk *b, const char *sys, const char *svc,
              time_t from, int min_gap)
{
	const struct svc_bulk *e = store_bulk_find(b, sys, svc);
	struct svc_row row;
	struct interval *iv, *gaps;
	size_t n, ng;
	int has = store_get_service(st, sys, svc, &row);
	int gap_ok = 1;

	store_svc_intervals(st, sys, svc, from, &iv, &n);
	ok(e != NULL && e->has_row == (has == 1) &&
	           (has != 1 || (e->row.st.last_check == row.st.last_check &&
	                         e->row.st.hard_state == row.st.hard_state &&
	                         e->row.st.hard_since == row.st.hard_since &&
	                         e->row.st.attempt == row.st.attempt &&
	                         strcmp(e->row.output, row.output) == 0 &&
	                         strcmp(e->row.perfdata, row.perfdata) == 0)),
	   "%s/%s: the row is the one store_get_service reads", sys, svc);
	ok(e != NULL && n > 1 && same_ivs(e->iv, e->niv, iv, n),
	   "%s/%s: the %zu intervals are store_svc_intervals'", sys, svc, n);
	for (int gap = min_gap; gap <= 4000; gap += 250) {
		struct interval *mine = xcalloc(e && e->ngaps ? e->ngaps : 1, sizeof *mine);
		size_t k = 0;
		for (size_t i = 0; e != NULL && i < e->ngaps; i++)
			if (e->gaps[i].end - e->gaps[i].start > gap)
				mine[k++] = e->gaps[i];
		store_svc_gaps(st, sys, svc, from, gap, &gaps, &ng);
		gap_ok &= same_ivs(mine, k, gaps, ng) && (gap > min_gap || ng > 3);
		free(mine);
		free(gaps);
	}
	ok(gap_ok, "%s/%s: the gaps are store_svc_gaps' at every length", sys, svc);
	free(iv);
	svc_row_free(&row);
}

/* The shortest gap of the test; gap_ok filters the longer ones. */
static int
gap_130(void *arg, const char *system, const char *service)
{
	(void)arg, (void)system;
	return strcmp(service, "B") == 0 ? -1 : 130;
}

static void
test_bulk(struct store *st)
{
	time_t from = T0 + 86400;
	struct store_bulk b;
	time_t t;

	is_int(store_bulk_load(st, from, STORE_BULK_ROWS | STORE_BULK_GAPS, gap_130, NULL, &b),
	       0, "the store is read at once");
	is_int(b.n, NSVCS, "one entry a service with results");
	for (size_t k = 0; k < NSVCS; k++)
		if (strcmp(svcs[k][1], "B") != 0)
			check_service(st, &b, svcs[k][0], svcs[k][1], from, 130);
	ok(store_bulk_find(&b, "S1", "B") != NULL && store_bulk_find(&b, "S1", "B")->ngaps == 0,
	   "no gaps read for a service whose gaps are not wanted");
	ok(store_bulk_find(&b, "S1", "C") == NULL, "a check without results has no entry");
	for (const char *const *s = (const char *const[]){"S1", "S2", "S3", "S9", "S7", NULL};
	     *s != NULL; s++) {
		store_first_seen(st, *s, &t);
		is_int(store_bulk_first_seen(&b, *s), t, "%s: first seen as store_first_seen",
		       *s);
	}
	store_bulk_free(&b);
}

/* The reader's per-check stale spans against those built from
 * store_svc_gaps with the check's own staleness, its windows against
 * store_downtimes of its system, its index against config_check. */
static void
test_reader(struct store *st, const struct config *cfg)
{
	time_t now = T0 + DAYS * 86400 + 600, from = now - DERIVE_HISTORY;
	struct derive_reader r;
	int found = 1;

	is_int(derive_reader_load(st, cfg, from, true, &r), 0, "the reader loads");
	for (size_t i = 0; i < cfg->nchecks; i++)
		found &= derive_reader_check(&r, cfg->checks[i].system,
		                             cfg->checks[i].service) ==
		         config_check(cfg, cfg->checks[i].system, cfg->checks[i].service);
	ok(found && derive_reader_check(&r, "S9", "X") == NULL &&
	           derive_reader_check(&r, "S1", "") == NULL,
	   "the check index finds what config_check finds");
	for (size_t s = 0; s < cfg->nsystems; s++) {
		const struct cfg_system *sys = &cfg->systems[s];
		struct sys_hist h;
		struct downtime *d;
		size_t nd;
		int same = 1;
		derive_hist_load(&r, sys, now, true, &h);
		for (size_t i = 0; i <= sys->nservices; i++) {
			const char *svc = i < sys->nservices ? sys->services[i] : sys->ping;
			const struct check_hist *c = i < sys->nservices ? &h.svcs[i] : &h.ping;
			const struct cfg_check *cc = config_check(cfg, sys->id, svc);
			struct interval *gaps, *want;
			struct svc_row row;
			size_t ng, k = 0;
			int stale = derive_stale_after(cc);
			if (svc == NULL)
				continue;
			store_svc_gaps(st, sys->id, svc, from, stale, &gaps, &ng);
			want = xcalloc(ng + 1, sizeof *want);
			for (size_t g = 0; g < ng; g++)
				want[k++] = (struct interval){0, gaps[g].start + stale,
				                              gaps[g].end};
			if (store_get_service(st, sys->id, svc, &row) == 1)
				want[k++] = (struct interval){0, row.st.last_check + stale, 0};
			same &= same_ivs(c->stale, c->nstale, want, k);
			svc_row_free(&row);
			free(gaps);
			free(want);
		}
		ok(same, "%s: every check's stale spans are the per-service queries'", sys->id);
		store_downtimes(st, sys->id, from, &d, &nd);
		same = h.nmaint == nd;
		for (size_t i = 0; same && i < nd; i++)
			same = h.maint[i].start == (d[i].start > d[i].created ? d[i].start
			                                                      : d[i].created) &&
			       h.maint[i].end == (d[i].ended ? d[i].ended : d[i].end);
		ok(same, "%s: its %zu windows are store_downtimes', in order", sys->id, nd);
		downtimes_free(d, nd);
		derive_hist_free(&h);
	}
	derive_reader_free(&r);
}

static int
windows(struct store *st)
{
	const struct downtime d[] = {
	        {.system = "S2", .start = T0 + 90000, .end = T0 + 93600, .created = T0},
	        {.system = "S1", .start = T0 + 80000, .end = T0 + 83600, .created = T0 + 81000},
	        {.system = "S1", .start = T0 + 70000, .end = T0 + 73600, .created = T0},
	        {.system = "S3", .start = T0 + 10, .end = T0 + 20, .created = T0},
	        {.system = "S1", .start = T0 + 70000, .end = T0 + 99999, .created = T0}};
	int rc = 0;

	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		rc |= store_downtime_add(st, &d[i]) < 0;
	return rc | store_downtime_finish(st, 4, T0 + 15, false) |
	       store_downtime_finish(st, 5, T0 + 15, true);
}

static ino_t
inode_of(const char *dir, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	ino_t ino;

	sb_appendf(&p, "%s/%s", dir, rel);
	ino = stat(sb_str(&p), &st) == 0 ? st.st_ino : 0;
	sb_free(&p);
	return ino;
}

static char *
file_text(const char *dir, const char *rel)
{
	struct strbuf p = STRBUF_INIT, out = STRBUF_INIT;
	char buf[256];
	ssize_t n;
	int fd;

	sb_appendf(&p, "%s/%s", dir, rel);
	fd = open(sb_str(&p), O_RDONLY);
	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		sb_appendn(&out, buf, (size_t)n);
	if (fd >= 0)
		close(fd);
	sb_free(&p);
	sb_append(&out, "");
	return sb_detach(&out);
}

/* ok when rel under dir holds exactly want. */
static void
is_file(const char *dir, const char *rel, const char *want, const char *name)
{
	char *text = file_text(dir, rel);

	is_str(text, want, "%s", name);
	free(text);
}

/* Publishes the files a=..., b=... (name, text pairs). */
static int
publish(const char *site, const char *const *files)
{
	struct publish p;
	char err[256];
	int rc = publish_begin(&p, site, err, sizeof err);

	for (; rc == 0 && files[0] != NULL; files += 2)
		rc = publish_write(&p, files[0], files[1], strlen(files[1]), err, sizeof err);
	if (rc == 0)
		return publish_commit(&p, err, sizeof err);
	printf("# %s\n", err);
	publish_abort(&p);
	return -1;
}

static void
test_publish_links(const char *dir)
{
	struct strbuf site = STRBUF_INIT, prev = STRBUF_INIT;
	char target[256];
	ino_t a, b, c;
	ssize_t n;

	sb_appendf(&site, "%s/site", dir);
	is_int(publish(sb_str(&site), (const char *const[]){"a.txt", "same", "d/b.txt", "old",
	                                                    "d/e/c.txt", "kept", NULL}),
	       0, "first generation published");
	a = inode_of(sb_str(&site), "a.txt");
	b = inode_of(sb_str(&site), "d/b.txt");
	c = inode_of(sb_str(&site), "d/e/c.txt");
	n = readlink(sb_str(&site), target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	sb_appendf(&prev, "%s/%s", dir, target);
	/* a.txt the same at first, then written again with other bytes: the
	 * link must be replaced, never written through */
	is_int(publish(sb_str(&site),
	               (const char *const[]){"a.txt", "same", "d/b.txt", "new", "d/e/c.txt",
	                                     "kept", "a.txt", "changed", NULL}),
	       0, "second generation published");
	is_int(inode_of(sb_str(&site), "d/e/c.txt"), c, "an unchanged file is linked");
	ok(inode_of(sb_str(&site), "d/b.txt") != b, "a changed file of the same size is new");
	ok(inode_of(sb_str(&site), "a.txt") != a, "a name written twice ends as a new file");
	is_file(sb_str(&site), "a.txt", "changed", "the second write is what is published");
	is_file(sb_str(&prev), "a.txt", "same",
	        "the previous generation still serves its own bytes");
	is_file(sb_str(&prev), "d/b.txt", "old", "and its changed file too");
	/* a file whose mode was changed by hand is not linked */
	sb_reset(&prev);
	sb_appendf(&prev, "%s/d/e/c.txt", sb_str(&site));
	chmod(sb_str(&prev), 0600);
	is_int(publish(sb_str(&site),
	               (const char *const[]){"a.txt", "same", "d/e/c.txt", "kept", NULL}),
	       0, "third generation published");
	ok(inode_of(sb_str(&site), "d/e/c.txt") != c, "a file chmod-ed since is written again");
	is_file(sb_str(&site), "d/b.txt", "",
	        "a file the new generation does not write is not in it");
	sb_free(&site);
	sb_free(&prev);
}

/* The live link's target: the generation out_dir shows. */
static void
live_gen(const char *dir, const char *site, struct strbuf *gen)
{
	char target[256];
	ssize_t n = readlink(site, target, sizeof target - 1);

	target[n > 0 ? n : 0] = '\0';
	sb_reset(gen);
	sb_appendf(gen, "%s/%s", dir, target);
}

static void
test_publish_over(const char *dir)
{
	struct strbuf site = STRBUF_INIT, prev = STRBUF_INIT, first = STRBUF_INIT;
	char buf[16] = "";
	ssize_t n;
	ino_t s;
	int held;

	sb_appendf(&site, "%s/site2", dir);
	is_int(publish(sb_str(&site),
	               (const char *const[]){"x.txt", "one", "s.txt", "shared", NULL}),
	       0, "a site of a file that changes and one that is shared");
	s = inode_of(sb_str(&site), "s.txt");
	/* held open, the first file cannot be freed and its number taken
	 * again: reading it shows whether the third render wrote into it */
	live_gen(dir, sb_str(&site), &first);
	sb_append(&first, "/x.txt");
	held = open(sb_str(&first), O_RDONLY);
	is_int(publish(sb_str(&site),
	               (const char *const[]){"x.txt", "two", "s.txt", "shared", NULL}),
	       0, "its second generation");
	is_int(inode_of(sb_str(&site), "s.txt"), s, "the unchanged file is shared");
	live_gen(dir, sb_str(&site), &prev);
	/* the third render writes over the first generation */
	is_int(publish(sb_str(&site),
	               (const char *const[]){"x.txt", "three", "s.txt", "shared2", NULL}),
	       0, "the third, over the first");
	n = held < 0 ? -1 : pread(held, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "three", "a file of its own is written over in place");
	if (held >= 0)
		close(held);
	is_file(sb_str(&site), "x.txt", "three", "with the new bytes");
	ok(inode_of(sb_str(&site), "s.txt") != s, "a shared file that changes is a new one");
	is_file(sb_str(&prev), "s.txt", "shared",
	        "and the generation that shares it keeps its bytes");
	is_file(sb_str(&prev), "x.txt", "two", "as it keeps its own file");
	is_int(publish(sb_str(&site),
	               (const char *const[]){"x.txt", "4", "s.txt", "shared2", NULL}),
	       0, "the fourth, over the second");
	is_file(sb_str(&site), "x.txt", "4",
	        "a shorter file written over ends where its bytes do");
	sb_free(&site);
	sb_free(&prev);
	sb_free(&first);
}

int
main(void)
{
	char dir[] = "/tmp/glance-fast.XXXXXX", err[256];
	struct strbuf db = STRBUF_INIT;
	struct config cfg;
	struct store *st = NULL;
	char *argv[] = {"rm", "-rf", dir, NULL};
	pid_t pid;

	if (mkdtemp(dir) == NULL ||
	    config_parse(conf, "fast.conf", dir, &cfg, err, sizeof err)) {
		printf("Bail out! setting up: %s\n", err);
		return 1;
	}
	sb_appendf(&db, "%s/glance.db", dir);
	if (store_open(sb_str(&db), false, &st, err, sizeof err) != 0 || fill(st) != 0 ||
	    windows(st) != 0) {
		printf("Bail out! the store: %s\n", st ? store_error(st) : err);
		return 1;
	}
	test_bulk(st);
	test_reader(st, &cfg);
	test_publish_links(dir);
	test_publish_over(dir);
	store_close(st);
	config_free(&cfg);
	sb_free(&db);
	if ((pid = fork()) == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return done_testing();
}
