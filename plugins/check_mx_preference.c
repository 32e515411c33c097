/*
 * check_mx_preference - is a domain's MX set sane and in the order its
 * owner meant?  The look a mail admin takes with "nslookup -type=mx",
 * made exact.  One call into lib/mail (mail/mx_audit) finds the hosts a
 * sender would use (RFC 5321 §5.1) in two resolver round trips and, with
 * --connect, reads every address's greeting at once (with --mta-sts, also
 * the MTA-STS policy and TLS-RPT record: mail/sts_check); the facts come from
 * mail/mx_facts; judge() below maps them to states through one table
 * (verdicts[]), and the report prints them in mail/mx_report's words.
 */
#include <config.h>

#include "mail/mx_audit.h"
#include "mail/mx_facts.h"
#include "mail/mx_greeting.h"
#include "mail/mx_report.h"
#include "mail/sts_facts.h"
#include "mail/sts_outcome.h"
#include "mail/trap.h"
#include "net/addr.h"
#include "core/perfdata.h"
#include "core/options.h"
#include "core/plugin.h"
#include "core/text.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXPECT 32		/* -P globs and -E records */
#define MAX_PROBES 128		/* addresses probed by --connect */
#define DEFAULT_PORT 25

static const char usage[] =
    "Usage: check_mx_preference -D DOMAIN [-s DNS[:PORT]]... [-t SECS]\n"
    "    [--timeout-result STATE] [-4|-6] [-v]... [-P GLOB[,GLOB...]]\n"
    "    [-E 'PREF HOST[,PREF HOST...]'] [--trap GLOB]... [--no-builtin-traps]\n"
    "    [--list-traps] [-w RANGE] [-c RANGE] [--connect [-p PORT]]\n"
    "    [--expect-null] [--allow-implicit] [--allow-private] [--require-dnssec]\n"
    "    [--mta-sts [--cafile FILE]]";

enum {
	OPT_TRAP = OPTIONS_OPT_LAST, OPT_NO_BUILTIN, OPT_LIST_TRAPS,
	OPT_CONNECT, OPT_EXPECT_NULL, OPT_ALLOW_IMPLICIT, OPT_ALLOW_PRIVATE,
	OPT_REQUIRE_DNSSEC, OPT_MTA_STS, OPT_CAFILE
};

/* The parsed command line: the only state that outlives a function. */
struct opts {
	char domain[MX_NAME_MAX];
	bool unicode;
	const char *primary_arg;
	char primary[MAX_EXPECT][MX_NAME_MAX];
	size_t nprimary;
	struct mx_rec expect[MAX_EXPECT];
	size_t nexpect;
	struct trap_set traps;
	bool list_traps, connect, expect_null, allow_implicit;
	bool allow_private, require_dnssec, port_set;
	long port;
	bool mta_sts;
	const char *cafile;	/* --cafile: the policy fetch's trust store */
};

/* ---- the judgement table ------------------------------------------------ */

enum verdict {
	V_TIMEOUT, V_NXDOMAIN, V_MX_FAILED, V_NOTHING, V_NULL_MX,
	V_NULL_REAL, V_NULL_MIXED, V_NO_USABLE, V_TRAP_PRIMARY,
	V_EXPECT_PRIMARY, V_EXPECT_MX, V_USABLE_CRIT, V_NOBODY_ANSWERS,
	V_NOT_VALIDATED,
	V_IMPLICIT, V_CNAME, V_LITERAL, V_NOADDR, V_PRIVATE, V_USABLE_WARN,
	V_PRIMARY_DOWN, V_BACKUP_DOWN, V_TRAP_GREETS, V_TRAP_EARLY,
	V_DUPLICATE,
	V_NULL_EXPECTED, V_IMPLICIT_ALLOWED, V_TRAP_EXPECTED,
	V_STS_NO_MATCH, V_STS_UNCOVERED, V_STS_UNUSABLE, V_STS_DNS,
	V_STS_SHORT, V_TLSRPT_BAD, V_STS_LOCAL, V_NVERDICTS
};

/*
 * What each finding means for the service.  Timeout takes its state from
 * --timeout-result; "allowed"/"expected" findings are named so nobody
 * chases them, without raising the state.
 */
