#include <config.h>

#include "mail/spf_eval.h"
#include "net/dns.h"
#include "core/state.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/*
 * Bounds of the fetch: a tree any client can evaluate within the limits
 * of §4.6.4 has at most 10 DNS-querying terms on its path, but different
 * clients take different paths, so more is fetched; a hostile tree stops
 * here and what was not fetched evaluates as undetermined.
 */
#define SPF_EVAL_MAX_RECS 40
#define SPF_EVAL_MAX_QS 300

/* One TXT lookup for a domain's SPF record. */
struct spf_eval_rec {
	struct spf_eval *e;
	char domain[254];
	bool done;
	enum dns_status st;
	size_t nspf;		/* SPF records in the answer */
	bool parsed;		/* exactly one, and it parsed */
	struct spf_record *rec;
	char err[160];
};

/* One A, AAAA or MX lookup that a term needs. */
struct spf_eval_q {
	struct spf_eval *e;
	char name[254];
	int type;
	bool done;
	struct dns_answer ans;
};

struct spf_eval {
	struct dns *dns;
	char domain[254], sender[254];
	spf_eval_done_cb done;
	void *arg;
	struct spf_eval_rec *recs[SPF_EVAL_MAX_RECS];
	size_t nrecs;
	struct spf_eval_q *qs[SPF_EVAL_MAX_QS];
	size_t nqs;
	size_t pending;
	bool capped;		/* something was not fetched (bounds) */
};

