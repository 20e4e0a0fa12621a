/* DNS replies after ldns has parsed them: glance's own handling of the
 * answer (the sorted rrset text check_dns prints, the comparison with
 * expected records, each record's rdata text) for every type the reply
 * holds. dns_query's id and question matching is not reached from here:
 * it needs a server socket, which hostile.t provides. */
#include <ldns/ldns.h>

#include "dns.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ldns_pkt *pkt = NULL;
	const char *expected[] = {"192.0.2.1", "mail.example.test."};

	if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK)
		return 0;
	ldns_rr_list *ans = ldns_pkt_answer(pkt);
	for (size_t i = 0; ans != NULL && i < ldns_rr_list_rr_count(ans); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ans, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		struct strbuf sb = STRBUF_INIT, diff = STRBUF_INIT;
		dns_rdata_format(&sb, rr);
		(void)dns_rrset_format(&sb, ans, t);
		(void)dns_answer_match(ans, t, expected, 2, &diff);
		sb_free(&sb);
		sb_free(&diff);
	}
	(void)dns_rcode_name(ldns_pkt_get_rcode(pkt));
	ldns_pkt_free(pkt);
	return 0;
}
