#include <config.h>

#include "mail/mx.h"
#include "net/addr.h"
#include "net/loop.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One address query in flight: which host and which family. */
struct mx_query {
	struct mx_set *s;
	size_t host;
	int family;
};

struct mx_run {
	struct dns *d;
	struct mx_params par;
	mx_done_cb cb;
	void *arg;
	double start;
	size_t pending;
	bool sending;		/* hold completion until every query is out */
	struct mx_query *qs;	/* 2 per host, fixed once round 2 starts */
};

/* ---- selection --------------------------------------------------------- */

void
mx_set_init(struct mx_set *s)
{
	memset(s, 0, sizeof(*s));
	s->stage = MX_STAGE_IDLE;
	s->mx_status = DNS_ERROR;
}

static void
mx_hosts_free(struct mx_set *s)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		free(s->hosts[i].cname);
		free(s->hosts[i].addrs);
	}
	free(s->hosts);
	s->hosts = NULL;
	s->nhosts = 0;
}

void
mx_set_release(struct mx_set *s)
{
	mx_hosts_free(s);
	free(s->mx_cname);
	s->mx_cname = NULL;
	if (s->run != NULL) {
		free(s->run->qs);
		free(s->run);
		s->run = NULL;
	}
}

bool
mx_is_literal(const char *name)
{
	unsigned char tmp[16];

	/* an IP address, or the address-literal form of RFC 5321 §4.1.3 */
	return addr_parse(name, tmp) != 0 ||
	    addr_parse_smtp(name, strlen(name), tmp) != 0;
}

/* splitmix64: small, seedable, and good enough to shuffle a few hosts. */
static uint64_t
mx_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
mx_cmp_pref_name(const void *a, const void *b)
{
	const struct mx_host *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
mx_order(struct mx_host *h, size_t n, uint64_t seed)
{
	uint64_t st = seed;
	size_t i, j, k;

	/*
	 * Sort on (preference, name) first so the result depends only on
	 * the set and the seed, never on the order of the answer.  RFC 5321
	 * §5.1: lower preference first, equal preferences randomised.
	 */
	qsort(h, n, sizeof(*h), mx_cmp_pref_name);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && h[j].pref == h[i].pref; j++)
			;
		/* Fisher-Yates over the run [i, j) */
		for (k = j - 1; k > i; k--) {
			size_t r = i + (size_t)(mx_rand(&st) % (k - i + 1));
			struct mx_host t;

			if (r == k)
				continue;
			t = h[k];
			h[k] = h[r];
			h[r] = t;
		}
	}
}

