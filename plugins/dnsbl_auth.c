/*
 * dnsbl_auth - check_dnsbl_sender --auth (see dnsbl_auth.h).  The states
 * of every result are in the report_*() functions below, one per check:
 *
 *   FCrDNS   pass: a detail; no PTR, or no name back: WARNING
 *   SPF      no record, permerror, +all (authorises everyone), or an
 *            address not authorised (fail, softfail, neutral): WARNING;
 *            pass: a detail; undetermined (ptr, client macros): a detail
 *   DMARC    missing, several records, malformed: WARNING; p=none: a
 *            detail (informational); quarantine or reject: a detail
 *   DKIM     no key, revoked (empty p=), malformed, RSA under 1024 bits:
 *            WARNING; otherwise a detail naming type and size
 *   any      a failed lookup: --error-result; no answer by the deadline:
 *            --timeout-result
 */
#include <config.h>

#include "plugins/dnsbl_auth.h"
#include "core/perfdata.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits */
#define DNSBL_AUTH_MIN_RSA 1024

/* What one report counted, per class (perfdata and the summary). */
struct dnsbl_auth {
	struct plugin *p;
	struct auth *auth;
	enum state error_state;
	const char *domain;
	unsigned fcrdns_fail, spf_fail, dmarc_fail, dkim_fail, errors;
};

/* ---- options ------------------------------------------------------------ */

int
dnsbl_auth_option(struct plugin *p, struct dnsbl_auth_opts *o, int c,
    const char *arg)
{
	switch (c) {
	case DNSBL_AUTH_OPT_AUTH:
		o->enabled = true;
		return 1;
	case DNSBL_AUTH_OPT_SELECTOR:
		if (o->nselectors >= AUTH_MAX_SELECTORS)
			return plugin_usage_error(p, "too many --dkim-selector "
			    "options (at most %d)", AUTH_MAX_SELECTORS);
		if (auth_selector_normalize(arg, o->selectors[o->nselectors],
		    AUTH_SELECTOR_MAX) < 0)
			return plugin_usage_error(p, "invalid --dkim-selector "
			    "'%s': not a DNS name of at most %d characters",
			    arg, AUTH_SELECTOR_MAX - 1);
		o->nselectors++;
		return 1;
	default:
		return 0;
	}
}

int
dnsbl_auth_check(struct plugin *p, const struct dnsbl_auth_opts *o,
    const char *sender)
{
	if (o->nselectors > 0 && !o->enabled)
		return plugin_usage_error(p, "--dkim-selector '%s' needs "
		    "--auth", o->selectors[0]);
	if (o->nselectors > 0 && sender == NULL)
		return plugin_usage_error(p, "--dkim-selector '%s' needs -S "
		    "(the signing domain)", o->selectors[0]);
	return 0;
}

void
dnsbl_auth_help(void)
{
	printf(" --auth\n    Also check the sender's standing as receivers do: "
	    "FCrDNS of every\n    sending address (PTR, and the name back "
	    "to the address), and with -S\n    the SPF result for each "
	    "address, the SPF record's limits and +all,\n    and the "
	    "domain's DMARC record (or its organizational domain's).\n"
	    "    With -H and -S together, the -H addresses are the "
	    "sending addresses\n"
	    " --dkim-selector=SELECTOR\n    With --auth and -S: check the "
	    "DKIM key SELECTOR._domainkey.DOMAIN\n    (v=DKIM1, a key in p=, "
	    "its type and size); repeatable\n");
}

const struct auth_config *
dnsbl_auth_config(const struct dnsbl_auth_opts *o, const char *sender,
    struct auth_config *cfg, const char **sel)
{
	size_t i;

	if (!o->enabled)
		return NULL;
	memset(cfg, 0, sizeof(*cfg));
	cfg->domain = sender;
	for (i = 0; i < o->nselectors; i++)
		sel[i] = o->selectors[i];
	cfg->selectors = sel;
	cfg->nselectors = o->nselectors;
	return cfg;
}

/* ---- the report ---------------------------------------------------------- */

