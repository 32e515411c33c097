/*
 * check_dnsbl_sender - is a sender's address or domain on DNS blocklists,
 * so that receiving filters drop its mail without a bounce?
 *
 * One call into lib/mail (dnsbl_check) runs two DNS phases on one
 * channel: lib/mail/sender finds what the sender sends from (-H names,
 * SPF, the domain's A and MX hosts), then lib/mail/dnsbl_query asks every
 * (target, list) pair and the RFC 5782 §5 controls at once.
 * lib/mail/dnsbl_verdict classifies each answer; judge_one() below maps the
 * classes to states in one table, report_notes() and report_spf() those
 * of discovery.
 */
#include <config.h>

#include "net/addr.h"
#include "mail/dnsbl.h"
#include "mail/dnsbl_verdict.h"
#include "mail/dnsbl_list.h"
#include "mail/dnsbl_check.h"
#include "mail/dnsbl_query.h"
#include "mail/dnsbl_tally.h"
#include "mail/sender.h"
#include "mail/spf_expand.h"
#include "core/perfdata.h"
#include "core/options.h"
#include "core/plugin.h"
#include "plugins/dnsbl_auth.h"
#include "core/text.h"

#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_HOSTS 32
#define SUMMARY_LISTINGS 4
#define DEFAULT_MAX_ADDRESSES 32

enum {
	OPT_NO_SPF = OPTIONS_OPT_LAST, OPT_INCLUDE_MX, OPT_INCLUDE_A,
	OPT_MAX_ADDRESSES, OPT_SELFTEST, OPT_ERROR_RESULT, OPT_NO_TXT,
	OPT_DQS_KEY, OPT_DQS_SUFFIX, OPT_CACHE_DIR
};

/* The parsed options: the only data that lives for the whole run. */
struct opts {
	const char *hosts[MAX_HOSTS];
	size_t nhosts;
	const char *sender;
	struct dnsbl_list lists;
	bool lists_given;
	const char *list_file;		/* without -l, -d and -L */
	bool no_spf, include_mx, include_a, selftest, no_txt;
	long max_addresses;
	enum state error_state;
	const char *dqs_key;		/* a secret: never printed */
	const char *dqs_suffix;
	const char *cache_dir;		/* NULL: no cache */
	struct dnsbl_auth_opts auth;	/* --auth, --dkim-selector */
};

struct run {
	struct plugin *p;
	const struct opts *o;
	struct dnsbl_check c;		/* what the one call brought back */
	const struct sender_target *targets;
	size_t ntargets, naddrs;
	struct dnsbl_query *dq;		/* c.lists */
	const struct dnsbl_zone *zones;
	size_t nzones;
	const struct dnsbl_answer *ans;
	size_t nans;
	char spf_issue[160];	/* the first SPF problem, for the summary */
};
/* ---- options ----------------------------------------------------------- */

static const char usage[] =
    "Usage: check_dnsbl_sender (-H IP|HOST)... | -S DOMAIN|ADDRESS\n"
    "  [-l ZONE[=FILTER|&MASK][*WEIGHT]]... [-d ZONE[...]]... [-L FILE]\n"
    "  [--no-spf] [--include-mx] [--include-a] [--max-addresses N]\n"
    "  [--selftest] [--error-result STATE] [--no-txt] [-w RANGE] [-c RANGE]\n"
    "  [--auth [--dkim-selector SELECTOR]...]\n"
    "  [--dqs-key KEY [--dqs-suffix SUFFIX]] [--cache-dir DIR]\n"
    "  [-s DNS[:PORT]]... [-t SECS] [--timeout-result STATE] [-4|-6] [-v]";

