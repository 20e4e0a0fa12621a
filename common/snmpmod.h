/* The boundary between a plugin and glance's net-snmp module (snmp.so).
 *
 * net-snmp brings the shared libcrypto with it, and binding the two costs
 * a plugin more at start-up than its whole --version run should take. So
 * the code that calls net-snmp (snmpmod.c) is a private shared module the
 * plugin loads with dlopen() only when an SNMP mode runs; everything else
 * of snmp.h (options, auth files, the extend result check) stays in the
 * plugin, which therefore needs libc only in its local modes.
 *
 * The module exports one symbol, SNMPMOD_ENTRY. The plugin calls it with
 * the ABI version it was built with and the host services the module must
 * share with the plugin (the run's one deadline and its -v level live in
 * the plugin's globals, and the module must never keep its own copies);
 * the module answers with its function table, or NULL when its ABI is not
 * the plugin's (a module left from another glance version). */
#ifndef GLANCE_SNMPMOD_H
#define GLANCE_SNMPMOD_H

#include <stddef.h>

#include "snmp.h"

/* Raised whenever either struct below or a signature in it changes. */
#define SNMPMOD_ABI 1
#define SNMPMOD_ENTRY "glance_snmp_module"

struct snmpmod_host {
	int (*remaining_ms)(void); /* deadline_remaining_ms() */
	double (*seconds)(void);   /* deadline_seconds(), for messages */
	void (*debug)(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
};

/* snmp.h's session calls, same contracts. walk may leave out partly filled
 * on failure: the plugin side frees it. */
struct snmpmod_ops {
	unsigned abi;
	enum snmpc_status (*open)(struct snmpc_session **out, const struct snmpc_opts *o,
	                          char *err, size_t errlen);
	enum snmpc_status (*get)(struct snmpc_session *s, const char *oid,
	                         struct snmpc_value *v, char *err, size_t errlen);
	enum snmpc_status (*walk)(struct snmpc_session *s, const char *column, size_t max_rows,
	                          struct snmpc_column *out, char *err, size_t errlen);
	const char *(*peer)(const struct snmpc_session *s); /* "host:port", for messages */
	void (*close)(struct snmpc_session *s);
};

typedef const struct snmpmod_ops *snmpmod_entry_fn(unsigned abi,
                                                   const struct snmpmod_host *host);

/* Defined by the module only: its one exported symbol. */
__attribute__((visibility("default"))) snmpmod_entry_fn glance_snmp_module;

#endif
