#include <config.h>

#include "net/resolve.h"
#include "net/loop.h"
#include "core/state.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* One query: the first host of a name and one family.  Hosts with the
 * same name (entry.first != own index) share its answers. */
struct resolve_query {
	struct resolve *r;
	size_t host;
	int family;
};

struct resolve_entry {
	struct resolve_host *h;
	unsigned port;
	size_t first;		/* index of the first host of this name */
};

struct resolve {
	struct dns *d;
	int family;
	struct resolve_entry *e;
	size_t n, cap;
	struct resolve_query *qs;
	size_t pending;
	unsigned long queries;
	double slowest;
	bool started, sending, done;
	resolve_done_cb cb;
	void *arg;
};

int
resolve_new(struct resolve **out, struct dns *d, int family)
{
	struct resolve *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r == NULL) {
		state_note_oom("address lookup");
		return -1;
	}
	r->d = d;
	r->family = family;
	*out = r;
	return 0;
}

void
resolve_free(struct resolve *r)
{
	if (r == NULL)
		return;
	free(r->e);
	free(r->qs);
	free(r);
}

void
resolve_host_release(struct resolve_host *h)
{
	free(h->cname);
	free(h->addrs);
	h->cname = NULL;
	h->addrs = NULL;
	h->naddrs = 0;
}

int
resolve_host_copy(struct resolve_host *dst, const struct resolve_host *src)
{
	struct addr_sock *na = NULL;
	char *cn = NULL;

	if (src->naddrs > 0) {
		na = malloc(src->naddrs * sizeof(*na));
		if (na == NULL)
			goto oom;
		memcpy(na, src->addrs, src->naddrs * sizeof(*na));
	}
	if (src->cname != NULL && (cn = strdup(src->cname)) == NULL)
		goto oom;
	resolve_host_release(dst);
	*dst = *src;
	dst->addrs = na;
	dst->cname = cn;
	return 0;
oom:
	free(na);
	state_note_oom("address lookup");
	return -1;
}

static bool
resolve_family_ok(const struct resolve *r, int family)
{
	return r->family == AF_UNSPEC || r->family == family;
}

int
resolve_add(struct resolve *r, struct resolve_host *h, const char *name,
    unsigned port)
{
	unsigned char bin[16];
	size_t len = strlen(name), i;
	int family;

	memset(h, 0, sizeof(*h));
	if (r->started || len == 0 || len >= sizeof(h->name))
		return -1;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct resolve_entry *ne = realloc(r->e, cap * sizeof(*ne));

		if (ne == NULL) {
			state_note_oom("address lookup");
			return -1;
		}
		r->e = ne;
		r->cap = cap;
	}
	memcpy(h->name, name, len + 1);
	family = addr_parse(name, bin);
	if (family != 0) {
		/* a literal is its own address: nothing to ask */
		h->literal = true;
		if (resolve_family_ok(r, family)) {
			h->addrs = malloc(sizeof(*h->addrs));
			if (h->addrs == NULL) {
				state_note_oom("address lookup");
				return -1;
			}
			addr_sock_set(h->addrs, family, bin, port);
			h->naddrs = 1;
		}
	}
	r->e[r->n].h = h;
	r->e[r->n].port = port;
	r->e[r->n].first = r->n;
	for (i = 0; i < r->n && family == 0; i++)
		if (!r->e[i].h->literal && strcmp(r->e[i].h->name, name) == 0) {
			r->e[r->n].first = r->e[i].first;
			break;
		}
	r->n++;
	return 0;
}

