/* glance notice add|list|edit|retract: notices written by a person. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "derive.h"
#include "strbuf.h"

#define BODY_MAX (256 * 1024)

struct notice_args {
	const char *system, *title, *state, *body, *body_file, *tags, *impact;
	long long incident;
};

static const struct option notice_opts[] = {
        CLI_OPTS,
        {"system", required_argument, NULL, 's'},
        {"title", required_argument, NULL, 't'},
        {"state", required_argument, NULL, 'S'},
        {"body", required_argument, NULL, 'b'},
        {"body-file", required_argument, NULL, 'f'},
        {"tags", required_argument, NULL, 'T'},
        {"incident", required_argument, NULL, 'i'},
        {"impact", required_argument, NULL, 'I'},
        {0},
};

static int
notice_help(void)
{
	printf("usage: glance notice add --title TEXT [--system ID] [--state STATE]\n"
	       "                         [--body TEXT | --body-file FILE] [--tags \"a,b\"]\n"
	       "                         [--incident ID] [--impact IMPACT]\n"
	       "       glance notice list\n"
	       "       glance notice edit ID [--title] [--state] [--body | --body-file] "
	       "[--tags]\n"
	       "       glance notice retract ID\n"
	       "  (each also takes -c FILE and --now EPOCH)\n\n"
	       "A notice's title is prefixed with its system (\"NC036: Update 3\"). STATE is\n"
	       "investigating, identified, monitoring, resolved or postmortem. The body is\n"
	       "Markdown (the subset the site renders); --body-file - reads stdin.\n"
	       "--incident ID joins the incident of notice ID (updates of one incident);\n"
	       "it is refused for another system than that incident's. Without it, a\n"
	       "notice with a --state for a system whose automatic incident is open\n"
	       "joins that incident. IMPACT (none, degraded, partial, major) is what the\n"
	       "incident means for users; Statuspage's JSON calls it none, minor, major\n"
	       "or critical.\n"
	       "A title or body may not be empty. add prints the new id on stdout and,\n"
	       "like edit and retract, what it did and the notice's address on stderr.\n"
	       "The site changes at the next 'glance render' or 'glance run' pass.\n"
	       "Exit: 0 done, 1 failure, 2 usage.\n");
	return EXIT_OK;
}

static int
parse_state(const char *s, enum incident_state *out)
{
	for (int i = INC_INVESTIGATING; i <= INC_POSTMORTEM; i++)
		if (strcmp(s, incident_state_name((enum incident_state)i)) == 0) {
			*out = (enum incident_state)i;
			return 0;
		}
	if (strcmp(s, "post-mortem") == 0) {
		*out = INC_POSTMORTEM;
		return 0;
	}
	return -1;
}

static char *
read_body(const struct cli *c, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (f == NULL) {
		cli_error(c, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len <= BODY_MAX)
		sb_appendn(&sb, buf, n);
	if (f != stdin)
		fclose(f);
	if (sb.len > BODY_MAX || memchr(sb_str(&sb), '\0', sb.len) != NULL) {
		cli_error(c, "%s: %s", path, sb.len > BODY_MAX ? "body too long" : "not text");
		sb_free(&sb);
		return NULL;
	}
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static void
set_tags(struct notice_view *n, const char *list)
{
	for (size_t i = 0; i < n->ntags; i++)
		free(n->tags[i]);
	free(n->tags);
	n->tags = NULL;
	n->ntags = 0;
	while (*list != '\0') {
		size_t len = strcspn(list, ","), b = strspn(list, " \t");
		size_t e = len;
		while (e > b && (list[e - 1] == ' ' || list[e - 1] == '\t'))
			e--;
		if (e > b) {
			n->tags = xrealloc(n->tags, (n->ntags + 1) * sizeof *n->tags);
			n->tags[n->ntags] = xmalloc(e - b + 1);
			memcpy(n->tags[n->ntags], list + b, e - b);
			n->tags[n->ntags++][e - b] = '\0';
		}
		list += len + (list[len] == ',');
	}
}

/* True when s has something besides spaces, tabs and newlines. */
static bool
has_text(const char *s)
{
	return s[strspn(s, " \t\r\n")] != '\0';
}

