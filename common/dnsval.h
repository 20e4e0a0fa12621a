/* The DNSSEC validator on ldns: the work behind dnssec.h, linked only
 * into the modules that validate (dnssec.so and dane.so), never into a
 * plugin, which would then bind ldns and libcrypto at every start. */
#ifndef GLANCE_DNSVAL_H
#define GLANCE_DNSVAL_H

#include "dnssec.h"

int dnsval_anchors_read(const char *path, struct dns_anchors **anchors, char *err,
                        size_t errlen);
void dnsval_anchors_free(struct dns_anchors *anchors);
void dnsval_validate(const struct dns_server *srv, const struct dns_msg *reply,
                     const struct dns_anchors *anchors, unsigned flags, int budget_ms,
                     struct dns_sec_result *res);

#endif
