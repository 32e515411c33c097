#include <config.h>

#include "mail/sender_facts.h"

#include <stdio.h>
#include <string.h>

void
sender_facts_origin_append(char *dst, const char *origin)
{
	size_t len = strlen(dst);

	if (strstr(dst, origin) != NULL)
		return;
	if (len > 0)
		snprintf(dst + len, SENDER_ORIGIN_MAX - len, "; %s", origin);
	else
		snprintf(dst, SENDER_ORIGIN_MAX, "%s", origin);
}
