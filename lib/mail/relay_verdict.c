/*
 * relay_verdict - the relay's one table of verdicts and the pure
 * functions that reach them (see relay_verdict.h).
 */
#include <config.h>

#include "mail/relay_verdict.h"
#include "mail/relay_outcome.h"

#include "mail/relay.h"

#include <stddef.h>

/*
 * The table.  A walk (RFC 5321 §5.1 semantics):
 *   accepted at the first preference       OK
 *   accepted only by a later preference    WARNING
 *   5xx to MAIL/RCPT, no SMTPUTF8          CRITICAL
 *   the walk reaches a trap                CRITICAL
 *   nothing accepted, some 4xx             WARNING (the mail is queued)
 *   nothing accepted, no 4xx               CRITICAL
 * --all: every non-trap host must accept, trap hosts must refuse.
 * --tls sts: the rows mail/sts_relay reads off the walk and the policy.
 */
const struct relay_verdict_row relay_verdicts[RV_NVERDICTS] = {
	[RV_ACCEPTED] = { STATE_OK, false, "accepted by the first preference" },
	[RV_BACKUP] = { STATE_WARNING, false, "accepted only by a backup" },
	[RV_REJECTED] = { STATE_CRITICAL, false, "rejected" },
	[RV_TRAP] = { STATE_CRITICAL, false, "the walk reaches a trap" },
	[RV_DEFERRED] = { STATE_WARNING, false, "deferred (4xx)" },
	[RV_UNUSABLE] = { STATE_CRITICAL, false, "no host could be used" },
	[RV_NOADDR] = { STATE_CRITICAL, false, "no host has an address" },
	[RV_NOADDR_TIMEOUT] = { STATE_CRITICAL, true, "address lookup out of "
	    "time" },
	[RV_FAILED] = { STATE_CRITICAL, false, "no host accepted" },
	[RV_ALL_OK] = { STATE_OK, false, "every MX address accepts" },
	[RV_ALL_PARTIAL] = { STATE_WARNING, false, "some MX addresses do not "
	    "accept" },
	[RV_ALL_NONE] = { STATE_CRITICAL, false, "no MX address accepts" },
	[RV_ADDR_UNUSED] = { STATE_WARNING, false, "host not used (policy)" },
	[RV_ADDR_FAILS] = { STATE_WARNING, false, "address does not accept" },
	[RV_TRAP_ACCEPTS] = { STATE_WARNING, false, "trap accepts" },
	[RV_MX_FAILED] = { STATE_CRITICAL, false, "MX lookup failed" },
	[RV_MX_TIMEOUT] = { STATE_CRITICAL, true, "no MX answer in time" },
	[RV_NULL_MX] = { STATE_CRITICAL, false, "null MX" },
	[RV_NULL_MIXED] = { STATE_CRITICAL, false, "null MX beside others" },
	[RV_LITERAL] = { STATE_WARNING, false, "MX target is an IP literal" },
	[RV_MIXED_CODES] = { STATE_WARNING, false, "mixed reply codes" },
	[RV_REFUSE_ACCEPTS] = { STATE_WARNING, false, "nolisting host "
	    "accepts" },
	[RV_PLAINTEXT_RETRY] = { STATE_WARNING, false, "accepted on the "
	    "plaintext retry" },
	[RV_STARTTLS_INJECTION] = { STATE_WARNING, false, "plaintext after "
	    "STARTTLS" },
	[RV_VIA_FAILED] = { STATE_CRITICAL, false, "a --via hop failed" },
	[RV_CERT_WARN] = { STATE_WARNING, false, "certificate expires soon" },
	[RV_CERT_CRIT] = { STATE_CRITICAL, false, "certificate expires "
	    "very soon" },
	[RV_DEADLINE] = { STATE_CRITICAL, true, "deadline reached" },
	[RV_LOOP_FAILED] = { STATE_UNKNOWN, false, "poll() failed" },
	[RV_CREDS] = { STATE_UNKNOWN, false, "TLS credentials failed" },
	/* RFC 8461 §5.1: enforce means no delivery at all; an announced
	 * policy that cannot be used is fail-open, not what was meant */
	[RV_STS_NOMATCH] = { STATE_CRITICAL, false, "no MX matches the "
	    "MTA-STS policy" },
	[RV_STS_TLSFAIL] = { STATE_CRITICAL, false, "every MX the MTA-STS "
	    "policy names fails TLS" },
	[RV_STS_UNUSABLE] = { STATE_WARNING, false, "MTA-STS announced but "
	    "unusable" },
	/* the _mta-sts TXT lookup failed: whether a policy applies cannot
	 * be known; senders without a cached one apply none */
	[RV_STS_DNS] = { STATE_WARNING, false, "MTA-STS lookup failed" },
	[RV_STS_TESTING] = { STATE_WARNING, false, "would fail under MTA-STS "
	    "enforce" },
};