/* Applies the options given to n; returns -1 after a message. */
static int
apply(const struct cli *c, const struct config *cfg, const struct notice_args *a,
      struct notice_view *n)
{
	if (a->system != NULL) {
		if (config_system(cfg, a->system) == NULL)
			return cli_error(c, "no system '%s' in %s", a->system, cfg->file);
		free(n->system_id);
		n->system_id = xstrdup(a->system);
	}
	if (a->title != NULL) {
		struct strbuf sb = STRBUF_INIT;
		size_t il = n->system_id ? strlen(n->system_id) : 0;
		if (n->system_id != NULL &&
		    !(strncmp(a->title, n->system_id, il) == 0 && a->title[il] == ':'))
			sb_appendf(&sb, "%s: ", n->system_id);
		sb_append(&sb, a->title);
		free(n->title);
		n->title = sb_detach(&sb);
	}
	if (a->state != NULL && parse_state(a->state, &n->state) != 0)
		return cli_usage(c,
		                 "--state: '%s' is not investigating, identified, monitoring,"
		                 " resolved or postmortem",
		                 a->state);
	if (a->body != NULL || a->body_file != NULL) {
		char *b = a->body_file ? read_body(c, a->body_file) : xstrdup(a->body);
		if (b == NULL)
			return -1;
		if (!has_text(b)) {
			free(b);
			return cli_error(c,
			                 "%s: the body is empty (leave --body-file out for a "
			                 "notice with a title only)",
			                 a->body_file ? a->body_file : "--body");
		}
		free(n->body);
		n->body = b;
	}
	if (a->tags != NULL)
		set_tags(n, a->tags);
	if (a->impact != NULL) {
		int i = impact_parse(a->impact);
		if (i < 0)
			return cli_usage(
			        c, "--impact: '%s' is not none, degraded, partial or major",
			        a->impact);
		n->impact = (enum impact)i;
	}
	return 0;
}

/* Which incident a new notice joins: the one --incident names, for the
 * same system only (an update for another system is a new incident,
 * never merged into this one); else, for a system's incident notice,
 * the automatic incident open for it now: one cause, one incident. */
static int
join_incident(const struct cli *c, struct store *st, const struct notice_args *a,
              struct notice_view *n)
{
	struct notice_view first;
	int r;

	if (a->incident <= 0) {
		struct notice_ref *refs;
		size_t nrefs;
		if (a->system == NULL || a->state == NULL)
			return 0;
		if (store_notice_refs(st, &refs, &nrefs) != 0)
			return cli_error(c, "%s", store_error(st));
		n->incident_id = derive_open_incident(refs, nrefs, a->system, true, n->posted,
		                                      n->posted);
		notice_refs_free(refs, nrefs);
		return 0;
	}
	r = store_notice_get(st, a->incident, &first, NULL);
	if (r <= 0) {
		notice_view_free(&first);
		return cli_error(c, "no notice %lld to continue", a->incident);
	}
	if (a->system != NULL &&
	    (first.system_id == NULL || strcmp(first.system_id, a->system))) {
		cli_error(c,
		          "notice %lld is about %s, not %s: post an update for %s on its own",
		          a->incident, first.system_id ? first.system_id : "no system",
		          a->system, a->system);
		notice_view_free(&first);
		return -1;
	}
	n->incident_id = first.incident_id;
	n->system_id = first.system_id ? xstrdup(first.system_id) : NULL;
	notice_view_free(&first);
	return 0;
}

/* What the command did, on stderr (stdout keeps only the id, for
 * scripts), with the notice's address on the site. */
static void
notice_tell(const struct cli *c, const struct config *cfg, const char *what, long long id)
{
	const char *base = cfg->site.info.base_url;

	fprintf(stderr,
	        "%s: %s notice %lld, %snotices/%lld.html (on the site after the next "
	        "render)\n",
	        c->prog, what, id, base ? base : "", id);
}

static int
notice_add(const struct cli *c, struct store *st, const struct config *cfg,
           const struct notice_args *a)
{
	struct notice_view n = {
	        .kind = NOTICE_OPERATOR, .state = INC_NONE, .posted = cli_time(c)};
	int64_t id;

	if (a->title == NULL) {
		cli_usage(c, "--title is required");
		return EXIT_USAGE;
	}
	if (join_incident(c, st, a, &n) != 0 || apply(c, cfg, a, &n) != 0) {
		notice_view_free(&n);
		return EXIT_FAIL;
	}
	if (n.body == NULL)
		n.body = xstrdup("");
	id = store_notice_add(st, &n, NULL);
	notice_view_free(&n);
	if (id <= 0) {
		cli_error(c, "%s", store_error(st));
		return EXIT_FAIL;
	}
	printf("%lld\n", (long long)id);
	notice_tell(c, cfg, "posted", id);
	return EXIT_OK;
}

static int
notice_list(struct store *st)
{
	struct notice_view *n;
	bool *retracted;
	size_t count;
	char when[64];

	if (store_notices(st, true, &n, &count, &retracted) != 0) {
		fprintf(stderr, "glance notice list: %s\n", store_error(st));
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < count; i++) {
		cli_format_time(n[i].posted, when, sizeof when);
		printf("%lld\t%s\t%s\t%s\t%s%s\n", (long long)n[i].id, when,
		       notice_kind_name(n[i].kind),
		       n[i].maint != MAINT_NONE ? maint_state_name(n[i].maint)
		                                : incident_state_name(n[i].state),
		       n[i].title, retracted[i] ? "\t(retracted)" : "");
		notice_view_free(&n[i]);
	}
	free(n);
	free(retracted);
	return EXIT_OK;
}

