/*
 * check_smtp_relay_path - would a real sending server get mail for this
 * address accepted?  Walks the MX set as RFC 5321 §5.1 prescribes (or
 * the relays given with -H), speaks SMTP up to RCPT TO and never DATA,
 * and on failure prints the conversation like a bounce report.
 *
 * This file holds the options, the help and the report: the walk is
 * mail/relay's (one call, relay_run()), the states come from the one
 * table of mail/relay_verdict, the words of the report from
 * mail/relay_report, mail/relay_note and mail/dane, the option values'
 * checks from mail/relay_param and mail/relay_value.
 */
#include <config.h>

#include "net/addr.h"
#include "mail/dane.h"
#include "mail/sts_relay.h"
#include "mail/relay.h"
#include "mail/relay_note.h"
#include "mail/relay_report.h"
#include "mail/relay_value.h"
#include "mail/relay_verdict.h"
#include "core/perfdata.h"
#include "core/options.h"
#include "core/plugin.h"
#include "core/text.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_VIA = OPTIONS_OPT_LAST, OPT_ALL, OPT_TRAP, OPT_NO_BUILTIN_TRAPS,
	OPT_TLS, OPT_CAFILE, OPT_CERT_WARN, OPT_CERT_CRIT, OPT_STAGE_TIMEOUT,
	OPT_NO_PIPELINING, OPT_SEED, OPT_TLS_NAME, OPT_EXPECT_REFUSE
};

/* The parsed options: the only state that is not per run. */
struct opts {
	struct relay_params rp;
	bool rcpt_utf8, from_utf8;	/* UTF-8 local parts: SMTPUTF8 */
	struct trap_set traps;
	const char *refuse[TRAP_MAX_GLOBS];	/* --expect-refuse globs */
	bool has_cert_warn, has_cert_crit;
	long cert_warn, cert_crit;
	const char *rcpt_arg, *domain_arg;	/* -R, -D as given */
};

static const char usage_text[] =
    "Usage: check_smtp_relay_path (-R RECIPIENT | -D DOMAIN) [-f FROM] "
    "[-F FQDN]\n"
    "    [-H HOST[:PORT]]... [--via HOST[:PORT]]... [-p PORT] [--all]\n"
    "    [--trap GLOB]... [--no-builtin-traps] [--expect-refuse GLOB]...\n"
    "    [--tls none|may|encrypt|verify|secure|dane|sts|auto]\n"
    "    [--tls-name NAME] [--cafile FILE] [--cert-warn DAYS] "
    "[--cert-crit DAYS]\n"
    "    [-w RANGE] [-c RANGE]\n"
    "    [--stage-timeout SECS] [--no-pipelining] [--seed N] "
    "[-s DNS[:PORT]]...\n"
    "    [-t SECS] [--timeout-result STATE] [-4|-6] [-v]...";