enum state
relay_verdict_state(enum relay_verdict v, enum state timeout)
{
	if ((unsigned)v >= RV_NVERDICTS)
		return STATE_UNKNOWN;	/* a broken invariant */
	return relay_verdicts[v].timeout ? timeout : relay_verdicts[v].state;
}

bool
relay_verdict_refused(const struct relay_attempt *a)
{
	return a->refuse != NULL && (a->out == RELAY_UNREACHABLE ||
	    a->out == RELAY_REFUSED);
}

/* The first attempt that was probed and did not accept (of want, unless
 * want is RELAY_PENDING). */
static int
first_failure(const struct relay_walk *w, enum relay_outcome want)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->a[i].tried && w->a[i].out != RELAY_ACCEPTED &&
		    (want == RELAY_PENDING || w->a[i].out == want))
			return (int)i;
	return -1;
}

/* The preference a sender delivers to when all is well: the lowest, but
 * past hosts that refuse by design (nolisting). */
static unsigned
first_pref(const struct relay_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!relay_verdict_refused(&w->a[i]))
			return w->a[i].pref;
	return w->n ? w->a[0].pref : 0;
}

void
relay_verdict_walk(const struct relay_walk *w, bool timed_out,
    struct relay_judgement *j)
{
	const struct relay_attempt *a = w->decisive >= 0 ?
	    &w->a[w->decisive] : NULL;
	size_t i;

	j->tried = j->real = j->ok = j->traps = j->trap_ok = j->refuse_ok = 0;
	for (i = 0; i < w->n; i++)
		if (w->a[i].tried)
			j->tried++;
	j->about = j->shown = w->decisive;
	if (a != NULL && w->trap_reached) {
		j->v = RV_TRAP;
		j->shown = first_failure(w, RELAY_PENDING);
		return;
	}
	if (a != NULL && a->out == RELAY_ACCEPTED) {
		bool backup = a->pref != first_pref(w);

		j->v = backup ? RV_BACKUP : RV_ACCEPTED;
		if (backup)
			j->shown = first_failure(w, RELAY_PENDING);
		return;
	}
	if (a != NULL) {
		j->v = RV_REJECTED;
		return;
	}
	j->about = j->shown = first_failure(w, RELAY_DEFERRED);
	if (j->about >= 0) {
		j->v = RV_DEFERRED;
		return;
	}
	j->about = j->shown = first_failure(w, RELAY_PENDING);
	if (j->about >= 0) {
		j->v = RV_FAILED;
		return;
	}
	for (i = 0; i < w->n; i++)
		if (w->a[i].out == RELAY_SKIPPED && w->a[i].policy_skip) {
			j->v = RV_UNUSABLE;
			j->about = (int)i;
			return;
		}
	/* an address lookup out of time is the deadline's outcome */
	j->v = timed_out ? RV_NOADDR_TIMEOUT : RV_NOADDR;
}

enum relay_verdict
relay_verdict_address(const struct relay_attempt *a)
{
	if (a->out == RELAY_SKIPPED)
		/* not used by a sender: as good as not accepting */
		return a->trap == NULL && a->policy_skip ? RV_ADDR_UNUSED :
		    RV_NVERDICTS;
	if (a->refuse != NULL)
		return RV_NVERDICTS;	/* nolisting: judged apart */
	if (a->trap != NULL)
		return a->out == RELAY_ACCEPTED ? RV_TRAP_ACCEPTS :
		    RV_NVERDICTS;
	return a->out == RELAY_ACCEPTED ? RV_NVERDICTS : RV_ADDR_FAILS;
}

void
relay_verdict_all(const struct relay_walk *w, struct relay_judgement *j)
{
	size_t i;

	j->tried = j->real = j->ok = j->traps = j->trap_ok = j->refuse_ok = 0;
	j->about = j->shown = -1;
	for (i = 0; i < w->n; i++) {
		const struct relay_attempt *a = &w->a[i];
		enum relay_verdict v = relay_verdict_address(a);

		if (a->tried)
			j->tried++;
		if (v == RV_ADDR_UNUSED) {
			j->real++;
			continue;
		}
		if (a->out == RELAY_SKIPPED)
			continue;
		if (a->refuse != NULL) {
			if (a->out == RELAY_ACCEPTED)
				j->refuse_ok++;
			continue;
		}
		if (a->trap != NULL) {
			j->traps++;
			if (v == RV_TRAP_ACCEPTS)
				j->trap_ok++;
			continue;
		}
		j->real++;
		if (a->out == RELAY_ACCEPTED)
			j->ok++;
		else if (j->about < 0)
			j->about = j->shown = (int)i;
	}
	j->v = j->ok == 0 ? RV_ALL_NONE : j->ok < j->real || j->trap_ok ||
	    j->refuse_ok ? RV_ALL_PARTIAL : RV_ALL_OK;
}
