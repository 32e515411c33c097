/*
 * check_smtp_relay_path - would a real sending server get mail for this
 * address accepted?  Walks the MX set as RFC 5321 §5.1 prescribes (or
 * the relays given with -H), speaks SMTP up to RCPT TO and never DATA,
 * and on failure prints the conversation like a bounce report.
 *
 * lib/ reports what happened; this file judges it.  The judgement is in
 * two places: outcome_of() turns one SMTP session into an outcome, and
 * judge_walk() / judge_all() turn the outcomes into the plugin state.
 */
#include <config.h>

#include "net/addr.h"
#include "net/dns.h"
#include "net/loop.h"
#include "mail/mx.h"
#include "mail/mx_resolve.h"
#include "core/perfdata.h"
#include "core/options.h"
#include "core/plugin.h"
#include "net/smtp.h"
#include "core/text.h"
#include "net/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_RELAYS 16
#define MAX_VIA 8
#define MAX_ATTEMPTS 256

enum tls_level { TLS_NONE, TLS_MAY, TLS_ENCRYPT, TLS_VERIFY, TLS_SECURE,
	TLS_DANE };
static const char *const tls_level_names[] = {
	"none", "may", "encrypt", "verify", "secure", "dane"
};
#define TLS_LEVELS (sizeof(tls_level_names) / sizeof(tls_level_names[0]))

enum {
	OPT_VIA = OPTIONS_OPT_LAST, OPT_ALL, OPT_TRAP, OPT_NO_BUILTIN_TRAPS,
	OPT_TLS, OPT_CAFILE, OPT_CERT_WARN, OPT_CERT_CRIT, OPT_STAGE_TIMEOUT,
	OPT_NO_PIPELINING, OPT_SEED, OPT_TLS_NAME, OPT_EXPECT_REFUSE
};

struct hostspec {		/* -H / --via: HOST[:PORT] */
	char name[MX_NAME_MAX];	/* A-label, or the address literal */
	bool literal;
	unsigned port;		/* 0: -p */
};

/* The parsed options: the only state that is not per run. */
struct opts {
	char rcpt[300], from[300], helo[MX_NAME_MAX];
	char domain[MX_NAME_MAX];	/* of the recipient: MX lookup */
	bool rcpt_utf8, from_utf8;	/* UTF-8 local parts: SMTPUTF8 */
	struct hostspec relays[MAX_RELAYS], via[MAX_VIA];
	size_t nrelays, nvia;
	unsigned port;
	bool all, no_pipelining, has_seed;
	uint64_t seed;
	struct trap_set traps;
	enum tls_level tls;
	const char *cafile;
	struct tls_creds *cafile_creds;	/* read while checking --cafile;
					 * the run owns them afterwards */
	char tls_name[MX_NAME_MAX];	/* --tls-name: the -H relays' */
	const char *refuse[TRAP_MAX_GLOBS];	/* --expect-refuse globs */
	size_t nrefuse;
	bool has_cert_warn, has_cert_crit;
	long cert_warn, cert_crit;
	double stage_timeout;
};

/* What one SMTP session amounted to (the lib's facts, classified). */
enum outcome {
	OUT_PENDING,
	OUT_ACCEPTED,	/* 2xx to RCPT TO */
	OUT_REJECTED,	/* 5xx to MAIL or RCPT: the bounce */
	OUT_DEFERRED,	/* 4xx anywhere (greylisting, 421): queued */
	OUT_REFUSED,	/* 5xx banner or EHLO/HELO: no service here */
	OUT_UNREACHABLE, /* connect failure, timeout, closed */
	OUT_PROTOCOL,	/* broken replies */
	OUT_TLS,	/* TLS required by the level and failed */
	OUT_NOUTF8,	/* UTF-8 local part, no SMTPUTF8 */
	OUT_SKIPPED	/* not probed: trap in a walk, literal, no address */
};
static const char *const outcome_names[] = {
	"pending", "accepted", "rejected", "deferred", "refused",
	"unreachable", "protocol error", "TLS failure", "no SMTPUTF8",
	"skipped"
};

struct walk;
struct lookups;

/*
 * --tls dane (RFC 7672): what DNSSEC said about one host and port.  The
 * plugin's table (dane_classify) turns the TLSA answer into one of these;
 * the TLS level of each session follows from it.
 */
enum dane_state {
	DANE_OFF,	/* not --tls dane, or not looked at yet */
	DANE_PENDING,	/* TLSA query outstanding */
	DANE_INSECURE,	/* MX or address records not validated: may */
	DANE_NOTLSA,	/* validated denial of TLSA: may */
	DANE_FAILED,	/* TLSA lookup failed: host not used (§2.1.1) */
	DANE_UNUSABLE,	/* validated TLSA, none usable: encrypt (§6) */
	DANE_USABLE	/* validated, usable TLSA: authenticated TLS */
};

struct dane_host {
	struct walk *w;
	char base[MX_NAME_MAX];	/* TLSA base domain (and SNI) */
	char alias[MX_NAME_MAX]; /* the MX name when base is its CNAME
				 * expansion, tried second (§2.2.3) */
	unsigned port;
	bool secure;		/* MX (if any) and address records had AD */
	char why[120];		/* why insecure */
	enum dane_state st;
	struct dns_answer ans;	/* the TLSA answer, kept */
	struct tls_tlsa *recs;
	size_t nrecs, usable;
};

struct attempt {
	struct walk *w;
	char host[MX_NAME_MAX];
	bool literal;
	unsigned pref;
	const char *trap;	/* rule name when the host is a trap */
	const char *refuse;	/* the --expect-refuse glob it matches */
	struct addr_sock addr;	/* port set */
	unsigned port;
	struct smtp_session *s;
	struct smtp_session *tls_s;	/* --tls may: the session whose TLS
					 * handshake failed, before the
					 * plaintext retry in s */
	struct tls *tls;
	struct tls_facts facts;
	bool has_facts;
	int dane;		/* index in w->dane, or -1 */
	struct tls_dane dres;	/* the match, when TLSA was usable */
	bool has_dres;
	enum outcome out;
	char note[160];		/* why skipped */
	double started;		/* run-relative seconds */
};

struct walk {
	struct run *run;
	const char *what;	/* "MX", "relay", "via" */
	char name[MX_NAME_MAX + 16];
	struct attempt *a;
	size_t n, cap, next;
	bool parallel;		/* --all: every address at once */
	bool resolved, done;
	int decisive;		/* index of the attempt that decided */
	const struct hostspec *specs;	/* -H or one --via, in order */
	size_t nspecs;
	size_t lookups;		/* address lookups outstanding */
	enum dns_status lookup_st;
	bool trap_reached;
	struct dane_host *dane;	/* --tls dane: one per host and port */
	size_t ndane;
	size_t tlsa_pending;	/* TLSA queries outstanding */
};

struct run {
	struct plugin *p;
	struct opts *o;
	struct loop *loop;
	struct dns *dns;
	struct tls_creds *creds;
	bool creds_failed;
	char creds_err[200];
	struct mx_set mx;
	bool use_mx;
	struct walk main;
	struct walk via[MAX_VIA];
	struct lookups *lookups;
	double t0, dns_time, dns_tlsa, accept_time;
	bool dns_done;
};