static int
notice_edit(const struct cli *c, struct store *st, const struct config *cfg, long long id,
            const struct notice_args *a, bool retract)
{
	struct notice_view n;
	int r = store_notice_get(st, id, &n, NULL), rc = EXIT_OK;

	if (r <= 0) {
		cli_error(c, r < 0 ? "%s" : "no notice %s",
		          r < 0 ? store_error(st) : "with that id");
		return EXIT_FAIL;
	}
	if (retract)
		r = store_notice_retract(st, id);
	else if (apply(c, cfg, a, &n) != 0)
		rc = EXIT_FAIL;
	else
		r = store_notice_update(st, &n);
	if (rc == EXIT_OK && r != 0) {
		cli_error(c, "%s", store_error(st));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK)
		notice_tell(c, cfg, retract ? "retracted" : "edited", id);
	notice_view_free(&n);
	return rc;
}

static int
parse_args(struct cli *c, int argc, char **argv, struct notice_args *a)
{
	int opt;
	char *end;

	while ((opt = getopt_long(argc, argv, CLI_SHORT, notice_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': notice_help(); return 1;
		case 's': a->system = optarg; break;
		case 't': a->title = optarg; break;
		case 'S': a->state = optarg; break;
		case 'b': a->body = optarg; break;
		case 'f': a->body_file = optarg; break;
		case 'T': a->tags = optarg; break;
		case 'I': a->impact = optarg; break;
		case 'i':
			errno = 0;
			a->incident = strtoll(optarg, &end, 10);
			if (*end != '\0' || a->incident <= 0 || errno == ERANGE)
				return cli_usage(c, "--incident: '%s' is not a notice id",
				                 optarg);
			break;
		default:
			if (cli_option(c, opt, optarg) != 0)
				return -1;
		}
	}
	if (a->body != NULL && a->body_file != NULL)
		return cli_usage(c, "--body and --body-file exclude each other");
	if (a->title != NULL && !has_text(a->title))
		return cli_usage(c, "--title: a notice needs a title, not an empty one");
	if (a->body != NULL && !has_text(a->body))
		return cli_usage(c, "--body: the body is empty (leave it out for a notice "
		                    "with a title only)");
	enum incident_state st;
	if (a->state != NULL && parse_state(a->state, &st) != 0)
		return cli_usage(c,
		                 "--state: '%s' is not investigating, identified, monitoring,"
		                 " resolved or postmortem",
		                 a->state);
	if (a->impact != NULL && impact_parse(a->impact) < 0)
		return cli_usage(c, "--impact: '%s' is not none, degraded, partial or major",
		                 a->impact);
	return 0;
}

int
cmd_notice(int argc, char **argv)
{
	struct cli cli;
	struct notice_args a = {0};
	struct config cfg;
	struct store *st;
	const char *verb = argc > 1 ? argv[1] : "";
	long long id = 0;
	int rc;

	if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0)
		return notice_help();
	cli_init(&cli, "glance notice");
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "edit") &&
	    strcmp(verb, "retract")) {
		cli_usage(&cli, "expected add, list, edit or retract");
		return EXIT_USAGE;
	}
	rc = parse_args(&cli, argc - 1, argv + 1, &a);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	bool wants_id = strcmp(verb, "edit") == 0 || strcmp(verb, "retract") == 0;
	if (wants_id) {
		char *end = NULL;
		/* getopt saw argv + 1: its optind is one less than ours */
		errno = 0;
		if (optind + 2 == argc)
			id = strtoll(argv[optind + 1], &end, 10);
		if (end == NULL || *end != '\0' || id <= 0 || errno == ERANGE) {
			cli_usage(&cli, "%s needs one notice id", verb);
			return EXIT_USAGE;
		}
	} else if (optind + 1 < argc) {
		cli_usage(&cli, "unexpected argument '%s'", argv[optind + 1]);
		return EXIT_USAGE;
	}
	if (cli_open(&cli, &cfg, &st) != 0)
		return EXIT_FAIL;
	if (strcmp(verb, "add") == 0)
		rc = notice_add(&cli, st, &cfg, &a);
	else if (strcmp(verb, "list") == 0)
		rc = notice_list(st);
	else
		rc = notice_edit(&cli, st, &cfg, id, &a, strcmp(verb, "retract") == 0);
	store_close(st);
	config_free(&cfg);
	return rc;
}