static int
mx_lower_copy(char *dst, const char *src, char *err, size_t errlen)
{
	size_t len = strlen(src), i;

	if (len > 0 && src[len - 1] == '.')
		len--;
	if (len >= MX_NAME_MAX) {
		snprintf(err, errlen, "MX target longer than 253 octets");
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = src[i];

		dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	dst[len] = '\0';
	return 0;
}

/*
 * The i-th record kept from an answer.  An answer with more records than
 * MX_MAX_HOSTS keeps those of the lowest preferences (RFC 5321 §5.1: they
 * are the ones a sender tries first), not the first ones in answer order;
 * ties keep answer order.  The rank of a record is the number of records
 * before it in that order.
 */
static const struct dns_rr *
mx_keep_nth(const struct dns_answer *a, size_t i)
{
	size_t j, k, rank;

	if (a->n <= MX_MAX_HOSTS)
		return &a->rr[i];
	for (j = 0; j < a->n; j++) {
		unsigned pj = a->rr[j].u.mx.pref;

		rank = 0;
		for (k = 0; k < a->n && rank <= i; k++)
			if (a->rr[k].u.mx.pref < pj ||
			    (a->rr[k].u.mx.pref == pj && k < j))
				rank++;
		if (rank == i)
			return &a->rr[j];
	}
	return &a->rr[i];	/* not reached: ranks are 0 .. n-1 */
}

int
mx_set_from_answer(struct mx_set *s, const char *domain,
    const struct dns_answer *a, uint64_t seed, char *err, size_t errlen)
{
	size_t i, j, n;
	bool has_null = false;

	mx_hosts_free(s);
	s->implicit = s->null_mx = s->null_mixed = false;
	s->nrecords = 0;
	if (mx_lower_copy(s->domain, domain, err, errlen) < 0)
		return -1;
	if (a->status == DNS_NODATA) {
		/* RFC 5321 §5.1: no MX at all → the domain is its own MX */
		s->hosts = calloc(1, sizeof(*s->hosts));
		if (s->hosts == NULL)
			goto oom;
		memcpy(s->hosts[0].name, s->domain, strlen(s->domain) + 1);
		s->hosts[0].pref = 0;
		s->hosts[0].flags = MX_F_IMPLICIT;
		s->nhosts = 1;
		s->implicit = true;
		return 0;
	}
	if (a->status != DNS_OK || a->n == 0)
		return 0;
	s->nrecords = a->n;
	n = a->n < MX_MAX_HOSTS ? a->n : MX_MAX_HOSTS;
	s->hosts = calloc(n, sizeof(*s->hosts));
	if (s->hosts == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		struct mx_host *h = &s->hosts[i];
		const struct dns_rr *rr = mx_keep_nth(a, i);
		const char *t = rr->u.mx.host ? rr->u.mx.host : "";

		h->pref = rr->u.mx.pref;
		if (mx_lower_copy(h->name, t, err, errlen) < 0) {
			mx_hosts_free(s);
			return -1;
		}
		s->nhosts++;
		if (h->name[0] == '\0') {
			h->flags |= MX_F_NULL;
			has_null = true;
		} else if (mx_is_literal(h->name)) {
			h->flags |= MX_F_LITERAL;
		}
	}
	/* RFC 7505 §3: a null MX is the only record of the domain */
	s->null_mx = has_null && s->nrecords == 1;
	s->null_mixed = has_null && s->nrecords > 1;
	mx_order(s->hosts, s->nhosts, seed);
	for (i = 0; i < s->nhosts; i++)
		for (j = 0; j < s->nhosts; j++)
			if (j != i && s->hosts[j].name[0] != '\0' &&
			    strcmp(s->hosts[i].name, s->hosts[j].name) == 0 &&
			    (s->hosts[j].pref < s->hosts[i].pref ||
			    (s->hosts[j].pref == s->hosts[i].pref && j < i))) {
				s->hosts[i].flags |= MX_F_DUP;
				break;
			}
	return 0;
oom:
	state_note_oom("MX records");
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int
mx_cmp_idx(const struct mx_set *s, size_t a, size_t b)
{
	int c = mx_cmp_pref_name(&s->hosts[a], &s->hosts[b]);

	if (c == 0)
		c = a < b ? -1 : (a > b);
	return c;
}

void
mx_display_order(const struct mx_set *s, size_t *idx)
{
	size_t i, j;

	/* insertion sort: at most MX_MAX_HOSTS entries */
	for (i = 0; i < s->nhosts; i++) {
		size_t v = i;

		for (j = i; j > 0 && mx_cmp_idx(s, idx[j - 1], v) > 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
}

const char *
mx_addr_special(const struct mx_addr *a)
{
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&a->ss;

		return addr_scope(AF_INET, &in->sin_addr);
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&a->ss;

		return addr_scope(AF_INET6, &in6->sin6_addr);
	}
	return NULL;
}

const char *
mx_role(const struct mx_set *s, const struct mx_host *h)
{
	size_t i;
	bool lowest = true;

	if (h->flags & MX_F_NULL)
		return "null";
	if (h->flags & MX_F_TRAP)
		return "trap";
	for (i = 0; i < s->nhosts; i++)
		if (!(s->hosts[i].flags & MX_F_NULL) &&
		    s->hosts[i].pref < h->pref)
			lowest = false;
	return lowest ? "primary" : "backup";
}

/* ---- traps ------------------------------------------------------------- */

void
mx_mark_traps(struct mx_set *s, const struct trap_set *t)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		struct mx_host *h = &s->hosts[i];

		if (h->flags & (MX_F_NULL | MX_F_IMPLICIT))
			continue;
		h->trap = trap_match(t, h->name);
		if (h->trap != NULL)
			h->flags |= MX_F_TRAP;
		else
			h->flags &= ~(unsigned)MX_F_TRAP;
	}
}

/* ---- resolution -------------------------------------------------------- */

/* A repeated target was looked up once: give the copy the same facts. */
static void
mx_copy_dup(struct mx_set *s, struct mx_host *h)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *o = &s->hosts[i];

		if (o == h || (o->flags & MX_F_DUP) ||
		    strcmp(o->name, h->name) != 0)
			continue;
		h->asked4 = o->asked4;
		h->asked6 = o->asked6;
		h->st4 = o->st4;
		h->st6 = o->st6;
		h->ad4 = o->ad4;
		h->ad6 = o->ad6;
		h->flags |= o->flags & MX_F_CNAME;
		if (o->cname != NULL && h->cname == NULL &&
		    (h->cname = strdup(o->cname)) == NULL)
			state_note_oom("MX host");
		if (o->naddrs > 0 && h->addrs == NULL &&
		    (h->addrs = malloc(o->naddrs * sizeof(*o->addrs))) != NULL) {
			memcpy(h->addrs, o->addrs, o->naddrs * sizeof(*o->addrs));
			h->naddrs = o->naddrs;
		} else if (o->naddrs > 0 && h->addrs == NULL) {
			state_note_oom("MX host");
		}
		return;
	}
}

static void
mx_finish(struct mx_set *s)
{
	struct mx_run *r = s->run;
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		struct mx_host *h = &s->hosts[i];

		if (h->flags & MX_F_DUP)
			mx_copy_dup(s, h);
		if ((h->asked4 || h->asked6) && h->naddrs == 0)
			h->flags |= MX_F_NOADDR;
	}
	s->stage = MX_STAGE_DONE;
	s->elapsed = loop_now() - r->start;
	r->cb(r->arg, s);
}