static const char usage_text[] =
    "Usage: check_smtp_relay_path (-R RECIPIENT | -D DOMAIN) [-f FROM] "
    "[-F FQDN]\n"
    "    [-H HOST[:PORT]]... [--via HOST[:PORT]]... [-p PORT] [--all]\n"
    "    [--trap GLOB]... [--no-builtin-traps] [--expect-refuse GLOB]...\n"
    "    [--tls none|may|encrypt|verify|secure|dane] [--tls-name NAME]\n"
    "    [--cafile FILE] [--cert-warn DAYS] [--cert-crit DAYS]\n"
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
	    "\"nexthop, dot-nexthop\"); dane: RFC 7672 per host, see "
	    "below\n"
	    " --tls-name=NAME\n"
	    "    The name the -H relays' certificates must carry, also sent "
	    "as SNI.  verify\n    and secure always check a name: -H with "
	    "an IP address needs this\n"
	    " --cafile=FILE\n"
	    "    Trust these PEM CA certificates instead of the system store "
	    "(which is only\n    loaded for verify and secure)\n"
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
	printf("States: OK when the first preference accepts; WARNING when "
	    "only a backup\naccepts, when every answer was a 4xx (deferred), "
	    "near certificate expiry,\nwhen a reply mixes codes on its "
	    "lines (judged by the last, as Postfix does),\nor when an MX "
	    "target is an IP literal (walked as Postfix does);\n"
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

/* Report text: cut at the buffer's end (a report line, not a protocol
 * buffer; the plugin caps its lines anyway). */
static void textf(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
textf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

/* ---- option parsing -------------------------------------------------- */

static int
parse_port(const char *text, unsigned *out)
{
	long v;

	if (text_parse_long(text, 1, 65535, &v) < 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* HOST[:PORT], ADDR, [ADDR]:PORT (IPv6); the name becomes an A-label. */
static int
parse_hostspec(struct plugin *p, const char *opt, const char *arg,
    struct hostspec *h)
{
	char host[300], err[128];
	const char *port = NULL;
	unsigned char bin[16];
	int family;
	size_t len;

	memset(h, 0, sizeof(*h));
	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');

		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			goto bad;
		len = (size_t)(end - arg - 1);
		if (end[1] == ':')
			port = end + 2;
	} else {
		const char *c = strchr(arg, ':');

		len = strlen(arg);
		/* one colon: a port; more: a bare IPv6 address */
		if (c != NULL && strchr(c + 1, ':') == NULL) {
			len = (size_t)(c - arg);
			port = c + 1;
		}
	}
	if (len == 0 || len >= sizeof(host))
		goto bad;
	memcpy(host, arg[0] == '[' ? arg + 1 : arg, len);
	host[len] = '\0';
	if (port != NULL && parse_port(port, &h->port) < 0)
		return plugin_usage_error(p, "invalid %s '%s': port must be "
		    "1-65535", opt, arg);
	family = addr_parse(host, bin);
	if (family != 0) {
		/* 0.0.0.0 and :: (RFC 6890) name no host to connect to */
		if (addr_unspecified(family, bin))
			return plugin_usage_error(p, "invalid %s '%s': the "
			    "unspecified address is no host", opt, arg);
		h->literal = true;
		return text_copy(h->name, sizeof(h->name), host) < 0 ? -1 : 0;
	}
	if (arg[0] == '[')
		goto bad;
	if (dns_name_normalize(host, h->name, sizeof(h->name), err,
	    sizeof(err)) < 0)
		return plugin_usage_error(p, "invalid %s '%s': %s", opt, arg,
		    err);
	return 0;
bad:
	return plugin_usage_error(p, "invalid %s '%s': expected HOST[:PORT] "
	    "or [ADDRESS]:PORT", opt, arg);
}

static int
parse_address(struct plugin *p, const char *opt, const char *arg,
    bool null_ok, char *out, size_t outsize, bool *utf8)
{
	char err[160];

	if (smtp_wire_address_check(arg, null_ok, out, outsize, utf8, err,
	    sizeof(err)) < 0)
		return plugin_usage_error(p, "invalid %s '%s': %s", opt, arg,
		    err);
	return 0;
}

/* RFC 5321 §4.1.1.1: EHLO takes an FQDN (or an address literal). */
static int
check_helo(const char *in, char *out, size_t outsize, char *err,
    size_t errlen)
{
	if (dns_name_normalize(in, out, outsize, err, errlen) < 0)
		return -1;
	if (strchr(out, '.') == NULL) {
		textf(err, errlen, "not a fully qualified domain name");
		return -1;
	}
	return 0;
}

static void
default_helo(struct opts *o)
{
	char name[256], err[128];

	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		if (check_helo(name, o->helo, sizeof(o->helo), err,
		    sizeof(err)) == 0)
			return;
	}
	/* a bare host name would be a syntax error in EHLO; this is the
	 * conventional stand-in that every server accepts */
	(void)text_copy(o->helo, sizeof(o->helo), "localhost.localdomain");
}

static int
parse_days(struct plugin *p, const char *opt, const char *arg, long *out)
{
	if (text_parse_long(arg, 0, 36500, out) < 0)
		return plugin_usage_error(p, "invalid %s '%s': expected whole "
		    "days 0-36500", opt, arg);
	return 0;
}

static int
parse_option(struct plugin *p, struct opts *o, int c, const char *arg,
    const char **rcpt, const char **domain)
{
	char err[160];
	double d;
	long v;
	size_t i;

	switch (c) {
	case 'R':
		*rcpt = arg;
		return 0;
	case 'D':
		*domain = arg;
		return 0;
	case 'f':
		return parse_address(p, "--from", arg, true, o->from,
		    sizeof(o->from), &o->from_utf8);
	case 'F':
		if (check_helo(arg, o->helo, sizeof(o->helo), err,
		    sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --helo '%s': %s",
			    arg, err);
		return 0;
	case 'H':
		if (o->nrelays >= MAX_RELAYS)
			return plugin_usage_error(p, "too many -H options (at "
			    "most %d)", MAX_RELAYS);
		return parse_hostspec(p, "-H", arg, &o->relays[o->nrelays++]);
	case OPT_VIA:
		if (o->nvia >= MAX_VIA)
			return plugin_usage_error(p, "too many --via options "
			    "(at most %d)", MAX_VIA);
		return parse_hostspec(p, "--via", arg, &o->via[o->nvia++]);
	case 'p':
		if (parse_port(arg, &o->port) < 0)
			return plugin_usage_error(p, "invalid --port '%s': "
			    "expected 1-65535", arg);
		return 0;
	case OPT_ALL:
		o->all = true;
		return 0;
	case OPT_TRAP:
		if (trap_set_add(&o->traps, arg, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --trap '%s': %s",
			    arg, err);
		return 0;
	case OPT_NO_BUILTIN_TRAPS:
		o->traps.no_builtin = true;
		return 0;
	case OPT_TLS:
		for (i = 0; i < TLS_LEVELS; i++)
			if (strcmp(arg, tls_level_names[i]) == 0) {
				o->tls = (enum tls_level)i;
				return 0;
			}
		return plugin_usage_error(p, "invalid --tls '%s': expected "
		    "none, may, encrypt, verify, secure or dane", arg);
	case OPT_CAFILE:
		o->cafile = arg;	/* checked once the level is known */
		return 0;
	case OPT_EXPECT_REFUSE:
		if (o->nrefuse >= TRAP_MAX_GLOBS)
			return plugin_usage_error(p, "too many --expect-refuse "
			    "options (at most %d)", TRAP_MAX_GLOBS);
		if (trap_glob_check(arg, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --expect-refuse "
			    "'%s': %s", arg, err);
		o->refuse[o->nrefuse++] = arg;
		return 0;
	case OPT_TLS_NAME: {
		unsigned char bin[16];

		/* a certificate name to check and to send as SNI: a DNS
		 * name, never an address (RFC 6066 section 3) */
		if (addr_parse(arg, bin) != 0)
			return plugin_usage_error(p, "invalid --tls-name '%s': "
			    "expected a host name, not an address", arg);
		if (dns_name_normalize(arg, o->tls_name, sizeof(o->tls_name),
		    err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --tls-name '%s': "
			    "%s", arg, err);
		return 0;
	}
	case OPT_CERT_WARN:
		o->has_cert_warn = true;
		return parse_days(p, "--cert-warn", arg, &o->cert_warn);
	case OPT_CERT_CRIT:
		o->has_cert_crit = true;
		return parse_days(p, "--cert-crit", arg, &o->cert_crit);
	case OPT_STAGE_TIMEOUT:
		if (text_parse_seconds(arg, 3600, &d) < 0 || d <= 0)
			return plugin_usage_error(p, "invalid --stage-timeout "
			    "'%s': expected seconds > 0", arg);
		o->stage_timeout = d;
		return 0;
	case OPT_NO_PIPELINING:
		o->no_pipelining = true;
		return 0;
	case OPT_SEED:
		if (text_parse_long(arg, 0, 0x7fffffffL, &v) < 0)
			return plugin_usage_error(p, "invalid --seed '%s': "
			    "expected 0-2147483647", arg);
		o->seed = (uint64_t)v;
		o->has_seed = true;
		return 0;
	default:
		return options_bad(p, 0, NULL);
	}
}

/* -R and -D are judged together once every option is read. */
struct option_ctx {
	struct opts *o;
	const char *rcpt, *domain;
};

static int
one_option(struct plugin *p, void *ctx, int c, const char *arg)
{
	struct option_ctx *x = ctx;

	return parse_option(p, x->o, c, arg, &x->rcpt, &x->domain) < 0 ?
	    -1 : 1;
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
	struct option_ctx x = { .o = o };
	const char *rcpt, *domain;
	char *at;
	size_t i;

	o->port = 25;
	o->tls = TLS_MAY;
	trap_set_init(&o->traps);
	if (options_getopt(p, argc, argv, "R:D:f:F:H:p:", longopts, one_option,
	    &x) < 0)
		return -1;
	rcpt = x.rcpt;
	domain = x.domain;
	if ((rcpt == NULL) == (domain == NULL))
		return plugin_usage_error(p, "give exactly one of -R RECIPIENT "
		    "and -D DOMAIN (see %s --help)", plugin_progname(p));
	if (domain != NULL) {
		/* RFC 5321 §4.5.1: every domain must accept postmaster */
		char tmp[300], err[160];
		int n = snprintf(tmp, sizeof(tmp), "postmaster@%s", domain);

		if (n < 0 || (size_t)n >= sizeof(tmp) || strchr(domain, '@'))
			return plugin_usage_error(p, "invalid -D '%s': not a "
			    "domain", domain);
		if (smtp_wire_address_check(tmp, false, o->rcpt,
		    sizeof(o->rcpt), &o->rcpt_utf8, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid -D '%s': %s",
			    domain, err);
	} else if (parse_address(p, "-R", rcpt, false, o->rcpt,
	    sizeof(o->rcpt), &o->rcpt_utf8) < 0)
		return -1;
	at = strrchr(o->rcpt, '@');
	if (text_copy(o->domain, sizeof(o->domain), at + 1) < 0)
		return plugin_usage_error(p, "recipient domain too long");
	if (o->domain[0] == '[' && o->nrelays == 0)
		return plugin_usage_error(p, "invalid %s '%s': an address "
		    "literal domain has no MX set; give the relay with -H",
		    rcpt ? "-R" : "-D", rcpt ? rcpt : domain);
	if (o->all && o->nrelays > 0)
		return plugin_usage_error(p, "--all audits the MX set: it "
		    "cannot be combined with -H");
	if (o->tls_name[0] != '\0' && o->nrelays == 0)
		return plugin_usage_error(p, "--tls-name '%s' names the "
		    "certificate of the -H relays; an MX walk checks each MX "
		    "host's own name", o->tls_name);
	for (i = 0; (o->tls == TLS_VERIFY || o->tls == TLS_SECURE) &&
	    i < o->nrelays + o->nvia; i++) {
		/* a verified level always checks a name: an address names
		 * no certificate, "chain only" would accept any host's */
		const struct hostspec *h = i < o->nrelays ? &o->relays[i] :
		    &o->via[i - o->nrelays];

		if (!h->literal || (i < o->nrelays && o->tls_name[0]))
			continue;
		return plugin_usage_error(p, "%s '%s' at --tls %s: an IP "
		    "address names no certificate; %s", i < o->nrelays ? "-H" :
		    "--via", h->name, tls_level_names[o->tls], i < o->nrelays ?
		    "give the name to check with --tls-name NAME" :
		    "give the hop as a host name");
	}
	if (o->helo[0] == '\0')
		default_helo(o);
	if (o->cafile != NULL && o->tls != TLS_NONE) {
		/* a bad file is a usage error now, not a TLS failure later */
		struct tls_creds *creds;
		char err[200];

		if (access(o->cafile, R_OK) != 0)
			return plugin_usage_error(p, "invalid --cafile '%s': "
			    "%s", o->cafile, strerror(errno));
		if (tls_creds_new(&creds, o->cafile, false, err,
		    sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --cafile '%s': "
			    "%s", o->cafile, err);
		/* kept: the file is read once, not again at STARTTLS */
		o->cafile_creds = creds;
	}
	if (o->stage_timeout == 0)
		o->stage_timeout = plugin_timeout(p) / 4;
	if (!o->has_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		    (uint64_t)getpid();
	}
	return 0;
}

/* ---- TLS hand-off ---------------------------------------------------- */

/* The level decides what a session needs (Postfix smtp_tls_security_level
 * names): the lib only asks whether to start and whether to go on. */
static enum smtp_tls_use
tls_use(enum tls_level l)
{
	return l == TLS_NONE ? SMTP_TLS_NEVER :
	    l == TLS_MAY ? SMTP_TLS_IF_OFFERED : SMTP_TLS_REQUIRED;
}

/* RFC 7672 §8.1: with DANE the SNI is the TLSA base domain. */
static const char *
tls_sni(const struct attempt *a)
{
	const struct dane_host *dh;

	if (a->dane < 0 || a->w->dane == NULL)
		return a->host;
	dh = &a->w->dane[a->dane];
	return (dh->st == DANE_USABLE || dh->st == DANE_UNUSABLE) ?
	    dh->base : a->host;
}

/* The name a relay's certificate must carry: --tls-name for the -H
 * relays, else the host's own (none for an address). */
static const char *
tls_name_of(const struct attempt *a)
{
	const struct run *run = a->w->run;

	if (run->o->tls_name[0] != '\0' && a->w == &run->main &&
	    run->o->nrelays > 0)
		return run->o->tls_name;
	return a->literal ? NULL : a->host;
}

static struct tls *
on_tls_start(void *arg, int fd)
{
	struct attempt *a = arg;
	struct run *run = a->w->run;
	struct tls *t = NULL;
	const char *sni;
	char err[200];

	/* credentials on first use only (--cafile ones were read while the
	 * options were checked): a run that never reaches STARTTLS loads
	 * nothing; the system store only when a run verifies */
	if (run->creds == NULL && !run->creds_failed) {
		/* DANE authenticates by TLSA alone: no store for it */
		bool verifies = run->o->tls == TLS_VERIFY ||
		    run->o->tls == TLS_SECURE;

		if (tls_creds_new(&run->creds, run->o->cafile,
		    verifies && run->o->cafile == NULL, run->creds_err,
		    sizeof(run->creds_err)) < 0)
			run->creds_failed = true;
	}
	if (run->creds == NULL)
		return NULL;
	/* SNI: --tls-name, else the host (the TLSA base with DANE), never
	 * an address (RFC 6066 section 3) */
	sni = tls_name_of(a);
	if (sni == a->host)
		sni = tls_sni(a);
	if (tls_new(&t, run->creds, fd, sni, err, sizeof(err)) < 0) {
		textf(a->note, sizeof(a->note), "TLS setup: %s", err);
		return NULL;
	}
	a->tls = t;
	return t;
}

/* --tls dane: usable TLSA must match (RFC 7672 §3.1); without usable
 * TLSA the session goes on as "encrypt" or "may" would. */
static bool
dane_tls_done(struct attempt *a, struct tls *t)
{
	const struct dane_host *dh = a->dane >= 0 ? &a->w->dane[a->dane] :
	    NULL;

	tls_facts_get(t, TLS_NAMES_NONE, a->host, &a->facts);
	a->has_facts = true;
	if (dh == NULL || dh->st != DANE_USABLE)
		return true;
	tls_dane_check(t, dh->recs, dh->nrecs, dh->base, &a->dres);
	a->has_dres = true;
	return a->dres.matched;
}

static bool
on_tls_done(void *arg, struct tls *t)
{
	struct attempt *a = arg;
	struct run *run = a->w->run;
	enum tls_level lvl = run->o->tls;
	enum tls_names names = TLS_NAMES_NONE;
	const char *tname = tls_name_of(a);
	const char *name = tname ? tname : a->host;

	if (lvl == TLS_DANE)
		return dane_tls_done(a, t);

	/* verify always checks a name: an IP-literal MX target is its own
	 * name (GnuTLS matches it against IP addresses of the SAN) */
	if (lvl == TLS_VERIFY)
		names = TLS_NAMES_HOST;
	else if (lvl < TLS_VERIFY && run->o->cafile)
		names = tname ? TLS_NAMES_HOST : TLS_NAMES_NONE;
	if (lvl == TLS_SECURE) {
		names = TLS_NAMES_DOMAIN;
		/* the next hop: the recipient domain on an MX walk, else the
		 * host the user named (or --tls-name) */
		name = strcmp(a->w->what, "MX") == 0 ? run->o->domain : name;
	}
	tls_facts_get(t, names, name, &a->facts);
	a->has_facts = true;
	/* may and encrypt report verification and go on; verify and
	 * secure stop at a failure, as the MTA would */
	return lvl < TLS_VERIFY || a->facts.verified;
}

/* ---- outcomes: one session, classified ------------------------------- */

static bool
is5(int code)
{
	return code >= 500 && code < 600;
}

static bool
is4(int code)
{
	return code >= 400 && code < 500;
}

/* The decisive reply of a session and the command it answered. */
static const struct smtp_reply *
decisive_reply(const struct smtp_session *s, const char **cmd)
{
	static const struct {
		size_t off;
		const char *cmd;
	} order[] = {
		{ offsetof(struct smtp_session, banner), "the greeting" },
		{ offsetof(struct smtp_session, ehlo), "EHLO" },
		{ offsetof(struct smtp_session, starttls), "STARTTLS" },
		{ offsetof(struct smtp_session, mail), "MAIL FROM" },
		{ offsetof(struct smtp_session, rcpt), "RCPT TO" },
	};
	const struct smtp_reply *best = NULL;
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct smtp_reply *r = (const void *)((const char *)s +
		    order[i].off);

		if (r->code == 0)
			continue;
		/* a failure answers the question; later replies (503 to a
		 * pipelined RCPT after a rejected MAIL) do not */
		if (r->code >= 400) {
			*cmd = order[i].cmd;
			return r;
		}
		best = r;
		*cmd = order[i].cmd;
	}
	if (best && s->used_helo && best == &s->ehlo)
		*cmd = "HELO";
	return best;
}

/*
 * The table: session facts → outcome.  Order matters: a reply code, when
 * there is one, says more than the way the connection ended.
 */
static enum outcome
outcome_of(const struct smtp_session *s)
{
	const char *cmd = "";
	const struct smtp_reply *r = decisive_reply(s, &cmd);

	/* replies out of step (QUIT not answered 221, a reply that cannot
	 * be RCPT's): the 250 taken for RCPT's may be MAIL's */
	if (s->error == SMTP_ERR_PROTOCOL)
		return OUT_PROTOCOL;
	if (s->rcpt.code >= 200 && s->rcpt.code < 300 && s->mail.code < 300)
		return OUT_ACCEPTED;
	if (s->error == SMTP_ERR_NOUTF8)
		return OUT_NOUTF8;
	if (r != NULL && is5(r->code) && (r == &s->mail || r == &s->rcpt))
		return OUT_REJECTED;
	if (r != NULL && is4(r->code))
		return OUT_DEFERRED;
	if (r != NULL && is5(r->code) && (r == &s->banner || r == &s->ehlo))
		return OUT_REFUSED;
	switch (s->error) {
	case SMTP_ERR_TLS:
	case SMTP_ERR_NOTLS:
	case SMTP_ERR_POLICY:
		return OUT_TLS;
	case SMTP_ERR_PROTOCOL:
		return OUT_PROTOCOL;
	case SMTP_ERR_CONNECT:
	case SMTP_ERR_TIMEOUT:
	case SMTP_ERR_CLOSED:
	case SMTP_ERR_LOCAL:
		return OUT_UNREACHABLE;
	default:
		break;
	}
	if (r != NULL && is5(r->code))
		return OUT_REFUSED;	/* 5xx to STARTTLS with TLS optional */
	return OUT_PROTOCOL;
}

/* "said: 550 5.1.1 text (in reply to RCPT TO)" or the failure. */
static void
attempt_said(const struct attempt *a, char *out, size_t outsize)
{
	const struct smtp_session *s = a->s;
	const char *cmd = "";
	const struct smtp_reply *r;

	if (s == NULL) {
		textf(out, outsize, "%s", a->note);
		return;
	}
	r = decisive_reply(s, &cmd);
	if (s->error == SMTP_ERR_POLICY && a->has_dres) {
		textf(out, outsize, "DANE authentication failed: %s "
		    "(tlsa-invalid)", a->dres.text);
		return;
	}
	if (s->error == SMTP_ERR_POLICY) {
		textf(out, outsize, "TLS verification failed (--tls %s)",
		    tls_level_names[a->w->run->o->tls]);
		return;
	}
	if (s->error != SMTP_OK && !(r != NULL && r->code >= 400 &&
	    s->error == SMTP_ERR_CLOSED)) {
		textf(out, outsize, "%s in stage %s: %s",
		    smtp_error_name(s->error), smtp_stage_name(s->failed_stage),
		    s->errtext);
		return;
	}
	if (r == NULL) {
		textf(out, outsize, "no reply");
		return;
	}
	textf(out, outsize, "said: %d%s%s %s (in reply to %s)", r->code,
	    r->enh[0] ? " " : "", r->enh, r->text, cmd);
}

/* The DANE result of one address, for its line and the summary. */
static void
dane_text(const struct attempt *a, char *out, size_t outsize)
{
	const struct dane_host *dh = a->dane >= 0 ? &a->w->dane[a->dane] :
	    NULL;
	const struct smtp_session *s = a->s;

	out[0] = '\0';
	if (a->w->run->o->tls != TLS_DANE)
		return;
	if (dh == NULL) {
		textf(out, outsize, "DANE: %s, opportunistic TLS", a->literal ?
		    "an address has no TLSA base domain" : "not looked up");
		return;
	}
	switch (dh->st) {
	case DANE_OFF:
	case DANE_PENDING:
		textf(out, outsize, "DANE: TLSA lookup not finished");
		break;
	case DANE_INSECURE:
		textf(out, outsize, "DANE: no DNSSEC (%s), opportunistic TLS",
		    dh->why);
		break;
	case DANE_NOTLSA:
		textf(out, outsize, "DANE: no TLSA, opportunistic TLS "
		    "(validated %s for _%u._tcp.%s)",
		    dns_status_name(dh->ans.status), dh->port, dh->base);
		break;
	case DANE_FAILED:
		textf(out, outsize, "DANE: TLSA lookup %s: host not used "
		    "(dnssec-invalid)", dns_status_name(dh->ans.status));
		break;
	case DANE_UNUSABLE:
		textf(out, outsize, "DANE: no usable TLSA (%zu record%s, %s), "
		    "TLS required but not authenticated", dh->nrecs,
		    dh->nrecs == 1 ? "" : "s", tls_tlsa_unusable(&dh->recs[0]));
		break;
	case DANE_USABLE:
		if (a->has_dres)
			textf(out, outsize, "DANE: %s%s", a->dres.text,
			    a->dres.matched ? "" : " (tlsa-invalid)");
		else if (s != NULL && s->error == SMTP_ERR_NOTLS)
			textf(out, outsize, "DANE: usable TLSA requires TLS, "
			    "none was established (starttls-not-supported)");
		else
			textf(out, outsize, "DANE: usable TLSA requires TLS, "
			    "no certificate was checked");
		break;
	}
}

static void
attempt_tls_text(const struct attempt *a, char *out, size_t outsize)
{
	char dane[300];

	out[0] = '\0';
	dane_text(a, dane, sizeof(dane));
	if (!a->has_facts) {
		if (dane[0] != '\0')
			textf(out, outsize, "; %s", dane);
		return;
	}
	/* with DANE the TLSA result is the verification that counts; a
	 * failed match is already what the session "said" */
	if (a->has_dres && !a->dres.matched)
		textf(out, outsize, "; %s", a->facts.cipher);
	else
		textf(out, outsize, "; %s; %s", a->facts.cipher,
		    dane[0] ? dane : a->facts.verify_text);
	if (a->facts.has_cert) {
		size_t n = strlen(out);

		if (a->facts.days_left < 0)
			textf(out + n, outsize - n, "; certificate expired "
			    "%ld days ago", -a->facts.days_left);
		else
			textf(out + n, outsize - n, "; certificate expires "
			    "in %ld days", a->facts.days_left);
	}
}

/* ---- walks: the addresses to try and the sessions -------------------- */

static struct attempt *
walk_add(struct walk *w, const char *host, bool literal, unsigned pref,
    const char *trap)
{
	struct attempt *a;
	size_t i;

	if (w->n >= MAX_ATTEMPTS)
		return NULL;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct attempt *na = realloc(w->a, cap * sizeof(*na));

		if (na == NULL) {
			plugin_oom(w->run->p);
			return NULL;
		}
		w->a = na;
		w->cap = cap;
	}
	a = &w->a[w->n++];
	memset(a, 0, sizeof(*a));
	a->w = w;
	(void)text_copy(a->host, sizeof(a->host), host);
	a->literal = literal;
	a->pref = pref;
	a->trap = trap;
	a->dane = -1;
	for (i = 0; i < w->run->o->nrefuse && a->refuse == NULL; i++)
		if (trap_glob_match(w->run->o->refuse[i], host))
			a->refuse = w->run->o->refuse[i];
	return a;
}

static void
walk_add_addr(struct walk *w, const char *host, bool literal, unsigned pref,
    const char *trap, const struct addr_sock *addr, unsigned port)
{
	struct attempt *a = walk_add(w, host, literal, pref, trap);

	if (a == NULL)
		return;
	a->addr = *addr;
	a->port = port;
	addr_set_port(&a->addr.ss, port);
}

static void
walk_add_skip(struct walk *w, const char *host, unsigned pref,
    const char *trap, const char *note)
{
	struct attempt *a = walk_add(w, host, false, pref, trap);

	if (a == NULL)
		return;
	a->out = OUT_SKIPPED;
	(void)text_copy(a->note, sizeof(a->note), note);
}

static bool
run_all_done(const struct run *run)
{
	size_t i;

	if (!run->main.done)
		return false;
	for (i = 0; i < run->o->nvia; i++)
		if (!run->via[i].done)
			return false;
	return true;
}

static void
walk_finish(struct walk *w)
{
	w->done = true;
	if (run_all_done(w->run))
		loop_stop(w->run->loop);
}

static void on_session_done(struct smtp_session *s, void *arg);

static int
attempt_start(struct attempt *a)
{
	struct run *run = a->w->run;
	const struct opts *o = run->o;
	struct smtp_params sp;

	memset(&sp, 0, sizeof(sp));
	sp.addr = a->addr.ss;
	sp.addrlen = a->addr.len;
	sp.helo = o->helo;
	sp.from = o->from;
	sp.rcpt = o->rcpt;
	/* RFC 6531 §3.2: either address with a UTF-8 local part needs it */
	sp.utf8 = o->rcpt_utf8 || o->from_utf8;
	sp.no_pipelining = o->no_pipelining;
	sp.trace = plugin_verbosity(run->p) >= 3;
	sp.tls = tls_use(o->tls);
	if (o->tls == TLS_DANE) {
		/* RFC 7672 §2.2: TLS is mandatory only where validated TLSA
		 * exists; elsewhere the sender is opportunistic */
		enum dane_state ds = a->dane >= 0 ?
		    a->w->dane[a->dane].st : DANE_INSECURE;

		sp.tls = ds == DANE_USABLE || ds == DANE_UNUSABLE ?
		    SMTP_TLS_REQUIRED : SMTP_TLS_IF_OFFERED;
	}
	if (a->tls_s != NULL)
		sp.tls = SMTP_TLS_NEVER;	/* the plaintext retry */
	sp.connect_timeout = sp.banner_timeout = sp.command_timeout =
	    o->stage_timeout;
	sp.tls_io = &tls_io_gnutls;
	sp.tls_start = on_tls_start;
	sp.tls_done = on_tls_done;
	sp.done = on_session_done;
	sp.arg = a;
	a->started = loop_now() - run->t0;	/* a retry: its own start */
	if (smtp_session_new(&a->s, run->loop, &sp) < 0) {
		a->out = OUT_UNREACHABLE;
		textf(a->note, sizeof(a->note), "cannot start a session");
		return -1;
	}
	return 0;
}

/* Sequential walk: the next address, as RFC 5321 §5.1 orders them. */
static void
walk_step(struct walk *w)
{
	while (w->next < w->n) {
		size_t i = w->next++;
		struct attempt *a = &w->a[i];

		if (a->out == OUT_SKIPPED) {
			if (a->trap != NULL) {
				/* every host before it failed: real mail
				 * would now go to the trap; never touch it */
				w->trap_reached = true;
				w->decisive = (int)i;
				walk_finish(w);
				return;
			}
			continue;
		}
		if (attempt_start(a) == 0)
			return;
	}
	walk_finish(w);
}

static void
walk_start(struct walk *w)
{
	size_t i, running = 0;

	w->resolved = true;
	w->decisive = -1;
	if (!w->parallel) {
		walk_step(w);
		return;
	}
	for (i = 0; i < w->n; i++)
		if (w->a[i].out != OUT_SKIPPED && attempt_start(&w->a[i]) == 0)
			running++;
	if (running == 0)
		walk_finish(w);
}

static void
on_session_done(struct smtp_session *s, void *arg)
{
	struct attempt *a = arg;
	struct walk *w = a->w;
	size_t i;

	a->out = outcome_of(s);
	if (a->out == OUT_TLS && a->tls_s == NULL && w->run->o->tls == TLS_MAY &&
	    s->error == SMTP_ERR_TLS && s->failed_stage == SMTP_TLS) {
		/* Postfix at "may" defers after a failed handshake and
		 * delivers in plaintext on the retry: so does the probe, on
		 * the same address, at once */
		a->tls_s = s;
		a->s = NULL;
		a->out = OUT_PENDING;
		if (attempt_start(a) == 0)
			return;
		smtp_session_free(a->s);
		a->s = a->tls_s;
		a->tls_s = NULL;
		a->out = OUT_TLS;
	}
	if (!w->parallel) {
		/* stop at the first 2xx or 5xx to MAIL/RCPT; move on after
		 * connection failures, 4xx, 5xx greetings, TLS failures */
		if (a->out == OUT_ACCEPTED || a->out == OUT_REJECTED ||
		    a->out == OUT_NOUTF8) {
			w->decisive = (int)(a - w->a);
			walk_finish(w);
		} else
			walk_step(w);
		return;
	}
	for (i = 0; i < w->n; i++)
		if (w->a[i].out == OUT_PENDING)
			return;
	walk_finish(w);
}

/* ---- DANE: TLSA for every host of a walk, before the walk starts ---- */

struct lookup;
static bool dane_addr_secure(const struct walk *w, const char *host,
    char *why, size_t whysz);

/* The CNAME expansion of an MX host's address lookup, or NULL. */
static const char *
dane_alias_of(const struct walk *w, const char *host)
{
	const struct run *run = w->run;
	size_t i;

	if (w != &run->main || !run->use_mx)
		return NULL;
	for (i = 0; i < run->mx.nhosts; i++)
		if (strcmp(run->mx.hosts[i].name, host) == 0)
			return run->mx.hosts[i].res.cname;
	return NULL;
}

/*
 * The table: TLSA answer → DANE state (RFC 7672 §2.1.1, §2.2, §3.1.3).
 *   validated records, some usable     USABLE    authenticated TLS
 *   validated records, none usable     UNUSABLE  TLS, unauthenticated
 *   records without AD                 INSECURE  may
 *   NXDOMAIN/NODATA with AD            NOTLSA    may
 *   NXDOMAIN/NODATA without AD         INSECURE  may
 *   SERVFAIL, timeout, anything else   FAILED    host not used
 */
static void
dane_classify(struct dane_host *dh, struct dns_answer *ans)
{
	size_t i;

	dns_answer_move(&dh->ans, ans);
	switch (dh->ans.status) {
	case DNS_OK:
		if (!dh->ans.ad) {
			dh->st = DANE_INSECURE;
			textf(dh->why, sizeof(dh->why), "TLSA of %s not "
			    "validated", dh->base);
			return;
		}
		dh->recs = calloc(dh->ans.n, sizeof(*dh->recs));
		if (dh->recs == NULL) {
			plugin_oom(dh->w->run->p);
			dh->st = DANE_FAILED;
			return;
		}
		for (i = 0; i < dh->ans.n; i++) {
			struct tls_tlsa *r = &dh->recs[i];

			r->usage = dh->ans.rr[i].u.tlsa.usage;
			r->selector = dh->ans.rr[i].u.tlsa.selector;
			r->mtype = dh->ans.rr[i].u.tlsa.mtype;
			r->data = dh->ans.rr[i].u.tlsa.data;
			r->len = dh->ans.rr[i].u.tlsa.len;
			if (tls_tlsa_unusable(r) == NULL)
				dh->usable++;
		}
		dh->nrecs = dh->ans.n;
		dh->st = dh->usable ? DANE_USABLE : DANE_UNUSABLE;
		return;
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		dh->st = dh->ans.ad ? DANE_NOTLSA : DANE_INSECURE;
		if (!dh->ans.ad)
			textf(dh->why, sizeof(dh->why), "%s for TLSA of %s "
			    "not validated", dns_status_name(dh->ans.status),
			    dh->base);
		return;
	default:
		/* bogus or indeterminate: no downgrade to plaintext */
		dh->st = DANE_FAILED;
		return;
	}
}

/* Every host of the walk has its DANE state: hosts whose TLSA lookup
 * failed are not used, then the walk goes. */
static void
dane_apply(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		struct attempt *a = &w->a[i];

		if (a->dane < 0 || a->out == OUT_SKIPPED ||
		    w->dane[a->dane].st != DANE_FAILED)
			continue;
		a->out = OUT_SKIPPED;
		dane_text(a, a->note, sizeof(a->note));
	}
	walk_start(w);
}

static void
on_tlsa(void *arg, struct dns_answer *ans)
{
	struct dane_host *dh = arg;
	struct walk *w = dh->w;
	struct run *run = w->run;

	dane_classify(dh, ans);
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
		textf(qname, sizeof(qname), "_%u._tcp.%s", dh->port, dh->base);
		if (dns_query(run->dns, qname, DNS_TLSA, on_tlsa, dh) == 0)
			return;
		dh->st = DANE_FAILED;	/* could not even ask */
	}
	if (--w->tlsa_pending > 0)
		return;
	if (w == &run->main)
		run->dns_time += run->dns_tlsa;
	dane_apply(w);
}

/*
 * --tls dane: one TLSA query per host and port of the walk, all at once
 * (one more resolver round trip after the addresses), but only where the
 * MX RRset and the host's address records were validated (§2.2.1,
 * §2.2.3); other hosts are opportunistic.  Then the walk starts.
 */
static void
walk_ready(struct walk *w)
{
	struct run *run = w->run;
	size_t i, k;

	if (run->o->tls != TLS_DANE || w->n == 0) {
		walk_start(w);
		return;
	}
	w->dane = calloc(w->n, sizeof(*w->dane));
	if (w->dane == NULL) {
		plugin_oom(run->p);
		walk_start(w);
		return;
	}
	for (i = 0; i < w->n; i++) {
		struct attempt *a = &w->a[i];
		struct dane_host *dh;

		if (a->literal || a->out == OUT_SKIPPED)
			continue;
		for (k = 0; k < w->ndane; k++)
			if (w->dane[k].port == a->port &&
			    strcmp(w->dane[k].base, a->host) == 0)
				break;
		a->dane = (int)k;
		if (k < w->ndane)
			continue;
		dh = &w->dane[w->ndane++];
		dh->w = w;
		dh->port = a->port;
		(void)text_copy(dh->base, sizeof(dh->base), a->host);
		dh->secure = dane_addr_secure(w, a->host, dh->why,
		    sizeof(dh->why));
		if (dh->secure && dane_alias_of(w, a->host) != NULL) {
			/* the validated chain's end is the first base */
			(void)text_copy(dh->alias, sizeof(dh->alias),
			    a->host);
			(void)text_copy(dh->base, sizeof(dh->base),
			    dane_alias_of(w, a->host));
		}
		dh->st = dh->secure ? DANE_PENDING : DANE_INSECURE;
		if (dh->secure)
			w->tlsa_pending++;
	}
	if (w->tlsa_pending == 0) {
		walk_start(w);
		return;
	}
	/* counted before the first query: an answer may come at once */
	for (k = 0; k < w->ndane; k++) {
		struct dane_host *dh = &w->dane[k];
		char qname[MX_NAME_MAX + 16];

		if (dh->st != DANE_PENDING)
			continue;
		textf(qname, sizeof(qname), "_%u._tcp.%s", dh->port, dh->base);
		if (dns_query(run->dns, qname, DNS_TLSA, on_tlsa, dh) < 0) {
			struct dns_answer none;

			memset(&none, 0, sizeof(none));
			none.status = DNS_ERROR;
			on_tlsa(dh, &none);
		}
	}
}

/* ---- resolution: the MX set, or the names of -H / --via --------------- */

static int addr_literal(const char *text, struct addr_sock *a);

static void
on_mx_done(void *arg, struct mx_set *set)
{
	struct run *run = arg;
	struct walk *w = &run->main;
	size_t i, k;

	run->dns_time = set->elapsed;
	run->dns_done = true;
	for (i = 0; i < set->nhosts; i++) {
		const struct mx_host *h = &set->hosts[i];
		const char *trap = (h->flags & MX_F_TRAP) ? h->trap : NULL;
		char note[160];

		if (h->flags & (MX_F_NULL | MX_F_DUP))
			continue;
		if (h->flags & MX_F_LITERAL) {
			/* outside RFC 5321 section 5.1, but Postfix delivers
			 * to the address, so the walk does too; report()
			 * warns that other senders refuse it */
			struct addr_sock la;
			int fam = plugin_family(run->p);

			if (addr_literal(h->name, &la) < 0)
				walk_add_skip(w, h->name, h->pref, NULL, "MX "
				    "target is not a usable address literal");
			else if (fam != AF_UNSPEC && fam != la.ss.ss_family)
				walk_add_skip(w, h->name, h->pref, NULL,
				    "address family excluded by -4/-6");
			else
				walk_add_addr(w, h->name, true, h->pref, NULL,
				    &la, run->o->port);
			continue;
		}
		if (trap != NULL && !w->parallel) {
			walk_add_skip(w, h->name, h->pref, trap, "trap host: "
			    "never probed by the walk");
			continue;
		}
		if (h->res.naddrs == 0) {
			textf(note, sizeof(note), "no address (A: %s, AAAA: "
			    "%s)", h->res.asked4 ? dns_status_name(h->res.st4) :
			    "not asked", h->res.asked6 ? dns_status_name(h->res.st6) :
			    "not asked");
			walk_add_skip(w, h->name, h->pref, NULL, note);
			continue;
		}
		for (k = 0; k < h->res.naddrs; k++)
			walk_add_addr(w, h->name, false, h->pref, trap,
			    &h->res.addrs[k], run->o->port);
	}
	walk_ready(w);
}

struct lookup {
	struct walk *w;
	const struct hostspec *h;
	unsigned pref;
	int type;
	enum dns_status st;
	bool ad;		/* AD bit of the answer (--tls dane) */
	struct addr_sock addrs[RESOLVE_MAX_ADDRS];
	size_t n;
	bool answered;
};

struct lookups {
	struct lookup l[2 * (MAX_RELAYS + MAX_VIA)];
	size_t n;
};

static int
addr_literal(const char *text, struct addr_sock *a)
{
	unsigned char bin[16];
	int family = addr_parse(text, bin);

	if (family == 0)
		return -1;
	addr_sock_set(a, family, bin, 0);
	return 0;
}

/* The walk's hosts in the order given: per host IPv6 first, then IPv4
 * (as lib/mx orders MX addresses); a name without address is noted. */
static void
lookup_fill_walk(struct walk *w, const struct lookups *ls)
{
	const struct opts *o = w->run->o;
	size_t i, j, k;

	for (i = 0; i < w->nspecs; i++) {
		const struct hostspec *h = &w->specs[i];
		unsigned port = h->port ? h->port : o->port;
		size_t total = 0;
		enum dns_status st = DNS_NODATA;

		if (h->literal) {
			struct addr_sock a;
			int fam = plugin_family(w->run->p);

			if (addr_literal(h->name, &a) < 0)
				continue;
			if (fam != AF_UNSPEC && fam != a.ss.ss_family)
				walk_add_skip(w, h->name, (unsigned)i, NULL,
				    "address family excluded by -4/-6");
			else
				walk_add_addr(w, h->name, true, (unsigned)i,
				    NULL, &a, port);
			continue;
		}
		for (j = 0; j < ls->n; j++) {
			const struct lookup *l = &ls->l[j];

			if (l->w != w || l->h != h)
				continue;
			if (l->st != DNS_NODATA)
				st = l->st;
			for (k = 0; k < l->n; k++)
				walk_add_addr(w, h->name, false, (unsigned)i,
				    NULL, &l->addrs[k], port);
			total += l->n;
		}
		if (total == 0) {
			char note[96];

			textf(note, sizeof(note), "no address (%s)",
			    dns_status_name(st));
			walk_add_skip(w, h->name, (unsigned)i, NULL, note);
		}
	}
}

static void
on_lookup(void *arg, struct dns_answer *ans)
{
	struct lookup *l = arg;
	struct walk *w = l->w;
	struct run *run = w->run;
	size_t i;

	l->answered = true;
	l->st = ans->status;
	l->ad = ans->ad;
	for (i = 0; i < ans->n && l->n < RESOLVE_MAX_ADDRS; i++) {
		if (l->type == DNS_A)
			addr_sock_set(&l->addrs[l->n], AF_INET,
			    &ans->rr[i].u.a, 0);
		else
			addr_sock_set(&l->addrs[l->n], AF_INET6,
			    &ans->rr[i].u.aaaa, 0);
		l->n++;
	}
	if (ans->elapsed > run->dns_time)
		run->dns_time = ans->elapsed;
	if (--w->lookups > 0)
		return;
	lookup_fill_walk(w, run->lookups);
	if (w == &run->main)
		run->dns_done = true;
	walk_ready(w);
}

static void
walk_resolve(struct run *run, struct walk *w)
{
	struct lookups *ls = run->lookups;
	size_t i, first = ls->n, k;
	int fam = plugin_family(run->p);

	for (i = 0; i < w->nspecs; i++) {
		static const int types[] = { DNS_AAAA, DNS_A };

		if (w->specs[i].literal)
			continue;
		for (k = 0; k < 2; k++) {
			struct lookup *l;

			if ((types[k] == DNS_A && fam == AF_INET6) ||
			    (types[k] == DNS_AAAA && fam == AF_INET))
				continue;
			l = &ls->l[ls->n++];
			memset(l, 0, sizeof(*l));
			l->w = w;
			l->h = &w->specs[i];
			l->type = types[k];
		}
	}
	/* counted before the first query: an answer may come at once */
	w->lookups = ls->n - first;
	if (w->lookups == 0) {
		lookup_fill_walk(w, ls);
		if (w == &run->main)
			run->dns_done = true;
		walk_ready(w);
		return;
	}
	for (i = first; i < ls->n; i++) {
		struct lookup *l = &ls->l[i];

		if (dns_query(run->dns, l->h->name, l->type, on_lookup, l) < 0) {
			struct dns_answer none;

			memset(&none, 0, sizeof(none));
			none.status = DNS_ERROR;
			on_lookup(l, &none);
		}
	}
}

/* RFC 7672 §2.2: DANE needs a validated MX RRset (on an MX walk) and
 * validated address records of the host. */
static bool
dane_addr_secure(const struct walk *w, const char *host, char *why,
    size_t whysz)
{
	const struct run *run = w->run;
	size_t i;

	if (w == &run->main && run->use_mx) {
		if (!run->mx.mx_ad) {
			textf(why, whysz, "MX of %s not validated",
			    run->mx.domain);
			return false;
		}
		for (i = 0; i < run->mx.nhosts; i++) {
			const struct mx_host *h = &run->mx.hosts[i];

			if (strcmp(h->name, host) != 0)
				continue;
			if ((h->res.asked4 && h->res.st4 == DNS_OK && !h->res.ad4) ||
			    (h->res.asked6 && h->res.st6 == DNS_OK && !h->res.ad6)) {
				textf(why, whysz, "addresses of %s not "
				    "validated", host);
				return false;
			}
			return true;
		}
		textf(why, whysz, "%s is not in the MX set", host);
		return false;
	}
	for (i = 0; i < run->lookups->n; i++) {
		const struct lookup *l = &run->lookups->l[i];

		if (l->w == w && strcmp(l->h->name, host) == 0 &&
		    l->st == DNS_OK && !l->ad) {
			textf(why, whysz, "addresses of %s not validated",
			    host);
			return false;
		}
	}
	return true;
}

static int
run_start(struct run *run)
{
	struct plugin *p = run->p;
	const struct opts *o = run->o;
	struct dns_config cfg;
	char err[200];
	size_t i;

	run->t0 = loop_now();
	run->loop = loop_new();
	run->lookups = calloc(1, sizeof(*run->lookups));
	if (run->loop == NULL || run->lookups == NULL) {
		state_note_oom("run setup");
		return -1;
	}
	loop_set_deadline(run->loop, plugin_timeout(p));
	memset(&cfg, 0, sizeof(cfg));
	/*
	 * the DNS budget: two tries inside a quarter of the deadline, but a
	 * first try of at least a third of it, so that a short -t against a
	 * slow resolver ends with the answer or the deadline, never with a
	 * timeout of our own making before the deadline
	 */
	cfg.timeout = o->stage_timeout / 2;
	if (cfg.timeout < plugin_timeout(p) / 3)
		cfg.timeout = plugin_timeout(p) / 3;
	cfg.tries = 2;
	cfg.servers = plugin_dns_servers(p, &cfg.nservers);
	if (dns_new(&run->dns, run->loop, &cfg, err, sizeof(err)) < 0) {
		plugin_raise(p, STATE_UNKNOWN);
		plugin_summary(p, "DNS setup failed: %s", err);
		return -1;
	}
	mx_set_init(&run->mx);
	run->main.run = run;
	run->main.what = o->nrelays ? "relay" : "MX";
	run->main.parallel = o->all;
	run->main.decisive = -1;
	for (i = 0; i < o->nvia; i++) {
		struct walk *w = &run->via[i];

		w->run = run;
		w->what = "via";
		w->decisive = -1;
		w->specs = &o->via[i];
		w->nspecs = 1;
		walk_resolve(run, w);
	}
	if (o->nrelays > 0) {
		run->main.specs = o->relays;
		run->main.nspecs = o->nrelays;
		walk_resolve(run, &run->main);
	} else {
		struct mx_params mp;

		run->use_mx = true;
		memset(&mp, 0, sizeof(mp));
		mp.family = plugin_family(p);
		mp.seed = o->seed;
		mp.traps = &o->traps;
		if (mx_resolve_start(&run->mx, run->dns, o->domain, &mp,
		    on_mx_done, run, err, sizeof(err)) < 0) {
			plugin_raise(p, STATE_UNKNOWN);
			plugin_summary(p, "MX lookup not started: %s", err);
			return -1;
		}
	}
	return 0;
}

static void
run_release(struct run *run)
{
	size_t i, k;
	struct walk *walks[1 + MAX_VIA];
	size_t nw = 0;

	walks[nw++] = &run->main;
	for (i = 0; i < run->o->nvia; i++)
		walks[nw++] = &run->via[i];
	for (i = 0; i < nw; i++) {
		for (k = 0; k < walks[i]->n; k++) {
			smtp_session_free(walks[i]->a[k].s);
			smtp_session_free(walks[i]->a[k].tls_s);
			tls_free(walks[i]->a[k].tls);
		}
		for (k = 0; k < walks[i]->ndane; k++) {
			dns_answer_release(&walks[i]->dane[k].ans);
			free(walks[i]->dane[k].recs);
		}
		free(walks[i]->dane);
		free(walks[i]->a);
	}
	/* the channel first, so no callback can reach the released set */
	dns_free(run->dns);
	mx_set_release(&run->mx);
	tls_creds_free(run->creds);
	free(run->lookups);
	loop_free(run->loop);
}

/* ---- the report -------------------------------------------------------- */

static void
attempt_where(const struct attempt *a, char *out, size_t outsize)
{
	const char *what = a->w->what;

	if (a->out == OUT_SKIPPED || a->s == NULL)
		textf(out, outsize, "%s %s", what, a->host);
	else if (a->literal)
		textf(out, outsize, "%s [%s]:%u", what, a->addr.text,
		    a->port);
	else
		textf(out, outsize, "%s %s[%s]:%u", what, a->host,
		    a->addr.text, a->port);
	if (strcmp(what, "MX") == 0) {
		size_t n = strlen(out);

		textf(out + n, outsize - n, " (preference %u)", a->pref);
	}
}

/* Where the session got to: the stage it failed in, else the last
 * command that was answered (the session itself ends in "done"). */
static const char *
stage_reached(const struct smtp_session *s)
{
	if (s == NULL)
		return "-";
	if (s->error == SMTP_OK && s->stage != SMTP_DONE)
		return smtp_stage_name(s->stage);	/* still running */
	if (s->error != SMTP_OK)
		return smtp_stage_name(s->failed_stage);
	return smtp_stage_name(s->rcpt.code ? SMTP_RCPT : s->mail.code ?
	    SMTP_MAIL : s->starttls.code && !s->tls_up ? SMTP_STARTTLS :
	    s->ehlo.code ? (s->tls_up ? SMTP_EHLO_TLS : s->used_helo ?
	    SMTP_HELO : SMTP_EHLO) : s->banner.code ? SMTP_BANNER :
	    SMTP_CONNECT);
}

/* Nolisting: a host meant to refuse (--expect-refuse) that refused, as
 * a sender sees it (no connection, a 5xx greeting). */
static bool
refused_as_expected(const struct attempt *a)
{
	return a->refuse != NULL && (a->out == OUT_UNREACHABLE ||
	    a->out == OUT_REFUSED);
}

/* RFC 5321 §4.2.1: one code on every line of a reply.  A reply that
 * mixes them is judged by its last line, as Postfix does; say so. */
static bool
attempt_mixed(struct plugin *p, const struct attempt *a, char *note,
    size_t notesz)
{
	const struct smtp_session *s = a->s;
	char where[400];
	bool any = false;
	const struct {
		const struct smtp_reply *r;
		const char *cmd;
	} rs[] = {
		{ s ? &s->banner : NULL, "the greeting" },
		{ s ? &s->ehlo : NULL, s && s->used_helo ? "HELO" : "EHLO" },
		{ s ? &s->starttls : NULL, "STARTTLS" },
		{ s ? &s->mail : NULL, "MAIL FROM" },
		{ s ? &s->rcpt : NULL, "RCPT TO" },
		{ s ? &s->quit : NULL, "QUIT" },
	};
	size_t i;

	if (s == NULL)
		return false;
	attempt_where(a, where, sizeof(where));
	for (i = 0; i < sizeof(rs) / sizeof(rs[0]); i++) {
		if (rs[i].r->code == 0 || !rs[i].r->mixed)
			continue;
		plugin_finding(p, STATE_WARNING, "%s: the reply to %s has "
		    "code %d on its first line and %d on its last (RFC 5321 "
		    "section 4.2.1 violation); judged by the last line, as "
		    "Postfix does", where, rs[i].cmd, rs[i].r->first_code,
		    rs[i].r->code);
		if (!any)
			textf(note, notesz, "%s mixes reply codes %d and %d "
			    "in one reply to %s (RFC 5321 section 4.2.1)",
			    a->host, rs[i].r->first_code, rs[i].r->code,
			    rs[i].cmd);
		any = true;
	}
	return any;
}

static void
attempt_line(struct plugin *p, const struct attempt *a)
{
	char where[400], said[700], tls[400];

	attempt_where(a, where, sizeof(where));
	attempt_said(a, said, sizeof(said));
	attempt_tls_text(a, tls, sizeof(tls));
	if (a->out == OUT_SKIPPED) {
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
		    "STARTTLS", where, a->tls_s->errtext);
	if (refused_as_expected(a))
		plugin_detail(p, "%s: refused as expected (--expect-refuse "
		    "'%s': nolisting)", where, a->refuse);
	plugin_detail(p, "%s: %s at %s, %s%s; %.3f s", where,
	    outcome_names[a->out], stage_reached(a->s), said, tls,
	    a->s ? a->s->t_total : 0.0);
	/* bytes behind the 220 to STARTTLS are what a command injection
	 * looks like on the wire: worth a look even when mail gets through */
	if ((a->s && a->s->plaintext_after_starttls) ||
	    (a->tls_s && a->tls_s->plaintext_after_starttls))
		plugin_finding(p, STATE_WARNING, "%s: plaintext after the 220 "
		    "to STARTTLS was discarded (RFC 3207 section 4.2)", where);
}

/* The conversation, like a bounce log; network text is sanitised by
 * lib/smtp and again on output. */
static void
attempt_transcript(struct plugin *p, const struct attempt *a)
{
	char where[400];
	const char *t, *nl;

	if (a->s == NULL || a->s->transcript.len == 0)
		return;
	attempt_where(a, where, sizeof(where));
	for (t = a->tls_s ? a->tls_s->transcript.data : ""; *t; t = nl + 1) {
		if (t == a->tls_s->transcript.data)
			plugin_detail(p, "--- conversation with %s (with "
			    "STARTTLS) ---", where);
		nl = strchr(t, '\n');
		if (nl == NULL)
			break;
		plugin_detail(p, "  %.*s", (int)(nl - t), t);
	}
	plugin_detail(p, "--- conversation with %s%s ---", where, a->tls_s ?
	    " (retried without STARTTLS)" : "");
	for (t = a->s->transcript.data; *t; t = nl + 1) {
		nl = strchr(t, '\n');
		if (nl == NULL)
			break;
		plugin_detail(p, "  %.*s", (int)(nl - t), t);
	}
}

/* Certificate expiry against --cert-warn/--cert-crit; the finding's text
 * goes to note (for the status line) when it raises the state. */
static enum state
judge_cert(struct plugin *p, const struct opts *o, const struct attempt *a,
    char *note, size_t notesz)
{
	char where[400];
	enum state st = STATE_OK;
	long lim = 0;

	if (!a->has_facts || !a->facts.has_cert)
		return STATE_OK;
	if (o->has_cert_crit && a->facts.days_left <= o->cert_crit) {
		st = STATE_CRITICAL;
		lim = o->cert_crit;
	} else if (o->has_cert_warn && a->facts.days_left <= o->cert_warn) {
		st = STATE_WARNING;
		lim = o->cert_warn;
	} else
		return STATE_OK;
	attempt_where(a, where, sizeof(where));
	textf(note, notesz, "certificate of %s %s %ld days%s (--cert-%s %ld)",
	    a->host, a->facts.days_left < 0 ? "expired" : "expires in",
	    a->facts.days_left < 0 ? -a->facts.days_left : a->facts.days_left,
	    a->facts.days_left < 0 ? " ago" : "",
	    st == STATE_CRITICAL ? "crit" : "warn", lim);
	plugin_finding(p, st, "%s: %s", where, note);
	return st;
}

static size_t
walk_tried(const struct walk *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		if (w->a[i].s != NULL)
			n++;
	return n;
}

/* The first attempt that was probed and did not accept. */
static const struct attempt *
walk_first_failure(const struct walk *w, enum outcome want)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->a[i].s != NULL && w->a[i].out != OUT_ACCEPTED &&
		    (want == OUT_PENDING || w->a[i].out == want))
			return &w->a[i];
	return NULL;
}

/* The first host left out because its TLSA lookup failed. */
static const struct attempt *
walk_first_dane_skip(const struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->a[i].out == OUT_SKIPPED && w->a[i].dane >= 0 &&
		    w->dane[w->a[i].dane].st == DANE_FAILED)
			return &w->a[i];
	return NULL;
}

/*
 * The walk's verdict (RFC 5321 §5.1 semantics; the issue's state table):
 *   accepted at the first preference       OK
 *   accepted only by a later preference    WARNING
 *   5xx to MAIL/RCPT, no SMTPUTF8          CRITICAL
 *   the walk reaches a trap                CRITICAL
 *   nothing accepted, some 4xx             WARNING (the mail is queued)
 *   nothing accepted, no 4xx               CRITICAL
 * Returns the decisive attempt (for the transcript), or NULL.
 */
/* The preference a sender delivers to when all is well: the lowest, but
 * past hosts that refuse by design (nolisting). */
static unsigned
walk_first_pref(const struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!refused_as_expected(&w->a[i]))
			return w->a[i].pref;
	return w->n ? w->a[0].pref : 0;
}

