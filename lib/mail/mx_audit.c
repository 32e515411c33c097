#include <config.h>

#include "mail/mx_audit.h"
#include "mail/mx_resolve.h"
#include "net/dns.h"
#include "net/loop.h"
#include "core/state.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

/* The run ends when the set, the probes and the MTA-STS check are in. */
static void
mx_audit_maybe_stop(struct mx_audit *a)
{
	if (a->dns_done && a->probes.pending == 0 &&
	    (a->par->sts == NULL || a->sts_done))
		loop_stop(a->loop);
}

static void
mx_audit_on_probes(void *arg)
{
	mx_audit_maybe_stop(arg);
}

static void
mx_audit_on_sts(void *arg, struct sts_check *c)
{
	struct mx_audit *a = arg;

	(void)c;
	a->sts_done = true;
	mx_audit_maybe_stop(a);
}

static void
mx_audit_on_trace(void *arg, const struct mx_probe *pr,
    enum mx_probe_state from)
{
	struct mx_audit *a = arg;

	a->par->trace(a->par->arg, pr, from);
}

static void
mx_audit_on_set(void *arg, struct mx_set *s)
{
	struct mx_audit *a = arg;
	const struct mx_audit_params *par = a->par;
	struct mx_probe_params pp;

	a->dns_done = true;
	mx_display_order(s, a->order);
	if (!par->connect) {
		mx_audit_maybe_stop(a);
		return;
	}
	memset(&pp, 0, sizeof(pp));
	pp.port = par->port;
	pp.max = par->max_probes;
	/*
	 * Each probe gets most of what is left of the run, so a silent host
	 * ends as a probe timeout with a verdict, not as the run's deadline.
	 */
	pp.timeout = loop_remaining(a->loop) * 0.8;
	pp.order = a->order;
	pp.done = mx_audit_on_probes;
	pp.trace = par->trace != NULL ? mx_audit_on_trace : NULL;
	pp.arg = a;
	/* a failed start (out of memory, noted) leaves nothing pending */
	(void)mx_probe_start(&a->probes, a->loop, s, &pp);
	mx_audit_maybe_stop(a);
}

int
mx_audit_run(struct mx_audit *a, const struct mx_audit_params *par,
    char *err, size_t errlen)
{
	struct dns_config cfg;
	struct mx_params mp;
	enum loop_result lr;
	uint64_t seed;

	memset(a, 0, sizeof(*a));
	mx_set_init(&a->set);
	mx_probe_init(&a->probes);
	sts_check_init(&a->sts);
	a->par = par;
	a->loop = loop_new();
	if (a->loop == NULL) {
		state_note_oom("event loop");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	loop_set_deadline(a->loop, par->timeout);
	/*
	 * Per-try DNS timeout of half the run (at most 5 s), two tries: a
	 * lost packet is retried in time, and a resolver that never answers
	 * meets the run's deadline, which names what was pending.
	 */
	memset(&cfg, 0, sizeof(cfg));
	cfg.timeout = par->timeout / 2 < 5 ? par->timeout / 2 : 5;
	cfg.tries = 2;
	cfg.servers = par->servers;
	cfg.nservers = par->nservers;
	if (dns_new(&a->dns, a->loop, &cfg, err, errlen) < 0) {
		char why[160];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "cannot set up the resolver: %s", why);
		return -1;
	}
	/* RFC 5321 §5.1 wants equal preferences randomised for real */
	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		seed = (uint64_t)(loop_now() * 1e9);
	memset(&mp, 0, sizeof(mp));
	mp.family = par->family;
	mp.seed = seed;
	mp.traps = par->traps;
	if (mx_resolve_start(&a->set, a->dns, par->domain, &mp,
	    mx_audit_on_set, a, err, errlen) < 0)
		return -1;
	/* MTA-STS's TXT and policy-host lookups ride in the MX round */
	if (par->sts != NULL && sts_check_start(&a->sts, a->loop, a->dns,
	    par->domain, par->sts, mx_audit_on_sts, a, err, errlen) < 0)
		return -1;
	if (!a->dns_done || a->probes.pending > 0 ||
	    (par->sts != NULL && !a->sts_done))
		lr = loop_run(a->loop);
	else
		lr = LOOP_DONE;
	if (lr == LOOP_ERROR) {
		snprintf(err, errlen, "poll() failed: %s", strerror(errno));
		return -1;
	}
	mx_probe_sync(&a->probes);
	a->timed_out = lr == LOOP_DEADLINE;
	/* every list printed follows this order, never the random walk */
	mx_display_order(&a->set, a->order);
	return 0;
}

void
mx_audit_release(struct mx_audit *a)
{
	mx_probe_release(&a->probes);
	dns_free(a->dns);	/* before the set: no callback may reach it */
	a->dns = NULL;
	sts_check_release(&a->sts);
	mx_set_release(&a->set);
	loop_free(a->loop);
	a->loop = NULL;
}
