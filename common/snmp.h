/* An SNMP client session on net-snmp for the plugins that read an agent
 * (check_disk -H, check_mailqueue, check_snmp_extend): SNMPv2c with a
 * community or SNMPv3 USM (authNoPriv / authPriv), typed GET and column
 * WALK, and every request bounded by the run's deadline (deadline.h), so
 * an agent that never answers costs the remaining budget, not
 * timeout x retries.
 *
 * Failures come back as one value of enum snmpc_status plus a message that
 * says what went wrong in words an operator can act on ("no response from
 * 127.0.0.1:1161 within 2.8 s (agent down, wrong community or filtered)",
 * "authentication failure (wrong v3 passphrase?)"); secrets never appear in
 * a message.
 *
 * The calls that send packets run in the net-snmp module (snmpmod.h),
 * loaded by the first snmpc_open(); the rest of this API works without
 * it. A module that cannot be loaded is SNMPC_ERR_MODULE, with its path. */
#ifndef GLANCE_SNMP_H
#define GLANCE_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "state.h"

enum snmpc_status {
	SNMPC_OK = 0,
	SNMPC_ERR_CONFIG,  /* bad options: unknown protocol, short passphrase */
	SNMPC_ERR_OPEN,    /* the session could not be opened (bad host name) */
	SNMPC_ERR_TIMEOUT, /* no answer within the deadline */
	SNMPC_ERR_AUTH,    /* v3 user, passphrase or security level refused */
	SNMPC_ERR_NOSUCH,  /* noSuchObject / noSuchInstance / empty column */
	SNMPC_ERR_AGENT,   /* the agent answered with an error status */
	SNMPC_ERR_PROTO,   /* anything else the library reports */
	SNMPC_ERR_MODULE,  /* the net-snmp module (snmp.so) cannot be loaded */
};

/* "timeout", "authentication failure", "no such object", ... */
const char *snmpc_strerror(enum snmpc_status st);

/* Every string is malloc'd and owned by the struct: snmpc_opts_free()
 * wipes the secrets and frees them all. */
struct snmpc_opts {
	char *host;       /* name, IPv4 or IPv6 literal */
	unsigned port;    /* 0: 161 */
	int version;      /* 2 (v2c) or 3; 0: 2 */
	char *community;  /* v2c; NULL: "public" */
	char *user;       /* v3 security name */
	char *auth_proto; /* MD5 SHA SHA224 SHA256 SHA384 SHA512; NULL: SHA */
	char *auth_pass;  /* NULL: noAuthNoPriv (at least 8 characters) */
	char *priv_proto; /* DES AES AES192 AES256; NULL: AES */
	char *priv_pass;  /* NULL: authNoPriv */
	char *context;    /* v3 context name, or NULL */
	int retries;      /* extra tries inside the deadline; < 0: 1 */
};

enum snmpc_type {
	SNMPC_NONE = 0,  /* NULL, or an exception such as noSuchInstance */
	SNMPC_INT,       /* INTEGER (Integer32): in .i */
	SNMPC_UINT,      /* Gauge32, Counter32, TimeTicks, Unsigned32: in .u */
	SNMPC_COUNTER64, /* Counter64: in .u */
	SNMPC_STRING,    /* OCTET STRING: .str (NUL-terminated copy), .len */
	SNMPC_OID,       /* OBJECT IDENTIFIER: dotted text in .str */
	SNMPC_IPADDR,    /* IpAddress: dotted quad in .str */
};

struct snmpc_value {
	enum snmpc_type type;
	int64_t i;
	uint64_t u;
	char *str; /* malloc'd or NULL; free with snmpc_value_free() */
	size_t len;
	uint32_t index[16]; /* the OID suffix after the walked column */
	size_t index_len;
};

/* A column read by snmpc_walk(): values in agent (lexicographic) order. */
struct snmpc_column {
	struct snmpc_value *v;
	size_t n, cap;
};

struct snmpc_session;

/* Opens a session. For v3 the engine ID discovery happens here and is
 * already bounded by the deadline. On failure *out is NULL and err says why. */
enum snmpc_status snmpc_open(struct snmpc_session **out, const struct snmpc_opts *o, char *err,
                             size_t errlen);

/* GETs one object ("1.3.6.1.2.1.1.3.0"). An exception in the answer
 * (noSuchObject, noSuchInstance) is SNMPC_ERR_NOSUCH. */
enum snmpc_status snmpc_get(struct snmpc_session *s, const char *oid, struct snmpc_value *v,
                            char *err, size_t errlen);

/* Reads every instance under a column OID ("1.3.6.1.2.1.25.2.3.1.3") with
 * GETBULK, at most max_rows rows; .index of each value holds the row index.
 * An empty column is SNMPC_ERR_NOSUCH. */
enum snmpc_status snmpc_walk(struct snmpc_session *s, const char *column, size_t max_rows,
                             struct snmpc_column *out, char *err, size_t errlen);

/* The value in col whose row index equals index[0..len), or NULL. */
const struct snmpc_value *snmpc_column_find(const struct snmpc_column *col,
                                            const uint32_t *index, size_t len);

/* Reads SNMP credentials from a file of "key = value" lines ('#' starts a
 * comment): version, community, user, auth-protocol, auth-password,
 * priv-protocol, priv-password, context. Each key found replaces the
 * field in o. A file that group or others can read, or that is not a
 * regular file, is refused: secrets stay out of argv and out of reach. */
int snmpc_read_auth_file(const char *path, struct snmpc_opts *o, char *err, size_t errlen);

/* Replaces *field with a copy of value (wiping the old one). */
void snmpc_opts_set(char **field, const char *value);