/* A finding of a class: a WARNING, counted for perfdata and summary. */
static void dnsbl_auth_warn(struct dnsbl_auth *a, unsigned *count,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
dnsbl_auth_warn(struct dnsbl_auth *a, unsigned *count, const char *fmt, ...)
{
	char text[1200];
	va_list ap;

	(*count)++;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	plugin_finding(a->p, STATE_WARNING, "%s", text);
}

/* A lookup that failed: --timeout-result when out of time, else
 * --error-result. */
static void
dnsbl_auth_error(struct dnsbl_auth *a, bool timeout, const char *what,
    const char *why)
{
	a->errors++;
	plugin_finding(a->p, timeout ? options_timeout_state(a->p) :
	    a->error_state, "%s: %s", what, why);
}

static void
report_fcrdns(struct dnsbl_auth *a)
{
	struct fcrdns *f = auth_fcrdns(a->auth);
	size_t i, k;

	for (i = 0; i < fcrdns_count(f); i++) {
		const struct fcrdns_addr *x = fcrdns_get(f, i);
		char names[600] = "", what[80];
		size_t used = 0;

		for (k = 0; k < x->nnames; k++) {
			const struct fcrdns_name *n = &x->names[k];
			int w;

			if (x->result == FCRDNS_PASS && !n->matches)
				continue;
			if (x->result == FCRDNS_PASS || n->addrs[0] != '\0')
				w = snprintf(names + used, sizeof(names) - used,
				    "%s%s%s%s", used ? ", " : "", n->name,
				    n->matches ? "" : " -> ", n->matches ? "" :
				    n->addrs);
			else
				w = snprintf(names + used, sizeof(names) - used,
				    "%s%s (%s)", used ? ", " : "", n->name,
				    n->done ? auth_status_name(n->status) :
				    "no answer");
			if (w > 0 && (size_t)w < sizeof(names) - used)
				used += (size_t)w;
			if (x->result == FCRDNS_PASS)
				break;
		}
		switch (x->result) {
		case FCRDNS_PASS:
			plugin_detail(a->p, "%s: FCrDNS pass (%s)", x->text,
			    names);
			break;
		case FCRDNS_PERMERROR:
			dnsbl_auth_warn(a, &a->fcrdns_fail, "%s: no PTR "
			    "record (FCrDNS fails: %s)", x->text,
			    auth_status_name(x->ptr_status));
			break;
		case FCRDNS_FAIL:
			dnsbl_auth_warn(a, &a->fcrdns_fail, "%s: FCrDNS "
			    "mismatch: no PTR name resolves back to it (PTR %s)"
			    "%s", x->text, names, x->nptr > x->nnames ?
			    "; more PTR names not followed" : "");
			break;
		case FCRDNS_TEMPERROR:
			snprintf(what, sizeof(what), "%s: FCrDNS incomplete",
			    x->text);
			dnsbl_auth_error(a, x->timeout, what, !x->ptr_done ?
			    "no PTR answer" : x->ptr_status != DNS_OK ?
			    auth_status_name(x->ptr_status) : names);
			break;
		}
	}
}

static void
spf_where(const struct spf_eval_verdict *v, char *out, size_t size)
{
	if (v->term[0] != '\0')
		snprintf(out, size, "%s in %s", v->term, v->domain);
	else
		snprintf(out, size, "the record of %s", v->domain);
}

static void
report_spf(struct dnsbl_auth *a)
{
	const struct spf_eval *e = auth_spf(a->auth);
	struct fcrdns *f = auth_fcrdns(a->auth);
	struct spf_eval_verdict worst, v;
	char where[700], what[400];
	size_t i;

	if (e == NULL)
		return;
	/* the walk of a client that no term lists: limits and +all */
	spf_eval_check(e, AF_INET, NULL, &worst);
	switch (worst.result) {
	case SPF_EVAL_NONE:
		dnsbl_auth_warn(a, &a->spf_fail, "SPF: %s publishes no SPF "
		    "record", a->domain);
		return;
	case SPF_EVAL_TEMPERROR:
		snprintf(what, sizeof(what), "SPF of %s not evaluated",
		    a->domain);
		dnsbl_auth_error(a, worst.timeout, what, worst.why);
		return;
	case SPF_EVAL_PERMERROR:
		spf_where(&worst, where, sizeof(where));
		dnsbl_auth_warn(a, &a->spf_fail, "SPF permerror for %s: %s "
		    "(%s)", a->domain, worst.why, where);
		break;
	case SPF_EVAL_PASS:
		spf_where(&worst, where, sizeof(where));
		dnsbl_auth_warn(a, &a->spf_fail, "SPF of %s authorises "
		    "every address (%s)", a->domain, where);
		break;
	default:
		plugin_verbose(a->p, 1, "SPF of %s for a client it does not "
		    "list: %s, %u DNS-querying term(s), %u void lookup(s)",
		    a->domain, spf_eval_result_name(worst.result),
		    worst.lookups, worst.voids);
		break;
	}
	for (i = 0; i < fcrdns_count(f); i++) {
		const struct fcrdns_addr *x = fcrdns_get(f, i);

		spf_eval_check(e, x->family, x->addr, &v);
		spf_where(&v, where, sizeof(where));
		switch (v.result) {
		case SPF_EVAL_PASS:
			plugin_detail(a->p, "%s: SPF pass for %s (%s)", x->text,
			    a->domain, where);
			break;
		case SPF_EVAL_FAIL:
		case SPF_EVAL_SOFTFAIL:
		case SPF_EVAL_NEUTRAL:
			dnsbl_auth_warn(a, &a->spf_fail, "%s is not "
			    "authorised by the SPF record of %s: %s (%s)",
			    x->text, a->domain, spf_eval_result_name(v.result),
			    where);
			break;
		case SPF_EVAL_PERMERROR:
			/* the same error as the record's: said once above */
			if (worst.result == SPF_EVAL_PERMERROR &&
			    strcmp(worst.why, v.why) == 0)
				break;
			dnsbl_auth_warn(a, &a->spf_fail, "%s: SPF "
			    "permerror for %s: %s (%s)", x->text, a->domain,
			    v.why, where);
			break;
		case SPF_EVAL_TEMPERROR:
			snprintf(what, sizeof(what), "%s: SPF of %s not "
			    "evaluated", x->text, a->domain);
			dnsbl_auth_error(a, v.timeout, what, v.why);
			break;
		case SPF_EVAL_UNDETERMINED:
		case SPF_EVAL_NONE:
			plugin_detail(a->p, "%s: SPF for %s not evaluated: %s "
			    "(%s)", x->text, a->domain, v.why, where);
			break;
		}
	}
}

static void
report_dmarc(struct dnsbl_auth *a)
{
	struct dmarc_lookup *l = auth_dmarc(a->auth);
	const struct dmarc_result *r;
	char what[400];

	if (l == NULL)
		return;
	r = dmarc_lookup_result(l);
	switch (r->status) {
	case DMARC_FOUND:
		/* RFC 7489 §6.3: p=none asks for reports, no policy */
		plugin_detail(a->p, "DMARC of %s: p=%s%s%s%s%s at %s%s",
		    a->domain, dmarc_policy_name(r->rec.p),
		    r->rec.sp != r->rec.p ? " sp=" : "",
		    r->rec.sp != r->rec.p ? dmarc_policy_name(r->rec.sp) : "",
		    r->rec.p_assumed ? " (p= missing or invalid: taken as "
		    "none, RFC 7489 section 6.6.3)" : "",
		    r->rec.p == DMARC_P_NONE ? " (monitoring only: "
		    "receivers apply no policy)" : "", r->name,
		    r->at_org ? " (the organizational domain)" : "");
		break;
	case DMARC_MISSING:
		dnsbl_auth_warn(a, &a->dmarc_fail, "DMARC: no record for "
		    "%s (none at %s, nor at its organizational domain)",
		    a->domain, r->name);
		break;
	case DMARC_MULTIPLE:
		dnsbl_auth_warn(a, &a->dmarc_fail, "DMARC: several records "
		    "at %s: receivers apply none (RFC 7489 section 6.6.3)",
		    r->name);
		break;
	case DMARC_MALFORMED:
		dnsbl_auth_warn(a, &a->dmarc_fail, "DMARC: malformed record "
		    "at %s: %s", r->name, r->err);
		break;
	case DMARC_TEMPERROR:
		snprintf(what, sizeof(what), "DMARC of %s not known",
		    a->domain);
		dnsbl_auth_error(a, r->dns == DNS_TIMEOUT, what,
		    auth_status_name(r->dns));
		break;
	}
}

static void
report_dkim(struct dnsbl_auth *a)
{
	size_t i;

	for (i = 0; i < auth_dkim_count(a->auth); i++) {
		const struct auth_dkim *k = auth_dkim_get(a->auth, i);
		char what[400];

		if (!k->done || (k->status != DNS_OK &&
		    k->status != DNS_NODATA && k->status != DNS_NXDOMAIN)) {
			snprintf(what, sizeof(what), "DKIM key %s not known",
			    k->name);
			dnsbl_auth_error(a, !k->done || k->status ==
			    DNS_TIMEOUT, what, k->done ?
			    auth_status_name(k->status) : "no answer");
			continue;
		}
		if (k->nrecords == 0) {
			dnsbl_auth_warn(a, &a->dkim_fail, "DKIM: no key at %s "
			    "(%s)", k->name, k->status == DNS_OK ? "NODATA" :
			    auth_status_name(k->status));
		} else if (!k->parsed) {
			dnsbl_auth_warn(a, &a->dkim_fail, "DKIM: malformed "
			    "key record at %s: %s", k->name, k->err);
		} else if (k->key.revoked) {
			dnsbl_auth_warn(a, &a->dkim_fail, "DKIM: the key at "
			    "%s is revoked (empty p=, RFC 6376 section 3.6.1)",
			    k->name);
		} else if (k->key.type == DKIM_RSA &&
		    k->key.bits < DNSBL_AUTH_MIN_RSA) {
			dnsbl_auth_warn(a, &a->dkim_fail, "DKIM: the key at "
			    "%s is RSA %u bits, under %d (RFC 8301 section "
			    "3.2)",
			    k->name, k->key.bits, DNSBL_AUTH_MIN_RSA);
		} else if (k->key.bits > 0) {
			plugin_detail(a->p, "DKIM key %s: %s %u bits%s",
			    k->name, k->key.type_text, k->key.bits,
			    k->key.testing ? ", testing (t=y)" : "");
		} else {
			plugin_detail(a->p, "DKIM key %s: type %s (size not "
			    "known)", k->name, k->key.type_text);
		}
	}
}

static void
report_perf(struct dnsbl_auth *a)
{
	static const char *const labels[] = {
		"fcrdns_fail", "spf_fail", "dmarc_fail", "dkim_fail",
		"auth_errors"
	};
	const unsigned values[] = {
		a->fcrdns_fail, a->spf_fail, a->dmarc_fail, a->dkim_fail,
		a->errors
	};
	struct perfdata pd;
	size_t i;

	memset(&pd, 0, sizeof(pd));
	pd.has_min = true;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		pd.label = labels[i];
		pd.value = values[i];
		plugin_perf(a->p, &pd);
	}
}