static const struct attempt *
judge_walk(struct run *run, const struct walk *w, char *sum, size_t sumsz,
    enum state *st)
{
	const struct opts *o = run->o;
	const struct attempt *a = w->decisive >= 0 ? &w->a[w->decisive] :
	    NULL;
	char where[400], said[700];
	size_t tried = walk_tried(w);

	if (a != NULL && w->trap_reached) {
		*st = STATE_CRITICAL;
		textf(sum, sumsz, "<%s>: the walk reaches trap host %s "
		    "(preference %u, %s): every host before it failed, real "
		    "mail would go to the trap", o->rcpt, a->host, a->pref,
		    a->trap);
		return walk_first_failure(w, OUT_PENDING);
	}
	if (a != NULL) {
		attempt_where(a, where, sizeof(where));
		attempt_said(a, said, sizeof(said));
	}
	if (a != NULL && a->out == OUT_ACCEPTED) {
		bool backup = a->pref != walk_first_pref(w);
		char dane[300];
		size_t n;

		*st = backup ? STATE_WARNING : STATE_OK;
		dane_text(a, dane, sizeof(dane));
		textf(sum, sumsz, "<%s> %s %s: %d%s%s %.60s%s%s%s", o->rcpt,
		    backup ? "accepted only by the backup" : "accepted by",
		    where, a->s->rcpt.code, a->s->rcpt.enh[0] ? " " : "",
		    a->s->rcpt.enh, a->s->rcpt.text, a->has_facts ? ", " : "",
		    a->has_facts ? a->facts.version : "",
		    !backup ? "" : strcmp(w->what, "MX") == 0 ?
		    ": the first preference failed" :
		    ": the first relay failed");
		n = strlen(sum);
		if (dane[0] != '\0')
			textf(sum + n, sumsz - n, "; %s", dane);
		return backup ? walk_first_failure(w, OUT_PENDING) : a;
	}
	if (a != NULL) {
		*st = STATE_CRITICAL;
		textf(sum, sumsz, "<%s>: %s %s", o->rcpt, where, said);
		return a;
	}
	a = walk_first_failure(w, OUT_DEFERRED);
	if (a != NULL) {
		attempt_where(a, where, sizeof(where));
		attempt_said(a, said, sizeof(said));
		*st = STATE_WARNING;
		textf(sum, sumsz, "<%s> deferred: %s %s", o->rcpt, where,
		    said);
		return a;
	}
	*st = STATE_CRITICAL;
	a = walk_first_failure(w, OUT_PENDING);
	if (a == NULL && (a = walk_first_dane_skip(w)) != NULL) {
		attempt_where(a, where, sizeof(where));
		textf(sum, sumsz, "<%s>: no %s host could be used; %s: %s",
		    o->rcpt, w->what, where, a->note);
		return NULL;
	}
	if (a == NULL) {
		textf(sum, sumsz, "<%s>: no %s host has an address to try",
		    o->rcpt, w->what);
		/* an address lookup out of time is the deadline's outcome */
		if (mx_set_timed_out(&w->run->mx))
			*st = plugin_timeout_state(w->run->p);
		return NULL;
	}
	attempt_where(a, where, sizeof(where));
	attempt_said(a, said, sizeof(said));
	textf(sum, sumsz, "<%s>: no host accepted (%zu address%s tried); "
	    "%s %s", o->rcpt, tried, tried == 1 ? "" : "es", where, said);
	return a;
}

