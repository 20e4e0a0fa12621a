/* check_snmp_extend: runs a check on a host that only exposes SNMP. The
 * host's snmpd has "extend NAME /path/to/check_x ARGS"; this plugin reads
 * that extend's nsExtendOutputFull and nsExtendResult (NET-SNMP-EXTEND-MIB)
 * and returns them unchanged: the remote command's status line, long
 * output and perfdata on stdout, its exit code as ours.
 *
 * What arrives is checked to be plugin-shaped first (exit code 0..3, a
 * status line, perfdata in the plugin grammar): anything else would reach
 * the monitoring core as a result it can only misread, so it is UNKNOWN
 * with the reason. No answer within -t is the -t state, never OK. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "opts.h"
#include "output.h"
#include "snmp.h"

enum { OPT_EXTEND = 256 };

static const struct opt_spec ext_opts[] = {
        {'H', "hostname", required_argument, "HOST", "The SNMP agent to ask."},
        {'e', "extend", required_argument, "NAME",
         "The extend to read: the NAME of an \"extend NAME COMMAND\" line in the\n"
         "agent's snmpd.conf."},
        SNMPC_OPT_SPECS,
        OPT_END,
};

static const struct plugin_desc ext_desc = {
        .name = "check_snmp_extend",
        .service = "EXTEND",
        .purpose = "Returns the result of a check that a remote snmpd runs as an extend\n"
                   "(NET-SNMP-EXTEND-MIB): its exit code, status line and perfdata as is.",
        .usage = "-H HOST -e NAME [--snmp-version 2c|3] [--community SECRET]\n"
                 "       [--snmp-user USER --snmp-auth-pass SECRET --snmp-priv-pass SECRET]\n"
                 "       [--snmp-auth-file FILE] [-t SECS[:STATE]]",
        .notes = "On the remote host, in snmpd.conf:\n"
                 "  extend mailq /usr/local/lib/glance/plugins/check_mailqueue -w 100 -c 500\n"
                 "The agent runs the command when asked (and caches the result for\n"
                 "nsExtendCacheTime, 5 s by default) as its own user, so that user needs\n"
                 "what the check needs. A result that is not plugin-shaped (exit code\n"
                 "outside 0..3, no status line, broken perfdata) is UNKNOWN with the "
                 "reason.\n" SNMPC_HELP_MODULE
                 "Example: check_snmp_extend -H mail1 -e mailq --community "
                 "file:/etc/glance/community",
        .opts = ext_opts,
};

struct ext_cfg {
	struct snmpc_opts so;
	const char *extend;
};

static void
cfg_parse(struct ext_cfg *c, int argc, char **argv)
{
	struct opts o;
	const char *arg;
	int key;

	*c = (struct ext_cfg){0};
	opts_init(&o, &ext_desc, argc, argv);
	while ((key = opts_next(&o, &arg)) != -1) {
		if (key == 'H')
			snmpc_opts_set(&c->so.host, arg);
		else if (key == 'e')
			c->extend = arg;
		else if (!snmpc_option(&o, &c->so, key, arg))
			opts_usage_error(&o, "unhandled option %s", o.current);
	}
	if (c->so.host == NULL || c->so.host[0] == '\0')
		opts_usage_error(&o, "-H HOST is required");
	if (c->extend == NULL || c->extend[0] == '\0')
		opts_usage_error(&o, "-e NAME (the extend to read) is required");
	snmpc_opts_env(&c->so);
	opts_done(&o);
}

int
main(int argc, char **argv)
{
	struct ext_cfg cfg;
	struct snmpc_extend x;
	char err[600];

	cfg_parse(&cfg, argc, argv);
	enum gl_state st = snmpc_extend_fetch(&cfg.so, cfg.extend, &x, err, sizeof err);
	snmpc_opts_free(&cfg.so);
	if (st != GL_OK)
		output_die(ext_desc.service, st, "%s", err);
	deadline_disarm();
	printf("%s\n", x.output);
	int rc = x.result;
	snmpc_extend_free(&x);
	return rc;
}