static void
help(void)
{
	printf("Walks the path a sending MTA would take to deliver to a "
	    "recipient (RFC 5321\nsection 5.1), speaks SMTP up to RCPT TO "
	    "(never DATA) and says whether the\nrecipient would be accepted; "
	    "a failure is printed like a bounce report.\n\n%s\n\n",
	    usage_text);
	printf("Options:\n");
	options_help_head();
	printf(" -R, --recipient=ADDRESS\n"
	    "    The recipient to probe; its domain's MX set is walked\n"
	    " -D, --domain=DOMAIN\n"
	    "    Probe postmaster@DOMAIN (RFC 5321 section 4.5.1: every "
	    "domain has one)\n"
	    " -f, --from=ADDRESS\n"
	    "    The envelope sender (default: the null reverse-path <>)\n"
	    " -F, --helo=FQDN\n"
	    "    The EHLO name (default: this machine's name if it is a "
	    "fully qualified\n    domain name, else localhost.localdomain)\n"
	    " -H, --host=HOST[:PORT]\n"
	    "    Deliver to these relays, in this order, instead of the MX "
	    "set; [ADDR]:PORT\n    for an IPv6 address with a port; "
	    "repeatable\n"
	    " --via=HOST[:PORT]\n"
	    "    A hop behind the MX (e.g. the internal server behind a "
	    "filtering service)\n    that must accept the same envelope; "
	    "repeatable; probed at the same time\n"
	    " -p, --port=PORT\n    Port for hosts given without one "
	    "(default 25)\n"
	    " --all\n"
	    "    Audit: probe every MX address at once; each non-trap host "
	    "must accept, trap\n    hosts are expected to refuse\n"
	    " --trap=GLOB\n"
	    "    MX host names that are spam traps ('*' and '?'); "
	    "repeatable.  The walk never\n    connects to a trap: reaching "
	    "one is CRITICAL\n"
	    " --no-builtin-traps\n"
	    "    Do not use the built-in table of providers' trap hosts\n"
	    " --expect-refuse=GLOB\n"
	    "    Hosts meant to refuse connections (nolisting: a dummy "
	    "lowest-preference MX\n    that only real MTAs get past); "
	    "repeatable.  Refusing is then no WARNING\n    when the next "
	    "preference accepts; accepting is a WARNING\n"
	    " --tls=LEVEL\n"
	    "    none: no STARTTLS; may (default): STARTTLS when offered, "
	    "certificate\n    not required to verify, a failed handshake "
	    "retried in plaintext\n    (WARNING); encrypt: TLS required, "
	    "not verified; verify: TLS,\n    chain and the MX host name "
	    "(RFC 6125); secure: TLS, chain, and a\n    certificate name "
	    "equal to the recipient domain or below it (Postfix\n    "
	    "\"nexthop, dot-nexthop\"); dane: RFC 7672 per host; sts: the "
	    "recipient\n    domain's MTA-STS policy (RFC 8461); auto: dane "
	    "where it applies, else\n    sts, else may (RFC 8461 section "
	    "2); all three see below\n"
	    " --tls-name=NAME\n"
	    "    The name the -H relays' certificates must carry, also sent "
	    "as SNI.  verify\n    and secure always check a name: -H with "
	    "an IP address needs this\n"
	    " --cafile=FILE\n"
	    "    Trust these PEM CA certificates instead of the system store "
	    "(which is only\n    loaded for verify, secure and an MTA-STS "
	    "policy in testing or enforce);\n    with --tls sts also for "
	    "the policy fetch\n"
	    " --cert-warn=DAYS, --cert-crit=DAYS\n"
	    "    WARNING / CRITICAL when the server certificate expires "
	    "within DAYS\n"
	    " --stage-timeout=SECONDS\n"
	    "    Timeout of each stage (connect, banner, each command, TLS "
	    "handshake);\n    default: a quarter of -t.  A production MTA "
	    "waits minutes (RFC 5321\n    section 4.5.3.2); a probe moves on\n"
	    " --no-pipelining\n"
	    "    Send MAIL, RCPT and QUIT one by one even when PIPELINING "
	    "is offered\n"
	    " --seed=N\n"
	    "    Seed for the order of equal MX preferences (default: "
	    "random), for\n    reproducible runs\n");
	options_help_tail(true);
	printf("\n -w and -c apply to the time to acceptance in seconds "
	    "(DNS, failed hosts and\n the accepting session up to the RCPT "
	    "reply).  Range syntax:\n "
	    "https://www.monitoring-plugins.org/doc/guidelines.html"
	    "#THRESHOLDFORMAT\n\n");
	printf(" With --tls dane, where the MX answer (on an MX walk) and the "
	    "host's\n addresses carry the resolver's AD bit, "
	    "_PORT._tcp.HOST TLSA is looked up\n for every host at once "
	    "(behind a validated CNAME: the expanded name first).\n "
	    "Validated usable TLSA (usage 3 DANE-EE or 2 DANE-TA; usages "
	    "0 and 1\n and unknown parameters are unusable): TLS is "
	    "required and the certificate\n must match.  3: the leaf "
	    "certificate or its key, no name or date checks.\n 2: a "
	    "certificate of the chain above the leaf\n (or the one carried "
	    "by a 2 0 0 record), then the chain is verified up to\n it for "
	    "the host name; a 2 1 0 key whose certificate the server does "
	    "not\n send is not supported.  A mismatch fails that host and "
	    "the walk moves on.\n Validated TLSA, none usable: TLS "
	    "required, not authenticated.  A failed\n TLSA lookup "
	    "(SERVFAIL, timeout): the host is not used.  No TLSA, or no\n "
	    "DNSSEC: as 'may'.  No trust store is loaded.  Trust AD only "
	    "from a\n validating resolver on loopback (-s).\n\n");
	printf(" With --tls sts (an MX walk only), _mta-sts.DOMAIN TXT is "
	    "asked with the MX\n query and the policy fetched from\n "
	    "https://mta-sts.DOMAIN/.well-known/mta-sts.txt (status 200, "
	    "no\n redirects, text/plain, the certificate valid for that "
	    "name), while the\n first session connects and says EHLO.  "
	    "--cafile is also the fetch's trust\n store.  enforce: MX hosts "
	    "no mx pattern matches are not used, every used\n host must "
	    "offer STARTTLS with a certificate that verifies for its MX "
	    "name;\n no host matching, or every matching host failing TLS, "
	    "is CRITICAL.  testing:\n walked as 'may', the certificates "
	    "verified; WARNING naming what would fail\n under enforce.  No "
	    "MTA-STS record, or mode none: as 'may' (OK).  A record\n whose "
	    "policy cannot be used (several records, fetch failed, 404, "
	    "redirect,\n TLS error, timeout, invalid policy): walked as "
	    "'may', WARNING (senders then\n apply no policy).\n\n");
	printf(" With --tls auto, the TLSA lookups of dane and the MTA-STS "
	    "lookup and fetch of\n sts at once: a host where DANE applies "
	    "(validated TLSA, usable or not, or a\n failed TLSA lookup) is "
	    "judged as with dane, the others as with sts.\n\n");
	printf("States: OK when the first preference accepts; WARNING when "
	    "only a backup\naccepts, when every answer was a 4xx (deferred), "
	    "near certificate expiry,\nwhen a reply mixes codes on its "
	    "lines (judged by the last, as Postfix does),\nwhen an MX "
	    "target is an IP literal (walked as Postfix does), or when\nan "
	    "MTA-STS policy is announced but unusable, or would fail in "
	    "enforce;\n"
	    "CRITICAL on a 5xx to MAIL or RCPT, when nothing accepts, when "
	    "the walk would\nreach a trap host, when TLS required by --tls "
	    "fails, or when a --via hop\nfails.  Network failures are "
	    "judged, never UNKNOWN.  A server whose replies\nare out of "
	    "step (QUIT not answered 221, a reply that cannot answer its\n"
	    "command) is a protocol error of that host, never an "
	    "acceptance.\n\n");
	printf("Examples:\n"
	    " check_smtp_relay_path -R user@example.org\n"
	    " check_smtp_relay_path -D example.org --tls verify "
	    "--cert-warn 14 --cert-crit 3\n"
	    " check_smtp_relay_path -D example.org --all --trap "
	    "'cluster*a.*'\n"
	    " check_smtp_relay_path -R user@example.org -H "
	    "smtp.example.net:2525\n");
}

