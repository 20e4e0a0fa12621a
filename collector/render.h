/* The render stage: writes the static status site for one struct
 * site_view. Everything (HTML pages, RSS and Atom feeds, status.json and
 * the Statuspage-compatible api/v2 files) is written into a fresh
 * directory beside out_dir and then swapped in atomically (publish.h), so
 * a web server never sees a half-written site and a failed render leaves
 * the last good site in place. */
#ifndef GLANCE_RENDER_H
#define GLANCE_RENDER_H

#include <stddef.h>

#include "model.h"

/* Render v into out_dir. Returns 0, or -1 with a one-line reason in err.
 * out_dir's parent must exist and be writable; out_dir itself is replaced
 * (it becomes a symbolic link to the current generation). */
int render_site(const struct site_view *v, const char *out_dir, char *err, size_t errlen);

#endif