static void
help(void)
{
	printf("Checks whether a sender's addresses or domain are listed on "
	    "DNS blocklists\n(RFC 5782), all lists at once; a list's "
	    "error answers are never taken\nfor listings.\n\n%s\n\n"
	    "Options:\n", usage);
	options_help_head();
	printf(" -H, --host=IP|HOST\n"
	    "    Address to check, or a host name: all its A and AAAA, and the "
	    "name\n    itself on domain lists; repeatable.  An address given "
	    "here is checked\n    even when special-purpose (127.0.0.2 is the "
	    "RFC 5782 test point)\n"
	    " -S, --sender=DOMAIN|ADDRESS\n"
	    "    Sender domain (or the domain of an address): the addresses "
	    "its SPF\n    record authorises, and the domain on domain lists\n"
	    " -l, --list=ZONE[=FILTER|&MASK][*WEIGHT]\n"
	    "    IP blocklist; FILTER in postscreen syntax (127.0.0.2, "
	    "127.0.0.[2..11],\n    127.0.[0..255].[2;4]), &MASK for "
	    "bit-encoded lists (&72 or &0.0.0.72),\n    WEIGHT an integer "
	    "(default 1, negative for allow-lists); repeatable\n"
	    " -d, --domain-list=ZONE[=FILTER|&MASK][*WEIGHT]\n"
	    "    Domain blocklist (RHSBL, DBL, URIBL style); repeatable.  A "
	    "host name is\n    asked as its registered domain (Public Suffix "
	    "List), and as itself\n    too except on URIBL and SURBL\n"
	    " -L, --list-file=FILE\n"
	    "    Lists from a file: lines 'ip SPEC...' or 'domain SPEC...', "
	    "'#' comments.\n    Without -l, -d and -L: %s/dnsbl.lists\n"
	    " --no-spf\n    With -S, do not expand the SPF record\n"
	    " --include-mx\n    With -S, also check the addresses of the "
	    "domain's MX hosts\n"
	    " --include-a\n    With -S, also check the domain's own A and "
	    "AAAA addresses\n"
	    " --max-addresses=N\n    Most addresses checked (default %d); "
	    "SPF ranges larger than what is\n    left are not expanded and "
	    "are reported\n"
	    " --selftest\n    Send all the RFC 5782 section 5 control "
	    "queries per list; a list that\n    fails them is broken (an "
	    "error).  Without it only the positive test\n    point is asked: "
	    "a list that does not list it is broken\n"
	    " --error-result=STATE\n    State for list errors and DNS "
	    "failures (default warning)\n"
	    " --no-txt\n    Do not ask for the TXT reasons\n"
	    " --dqs-key=KEY\n    Spamhaus Data Query Service key: the "
	    "Spamhaus lists (X.spamhaus.org)\n    are asked as "
	    "KEY.X.dq.spamhaus.net.  Never printed; better kept in\n    an "
	    "--extra-opts file than on the command line\n"
	    " --dqs-suffix=SUFFIX\n    With --dqs-key, KEY.X.SUFFIX instead "
	    "(a test aid: a lab's DQS tree)\n"
	    " --cache-dir=DIR\n    Keep the lists' test point answers in DIR "
	    "for %d s between runs\n    (a directory of ours that only we "
	    "can write; else not used)\n",
	    PKGDATADIR, DEFAULT_MAX_ADDRESSES, DNSBL_CACHE_LIFETIME);
	dnsbl_auth_help();
	printf(" -w, --warning=RANGE\n    Warning range for the score (sum of "
	    "the weights of the listings)\n"
	    " -c, --critical=RANGE\n    Critical range for the score; without "
	    "-w and -c any positive\n    score is CRITICAL (-c '~:0')\n");
	options_help_tail(false);
	printf("\nStates: a listing raises the state the score gives; list "
	    "errors (127.255.255.x,\n127.0.1.255, 127.0.0.1, answers outside "
	    "127/8), DNS failures (SERVFAIL,\nREFUSED) and broken "
	    "lists give --error-result, timeouts --timeout-result;\na missing "
	    "or failing SPF record is a WARNING; a run that checked nothing,\n"
	    "bad options and running out of memory are UNKNOWN.\n");
	printf("With --auth: a missing PTR or FCrDNS mismatch, an address "
	    "the SPF record\ndoes not authorise, SPF permerror or +all, a "
	    "missing, malformed or\nduplicate DMARC record, and a missing, "
	    "revoked, malformed or short (RSA\nunder 1024 bits) DKIM key are "
	    "a WARNING; DMARC p=none is informational.\n");
	printf("\nExamples:\n"
	    " check_dnsbl_sender -H 192.0.2.7 -l "
	    "zen.spamhaus.org=127.0.0.[2..11]\n"
	    " check_dnsbl_sender -S example.org --include-mx -w 1 -c 3 "
	    "--selftest\n"
	    " check_dnsbl_sender -H mail.example.org -L %s/dnsbl.lists\n"
	    "    -l dnsbl.example.net -s 127.0.0.1\n"
	    " check_dnsbl_sender -H 192.0.2.7 -S example.org --auth "
	    "--dkim-selector s1\n", PKGDATADIR);
	printf("\nRanges: https://www.monitoring-plugins.org/doc/"
	    "guidelines.html#THRESHOLDFORMAT\n");
}

