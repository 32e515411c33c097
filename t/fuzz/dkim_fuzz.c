/*
 * dkim_fuzz - the DKIM key record parser (with its base64 and DER
 * readers) on arbitrary bytes (a TXT record is network input).  Nothing
 * may crash, leak or read out of bounds.
 */
#include <config.h>

#include "mail/dkim.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_key k;
	unsigned bits;
	char err[160];

	(void)dkim_key_parse((const char *)data, size, &k, err, sizeof(err));
	/* the DER reader on its own, as if p= had decoded to these bytes */
	(void)dkim_rsa_bits(data, size, &bits);
	return 0;
}