void
mx_addr_set(struct mx_addr *out, int family, const void *addr)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)&out->ss;

		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, addr, sizeof(in->sin_addr));
		out->len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (void *)&out->ss;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, addr, sizeof(in6->sin6_addr));
		out->len = sizeof(*in6);
	}
	if (inet_ntop(family, addr, out->text, sizeof(out->text)) == NULL)
		out->text[0] = '\0';
}

/* Keep an answer's addresses: IPv6 before IPv4, resolver order within. */
static void
mx_host_add_addrs(struct mx_host *h, int family, const struct dns_answer *a)
{
	size_t n = a->n < MX_MAX_ADDRS ? a->n : MX_MAX_ADDRS, i, at;
	struct mx_addr *na;

	if (a->status != DNS_OK || n == 0)
		return;
	na = realloc(h->addrs, (h->naddrs + n) * sizeof(*na));
	if (na == NULL) {
		state_note_oom("MX host addresses");
		/* keep what we had; the family reads as an error */
		if (family == AF_INET)
			h->st4 = DNS_ERROR;
		else
			h->st6 = DNS_ERROR;
		return;
	}
	h->addrs = na;
	at = h->naddrs;
	if (family == AF_INET6) {
		memmove(na + n, na, h->naddrs * sizeof(*na));
		at = 0;
	}
	for (i = 0; i < n; i++)
		mx_addr_set(&na[at + i], family, family == AF_INET ?
		    (const void *)&a->rr[i].u.a : (const void *)&a->rr[i].u.aaaa);
	h->naddrs += n;
}

static void
mx_on_addr(void *arg, struct dns_answer *a)
{
	struct mx_query *q = arg;
	struct mx_set *s = q->s;
	struct mx_host *h = &s->hosts[q->host];

	if (q->family == AF_INET) {
		h->pending4 = false;
		h->st4 = a->status;
		h->ad4 = a->ad;
	} else {
		h->pending6 = false;
		h->st6 = a->status;
		h->ad6 = a->ad;
	}
	if (a->cname != NULL && h->cname == NULL) {
		h->cname = strdup(a->cname);
		if (h->cname == NULL)
			state_note_oom("MX host");
		/* the domain's own alias is no MX-target defect */
		if (h->cname != NULL && !(h->flags & MX_F_IMPLICIT))
			h->flags |= MX_F_CNAME;
	}
	mx_host_add_addrs(h, q->family, a);
	s->run->pending--;
	if (s->run->pending == 0 && !s->run->sending)
		mx_finish(s);
}

static void
mx_ask(struct mx_set *s, size_t i, int family)
{
	struct mx_run *r = s->run;
	struct mx_host *h = &s->hosts[i];
	struct mx_query *q = &r->qs[2 * i + (family == AF_INET6)];

	q->s = s;
	q->host = i;
	q->family = family;
	if (family == AF_INET) {
		h->asked4 = h->pending4 = true;
	} else {
		h->asked6 = h->pending6 = true;
	}
	r->pending++;
	s->queries++;
	if (dns_query(r->d, h->name, family == AF_INET ? DNS_A : DNS_AAAA,
	    mx_on_addr, q) < 0) {
		r->pending--;
		s->queries--;
		if (family == AF_INET) {
			h->pending4 = false;
			h->st4 = DNS_ERROR;
		} else {
			h->pending6 = false;
			h->st6 = DNS_ERROR;
		}
	}
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
	if (mx_set_from_answer(s, s->domain, a, r->par.seed, err,
	    sizeof(err)) < 0)
		s->mx_status = DNS_ERROR;
	if (r->par.traps != NULL)
		mx_mark_traps(s, r->par.traps);
	else
		mx_mark_traps(s, NULL);
	if (s->nhosts > 0)
		r->qs = calloc(2 * s->nhosts, sizeof(*r->qs));
	if (s->nhosts > 0 && r->qs == NULL) {
		state_note_oom("MX lookup");
		s->mx_status = DNS_ERROR;
		mx_hosts_free(s);
	}
	/*
	 * Round 2: every target's A and AAAA at once, so the lookup costs
	 * two resolver round trips whatever the number of hosts.
	 */
	s->stage = MX_STAGE_ADDR;
	r->sending = true;
	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *h = &s->hosts[i];

		if (h->flags & (MX_F_NULL | MX_F_LITERAL | MX_F_DUP))
			continue;
		if (s->rounds < 2)
			s->rounds = 2;
		if (r->par.family != AF_INET6)
			mx_ask(s, i, AF_INET);
		if (r->par.family != AF_INET)
			mx_ask(s, i, AF_INET6);
	}
	r->sending = false;
	if (r->pending == 0)
		mx_finish(s);
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
	if (mx_lower_copy(s->domain, domain, err, errlen) < 0)
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

bool
mx_set_timed_out(const struct mx_set *s)
{
	size_t i;

	if (s->mx_status == DNS_TIMEOUT)
		return true;
	for (i = 0; i < s->nhosts; i++)
		if ((s->hosts[i].asked4 && s->hosts[i].st4 == DNS_TIMEOUT) ||
		    (s->hosts[i].asked6 && s->hosts[i].st6 == DNS_TIMEOUT))
			return true;
	return false;
}
