/*
 * dane - RFC 7672 as the TLS policy of a relay walk (see dane.h).
 */
#include <config.h>

#include "mail/dane.h"

#include "net/smtp.h"
#include "core/state.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The walk's policy state: one host per name and port. */
struct dane_walk {
	struct relay_walk *w;
	struct dns *dns;
	struct dane_host *h;
	struct dane_query *q;	/* the callback's argument per host */
	size_t n;
};

struct dane_query {
	struct dane_walk *dw;
	struct dane_host *dh;
};

/*
 * The table: TLSA answer → DANE state (RFC 7672 §2.1.1, §2.2, §3.1.3).
 *   validated records, some usable     USABLE    authenticated TLS
 *   validated records, none usable     UNUSABLE  TLS, unauthenticated
 *   records without AD                 INSECURE  may
 *   NXDOMAIN/NODATA with AD            NOTLSA    may
 *   NXDOMAIN/NODATA without AD         INSECURE  may
 *   SERVFAIL, timeout, anything else   FAILED    host not used
 */
int
dane_classify(struct dane_host *dh, struct dns_answer *ans)
{
	size_t i;

	dns_answer_move(&dh->ans, ans);
	switch (dh->ans.status) {
	case DNS_OK:
		if (!dh->ans.ad) {
			dh->st = DANE_INSECURE;
			(void)text_format(dh->why, sizeof(dh->why),
			    "TLSA of %s not validated", dh->base);
			return 0;
		}
		dh->recs = calloc(dh->ans.n, sizeof(*dh->recs));
		if (dh->recs == NULL) {
			state_note_oom("TLSA records");
			dh->st = DANE_FAILED;
			return -1;
		}
		for (i = 0; i < dh->ans.n; i++) {
			struct tls_tlsa *r = &dh->recs[i];

			r->usage = dh->ans.rr[i].u.tlsa.usage;
			r->selector = dh->ans.rr[i].u.tlsa.selector;
			r->mtype = dh->ans.rr[i].u.tlsa.mtype;
			r->data = dh->ans.rr[i].u.tlsa.data;
			r->len = dh->ans.rr[i].u.tlsa.len;
			if (tls_dane_unusable(r) == NULL)
				dh->usable++;
		}
		dh->nrecs = dh->ans.n;
		dh->st = dh->usable ? DANE_USABLE : DANE_UNUSABLE;
		return 0;
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		dh->st = dh->ans.ad ? DANE_NOTLSA : DANE_INSECURE;
		if (!dh->ans.ad)
			(void)text_format(dh->why, sizeof(dh->why),
			    "%s for TLSA of %s not validated",
			    dns_status_name(dh->ans.status), dh->base);
		return 0;
	default:
		/* bogus or indeterminate: no downgrade to plaintext */
		dh->st = DANE_FAILED;
		return 0;
	}
}

/* Every host of the walk has its DANE state: hosts whose TLSA lookup
 * failed are not used, then the walk goes. */
static void
dane_apply(struct dane_walk *dw)
{
	struct relay_walk *w = dw->w;
	size_t i;

	for (i = 0; i < w->n; i++) {
		struct relay_attempt *a = &w->a[i];

		if (a->dane == NULL || a->out == RELAY_SKIPPED ||
		    a->dane->st != DANE_FAILED)
			continue;
		a->out = RELAY_SKIPPED;
		a->policy_skip = true;
		dane_describe(a, a->note, sizeof(a->note));
	}
	relay_policy_ready(w);
}

static void
on_tlsa(void *arg, struct dns_answer *ans)
{
	struct dane_query *q = arg;
	struct dane_walk *dw = q->dw;
	struct dane_host *dh = q->dh;
	struct relay_walk *w = dw->w;
	struct relay *run = w->run;

	(void)dane_classify(dh, ans);
	if (dh->ans.elapsed > run->dns_tlsa)
		run->dns_tlsa = dh->ans.elapsed;
	/*
	 * RFC 7672 §2.2.3: after a validated CNAME chain the expanded name
	 * is tried first; without secure TLSA there, the MX name itself.
	 */
	if ((dh->st == DANE_NOTLSA || dh->st == DANE_INSECURE) &&
	    dh->alias[0] != '\0') {
		char qname[MX_NAME_MAX + 16];

		(void)text_copy(dh->base, sizeof(dh->base), dh->alias);
		dh->alias[0] = '\0';
		dns_answer_release(&dh->ans);
		dh->why[0] = '\0';
		dh->st = DANE_PENDING;
		(void)text_format(qname, sizeof(qname), "_%u._tcp.%s", dh->port,
		    dh->base);
		if (dns_query(dw->dns, qname, DNS_TLSA, on_tlsa, q) == 0)
			return;
		dh->st = DANE_FAILED;	/* could not even ask */
	}
	if (--w->policy_pending > 0)
		return;
	if (w == &run->main)
		run->dns_time += run->dns_tlsa;
	dane_apply(dw);
}