/* ---- options ---------------------------------------------------------- */

/* All this plugin sets before its options: the defaults. */
static void
config_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rp.port = 25;
	o->rp.tls = RELAY_TLS_MAY;
	trap_set_init(&o->traps);
	o->rp.traps = &o->traps;
	o->rp.refuse = o->refuse;
	relay_param_default_helo(o->rp.helo, sizeof(o->rp.helo));
	o->rp.seed = relay_value_default_seed();	/* --seed: random */
	/* --stage-timeout 0: a quarter of -t, once -t is known */
}

/*
 * One option.  A bad value is UNKNOWN with one line, "invalid OPTION
 * 'VALUE': why" (opt and err name them); 1: go on.
 */
static int
parse_option(struct plugin *p, void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	struct relay_params *rp = &o->rp;
	const char *opt = NULL;
	char err[160] = "";

	switch (c) {
	case 'R':
		o->rcpt_arg = arg;
		break;
	case 'D':
		o->domain_arg = arg;
		break;
	case 'f':
		opt = relay_param_address(arg, true, rp->from, sizeof(rp->from),
		    &o->from_utf8, err, sizeof(err)) < 0 ? "--from" : NULL;
		break;
	case 'F':
		opt = relay_param_helo(arg, rp->helo, sizeof(rp->helo), err,
		    sizeof(err)) < 0 ? "--helo" : NULL;
		break;
	case 'H':
	case OPT_VIA:
		switch (relay_param_add(rp, c == OPT_VIA, arg, err,
		    sizeof(err))) {
		case -2:
			return plugin_usage_error(p, "%s", err);
		case -1:
			opt = c == 'H' ? "-H" : "--via";
		}
		break;
	case 'p':
		opt = relay_value_port(arg, &rp->port, err, sizeof(err)) < 0 ?
		    "--port" : NULL;
		break;
	case OPT_ALL:
		rp->all = true;
		break;
	case OPT_TRAP:
		opt = trap_set_add(&o->traps, arg, err, sizeof(err)) < 0 ?
		    "--trap" : NULL;
		break;
	case OPT_NO_BUILTIN_TRAPS:
		o->traps.no_builtin = true;
		break;
	case OPT_TLS:
		opt = relay_value_tls(arg, &rp->tls, err, sizeof(err)) < 0 ?
		    "--tls" : NULL;
		break;
	case OPT_CAFILE:
		rp->cafile = arg;	/* checked once the level is known */
		break;
	case OPT_EXPECT_REFUSE:
		if (rp->nrefuse >= TRAP_MAX_GLOBS)
			return plugin_usage_error(p, "too many --expect-refuse "
			    "options (at most %d)", TRAP_MAX_GLOBS);
		if (trap_glob_check(arg, err, sizeof(err)) < 0)
			opt = "--expect-refuse";
		o->refuse[rp->nrefuse++] = arg;
		break;
	case OPT_TLS_NAME:
		opt = relay_param_tls_name(arg, rp->tls_name,
		    sizeof(rp->tls_name), err, sizeof(err)) < 0 ? "--tls-name" :
		    NULL;
		break;
	case OPT_CERT_WARN:
	case OPT_CERT_CRIT:
		if (relay_value_days(arg, c == OPT_CERT_WARN ? &o->cert_warn :
		    &o->cert_crit, err, sizeof(err)) < 0)
			opt = c == OPT_CERT_WARN ? "--cert-warn" :
			    "--cert-crit";
		*(c == OPT_CERT_WARN ? &o->has_cert_warn : &o->has_cert_crit) =
		    true;
		break;
	case OPT_STAGE_TIMEOUT:
		opt = relay_value_seconds(arg, &rp->stage_timeout, err,
		    sizeof(err)) < 0 ? "--stage-timeout" : NULL;
		break;
	case OPT_NO_PIPELINING:
		rp->no_pipelining = true;
		break;
	case OPT_SEED:
		opt = relay_value_seed(arg, &rp->seed, err, sizeof(err)) < 0 ?
		    "--seed" : NULL;
		break;
	default:
		return options_bad(p, 0, NULL) < 0 ? -1 : 1;
	}
	if (opt != NULL)
		return plugin_usage_error(p, "invalid %s '%s': %s", opt, arg,
		    err);
	return 1;
}