/* Keep an answer's addresses: IPv6 before IPv4, resolver order within. */
static void
resolve_keep(struct resolve_host *h, unsigned port, int family,
    const struct dns_answer *a)
{
	size_t n = a->n < RESOLVE_MAX_ADDRS ? a->n : RESOLVE_MAX_ADDRS, i, at;
	struct addr_sock *na;

	if (a->status != DNS_OK || n == 0)
		return;
	na = realloc(h->addrs, (h->naddrs + n) * sizeof(*na));
	if (na == NULL) {
		state_note_oom("host addresses");
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
		addr_sock_set(&na[at + i], family, family == AF_INET ?
		    (const void *)&a->rr[i].u.a : (const void *)&a->rr[i].u.aaaa,
		    port);
	h->naddrs += n;
}

static void
resolve_note(struct resolve_host *h, unsigned port, int family,
    const struct dns_answer *a)
{
	if (family == AF_INET) {
		h->pending4 = false;
		h->st4 = a->status;
		h->ad4 = a->ad;
	} else {
		h->pending6 = false;
		h->st6 = a->status;
		h->ad6 = a->ad;
	}
	if (a->cname != NULL && h->cname == NULL &&
	    (h->cname = strdup(a->cname)) == NULL)
		state_note_oom("host alias");
	resolve_keep(h, port, family, a);
}

static void
resolve_finish(struct resolve *r)
{
	if (r->pending > 0 || r->sending || r->done)
		return;
	r->done = true;
	r->cb(r->arg, r);
}

static void
resolve_on_answer(void *arg, struct dns_answer *a)
{
	struct resolve_query *q = arg;
	struct resolve *r = q->r;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->e[i].first == q->host)
			resolve_note(r->e[i].h, r->e[i].port, q->family, a);
	if (a->elapsed > r->slowest)
		r->slowest = a->elapsed;
	r->pending--;
	resolve_finish(r);
}

static void
resolve_mark(struct resolve *r, size_t first, int family, bool asked)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct resolve_host *h = r->e[i].h;

		if (r->e[i].first != first)
			continue;
		if (family == AF_INET) {
			h->asked4 = true;
			h->pending4 = asked;
			if (!asked)
				h->st4 = DNS_ERROR;
		} else {
			h->asked6 = true;
			h->pending6 = asked;
			if (!asked)
				h->st6 = DNS_ERROR;
		}
	}
}

int
resolve_start(struct resolve *r, resolve_done_cb cb, void *arg)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	size_t i, k, nq = 0;

	if (r->started)
		return -1;
	r->started = true;
	r->cb = cb;
	r->arg = arg;
	if (r->n > 0) {
		r->qs = calloc(2 * r->n, sizeof(*r->qs));
		if (r->qs == NULL) {
			state_note_oom("address lookup");
			return -1;
		}
	}
	/* marked before the first query: an answer may come at once */
	for (i = 0; i < r->n; i++) {
		if (r->e[i].h->literal || r->e[i].first != i)
			continue;
		for (k = 0; k < 2; k++)
			if (resolve_family_ok(r, fams[k]))
				resolve_mark(r, i, fams[k], true);
	}
	r->sending = true;
	for (i = 0; i < r->n; i++) {
		if (r->e[i].h->literal || r->e[i].first != i)
			continue;
		for (k = 0; k < 2; k++) {
			struct resolve_query *q = &r->qs[nq];

			if (!resolve_family_ok(r, fams[k]))
				continue;
			q->r = r;
			q->host = i;
			q->family = fams[k];
			nq++;
			r->pending++;
			r->queries++;
			if (dns_query(r->d, r->e[i].h->name, fams[k] == AF_INET ?
			    DNS_A : DNS_AAAA, resolve_on_answer, q) < 0) {
				r->pending--;
				r->queries--;
				resolve_mark(r, i, fams[k], false);
			}
		}
	}
	r->sending = false;
	resolve_finish(r);
	return 0;
}

size_t
resolve_pending(const struct resolve *r)
{
	return r->pending;
}

unsigned long
resolve_queries(const struct resolve *r)
{
	return r->queries;
}

double
resolve_slowest(const struct resolve *r)
{
	return r->slowest;
}

bool
resolve_timed_out(const struct resolve *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct resolve_host *h = r->e[i].h;

		if (h->pending4 || h->pending6 ||
		    (h->asked4 && h->st4 == DNS_TIMEOUT) ||
		    (h->asked6 && h->st6 == DNS_TIMEOUT))
			return true;
	}
	return false;
}