/*
 * Per host: one TLSA query per host and port of the walk, all at once
 * (one more resolver round trip after the addresses), but only where the
 * MX RRset and the host's address records were validated (§2.2.1,
 * §2.2.3); other hosts are opportunistic.  Then the walk starts.
 */
static void
dane_prepare(struct relay_walk *w, struct dns *d)
{
	struct dane_walk *dw = calloc(1, sizeof(*dw));
	size_t i, k;

	if (dw != NULL) {
		dw->h = calloc(w->n, sizeof(*dw->h));
		dw->q = calloc(w->n, sizeof(*dw->q));
	}
	if (dw == NULL || dw->h == NULL || dw->q == NULL) {
		state_note_oom("DANE hosts");
		if (dw != NULL) {
			free(dw->h);
			free(dw->q);
			free(dw);
		}
		relay_policy_ready(w);
		return;
	}
	dw->w = w;
	dw->dns = d;
	w->policy = dw;
	for (i = 0; i < w->n; i++) {
		struct relay_attempt *a = &w->a[i];
		const struct mx_host *mh;
		struct dane_host *dh;

		if (a->literal || a->out == RELAY_SKIPPED)
			continue;
		for (k = 0; k < dw->n; k++)
			if (dw->h[k].port == a->port &&
			    strcmp(dw->h[k].base, a->host) == 0)
				break;
		a->dane = &dw->h[k];
		if (k < dw->n)
			continue;
		dh = &dw->h[dw->n];
		dw->q[dw->n].dw = dw;
		dw->q[dw->n].dh = dh;
		dw->n++;
		dh->port = a->port;
		(void)text_copy(dh->base, sizeof(dh->base), a->host);
		dh->secure = relay_policy_secure(w, a->host, dh->why,
		    sizeof(dh->why));
		mh = relay_policy_mx_host(w, a->host);
		if (dh->secure && mh != NULL && mh->res.cname != NULL) {
			/* the validated chain's end is the first base */
			(void)text_copy(dh->alias, sizeof(dh->alias),
			    a->host);
			(void)text_copy(dh->base, sizeof(dh->base),
			    mh->res.cname);
		}
		dh->st = dh->secure ? DANE_PENDING : DANE_INSECURE;
		if (dh->secure)
			w->policy_pending++;
	}
	if (w->policy_pending == 0) {
		relay_policy_ready(w);
		return;
	}
	/* counted before the first query: an answer may come at once */
	for (k = 0; k < dw->n; k++) {
		struct dane_host *dh = &dw->h[k];
		char qname[MX_NAME_MAX + 16];

		if (dh->st != DANE_PENDING)
			continue;
		(void)text_format(qname, sizeof(qname), "_%u._tcp.%s", dh->port,
		    dh->base);
		if (dns_query(d, qname, DNS_TLSA, on_tlsa, &dw->q[k]) < 0) {
			struct dns_answer none;

			memset(&none, 0, sizeof(none));
			none.status = DNS_ERROR;
			on_tlsa(&dw->q[k], &none);
		}
	}
}

/* RFC 7672 §2.2: TLS is mandatory only where validated TLSA exists;
 * elsewhere the sender is opportunistic. */
static enum smtp_tls_use
dane_tls_use(const struct relay_attempt *a)
{
	enum dane_state ds = a->dane ? a->dane->st : DANE_INSECURE;

	return ds == DANE_USABLE || ds == DANE_UNUSABLE ? SMTP_TLS_REQUIRED :
	    SMTP_TLS_IF_OFFERED;
}

/* RFC 7672 §8.1: with DANE the SNI is the TLSA base domain. */
static const char *
dane_sni(const struct relay_attempt *a)
{
	const char *name = relay_policy_cert_name(a);
	const struct dane_host *dh = a->dane;

	if (name != a->host || dh == NULL)
		return name;
	return dh->st == DANE_USABLE || dh->st == DANE_UNUSABLE ? dh->base :
	    a->host;
}

/* Usable TLSA must match (RFC 7672 §3.1); without usable TLSA the
 * session goes on as "encrypt" or "may" would. */
static bool
dane_tls_done(struct relay_attempt *a, struct tls *t)
{
	const struct dane_host *dh = a->dane;

	tls_facts_get(t, TLS_NAMES_NONE, a->host, &a->facts);
	a->has_facts = true;
	if (dh == NULL || dh->st != DANE_USABLE)
		return true;
	tls_dane_check(t, dh->recs, dh->nrecs, dh->base, &a->dres);
	a->has_dres = true;
	return a->dres.matched;
}

/* DANE authenticates by TLSA alone: no trust store, and no retry
 * without STARTTLS once TLS was tried (§2.2). */
static bool
dane_no(const struct relay_attempt *a)
{
	(void)a;
	return false;
}