static int
parse_options(struct plugin *p, struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		OPTIONS_COMMON_LONGOPTS,
		{ "recipient", required_argument, NULL, 'R' },
		{ "domain", required_argument, NULL, 'D' },
		{ "from", required_argument, NULL, 'f' },
		{ "helo", required_argument, NULL, 'F' },
		{ "host", required_argument, NULL, 'H' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "via", required_argument, NULL, OPT_VIA },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "trap", required_argument, NULL, OPT_TRAP },
		{ "no-builtin-traps", no_argument, NULL, OPT_NO_BUILTIN_TRAPS },
		{ "tls", required_argument, NULL, OPT_TLS },
		{ "cafile", required_argument, NULL, OPT_CAFILE },
		{ "cert-warn", required_argument, NULL, OPT_CERT_WARN },
		{ "cert-crit", required_argument, NULL, OPT_CERT_CRIT },
		{ "stage-timeout", required_argument, NULL, OPT_STAGE_TIMEOUT },
		{ "no-pipelining", no_argument, NULL, OPT_NO_PIPELINING },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "tls-name", required_argument, NULL, OPT_TLS_NAME },
		{ "expect-refuse", required_argument, NULL, OPT_EXPECT_REFUSE },
		{ NULL, 0, NULL, 0 }
	};
	struct relay_params *rp = &o->rp;
	char err[600];

	if (options_getopt(p, argc, argv, "R:D:f:F:H:p:", longopts,
	    parse_option, o) < 0)
		return -1;
	if ((o->rcpt_arg == NULL) == (o->domain_arg == NULL))
		return plugin_usage_error(p, "give exactly one of -R RECIPIENT "
		    "and -D DOMAIN (see %s --help)", plugin_progname(p));
	if (relay_param_recipient(rp, o->rcpt_arg, o->domain_arg,
	    &o->rcpt_utf8, err, sizeof(err)) < 0 ||
	    relay_param_check(rp, err, sizeof(err)) < 0)
		return plugin_usage_error(p, "%s", err);
	/* a bad file is a usage error now, not a TLS failure later */
	if (rp->cafile != NULL && rp->tls != RELAY_TLS_NONE &&
	    relay_param_cafile(rp, err, 200) < 0)
		return plugin_usage_error(p, "invalid --cafile '%s': %s",
		    rp->cafile, err);
	/* RFC 6531 §3.2: either address with a UTF-8 local part needs it */
	rp->utf8 = o->rcpt_utf8 || o->from_utf8;
	relay_param_timeouts(rp, options_timeout(p));
	rp->family = options_family(p);
	rp->servers = options_dns_servers(p, &rp->nservers);
	rp->verbosity = options_verbosity(p);
	return 0;
}

/* ---- the report -------------------------------------------------------- */