static const struct {
	enum state state;
	const char *what;
} verdicts[V_NVERDICTS] = {
	[V_TIMEOUT] = { STATE_CRITICAL, "timeout" },
	[V_NXDOMAIN] = { STATE_CRITICAL, "domain does not exist" },
	[V_MX_FAILED] = { STATE_CRITICAL, "MX lookup failed" },
	[V_NOTHING] = { STATE_CRITICAL, "no MX and no address" },
	[V_NULL_MX] = { STATE_CRITICAL, "null MX" },
	[V_NULL_REAL] = { STATE_CRITICAL, "real MX where a null MX was "
	    "expected" },
	[V_NULL_MIXED] = { STATE_CRITICAL, "null MX mixed with other MX" },
	[V_NO_USABLE] = { STATE_CRITICAL, "no usable MX host" },
	[V_TRAP_PRIMARY] = { STATE_CRITICAL, "trap at the lowest preference" },
	[V_EXPECT_PRIMARY] = { STATE_CRITICAL, "unexpected primary" },
	[V_EXPECT_MX] = { STATE_CRITICAL, "MX set differs" },
	[V_USABLE_CRIT] = { STATE_CRITICAL, "usable count" },
	[V_NOBODY_ANSWERS] = { STATE_CRITICAL, "no MX host answers 220" },
	[V_NOT_VALIDATED] = { STATE_CRITICAL, "not DNSSEC-validated" },
	[V_IMPLICIT] = { STATE_WARNING, "implicit MX" },
	[V_CNAME] = { STATE_WARNING, "MX target is a CNAME" },
	[V_LITERAL] = { STATE_WARNING, "MX target is an IP literal" },
	[V_NOADDR] = { STATE_WARNING, "MX target without address" },
	[V_PRIVATE] = { STATE_WARNING, "non-public address" },
	[V_USABLE_WARN] = { STATE_WARNING, "usable count" },
	[V_PRIMARY_DOWN] = { STATE_WARNING, "primary not accepting" },
	[V_BACKUP_DOWN] = { STATE_WARNING, "backup not accepting" },
	[V_TRAP_GREETS] = { STATE_OK, "trap greets" },
	[V_TRAP_EARLY] = { STATE_WARNING, "trap before a real backup" },
	[V_DUPLICATE] = { STATE_WARNING, "duplicate MX target" },
	[V_NULL_EXPECTED] = { STATE_OK, "null MX, as expected" },
	[V_IMPLICIT_ALLOWED] = { STATE_OK, "implicit MX (allowed)" },
	[V_TRAP_EXPECTED] = { STATE_OK, "trap" },
	/* RFC 8461 §5.1: under enforce, STS senders skip unmatched hosts */
	[V_STS_NO_MATCH] = { STATE_CRITICAL, "MTA-STS enforce policy matches "
	    "no MX host" },
	[V_STS_UNCOVERED] = { STATE_WARNING, "MX host not in the MTA-STS "
	    "policy" },
	/* §3.1-3.3: senders then act as if there were no policy */
	[V_STS_UNUSABLE] = { STATE_WARNING, "MTA-STS announced but unusable" },
	[V_STS_DNS] = { STATE_WARNING, "MTA-STS lookup failed" },
	[V_STS_SHORT] = { STATE_WARNING, "MTA-STS max_age under a day" },
	[V_TLSRPT_BAD] = { STATE_WARNING, "TLS-RPT record unusable" },
	/* ours (libcurl missing, a setup failure): not the domain's */
	[V_STS_LOCAL] = { STATE_UNKNOWN, "MTA-STS not checked" },
};

/* ---- one run ------------------------------------------------------------ */

struct run {
	struct plugin *p;
	const struct opts *o;
	struct mx_audit a;	/* the set, the probes, what came back */
};

