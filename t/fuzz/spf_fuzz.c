/*
 * spf_fuzz - the SPF record parser on arbitrary bytes (a TXT record is
 * network input).  Nothing may crash, leak or read out of bounds.
 */
#include <config.h>

#include "mail/spf.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spf_record *rec = malloc(sizeof(*rec));
	char err[160];

	if (rec == NULL)
		return 0;
	(void)spf_parse((const char *)data, size, "example.test",
	    "sender.test", rec, err, sizeof(err));
	free(rec);
	return 0;
}
