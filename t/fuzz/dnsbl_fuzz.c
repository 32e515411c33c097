/*
 * dnsbl_fuzz - a DNS answer parsed as A records, then classified the way
 * check_dnsbl_sender does, under specs with and without filters and
 * masks.  Nothing may crash or read out of bounds; a verdict never holds
 * more codes than it has room for.
 */
#include <config.h>

#include "net/dns.h"
#include "mail/dnsbl.h"
#include "mail/dnsbl_verdict.h"

#include <arpa/inet.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const specs[] = {
		"zen.example.test", "zen.example.test=127.0.0.[2..11]",
		"multi.example.test&72", "dbl.example.test=127.0.1.[2;4]*3"
	};
	struct dns_answer a;
	struct dnsbl_spec s;
	struct dnsbl_verdict v;
	uint32_t codes[DNSBL_MAX_CODES];
	size_t i, n = 0, k;
	char err[128];

	dns_answer_parse(data, size, "2.0.0.127.zen.example.test", DNS_A, &a);
	for (i = 0; a.status == DNS_OK && i < a.n && n < DNSBL_MAX_CODES; i++)
		codes[n++] = ntohl(a.rr[i].u.a.s_addr);
	for (k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		if (dnsbl_spec_parse(specs[k], k == 3 ? DNSBL_DOMAIN :
		    DNSBL_IP, &s, err, sizeof(err)) < 0)
			__builtin_trap();
		dnsbl_verdict_classify(&s, a.status, codes, n, &v);
		if (v.ncodes > DNSBL_MAX_CODES)
			__builtin_trap();
	}
	dns_answer_release(&a);
	return 0;
}
