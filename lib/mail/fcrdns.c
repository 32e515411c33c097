#include <config.h>

#include "mail/fcrdns.h"
#include "core/state.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define FCRDNS_MAX_ADDRS 256

/* What a pending answer points at: an address, and which of its names. */
struct fcrdns_ref {
	struct fcrdns *f;
	size_t addr;
	int name;		/* -1: the PTR query */
};

struct fcrdns {
	struct dns *dns;
	fcrdns_done_cb done;
	void *arg;
	struct fcrdns_addr *addrs;
	struct fcrdns_ref *ptr_refs;
	struct fcrdns_ref (*fwd_refs)[FCRDNS_MAX_NAMES];
	size_t n, cap, pending;
	bool started;
};

const char *
fcrdns_result_name(enum fcrdns_result r)
{
	switch (r) {
	case FCRDNS_PASS: return "pass";
	case FCRDNS_FAIL: return "fail";
	case FCRDNS_PERMERROR: return "permerror";
	case FCRDNS_TEMPERROR: return "temperror";
	}
	return "?";
}

int
fcrdns_new(struct fcrdns **out, struct dns *d)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL) {
		state_note_oom("FCrDNS");
		return -1;
	}
	(*out)->dns = d;
	return 0;
}

void
fcrdns_free(struct fcrdns *f)
{
	if (f == NULL)
		return;
	free(f->addrs);
	free(f->ptr_refs);
	free(f->fwd_refs);
	free(f);
}

int
fcrdns_add(struct fcrdns *f, int family, const unsigned char *addr)
{
	size_t i, alen = family == AF_INET ? 4 : 16;
	struct fcrdns_addr *a;

	if (f->started || (family != AF_INET && family != AF_INET6))
		return -1;
	for (i = 0; i < f->n; i++)
		if (f->addrs[i].family == family &&
		    memcmp(f->addrs[i].addr, addr, alen) == 0)
			return 0;
	if (f->n >= FCRDNS_MAX_ADDRS)
		return -1;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct fcrdns_addr *n = realloc(f->addrs, cap * sizeof(*n));

		if (n == NULL) {
			state_note_oom("FCrDNS");
			return -1;
		}
		f->addrs = n;
		f->cap = cap;
	}
	a = &f->addrs[f->n++];
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->addr, addr, alen);
	inet_ntop(family, addr, a->text, sizeof(a->text));
	a->result = FCRDNS_TEMPERROR;
	a->timeout = true;
	return 0;
}

static void
fcrdns_one_done(struct fcrdns *f)
{
	if (--f->pending == 0)
		f->done(f->arg);
}

static void
fcrdns_on_forward(void *arg, struct dns_answer *ans)
{
	struct fcrdns_ref *ref = arg;
	struct fcrdns_addr *a = &ref->f->addrs[ref->addr];
	struct fcrdns_name *nm = &a->names[ref->name];
	size_t i, used = 0;

	nm->done = true;
	nm->status = ans->status;
	for (i = 0; ans->status == DNS_OK && i < ans->n; i++) {
		const void *got = a->family == AF_INET ?
		    (const void *)&ans->rr[i].u.a :
		    (const void *)&ans->rr[i].u.aaaa;
		char text[46];
		int w;

		if (memcmp(got, a->addr, a->family == AF_INET ? 4 : 16) == 0)
			nm->matches = true;
		inet_ntop(a->family, got, text, sizeof(text));
		w = snprintf(nm->addrs + used, sizeof(nm->addrs) - used,
		    "%s%s", used ? " " : "", text);
		if (w > 0 && (size_t)w < sizeof(nm->addrs) - used)
			used += (size_t)w;
	}
	fcrdns_one_done(ref->f);
}