static void
verdict(struct run *r, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
verdict(struct run *r, enum verdict v, const char *fmt, ...)
{
	enum state s = v == V_TIMEOUT ? options_timeout_state(r->p) :
	    verdicts[v].state;
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	plugin_finding(r->p, s, "%s: %s: %s", state_name(s), verdicts[v].what,
	    text);
	/* a timeout heads the summary: it explains everything missing */
	plugin_head_offer(r->p, s, v == V_TIMEOUT, "%s: %s", verdicts[v].what,
	    text);
}

/* The at-th host in output order (preference, then name). */
static bool
host_at(const struct run *r, size_t at, size_t *i)
{
	if (at >= r->a.set.nhosts)
		return false;
	*i = r->a.order[at];
	return true;
}

/* -vvv: each probe's way (mail/mx_probe reports, the plugin prints). */
static void
on_probe_state(void *arg, const struct mx_probe *pr, enum mx_probe_state from)
{
	struct run *r = arg;
	const struct mx_host *h = &r->a.set.hosts[pr->host];

	plugin_verbose(r->p, 3, "probe %s [%s]: %s -> %s", h->name,
	    h->res.addrs[pr->addr].text, mx_greeting_state_name(from),
	    mx_greeting_state_name(pr->st));
}

static int
run_audit(struct run *r)
{
	struct mx_audit_params par;
	struct sts_params sts;
	char err[256];

	memset(&par, 0, sizeof(par));
	par.domain = r->o->domain;
	par.family = options_family(r->p);
	par.timeout = options_timeout(r->p);
	par.servers = options_dns_servers(r->p, &par.nservers);
	par.traps = &r->o->traps;
	par.connect = r->o->connect;
	par.port = (unsigned)r->o->port;
	par.max_probes = MAX_PROBES;
	par.trace = on_probe_state;
	par.arg = r;
	memset(&sts, 0, sizeof(sts));
	sts.cafile = r->o->cafile;
	sts.family = par.family;
	sts.fetch_timeout = par.timeout * 0.8;	/* a verdict, not the deadline */
	par.sts = r->o->mta_sts ? &sts : NULL;
	if (mx_audit_run(&r->a, &par, err, sizeof(err)) < 0)
		return plugin_usage_error(r->p, "%s", err);
	return 0;
}

/* ---- judging ------------------------------------------------------------ */
static void
judge_targets(struct run *r)
{
	const struct mx_set *s = &r->a.set;
	unsigned lowest = 0, lowest_real = 0;
	unsigned highest_real = mx_facts_highest_real(s);
	bool any_real = mx_facts_lowest(s, true, &lowest_real);
	size_t at, i;
	char st[128], list[512];

	mx_facts_lowest(s, false, &lowest);
	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];

		if (h->flags & MX_F_NULL)
			continue;
		if (h->flags & MX_F_DUP)
			verdict(r, V_DUPLICATE, "%s listed more than once",
			    h->name);
		if (h->flags & MX_F_TRAP) {
			if (h->pref == lowest)
				verdict(r, V_TRAP_PRIMARY, "%s (%s) at "
				    "preference %u: real senders try it first",
				    h->name, h->trap, h->pref);
			else if (any_real && h->pref < highest_real)
				verdict(r, V_TRAP_EARLY, "%s (%s) at preference "
				    "%u, before real hosts at up to %u",
				    h->name, h->trap, h->pref, highest_real);
			else
				verdict(r, V_TRAP_EXPECTED, "%s (%s) at "
				    "preference %u, after every real host: "
				    "expected", h->name, h->trap, h->pref);
		}
		if (h->flags & MX_F_CNAME)
			verdict(r, V_CNAME, "%s is an alias of %s (RFC 2181 "
			    "section 10.3)", h->name,
			    h->res.cname ? h->res.cname : "?");
		if (h->flags & MX_F_LITERAL)
			verdict(r, V_LITERAL, "%s at preference %u: an MX "
			    "target must be a host name (RFC 5321 section 5.1)",
			    h->name, h->pref);
		if ((h->flags & MX_F_NOADDR) && !(h->flags & MX_F_IMPLICIT) &&
		    !(h->flags & MX_F_DUP)) {
			mx_facts_dns_status(h, st, sizeof(st));
			verdict(r, V_NOADDR, "%s %s at preference %u has no "
			    "address (%s)", h->pref == lowest ? "primary" :
			    "backup", h->name, h->pref, st);
		}
		if (r->o->allow_private || (h->flags & MX_F_DUP))
			continue;
		if (mx_facts_nonpublic(h, list, sizeof(list)) > 0)
			verdict(r, V_PRIVATE, "%s resolves to %s", h->name,
			    list);
	}
}

static void
judge_expectations(struct run *r)
{
	const struct opts *o = r->o;
	const struct mx_set *s = &r->a.set;
	char ws[1024], gs[1024];
	unsigned lowest;

	if (o->nprimary > 0 && mx_facts_lowest(s, false, &lowest)) {
		char found[512];

		mx_facts_primaries(s, r->a.order, true, found, sizeof(found));
		if (!mx_facts_primaries_match(s, o->primary, o->nprimary))
			verdict(r, V_EXPECT_PRIMARY, "expected %s, found %s "
			    "(preference %u)", o->primary_arg, found, lowest);
	} else if (o->nprimary > 0) {
		verdict(r, V_EXPECT_PRIMARY, "expected %s, found no MX host",
		    o->primary_arg);
	}
	if (o->nexpect > 0 && !mx_facts_expect_mx(s, o->expect, o->nexpect,
	    ws, gs, sizeof(ws)))
		verdict(r, V_EXPECT_MX, "expected %s; found %s", ws, gs);
}

static void
judge_dnssec(struct run *r)
{
	char list[512];

	if (r->o->require_dnssec && mx_facts_unvalidated(&r->a.set, r->a.order,
	    list, sizeof(list)) > 0)
		verdict(r, V_NOT_VALIDATED, "answers without the AD bit: %s",
		    list);
}