const char *
spf_eval_result_name(enum spf_eval_result r)
{
	static const char *const names[] = {
		"pass", "fail", "softfail", "neutral", "none", "temperror",
		"permerror", "undetermined"
	};

	return (size_t)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

/* ---- fetching ----------------------------------------------------------- */

static void spf_eval_fetch_terms(struct spf_eval *e,
    const struct spf_eval_rec *r);
static void spf_eval_fetch_q(struct spf_eval *e, const char *name, int type);

static void
spf_eval_one_done(struct spf_eval *e)
{
	if (--e->pending == 0)
		e->done(e->arg);
}

static bool
spf_eval_failed(enum dns_status s)
{
	return s != DNS_OK && s != DNS_NODATA && s != DNS_NXDOMAIN;
}

static void
spf_eval_on_txt(void *arg, struct dns_answer *a)
{
	struct spf_eval_rec *r = arg;
	struct spf_eval *e = r->e;
	const struct dns_rr *rr = NULL;
	size_t i;

	r->done = true;
	r->st = a->status;
	if (a->status == DNS_OK)
		for (i = 0; i < a->n; i++)
			if (spf_is_record(a->rr[i].u.txt.text,
			    a->rr[i].u.txt.len) && r->nspf++ == 0)
				rr = &a->rr[i];
	/* §4.5: more than one record is a permerror; none is "none" */
	if (r->nspf == 1) {
		r->rec = malloc(sizeof(*r->rec));
		if (r->rec == NULL) {
			state_note_oom("SPF evaluation");
			r->st = DNS_ERROR;
		} else if (spf_parse(rr->u.txt.text, rr->u.txt.len, r->domain,
		    e->sender, r->rec, r->err, sizeof(r->err)) == 0) {
			r->parsed = true;
			spf_eval_fetch_terms(e, r);
		}
	}
	spf_eval_one_done(e);
}

static void
spf_eval_on_q(void *arg, struct dns_answer *a)
{
	struct spf_eval_q *q = arg;
	struct spf_eval *e = q->e;
	size_t i;

	dns_answer_move(&q->ans, a);
	q->done = true;
	if (q->type == DNS_MX && q->ans.status == DNS_OK &&
	    q->ans.n <= SPF_MAX_MX) {
		/* §4.6.4: the addresses of at most 10 MX hosts */
		for (i = 0; i < q->ans.n; i++) {
			const char *host = q->ans.rr[i].u.mx.host;
			if (host[0] == '\0')
				continue;	/* a null MX has no address */
			spf_eval_fetch_q(e, host, DNS_A);
			spf_eval_fetch_q(e, host, DNS_AAAA);
		}
	}
	spf_eval_one_done(e);
}

static struct spf_eval_rec *
spf_eval_find_rec(const struct spf_eval *e, const char *domain)
{
	size_t i;

	for (i = 0; i < e->nrecs; i++)
		if (strcmp(e->recs[i]->domain, domain) == 0)
			return e->recs[i];
	return NULL;
}

static struct spf_eval_q *
spf_eval_find_q(const struct spf_eval *e, const char *name, int type)
{
	size_t i;

	for (i = 0; i < e->nqs; i++)
		if (e->qs[i]->type == type && strcmp(e->qs[i]->name, name) == 0)
			return e->qs[i];
	return NULL;
}

static void
spf_eval_fetch_rec(struct spf_eval *e, const char *domain)
{
	struct spf_eval_rec *r;

	/* a domain asked once, whatever refers to it (and loops end) */
	if (spf_eval_find_rec(e, domain) != NULL)
		return;
	if (e->nrecs >= SPF_EVAL_MAX_RECS) {
		e->capped = true;
		return;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		state_note_oom("SPF evaluation");
		return;
	}
	r->e = e;
	snprintf(r->domain, sizeof(r->domain), "%s", domain);
	e->recs[e->nrecs++] = r;
	e->pending++;
	if (dns_query(e->dns, domain, DNS_TXT, spf_eval_on_txt, r) < 0) {
		r->done = true;
		r->st = DNS_ERROR;
		e->pending--;
	}
}

static void
spf_eval_fetch_q(struct spf_eval *e, const char *name, int type)
{
	struct spf_eval_q *q;

	if (spf_eval_find_q(e, name, type) != NULL)
		return;
	if (e->nqs >= SPF_EVAL_MAX_QS) {
		e->capped = true;
		return;
	}
	q = calloc(1, sizeof(*q));
	if (q == NULL) {
		state_note_oom("SPF evaluation");
		return;
	}
	q->e = e;
	q->type = type;
	snprintf(q->name, sizeof(q->name), "%s", name);
	e->qs[e->nqs++] = q;
	e->pending++;
	if (dns_query(e->dns, name, type, spf_eval_on_q, q) < 0) {
		q->done = true;
		q->ans.status = DNS_ERROR;
		e->pending--;
	}
}

/* Every lookup the terms of one record may need, all sent at once. */
static void
spf_eval_fetch_terms(struct spf_eval *e, const struct spf_eval_rec *r)
{
	size_t i;

	for (i = 0; i < r->rec->n; i++) {
		const struct spf_term *t = &r->rec->terms[i];
		const char *target = t->domain[0] ? t->domain : r->domain;

		if (t->unexpandable)
			continue;
		switch (t->mech) {
		case SPF_INCLUDE:
		case SPF_REDIRECT:
			spf_eval_fetch_rec(e, target);
			break;
		case SPF_A:
			spf_eval_fetch_q(e, target, DNS_A);
			spf_eval_fetch_q(e, target, DNS_AAAA);
			break;
		case SPF_MX:
			spf_eval_fetch_q(e, target, DNS_MX);
			break;
		case SPF_EXISTS:
			spf_eval_fetch_q(e, target, DNS_A);
			break;
		default:
			break;
		}
	}
}

int
spf_eval_new(struct spf_eval **out, struct dns *d, const char *domain,
    const char *sender, spf_eval_done_cb done, void *arg)
{
	struct spf_eval *e;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		state_note_oom("SPF evaluation");
		return -1;
	}
	e->dns = d;
	e->done = done;
	e->arg = arg;
	snprintf(e->domain, sizeof(e->domain), "%s", domain);
	snprintf(e->sender, sizeof(e->sender), "%s", sender);
	*out = e;
	/* one count for the start: an answer inside dns_query() must not
	 * end the fetch before the first record is even asked */
	e->pending = 1;
	spf_eval_fetch_rec(e, domain);
	spf_eval_one_done(e);
	return 0;
}

