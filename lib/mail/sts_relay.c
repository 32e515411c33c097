/*
 * sts_relay - the MTA-STS policy of a relay walk (see sts_relay.h).
 */
#include <config.h>

#include "mail/sts_relay.h"

#include "mail/sts_outcome.h"
#include "mail/dane.h"
#include "mail/relay.h"
#include "core/state.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

struct sts_relay_run {
	struct sts_check c;
	bool done;
	struct relay_walk *waiting;	/* the main walk, once prepared */
};

const struct sts_check *
sts_relay_check(const struct relay *run)
{
	const struct sts_relay_run *sr = run->policy_run;

	return (run->rp->tls == RELAY_TLS_STS || run->rp->tls ==
	    RELAY_TLS_AUTO) && sr != NULL ? &sr->c : NULL;
}

/* The policy of a's walk: only the main MX walk has one. */
static const struct sts_check *
attempt_check(const struct relay_attempt *a)
{
	const struct relay *run = a->w->run;
	const struct sts_relay_run *sr = run->policy_run;

	if (sr == NULL || !sr->done || a->w != &run->main || !run->use_mx)
		return NULL;
	return &sr->c;
}

bool
sts_relay_matched(const struct sts_check *c, const struct relay_attempt *a)
{
	/* RFC 8461 §2: where DANE applies (--tls auto) the policy does not;
	 * §4.1 matches MX host names; an address literal matches none */
	if (dane_applies(a))
		return true;
	return !a->literal && sts_policy_match(&c->policy, a->host);
}

bool
sts_relay_passes(const struct relay_attempt *a)
{
	return a->has_facts && a->facts.verified && a->tls_s == NULL;
}

/* Enforce: the hosts no pattern names are not used, as a sender skips
 * them (§5.1). */
static void
sts_relay_mark(struct relay_walk *w, const struct sts_check *c)
{
	size_t i;

	for (i = 0; sts_outcome_enforced(c) && i < w->n; i++) {
		struct relay_attempt *a = &w->a[i];

		if (a->out == RELAY_SKIPPED || sts_relay_matched(c, a))
			continue;
		/* a session that is running stops in relay_policy_decided;
		 * one that ended before the policy came (a refused
		 * connection) would not have been tried by a sender */
		if (a->out != RELAY_PENDING) {
			a->out = RELAY_SKIPPED;
			a->tried = false;
		} else if (a->s == NULL)
			a->out = RELAY_SKIPPED;
		a->policy_skip = true;
		(void)text_format(a->note, sizeof(a->note), "MTA-STS: %s "
		    "matches no mx pattern of the enforce policy (RFC 8461 "
		    "section 4.1)", a->host);
	}
}

/* ... then the held sessions go on (or the walk starts). */
static void
sts_relay_apply(struct relay_walk *w, const struct sts_check *c)
{
	sts_relay_mark(w, c);
	w->policy_pending = 0;
	if (w->resolved)
		relay_policy_decided(w);
	else
		relay_policy_ready(w);
}

static void
sts_relay_on_check(void *arg, struct sts_check *c)
{
	struct sts_relay_run *sr = arg;

	sr->done = true;
	if (sr->waiting != NULL)
		sts_relay_apply(sr->waiting, c);
}

static int
sts_relay_begin(struct relay *run, struct loop *l, struct dns *d, char *err,
    size_t errlen)
{
	struct sts_relay_run *sr;
	struct sts_params par;

	if (!run->use_mx)
		return 0;
	sr = calloc(1, sizeof(*sr));
	if (sr == NULL) {
		state_note_oom("MTA-STS run");
		(void)text_format(err, errlen, "out of memory");
		return -1;
	}
	sts_check_init(&sr->c);
	run->policy_run = sr;
	memset(&par, 0, sizeof(par));
	par.cafile = run->rp->cafile;
	par.family = run->rp->family;
	/* a verdict of its own before the run's deadline */
	par.fetch_timeout = run->rp->stage_timeout < run->rp->timeout * 0.8 ?
	    run->rp->stage_timeout : run->rp->timeout * 0.8;
	return sts_check_start(&sr->c, l, d, run->rp->domain, &par,
	    sts_relay_on_check, sr, err, errlen);
}

