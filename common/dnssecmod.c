/* glance's DNSSEC module (dnssec.so): dnsval.c's validator behind the
 * one entry point of dnssecmod.h. */
#include "dnssecmod.h"

#include "dnsval.h"

static const struct dnssecmod_ops dnssecmod_ops = {
        .abi = DNSSECMOD_ABI,
        .anchors_read = dnsval_anchors_read,
        .anchors_free = dnsval_anchors_free,
        .validate = dnsval_validate,
};

const struct dnssecmod_ops *
glance_dnssec_module(unsigned abi)
{
	return abi == DNSSECMOD_ABI ? &dnssecmod_ops : NULL;
}