void
spf_eval_free(struct spf_eval *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nrecs; i++) {
		free(e->recs[i]->rec);
		free(e->recs[i]);
	}
	for (i = 0; i < e->nqs; i++) {
		dns_answer_release(&e->qs[i]->ans);
		free(e->qs[i]);
	}
	free(e);
}

size_t
spf_eval_pending(const struct spf_eval *e)
{
	return e->pending;
}

/* ---- evaluation (no DNS: the fetched data only) ------------------------ */

struct spf_eval_walk {
	const struct spf_eval *e;
	int family;
	const unsigned char *addr;	/* NULL: listed by nothing */
	struct spf_eval_verdict *v;
};

static enum spf_eval_result
spf_eval_stop(struct spf_eval_walk *w, enum spf_eval_result res,
    const char *domain, const struct spf_term *t, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum spf_eval_result
spf_eval_stop(struct spf_eval_walk *w, enum spf_eval_result res,
    const char *domain, const struct spf_term *t, const char *fmt, ...)
{
	va_list ap;

	snprintf(w->v->domain, sizeof(w->v->domain), "%s", domain);
	snprintf(w->v->term, sizeof(w->v->term), "%s", t ? t->text : "");
	va_start(ap, fmt);
	vsnprintf(w->v->why, sizeof(w->v->why), fmt, ap);
	va_end(ap);
	return res;
}

static bool
spf_eval_in_net(int family, const unsigned char *addr,
    const unsigned char *net, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;

	(void)family;
	if (memcmp(addr, net, (size_t)full) != 0)
		return false;
	return rest == 0 || ((addr[full] ^ net[full]) &
	    (0xff << (8 - rest)) & 0xff) == 0;
}

/* A lookup a term needs: NULL when it was never fetched or answered. */
static const struct spf_eval_q *
spf_eval_need(struct spf_eval_walk *w, const char *name, int type,
    enum spf_eval_result *res, const char *domain, const struct spf_term *t)
{
	const struct spf_eval_q *q = spf_eval_find_q(w->e, name, type);

	if (q == NULL) {
		*res = spf_eval_stop(w, SPF_EVAL_UNDETERMINED, domain, t,
		    "%s %s was not fetched (more lookups than fetched)",
		    dns_type_name(type), name);
		return NULL;
	}
	if (!q->done || spf_eval_failed(q->ans.status)) {
		/* §5: a DNS error or timeout ends check_host(): temperror */
		w->v->timeout = !q->done || q->ans.status == DNS_TIMEOUT;
		*res = spf_eval_stop(w, SPF_EVAL_TEMPERROR, domain, t,
		    "%s %s: %s", dns_type_name(type), name, !q->done ?
		    "no answer" : dns_status_name(q->ans.status));
		return NULL;
	}
	return q;
}

/* §4.6.4: NXDOMAIN or an empty answer counts against the two voids */
static bool
spf_eval_void(struct spf_eval_walk *w, const struct spf_eval_q *q)
{
	if (q->ans.status == DNS_OK)
		return false;
	w->v->voids++;
	return true;
}

/* Do the family's addresses of name match the client within cidr? */
static int
spf_eval_addrs_match(struct spf_eval_walk *w, const char *name,
    int cidr4, int cidr6, bool count_void, enum spf_eval_result *res,
    const char *domain, const struct spf_term *t)
{
	int type = w->family == AF_INET ? DNS_A : DNS_AAAA;
	const struct spf_eval_q *q = spf_eval_need(w, name, type, res, domain,
	    t);
	size_t i;

	if (q == NULL)
		return -1;
	if (q->ans.status != DNS_OK) {
		if (count_void && spf_eval_void(w, q) &&
		    w->v->voids > SPF_MAX_VOIDS) {
			*res = spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, t,
			    "more than %d void lookups", SPF_MAX_VOIDS);
			return -1;
		}
		return 0;
	}
	if (w->addr == NULL)
		return 0;
	for (i = 0; i < q->ans.n; i++) {
		const unsigned char *a = w->family == AF_INET ?
		    (const unsigned char *)&q->ans.rr[i].u.a :
		    (const unsigned char *)&q->ans.rr[i].u.aaaa;

		if (spf_eval_in_net(w->family, w->addr, a, w->family ==
		    AF_INET ? cidr4 : cidr6))
			return 1;
	}
	return 0;
}