static void
sts_relay_prepare(struct relay_walk *w, struct dns *d)
{
	struct relay *run = w->run;
	struct sts_relay_run *sr = run->policy_run;

	(void)d;
	if (w != &run->main || sr == NULL) {
		relay_policy_ready(w);
		return;
	}
	if (sr->done) {
		sts_relay_apply(w, &sr->c);
		return;
	}
	/*
	 * DESIGN.md §6: the fetch overlaps connect, banner and EHLO; the
	 * sessions hold after EHLO (tls_hold) until the policy says whether
	 * STARTTLS is required and which hosts are used.
	 */
	sr->waiting = w;
	w->policy_pending = 1;
	relay_policy_ready(w);
}

static bool
sts_relay_tls_hold(const struct relay_attempt *a)
{
	const struct relay *run = a->w->run;
	const struct sts_relay_run *sr = run->policy_run;

	return sr != NULL && !sr->done && a->w == &run->main;
}

static enum smtp_tls_use
sts_relay_tls_use(const struct relay_attempt *a)
{
	const struct sts_check *c = attempt_check(a);

	/* §4.2 / §5.1: enforce requires TLS; testing only reports */
	return c != NULL && sts_outcome_enforced(c) ? SMTP_TLS_REQUIRED :
	    SMTP_TLS_IF_OFFERED;
}

/* §4.2: the certificate must be valid for the MX host name: send it. */
static const char *
sts_relay_sni(const struct relay_attempt *a)
{
	return relay_policy_cert_name(a);
}

static bool
sts_relay_trust_store(const struct relay_attempt *a)
{
	const struct sts_check *c = attempt_check(a);

	return c != NULL && sts_outcome_verify(c);
}

static bool
sts_relay_tls_done(struct relay_attempt *a, struct tls *t)
{
	const struct sts_check *c = attempt_check(a);
	const char *name = relay_policy_cert_name(a);
	bool verify = c != NULL && sts_outcome_verify(c);

	/* verified against the MX name in enforce and testing (a DNS-ID
	 * of the SAN, §4.2); else "may", with --cafile for the report */
	tls_facts_get(t, verify || (a->w->run->rp->cafile && name) ?
	    TLS_NAMES_HOST : TLS_NAMES_NONE, name ? name : a->host,
	    &a->facts);
	a->has_facts = true;
	return c == NULL || !sts_outcome_enforced(c) || a->facts.verified;
}

static bool
sts_relay_retry_plain(const struct relay_attempt *a)
{
	const struct sts_check *c = attempt_check(a);

	return c == NULL || !sts_outcome_enforced(c);
}

static void
sts_relay_release(struct relay_walk *w)
{
	(void)w;
}

/* After the DNS channel is gone: no answer can reach the check. */
static void
sts_relay_end(struct relay *run)
{
	struct sts_relay_run *sr = run->policy_run;

	if (sr == NULL)
		return;
	sts_check_release(&sr->c);
	free(sr);
	run->policy_run = NULL;
}

const struct relay_policy sts_relay_policy = {
	.begin = sts_relay_begin,
	.prepare = sts_relay_prepare,
	.tls_use = sts_relay_tls_use,
	.sni = sts_relay_sni,
	.trust_store = sts_relay_trust_store,
	.tls_done = sts_relay_tls_done,
	.retry_plain = sts_relay_retry_plain,
	.tls_hold = sts_relay_tls_hold,
	.release = sts_relay_release,
	.end = sts_relay_end,
};

/* ---- --tls auto: DANE where it applies, else MTA-STS, else may -------- */

/*
 * RFC 8461 §2: DANE wins.  The walk is dane's (TLSA after the addresses,
 * FAILED hosts ruled out); when it is ready, the MTA-STS policy rules out
 * the other hosts (or the sessions hold for it).  The trust store is
 * loaded when the policy verifies: DANE ignores it, the others need it.
 */
