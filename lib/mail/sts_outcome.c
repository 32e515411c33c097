/*
 * sts_outcome - what a finished MTA-STS check says (see sts_outcome.h).
 */
#include <config.h>

#include "mail/sts_outcome.h"

#include "mail/sts_check.h"

#include <stdio.h>

const char *
sts_outcome_name(const struct sts_check *c)
{
	switch (c->outcome) {
	case STS_PENDING: return "pending";
	case STS_ABSENT: return "no MTA-STS";
	case STS_DNS_FAILED: return "TXT lookup failed";
	case STS_TXT_SEVERAL:
	case STS_TXT_INVALID:
	case STS_POLICY_INVALID: return "sts-policy-invalid";
	case STS_FETCH_FAILED:
		/* RFC 8460 §4.3.1: a certificate fault of the policy host */
		return c->fetch_fail == HTTPS_E_TLS ? "sts-webpki-invalid" :
		    "sts-policy-fetch-error";
	default: return "usable";
	}
}

void
sts_outcome_describe(const struct sts_check *c, char *out, size_t size)
{
	size_t used, i;
	int k;

	out[0] = '\0';
	if (c->outcome != STS_USABLE || size == 0)
		return;
	k = snprintf(out, size, "mode %s, max_age %ld, mx", sts_mode_name(
	    c->policy.mode), c->policy.max_age);
	used = k > 0 && (size_t)k < size ? (size_t)k : size - 1;
	for (i = 0; i < c->policy.nmx && used < size - 1; i++) {
		k = snprintf(out + used, size - used, " %s", c->policy.mx[i]);
		used = k > 0 && (size_t)k < size - used ? used + (size_t)k :
		    size - 1;
	}
	if (c->policy.nmx == 0 && used < size - 1) {
		k = snprintf(out + used, size - used, " (none)");
		used = k > 0 && (size_t)k < size - used ? used + (size_t)k :
		    size - 1;
	}
	if (used < size - 1)
		snprintf(out + used, size - used, ", id %s", c->id);
}

bool
sts_outcome_matches(const struct sts_check *c, const char *host)
{
	if (c->outcome != STS_USABLE || c->policy.mode == STS_MODE_NONE)
		return true;
	return sts_policy_match(&c->policy, host);
}

bool
sts_outcome_enforced(const struct sts_check *c)
{
	return c->outcome == STS_USABLE && c->policy.mode == STS_MODE_ENFORCE;
}

bool
sts_outcome_verify(const struct sts_check *c)
{
	return c->outcome == STS_USABLE && c->policy.mode != STS_MODE_NONE;
}