/* "1 FCrDNS, 2 SPF": the classes with problems, for the summary */
static void
summary_part(char *text, size_t size, size_t *used, unsigned n,
    const char *name)
{
	int w;

	if (n == 0)
		return;
	w = snprintf(text + *used, size - *used, "%s%u %s", *used ? ", " : "",
	    n, name);
	if (w > 0 && (size_t)w < size - *used)
		*used += (size_t)w;
}

void
dnsbl_auth_report(struct plugin *p, struct auth *auth, enum state error_state,
    bool timed_out)
{
	struct dnsbl_auth st, *a = &st;
	char text[200] = "";
	size_t used = 0;

	if (auth == NULL)
		return;
	memset(&st, 0, sizeof(st));
	st.p = p;
	st.auth = auth;
	st.error_state = error_state;
	st.domain = auth_domain(auth);
	if (timed_out)
		plugin_finding(p, options_timeout_state(p), "deadline of %gs "
		    "reached during the sender checks (--auth); what answered "
		    "stands", options_timeout(p));
	report_fcrdns(a);
	report_spf(a);
	report_dmarc(a);
	report_dkim(a);
	summary_part(text, sizeof(text), &used, a->fcrdns_fail, "FCrDNS");
	summary_part(text, sizeof(text), &used, a->spf_fail, "SPF");
	summary_part(text, sizeof(text), &used, a->dmarc_fail, "DMARC");
	summary_part(text, sizeof(text), &used, a->dkim_fail, "DKIM");
	if (used > 0)
		plugin_summary_append(a->p, "; sender checks: %s problem(s)",
		    text);
	report_perf(a);
}
