/* The boundary between a plugin and glance's DANE module (dane.so).
 *
 * Proving a TLSA answer needs the DNSSEC validator on ldns (dnsval.c),
 * and binding ldns costs check_tls_cert a tenth of its whole run, DANE
 * or not. So the lookup and its proof (danemod.c, with dns.c, dnswire.c
 * and dnsval.c) are a private shared module the plugin loads with
 * dlopen() only when --dane is asked (dane.c); everything else of DANE,
 * matching the records against the chain, stays in the plugin
 * (certcheck.c).
 *
 * The module exports one symbol, DANEMOD_ENTRY. Unlike the SNMP module it
 * keeps no copies of the plugin's services: the run's deadline, its -v
 * level and the allocation and address helpers it calls are the
 * plugin's own, which the plugin exports to it by name (module.syms). */
#ifndef GLANCE_DANEMOD_H
#define GLANCE_DANEMOD_H

#include <stddef.h>

#include "dane.h"

/* Raised whenever the struct below or a signature in it changes. */
#define DANEMOD_ABI 1
#define DANEMOD_ENTRY "glance_dane_module"

struct danemod_ops {
	unsigned abi;
	/* dane_lookup()'s contract; out is the plugin's to free. */
	int (*lookup)(const struct dane_query *q, struct cert_dane *out, char *err,
	              size_t errlen);
};

typedef const struct danemod_ops *danemod_entry_fn(unsigned abi);

/* Defined by the module only: its one exported symbol. */
__attribute__((visibility("default"))) danemod_entry_fn glance_dane_module;

#endif