/* Wipes the secrets and frees every string in o. */
void snmpc_opts_free(struct snmpc_opts *o);

void snmpc_value_free(struct snmpc_value *v);
void snmpc_column_free(struct snmpc_column *c);
void snmpc_close(struct snmpc_session *s);

/* ---- the options every SNMP plugin shares ----
 * A plugin puts SNMPC_OPT_SPECS in its option table (beside its own -H)
 * and hands each key it does not know to snmpc_option(). */
enum {
	SNMPC_OPT_PORT = 0x1000,
	SNMPC_OPT_VERSION,
	SNMPC_OPT_COMMUNITY,
	SNMPC_OPT_USER,
	SNMPC_OPT_AUTH_PROTO,
	SNMPC_OPT_AUTH_PASS,
	SNMPC_OPT_PRIV_PROTO,
	SNMPC_OPT_PRIV_PASS,
	SNMPC_OPT_CONTEXT,
	SNMPC_OPT_AUTH_FILE,
};

/* One table row per line, as in the plugins' own tables. */
/* clang-format off */
#define SNMPC_OPT_SPECS                                                                    \
	{SNMPC_OPT_PORT, "snmp-port", required_argument, "PORT", "Agent UDP port (161)."},   \
	{SNMPC_OPT_VERSION, "snmp-version", required_argument, "2c|3", "SNMP version (2c)."}, \
	{SNMPC_OPT_COMMUNITY, "community", required_argument, "SECRET",                      \
	 "v2c community: env:NAME, file:PATH or a literal (visible in ps);\n"                \
	 "default $GLANCE_SNMP_COMMUNITY, else public."},                                   \
	{SNMPC_OPT_USER, "snmp-user", required_argument, "USER", "v3 security name."},      \
	{SNMPC_OPT_AUTH_PROTO, "snmp-auth-proto", required_argument, "PROTO",               \
	 "v3 auth: MD5, SHA (default), SHA224, SHA256, SHA384, SHA512."},                   \
	{SNMPC_OPT_AUTH_PASS, "snmp-auth-pass", required_argument, "SECRET",                \
	 "v3 auth passphrase, as --community; default $GLANCE_SNMP_AUTH_PASS."},            \
	{SNMPC_OPT_PRIV_PROTO, "snmp-priv-proto", required_argument, "PROTO",               \
	 "v3 privacy: DES, AES (default), AES192, AES256."},                                \
	{SNMPC_OPT_PRIV_PASS, "snmp-priv-pass", required_argument, "SECRET",                \
	 "v3 privacy passphrase; default $GLANCE_SNMP_PRIV_PASS."},                         \
	{SNMPC_OPT_CONTEXT, "snmp-context", required_argument, "NAME", "v3 context name."}, \
	{SNMPC_OPT_AUTH_FILE, "snmp-auth-file", required_argument, "FILE",                  \
	 "Read version, community, user, auth-protocol, auth-password,\n"                   \
	 "priv-protocol, priv-password, context from FILE (key = value lines;\n"            \
	 "refused unless only its owner can read it)."}
/* clang-format on */

/* The --help sentence on where the SNMP code comes from, for the notes of
 * every SNMP plugin. */
#define SNMPC_HELP_MODULE                                                                      \
	"The SNMP code is loaded from snmp.so, one directory above the plugin's\n"             \
	"(or $GLANCE_SNMP_MODULE); when it cannot be, an SNMP run is UNKNOWN.\n"

/* Handles one of the SNMPC_OPT_* keys into so (a bad value is a usage
 * error naming the option); false for any other key. */
bool snmpc_option(const struct opts *o, struct snmpc_opts *so, int key, const char *arg);

/* Fills the secrets no option or auth file gave from $GLANCE_SNMP_COMMUNITY,
 * $GLANCE_SNMP_AUTH_PASS and $GLANCE_SNMP_PRIV_PASS. */
void snmpc_opts_env(struct snmpc_opts *so);

/* The state for a failed SNMP step: no answer within the deadline is the
 * -t state but never OK (a check that cannot see must not say all is
 * well); every other failure is UNKNOWN. */
enum gl_state snmpc_fail_state(enum snmpc_status st);

/* ---- NET-SNMP-EXTEND-MIB: the result of an "extend NAME CMD" line ----
 * nsExtendOutputFull (1.3.6.1.4.1.8072.1.3.2.3.1.2.<index>) and
 * nsExtendResult (...3.1.4.<index>), where the index is NAME's length
 * followed by its bytes. */
struct snmpc_extend {
	int result;   /* the command's exit status */
	char *output; /* its whole output (the agent drops the last newline) */
};

/* Reads one extend over an open session; an agent without that extend
 * is SNMPC_ERR_NOSUCH with a message naming the snmpd.conf line. */
enum snmpc_status snmpc_extend_get(struct snmpc_session *s, const char *name,
                                   struct snmpc_extend *x, char *err, size_t errlen);

/* Opens a session with so, reads extend name and checks that its result
 * is plugin-shaped: an exit status 0..3, a non-empty first line, and
 * perfdata (after '|') in the 'label'=value[UOM];... grammar. Returns
 * GL_OK with x filled, or the failure's state (as snmpc_fail_state(), a
 * result that is not plugin-shaped UNKNOWN) with the reason in err. */
enum gl_state snmpc_extend_fetch(const struct snmpc_opts *so, const char *name,
                                 struct snmpc_extend *x, char *err, size_t errlen);

/* The plugin-shape check snmpc_extend_fetch() applies: 0, or -1 with the
 * reason in err. */
int snmpc_extend_check(const struct snmpc_extend *x, char *err, size_t errlen);

void snmpc_extend_free(struct snmpc_extend *x);

#endif
