/* The boundary between a plugin and glance's DNSSEC module (dnssec.so):
 * the validator of dnsval.h, with its own copy of the DNS code (dns.c,
 * dnswire.c), built on ldns. The plugin loads it from dnssec.c only when
 * it validates (check_dns --dnssec).
 *
 * The module exports one symbol, DNSSECMOD_ENTRY. Like dane.so it keeps
 * no copies of the plugin's services: the run's deadline, its -v level
 * and the allocation and address helpers it calls are the plugin's own,
 * which the plugin exports to it by name (module.syms). */
#ifndef GLANCE_DNSSECMOD_H
#define GLANCE_DNSSECMOD_H

#include "dnssec.h"

/* Raised whenever the struct below or a signature in it changes. */
#define DNSSECMOD_ABI 1
#define DNSSECMOD_ENTRY "glance_dnssec_module"

struct dnssecmod_ops {
	unsigned abi;
	/* dnssec.h's contracts */
	int (*anchors_read)(const char *path, struct dns_anchors **anchors, char *err,
	                    size_t errlen);
	void (*anchors_free)(struct dns_anchors *anchors);
	void (*validate)(const struct dns_server *srv, const struct dns_msg *reply,
	                 const struct dns_anchors *anchors, unsigned flags, int budget_ms,
	                 struct dns_sec_result *res);
};

typedef const struct dnssecmod_ops *dnssecmod_entry_fn(unsigned abi);

/* Defined by the module only: its one exported symbol. */
__attribute__((visibility("default"))) dnssecmod_entry_fn glance_dnssec_module;

#endif
