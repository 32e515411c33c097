#include <config.h>

#include "mail/dnsbl_tally.h"
#include "mail/dnsbl_verdict.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static bool
dnsbl_tally_broken(const struct dnsbl_query *q, const struct dnsbl_answer *a)
{
	const struct dnsbl_zone *zn = dnsbl_query_zone(q, a->zone);
	enum dnsbl_kind kind;
	int family = dnsbl_query_family(q, a->target, &kind);

	return zn->broken || (zn->broken6 && kind == DNSBL_IP &&
	    family == AF_INET6);
}

/* Does spec s belong to the answer's zone (a zone may have several)? */
static bool
dnsbl_tally_spec_of(const struct dnsbl_query *q, const struct dnsbl_answer *a,
    const struct dnsbl_spec *s)
{
	const struct dnsbl_spec *z = dnsbl_query_zone(q, a->zone)->spec;

	return s->kind == z->kind && strcmp(s->zone, z->zone) == 0;
}

static bool
dnsbl_tally_listed(const struct dnsbl_answer *a, const struct dnsbl_spec *s)
{
	struct dnsbl_verdict v;

	dnsbl_verdict_classify(s, a->status, a->codes, a->ncodes, &v);
	return v.cls == DNSBL_LISTED;
}

/* The registered domain's answer comes right after the host name's. */
static bool
dnsbl_tally_counted(const struct dnsbl_answer *ans, size_t i,
    const struct dnsbl_spec *s)
{
	const struct dnsbl_answer *a = &ans[i], *prev;

	if (!a->registered || i == 0)
		return false;
	prev = &ans[i - 1];
	return prev->role == DNSBL_Q_TARGET && !prev->registered &&
	    prev->target == a->target && prev->zone == a->zone &&
	    dnsbl_tally_listed(prev, s);
}

void
dnsbl_tally_each(const struct dnsbl_query *q, size_t i,
    void (*each)(void *arg, const struct dnsbl_answer *a,
    const struct dnsbl_spec *s), void *arg)
{
	size_t na, ns, k;
	const struct dnsbl_answer *ans = dnsbl_query_answers(q, &na), *a;
	const struct dnsbl_spec *specs = dnsbl_query_specs(q, &ns);
	bool failure;

	a = &ans[i];
	if (a->role != DNSBL_Q_TARGET || dnsbl_tally_broken(q, a))
		return;
	failure = a->status != DNS_OK && a->status != DNS_NXDOMAIN &&
	    a->status != DNS_NODATA;
	for (k = 0; k < ns; k++) {
		if (!dnsbl_tally_spec_of(q, a, &specs[k]) ||
		    dnsbl_tally_counted(ans, i, &specs[k]))
			continue;
		each(arg, a, &specs[k]);
		if (failure)
			break;
	}
}

long
dnsbl_tally_score(const struct dnsbl_query *q)
{
	size_t na, ns, i, k;
	const struct dnsbl_answer *ans = dnsbl_query_answers(q, &na);
	const struct dnsbl_spec *specs = dnsbl_query_specs(q, &ns);
	long score = 0;

	for (i = 0; i < na; i++) {
		if (ans[i].role != DNSBL_Q_TARGET ||
		    dnsbl_tally_broken(q, &ans[i]))
			continue;
		for (k = 0; k < ns; k++)
			if (dnsbl_tally_spec_of(q, &ans[i], &specs[k]) &&
			    dnsbl_tally_listed(&ans[i], &specs[k]) &&
			    !dnsbl_tally_counted(ans, i, &specs[k]))
				score += specs[k].weight;
	}
	return score;
}

/* A list's answers for one target are done: count it. */
static void
dnsbl_tally_zone(const struct dnsbl_query *q, struct dnsbl_tally *c,
    size_t zone, bool clean, bool listed, size_t *used)
{
	int w;

	c->listed += listed;
	if (!clean)
		return;
	c->clean++;
	w = snprintf(c->clean_lists + *used, sizeof(c->clean_lists) - *used,
	    "%s%s", *used ? ", " : "", dnsbl_query_zone(q, zone)->spec->zone);
	if (w > 0 && (size_t)w < sizeof(c->clean_lists) - *used)
		*used += (size_t)w;
}

void
dnsbl_tally_target(const struct dnsbl_query *q, size_t target,
    struct dnsbl_tally *c)
{
	size_t na, ns, i, k, used = 0, zone = SIZE_MAX;
	const struct dnsbl_answer *ans = dnsbl_query_answers(q, &na);
	const struct dnsbl_spec *specs = dnsbl_query_specs(q, &ns);
	bool clean = false, listed = false;

	memset(c, 0, sizeof(*c));
	/* a list's answers for a target are adjacent (build order) */
	for (i = 0; i < na; i++) {
		const struct dnsbl_answer *a = &ans[i];

		if (a->role != DNSBL_Q_TARGET || a->target != target)
			continue;
		if (a->zone != zone) {
			if (zone != SIZE_MAX)
				dnsbl_tally_zone(q, c, zone, clean, listed,
				    &used);
			zone = a->zone;
			c->asked++;
			clean = true;
			listed = false;
		}
		clean &= a->status == DNS_NXDOMAIN || a->status == DNS_NODATA;
		for (k = 0; k < ns && !dnsbl_tally_broken(q, a); k++)
			listed |= specs[k].weight > 0 &&
			    dnsbl_tally_spec_of(q, a, &specs[k]) &&
			    dnsbl_tally_listed(a, &specs[k]);
	}
	if (zone != SIZE_MAX)
		dnsbl_tally_zone(q, c, zone, clean, listed, &used);
}

size_t
dnsbl_tally_asked(const struct dnsbl_query *q, enum dnsbl_kind kind)
{
	size_t na, i, t, n = 0, nt = 0;
	const struct dnsbl_answer *ans = dnsbl_query_answers(q, &na);
	enum dnsbl_kind k;

	for (i = 0; i < na; i++)
		if (ans[i].role == DNSBL_Q_TARGET && ans[i].target >= nt)
			nt = ans[i].target + 1;
	for (t = 0; t < nt; t++) {
		dnsbl_query_family(q, t, &k);
		for (i = 0; k == kind && i < na; i++)
			if (ans[i].role == DNSBL_Q_TARGET &&
			    ans[i].target == t) {
				n++;
				break;
			}
	}
	return n;
}

size_t
dnsbl_tally_unanswered(const struct dnsbl_query *q)
{
	size_t na, i, n = 0;
	const struct dnsbl_answer *ans = dnsbl_query_answers(q, &na);

	/* the (target, list) pairs: the controls are our own questions */
	for (i = 0; i < na; i++)
		n += ans[i].role == DNSBL_Q_TARGET && !ans[i].answered;
	return n;
}