/* A finding whose state is the table's. */
static enum state
finding(struct plugin *p, enum relay_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum state
finding(struct plugin *p, enum relay_verdict v, const char *fmt, ...)
{
	enum state st = relay_verdict_state(v, options_timeout_state(p));
	char text[1200];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	plugin_finding(p, st, "%s", text);
	return st;
}

/* RFC 5321 §4.2.1: one code on every line of a reply.  A reply that
 * mixes them is judged by its last line, as Postfix does; say so. */
static bool
attempt_mixed(struct plugin *p, const struct relay_attempt *a, char *note,
    size_t notesz)
{
	char text[1200];
	size_t i;

	for (i = 0; relay_note_mixed(a, i, i == 0 ? note : NULL, notesz, text,
	    sizeof(text)); i++)
		(void)finding(p, RV_MIXED_CODES, "%s", text);
	return i > 0;
}

static void
attempt_line(struct plugin *p, const struct relay_attempt *a)
{
	char where[400], line[1600];

	relay_report_where(a, where, sizeof(where));
	if (a->out == RELAY_SKIPPED) {
		plugin_detail(p, "%s: not probed: %s%s%s", where, a->note,
		    a->trap ? ", trap rule " : "", a->trap ? a->trap : "");
		return;
	}
	if (a->s == NULL) {
		/* the walk ended before this address: a detail for -v */
		plugin_verbose(p, 1, "%s: not tried (the walk ended before "
		    "it)", where);
		return;
	}
	if (a->tls_s != NULL)
		plugin_detail(p, "%s: with STARTTLS: %s; retried without "
		    "STARTTLS", where, relay_report_tls_error(a));
	if (relay_verdict_refused(a))
		plugin_detail(p, "%s: refused as expected (--expect-refuse "
		    "'%s': nolisting)", where, a->refuse);
	relay_note_attempt(a, line, sizeof(line));
	plugin_detail(p, "%s", line);
	/* worth a look even when mail gets through */
	if (relay_report_injection(a))
		(void)finding(p, RV_STARTTLS_INJECTION, "%s: plaintext after "
		    "the 220 to STARTTLS was discarded (RFC 3207 section 4.2)",
		    where);
}

static void
transcript_lines(struct plugin *p, const char *t)
{
	const char *nl;

	for (; t != NULL && *t; t = nl + 1) {
		nl = strchr(t, '\n');
		if (nl == NULL)
			break;
		plugin_detail(p, "  %.*s", (int)(nl - t), t);
	}
}

/* The conversation, like a bounce log; network text is sanitised by
 * net/smtp and again on output. */
static void
attempt_transcript(struct plugin *p, const struct relay_attempt *a)
{
	const char *first = relay_report_transcript(a, true);
	char where[400];

	if (relay_report_transcript(a, false) == NULL)
		return;
	relay_report_where(a, where, sizeof(where));
	if (first != NULL)
		plugin_detail(p, "--- conversation with %s (with STARTTLS) "
		    "---", where);
	transcript_lines(p, first);
	plugin_detail(p, "--- conversation with %s%s ---", where, a->tls_s ?
	    " (retried without STARTTLS)" : "");
	transcript_lines(p, relay_report_transcript(a, false));
}

/* Certificate expiry against --cert-warn/--cert-crit; the finding's text
 * goes to note (for the status line) when it raises the state. */
static enum state
judge_cert(struct plugin *p, const struct opts *o,
    const struct relay_attempt *a, char *note, size_t notesz)
{
	char where[400];
	enum relay_verdict v;
	long lim, days = a->facts.days_left;

	if (!a->has_facts || !a->facts.has_cert)
		return STATE_OK;
	if (o->has_cert_crit && days <= o->cert_crit) {
		v = RV_CERT_CRIT;
		lim = o->cert_crit;
	} else if (o->has_cert_warn && days <= o->cert_warn) {
		v = RV_CERT_WARN;
		lim = o->cert_warn;
	} else
		return STATE_OK;
	relay_report_where(a, where, sizeof(where));
	relay_note_cert(a, v == RV_CERT_CRIT, lim, note, notesz);
	return finding(p, v, "%s: %s", where, note);
}

/* The walk's summary, from the verdict the table gives it. */
static const struct relay_attempt *
judge_walk(struct plugin *p, const struct relay *run,
    const struct relay_walk *w, char *sum, size_t sumsz, enum state *st)
{
	struct relay_judgement j;

	relay_verdict_walk(w, mx_set_timed_out(&run->mx), &j);
	if (w == &run->main && sts_relay_check(run) != NULL) {
		enum relay_verdict beside;
		int about;

		j.v = sts_relay_judge(sts_relay_check(run), w, &j, &beside,
		    &about);
	}
	*st = relay_verdict_state(j.v, options_timeout_state(p));
	relay_note_walk(run, w, &j, sum, sumsz);
	return j.shown >= 0 ? &w->a[j.shown] : NULL;
}

/*
 * --all: every MX address was probed at once.  Non-trap hosts must
 * accept, trap hosts are expected to refuse (relay_verdict_all).
 */
static const struct relay_attempt *
judge_all(struct plugin *p, const struct relay *run,
    const struct relay_walk *w, char *sum, size_t sumsz, enum state *st)
{
	struct relay_judgement j;
	char text[1200];
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct relay_attempt *a = &w->a[i];
		enum relay_verdict v = relay_verdict_address(a);

		if (v == RV_NVERDICTS)
			continue;
		relay_note_address(a, v, text, sizeof(text));
		(void)finding(p, v, "%s", text);
	}
	relay_verdict_all(w, &j);
	*st = relay_verdict_state(j.v, options_timeout_state(p));
	relay_note_all(run, &j, sum, sumsz);
	return j.shown >= 0 ? &w->a[j.shown] : NULL;
}