static size_t
judge_connect(struct run *r)
{
	const struct mx_set *s = &r->a.set;
	const struct mx_probes *ps = &r->a.probes;
	size_t at, i, reachable = 0, real = 0;
	unsigned primary = 0;
	bool primary_up = false, any_real = mx_facts_lowest(s, true, &primary);
	char why[1024];

	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];

		if ((h->flags & (MX_F_DUP | MX_F_NULL)) || h->res.naddrs == 0)
			continue;
		if (h->flags & MX_F_TRAP) {
			/*
			 * A trap refuses mail, not connections: it may well
			 * greet with 220 and refuse at MAIL or RCPT, and a
			 * greeting accepts no mail.  Named, never alarmed.
			 */
			if (mx_greeting_accepting(ps, i))
				verdict(r, V_TRAP_GREETS, "%s (%s) answers 220; "
				    "a greeting accepts no mail, a trap refuses "
				    "at MAIL or RCPT", h->name, h->trap);
			continue;
		}
		real++;
		if (mx_greeting_accepting(ps, i)) {
			reachable++;
			if (h->pref == primary)
				primary_up = true;
		}
	}
	if (real == 0 || !any_real)
		return reachable;
	if (reachable == 0) {
		verdict(r, V_NOBODY_ANSWERS, "none of %zu MX host%s answers "
		    "220 on port %ld", real, real == 1 ? "" : "s", r->o->port);
		return reachable;
	}
	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];

		if ((h->flags & (MX_F_DUP | MX_F_NULL | MX_F_TRAP)) ||
		    h->res.naddrs == 0 || mx_greeting_accepting(ps, i))
			continue;
		why[0] = '\0';
		mx_report_outcomes(&r->a, i, false, why, sizeof(why));
		if (h->pref == primary && !primary_up)
			verdict(r, V_PRIMARY_DOWN, "%s (%s); mail goes to a "
			    "backup", h->name, why);
		else if (h->pref != primary)
			verdict(r, V_BACKUP_DOWN, "%s at preference %u (%s)",
			    h->name, h->pref, why);
	}
	return reachable;
}

/* The MX answer itself: does the domain take mail at all? */
static bool
judge_answer(struct run *r)
{
	const struct mx_set *s = &r->a.set;
	const struct opts *o = r->o;

	switch (s->mx_status) {
	case DNS_OK:
	case DNS_NODATA:
		break;
	case DNS_NXDOMAIN:
		verdict(r, V_NXDOMAIN, "%s: NXDOMAIN", s->domain);
		return false;
	default:
		verdict(r, V_MX_FAILED, "MX %s: %s", s->domain,
		    mx_facts_status_name(s));
		return false;
	}
	if (s->implicit) {
		if (s->hosts[0].res.naddrs == 0) {
			char st[128];

			mx_facts_dns_status(&s->hosts[0], st, sizeof(st));
			verdict(r, V_NOTHING, "%s has neither MX nor address "
			    "(%s)", s->domain, st);
			return false;
		}
		verdict(r, o->allow_implicit ? V_IMPLICIT_ALLOWED : V_IMPLICIT,
		    "no MX records: mail goes to %s's own address "
		    "(RFC 5321 section 5.1)", s->domain);
	}
	if (s->null_mx) {
		if (o->expect_null)
			verdict(r, V_NULL_EXPECTED, "%s accepts no mail "
			    "(RFC 7505)", s->domain);
		else
			verdict(r, V_NULL_MX, "%s publishes MX 0 . and "
			    "accepts no mail (RFC 7505)", s->domain);
		return false;
	}
	if (s->null_mixed)
		verdict(r, V_NULL_MIXED, "\".\" beside %zu other record%s "
		    "(RFC 7505 section 3 allows it only alone)", s->nrecords - 1,
		    s->nrecords == 2 ? "" : "s");
	if (o->expect_null)
		verdict(r, V_NULL_REAL, "--expect-null, but %s has %zu MX "
		    "record%s", s->domain, s->nrecords, s->nrecords == 1 ?
		    "" : "s");
	return true;
}

static void
judge_timeout(struct run *r)
{
	char text[1200];

	mx_report_timeout(&r->a, options_timeout(r->p), text, sizeof(text));
	verdict(r, V_TIMEOUT, "%s", text);
}

/* MTA-STS beside the MX set (RFC 8461 §4.1, §5.1) and TLS-RPT (RFC 8460
 * §3): which usable hosts an STS sender would skip. */
