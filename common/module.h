/* Finding and loading a plugin's private shared module (snmp.so,
 * dane.so, dnssec.so): code whose library costs more to bind at start-up than the
 * plugin's own run, loaded with dlopen() only by the modes that call it.
 *
 * A module is looked for in $ENV (for tests; ignored in a set-id or
 * file-capability program, as the loader then ignores LD_LIBRARY_PATH);
 * else in the directory above the running program's, which is where both
 * the build tree and `make install` put it beside the plugin directory;
 * else in the module directory the build was configured with
 * (GLANCE_MODULEDIR), for plugins copied elsewhere. */
#ifndef GLANCE_MODULE_H
#define GLANCE_MODULE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct module {
	char path[PATH_MAX]; /* where it was looked for: for messages */
	void *handle;
	void *entry; /* dlsym() of the module's one exported symbol */
};

/* dlopen()s FILE ("snmp.so") from the first place above that has it and
 * looks up ENTRY. false when it cannot be loaded or has no ENTRY, with a
 * message naming the path in err: "cannot load the SNMP module
 * /usr/lib/glance/snmp.so: cannot open shared object file: No such file
 * or directory" (WHAT is "SNMP"). */
bool module_load(struct module *m, const char *file, const char *env, const char *what,
                 const char *entry, char *err, size_t errlen);

/* For a module whose entry refused this plugin (another ABI version). */
void module_close(struct module *m);

#endif
