/*
 * sts_relay - the RFC 8461 policy of a relay walk (--tls sts), per host
 * and per address; the lookup, fetch and parse are mail/sts_check's.
 *
 * begin() starts the check with the run, so the _mta-sts TXT rides in the
 * first DNS round beside the MX query and the fetch runs while the MX
 * hosts' addresses are asked and the first session does its connect,
 * banner and EHLO (DESIGN.md §6); that session holds after EHLO until
 * the policy is in (tls_hold), and one whose host the policy rules out is
 * dropped there, before any envelope.  Once the policy is in, hosts it
 * rules out are never connected to.  --via hops are walked
 * opportunistically (the policy names the recipient's MX only).
 * With a usable policy in mode enforce, hosts no mx pattern matches are
 * not used (§4.1) and every used host must offer STARTTLS with a
 * certificate valid for its MX name (§4.2); in mode testing the walk is
 * opportunistic and the certificates are verified for the report; with no
 * policy, mode none or an unusable one, the walk is "may" (§5, fail-open).
 * The check belongs to the run (run->policy_run), released with it.
 */
#ifndef MAILPATH_STS_RELAY_H
#define MAILPATH_STS_RELAY_H

#include "mail/relay_policy.h"
#include "mail/relay_verdict.h"
#include "mail/sts_check.h"

extern const struct relay_policy sts_relay_policy;
/* --tls auto: RFC 8461 §2, DANE (mail/dane) where validated TLSA or a
 * failed TLSA lookup decides a host, else the MTA-STS policy, else may. */
extern const struct relay_policy sts_relay_auto_policy;

/* The run's check, or NULL without --tls sts or auto. */
const struct sts_check *sts_relay_check(const struct relay *run);
/* Would a's host be used, and its certificate pass, under enforce? */
bool sts_relay_matched(const struct sts_check *c,
    const struct relay_attempt *a);
bool sts_relay_passes(const struct relay_attempt *a);

/* Pure: the MTA-STS reading of a judged main walk (j from
 * relay_verdict_walk): RV_STS_NOMATCH or RV_STS_TLSFAIL in place of the
 * walk's failure under enforce, else j->v.  beside gets the finding next
 * to it (RV_STS_UNUSABLE, RV_STS_DNS, RV_STS_TESTING) or RV_NVERDICTS,
 * and *about the attempt that finding names (-1: the policy). */
enum relay_verdict sts_relay_judge(const struct sts_check *c,
    const struct relay_walk *w, const struct relay_judgement *j,
    enum relay_verdict *beside, int *about);

#endif
