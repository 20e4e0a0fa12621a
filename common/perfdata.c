#include "perfdata.h"

#include <string.h>

static void
perfdata_label(struct strbuf *pd, const char *label)
{
	bool quote = label[0] == '\0' || strpbrk(label, " \t") != NULL;

	if (quote)
		sb_appendc(pd, '\'');
	for (const char *p = label; *p; p++)
		sb_appendc(pd, (*p == '\'' || *p == '=' || *p == '\n' || *p == '|') ? '_' : *p);
	if (quote)
		sb_appendc(pd, '\'');
}

void
perfdata_append(struct strbuf *pd, const struct pd_item *it)
{
	struct strbuf f[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	int last = -1;

	if (pd->len > 0)
		sb_appendc(pd, ' ');
	perfdata_label(pd, it->label);
	sb_appendc(pd, '=');
	if (it->unknown)
		sb_appendc(pd, 'U');
	else
		sb_append_number(pd, it->value);
	if (it->uom != NULL && !it->unknown)
		sb_append(pd, it->uom);

	if (it->warn != NULL)
		range_format(&f[0], it->warn);
	if (it->crit != NULL)
		range_format(&f[1], it->crit);
	if (it->has_min)
		sb_append_number(&f[2], it->min);
	if (it->has_max)
		sb_append_number(&f[3], it->max);
	for (int i = 0; i < 4; i++)
		if (f[i].len > 0)
			last = i;
	for (int i = 0; i <= last; i++) {
		sb_appendc(pd, ';');
		sb_append(pd, sb_str(&f[i]));
	}
	for (int i = 0; i < 4; i++)
		sb_free(&f[i]);
}
