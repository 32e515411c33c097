/*
 * sts_fuzz - the MTA-STS and TLS-RPT parsers on arbitrary bytes (TXT
 * records and the policy file are network input).  The first byte picks
 * the parser: 'T' the _mta-sts record, 'R' the _smtp._tls record, anything
 * else the policy file (then mx matching against a fixed host).  Nothing
 * may crash, leak or read out of bounds.
 */
#include <config.h>

#include "mail/sts.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	char id[STS_ID_MAX], err[200];
	struct sts_policy *pol;
	struct sts_tlsrpt *rpt;

	if (size == 0)
		return 0;
	size--;
	switch (data[0]) {
	case 'T':
		(void)sts_txt_is_sts(text, size);
		(void)sts_txt_parse(text, size, id, err, sizeof(err));
		break;
	case 'R':
		rpt = malloc(sizeof(*rpt));
		if (rpt == NULL)
			return 0;
		(void)sts_tlsrpt_is_tlsrpt(text, size);
		(void)sts_tlsrpt_parse(text, size, rpt, err, sizeof(err));
		free(rpt);
		break;
	default:
		pol = malloc(sizeof(*pol));
		if (pol == NULL)
			return 0;
		if (sts_policy_parse(text, size, pol, err, sizeof(err)) == 0)
			(void)sts_policy_match(pol, "mx1.example.test");
		free(pol);
		break;
	}
	return 0;
}
