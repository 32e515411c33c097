#include <config.h>

#include "mail/dnsbl_check.h"
#include "mail/dnsbl_tally.h"
#include "net/dns.h"
#include "net/loop.h"
#include "core/state.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void
dnsbl_check_stop(void *arg)
{
	struct dnsbl_check *c = arg;

	loop_stop(c->loop);
}

/*
 * One resolver channel for both phases.  Each query gets a fifth of the
 * deadline per try, at most 2 s, two tries: c-ares doubles the wait on
 * the second try, so a silent list is reported before the deadline.
 */
static int
dnsbl_check_setup(struct dnsbl_check *c, const struct dnsbl_check_params *p,
    char *err, size_t errlen)
{
	struct dns_config cfg;
	char why[200];
	double per_try = p->timeout / 5;

	c->start = loop_now();
	if ((c->loop = loop_new()) == NULL) {
		state_note_oom("run setup");
		return -1;
	}
	if (per_try > 2.0)
		per_try = 2.0;
	if (per_try < 0.1)
		per_try = 0.1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.timeout = per_try;
	cfg.tries = 2;
	cfg.servers = p->servers;
	cfg.nservers = p->nservers;
	if (dns_new(&c->dns, c->loop, &cfg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "DNS setup: %s", why);
		return -1;
	}
	loop_set_deadline(c->loop, p->timeout);
	return 0;
}

static int
dnsbl_check_discover(struct dnsbl_check *c,
    const struct dnsbl_check_params *p, char *err, size_t errlen)
{
	char why[200];
	size_t i;

	if (sender_new(&c->snd, c->dns, &p->discovery) < 0)
		return -1;
	for (i = 0; i < p->nhosts; i++)
		if (sender_add_host(c->snd, p->hosts[i], why,
		    sizeof(why)) < 0) {
			snprintf(err, errlen, "invalid -H '%s': %s",
			    p->hosts[i], why);
			return -1;
		}
	if (p->sender != NULL && sender_add_domain(c->snd, p->sender, why,
	    sizeof(why)) < 0) {
		snprintf(err, errlen, "invalid -S '%s': %s", p->sender, why);
		return -1;
	}
	if (sender_start(c->snd, dnsbl_check_stop, c) < 0)
		return -1;
	if (!sender_done(c->snd) && loop_run(c->loop) == LOOP_DEADLINE) {
		c->discovery_timed_out = true;
		c->discovery_pending = dns_pending(c->dns);
	}
	c->found = sender_result(c->snd);
	return 0;
}

static int
dnsbl_check_lists(struct dnsbl_check *c, const struct dnsbl_check_params *p)
{
	const struct sender_result *f = c->found;
	struct dnsbl_query_params par;
	char why[200];
	size_t t;

	memset(&par, 0, sizeof(par));
	par.selftest = p->selftest;
	par.txt = p->txt;
	/* a cache that cannot be used costs the test points, nothing else */
	if (p->cache_dir != NULL && dnsbl_cache_open(&c->cache, p->cache_dir,
	    (long)time(NULL), why, sizeof(why)) < 0)
		snprintf(c->cache_why, sizeof(c->cache_why), "not used: %s",
		    why);
	par.cache = c->cache;
	if (dnsbl_query_new(&c->lists, c->dns, p->specs, p->nspecs, &par,
	    c) < 0)
		return -1;
	for (t = 0; t < f->ntargets; t++)
		if (dnsbl_query_add(c->lists, f->targets[t].kind,
		    f->targets[t].family, f->targets[t].addr,
		    f->targets[t].name) < 0)
			return -1;
	if (dnsbl_query_build(c->lists) < 0)
		return -1;
	dnsbl_query_zones(c->lists, &t);
	if (dnsbl_tally_asked(c->lists, DNSBL_IP) +
	    dnsbl_tally_asked(c->lists, DNSBL_DOMAIN) == 0)
		return 0;	/* nothing to ask: nothing is sent */
	c->lists_sent = true;
	dnsbl_query_start(c->lists, dnsbl_check_stop);
	if (!dnsbl_query_done(c->lists) && loop_run(c->loop) == LOOP_DEADLINE)
		c->lists_timed_out = true;
	/* the controls, evaluated on what came in (and kept) */
	dnsbl_query_zones(c->lists, &t);
	if (c->cache != NULL && dnsbl_cache_save(c->cache, why,
	    sizeof(why)) < 0)
		snprintf(c->cache_why, sizeof(c->cache_why), "not written: %s",
		    why);
	return 0;
}

int
dnsbl_check_run(struct dnsbl_check *c, const struct dnsbl_check_params *p,
    char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	if (dnsbl_check_setup(c, p, err, errlen) < 0 ||
	    dnsbl_check_discover(c, p, err, errlen) < 0)
		return -1;
	if (c->discovery_timed_out || c->found->ntargets == 0)
		return 0;
	return dnsbl_check_lists(c, p);
}

void
dnsbl_check_release(struct dnsbl_check *c)
{
	dns_free(c->dns);	/* first: pending answers point into c */
	dnsbl_query_free(c->lists);
	dnsbl_cache_free(c->cache);
	sender_free(c->snd);
	loop_free(c->loop);
	memset(c, 0, sizeof(*c));
}

double
dnsbl_check_elapsed(const struct dnsbl_check *c)
{
	return loop_now() - c->start;
}
