/*
 * mx_answer - an MX answer as the hosts a sender tries, in its order
 * (see mx_answer.h).
 */
#include <config.h>

#include "mail/mx_answer.h"

#include "core/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
mx_answer_order(struct mx_host *h, size_t n, uint64_t seed)
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

/* A name as the set keeps it: lower case, no final dot, <= 253 octets. */
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

int
mx_answer_domain(struct mx_set *s, const char *domain, char *err, size_t errlen)
{
	return mx_lower_copy(s->domain, domain, err, errlen);
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
mx_answer_hosts(struct mx_set *s, const char *domain,
    const struct dns_answer *a, uint64_t seed, char *err, size_t errlen)
{
	size_t i, j, n;
	bool has_null = false;

	mx_set_clear(s);
	s->implicit = s->null_mx = s->null_mixed = false;
	s->nrecords = 0;
	if (mx_answer_domain(s, domain, err, errlen) < 0)
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
			mx_set_clear(s);
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
	mx_answer_order(s->hosts, s->nhosts, seed);
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
