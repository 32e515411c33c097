#include <config.h>

#include "mail/dnsbl_answer.h"

const char *
dnsbl_answer_status(const struct dnsbl_answer *a)
{
	return dns_status_name(a->status);
}