static void
fcrdns_on_ptr(void *arg, struct dns_answer *ans)
{
	struct fcrdns_ref *ref = arg;
	struct fcrdns *f = ref->f;
	struct fcrdns_addr *a = &f->addrs[ref->addr];
	size_t i;

	a->ptr_done = true;
	a->ptr_status = ans->status;
	if (ans->status == DNS_OK)
		a->nptr = ans->n;
	for (i = 0; ans->status == DNS_OK && i < ans->n &&
	    a->nnames < FCRDNS_MAX_NAMES; i++) {
		struct fcrdns_name *nm = &a->names[a->nnames];
		struct fcrdns_ref *fr = &f->fwd_refs[ref->addr][a->nnames];
		const char *name = ans->rr[i].u.name;
		size_t len = strlen(name);

		/* the answer's names are absolute: ask without the dot */
		if (len > 0 && name[len - 1] == '.')
			len--;
		if (len == 0 || len >= sizeof(nm->name))
			continue;
		memcpy(nm->name, name, len);
		nm->name[len] = '\0';
		fr->f = f;
		fr->addr = ref->addr;
		fr->name = (int)a->nnames++;
		f->pending++;
		if (dns_query(f->dns, nm->name, a->family == AF_INET ? DNS_A :
		    DNS_AAAA, fcrdns_on_forward, fr) < 0) {
			nm->done = true;
			nm->status = DNS_ERROR;
			f->pending--;
		}
	}
	fcrdns_one_done(f);
}

int
fcrdns_start(struct fcrdns *f, fcrdns_done_cb done, void *arg)
{
	char name[80];
	size_t i;

	f->started = true;
	f->done = done;
	f->arg = arg;
	if (f->n > 0) {
		f->ptr_refs = calloc(f->n, sizeof(*f->ptr_refs));
		f->fwd_refs = calloc(f->n, sizeof(*f->fwd_refs));
		if (f->ptr_refs == NULL || f->fwd_refs == NULL) {
			state_note_oom("FCrDNS");
			return -1;
		}
	}
	/* one count for the sending: see fcrdns_one_done() */
	f->pending = 1;
	for (i = 0; i < f->n; i++) {
		struct fcrdns_addr *a = &f->addrs[i];

		f->ptr_refs[i].f = f;
		f->ptr_refs[i].addr = i;
		f->ptr_refs[i].name = -1;
		if (dns_reverse_name(a->family, a->addr, a->family == AF_INET ?
		    "in-addr.arpa" : "ip6.arpa", name, sizeof(name)) < 0)
			continue;
		f->pending++;
		if (dns_query(f->dns, name, DNS_PTR, fcrdns_on_ptr,
		    &f->ptr_refs[i]) < 0) {
			a->ptr_done = true;
			a->ptr_status = DNS_ERROR;
			f->pending--;
		}
	}
	fcrdns_one_done(f);
	return 0;
}

size_t
fcrdns_pending(const struct fcrdns *f)
{
	return f->pending;
}

size_t
fcrdns_count(const struct fcrdns *f)
{
	return f->n;
}

static bool
fcrdns_failed(enum dns_status s)
{
	return s != DNS_OK && s != DNS_NODATA && s != DNS_NXDOMAIN;
}

/* RFC 8601 §2.7.3, from what has answered so far. */
static void
fcrdns_judge(struct fcrdns_addr *a)
{
	bool open = false;
	size_t i;

	a->timeout = false;
	if (!a->ptr_done || fcrdns_failed(a->ptr_status)) {
		a->result = FCRDNS_TEMPERROR;
		a->timeout = !a->ptr_done || a->ptr_status == DNS_TIMEOUT;
		return;
	}
	if (a->ptr_status != DNS_OK || a->nnames == 0) {
		a->result = FCRDNS_PERMERROR;
		return;
	}
	for (i = 0; i < a->nnames; i++) {
		if (a->names[i].matches) {
			a->result = FCRDNS_PASS;
			return;
		}
		if (!a->names[i].done || fcrdns_failed(a->names[i].status)) {
			open = true;
			if (!a->names[i].done ||
			    a->names[i].status == DNS_TIMEOUT)
				a->timeout = true;
		}
	}
	/* no match; a failed forward lookup leaves the question open */
	a->result = open ? FCRDNS_TEMPERROR : FCRDNS_FAIL;
}

const struct fcrdns_addr *
fcrdns_get(struct fcrdns *f, size_t i)
{
	if (i >= f->n)
		return NULL;
	fcrdns_judge(&f->addrs[i]);
	return &f->addrs[i];
}