static void
judge_sts(struct run *r)
{
	const struct sts_check *c = &r->a.sts;
	const struct mx_set *s = &r->a.set;
	struct sts_cover cv;
	char pol[1024], rpt[600], line[2400];
	size_t k;

	if (c->outcome == STS_PENDING && r->a.timed_out)
		verdict(r, V_TIMEOUT, "after %gs still waiting for the MTA-STS "
		    "%s", options_timeout(r->p), c->fetch_pending ?
		    "policy fetch" : "lookups");
	else if (c->outcome == STS_DNS_FAILED)
		verdict(r, V_STS_DNS, "%s", c->why);
	else if (c->outcome == STS_FETCH_FAILED &&
	    c->fetch_fail == HTTPS_E_LOCAL)
		verdict(r, V_STS_LOCAL, "%s", c->why);
	else if (c->outcome != STS_USABLE && c->outcome != STS_ABSENT &&
	    c->outcome != STS_PENDING)
		verdict(r, V_STS_UNUSABLE, "%s; senders act as if there were "
		    "no policy (%s)", c->why, sts_outcome_name(c));
	sts_facts_cover(c, s, r->a.order, &cv);
	sts_outcome_describe(c, pol, sizeof(pol));
	if (cv.judged && cv.matched == 0 && cv.hosts > 0 &&
	    sts_outcome_enforced(c))
		verdict(r, V_STS_NO_MATCH, "the policy (%s) matches none of "
		    "%zu MX host%s: STS senders will not deliver", pol,
		    cv.hosts, cv.hosts == 1 ? "" : "s");
	for (k = 0; k < cv.nuncovered && (cv.matched > 0 ||
	    !sts_outcome_enforced(c)); k++) {
		const struct mx_host *h = &s->hosts[cv.uncovered[k]];

		verdict(r, V_STS_UNCOVERED, "%s %s (%u) matches no mx pattern: "
		    "STS senders %s it", h->pref == cv.lowest ? "primary" :
		    "backup", h->name, h->pref, sts_outcome_enforced(c) ?
		    "skip" : "would skip");
	}
	if (sts_outcome_enforced(c) && c->policy.max_age < 86400)
		verdict(r, V_STS_SHORT, "max_age %lds in mode enforce: senders "
		    "forget the policy within a day", c->policy.max_age);
	sts_facts_policy(c, &cv, s->domain, line, sizeof(line));
	if (line[0] != '\0')
		plugin_detail(r->p, "%s", line);
	if (c->rpt == RPT_INVALID || c->rpt == RPT_SEVERAL ||
	    c->rpt == RPT_DNS_FAILED)
		verdict(r, V_TLSRPT_BAD, "_smtp._tls.%s: %s", s->domain,
		    c->rpt_why);
	sts_facts_tlsrpt(c, s->domain, rpt, sizeof(rpt));
	if (rpt[0] != '\0')
		plugin_detail(r->p, "TLS-RPT: %s", rpt);
}

/* Every finding, in the order of the checks; the usable count. */
static size_t
judge(struct run *r, size_t *reachable)
{
	const struct mx_set *s = &r->a.set;
	const struct range_thresholds *thr = options_thresholds(r->p);
	size_t usable;
	bool hosts;
	enum state ts;
	char text[300];

	*reachable = 0;
	if (r->a.timed_out && !r->a.dns_done) {
		judge_timeout(r);
		return 0;
	}
	hosts = judge_answer(r);
	usable = mx_facts_usable(s);
	if (hosts) {
		judge_targets(r);
		mx_report_no_usable(&r->a, options_family(r->p), text,
		    sizeof(text));
		if (usable == 0)
			verdict(r, V_NO_USABLE, "%s", text);
		ts = range_thresholds_check(thr, (double)usable);
		if (usable > 0 && ts == STATE_CRITICAL)
			verdict(r, V_USABLE_CRIT, "%zu usable outside -c %s",
			    usable, thr->crit.text);
		else if (usable > 0 && ts == STATE_WARNING)
			verdict(r, V_USABLE_WARN, "%zu usable outside -w %s",
			    usable, thr->warn.text);
	}
	if (s->mx_status == DNS_OK || s->mx_status == DNS_NODATA) {
		judge_expectations(r);
		judge_dnssec(r);
	}
	if (r->o->connect && hosts && usable > 0)
		*reachable = judge_connect(r);
	if (r->o->mta_sts && hosts)
		judge_sts(r);
	if (r->a.timed_out)
		judge_timeout(r);
	return usable;
}
static void
summary(struct run *r, size_t usable)
{
	const struct mx_set *s = &r->a.set;
	char prim[600];

	mx_report_primary(&r->a, prim, sizeof(prim));
	if (!r->a.dns_done)
		plugin_summary(r->p, "%s: %s", s->domain, plugin_head(r->p));
	else if (plugin_head(r->p)[0] != '\0')
		plugin_summary(r->p, "%s: %s; %zu MX, %zu usable%s",
		    s->domain, plugin_head(r->p), s->nrecords, usable, prim);
	else
		plugin_summary(r->p, "%s: %zu MX, %zu usable%s", s->domain,
		    s->nrecords, usable, prim);
	if (r->o->mta_sts && r->a.sts.outcome != STS_PENDING)
		plugin_summary_append(r->p, ", MTA-STS %s",
		    sts_facts_state(&r->a.sts));
}