/* One perfdata item: seconds (with thresholds when given), or a count. */
static void
perf(struct plugin *p, const char *label, bool known, double v, bool secs,
    const struct range_thresholds *thr)
{
	struct perfdata pd;

	memset(&pd, 0, sizeof(pd));
	pd.label = label;
	pd.value = v;
	pd.unknown = !known;
	pd.uom = secs ? "s" : NULL;
	pd.has_min = secs;
	perfdata_set_thresholds(&pd, thr);
	plugin_perf(p, &pd);
}

/* Per stage of the decisive address (DESIGN.md §4), on failure too. */
static void
report_perf(struct plugin *p, const struct relay *run,
    const struct relay_attempt *a, double time_value, bool time_known)
{
	struct relay_times t;
	size_t tried = relay_report_tried(&run->main);

	relay_report_times(a, &t);
	perf(p, "dns", run->dns_done, run->dns_time, true, NULL);
	perf(p, "connect", t.connect, t.t_connect, true, NULL);
	perf(p, "banner", t.banner, t.t_banner, true, NULL);
	perf(p, "ehlo", t.ehlo, t.t_ehlo, true, NULL);
	perf(p, "tls", t.tls, t.t_tls, true, NULL);
	perf(p, "rcpt", t.rcpt, t.t_rcpt, true, NULL);
	perf(p, "time", time_known, time_value, true, options_thresholds(p));
	perf(p, "hosts_tried", true, (double)tried, false, NULL);
	if (a && a->has_facts && a->facts.has_cert)
		perf(p, "cert_days", true, (double)a->facts.days_left, false,
		    NULL);
	if (sts_relay_check(run) != NULL) {
		const struct sts_check *c = sts_relay_check(run);

		perf(p, "sts_fetch_time", c->fetched && !c->fetch_pending,
		    c->fetch_time, true, NULL);
	}
}


/* -vv: the TLSA records each host published (hex, cut). */
static void
report_tlsa(struct plugin *p, const struct relay_walk *w)
{
	const struct dane_host *dh;
	char line[300];
	size_t i, k, n;

	dh = dane_hosts(w, &n);
	for (i = 0; i < n; i++) {
		if (dh[i].st == DANE_INSECURE && !dh[i].secure)
			continue;
		dane_host_text(&dh[i], line, sizeof(line));
		plugin_verbose(p, 2, "%s", line);
		for (k = 0; dane_record_text(&dh[i], k, line,
		    sizeof(line)) == 0; k++)
			plugin_verbose(p, 2, "  %s", line);
	}
}

static void
report_walk_lines(struct plugin *p, const struct relay_walk *w,
    const struct relay_attempt *decisive, enum state st)
{
	size_t i;

	report_tlsa(p, w);
	for (i = 0; i < w->n; i++)
		attempt_line(p, &w->a[i]);
	for (i = 0; i < w->n; i++) {
		const struct relay_attempt *a = &w->a[i];

		/* the decisive conversation on any non-OK state, -vv all */
		if (options_verbosity(p) >= 2 ||
		    (st != STATE_OK && a == decisive))
			attempt_transcript(p, a);
	}
}

/* The run ended at the deadline (or poll() failed): what was pending. */
static void
report_deadline(struct plugin *p, const struct relay *run)
{
	const struct relay_walk *w = &run->main;
	char sum[700];
	size_t i, k;

	relay_note_deadline(run, options_timeout(p), sum, sizeof(sum));
	plugin_summary(p, "%s", sum);
	for (i = 0; i < w->n; i++)
		attempt_line(p, &w->a[i]);
	for (k = 0; k < run->rp->nvia; k++)
		for (i = 0; i < run->via[k].n; i++)
			attempt_line(p, &run->via[k].a[i]);
	/* no time to acceptance: left out of the perfdata */
	report_perf(p, run, w->n ? &w->a[0] : NULL, 0, false);
	plugin_set_state(p, relay_verdict_state(run->loop_failed ?
	    RV_LOOP_FAILED : RV_DEADLINE, options_timeout_state(p)));
}

