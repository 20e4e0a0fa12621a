/* glance: the collector. Subcommands in the git style; each lives in its
 * own cmd_*.c file and main only dispatches. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
        {"run", cmd_run, "run the configured checks (--once: each once) and render"},
        {"render", cmd_render, "derive status and notices from the store and write the site"},
        {"check-config", cmd_check_config, "validate the config file and explain it"},
        {"notice", cmd_notice, "add, list, edit or retract notices"},
        {"maintenance", cmd_maintenance, "schedule, list, end or cancel maintenance windows"},
        {"ingest", cmd_ingest, "read a running Nagios 4 or Icinga 2 into the store and render"},
};

static int
usage(FILE *f)
{
	fprintf(f, "usage: glance COMMAND [-c FILE] [--now EPOCH] [-v] [options]\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].what);
	fprintf(f,
	        "\nThe config file is -c FILE, else $GLANCE_CONFIG, else %s.\n"
	        "--now (or $GLANCE_NOW) sets the clock, for tests and replays.\n"
	        "'glance COMMAND --help' describes each command.\n"
	        "Exit codes: 0 success, 1 failure, 2 usage error.\n",
	        CLI_DEFAULT_CONFIG);
	return f == stdout ? EXIT_OK : EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("glance %s\n", GLANCE_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "glance: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
