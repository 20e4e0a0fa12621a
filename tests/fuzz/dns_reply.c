/* DNS replies through glance's own parser (dnswire.c) and what is done
 * with the answer: each record's rdata text, its first name, the sorted
 * rrset text check_dns prints and the comparison with expected records,
 * for every type the reply holds. dns_query's id and question matching
 * is not reached from here: it needs a server socket, which hostile.t
 * provides. */
#include "dns.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	struct dns_rrs ans = {0};
	char err[200], name[DNS_NAME_TEXT];
	const char *expected[] = {"192.0.2.1", "mail.example.test."};

	if (dns_msg_parse(&m, data, size, err, sizeof err) != 0)
		return 0;
	dns_rrs_add(&ans, &m, DNS_S_ANSWER, 0);
	for (size_t i = 0; i < m.nrr; i++) {
		struct strbuf sb = STRBUF_INIT, diff = STRBUF_INIT;
		uint16_t t = m.rr[i].type;
		dns_rr_text(&m, &m.rr[i], &sb);
		(void)dns_rr_first_name(&m, &m.rr[i], name);
		(void)dns_name_is(&m, m.rr[i].owner, "mail.example.test");
		(void)dns_rrset_format(&sb, &ans, t);
		(void)dns_answer_match(&ans, t, expected, 2, &diff);
		sb_free(&sb);
		sb_free(&diff);
	}
	(void)dns_rcode_name((int)m.rcode);
	dns_rrs_free(&ans);
	dns_msg_free(&m);
	return 0;
}