/* A list spec or file into o->lists; -1 after a usage error. */
static int
add_lists(struct plugin *p, struct opts *o, int c, const char *arg)
{
	char err[300];

	o->lists_given = true;
	if ((c == 'L' ? dnsbl_list_read(&o->lists, arg, err, sizeof(err)) :
	    dnsbl_list_add(&o->lists, arg, c == 'l' ? DNSBL_IP : DNSBL_DOMAIN,
	    c == 'l' ? "--list" : "--domain-list", err, sizeof(err))) < 0)
		return plugin_usage_error(p, "%s", err);
	return 0;
}

/* --dqs-key: the Spamhaus zones asked through DQS, the key never shown. */
static int
use_dqs(struct plugin *p, struct opts *o)
{
	char err[300];
	int n;

	if (o->dqs_key == NULL)
		return o->dqs_suffix == NULL ? 0 : plugin_usage_error(p,
		    "--dqs-suffix '%s' without --dqs-key", o->dqs_suffix);
	n = dnsbl_list_dqs(&o->lists, o->dqs_key, o->dqs_suffix ?
	    o->dqs_suffix : DNSBL_DQS_SUFFIX, err, sizeof(err));
	if (n < 0)
		return plugin_usage_error(p, "%s", err);
	plugin_verbose(p, 1, "DQS: %d Spamhaus list(s) asked as <key>.LIST.%s",
	    n, o->dqs_suffix ? o->dqs_suffix : DNSBL_DQS_SUFFIX);
	return 0;
}

static int
one_option(struct plugin *p, void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case 'H':
		if (o->nhosts >= MAX_HOSTS)
			return plugin_usage_error(p, "too many -H "
			    "options (at most %d)", MAX_HOSTS);
		if (!sender_host_valid(arg))
			return plugin_usage_error(p, "invalid -H '%s': "
			    "not an IP address or host name", arg);
		o->hosts[o->nhosts++] = arg;
		return 1;
	case 'S':
		if (o->sender != NULL)
			return plugin_usage_error(p, "-S given twice");
		o->sender = arg;
		return 1;
	case 'l':
	case 'd':
	case 'L':
		return add_lists(p, o, c, arg) < 0 ? -1 : 1;
	case OPT_NO_SPF: o->no_spf = true; return 1;
	case OPT_INCLUDE_MX: o->include_mx = true; return 1;
	case OPT_INCLUDE_A: o->include_a = true; return 1;
	case OPT_SELFTEST: o->selftest = true; return 1;
	case OPT_NO_TXT: o->no_txt = true; return 1;
	case OPT_MAX_ADDRESSES:
		if (text_parse_long(arg, 1, SENDER_MAX_TARGETS,
		    &o->max_addresses) < 0)
			return plugin_usage_error(p, "invalid "
			    "--max-addresses '%s': expected 1 to %d",
			    arg, SENDER_MAX_TARGETS);
		return 1;
	case OPT_DQS_KEY: o->dqs_key = arg; return 1;
	case OPT_DQS_SUFFIX: o->dqs_suffix = arg; return 1;
	case OPT_CACHE_DIR: o->cache_dir = arg; return 1;
	case OPT_ERROR_RESULT:
		if (state_parse(arg, &o->error_state) < 0)
			return plugin_usage_error(p, "invalid "
			    "--error-result '%s': expected ok, "
			    "warning, critical or unknown", arg);
		return 1;
	default:
		return dnsbl_auth_option(p, &o->auth, c, arg);
	}
}