/* ---- the report --------------------------------------------------------- */

/* One line per record, by preference then name (DESIGN.md §4). */
static void
details(struct run *r)
{
	const struct mx_set *s = &r->a.set;
	const size_t *idx = r->a.order;
	size_t i;
	char line[2048];

	if (s->mx_cname != NULL)
		plugin_detail(r->p, "%s is an alias of %s", s->domain,
		    s->mx_cname);
	for (i = 0; i < s->nhosts; i++) {
		mx_report_record(&r->a, idx[i], options_verbosity(r->p) >= 2,
		    line, sizeof(line));
		plugin_detail(r->p, "%s", line);
	}
	if (r->a.probes.not_probed > 0)
		plugin_detail(r->p, "%zu addresses not probed (at most %d)",
		    r->a.probes.not_probed, MAX_PROBES);
	if (s->stage > MX_STAGE_MX)
		plugin_verbose(r->p, 2, "MX answer: %s%s after %.1f ms",
		    mx_facts_status_name(s), s->mx_ad ? " (AD)" : "",
		    s->mx_time * 1e3);
	mx_facts_walk(s, line, sizeof(line));
	plugin_verbose(r->p, 3, "walk order (RFC 5321 section 5.1, equal "
	    "preferences shuffled): %s", line);
	plugin_verbose(r->p, 3, "resolver round trips: %u, queries: %lu, DNS "
	    "time %.1f ms", s->rounds, s->queries, s->elapsed * 1e3);
}

/* One perfdata item, minimum 0: a count (uom NULL) or seconds ("s"). */
static void
perf_item(struct plugin *p, const char *label, double v, const char *uom,
    bool unknown, const struct range_thresholds *t)
{
	struct perfdata pd;

	memset(&pd, 0, sizeof(pd));
	pd.label = label;
	pd.value = v;
	pd.uom = uom;
	pd.unknown = unknown;	/* left out */
	pd.has_min = true;
	perfdata_set_thresholds(&pd, t);
	plugin_perf(p, &pd);
}

static void
perf(struct run *r, size_t usable, size_t reachable)
{
	const struct mx_set *s = &r->a.set;
	size_t at, i;
	bool known = r->a.dns_done;

	perf_item(r->p, "mx", (double)s->nrecords, NULL, !known, NULL);
	perf_item(r->p, "usable", (double)usable, NULL, !known,
	    options_thresholds(r->p));
	perf_item(r->p, "traps", (double)mx_facts_traps(s), NULL, !known,
	    NULL);
	perf_item(r->p, "dns_time", s->elapsed, "s", !known, NULL);
	if (r->a.sts.fetched && !r->a.sts.fetch_pending)
		perf_item(r->p, "sts_fetch_time", r->a.sts.fetch_time, "s",
		    false, NULL);
	if (!r->o->connect || !known)
		return;
	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];
		char label[MX_NAME_MAX + 16];
		double best = mx_greeting_best_connect(&r->a.probes, i);

		if ((h->flags & (MX_F_NULL | MX_F_DUP)) || h->res.naddrs == 0)
			continue;
		snprintf(label, sizeof(label), "%s connect_time", h->name);
		perf_item(r->p, label, best, "s", best < 0, NULL);
	}
	perf_item(r->p, "reachable", (double)reachable, NULL, false, NULL);
}

/* ---- options ------------------------------------------------------------ */