static void
dane_release(struct relay_walk *w)
{
	struct dane_walk *dw = w->policy;
	size_t k;

	if (dw == NULL)
		return;
	for (k = 0; k < dw->n; k++) {
		dns_answer_release(&dw->h[k].ans);
		free(dw->h[k].recs);
	}
	free(dw->h);
	free(dw->q);
	free(dw);
	w->policy = NULL;
}

const struct relay_policy dane_policy = {
	.prepare = dane_prepare,
	.tls_use = dane_tls_use,
	.sni = dane_sni,
	.trust_store = dane_no,
	.tls_done = dane_tls_done,
	.retry_plain = dane_no,
	.release = dane_release,
};

bool
dane_applies(const struct relay_attempt *a)
{
	enum dane_state ds = a->dane != NULL ? a->dane->st : DANE_OFF;

	return ds == DANE_USABLE || ds == DANE_UNUSABLE || ds == DANE_FAILED;
}

void
dane_describe(const struct relay_attempt *a, char *out, size_t outsize)
{
	const struct dane_host *dh = a->dane;
	const struct smtp_session *s = a->s;

	out[0] = '\0';
	if (a->w->run->rp->tls != RELAY_TLS_DANE &&
	    (a->w->run->rp->tls != RELAY_TLS_AUTO || !dane_applies(a)))
		return;
	if (dh == NULL) {
		(void)text_format(out, outsize, "DANE: %s, opportunistic TLS",
		    a->literal ? "an address has no TLSA base domain" :
		    "not looked up");
		return;
	}
	switch (dh->st) {
	case DANE_OFF:
	case DANE_PENDING:
		(void)text_format(out, outsize, "DANE: TLSA lookup not "
		    "finished");
		break;
	case DANE_INSECURE:
		(void)text_format(out, outsize, "DANE: no DNSSEC (%s), "
		    "opportunistic TLS", dh->why);
		break;
	case DANE_NOTLSA:
		(void)text_format(out, outsize, "DANE: no TLSA, opportunistic "
		    "TLS (validated %s for _%u._tcp.%s)",
		    dns_status_name(dh->ans.status), dh->port, dh->base);
		break;
	case DANE_FAILED:
		(void)text_format(out, outsize, "DANE: TLSA lookup %s: host "
		    "not used (dnssec-invalid)",
		    dns_status_name(dh->ans.status));
		break;
	case DANE_UNUSABLE:
		(void)text_format(out, outsize, "DANE: no usable TLSA (%zu "
		    "record%s, %s), TLS required but not authenticated",
		    dh->nrecs, dh->nrecs == 1 ? "" : "s",
		    tls_dane_unusable(&dh->recs[0]));
		break;
	case DANE_USABLE:
		if (a->has_dres)
			(void)text_format(out, outsize, "DANE: %s%s",
			    a->dres.text, a->dres.matched ? "" :
			    " (tlsa-invalid)");
		else if (s != NULL && s->error == SMTP_ERR_NOTLS)
			(void)text_format(out, outsize, "DANE: usable TLSA "
			    "requires TLS, none was established "
			    "(starttls-not-supported)");
		else
			(void)text_format(out, outsize, "DANE: usable TLSA "
			    "requires TLS, no certificate was checked");
		break;
	}
}

const struct dane_host *
dane_hosts(const struct relay_walk *w, size_t *n)
{
	const struct dane_walk *dw = w->run->rp->tls == RELAY_TLS_DANE ||
	    w->run->rp->tls == RELAY_TLS_AUTO ? w->policy : NULL;

	*n = dw ? dw->n : 0;
	return dw ? dw->h : NULL;
}

void
dane_host_text(const struct dane_host *dh, char *out, size_t outsize)
{
	(void)text_format(out, outsize, "TLSA _%u._tcp.%s: %s%s, %zu record%s",
	    dh->port, dh->base, dns_status_name(dh->ans.status), dh->ans.ad ?
	    " (AD)" : " (no AD)", dh->nrecs, dh->nrecs == 1 ? "" : "s");
}

int
dane_record_text(const struct dane_host *dh, size_t i, char *out,
    size_t outsize)
{
	const struct tls_tlsa *r;
	const char *why;
	char hex[2 * 16 + 1];
	size_t j;

	if (i >= dh->nrecs)
		return -1;
	r = &dh->recs[i];
	why = tls_dane_unusable(r);
	for (j = 0; j < r->len && j < 16; j++)
		(void)text_format(hex + 2 * j, sizeof(hex) - 2 * j, "%02x",
		    r->data[j]);
	hex[2 * j] = '\0';
	(void)text_format(out, outsize, "TLSA %u %u %u %s%s (%zu octets)%s%s",
	    r->usage, r->selector, r->mtype, hex, r->len > 16 ? "..." : "",
	    r->len, why ? ": unusable, " : "", why ? why : "");
	return 0;
}
