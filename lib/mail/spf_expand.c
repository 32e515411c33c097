#include <config.h>

#include "mail/spf_expand.h"
#include "net/addr.h"
#include "net/dns.h"
#include "net/resolve.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SPF_MAX_NETS 4096	/* a hostile record cannot grow us past this */
#define SPF_MAX_NOTES 64
#define SPF_MAX_NODES 64

/* ---- expansion ---------------------------------------------------------- */

/* One record being expanded, and the chain that led to it (for loops). */
struct spf_node {
	char domain[254];
	const struct spf_node *parent;
	struct spf_node *next;
};

enum spf_job_kind { SPF_JOB_TXT, SPF_JOB_ADDR, SPF_JOB_MX };

struct spf_job {
	struct spf_expand *e;
	enum spf_job_kind kind;
	struct spf_node *node;		/* TXT: the record fetched */
	char name[254];
	char origin[SPF_ORIGIN_MAX];
	int cidr4, cidr6;
	struct resolve *res;		/* ADDR: the name's A and AAAA */
	struct resolve_host host;
	bool counts_void;
	struct spf_job *next;
};

struct spf_expand {
	struct dns *dns;
	char sender[254];
	spf_done_cb done;
	void *arg;
	struct spf_result r;
	size_t capnets;
	struct spf_node *nodes;
	size_t nnodes;
	struct spf_job *jobs;
	bool over_limit, over_voids, finished;
};

