/*
 * dns_fuzz - the DNS answer parser on arbitrary bytes, for every record
 * type it knows.  Nothing may crash, leak or read out of bounds.
 */
#include <config.h>

#include "net/dns.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = {
		DNS_A, DNS_AAAA, DNS_MX, DNS_TXT, DNS_PTR, DNS_CNAME, DNS_TLSA
	};
	struct dns_answer a;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		dns_answer_parse(data, size, "example.test", types[i], &a);
		dns_answer_release(&a);
	}
	return 0;
}