static enum spf_eval_result spf_eval_domain(struct spf_eval_walk *w,
    const char *domain);

/* 1 the term matches, 0 it does not, -1 evaluation ended with *res. */
static int
spf_eval_term(struct spf_eval_walk *w, const char *domain,
    const struct spf_term *t, enum spf_eval_result *res)
{
	const char *target = t->domain[0] ? t->domain : domain;
	const struct spf_eval_q *q;
	enum spf_eval_result sub;
	size_t i;
	int m;

	if (spf_term_queries(t->mech) && ++w->v->lookups > SPF_MAX_LOOKUPS) {
		*res = spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, t,
		    "more than %d DNS-querying terms", SPF_MAX_LOOKUPS);
		return -1;
	}
	if (t->unexpandable) {
		*res = spf_eval_stop(w, SPF_EVAL_UNDETERMINED, domain, t,
		    "a macro needs the client itself");
		return -1;
	}
	switch (t->mech) {
	case SPF_ALL:
		return 1;
	case SPF_IP4:
	case SPF_IP6:
		return w->addr != NULL && t->family == w->family &&
		    spf_eval_in_net(w->family, w->addr, t->addr, t->prefix);
	case SPF_A:
		return spf_eval_addrs_match(w, target, t->cidr4, t->cidr6, true,
		    res, domain, t);
	case SPF_MX:
		q = spf_eval_need(w, target, DNS_MX, res, domain, t);
		if (q == NULL)
			return -1;
		if (q->ans.status != DNS_OK) {
			if (spf_eval_void(w, q) &&
			    w->v->voids > SPF_MAX_VOIDS) {
				*res = spf_eval_stop(w, SPF_EVAL_PERMERROR,
				    domain, t, "more than %d void lookups",
				    SPF_MAX_VOIDS);
				return -1;
			}
			return 0;
		}
		if (q->ans.n > SPF_MAX_MX) {
			*res = spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, t,
			    "more than %d MX records", SPF_MAX_MX);
			return -1;
		}
		for (i = 0; i < q->ans.n; i++) {
			if (q->ans.rr[i].u.mx.host[0] == '\0')
				continue;
			m = spf_eval_addrs_match(w, q->ans.rr[i].u.mx.host,
			    t->cidr4, t->cidr6, false, res, domain, t);
			if (m != 0)
				return m;
		}
		return 0;
	case SPF_PTR:
		/* §5.5 needs the client's validated names: not from here */
		*res = spf_eval_stop(w, SPF_EVAL_UNDETERMINED, domain, t,
		    "ptr needs the client's validated names");
		return -1;
	case SPF_EXISTS:
		q = spf_eval_need(w, target, DNS_A, res, domain, t);
		if (q == NULL)
			return -1;
		if (q->ans.status == DNS_OK)
			return 1;
		if (spf_eval_void(w, q) && w->v->voids > SPF_MAX_VOIDS) {
			*res = spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, t,
			    "more than %d void lookups", SPF_MAX_VOIDS);
			return -1;
		}
		return 0;
	case SPF_INCLUDE:
		/* §5.2: the included check_host() decides only on pass */
		sub = spf_eval_domain(w, target);
		switch (sub) {
		case SPF_EVAL_PASS:
			return 1;
		case SPF_EVAL_FAIL:
		case SPF_EVAL_SOFTFAIL:
		case SPF_EVAL_NEUTRAL:
			return 0;
		case SPF_EVAL_NONE:
			*res = spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, t,
			    "include:%s has no SPF record", target);
			return -1;
		default:
			*res = sub;	/* why and where: the include's */
			return -1;
		}
	default:
		return 0;	/* modifiers are not evaluated in order */
	}
}