static void
spf_note(struct spf_expand *e, enum spf_note_kind kind, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
spf_note(struct spf_expand *e, enum spf_note_kind kind, const char *fmt,
    ...)
{
	struct spf_note *n;
	va_list ap;

	if (e->r.nnotes >= SPF_MAX_NOTES)
		return;
	if (e->r.notes == NULL) {
		e->r.notes = calloc(SPF_MAX_NOTES, sizeof(*e->r.notes));
		if (e->r.notes == NULL) {
			state_note_oom("SPF notes");
			return;
		}
	}
	n = &e->r.notes[e->r.nnotes++];
	n->kind = kind;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
}

/* The last note came from a lookup out of time: the deadline's outcome,
 * which the plugin judges by --timeout-result, not as a failure. */
static void
spf_note_timeout(struct spf_expand *e, enum dns_status st)
{
	if (st == DNS_TIMEOUT && e->r.nnotes > 0)
		e->r.notes[e->r.nnotes - 1].timeout = true;
}

static void
spf_add_net(struct spf_expand *e, int family, const void *addr, int prefix,
    const char *origin)
{
	struct spf_net *n;

	if (e->r.nnets >= SPF_MAX_NETS)
		return;
	if (e->r.nnets == e->capnets) {
		size_t cap = e->capnets ? e->capnets * 2 : 16;

		n = realloc(e->r.nets, cap * sizeof(*n));
		if (n == NULL) {
			state_note_oom("SPF addresses");
			return;
		}
		e->r.nets = n;
		e->capnets = cap;
	}
	n = &e->r.nets[e->r.nnets++];
	memset(n, 0, sizeof(*n));
	n->family = family;
	memcpy(n->addr, addr, family == AF_INET ? 4 : 16);
	n->prefix = prefix;
	snprintf(n->origin, sizeof(n->origin), "%s", origin);
}

static void spf_on_answer(void *arg, struct dns_answer *a);

/* Where an address came from: cut at the buffer, never overflowing. */
static void
spf_origin(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
spf_origin(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

static struct spf_job *
spf_job_new(struct spf_expand *e, enum spf_job_kind kind, const char *name,
    const char *origin)
{
	struct spf_job *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		state_note_oom("SPF lookup");
		return NULL;
	}
	j->e = e;
	j->kind = kind;
	snprintf(j->name, sizeof(j->name), "%s", name);
	snprintf(j->origin, sizeof(j->origin), "%s", origin);
	j->cidr4 = 32;
	j->cidr6 = 128;
	j->next = e->jobs;
	e->jobs = j;
	return j;
}

static void
spf_send(struct spf_job *j, int type)
{
	struct spf_expand *e = j->e;

	e->r.pending++;
	if (dns_query(e->dns, j->name, type, spf_on_answer, j) < 0) {
		e->r.pending--;
		spf_note(e, SPF_NOTE_TEMPERROR, "cannot look up %s %s",
		    dns_type_name(type), j->name);
	}
}

static void spf_on_addrs(void *arg, struct resolve *res);

/* An a or mx term's host: its A and AAAA through net/resolve. */
static void
spf_lookup_addrs(struct spf_expand *e, const char *name, const char *origin,
    int cidr4, int cidr6, bool counts_void)
{
	struct spf_job *j = spf_job_new(e, SPF_JOB_ADDR, name, origin);

	if (j == NULL)
		return;
	j->cidr4 = cidr4;
	j->cidr6 = cidr6;
	j->counts_void = counts_void;
	e->r.pending++;
	if (resolve_new(&j->res, e->dns, AF_UNSPEC) < 0 ||
	    resolve_add(j->res, &j->host, j->name, 0) < 0 ||
	    resolve_start(j->res, spf_on_addrs, j) < 0) {
		e->r.pending--;
		spf_note(e, SPF_NOTE_TEMPERROR, "cannot look up %s", j->name);
	}
}

static void
spf_fetch(struct spf_expand *e, const char *domain,
    const struct spf_node *parent, const char *via)
{
	const struct spf_node *up;
	struct spf_node *n;
	struct spf_job *j;

	for (up = parent; up != NULL; up = up->parent)
		if (strcmp(up->domain, domain) == 0) {
			spf_note(e, SPF_NOTE_PERMERROR, "loop: %s in %s leads "
			    "back to %s", via, parent->domain, domain);
			return;
		}
	if (e->nnodes >= SPF_MAX_NODES)
		return;
	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		state_note_oom("SPF lookup");
		return;
	}
	snprintf(n->domain, sizeof(n->domain), "%s", domain);
	n->parent = parent;
	n->next = e->nodes;
	e->nodes = n;
	e->nnodes++;
	j = spf_job_new(e, SPF_JOB_TXT, domain, via);
	if (j == NULL)
		return;
	j->node = n;
	spf_send(j, DNS_TXT);
}

/* A DNS-querying term: counted against the §4.6.4 limit. */
static bool
spf_count_lookup(struct spf_expand *e, const char *domain,
    const struct spf_term *t)
{
	e->r.lookups++;
	if (e->r.lookups <= SPF_MAX_LOOKUPS)
		return true;
	if (!e->over_limit)
		spf_note(e, SPF_NOTE_PERMERROR, "more than %d DNS-querying "
		    "terms (RFC 7208 section 4.6.4): '%s' in %s and later "
		    "terms not followed", SPF_MAX_LOOKUPS, t->text, domain);
	e->over_limit = true;
	return false;
}

static void
spf_count_void(struct spf_expand *e, const char *what)
{
	e->r.voids++;
	if (e->r.voids > SPF_MAX_VOIDS && !e->over_voids) {
		spf_note(e, SPF_NOTE_PERMERROR, "more than %d void lookups "
		    "(RFC 7208 section 4.6.4), the last: %s", SPF_MAX_VOIDS,
		    what);
		e->over_voids = true;
	}
}

static void
spf_walk(struct spf_expand *e, struct spf_node *node,
    const struct spf_record *rec)
{
	char origin[SPF_ORIGIN_MAX];
	const struct spf_term *redirect = NULL;
	size_t i;

	for (i = 0; i < rec->n; i++) {
		const struct spf_term *t = &rec->terms[i];
		const char *target = t->domain[0] ? t->domain : node->domain;

		spf_origin(origin, sizeof(origin), "SPF %s %s", node->domain,
		    t->text);
		if (spf_term_queries(t->mech) &&
		    !spf_count_lookup(e, node->domain, t))
			continue;
		if (t->unexpandable) {
			spf_note(e, SPF_NOTE_INFO, "SPF %s %s: depends on the "
			    "connecting client (macro), not enumerable",
			    node->domain, t->text);
			continue;
		}
		switch (t->mech) {
		case SPF_IP4:
		case SPF_IP6:
			spf_add_net(e, t->family, t->addr, t->prefix, origin);
			break;
		case SPF_A:
			spf_lookup_addrs(e, target, origin, t->cidr4,
			    t->cidr6, true);
			break;
		case SPF_MX: {
			struct spf_job *j = spf_job_new(e, SPF_JOB_MX, target,
			    origin);

			if (j != NULL) {
				j->cidr4 = t->cidr4;
				j->cidr6 = t->cidr6;
				spf_send(j, DNS_MX);
			}
			break;
		}
		case SPF_INCLUDE:
			spf_fetch(e, target, node, t->text);
			break;
		case SPF_REDIRECT:
			redirect = t;
			break;
		case SPF_PTR:
		case SPF_EXISTS:
			spf_note(e, SPF_NOTE_INFO, "SPF %s %s: depends on the "
			    "connecting client, not enumerable", node->domain,
			    t->text);
			break;
		default:
			break;	/* all, exp=, unknown modifiers */
		}
	}
	/* RFC 7208 §6.1: redirect= is ignored when the record has "all" */
	if (redirect != NULL && !rec->has_all && !redirect->unexpandable)
		spf_fetch(e, redirect->domain, node, redirect->text);
}

static void
spf_on_txt(struct spf_job *j, struct dns_answer *a)
{
	struct spf_expand *e = j->e;
	struct spf_record *rec;
	const char *text = NULL;
	size_t i, len = 0, nspf = 0;
	char err[160];
	bool top = j->node->parent == NULL;

	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA ||
	    a->status == DNS_OK) {
		for (i = 0; i < a->n; i++)
			if (spf_is_record(a->rr[i].u.txt.text,
			    a->rr[i].u.txt.len)) {
				nspf++;
				text = a->rr[i].u.txt.text;
				len = a->rr[i].u.txt.len;
			}
		if (a->status == DNS_NXDOMAIN && !top)
			spf_count_void(e, j->name);
		if (nspf == 0) {
			/* RFC 7208 §5.2: include of "none" is a permerror */
			spf_note(e, top ? SPF_NOTE_NONE : SPF_NOTE_PERMERROR,
			    top ? "%s publishes no SPF record%s" :
			    "%s has no SPF record%s", j->name,
			    a->status == DNS_NXDOMAIN ?
			    " (the domain does not exist)" : "");
			return;
		}
		if (nspf > 1) {
			spf_note(e, SPF_NOTE_PERMERROR, "%s publishes %zu SPF "
			    "records (RFC 7208 section 4.5)", j->name, nspf);
			return;
		}
	} else {
		spf_note(e, SPF_NOTE_TEMPERROR, "SPF lookup of %s: %s",
		    j->name, dns_status_name(a->status));
		spf_note_timeout(e, a->status);
		return;
	}
	rec = malloc(sizeof(*rec));
	if (rec == NULL) {
		state_note_oom("SPF record");
		return;
	}
	if (spf_parse(text, len, j->name, e->sender, rec, err,
	    sizeof(err)) < 0)
		spf_note(e, SPF_NOTE_PERMERROR, "SPF record of %s: %s",
		    j->name, err);
	else
		spf_walk(e, j->node, rec);
	free(rec);
}

