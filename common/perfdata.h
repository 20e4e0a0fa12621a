/* Performance data in the plugin API grammar:
 *   'label'=value[UOM];[warn];[crit];[min];[max]
 * Items are separated by one space; trailing empty fields are dropped;
 * numbers never use exponents and always use '.' as decimal point. */
#ifndef GLANCE_PERFDATA_H
#define GLANCE_PERFDATA_H

#include <stdbool.h>

#include "range.h"
#include "strbuf.h"

struct pd_item {
	const char *label;
	double value;
	bool unknown;              /* value could not be measured: "U" */
	const char *uom;           /* "s", "ms", "%", "B", "c", ... or NULL */
	const struct range *warn;  /* NULL or unset: empty field */
	const struct range *crit;
	bool has_min, has_max;
	double min, max;
};

/* Appends one item to pd. Labels are quoted when they contain a space;
 * "'" and "=" (which no core can parse in a label) become '_'. */
void perfdata_append(struct strbuf *pd, const struct pd_item *it);

#endif