/*
 * --all: every MX address was probed at once.  Non-trap hosts must
 * accept (CRITICAL if none does, WARNING if some do not); trap hosts are
 * expected to refuse, and one that accepts is a WARNING.
 */
static const struct attempt *
judge_all(struct run *run, const struct walk *w, char *sum, size_t sumsz,
    enum state *st)
{
	struct plugin *p = run->p;
	const struct attempt *worst = NULL;
	size_t i, real = 0, ok = 0, traps = 0, trap_ok = 0, refuse_ok = 0;
	char where[400], said[700];

	for (i = 0; i < w->n; i++) {
		const struct attempt *a = &w->a[i];

		if (a->out == OUT_SKIPPED && a->trap == NULL && a->dane >= 0 &&
		    w->dane[a->dane].st == DANE_FAILED) {
			/* not used by a sender: as good as not accepting */
			real++;
			attempt_where(a, where, sizeof(where));
			plugin_finding(p, STATE_WARNING, "%s %s", where,
			    a->note);
			continue;
		}
		if (a->out == OUT_SKIPPED)
			continue;
		attempt_where(a, where, sizeof(where));
		attempt_said(a, said, sizeof(said));
		if (a->refuse != NULL && a->out != OUT_ACCEPTED)
			continue;	/* nolisting: refused as meant to */
		if (a->refuse != NULL) {
			refuse_ok++;	/* the finding is report()'s */
			continue;
		}
		if (a->trap != NULL) {
			traps++;
			if (a->out == OUT_ACCEPTED) {
				trap_ok++;
				plugin_finding(p, STATE_WARNING, "trap %s "
				    "accepted the recipient (rule %s)", where,
				    a->trap);
			}
			continue;
		}
		real++;
		if (a->out == OUT_ACCEPTED)
			ok++;
		else {
			plugin_finding(p, STATE_WARNING, "%s %s", where, said);
			if (worst == NULL)
				worst = a;
		}
	}
	*st = ok == 0 ? STATE_CRITICAL : ok < real || trap_ok || refuse_ok ?
	    STATE_WARNING : STATE_OK;
	if (traps == 0)
		textf(sum, sumsz, "<%s>: %zu of %zu MX addresses accept",
		    run->o->rcpt, ok, real);
	else
		textf(sum, sumsz, "<%s>: %zu of %zu MX addresses accept; "
		    "%zu trap address%s %s", run->o->rcpt, ok, real, traps,
		    traps == 1 ? "" : "es", trap_ok ? "accepted (unexpected)" :
		    "refused as expected");
	return worst;
}