static int
parse_options(struct plugin *p, struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		OPTIONS_COMMON_LONGOPTS,
		{ "host", required_argument, NULL, 'H' },
		{ "sender", required_argument, NULL, 'S' },
		{ "list", required_argument, NULL, 'l' },
		{ "domain-list", required_argument, NULL, 'd' },
		{ "list-file", required_argument, NULL, 'L' },
		{ "no-spf", no_argument, NULL, OPT_NO_SPF },
		{ "include-mx", no_argument, NULL, OPT_INCLUDE_MX },
		{ "include-a", no_argument, NULL, OPT_INCLUDE_A },
		{ "max-addresses", required_argument, NULL,
		    OPT_MAX_ADDRESSES },
		{ "selftest", no_argument, NULL, OPT_SELFTEST },
		{ "error-result", required_argument, NULL, OPT_ERROR_RESULT },
		{ "no-txt", no_argument, NULL, OPT_NO_TXT },
		{ "dqs-key", required_argument, NULL, OPT_DQS_KEY },
		{ "dqs-suffix", required_argument, NULL, OPT_DQS_SUFFIX },
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
		DNSBL_AUTH_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};

	if (options_getopt(p, argc, argv, "H:S:l:d:L:", longopts, one_option,
	    o) < 0)
		return -1;
	if (o->nhosts == 0 && o->sender == NULL)
		return plugin_usage_error(p, "nothing to check: give -H "
		    "IP|HOST or -S DOMAIN (see --help)");
	if (dnsbl_auth_check(p, &o->auth, o->sender) < 0)
		return -1;
	if (!o->lists_given && add_lists(p, o, 'L', o->list_file) < 0)
		return -1;
	if (o->lists.n == 0)
		return plugin_usage_error(p, "no lists to check (-l, -d or "
		    "-L)");
	return use_dqs(p, o);
}

/* ---- sender discovery -------------------------------------------------- */

/* What discovery found on the way: notes to lines and states. */
static void
report_notes(struct run *r, const struct sender_result *res)
{
	size_t i;

	for (i = 0; i < res->nnotes; i++) {
		const struct sender_note *n = &res->notes[i];

		switch (n->kind) {
		case SENDER_LOOKUP:
			plugin_verbose(r->p, 2, "discovery %s %s: %s",
			    n->type_text, n->what, n->status_text);
			if (n->status == DNS_OK || n->status == DNS_NODATA)
				break;
			plugin_finding(r->p, n->status == DNS_TIMEOUT ?
			    options_timeout_state(r->p) : r->o->error_state,
			    "%s lookup of %s (%s): %s", n->type_text,
			    n->what, n->origin, n->status_text);
			break;
		case SENDER_OTHER_FAMILY:
			plugin_verbose(r->p, 1, "skipped %s (from %s): other "
			    "address family", n->what, n->origin);
			break;
		case SENDER_SPECIAL:
			plugin_detail(r->p, "skipped %s (%s address) from %s: "
			    "not a public sender", n->what, n->scope,
			    n->origin);
			break;
		case SENDER_OVER_MAX:
			plugin_detail(r->p, "skipped %s from %s: over "
			    "--max-addresses %ld", n->what, n->origin,
			    r->o->max_addresses);
			break;
		case SENDER_NOT_EXPANDED:
			plugin_detail(r->p, "not expanded: %s/%d from %s (more "
			    "than the %zu address(es) left under "
			    "--max-addresses %ld)", n->what, n->prefix,
			    n->origin, n->left, r->o->max_addresses);
			break;
		}
	}
}

/* SPF outcomes to states: one table. */
static void
report_spf(struct run *r, const struct spf_result *res)
{
	size_t i;

	for (i = 0; i < res->nnotes; i++) {
		const struct spf_note *n = &res->notes[i];

		switch (n->kind) {
		case SPF_NOTE_INFO:
			plugin_detail(r->p, "%s", n->text);
			continue;
		case SPF_NOTE_NONE:
			plugin_finding(r->p, STATE_WARNING, "%s: no sender "
			    "addresses from SPF (use -H, --include-a or "
			    "--include-mx)", n->text);
			break;
		case SPF_NOTE_PERMERROR:
			plugin_finding(r->p, STATE_WARNING, "SPF permerror "
			    "for receivers: %s", n->text);
			break;
		case SPF_NOTE_TEMPERROR:
			/* out of time: --timeout-result, as the deadline */
			plugin_finding(r->p, n->timeout ?
			    options_timeout_state(r->p) : r->o->error_state,
			    "SPF incomplete: %s", n->text);
			break;
		}
		if (r->spf_issue[0] == '\0')
			/* the long-output line has the whole text */
			snprintf(r->spf_issue, sizeof(r->spf_issue),
			    "%s%.120s%s", n->kind == SPF_NOTE_PERMERROR ?
			    "SPF permerror: " : n->kind == SPF_NOTE_TEMPERROR ?
			    "SPF incomplete: " : "", n->text,
			    strlen(n->text) > 120 ? "..." : "");
	}
	plugin_verbose(r->p, 1, "SPF: %u DNS-querying term(s), %u void "
	    "lookup(s)", res->lookups, res->voids);
}

