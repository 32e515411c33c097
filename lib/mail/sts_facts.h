/*
 * sts_facts - what a judge reads off an MTA-STS check (mail/sts_check)
 * beside an MX set (mail/mx) that is not yet a state: which hosts the
 * policy names and which usable ones it leaves out (RFC 8461 §4.1), and
 * the texts that describe the policy, its TLS-RPT record and the
 * outcome.  Pure: no network, unit-tested in t/unit/sts_test.  It
 * reports; the plugin picks the states.
 *
 * Ownership: caller storage; nothing allocates.  Text is cut, never
 * overrun, when it does not fit.
 */
#ifndef MAILPATH_STS_FACTS_H
#define MAILPATH_STS_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/mx.h"
#include "mail/sts_check.h"

struct sts_cover {
	bool judged;		/* a usable policy in mode testing or enforce */
	size_t hosts;		/* MX hosts (no trap, null MX or repeat) */
	size_t matched;
	size_t nuncovered;	/* usable hosts no pattern matches ... */
	size_t uncovered[MX_MAX_HOSTS];	/* ... as s->hosts indices */
	unsigned lowest;	/* the lowest non-trap preference */
	char matched_names[1024];	/* "a.test, b.test" */
	char unmatched_names[1024];
};

/* The hosts of s in order (s->nhosts indices) against c's policy. */
void sts_facts_cover(const struct sts_check *c, const struct mx_set *s,
    const size_t *order, struct sts_cover *out);
/* For a summary: the mode, "not published", or the failure's TLS-RPT
 * name ("sts-policy-fetch-error", ...); "" while pending. */
const char *sts_facts_state(const struct sts_check *c);
/* "reports to mailto:x@y.test" / "no _smtp._tls.DOMAIN record ..." for
 * a valid or missing TLS-RPT record; "" otherwise. */
void sts_facts_tlsrpt(const struct sts_check *c, const char *domain,
    char *out, size_t size);
/* The record line: "MTA-STS policy: mode ...; fetched in N ms; matched:
 * a.test; not matched: b.test" (cv from sts_facts_cover), or the record
 * missing; "" for any other outcome. */
void sts_facts_policy(const struct sts_check *c, const struct sts_cover *cv,
    const char *domain, char *out, size_t size);
/* --cafile: a regular file that can be opened; 0, or -1 with the reason
 * in err (read in full only when the fetch runs). */
int sts_facts_cafile_check(const char *path, char *err, size_t errlen);

#endif