static void
perf_time(struct plugin *p, const char *label, bool known, double v,
    const struct range_thresholds *thr)
{
	struct perfdata pd;

	memset(&pd, 0, sizeof(pd));
	pd.label = label;
	pd.value = v;
	pd.unknown = !known;
	pd.uom = "s";
	pd.has_min = true;
	if (thr != NULL) {
		pd.warn = thr->has_warn ? thr->warn.text : NULL;
		pd.crit = thr->has_crit ? thr->crit.text : NULL;
	}
	plugin_perf(p, &pd);
}

static void
perf_count(struct plugin *p, const char *label, bool known, double v)
{
	struct perfdata pd;

	memset(&pd, 0, sizeof(pd));
	pd.label = label;
	pd.value = v;
	pd.unknown = !known;
	plugin_perf(p, &pd);
}

/* Per stage of the decisive address (DESIGN.md §4), on failure too. */
static void
report_perf(struct run *run, const struct attempt *a, double time_value,
    bool time_known)
{
	struct plugin *p = run->p;
	const struct smtp_session *s = a ? a->s : NULL;

	perf_time(p, "dns", run->dns_done, run->dns_time, NULL);
	perf_time(p, "connect", s && s->stage > SMTP_CONNECT,
	    s ? s->t_connect : 0, NULL);
	perf_time(p, "banner", s && s->banner.code, s ? s->t_banner : 0,
	    NULL);
	perf_time(p, "ehlo", s && s->ehlo.code, s ? s->t_ehlo : 0, NULL);
	perf_time(p, "tls", s && s->tls_up && s->t_tls > 0,
	    s ? s->t_tls : 0, NULL);
	perf_time(p, "rcpt", s && s->rcpt.code, s ? s->t_rcpt : 0, NULL);
	perf_time(p, "time", time_known, time_value, plugin_thresholds(p));
	perf_count(p, "hosts_tried", true, (double)walk_tried(&run->main));
	if (a && a->has_facts && a->facts.has_cert)
		perf_count(p, "cert_days", true, (double)a->facts.days_left);
}