/* Discovery's findings, in the order it found them. */
static void
report_discovery(struct run *r)
{
	const struct sender_result *res = r->c.found;

	report_notes(r, res);
	if (r->c.discovery_timed_out)
		plugin_finding(r->p, options_timeout_state(r->p), "deadline of "
		    "%gs reached during sender discovery (%zu lookup(s) "
		    "pending): no list was asked", options_timeout(r->p),
		    r->c.discovery_pending);
	if (res->spf != NULL)
		report_spf(r, res->spf);
}

/* ---- list queries ------------------------------------------------------ */

static void
on_toolong(void *arg, size_t target, size_t zone)
{
	struct run *r = arg;

	plugin_finding(r->p, r->o->error_state, "%s: query name on %s too "
	    "long", r->targets[target].name, r->zones[zone].spec->zone);
}

/* -vv: each list answer, in the order of the pairs */
static void
report_answers(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nans; i++) {
		const struct dnsbl_answer *a = &r->ans[i];

		if (!a->answered)
			continue;
		if (a->cached)
			plugin_verbose(r->p, 2, "%s: %s, %zu A record(s) "
			    "(cached)", a->name, dnsbl_answer_status(a),
			    a->ncodes);
		else
			plugin_verbose(r->p, 2, "%s: %s, %zu A record(s) "
			    "(%.0f ms)", a->name, dnsbl_answer_status(a),
			    a->ncodes, a->elapsed * 1000);
	}
}

/* ---- judging ----------------------------------------------------------- */

struct tally;
static void emit_perf(struct run *r, const struct tally *tl, size_t naddr);

struct tally {
	struct run *r;
	enum state score_state;
	long score;
	unsigned listed, errors;
	char summary[600];
	unsigned in_summary, more;
};

/* The target of an answer as shown: "www.x.test (as x.test)". */
static const char *
shown_name(const struct run *r, const struct dnsbl_answer *q, char *out,
    size_t size)
{
	const char *name = r->targets[q->target].name;

	if (q->registered)
		snprintf(out, size, "%s (as %s)", name,
		    dnsbl_query_registered(r->dq, q->target));
	else
		snprintf(out, size, "%s", name);
	return out;
}

/*
 * One answer under one spec of its zone: the classes to states.
 *   listed      the score's state (-w/-c); an allow-list entry: OK
 *   clean       nothing (unmatched codes: a -v line)
 *   list error  --error-result
 *   DNS failure --error-result; out of time: --timeout-result
 */