/* The MX set says there is nothing to walk: true when reported. */
static bool
report_mx_set(struct plugin *p, const struct relay *run)
{
	char find[700], sum[400];
	enum relay_verdict v = relay_note_mx_set(run, find, sizeof(find), sum,
	    sizeof(sum));

	if (v == RV_NVERDICTS)
		return false;
	(void)finding(p, v, "%s", find);
	plugin_summary(p, "%s", sum);
	report_perf(p, run, NULL, 0, false);
	return true;
}

/* A finding worse than the walk's own verdict (st) heads the summary
 * (core/plugin keeps the first of the worst). */
static void
headline(struct plugin *p, enum state st, enum state x, const char *note)
{
	if (x != st && state_worst(x, st) == x)
		plugin_head_offer(p, x, false, "%s", note);
}

/* Findings of the main walk beside its verdict: certificates (of the
 * accepting address, or every one in --all), mixed codes, nolisting
 * hosts that accept, plaintext retries. */
static const struct relay_attempt *
report_beside(struct plugin *p, const struct opts *o, const struct relay *run,
    const struct relay_attempt *dec, enum state st)
{
	const struct relay_walk *w = &run->main;
	const struct relay_attempt *acc = NULL;
	char note[400], where[400];
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct relay_attempt *a = &w->a[i];

		if (a->out == RELAY_ACCEPTED && acc == NULL)
			acc = a;
		if (o->rp.all || a == dec || a->out == RELAY_ACCEPTED)
			headline(p, st, judge_cert(p, o, a, note,
			    sizeof(note)), note);
		if (attempt_mixed(p, a, note, sizeof(note)))
			headline(p, st, relay_verdict_state(RV_MIXED_CODES,
			    STATE_OK), note);
		if (a->out != RELAY_ACCEPTED)
			continue;
		relay_report_where(a, where, sizeof(where));
		if (a->refuse != NULL) {
			relay_note_accepted(a, RV_REFUSE_ACCEPTS, note,
			    sizeof(note));
			headline(p, st, finding(p, RV_REFUSE_ACCEPTS,
			    "%s: %s", where, note), note);
		}
		if (a->tls_s != NULL) {
			relay_note_accepted(a, RV_PLAINTEXT_RETRY, note,
			    sizeof(note));
			headline(p, st, finding(p, RV_PLAINTEXT_RETRY,
			    "%s: %s", where, note), note);
		}
	}
	return acc;
}

/*
 * --tls sts: the policy and, per MX host, whether it matched (long
 * output); beside the walk's verdict, an announced policy that cannot be
 * used, and under testing what enforce would refuse.
 */
static void
report_sts(struct plugin *p, const struct opts *o, const struct relay *run,
    enum state st)
{
	const struct sts_check *c = sts_relay_check(run);
	const struct relay_walk *w = &run->main;
	const struct relay_attempt *a;
	struct relay_judgement j;
	enum relay_verdict beside;
	char line[1300], note[600];
	int about;
	size_t i;

	if (c == NULL)
		return;
	relay_note_sts_policy(run, line, sizeof(line));
	if (line[0] != '\0')
		plugin_detail(p, "%s", line);
	for (i = 0; i < run->mx.nhosts; i++)
		if (relay_note_sts_host(run, i, line, sizeof(line)))
			plugin_detail(p, "%s", line);
	if (o->rp.all)
		relay_verdict_all(w, &j);
	else
		relay_verdict_walk(w, mx_set_timed_out(&run->mx), &j);
	(void)sts_relay_judge(c, w, &j, &beside, &about);
	if (beside == RV_STS_UNUSABLE || beside == RV_STS_DNS) {
		relay_note_sts_beside(run, beside, NULL, note, sizeof(note));
		headline(p, st, beside == RV_STS_DNS ? finding(p, beside, "%s",
		    note) : finding(p, beside, "%s; %s", note, c->why), note);
	} else if (beside == RV_STS_TESTING && !o->rp.all && about >= 0) {
		a = &w->a[about];
		relay_note_sts_beside(run, beside, a, note, sizeof(note));
		if (a->has_facts && sts_relay_matched(c, a))
			(void)finding(p, beside, "%s: %s", note,
			    a->facts.verify_text);
		else
			(void)finding(p, beside, "%s", note);
		headline(p, st, relay_verdict_state(beside, STATE_OK), note);
	}
}