/* What was pending when the deadline fired, for the status line. */
static bool
pending_text(const struct run *run, char *out, size_t outsize)
{
	const struct walk *walks[1 + MAX_VIA];
	size_t nw = 0, i, k;

	if (run->main.tlsa_pending > 0) {
		textf(out, outsize, "DNS (TLSA of the %s hosts)",
		    run->main.what);
		return true;
	}
	if (!run->dns_done || (run->use_mx && !run->main.resolved)) {
		textf(out, outsize, "DNS (%s of %s)", run->use_mx ?
		    (run->mx.stage == MX_STAGE_ADDR ? "addresses of the MX "
		    "hosts" : "MX") : "addresses", run->use_mx ?
		    run->o->domain : "the relays");
		return true;
	}
	walks[nw++] = &run->main;
	for (i = 0; i < run->o->nvia; i++)
		walks[nw++] = &run->via[i];
	for (i = 0; i < nw; i++)
		for (k = 0; k < walks[i]->n; k++) {
			const struct attempt *a = &walks[i]->a[k];
			char where[400];
			enum smtp_stage st;

			if (a->s == NULL || a->out != OUT_PENDING)
				continue;
			st = a->s->stage;
			attempt_where(a, where, sizeof(where));
			textf(out, outsize, "%s%s of %s",
			    st == SMTP_CONNECT || st == SMTP_BANNER ||
			    st == SMTP_TLS ? "the " : "the reply to ",
			    st == SMTP_CONNECT ? "connection" :
			    smtp_stage_name(st), where);
			return true;
		}
	textf(out, outsize, "nothing");
	return false;
}

