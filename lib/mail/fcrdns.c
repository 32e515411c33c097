#include <config.h>

#include "mail/fcrdns.h"
#include "core/state.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define FCRDNS_MAX_ADDRS 256

struct fcrdns {
	struct dns *dns;
	fcrdns_done_cb done;
	void *arg;
	struct fcrdns_addr *addrs;
	struct resolve *fwd[2];	/* AF_INET, AF_INET6 names */
	size_t n, cap, pending, fwd_pending;
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
	size_t i, k;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		for (k = 0; k < f->addrs[i].nnames; k++)
			resolve_host_release(&f->addrs[i].names[k].res);
	resolve_free(f->fwd[0]);
	resolve_free(f->fwd[1]);
	free(f->addrs);
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

/* The answers of one family's names are in: which lead back. */
static void
fcrdns_on_forward(void *arg, struct resolve *r)
{
	struct fcrdns *f = arg;
	size_t i, k, j;

	for (i = 0; i < f->n; i++) {
		struct fcrdns_addr *a = &f->addrs[i];

		if (f->fwd[a->family == AF_INET6] != r)
			continue;
		for (k = 0; k < a->nnames; k++) {
			struct fcrdns_name *nm = &a->names[k];
			size_t used = 0;

			if (nm->done)
				continue;	/* could not be asked */
			nm->done = !(a->family == AF_INET ? nm->res.pending4 :
			    nm->res.pending6);
			nm->status = a->family == AF_INET ? nm->res.st4 :
			    nm->res.st6;
			for (j = 0; j < nm->res.naddrs; j++) {
				const char *text = nm->res.addrs[j].text;
				int w;

				if (strcmp(text, a->text) == 0)
					nm->matches = true;
				w = snprintf(nm->addrs + used,
				    sizeof(nm->addrs) - used, "%s%s",
				    used ? " " : "", text);
				if (w > 0 &&
				    (size_t)w < sizeof(nm->addrs) - used)
					used += (size_t)w;
			}
		}
	}
	if (--f->fwd_pending == 0)
		f->done(f->arg);
}

/*
 * Round 2: every PTR name's A (IPv4 addresses) or AAAA (IPv6), all at
 * once, one resolve set per family.
 */
static void
fcrdns_forward(struct fcrdns *f)
{
	static const int families[2] = { AF_INET, AF_INET6 };
	size_t i, k;
	int fam;

	/* one count for the sending, as in fcrdns_start() */
	f->fwd_pending = 1;
	for (fam = 0; fam < 2; fam++) {
		bool any = false;

		for (i = 0; i < f->n; i++)
			any |= f->addrs[i].family == families[fam] &&
			    f->addrs[i].nnames > 0;
		if (!any)
			continue;
		if (resolve_new(&f->fwd[fam], f->dns, families[fam]) < 0)
			goto failed;
		for (i = 0; i < f->n; i++) {
			struct fcrdns_addr *a = &f->addrs[i];

			if (a->family != families[fam])
				continue;
			for (k = 0; k < a->nnames; k++)
				if (resolve_add(f->fwd[fam], &a->names[k].res,
				    a->names[k].name, 0) < 0) {
					a->names[k].done = true;
					a->names[k].status = DNS_ERROR;
				}
		}
		f->fwd_pending++;
		if (resolve_start(f->fwd[fam], fcrdns_on_forward, f) == 0)
			continue;
		f->fwd_pending--;
failed:
		for (i = 0; i < f->n; i++)
			for (k = 0; f->addrs[i].family == families[fam] &&
			    k < f->addrs[i].nnames; k++) {
				f->addrs[i].names[k].done = true;
				f->addrs[i].names[k].status = DNS_ERROR;
			}
	}
	if (--f->fwd_pending == 0)
		f->done(f->arg);
}

static void
fcrdns_one_done(struct fcrdns *f)
{
	if (--f->pending == 0)
		fcrdns_forward(f);
}

static void
fcrdns_on_ptr(void *arg, struct dns_answer *ans)
{
	struct fcrdns_addr *a = arg;
	struct fcrdns *f = a->f;
	size_t i;

	a->ptr_done = true;
	a->ptr_status = ans->status;
	if (ans->status == DNS_OK)
		a->nptr = ans->n;
	for (i = 0; ans->status == DNS_OK && i < ans->n &&
	    a->nnames < FCRDNS_MAX_NAMES; i++) {
		struct fcrdns_name *nm = &a->names[a->nnames];
		const char *name = ans->rr[i].u.name;
		size_t len = strlen(name);

		/* the answer's names may be absolute: keep them without */
		if (len > 0 && name[len - 1] == '.')
			len--;
		if (len == 0 || len >= sizeof(nm->name))
			continue;
		memcpy(nm->name, name, len);
		nm->name[len] = '\0';
		a->nnames++;
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
	/*
	 * One count for the sending: an answer that comes back inside
	 * dns_query() must not start round 2 before every PTR is asked.
	 */
	f->pending = 1;
	for (i = 0; i < f->n; i++) {
		struct fcrdns_addr *a = &f->addrs[i];

		a->f = f;
		if (dns_name_reverse(a->family, a->addr, a->family == AF_INET ?
		    "in-addr.arpa" : "ip6.arpa", name, sizeof(name)) < 0)
			continue;
		f->pending++;
		if (dns_query(f->dns, name, DNS_PTR, fcrdns_on_ptr, a) < 0) {
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
	return f->pending + f->fwd_pending;
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