static enum spf_eval_result
spf_eval_domain(struct spf_eval_walk *w, const char *domain)
{
	const struct spf_eval_rec *r = spf_eval_find_rec(w->e, domain);
	const struct spf_term *redirect = NULL;
	enum spf_eval_result res = SPF_EVAL_NEUTRAL;
	size_t i;
	int m;

	if (r == NULL)
		return spf_eval_stop(w, SPF_EVAL_UNDETERMINED, domain, NULL,
		    "the record of %s was not fetched", domain);
	if (!r->done || spf_eval_failed(r->st)) {
		w->v->timeout = !r->done || r->st == DNS_TIMEOUT;
		return spf_eval_stop(w, SPF_EVAL_TEMPERROR, domain, NULL,
		    "TXT %s: %s", domain, !r->done ? "no answer" :
		    dns_status_name(r->st));
	}
	if (r->nspf == 0)
		return spf_eval_stop(w, SPF_EVAL_NONE, domain, NULL,
		    "no SPF record");
	if (r->nspf > 1)
		return spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, NULL,
		    "%zu SPF records (RFC 7208 section 4.5)", r->nspf);
	if (!r->parsed)
		return spf_eval_stop(w, SPF_EVAL_PERMERROR, domain, NULL,
		    "%s", r->err);
	for (i = 0; i < r->rec->n; i++) {
		const struct spf_term *t = &r->rec->terms[i];

		if (t->mech == SPF_REDIRECT) {
			redirect = t;
			continue;
		}
		m = spf_eval_term(w, domain, t, &res);
		if (m < 0)
			return res;
		if (m == 0)
			continue;
		switch (t->qualifier) {
		case '-': res = SPF_EVAL_FAIL; break;
		case '~': res = SPF_EVAL_SOFTFAIL; break;
		case '?': res = SPF_EVAL_NEUTRAL; break;
		default: res = SPF_EVAL_PASS; break;
		}
		return spf_eval_stop(w, res, domain, t, "matched");
	}
	/* §6.1: redirect applies only when nothing matched (and no "all") */
	if (redirect != NULL) {
		if (++w->v->lookups > SPF_MAX_LOOKUPS)
			return spf_eval_stop(w, SPF_EVAL_PERMERROR, domain,
			    redirect, "more than %d DNS-querying terms",
			    SPF_MAX_LOOKUPS);
		if (redirect->unexpandable)
			return spf_eval_stop(w, SPF_EVAL_UNDETERMINED, domain,
			    redirect, "a macro needs the client itself");
		res = spf_eval_domain(w, redirect->domain);
		if (res == SPF_EVAL_NONE)
			return spf_eval_stop(w, SPF_EVAL_PERMERROR, domain,
			    redirect, "redirect=%s has no SPF record",
			    redirect->domain);
		return res;
	}
	/* §4.7: no match and no redirect: neutral */
	return spf_eval_stop(w, SPF_EVAL_NEUTRAL, domain, NULL,
	    "no term matched");
}

void
spf_eval_check(const struct spf_eval *e, int family,
    const unsigned char *addr, struct spf_eval_verdict *out)
{
	struct spf_eval_walk w;
	unsigned char v4[4];

	memset(out, 0, sizeof(*out));
	/* §5: an IPv4-mapped IPv6 client is the IPv4 address it carries */
	if (addr != NULL && family == AF_INET6 && memcmp(addr,
	    "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memcpy(v4, addr + 12, 4);
		addr = v4;
		family = AF_INET;
	}
	w.e = e;
	w.family = family;
	w.addr = addr;
	w.v = out;
	out->result = spf_eval_domain(&w, e->domain);
}