static void
help(void)
{
	printf("Checks that a domain's MX records exist, resolve and are in "
	    "the order its\nowner meant: RFC 5321 section 5.1 target "
	    "selection, null MX (RFC 7505),\nimplicit MX, CNAME and "
	    "IP-literal targets, spam-trap hosts, and optionally a\nTCP "
	    "connect and the 220 greeting of every MX address, all at "
	    "once.\n\n%s\n\nOptions:\n", usage);
	options_help_head();
	printf(" -D, --domain=DOMAIN\n"
	    "    The mail domain (Unicode or A-labels, final dot optional)\n"
	    " -P, --expect-primary=GLOB[,GLOB...]\n"
	    "    Every lowest-preference host must match one of these globs\n"
	    " -E, --expect-mx='PREF HOST[,PREF HOST...]'\n"
	    "    The whole MX set must be exactly this ('0 .' is a null MX)\n"
	    " --trap=GLOB\n"
	    "    A host that real senders must never use (repeatable; '*' "
	    "and '?',\n    case-insensitive, matched against the A-label "
	    "name)\n"
	    " --no-builtin-traps\n"
	    "    Do not use the built-in table of provider trap hosts\n"
	    " --list-traps\n"
	    "    Print the trap patterns in use and exit (UNKNOWN, like "
	    "--help)\n"
	    " --connect\n"
	    "    Also connect to every address of every MX host at once and "
	    "read its\n    greeting: a non-220 greeting is \"not accepting\"; "
	    "a trap that greets\n    is named, not judged (a trap refuses "
	    "mail, not connections)\n"
	    " -p, --port=PORT\n"
	    "    Port for --connect (default %d)\n"
	    " --expect-null\n"
	    "    The domain must publish a null MX (MX 0 ., RFC 7505)\n"
	    " --allow-implicit\n"
	    "    No MX, mail to the domain's own address, is OK\n"
	    " --allow-private\n"
	    "    Private, loopback, link-local, ULA and CGNAT addresses are "
	    "OK\n"
	    " --require-dnssec\n"
	    "    Every answer must carry the AD bit of a validating "
	    "resolver\n"
	    " --mta-sts\n"
	    "    Also fetch and judge the MTA-STS policy (RFC 8461) beside "
	    "the MX set:\n    CRITICAL when an enforce policy matches no "
	    "MX host, WARNING when it\n    leaves a usable host uncovered, "
	    "when it is announced but unusable (fetch\n    failed, invalid, "
	    "several TXT records) or max_age is under a day in\n    enforce "
	    "mode; and the TLS-RPT record (RFC 8460): missing is noted,\n"
	    "    malformed is a WARNING\n"
	    " --cafile=FILE\n"
	    "    Trust these CAs for the policy fetch instead of the system "
	    "store\n    (only with --mta-sts)\n", DEFAULT_PORT);
	options_help_tail(true);
	printf("\n");
	printf("The -w and -c ranges judge the number of usable MX hosts "
	    "(non-trap targets\nwith an address of the allowed families); "
	    "the default is -c 1:.  Ranges:\n"
	    "https://www.monitoring-plugins.org/doc/guidelines.html"
	    "#THRESHOLDFORMAT\n\n"
	    "Examples:\n"
	    " check_mx_preference -D example.org -P 'mx1.example.org'\n"
	    "    OK when example.org's lowest-preference MX is "
	    "mx1.example.org\n"
	    " check_mx_preference -D example.org -E '10 mx1.example.org,"
	    "20 mx2.example.org'\n"
	    "    CRITICAL, printing expected and found, unless the MX set "
	    "is exactly that\n"
	    " check_mx_preference -D example.org --trap 'cluster*a.*' "
	    "--connect -w 2:\n"
	    "    Probes every MX; WARNING with fewer than two usable hosts\n"
	    " check_mx_preference -D parked.example --expect-null\n"
	    "    OK only for a null MX\n");
}

static int
list_traps(struct plugin *p, const struct opts *o)
{
	const struct trap_rule *b;
	size_t i, n;

	b = trap_builtin(&n);
	printf("Trap patterns%s:\n", o->traps.no_builtin ?
	    " (built-in table switched off)" : "");
	for (i = 0; i < o->traps.n; i++)
		printf(" %s\n    --trap\n", o->traps.globs[i]);
	for (i = 0; i < n && !o->traps.no_builtin; i++)
		printf(" %s\n    %s: %s\n", b[i].glob, b[i].provider,
		    b[i].why);
	return plugin_printed_own(p);
}

static int
set_domain(struct plugin *p, struct opts *o, const char *arg)
{
	char err[160];
	const unsigned char *c;

	if (mx_facts_domain_parse(arg, o->domain, sizeof(o->domain), err,
	    sizeof(err)) < 0)
		return plugin_usage_error(p, "invalid -D/--domain '%s': %s",
		    arg, err);
	for (c = (const unsigned char *)arg; *c; c++)
		if (*c >= 0x80)
			o->unicode = true;
	return 1;
}

