#include "module.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#ifndef GLANCE_MODULEDIR
#define GLANCE_MODULEDIR "/usr/local/lib/glance"
#endif

/* Cuts the last "/name" off buf; false when there is none to cut. */
static bool
module_dirname(char *buf)
{
	char *slash = strrchr(buf, '/');
	if (slash == NULL || slash == buf)
		return false;
	*slash = '\0';
	return true;
}

static void
module_path(const char *file, const char *env, char *buf, size_t len)
{
	const char *named = getauxval(AT_SECURE) ? NULL : getenv(env);
	char exe[PATH_MAX];

	if (named != NULL && *named != '\0') {
		snprintf(buf, len, "%s", named);
		return;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if (module_dirname(exe) && module_dirname(exe) &&
		    (size_t)snprintf(buf, len, "%s/%s", exe, file) < len &&
		    access(buf, F_OK) == 0)
			return;
	}
	snprintf(buf, len, "%s/%s", GLANCE_MODULEDIR, file);
}

/* dlerror() text without the path in front, which our message names. */
static const char *
module_dlerror(const char *path)
{
	const char *why = dlerror();
	size_t pl = strlen(path);

	if (why == NULL)
		return "unknown error";
	if (strncmp(why, path, pl) == 0 && strncmp(why + pl, ": ", 2) == 0)
		why += pl + 2;
	return why;
}

bool
module_load(struct module *m, const char *file, const char *env, const char *what,
            const char *entry, char *err, size_t errlen)
{
	module_path(file, env, m->path, sizeof m->path);
	m->entry = NULL;
	m->handle = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
	if (m->handle == NULL) {
		snprintf(err, errlen, "cannot load the %s module %s: %s", what, m->path,
		         module_dlerror(m->path));
		return false;
	}
	m->entry = dlsym(m->handle, entry);
	if (m->entry == NULL) {
		snprintf(err, errlen, "the %s module %s is not this glance's (no %s)", what,
		         m->path, entry);
		module_close(m);
		return false;
	}
	return true;
}

void
module_close(struct module *m)
{
	if (m->handle != NULL)
		dlclose(m->handle);
	m->handle = NULL;
	m->entry = NULL;
}
