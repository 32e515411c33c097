/*
 * dmarc_fuzz - the DMARC record parser on arbitrary bytes (a TXT record
 * is network input).  Nothing may crash, leak or read out of bounds.
 */
#include <config.h>

#include "mail/dmarc.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmarc_record d;
	char err[160];

	(void)dmarc_is_record((const char *)data, size);
	(void)dmarc_parse((const char *)data, size, &d, err, sizeof(err));
	return 0;
}