static void
judge_one(void *arg, const struct dnsbl_answer *q, const struct dnsbl_spec *s)
{
	struct tally *tl = arg;
	struct run *r = tl->r;
	struct dnsbl_verdict v;
	char codes[256], name[600];
	size_t used;

	dnsbl_verdict_classify(s, q->status, q->codes, q->ncodes, &v);
	dnsbl_verdict_codes_text(s->zone, v.codes, v.ncodes, codes,
	    sizeof(codes));
	shown_name(r, q, name, sizeof(name));
	switch (v.cls) {
	case DNSBL_CLEAN:
	case DNSBL_UNMATCHED:
		if (v.cls == DNSBL_UNMATCHED)
			plugin_verbose(r->p, 1, "%s on %s: %s, no code passes "
			    "the filter", name, s->zone, codes);
		return;
	case DNSBL_LISTED:
		tl->listed++;
		tl->score += s->weight;
		plugin_finding(r->p, s->weight > 0 ? tl->score_state : STATE_OK,
		    "%s %s %s (%s) weight %ld%s%s", name,
		    s->weight < 0 ? "allow-listed on" : "listed on", s->zone,
		    codes, s->weight, q->txt[0] ? ": " : "", q->txt);
		if (tl->in_summary >= SUMMARY_LISTINGS) {
			tl->more++;
			return;
		}
		used = strlen(tl->summary);
		snprintf(tl->summary + used, sizeof(tl->summary) - used,
		    "%s%s on %s (%s)", tl->in_summary ? ", " : "", name,
		    s->zone, codes);
		tl->in_summary++;
		return;
	case DNSBL_LIST_ERROR:
		tl->errors++;
		plugin_finding(r->p, r->o->error_state, "%s on %s: list error "
		    "%s, not a listing: %s%s%s", name, s->zone, codes,
		    v.why, q->txt[0] ? "; TXT: " : "", q->txt);
		return;
	case DNSBL_FAILURE:
		tl->errors++;
		/* a query out of time, by the deadline or in its own
		 * budget, is the deadline's outcome: --timeout-result */
		plugin_finding(r->p, !q->answered ||
		    q->status == DNS_TIMEOUT ?
		    options_timeout_state(r->p) : r->o->error_state,
		    "%s on %s: DNS failure (%s): neither listed nor clean",
		    name, s->zone, !q->answered ?
		    "no answer by the deadline" : v.why);
		return;
	}
}

/* Per target: where it is listed, which lists were clean, its origin. */
static void
report_targets(struct run *r)
{
	struct dnsbl_tally c;
	size_t t;

	for (t = 0; t < r->ntargets; t++) {
		const struct sender_target *tg = &r->targets[t];

		dnsbl_tally_target(r->dq, t, &c);
		if (c.asked == 0)
			plugin_detail(r->p, "%s (from %s): not checked, no %s "
			    "list given", tg->name, tg->origin,
			    tg->kind == DNSBL_IP ? "IP" : "domain");
		else if (c.listed > 0)
			plugin_detail(r->p, "%s (from %s): listed on %zu of %zu "
			    "list(s)%s%s", tg->name, tg->origin, c.listed,
			    c.asked, c.clean > 0 ? ", clean on " : "",
			    c.clean_lists);
		else if (c.clean == 0)
			plugin_detail(r->p, "%s (from %s): clean on none of "
			    "%zu list(s)", tg->name, tg->origin, c.asked);
		else
			plugin_detail(r->p, "%s (from %s): clean on %zu of %zu "
			    "list(s): %s", tg->name, tg->origin, c.clean,
			    c.asked, c.clean_lists);
	}
}

/* "2 addresses and 1 domain": the targets that some list was asked about */
static const char *
checked_text(const struct run *r, char *out, size_t size)
{
	size_t na = dnsbl_tally_asked(r->dq, DNSBL_IP),
	    nd = dnsbl_tally_asked(r->dq, DNSBL_DOMAIN);

	if (na && nd)
		snprintf(out, size, "%zu address%s and %zu domain%s", na,
		    na == 1 ? "" : "es", nd, nd == 1 ? "" : "s");
	else if (nd)
		snprintf(out, size, "%zu domain%s", nd, nd == 1 ? "" : "s");
	else
		snprintf(out, size, "%zu address%s", na, na == 1 ? "" : "es");
	return out;
}

static void
judge(struct run *r)
{
	struct tally tl;
	size_t i;
	char text[120];

	memset(&tl, 0, sizeof(tl));
	for (i = 0; i < r->nzones; i++)
		if (r->zones[i].broken || r->zones[i].broken6) {
			tl.errors++;
			plugin_finding(r->p, r->o->error_state, "list %s is "
			    "broken%s (RFC 5782 section 5): %s; its %sanswers "
			    "are ignored", r->zones[i].spec->zone,
			    r->zones[i].broken ? "" : " for IPv6",
			    r->zones[i].broken_why,
			    r->zones[i].broken ? "" : "IPv6 ");
		}
	/* the score first, so listing lines carry its state */
	tl.score_state = range_thresholds_check(options_thresholds(r->p),
	    (double)dnsbl_tally_score(r->dq));
	plugin_raise(r->p, tl.score_state);
	tl.r = r;
	for (i = 0; i < r->nans; i++)
		dnsbl_tally_each(r->dq, i, judge_one, &tl);
	report_targets(r);

	if (tl.listed > 0 && tl.more > 0)
		plugin_summary(r->p, "score %ld: %s and %u more", tl.score,
		    tl.summary, tl.more);
	else if (tl.listed > 0)
		plugin_summary(r->p, "score %ld: %s", tl.score, tl.summary);
	else if (tl.errors == 0)
		plugin_summary(r->p, "%s not listed on %zu list(s)",
		    checked_text(r, text, sizeof(text)), r->nzones);
	else	/* errors leave the question open: not "not listed" */
		plugin_summary(r->p, "no listing found for %s on %zu list(s)",
		    checked_text(r, text, sizeof(text)), r->nzones);
	if (tl.errors > 0)
		plugin_summary_append(r->p, "; %u error(s)", tl.errors);
	if (r->spf_issue[0] != '\0')
		plugin_summary_append(r->p, "; %s", r->spf_issue);
	emit_perf(r, &tl, r->naddrs);
}

