#include "dane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "danemod.h"
#include "module.h"

void
dane_free(struct cert_dane *d)
{
	struct cert_tlsa *rr = (struct cert_tlsa *)d->rr;

	for (size_t i = 0; i < d->n; i++)
		free(rr[i].data);
	free(rr);
	d->rr = NULL;
	d->n = 0;
}

int
dane_lookup(const struct dane_query *q, struct cert_dane *out, char *err, size_t errlen)
{
	static const struct danemod_ops *ops;
	struct module m;

	memset(out, 0, sizeof *out);
	if (ops == NULL) {
		if (!module_load(&m, "dane.so", "GLANCE_DANE_MODULE", "DANE", DANEMOD_ENTRY,
		                 err, errlen))
			return -2;
		ops = ((danemod_entry_fn *)m.entry)(DANEMOD_ABI);
		if (ops == NULL || ops->abi != DANEMOD_ABI) {
			snprintf(err, errlen, "the DANE module %s is not this glance's (%s)",
			         m.path, "another interface version");
			ops = NULL;
			module_close(&m);
			return -2;
		}
	}
	return ops->lookup(q, out, err, errlen);
}