/* Each --via hop must accept the same envelope. */
static void
report_via(struct plugin *p, const struct opts *o, const struct relay *run,
    enum state st)
{
	char note[400], vsum[1200];
	size_t i, k;

	for (k = 0; k < o->rp.nvia; k++) {
		const struct relay_walk *v = &run->via[k];
		const char *name = v->specs->name;
		enum state vst;
		const struct relay_attempt *vd = judge_walk(p, run, v, vsum,
		    sizeof(vsum), &vst);

		if (vst != STATE_OK) {
			(void)finding(p, RV_VIA_FAILED, "via %s failed: %s",
			    name, vsum);
			relay_note_via(name, vd, note, sizeof(note));
			headline(p, st, relay_verdict_state(RV_VIA_FAILED,
			    STATE_OK), note);
		} else
			plugin_detail(p, "via %s accepted", name);
		report_walk_lines(p, v, vd, vst == STATE_OK ? STATE_OK :
		    STATE_CRITICAL);
		for (i = 0; i < v->n; i++)
			if (v->a[i].out == RELAY_ACCEPTED)
				headline(p, st, judge_cert(p, o, &v->a[i], note,
				    sizeof(note)), note);
	}
}

static void
report(struct plugin *p, const struct opts *o, const struct relay *run)
{
	const struct relay_walk *w = &run->main;
	const struct relay_attempt *dec, *acc;
	enum state st;
	char sum[1200], note[400];
	const char *lit = NULL;
	size_t i;

	if (run->deadline || run->loop_failed) {
		report_deadline(p, run);
		return;
	}
	if (report_mx_set(p, run))
		return;
	if (run->use_mx && run->mx.implicit)
		plugin_detail(p, "%s has no MX records: its own address is "
		    "the implicit MX (RFC 5321 section 5.1)", o->rp.domain);
	for (i = 0; run->use_mx && i < run->mx.nhosts; i++) {
		if (run->mx.hosts[i].flags & MX_F_CNAME)
			plugin_detail(p, "MX %s is an alias (CNAME), which RFC "
			    "2181 section 10.3 forbids", run->mx.hosts[i].name);
		if ((run->mx.hosts[i].flags & MX_F_LITERAL) && lit == NULL)
			lit = run->mx.hosts[i].name;
	}
	if (o->rp.all)
		dec = judge_all(p, run, w, sum, sizeof(sum), &st);
	else
		dec = judge_walk(p, run, w, sum, sizeof(sum), &st);
	plugin_raise(p, st);
	report_walk_lines(p, w, dec, st);
	acc = report_beside(p, o, run, dec, st);
	if (lit != NULL) {
		relay_note_literal(lit, note, sizeof(note));
		headline(p, st, finding(p, RV_LITERAL, "%s", note), note);
	}
	report_via(p, o, run, st);
	report_sts(p, o, run, st);
	if (acc != NULL) {
		struct relay_times t;
		double at;
		enum state ts;

		relay_report_times(acc, &t);
		at = acc->started + t.t_total;
		ts = range_thresholds_check(options_thresholds(p), at);
		if (ts != STATE_OK) {
			relay_note_time(at, ts == STATE_CRITICAL, note,
			    sizeof(note));
			plugin_finding(p, ts, "%s", note);
			headline(p, st, ts, note);
		}
		/* the stages of the address that accepted */
		report_perf(p, run, acc, at, true);
	} else
		report_perf(p, run, dec, 0, false);
	if (plugin_head(p)[0] != '\0')
		plugin_summary(p, "%s; %s", plugin_head(p), sum);
	else
		plugin_summary(p, "%s", sum);
	if (run->creds_failed)
		(void)finding(p, RV_CREDS, "TLS credentials: %s",
		    run->creds_err);
}

static const struct plugin_config config = {
	.progname = "check_smtp_relay_path",
	.label = "SMTP RELAY PATH",
	.help = help,
	.usage = usage_text,
	.server_check = addr_server_check,
};

int
main(int argc, char **argv)
{
	struct plugin *p = plugin_start(&config);
	struct relay *run = NULL;
	struct opts o;
	char err[300];

	config_init(&o);
	if (parse_options(p, &o, argc, argv) == 0) {
		if (relay_run(&run, &o.rp, err, sizeof(err)) == 0)
			report(p, &o, run);
		else {
			plugin_raise(p, STATE_UNKNOWN);
			plugin_summary(p, "%s", err);
		}
	}
	relay_free(run);
	relay_param_release(&o.rp);
	return plugin_finish(p);
}