static void
emit_perf(struct run *r, const struct tally *tl, size_t naddr)
{
	const struct range_thresholds *thr = options_thresholds(r->p);
	/* the score carries the thresholds and may be negative (no min) */
	const struct { const char *label; double value; const char *uom; }
	    perf[] = {
		{ "listed", tl->listed, NULL },
		{ "score", (double)tl->score, NULL },
		{ "addresses", (double)naddr, NULL },
		{ "lists", (double)r->nzones, NULL },
		{ "errors", tl->errors, NULL },
		{ "time", dnsbl_check_elapsed(&r->c), "s" },
	};
	struct perfdata pd;
	size_t i;

	for (i = 0; i < sizeof(perf) / sizeof(perf[0]); i++) {
		bool score = i == 1;

		memset(&pd, 0, sizeof(pd));
		pd.label = perf[i].label;
		pd.value = perf[i].value;
		pd.uom = perf[i].uom;
		pd.has_min = !score;
		perfdata_set_thresholds(&pd, score ? thr : NULL);
		plugin_perf(r->p, &pd);
	}
}
/* ---- the run ----------------------------------------------------------- */

/* The one call into lib/mail: discovery, then every list query. */
static int
run_check(struct run *r)
{
	struct dnsbl_check_params par;
	struct auth_config auth;
	const char *sel[AUTH_MAX_SELECTORS];
	char err[400];

	memset(&par, 0, sizeof(par));
	par.hosts = r->o->hosts;
	par.nhosts = r->o->nhosts;
	par.sender = r->o->sender;
	par.discovery.family = options_family(r->p);
	par.discovery.max_addresses = (size_t)r->o->max_addresses;
	par.discovery.spf = !r->o->no_spf;
	par.discovery.include_a = r->o->include_a;
	par.discovery.include_mx = r->o->include_mx;
	par.specs = r->o->lists.specs;
	par.nspecs = r->o->lists.n;
	par.selftest = r->o->selftest;
	par.txt = !r->o->no_txt;
	par.cache_dir = r->o->cache_dir;
	par.timeout = options_timeout(r->p);
	par.servers = options_dns_servers(r->p, &par.nservers);
	par.auth = dnsbl_auth_config(&r->o->auth, r->o->sender, &auth, sel);
	if (dnsbl_check_run(&r->c, &par, err, sizeof(err)) < 0)
		return err[0] != '\0' ? plugin_usage_error(r->p, "%s", err) :
		    -1;
	r->targets = r->c.found->targets;
	r->ntargets = r->c.found->ntargets;
	r->naddrs = r->c.found->naddrs;
	if ((r->dq = r->c.lists) != NULL) {
		r->zones = dnsbl_query_zones(r->dq, &r->nzones);
		r->ans = dnsbl_query_answers(r->dq, &r->nans);
	}
	return 0;
}

