#include <config.h>

#include "mail/dmarc.h"
#include "mail/dkim.h"
#include "mail/regdom.h"
#include "core/state.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DMARC_MAX_TAGS 32

/* ---- parsing ------------------------------------------------------------ */

bool
dmarc_is_record(const char *text, size_t len)
{
	struct dkim_tag t;
	size_t pos = 0;

	/* §6.4: the record starts with the v tag, and its value is DMARC1 */
	return dkim_tag_next(text, len, &pos, &t) == 1 && t.nlen == 1 &&
	    t.name[0] == 'v' && t.vlen == 6 &&
	    memcmp(t.value, "DMARC1", 6) == 0 && t.name == text;
}

const char *
dmarc_policy_name(enum dmarc_policy p)
{
	switch (p) {
	case DMARC_P_NONE: return "none";
	case DMARC_P_QUARANTINE: return "quarantine";
	case DMARC_P_REJECT: return "reject";
	}
	return "?";
}

static bool
dmarc_tag_is(const struct dkim_tag *t, const char *name)
{
	return strlen(name) == t->nlen && text_ncasecmp(t->name, name,
	    t->nlen) == 0;
}

static int
dmarc_policy(const struct dkim_tag *t, enum dmarc_policy *out)
{
	static const enum dmarc_policy all[] = {
		DMARC_P_NONE, DMARC_P_QUARANTINE, DMARC_P_REJECT
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *n = dmarc_policy_name(all[i]);

		if (strlen(n) == t->vlen &&
		    text_ncasecmp(t->value, n, t->vlen) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}

/* "mailto:a@b.test,mailto:c@d.test!10m": every URI has a scheme (§6.2) */
static bool
dmarc_uris_valid(const struct dkim_tag *t)
{
	size_t i = 0, start, colon;

	while (i <= t->vlen) {
		start = i;
		while (i < t->vlen && t->value[i] != ',')
			i++;
		while (start < i && t->value[start] == ' ')
			start++;
		for (colon = start; colon < i && t->value[colon] != ':';
		    colon++)
			;
		if (colon == start || colon + 1 >= i)
			return false;
		i++;
	}
	return true;
}

int
dmarc_parse(const char *text, size_t len, struct dmarc_record *out,
    char *err, size_t errlen)
{
	struct dkim_tag t, seen[DMARC_MAX_TAGS];
	size_t pos = 0, ntags = 0, i;
	bool has_p = false, has_sp = false, bad_p = false, bad_sp = false;
	bool rua_valid = false;
	long v;
	int rc;

	memset(out, 0, sizeof(*out));
	out->pct = 100;
	out->adkim = out->aspf = 'r';
	if (!dmarc_is_record(text, len)) {
		snprintf(err, errlen, "does not start with v=DMARC1");
		return -1;
	}
	while ((rc = dkim_tag_next(text, len, &pos, &t)) == 1) {
		if (ntags >= DMARC_MAX_TAGS) {
			snprintf(err, errlen, "more than %d tags",
			    DMARC_MAX_TAGS);
			return -1;
		}
		for (i = 0; i < ntags; i++)
			if (seen[i].nlen == t.nlen &&
			    text_ncasecmp(seen[i].name, t.name, t.nlen) == 0) {
				snprintf(err, errlen, "tag %.*s given twice",
				    (int)(t.nlen > 16 ? 16 : t.nlen), t.name);
				return -1;
			}
		seen[ntags++] = t;
		if (dmarc_tag_is(&t, "p")) {
			has_p = true;
			bad_p = dmarc_policy(&t, &out->p) < 0;
		} else if (dmarc_tag_is(&t, "sp")) {
			has_sp = true;
			bad_sp = dmarc_policy(&t, &out->sp) < 0;
		} else if (dmarc_tag_is(&t, "pct")) {
			if (text_parse_longn(t.value, t.vlen, 0, 100, &v) < 0) {
				snprintf(err, errlen, "pct= is not 0 to 100");
				return -1;
			}
			out->pct = (int)v;
		} else if (dmarc_tag_is(&t, "adkim") ||
		    dmarc_tag_is(&t, "aspf")) {
			if (t.vlen != 1 || (t.value[0] != 'r' &&
			    t.value[0] != 's')) {
				snprintf(err, errlen, "%s= is not r or s",
				    t.nlen == 4 ? "aspf" : "adkim");
				return -1;
			}
			if (t.nlen == 4)
				out->aspf = t.value[0];
			else
				out->adkim = t.value[0];
		} else if (dmarc_tag_is(&t, "rua") ||
		    dmarc_tag_is(&t, "ruf")) {
			bool valid = dmarc_uris_valid(&t);

			if (!valid) {
				snprintf(err, errlen, "%s= is not a list of "
				    "URIs", t.nlen == 3 && (t.name[2] == 'a' ||
				    t.name[2] == 'A') ? "rua" : "ruf");
				return -1;
			}
			if (t.name[2] == 'a' || t.name[2] == 'A') {
				out->has_rua = true;
				rua_valid = true;
			} else {
				out->has_ruf = true;
			}
		}
		/* v (checked above), fo, rf, ri and unknown tags: §6.3 says
		 * unknown tags MUST be ignored */
	}
	if (rc < 0) {
		snprintf(err, errlen, "not a tag=value list");
		return -1;
	}
	/*
	 * §6.6.3: a record without a valid p (or with an invalid sp) is
	 * taken as p=none when it has a valid rua; otherwise no DMARC
	 * processing applies, which makes it malformed for us.
	 */
	if (!has_p || bad_p || bad_sp) {
		if (!rua_valid) {
			snprintf(err, errlen, "%s", !has_p ? "no p= tag" :
			    bad_p ? "p= is not none, quarantine or reject" :
			    "sp= is not none, quarantine or reject");
			return -1;
		}
		out->p = DMARC_P_NONE;
		out->p_assumed = true;
		has_sp = false;
	}
	if (!has_sp)
		out->sp = out->p;
	return 0;
}

int
dmarc_org_domain(const char *domain, char *out, size_t size)
{
	/* §3.2: the Organizational Domain is the registered domain */
	struct regdom *rd = regdom_new();
	int ret;

	if (rd == NULL)
		return -1;
	ret = regdom_get(rd, domain, out, size);
	regdom_free(rd);
	return ret;
}

/* ---- the lookup --------------------------------------------------------- */

struct dmarc_ask {
	struct dmarc_lookup *l;
	char name[DMARC_NAME_MAX];
	bool done;
	struct dns_answer ans;
};

struct dmarc_lookup {
	dmarc_done_cb done;
	void *arg;
	struct dmarc_ask ask[2];	/* the domain, its org domain */
	size_t nask, pending;
	struct dmarc_result r;
};

/* The DMARC records of one answer: how many, and the first. */
static size_t
dmarc_records(const struct dns_answer *a, const struct dns_rr **first)
{
	size_t i, n = 0;

	*first = NULL;
	if (a->status != DNS_OK)
		return 0;
	for (i = 0; i < a->n; i++)
		if (dmarc_is_record(a->rr[i].u.txt.text, a->rr[i].u.txt.len)) {
			if (n++ == 0)
				*first = &a->rr[i];
		}
	return n;
}

static bool
dmarc_failed(enum dns_status s)
{
	return s != DNS_OK && s != DNS_NODATA && s != DNS_NXDOMAIN;
}

static void
dmarc_judge(struct dmarc_lookup *l)
{
	struct dmarc_result *r = &l->r;
	const struct dns_rr *rr;
	size_t k, n;

	for (k = 0; k < l->nask; k++) {
		struct dmarc_ask *a = &l->ask[k];

		snprintf(r->name, sizeof(r->name), "%s", a->name);
		r->at_org = k == 1;
		if (!a->done || dmarc_failed(a->ans.status)) {
			/* §6.6.3 needs the answer: no guess without it */
			r->status = DMARC_TEMPERROR;
			r->dns = a->done ? a->ans.status : DNS_TIMEOUT;
			return;
		}
		n = dmarc_records(&a->ans, &rr);
		if (n > 1) {
			r->status = DMARC_MULTIPLE;
			return;
		}
		if (n == 1) {
			r->status = dmarc_parse(rr->u.txt.text, rr->u.txt.len,
			    &r->rec, r->err, sizeof(r->err)) == 0 ?
			    DMARC_FOUND : DMARC_MALFORMED;
			return;
		}
	}
	snprintf(r->name, sizeof(r->name), "%s", l->ask[0].name);
	r->at_org = false;
	r->status = DMARC_MISSING;
}

static void
dmarc_on_answer(void *arg, struct dns_answer *a)
{
	struct dmarc_ask *ask = arg;
	struct dmarc_lookup *l = ask->l;

	dns_answer_move(&ask->ans, a);
	ask->done = true;
	if (--l->pending > 0)
		return;
	dmarc_judge(l);
	l->done(l->arg);
}

int
dmarc_lookup_new(struct dmarc_lookup **out, struct dns *d,
    const char *domain, dmarc_done_cb done, void *arg)
{
	struct dmarc_lookup *l;
	char org[254];
	size_t k;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		state_note_oom("DMARC lookup");
		return -1;
	}
	l->done = done;
	l->arg = arg;
	snprintf(l->ask[0].name, sizeof(l->ask[0].name), "_dmarc.%s", domain);
	l->nask = 1;
	if (dmarc_org_domain(domain, org, sizeof(org)) == 0 &&
	    strcmp(org, domain) != 0) {
		snprintf(l->ask[1].name, sizeof(l->ask[1].name), "_dmarc.%s",
		    org);
		l->nask = 2;
	}
	/* the timeout status stands until an answer replaces it */
	l->r.status = DMARC_TEMPERROR;
	l->r.dns = DNS_TIMEOUT;
	snprintf(l->r.name, sizeof(l->r.name), "%s", l->ask[0].name);
	*out = l;
	/* one count for the sending itself: an answer that comes back
	 * inside dns_query() must not finish the lookup early */
	l->pending = 1;
	for (k = 0; k < l->nask; k++) {
		l->ask[k].l = l;
		l->pending++;
		if (dns_query(d, l->ask[k].name, DNS_TXT, dmarc_on_answer,
		    &l->ask[k]) < 0) {
			l->ask[k].done = true;
			l->ask[k].ans.status = DNS_ERROR;
			l->pending--;
		}
	}
	if (--l->pending == 0) {
		dmarc_judge(l);
		done(arg);
	}
	return 0;
}

void
dmarc_lookup_free(struct dmarc_lookup *l)
{
	size_t k;

	if (l == NULL)
		return;
	for (k = 0; k < l->nask; k++)
		dns_answer_release(&l->ask[k].ans);
	free(l);
}

const struct dmarc_result *
dmarc_lookup_result(struct dmarc_lookup *l)
{
	if (l->pending > 0)
		dmarc_judge(l);
	return &l->r;
}

bool
dmarc_lookup_pending(const struct dmarc_lookup *l)
{
	return l->pending > 0;
}
