#include <config.h>

#include "mail/mx.h"
#include "mail/mx_answer.h"
#include "mail/mx_resolve.h"
#include "net/dns.h"
#include "net/loop.h"
#include "net/resolve.h"
#include "core/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mx_run {
	struct dns *d;
	struct mx_params par;
	mx_done_cb cb;
	void *arg;
	double start;
	size_t pending;
	struct resolve *res;	/* round 2 */
};

static void
mx_finish(struct mx_set *s)
{
	struct mx_run *r = s->run;
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		struct mx_host *h = &s->hosts[i];

		/* the domain's own alias is no MX-target defect */
		if (h->res.cname != NULL && !(h->flags & MX_F_IMPLICIT))
			h->flags |= MX_F_CNAME;
		if ((h->res.asked4 || h->res.asked6) && h->res.naddrs == 0)
			h->flags |= MX_F_NOADDR;
	}
	s->stage = MX_STAGE_DONE;
	s->elapsed = loop_now() - r->start;
	r->cb(r->arg, s);
}

static void
mx_on_addrs(void *arg, struct resolve *res)
{
	struct mx_set *s = arg;

	s->queries += resolve_queries(res);
	mx_finish(s);
}

static void
mx_on_mx(void *arg, struct dns_answer *a)
{
	struct mx_set *s = arg;
	struct mx_run *r = s->run;
	char err[128];
	size_t i;

	r->pending--;
	s->mx_status = a->status;
	s->mx_ad = a->ad;
	s->mx_time = a->elapsed;
	if (a->cname != NULL && (s->mx_cname = strdup(a->cname)) == NULL)
		state_note_oom("MX answer");
	if (mx_answer_hosts(s, s->domain, a, r->par.seed, err,
	    sizeof(err)) < 0)
		s->mx_status = DNS_ERROR;
	mx_mark_traps(s, r->par.traps);
	/*
	 * Round 2: every target's A and AAAA at once, so the lookup costs
	 * two resolver round trips whatever the number of hosts.  A repeated
	 * target is asked once (net/resolve shares the answers).
	 */
	s->stage = MX_STAGE_ADDR;
	if (resolve_new(&r->res, r->d, r->par.family) < 0) {
		s->mx_status = DNS_ERROR;
		mx_set_clear(s);
		mx_finish(s);
		return;
	}
	for (i = 0; i < s->nhosts; i++) {
		struct mx_host *h = &s->hosts[i];

		if (h->flags & (MX_F_NULL | MX_F_LITERAL))
			continue;
		s->rounds = 2;
		if (resolve_add(r->res, &h->res, h->name, 0) < 0) {
			/* out of memory: the host reads as not looked up */
			h->res.asked4 = h->res.asked6 = true;
			h->res.st4 = h->res.st6 = DNS_ERROR;
		}
	}
	if (resolve_start(r->res, mx_on_addrs, s) < 0) {
		s->mx_status = DNS_ERROR;
		mx_set_clear(s);
		mx_finish(s);
	}
}

int
mx_resolve_start(struct mx_set *s, struct dns *d, const char *domain,
    const struct mx_params *par, mx_done_cb cb, void *arg, char *err,
    size_t errlen)
{
	struct mx_run *r;

	if (s->run != NULL) {
		snprintf(err, errlen, "lookup already started");
		return -1;
	}
	if (mx_answer_domain(s, domain, err, errlen) < 0)
		return -1;
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		state_note_oom("MX lookup");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->d = d;
	r->par = *par;
	r->cb = cb;
	r->arg = arg;
	r->start = loop_now();
	s->run = r;
	s->stage = MX_STAGE_MX;
	s->rounds = 1;
	s->queries = 1;
	r->pending = 1;
	if (dns_query(d, s->domain, DNS_MX, mx_on_mx, s) < 0) {
		snprintf(err, errlen, "cannot send the MX query for %s",
		    s->domain);
		s->stage = MX_STAGE_IDLE;
		s->rounds = 0;
		s->queries = 0;
		free(r);
		s->run = NULL;
		return -1;
	}
	return 0;
}

void
mx_resolve_release(struct mx_set *s)
{
	if (s->run == NULL)
		return;
	resolve_free(s->run->res);
	free(s->run);
	s->run = NULL;
}