/* -vv: the TLSA records each host published (hex, cut). */
static void
report_tlsa(struct plugin *p, const struct walk *w)
{
	size_t i, k;

	for (i = 0; i < w->ndane; i++) {
		const struct dane_host *dh = &w->dane[i];

		if (dh->st == DANE_INSECURE && !dh->secure)
			continue;
		plugin_verbose(p, 2, "TLSA _%u._tcp.%s: %s%s, %zu record%s",
		    dh->port, dh->base, dns_status_name(dh->ans.status),
		    dh->ans.ad ? " (AD)" : " (no AD)", dh->nrecs,
		    dh->nrecs == 1 ? "" : "s");
		for (k = 0; k < dh->nrecs; k++) {
			const struct tls_tlsa *r = &dh->recs[k];
			const char *why = tls_tlsa_unusable(r);
			char hex[2 * 16 + 1];
			size_t j;

			for (j = 0; j < r->len && j < 16; j++)
				textf(hex + 2 * j, sizeof(hex) - 2 * j,
				    "%02x", r->data[j]);
			hex[2 * j] = '\0';
			plugin_verbose(p, 2, "  TLSA %u %u %u %s%s (%zu "
			    "octets)%s%s", r->usage, r->selector, r->mtype,
			    hex, r->len > 16 ? "..." : "", r->len,
			    why ? ": unusable, " : "", why ? why : "");
		}
	}
}