/* The answers of one host: IPv4 networks first, as the A query goes out
 * first; a failed family is a temperror, no address at all a void. */
static void
spf_addr_found(struct spf_job *j)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	struct spf_expand *e = j->e;
	const struct resolve_host *h = &j->host;
	size_t i, k, found = 0;

	for (k = 0; k < 2; k++) {
		int fam = fams[k];
		bool asked = fam == AF_INET ? h->asked4 : h->asked6;
		enum dns_status st = fam == AF_INET ? h->st4 : h->st6;

		if (!asked)
			continue;
		if (st == DNS_OK) {
			for (i = 0; i < h->naddrs; i++) {
				const struct addr_sock *a = &h->addrs[i];

				if (a->ss.ss_family != fam)
					continue;
				if (fam == AF_INET)
					spf_add_net(e, fam, &((const struct
					    sockaddr_in *)(const void *)&a->ss)->
					    sin_addr, j->cidr4, j->origin);
				else
					spf_add_net(e, fam, &((const struct
					    sockaddr_in6 *)(const void *)&a->ss)->
					    sin6_addr, j->cidr6, j->origin);
				found++;
			}
		} else if (st != DNS_NXDOMAIN && st != DNS_NODATA) {
			spf_note(e, SPF_NOTE_TEMPERROR, "%s lookup of %s: %s",
			    fam == AF_INET ? "A" : "AAAA", j->name,
			    dns_status_name(st));
			spf_note_timeout(e, st);
			found++;	/* unknown, not void */
		}
	}
	if (found == 0) {
		if (j->counts_void)
			spf_count_void(e, j->name);
		spf_note(e, SPF_NOTE_INFO, "%s: %s has no address",
		    j->origin, j->name);
	}
}

