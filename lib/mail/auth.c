#include <config.h>

#include "mail/auth.h"
#include "core/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct auth_dkim_ask {
	struct auth *a;
	struct auth_dkim r;
};

struct auth {
	struct dns *dns;
	char domain[254];
	bool has_domain;
	auth_done_cb done;
	void *arg;
	struct spf_eval *spf;
	struct dmarc_lookup *dmarc;
	struct fcrdns *fcrdns;
	struct auth_dkim_ask dkim[AUTH_MAX_SELECTORS];
	size_t ndkim;
	size_t pending;		/* parts out: spf, dmarc, fcrdns, keys */
};

static void
auth_part_done(void *arg)
{
	struct auth *a = arg;

	if (a->pending > 0 && --a->pending == 0)
		a->done(a->arg);
}

static void
auth_on_key(void *arg, struct dns_answer *ans)
{
	struct auth_dkim_ask *k = arg;
	struct auth_dkim *r = &k->r;
	const struct dns_rr *first = NULL;
	size_t i;

	r->done = true;
	r->status = ans->status;
	for (i = 0; ans->status == DNS_OK && i < ans->n; i++) {
		/* a key record has no marker of its own (v= is optional):
		 * every TXT record at the name counts */
		if (r->nrecords++ == 0)
			first = &ans->rr[i];
	}
	if (first != NULL)
		r->parsed = dkim_key_parse(first->u.txt.text,
		    first->u.txt.len, &r->key, r->err, sizeof(r->err)) == 0;
	auth_part_done(k->a);
}

const char *
auth_status_name(enum dns_status s)
{
	return dns_status_name(s);
}

int
auth_selector_normalize(const char *in, char *out, size_t size)
{
	char err[160];

	if (strlen(in) >= AUTH_SELECTOR_MAX)
		return -1;
	return dns_name_normalize(in, out, size, err, sizeof(err));
}

int
auth_new(struct auth **out, struct dns *d, const struct auth_config *c,
    auth_done_cb done, void *arg)
{
	struct auth *a;
	size_t i;

	*out = NULL;
	if (c->nselectors > AUTH_MAX_SELECTORS)
		return -1;
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		state_note_oom("sender checks");
		return -1;
	}
	a->dns = d;
	a->done = done;
	a->arg = arg;
	if (c->domain != NULL) {
		const char *at = strrchr(c->domain, '@');
		char err[160];

		if (dns_name_normalize(at ? at + 1 : c->domain, a->domain,
		    sizeof(a->domain), err, sizeof(err)) < 0) {
			free(a);
			return -1;
		}
		a->has_domain = true;
		for (i = 0; i < c->nselectors; i++) {
			struct auth_dkim *r = &a->dkim[i].r;

			a->dkim[i].a = a;
			/* RFC 6376 §3.6.2.1: SELECTOR._domainkey.DOMAIN */
			snprintf(r->name, sizeof(r->name), "%.*s._domainkey.%s",
			    AUTH_SELECTOR_MAX, c->selectors[i], a->domain);
		}
		a->ndkim = c->nselectors;
	}
	if (fcrdns_new(&a->fcrdns, d) < 0) {
		free(a);
		return -1;
	}
	*out = a;
	return 0;
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	spf_eval_free(a->spf);
	dmarc_lookup_free(a->dmarc);
	fcrdns_free(a->fcrdns);
	free(a);
}

int
auth_start(struct auth *a)
{
	size_t i;
	int ret = 0;

	if (!a->has_domain)
		return 0;
	/* one count for the sending: answers inside it end nothing early */
	a->pending++;
	a->pending++;
	if (spf_eval_new(&a->spf, a->dns, a->domain, a->domain,
	    auth_part_done, a) < 0) {
		a->pending--;
		ret = -1;
	}
	a->pending++;
	if (dmarc_lookup_new(&a->dmarc, a->dns, a->domain, auth_part_done,
	    a) < 0) {
		a->pending--;
		ret = -1;
	}
	for (i = 0; i < a->ndkim; i++) {
		a->pending++;
		if (dns_query(a->dns, a->dkim[i].r.name, DNS_TXT, auth_on_key,
		    &a->dkim[i]) < 0) {
			a->dkim[i].r.done = true;
			a->dkim[i].r.status = DNS_ERROR;
			a->pending--;
		}
	}
	auth_part_done(a);
	return ret;
}

int
auth_add_address(struct auth *a, int family, const unsigned char *addr)
{
	return fcrdns_add(a->fcrdns, family, addr);
}

int
auth_start_addresses(struct auth *a)
{
	a->pending++;
	if (fcrdns_start(a->fcrdns, auth_part_done, a) < 0) {
		a->pending--;
		return -1;
	}
	return 0;
}

bool
auth_pending(const struct auth *a)
{
	return a->pending > 0;
}

const char *
auth_domain(const struct auth *a)
{
	return a->has_domain ? a->domain : NULL;
}

const struct spf_eval *
auth_spf(const struct auth *a)
{
	return a->spf;
}

struct dmarc_lookup *
auth_dmarc(const struct auth *a)
{
	return a->dmarc;
}

struct fcrdns *
auth_fcrdns(const struct auth *a)
{
	return a->fcrdns;
}

size_t
auth_dkim_count(const struct auth *a)
{
	return a->ndkim;
}

const struct auth_dkim *
auth_dkim_get(const struct auth *a, size_t i)
{
	return i < a->ndkim ? &a->dkim[i].r : NULL;
}