static void
report_walk_lines(struct run *run, const struct walk *w,
    const struct attempt *decisive, enum state st)
{
	struct plugin *p = run->p;
	size_t i;

	report_tlsa(p, w);
	for (i = 0; i < w->n; i++)
		attempt_line(p, &w->a[i]);
	for (i = 0; i < w->n; i++) {
		const struct attempt *a = &w->a[i];

		/* the decisive conversation on any non-OK state, -vv all */
		if (plugin_verbosity(p) >= 2 ||
		    (st != STATE_OK && a == decisive))
			attempt_transcript(p, a);
	}
}

static void
report(struct run *run, enum loop_result lr)
{
	struct plugin *p = run->p;
	const struct opts *o = run->o;
	const struct walk *w = &run->main;
	const struct attempt *dec = NULL, *acc = NULL;
	char sum[1200], note[400], headline[400] = "";
	enum state st = STATE_OK, worst, x;
	const char *lit;
	size_t i, k;

	if (lr == LOOP_DEADLINE || lr == LOOP_ERROR) {
		char pend[500];

		pending_text(run, pend, sizeof(pend));
		if (lr == LOOP_ERROR)
			plugin_summary(p, "poll() failed while waiting for %s",
			    pend);
		else
			plugin_summary(p, "deadline of %g s reached while "
			    "waiting for %s", plugin_timeout(p), pend);
		for (i = 0; i < w->n; i++)
			attempt_line(p, &w->a[i]);
		for (k = 0; k < o->nvia; k++)
			for (i = 0; i < run->via[k].n; i++)
				attempt_line(p, &run->via[k].a[i]);
		report_perf(run, w->n ? &w->a[0] : NULL, loop_now() - run->t0,
		    false);
		plugin_set_state(p, lr == LOOP_ERROR ? STATE_UNKNOWN :
		    plugin_timeout_state(p));
		return;
	}
	if (run->use_mx && run->mx.mx_status != DNS_OK &&
	    run->mx.mx_status != DNS_NODATA) {
		/* no answer in the DNS budget: --timeout-result's to judge */
		plugin_finding(p, run->mx.mx_status == DNS_TIMEOUT ?
		    plugin_timeout_state(p) : STATE_CRITICAL,
		    "MX lookup for %s: %s", o->domain,
		    dns_status_name(run->mx.mx_status));
		plugin_summary(p, "<%s>: %s", o->rcpt,
		    run->mx.mx_status == DNS_NXDOMAIN ? "the domain does not "
		    "exist (NXDOMAIN)" : run->mx.mx_status == DNS_TIMEOUT ?
		    "no MX answer within the DNS budget" : "the MX lookup "
		    "failed, mail is deferred");
		report_perf(run, NULL, 0, false);
		return;
	}
	if (run->use_mx && run->mx.null_mx) {
		plugin_finding(p, STATE_CRITICAL, "%s publishes a null MX "
		    "(RFC 7505): senders get 556 5.1.10", o->domain);
		plugin_summary(p, "<%s>: domain accepts no mail (null MX)",
		    o->rcpt);
		report_perf(run, NULL, 0, false);
		return;
	}
	if (run->use_mx && run->mx.null_mixed) {
		/*
		 * RFC 7505 section 3 forbids other records beside a null MX.
		 * Postfix, the reference sender, honours the null MX whatever
		 * stands beside it and bounces (5.1.0 "does not accept mail"):
		 * walking the others would predict a delivery that does not
		 * happen.
		 */
		plugin_finding(p, STATE_CRITICAL, "%s mixes a null MX with "
		    "other MX records (RFC 7505 section 3 forbids it): senders "
		    "that honour the null MX, Postfix among them, bounce; the "
		    "other records were not tried", o->domain);
		plugin_summary(p, "<%s>: domain accepts no mail (null MX "
		    "mixed with other MX records)", o->rcpt);
		report_perf(run, NULL, 0, false);
		return;
	}
	if (run->use_mx && run->mx.implicit)
		plugin_detail(p, "%s has no MX records: its own address is "
		    "the implicit MX (RFC 5321 section 5.1)", o->domain);
	for (i = 0; run->use_mx && i < run->mx.nhosts; i++)
		if (run->mx.hosts[i].flags & MX_F_CNAME)
			plugin_detail(p, "MX %s is an alias (CNAME), which RFC "
			    "2181 section 10.3 forbids", run->mx.hosts[i].name);
	lit = NULL;
	for (i = 0; run->use_mx && i < run->mx.nhosts; i++)
		if ((run->mx.hosts[i].flags & MX_F_LITERAL) && lit == NULL)
			lit = run->mx.hosts[i].name;
	if (o->all)
		dec = judge_all(run, w, sum, sizeof(sum), &st);
	else
		dec = judge_walk(run, w, sum, sizeof(sum), &st);
	plugin_raise(p, st);
	worst = st;
	report_walk_lines(run, w, dec, st);
	/* certificates: of the accepting address, or every one in --all;
	 * a worse state than the walk's names its cause first */
#define RAISE(expr) do {						\
		x = (expr);						\
		if (state_worst(worst, x) != worst || (x == worst &&	\
		    x != STATE_OK && headline[0] == '\0' && x != st)) {	\
			worst = x;					\
			(void)text_copy(headline, sizeof(headline), note); \
		}							\
	} while (0)
	for (i = 0; i < w->n; i++) {
		if (w->a[i].out == OUT_ACCEPTED && acc == NULL)
			acc = &w->a[i];
		if (o->all || &w->a[i] == dec || w->a[i].out == OUT_ACCEPTED)
			RAISE(judge_cert(p, o, &w->a[i], note, sizeof(note)));
		if (attempt_mixed(p, &w->a[i], note, sizeof(note)))
			RAISE(STATE_WARNING);
		if (w->a[i].refuse != NULL && w->a[i].out == OUT_ACCEPTED) {
			char where[400];

			attempt_where(&w->a[i], where, sizeof(where));
			textf(note, sizeof(note), "%s is meant to refuse "
			    "(--expect-refuse '%s') but accepted the recipient: "
			    "nolisting is not in place", w->a[i].host,
			    w->a[i].refuse);
			plugin_finding(p, STATE_WARNING, "%s: %s", where, note);
			RAISE(STATE_WARNING);
		}
		if (w->a[i].tls_s != NULL && w->a[i].out == OUT_ACCEPTED) {
			char where[400];

			attempt_where(&w->a[i], where, sizeof(where));
			textf(note, sizeof(note), "TLS handshake failed; "
			    "accepted in plaintext: senders that retry without "
			    "TLS deliver, delayed");
			plugin_finding(p, STATE_WARNING, "%s: %s", where,
			    note);
			RAISE(STATE_WARNING);
		}
	}
	if (lit != NULL) {
		textf(note, sizeof(note), "MX target %s is an IP address "
		    "literal, not a host name (RFC 5321 section 5.1): walked "
		    "as Postfix does, but some senders (Exim by default) "
		    "refuse it", lit);
		plugin_finding(p, STATE_WARNING, "%s", note);
		RAISE(STATE_WARNING);
	}
	for (k = 0; k < o->nvia; k++) {
		const struct walk *v = &run->via[k];
		enum state vst;
		char vsum[1200];
		const struct attempt *vd = judge_walk(run, v, vsum,
		    sizeof(vsum), &vst);

		if (vst != STATE_OK) {
			/* each hop must accept the same envelope */
			plugin_finding(p, STATE_CRITICAL, "via %s failed: %s",
			    v->specs->name, vsum);
			if (vd != NULL) {
				char vsaid[700];

				attempt_said(vd, vsaid, sizeof(vsaid));
				textf(note, sizeof(note), "via hop %s failed: "
				    "%s", v->specs->name, vsaid);
			} else
				textf(note, sizeof(note), "via hop %s failed",
				    v->specs->name);
			RAISE(STATE_CRITICAL);
		} else
			plugin_detail(p, "via %s accepted", v->specs->name);
		report_walk_lines(run, v, vd, vst == STATE_OK ? STATE_OK :
		    STATE_CRITICAL);
		for (i = 0; i < v->n; i++)
			if (v->a[i].out == OUT_ACCEPTED)
				RAISE(judge_cert(p, o, &v->a[i], note,
				    sizeof(note)));
	}
	if (acc != NULL) {
		double t = acc->started + acc->s->t_total;
		enum state ts = range_thresholds_check(plugin_thresholds(p), t);

		if (ts != STATE_OK) {
			textf(note, sizeof(note), "time to acceptance %.3f s "
			    "is outside the %s range", t, ts == STATE_CRITICAL
			    ? "critical" : "warning");
			plugin_finding(p, ts, "%s", note);
			RAISE(ts);
		}
		/* the stages of the address that accepted */
		report_perf(run, acc, t, true);
	} else
		report_perf(run, dec, 0, false);
#undef RAISE
	if (headline[0] != '\0')
		plugin_summary(p, "%s; %s", headline, sum);
	else
		plugin_summary(p, "%s", sum);
	if (run->creds_failed)
		plugin_finding(p, STATE_UNKNOWN, "TLS credentials: %s",
		    run->creds_err);
}

/* All this plugin sets before its options (the config-init). */
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
	struct plugin *p;
	struct opts o;
	struct run run;
	enum loop_result lr;

	p = plugin_start(&config);
	memset(&o, 0, sizeof(o));
	if (parse_options(p, &o, argc, argv) < 0)
		return plugin_finish(p);

	memset(&run, 0, sizeof(run));
	run.p = p;
	run.o = &o;
	run.creds = o.cafile_creds;	/* NULL unless --cafile was read */
	if (run_start(&run) == 0) {
		lr = run_all_done(&run) ? LOOP_DONE : loop_run(run.loop);
		report(&run, lr);
	}
	run_release(&run);
	return plugin_finish(p);
}