static void spf_maybe_done(struct spf_expand *e);

static void
spf_on_addrs(void *arg, struct resolve *res)
{
	struct spf_job *j = arg;

	(void)res;
	spf_addr_found(j);
	j->e->r.pending--;
	spf_maybe_done(j->e);
}

static void
spf_on_mx(struct spf_job *j, struct dns_answer *a)
{
	struct spf_expand *e = j->e;
	char origin[SPF_ORIGIN_MAX];
	size_t i;

	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA) {
		spf_count_void(e, j->name);
		spf_note(e, SPF_NOTE_INFO, "%s: %s has no MX", j->origin,
		    j->name);
		return;
	}
	if (a->status != DNS_OK) {
		spf_note(e, SPF_NOTE_TEMPERROR, "MX lookup of %s: %s",
		    j->name, dns_status_name(a->status));
		spf_note_timeout(e, a->status);
		return;
	}
	if (a->n > SPF_MAX_MX)
		/* RFC 7208 §4.6.4: more than 10 MX hosts is a permerror */
		spf_note(e, SPF_NOTE_PERMERROR, "%s: %s has %zu MX hosts "
		    "(at most %d)", j->origin, j->name, a->n, SPF_MAX_MX);
	for (i = 0; i < a->n && i < SPF_MAX_MX; i++) {
		if (a->rr[i].u.mx.host[0] == '\0')
			continue;	/* null MX */
		spf_origin(origin, sizeof(origin), "%s (MX %s)", j->origin,
		    a->rr[i].u.mx.host);
		spf_lookup_addrs(e, a->rr[i].u.mx.host, origin, j->cidr4,
		    j->cidr6, false);
	}
}

static void
spf_maybe_done(struct spf_expand *e)
{
	if (e->r.pending == 0 && !e->finished) {
		e->finished = true;
		if (e->done != NULL)
			e->done(e->arg);
	}
}

static void
spf_on_answer(void *arg, struct dns_answer *a)
{
	struct spf_job *j = arg;
	struct spf_expand *e = j->e;

	switch (j->kind) {
	case SPF_JOB_TXT:
		spf_on_txt(j, a);
		break;
	case SPF_JOB_ADDR:
		break;		/* answered through net/resolve */
	case SPF_JOB_MX:
		spf_on_mx(j, a);
		break;
	}
	e->r.pending--;
	spf_maybe_done(e);
}

int
spf_expand_new(struct spf_expand **out, struct dns *d, const char *domain,
    spf_done_cb done, void *arg)
{
	struct spf_expand *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (e == NULL)
		state_note_oom("SPF lookup");
	if (e == NULL)
		return -1;
	e->dns = d;
	e->done = done;
	e->arg = arg;
	snprintf(e->sender, sizeof(e->sender), "%s", domain);
	*out = e;
	e->r.pending++;		/* a guard: answers may come at once */
	spf_fetch(e, domain, NULL, "-S");
	e->r.pending--;
	spf_maybe_done(e);
	return 0;
}

void
spf_expand_free(struct spf_expand *e)
{
	struct spf_job *j;
	struct spf_node *n;

	if (e == NULL)
		return;
	while ((j = e->jobs) != NULL) {
		e->jobs = j->next;
		resolve_free(j->res);
		resolve_host_release(&j->host);
		free(j);
	}
	while ((n = e->nodes) != NULL) {
		e->nodes = n->next;
		free(n);
	}
	free(e->r.nets);
	free(e->r.notes);
	free(e);
}

const struct spf_result *
spf_expand_result(const struct spf_expand *e)
{
	return &e->r;
}