/* Append "; " and a formatted part to a bounded text. */
static void textf_append(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
textf_append(char *dst, size_t size, const char *fmt, ...)
{
	size_t len = strlen(dst);
	va_list ap;

	if (len > 0 && len + 2 < size) {
		memcpy(dst + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + len, size - len, fmt, ap);
	va_end(ap);
}

/*
 * A run that asks no list about anything is no clean result: UNKNOWN,
 * whatever discovery found on the way.  Says why, per kind of target.
 */
static bool
nothing_checked(struct run *r)
{
	size_t i, naddr = 0, ndom = 0;
	bool iplist = false, domlist = false;
	char why[300] = "";

	if (dnsbl_tally_asked(r->dq, DNSBL_IP) +
	    dnsbl_tally_asked(r->dq, DNSBL_DOMAIN) > 0)
		return false;
	for (i = 0; i < r->ntargets; i++) {
		if (r->targets[i].kind == DNSBL_IP)
			naddr++;
		else
			ndom++;
	}
	for (i = 0; i < r->nzones; i++) {
		if (r->zones[i].spec->kind == DNSBL_IP)
			iplist = true;
		else
			domlist = true;
	}
	if (naddr > 0 && !iplist)
		textf_append(why, sizeof(why), "no IP list for %zu address(es)",
		    naddr);
	if (naddr == 0 && iplist)
		textf_append(why, sizeof(why), "no address to ask the IP "
		    "list(s) about%s", r->c.found->skipped_special > 0 ?
		    " (every address found is special-purpose)" : "");
	if (ndom > 0 && !domlist)
		textf_append(why, sizeof(why), "no domain list for %zu "
		    "domain(s)", ndom);
	if (why[0] == '\0')
		textf_append(why, sizeof(why), "no query could be made");
	plugin_set_state(r->p, STATE_UNKNOWN);
	plugin_summary(r->p, "nothing was checked: %s", why);
	return true;
}

static void
check(struct run *r)
{
	struct tally none;

	memset(&none, 0, sizeof(none));
	if (run_check(r) < 0)
		return;
	report_discovery(r);
	if (r->c.discovery_timed_out) {
		plugin_summary(r->p, "sender discovery did not finish by the "
		    "deadline");
		emit_perf(r, &none, r->naddrs);
		return;
	}
	if (r->ntargets == 0) {
		plugin_set_state(r->p, STATE_UNKNOWN);
		plugin_summary(r->p, "nothing was checked: no public address "
		    "or domain was found%s", r->c.found->skipped_special > 0 ?
		    " (every address found is special-purpose)" : "");
		return;
	}
	if (r->dq == NULL)
		return;		/* out of memory, noted */
	dnsbl_query_toolong(r->dq, on_toolong, r);
	if (nothing_checked(r))
		return;
	if (dnsbl_query_dropped(r->dq) > 0)
		plugin_finding(r->p, STATE_UNKNOWN, "%zu (address, list) "
		    "queries over the limit of %d were not sent: fewer lists "
		    "or --max-addresses", dnsbl_query_dropped(r->dq),
		    DNSBL_QUERY_MAX);
	if (r->c.cache_why[0] != '\0')
		plugin_verbose(r->p, 1, "--cache-dir %s %s", r->o->cache_dir,
		    r->c.cache_why);
	report_answers(r);
	judge(r);
	dnsbl_auth_report(r->p, r->c.auth, r->o->error_state,
	    r->c.auth_timed_out);
	if (r->c.lists_timed_out)
		plugin_finding(r->p, options_timeout_state(r->p), "deadline of "
		    "%gs reached with %zu list query(ies) unanswered; the "
		    "other results stand", options_timeout(r->p),
		    dnsbl_tally_unanswered(r->dq));
}

/*
 * The config-init: every default of the plugin in one place, with the
 * default range in config below (the common options' are core's).
 */
static void
config_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->list_file = PKGDATADIR "/dnsbl.lists";
	o->max_addresses = DEFAULT_MAX_ADDRESSES;
	o->error_state = STATE_WARNING;
}

/* All this plugin sets before its options (with config_init()). */
static const struct plugin_config config = {
	.progname = "check_dnsbl_sender",
	.label = "DNSBL SENDER",
	.help = help,
	.usage = usage,
	.server_check = addr_server_check,
	/* without -w and -c any listing (a positive score) is CRITICAL */
	.default_crit = "~:0",
	.crit_alone = true,
};

int
main(int argc, char **argv)
{
	struct plugin *p;
	struct opts o;
	struct run r;

	p = plugin_start(&config);
	config_init(&o);
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.o = &o;
	if (parse_options(p, &o, argc, argv) == 0)
		check(&r);
	dnsbl_check_release(&r.c);
	dnsbl_list_release(&o.lists);
	return plugin_finish(p);
}