static void
sts_relay_auto_ready(struct relay_walk *w)
{
	struct relay *run = w->run;
	struct sts_relay_run *sr = run->policy_run;

	if (w != &run->main || sr == NULL)
		return;
	if (sr->done) {
		sts_relay_mark(w, &sr->c);
		return;
	}
	sr->waiting = w;
	w->policy_pending = 1;
}

static enum smtp_tls_use
sts_relay_auto_tls_use(const struct relay_attempt *a)
{
	return dane_applies(a) ? dane_policy.tls_use(a) :
	    sts_relay_tls_use(a);
}

static const char *
sts_relay_auto_sni(const struct relay_attempt *a)
{
	return dane_applies(a) ? dane_policy.sni(a) : sts_relay_sni(a);
}

static bool
sts_relay_auto_tls_done(struct relay_attempt *a, struct tls *t)
{
	return dane_applies(a) ? dane_policy.tls_done(a, t) :
	    sts_relay_tls_done(a, t);
}

static bool
sts_relay_auto_retry_plain(const struct relay_attempt *a)
{
	return !dane_applies(a) && sts_relay_retry_plain(a);
}

static bool
sts_relay_auto_tls_hold(const struct relay_attempt *a)
{
	return !dane_applies(a) && sts_relay_tls_hold(a);
}

static void
sts_relay_auto_prepare(struct relay_walk *w, struct dns *d)
{
	dane_policy.prepare(w, d);
}

static void
sts_relay_auto_release(struct relay_walk *w)
{
	dane_policy.release(w);
}

const struct relay_policy sts_relay_auto_policy = {
	.begin = sts_relay_begin,
	.prepare = sts_relay_auto_prepare,
	.tls_use = sts_relay_auto_tls_use,
	.sni = sts_relay_auto_sni,
	.trust_store = sts_relay_trust_store,
	.tls_done = sts_relay_auto_tls_done,
	.retry_plain = sts_relay_auto_retry_plain,
	.tls_hold = sts_relay_auto_tls_hold,
	.ready = sts_relay_auto_ready,
	.release = sts_relay_auto_release,
	.end = sts_relay_end,
};

enum relay_verdict
sts_relay_judge(const struct sts_check *c, const struct relay_walk *w,
    const struct relay_judgement *j, enum relay_verdict *beside, int *about)
{
	const struct relay_attempt *a = j->about >= 0 ? &w->a[j->about] :
	    NULL;
	size_t i, matched = 0, tls_failed = 0;

	*beside = RV_NVERDICTS;
	*about = -1;
	switch (c->outcome) {
	case STS_TXT_SEVERAL:
	case STS_TXT_INVALID:
	case STS_FETCH_FAILED:
	case STS_POLICY_INVALID:
		*beside = RV_STS_UNUSABLE;
		return j->v;
	case STS_DNS_FAILED:
		*beside = RV_STS_DNS;
		return j->v;
	case STS_USABLE:
		break;
	default:
		return j->v;
	}
	if (c->policy.mode == STS_MODE_TESTING) {
		/* delivered anyway: what would enforce have refused? */
		if ((j->v == RV_ACCEPTED || j->v == RV_BACKUP) && a != NULL &&
		    !dane_applies(a) && (!sts_relay_matched(c, a) ||
		    !sts_relay_passes(a))) {
			*beside = RV_STS_TESTING;
			*about = j->about;
		}
		return j->v;
	}
	if (c->policy.mode != STS_MODE_ENFORCE)
		return j->v;
	for (i = 0; i < w->n; i++) {
		const struct relay_attempt *x = &w->a[i];

		if (x->out == RELAY_SKIPPED && x->policy_skip)
			continue;
		if (x->trap == NULL && sts_relay_matched(c, x)) {
			matched++;
			if (x->out == RELAY_TLS)
				tls_failed++;
		}
	}
	if (j->v == RV_ACCEPTED || j->v == RV_BACKUP || j->v == RV_TRAP)
		return j->v;
	if (matched == 0)
		return RV_STS_NOMATCH;
	if (tls_failed == matched)
		return RV_STS_TLSFAIL;
	return j->v;
}