static int
one_option(struct plugin *p, void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	char err[1200];		/* names the bad item, up to 511 octets */

	switch (c) {
	case 'D':
		return set_domain(p, o, arg);
	case 'P':
		o->primary_arg = arg;
		if (mx_facts_globs_parse(arg, o->primary, MAX_EXPECT,
		    &o->nprimary, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --expect-primary "
			    "'%s': %s", arg, err);
		return 1;
	case 'E':
		if (mx_facts_recs_parse(arg, o->expect, MAX_EXPECT, &o->nexpect,
		    err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --expect-mx "
			    "'%s': %s", arg, err);
		return 1;
	case OPT_TRAP:
		if (trap_set_add(&o->traps, arg, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --trap '%s': %s",
			    arg, err);
		return 1;
	case OPT_NO_BUILTIN:
		o->traps.no_builtin = true;
		return 1;
	case OPT_LIST_TRAPS:
		o->list_traps = true;
		return 1;
	case OPT_CONNECT:
		o->connect = true;
		return 1;
	case 'p':
		if (text_parse_long(arg, 1, 65535, &o->port) < 0)
			return plugin_usage_error(p, "invalid -p/--port '%s': "
			    "expected 1-65535", arg);
		o->port_set = true;
		return 1;
	case OPT_EXPECT_NULL:
		o->expect_null = true;
		return 1;
	case OPT_ALLOW_IMPLICIT:
		o->allow_implicit = true;
		return 1;
	case OPT_ALLOW_PRIVATE:
		o->allow_private = true;
		return 1;
	case OPT_REQUIRE_DNSSEC:
		o->require_dnssec = true;
		return 1;
	case OPT_MTA_STS:
		o->mta_sts = true;
		return 1;
	case OPT_CAFILE:
		if (sts_facts_cafile_check(arg, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --cafile '%s': %s",
			    arg, err);
		o->cafile = arg;
		return 1;
	default:
		return 0;
	}
}

static int
parse_options(struct plugin *p, struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		OPTIONS_COMMON_LONGOPTS,
		{ "domain", required_argument, NULL, 'D' },
		{ "expect-primary", required_argument, NULL, 'P' },
		{ "expect-mx", required_argument, NULL, 'E' },
		{ "trap", required_argument, NULL, OPT_TRAP },
		{ "no-builtin-traps", no_argument, NULL, OPT_NO_BUILTIN },
		{ "list-traps", no_argument, NULL, OPT_LIST_TRAPS },
		{ "connect", no_argument, NULL, OPT_CONNECT },
		{ "port", required_argument, NULL, 'p' },
		{ "expect-null", no_argument, NULL, OPT_EXPECT_NULL },
		{ "allow-implicit", no_argument, NULL, OPT_ALLOW_IMPLICIT },
		{ "allow-private", no_argument, NULL, OPT_ALLOW_PRIVATE },
		{ "require-dnssec", no_argument, NULL, OPT_REQUIRE_DNSSEC },
		{ "mta-sts", no_argument, NULL, OPT_MTA_STS },
		{ "cafile", required_argument, NULL, OPT_CAFILE },
		{ NULL, 0, NULL, 0 }
	};

	if (options_getopt(p, argc, argv, "D:P:E:p:", longopts, one_option,
	    o) < 0)
		return -1;
	if (o->list_traps)
		return list_traps(p, o);
	if (o->domain[0] == '\0')
		return plugin_usage_error(p, "missing -D/--domain (see "
		    "%s --help)", plugin_progname(p));
	if (o->port_set && !o->connect)
		return plugin_usage_error(p, "-p/--port %ld is only used with "
		    "--connect", o->port);
	if (o->cafile != NULL && !o->mta_sts)
		return plugin_usage_error(p, "--cafile '%s' is only used with "
		    "--mta-sts", o->cafile);
	return 0;
}

/*
 * All this plugin's defaults, in one place (the config-init): its names
 * for core/plugin, then the options' values before the command line.
 */
static const struct plugin_config config = {
	.progname = "check_mx_preference",
	.label = "MX PREFERENCE",
	.help = help,
	.usage = usage,
	.server_check = addr_server_check,
	.default_crit = "1:",	/* no usable MX host is CRITICAL */
};

static void
config_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	trap_set_init(&o->traps);
	o->port = DEFAULT_PORT;
}

/* Findings, the record lines, perfdata and the summary. */
static void
report(struct run *r)
{
	size_t usable, reachable;

	usable = judge(r, &reachable);
	details(r);
	perf(r, usable, reachable);
	summary(r, usable);
}

int
main(int argc, char **argv)
{
	struct plugin *p;
	struct opts o;
	struct run r;

	p = plugin_start(&config);
	config_init(&o);
	if (parse_options(p, &o, argc, argv) < 0)
		return plugin_finish(p);

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.o = &o;
	if (o.unicode)
		plugin_detail(p, "domain given in Unicode; looked up as %s",
		    o.domain);
	if (run_audit(&r) == 0)
		report(&r);
	mx_audit_release(&r.a);
	return plugin_finish(p);
}
