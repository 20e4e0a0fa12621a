#include "dnssec.h"

#include <stdio.h>
#include <string.h>

#include "dnssecmod.h"
#include "module.h"

/* The module's functions once loaded; a plugin loads it at most once. */
static const struct dnssecmod_ops *dnssec_ops;

int
dnssec_load(char *err, size_t errlen)
{
	struct module m;

	if (dnssec_ops != NULL)
		return 0;
	if (!module_load(&m, "dnssec.so", "GLANCE_DNSSEC_MODULE", "DNSSEC", DNSSECMOD_ENTRY,
	                 err, errlen))
		return -1;
	dnssec_ops = ((dnssecmod_entry_fn *)m.entry)(DNSSECMOD_ABI);
	if (dnssec_ops == NULL || dnssec_ops->abi != DNSSECMOD_ABI) {
		snprintf(err, errlen, "the DNSSEC module %s is not this glance's (%s)", m.path,
		         "another interface version");
		dnssec_ops = NULL;
		module_close(&m);
		return -1;
	}
	return 0;
}

int
dnssec_anchors_read(const char *path, struct dns_anchors **anchors, char *err, size_t errlen)
{
	*anchors = NULL;
	if (dnssec_load(err, errlen) != 0)
		return -1;
	return dnssec_ops->anchors_read(path, anchors, err, errlen);
}

void
dnssec_anchors_free(struct dns_anchors *anchors)
{
	if (anchors != NULL && dnssec_ops != NULL)
		dnssec_ops->anchors_free(anchors);
}

void
dnssec_validate(const struct dns_server *srv, const struct dns_msg *reply,
                const struct dns_anchors *anchors, unsigned flags, int budget_ms,
                struct dns_sec_result *res)
{
	if (dnssec_ops == NULL || anchors == NULL) {
		memset(res, 0, sizeof *res);
		res->verdict = DNS_SEC_ERROR;
		snprintf(res->reason, sizeof res->reason, "no trust anchors were read");
		return;
	}
	dnssec_ops->validate(srv, reply, anchors, flags, budget_ms, res);
}
