/*
 * sts_outcome - what a finished MTA-STS check (mail/sts_check) says: the
 * named class of the policy lookup and of the TLS-RPT record, their
 * names and description for a report, and the questions a judge or a
 * relay walk asks per MX host.  Pure reads of the caller's struct
 * sts_check: no network, nothing allocated, nothing fails; text is cut,
 * never overrun, when it does not fit.
 */
#ifndef MAILPATH_STS_OUTCOME_H
#define MAILPATH_STS_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>

struct sts_check;

enum sts_outcome {
	STS_PENDING,		/* not finished before the deadline */
	STS_ABSENT,		/* no v=STSv1 TXT record: no MTA-STS */
	STS_DNS_FAILED,		/* the TXT lookup failed (SERVFAIL, ...) */
	STS_TXT_SEVERAL,	/* announced: several v=STSv1 records */
	STS_TXT_INVALID,	/* announced: the one record is invalid */
	STS_FETCH_FAILED,	/* announced: the policy could not be fetched */
	STS_POLICY_INVALID,	/* announced: the policy file is invalid */
	STS_USABLE		/* a valid policy (c->policy) */
};

enum sts_rpt { RPT_PENDING, RPT_ABSENT, RPT_DNS_FAILED, RPT_SEVERAL,
	RPT_INVALID, RPT_VALID };

/* The TLS-RPT result type of a failure (RFC 8460 §4.3), or a plain name. */
const char *sts_outcome_name(const struct sts_check *c);
/* "mode enforce, max_age 604800, mx a.test *.b.test, id X" for a usable
 * policy, "" otherwise; cut to size. */
void sts_outcome_describe(const struct sts_check *c, char *out, size_t size);

/* Per MX host, for a judge or a walk: a usable policy in mode testing or
 * enforce names the hosts (matches), enforce skips the others
 * (enforced), and both want a verified certificate (verify). */
bool sts_outcome_matches(const struct sts_check *c, const char *host);
bool sts_outcome_enforced(const struct sts_check *c);
bool sts_outcome_verify(const struct sts_check *c);

#endif
