/*
 * check_dnsbl_sender - is a sender's address or domain on DNS blocklists,
 * so that receiving filters drop its mail without a bounce?
 *
 * A run has two DNS phases on one c-ares channel: sender discovery (SPF
 * expansion, host, A and MX lookups), then every (target, list) query,
 * A and TXT together, plus the RFC 5782 §5 controls, all in flight at
 * once.  lib/dnsbl classifies each answer; judge() below maps the
 * classes to states in one table.
 */
#include <config.h>

#include "net/addr.h"
#include "net/dns.h"
#include "mail/dnsbl.h"
#include "net/loop.h"
#include "core/perfdata.h"
#include "core/options.h"
#include "core/plugin.h"
#include "mail/spf_expand.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_HOSTS 32
#define MAX_SPECS 512
#define MAX_TARGETS 1024
#define MAX_QUERIES 20000
#define MAX_INFLIGHT 256	/* DNS queries out at once */
#define ORIGIN_MAX 300
#define TXT_MAX 300
#define LIST_LINE_MAX 4096
#define DEFAULT_MAX_ADDRESSES 32
#define SUMMARY_LISTINGS 4

enum {
	OPT_NO_SPF = OPTIONS_OPT_LAST, OPT_INCLUDE_MX, OPT_INCLUDE_A,
	OPT_MAX_ADDRESSES, OPT_SELFTEST, OPT_ERROR_RESULT, OPT_NO_TXT
};

/* The parsed options: the only data that lives for the whole run. */
struct opts {
	const char *hosts[MAX_HOSTS];
	size_t nhosts;
	const char *sender;
	struct dnsbl_spec *specs;
	size_t nspecs;
	bool lists_given;
	bool no_spf, include_mx, include_a, selftest, no_txt;
	long max_addresses;
	enum state error_state;
};

/* Something to look up on the lists: an address or a domain. */
struct target {
	enum dnsbl_kind kind;
	int family;
	unsigned char addr[16];
	char name[DNSBL_ZONE_MAX];	/* text form */
	char origin[ORIGIN_MAX];
};

struct zone {
	const char *zone;		/* points into a spec */
	enum dnsbl_kind kind;
	bool broken;		/* failed an RFC 5782 §5 control */
	bool broken6;		/* failed only the IPv6 controls */
	char broken_why[600];
};

enum query_role { Q_TARGET, Q_CTL_POS, Q_CTL_NEG, Q_CTL_POS6, Q_CTL_NEG6 };

/* One (target, zone) pair or one control: an A and maybe a TXT query. */
struct query {
	struct run *run;
	enum query_role role;
	size_t target, zone;
	char name[DNSBL_NAME_MAX];
	bool a_done, txt_done, want_txt;
	enum dns_status status;
	uint32_t codes[DNSBL_MAX_CODES];
	size_t ncodes;
	char txt[TXT_MAX];
	double elapsed;
};

/* Sender discovery lookups made by the plugin itself (-H, -A, -M). */
struct find {
	struct run *run;
	int type;
	char name[DNSBL_ZONE_MAX];
	char origin[ORIGIN_MAX];
	struct find *next;
};

struct run {
	struct plugin *p;
	const struct opts *o;
	struct loop *loop;
	struct dns *dns;
	struct spf_expand *spf;
	struct find *finds;
	size_t find_pending;
	struct target *targets;
	size_t ntargets;
	struct zone *zones;
	size_t nzones;
	struct query *queries;
	size_t nqueries, capqueries, dropped;
	size_t next;		/* the next query to send */
	bool sending;
	size_t skipped;
	size_t skipped_special;	/* discovered, not public: not checked */
	char spf_issue[160];	/* the first SPF problem, for the summary */
	bool deadline;
	double start;
};

/* ---- options ----------------------------------------------------------- */

static const char usage[] =
    "Usage: check_dnsbl_sender (-H IP|HOST)... | -S DOMAIN|ADDRESS\n"
    "  [-l ZONE[=FILTER|&MASK][*WEIGHT]]... [-d ZONE[...]]... [-L FILE]\n"
    "  [--no-spf] [--include-mx] [--include-a] [--max-addresses N]\n"
    "  [--selftest] [--error-result STATE] [--no-txt] [-w RANGE] [-c RANGE]\n"
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
	    "    Domain blocklist (RHSBL, DBL, URIBL style); repeatable\n"
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
	    " -w, --warning=RANGE\n    Warning range for the score (sum of "
	    "the weights of the listings)\n"
	    " -c, --critical=RANGE\n    Critical range for the score; without "
	    "-w and -c any positive\n    score is CRITICAL (-c '~:0')\n",
	    PKGDATADIR, DEFAULT_MAX_ADDRESSES);
	options_help_tail(false);
	printf("\nStates: a listing raises the state the score gives; list "
	    "errors (127.255.255.x,\n127.0.1.255, 127.0.0.1, answers outside "
	    "127/8), DNS failures (SERVFAIL,\nREFUSED) and broken "
	    "lists give --error-result, timeouts --timeout-result;\na missing "
	    "or failing SPF record is a WARNING; a run that checked nothing,\n"
	    "bad options and running out of memory are UNKNOWN.\n");
	printf("\nExamples:\n"
	    " check_dnsbl_sender -H 192.0.2.7 -l "
	    "zen.spamhaus.org=127.0.0.[2..11]\n"
	    " check_dnsbl_sender -S example.org --include-mx -w 1 -c 3 "
	    "--selftest\n"
	    " check_dnsbl_sender -H mail.example.org -L %s/dnsbl.lists\n"
	    "    -l dnsbl.example.net -s 127.0.0.1\n", PKGDATADIR);
	printf("\nRanges: https://www.monitoring-plugins.org/doc/"
	    "guidelines.html#THRESHOLDFORMAT\n");
}

static int
add_spec(struct plugin *p, struct opts *o, const char *text,
    enum dnsbl_kind kind, const char *where)
{
	struct dnsbl_spec *n;
	char err[200];
	size_t i;

	if (o->nspecs >= MAX_SPECS)
		return plugin_usage_error(p, "too many lists (at most %d)",
		    MAX_SPECS);
	if (o->nspecs % 16 == 0) {
		n = realloc(o->specs, (o->nspecs + 16) * sizeof(*n));
		if (n == NULL) {
			state_note_oom("list specs");
			return plugin_usage_error(p, "out of memory");
		}
		o->specs = n;
	}
	if (dnsbl_spec_parse(text, kind, &o->specs[o->nspecs], err,
	    sizeof(err)) < 0) {
		size_t keep;

		if (strncmp(where, "list file", 9) != 0)
			return plugin_usage_error(p, "invalid %s '%s': %s",
			    where, text, err);
		/*
		 * The file may be one the user cannot read (the plugin may
		 * run through sudo): its content is never echoed, only what
		 * kind of error it is, the text before any quote or colon.
		 */
		keep = strcspn(err, "':(");
		while (keep > 0 && err[keep - 1] == ' ')
			keep--;
		return plugin_usage_error(p, "%s: invalid list (%.*s)", where,
		    (int)keep, err);
	}
	/* the same list twice (-l and -L alike) is asked and counted once;
	 * dnsbl_spec_parse() zeroes the whole spec, so memcmp is exact */
	for (i = 0; i < o->nspecs; i++)
		if (memcmp(&o->specs[i], &o->specs[o->nspecs],
		    sizeof(o->specs[i])) == 0)
			return 0;
	o->nspecs++;
	return 0;
}

/* The next blank-separated word of *pos, NUL-terminated in place. */
static char *
next_word(char **pos)
{
	char *p = *pos, *w;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '\0')
		return NULL;
	w = p;
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
	    *p != '\n')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pos = p;
	return w;
}

/* Lines "ip SPEC..." or "domain SPEC...", '#' to the end of a line. */
static int
read_list_file(struct plugin *p, struct opts *o, const char *path)
{
	char line[LIST_LINE_MAX], where[96];
	unsigned lineno = 0;
	struct stat st;
	FILE *f = NULL;
	int ret = -1, fd;

	/* O_NONBLOCK: a FIFO must not hang the run before it is refused */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return plugin_usage_error(p, "cannot read list file '%s': %s",
		    path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return plugin_usage_error(p, "list file '%s' is not a regular "
		    "file", path);
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		return plugin_usage_error(p, "cannot read list file '%s': %s",
		    path, strerror(errno));
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *pos = line, *tok, *hash;
		enum dnsbl_kind kind;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			plugin_usage_error(p, "list file '%s' line %u: line "
			    "too long", path, lineno);
			goto out;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		tok = next_word(&pos);
		if (tok == NULL)
			continue;
		if (strcmp(tok, "ip") == 0) {
			kind = DNSBL_IP;
		} else if (strcmp(tok, "domain") == 0) {
			kind = DNSBL_DOMAIN;
		} else {
			plugin_usage_error(p, "list file '%s' line %u: "
			    "expected 'ip' or 'domain'", path, lineno);
			goto out;
		}
		snprintf(where, sizeof(where), "list file '%.60s' line %u",
		    path, lineno);
		while ((tok = next_word(&pos)) != NULL)
			if (add_spec(p, o, tok, kind, where) < 0)
				goto out;
	}
	if (ferror(f)) {
		plugin_usage_error(p, "cannot read list file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	ret = 0;
out:
	fclose(f);
	return ret;
}

/* An IP literal, or a host name (not a dotted number like "1.2.3"). */
static int
host_check(const char *arg)
{
	unsigned char a[16];
	char name[DNSBL_ZONE_MAX], err[160];

	if (addr_parse(arg, a) != 0)
		return 0;
	if (strspn(arg, "0123456789.") == strlen(arg) ||
	    dns_name_normalize(arg, name, sizeof(name), err, sizeof(err)) < 0)
		return -1;
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
		if (host_check(arg) < 0)
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
		o->lists_given = true;
		if (add_spec(p, o, arg, c == 'l' ? DNSBL_IP :
		    DNSBL_DOMAIN, c == 'l' ? "--list" :
		    "--domain-list") < 0)
			return -1;
		return 1;
	case 'L':
		o->lists_given = true;
		if (read_list_file(p, o, arg) < 0)
			return -1;
		return 1;
	case OPT_NO_SPF: o->no_spf = true; return 1;
	case OPT_INCLUDE_MX: o->include_mx = true; return 1;
	case OPT_INCLUDE_A: o->include_a = true; return 1;
	case OPT_SELFTEST: o->selftest = true; return 1;
	case OPT_NO_TXT: o->no_txt = true; return 1;
	case OPT_MAX_ADDRESSES:
		if (text_parse_long(arg, 1, MAX_TARGETS,
		    &o->max_addresses) < 0)
			return plugin_usage_error(p, "invalid "
			    "--max-addresses '%s': expected 1 to %d",
			    arg, MAX_TARGETS);
		return 1;
	case OPT_ERROR_RESULT:
		if (state_parse(arg, &o->error_state) < 0)
			return plugin_usage_error(p, "invalid "
			    "--error-result '%s': expected ok, "
			    "warning, critical or unknown", arg);
		return 1;
	default:
		return 0;
	}
}

static int
parse_options(struct plugin *p, struct opts *o, int argc, char **argv)
{
	struct range_thresholds *thr;
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
		{ NULL, 0, NULL, 0 }
	};

	o->max_addresses = DEFAULT_MAX_ADDRESSES;
	o->error_state = STATE_WARNING;
	if (options_getopt(p, argc, argv, "H:S:l:d:L:", longopts, one_option,
	    o) < 0)
		return -1;
	if (o->nhosts == 0 && o->sender == NULL)
		return plugin_usage_error(p, "nothing to check: give -H "
		    "IP|HOST or -S DOMAIN (see --help)");
	if (!o->lists_given &&
	    read_list_file(p, o, PKGDATADIR "/dnsbl.lists") < 0)
		return -1;
	if (o->nspecs == 0)
		return plugin_usage_error(p, "no lists to check (-l, -d or "
		    "-L)");
	thr = plugin_thresholds(p);
	if (!thr->has_warn && !thr->has_crit) {
		/* default: any listing (a positive score) is CRITICAL */
		range_parse("~:0", &thr->crit);
		thr->has_crit = true;
	}
	return 0;
}

/* ---- targets ----------------------------------------------------------- */

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

static void
append_origin(char *dst, const char *origin)
{
	size_t len = strlen(dst);

	if (strstr(dst, origin) != NULL)
		return;
	if (len > 0)
		snprintf(dst + len, ORIGIN_MAX - len, "; %s", origin);
	else
		snprintf(dst, ORIGIN_MAX, "%s", origin);
}

static struct target *
target_add(struct run *r, enum dnsbl_kind kind, int family,
    const unsigned char *addr, const char *name, const char *origin)
{
	struct target *t;
	size_t i, alen = family == AF_INET ? 4 : 16;

	for (i = 0; i < r->ntargets; i++) {
		t = &r->targets[i];
		if (t->kind != kind)
			continue;
		if (kind == DNSBL_IP ? (t->family == family &&
		    memcmp(t->addr, addr, alen) == 0) :
		    strcmp(t->name, name) == 0) {
			append_origin(t->origin, origin);
			return t;
		}
	}
	if (r->ntargets >= MAX_TARGETS)
		return NULL;
	t = &r->targets[r->ntargets++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->family = family;
	if (kind == DNSBL_IP) {
		memcpy(t->addr, addr, alen);
		inet_ntop(family, addr, t->name, sizeof(t->name));
	} else {
		snprintf(t->name, sizeof(t->name), "%s", name);
	}
	append_origin(t->origin, origin);
	return t;
}

static size_t
count_addresses(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->ntargets; i++)
		n += r->targets[i].kind == DNSBL_IP;
	return n;
}

static bool
addr_known(const struct run *r, int family, const unsigned char *addr)
{
	size_t i;

	for (i = 0; i < r->ntargets; i++)
		if (r->targets[i].kind == DNSBL_IP &&
		    r->targets[i].family == family &&
		    memcmp(r->targets[i].addr, addr,
		    family == AF_INET ? 4 : 16) == 0)
			return true;
	return false;
}

/*
 * An address found somewhere: skip what is not a public sender.  An
 * address the user names with -H is checked whatever its scope: -H
 * 127.0.0.2 is the RFC 5782 §5 test point every list must list, and how
 * a list is tested by hand.  Only discovered ones (SPF, MX, A) are skipped.
 */
static void
address_found(struct run *r, int family, const unsigned char *addr,
    const char *origin, bool named)
{
	const char *scope;
	char text[INET6_ADDRSTRLEN];

	if (family == AF_INET6 && memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff",
	    12) == 0) {
		family = AF_INET;	/* ::ffff:a.b.c.d is an IPv4 sender */
		addr += 12;
	}
	inet_ntop(family, addr, text, sizeof(text));
	if ((plugin_family(r->p) == AF_INET && family != AF_INET) ||
	    (plugin_family(r->p) == AF_INET6 && family != AF_INET6)) {
		plugin_verbose(r->p, 1, "skipped %s (from %s): other address "
		    "family", text, origin);
		return;
	}
	if (!named && (scope = addr_scope(family, addr)) != NULL) {
		r->skipped_special++;
		plugin_detail(r->p, "skipped %s (%s address) from %s: not a "
		    "public sender", text, scope, origin);
		return;
	}
	if (!addr_known(r, family, addr) &&
	    count_addresses(r) >= (size_t)r->o->max_addresses) {
		r->skipped++;
		plugin_detail(r->p, "skipped %s from %s: over --max-addresses "
		    "%ld", text, origin, r->o->max_addresses);
		return;
	}
	target_add(r, DNSBL_IP, family, addr, NULL, origin);
}

/* An SPF network: single addresses, small ranges expanded, big ones not. */
static void
network_found(struct run *r, const struct spf_net *n)
{
	int bits = n->family == AF_INET ? 32 : 128;
	int host = bits - n->prefix;
	size_t left = (size_t)r->o->max_addresses - count_addresses(r);
	unsigned char a[16];
	unsigned long i, size;
	char text[INET6_ADDRSTRLEN];

	memcpy(a, n->addr, sizeof(a));
	if (host == 0) {
		address_found(r, n->family, a, n->origin, false);
		return;
	}
	inet_ntop(n->family, n->addr, text, sizeof(text));
	if (host >= 20 || (1ul << host) > left) {
		r->skipped++;
		plugin_detail(r->p, "not expanded: %s/%d from %s (more than "
		    "the %zu address(es) left under --max-addresses %ld)",
		    text, n->prefix, n->origin, left, r->o->max_addresses);
		return;
	}
	size = 1ul << host;
	for (i = 0; i < size; i++) {
		int k, byte = bits / 8 - 1;
		unsigned long v = i;

		memcpy(a, n->addr, sizeof(a));
		/* clear the host part, then add i */
		for (k = 0; k < host; k++)
			a[(bits - 1 - k) / 8] &= (unsigned char)~(1u <<
			    (k % 8));
		for (; v > 0 && byte >= 0; byte--, v >>= 8)
			a[byte] |= (unsigned char)(v & 255);
		address_found(r, n->family, a, n->origin, false);
	}
}

/* ---- sender discovery -------------------------------------------------- */

static void find_start(struct run *r, const char *name, int type,
    const char *origin);

static void
find_done_one(struct run *r)
{
	if (--r->find_pending == 0 && (r->spf == NULL ||
	    spf_expand_result(r->spf)->pending == 0))
		loop_stop(r->loop);
}

static void
find_on_answer(void *arg, struct dns_answer *a)
{
	struct find *f = arg;
	struct run *r = f->run;
	char origin[ORIGIN_MAX];
	size_t i;

	plugin_verbose(r->p, 2, "discovery %s %s: %s", dns_type_name(f->type),
	    f->name, dns_status_name(a->status));
	if (a->status == DNS_OK) {
		for (i = 0; i < a->n; i++) {
			if (f->type == DNS_MX) {
				if (a->rr[i].u.mx.host[0] == '\0')
					continue;
				snprintf(origin, sizeof(origin), "MX %s of %s",
				    a->rr[i].u.mx.host, f->name);
				find_start(r, a->rr[i].u.mx.host, DNS_A,
				    origin);
				find_start(r, a->rr[i].u.mx.host, DNS_AAAA,
				    origin);
			} else {
				address_found(r, f->type == DNS_A ? AF_INET :
				    AF_INET6, f->type == DNS_A ?
				    (const unsigned char *)&a->rr[i].u.a :
				    (const unsigned char *)&a->rr[i].u.aaaa,
				    f->origin, false);
			}
		}
	} else if (a->status != DNS_NODATA) {
		plugin_finding(r->p, a->status == DNS_TIMEOUT ?
		    plugin_timeout_state(r->p) : r->o->error_state,
		    "%s lookup of %s (%s): "
		    "%s", dns_type_name(f->type), f->name, f->origin,
		    dns_status_name(a->status));
	}
	find_done_one(r);
}

static void
find_start(struct run *r, const char *name, int type, const char *origin)
{
	struct find *f;

	if ((type == DNS_A && plugin_family(r->p) == AF_INET6) ||
	    (type == DNS_AAAA && plugin_family(r->p) == AF_INET))
		return;
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		state_note_oom("address lookup");
		return;
	}
	f->run = r;
	f->type = type;
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->origin, sizeof(f->origin), "%s", origin);
	f->next = r->finds;
	r->finds = f;
	r->find_pending++;
	if (dns_query(r->dns, name, type, find_on_answer, f) < 0) {
		r->find_pending--;
		plugin_finding(r->p, r->o->error_state, "cannot look up %s",
		    name);
	}
}

static void
spf_done(void *arg)
{
	struct run *r = arg;

	if (r->find_pending == 0)
		loop_stop(r->loop);
}

/* -H: an address, or a host name (its A and AAAA, and the name itself). */
static int
add_host(struct run *r, const char *arg)
{
	unsigned char a[16];
	char name[DNSBL_ZONE_MAX], err[160], origin[ORIGIN_MAX];
	int family = addr_parse(arg, a);

	/* the unspecified address (RFC 6890) is no sender to look up */
	if (family != 0 && addr_unspecified(family, a))
		return plugin_usage_error(r->p, "invalid -H '%s': the "
		    "unspecified address is not a sender", arg);
	if (family != 0) {
		address_found(r, family, a, "-H", true);
		return 0;
	}
	if (dns_name_normalize(arg, name, sizeof(name), err, sizeof(err)) < 0)
		return plugin_usage_error(r->p, "invalid -H '%s': %s", arg,
		    err);
	snprintf(origin, sizeof(origin), "-H %s", name);
	target_add(r, DNSBL_DOMAIN, 0, NULL, name, "-H");
	find_start(r, name, DNS_A, origin);
	find_start(r, name, DNS_AAAA, origin);
	return 0;
}

/* -S: the domain (of an address), its SPF networks, A and MX. */
static int
add_sender(struct run *r, char *domain, size_t size)
{
	const char *arg = r->o->sender, *at = strrchr(arg, '@');
	char err[160], origin[ORIGIN_MAX];

	if (dns_name_normalize(at ? at + 1 : arg, domain, size, err,
	    sizeof(err)) < 0 || strchr(domain, '.') == NULL)
		return plugin_usage_error(r->p, "invalid -S '%s': %s", arg,
		    strchr(domain, '.') == NULL ? "not a domain" : err);
	target_add(r, DNSBL_DOMAIN, 0, NULL, domain, "-S");
	if (r->o->include_a) {
		snprintf(origin, sizeof(origin), "A of %s", domain);
		find_start(r, domain, DNS_A, origin);
		find_start(r, domain, DNS_AAAA, origin);
	}
	if (r->o->include_mx)
		find_start(r, domain, DNS_MX, "MX");
	if (!r->o->no_spf && spf_expand_new(&r->spf, r->dns, domain, spf_done,
	    r) < 0) {
		state_note_oom("SPF lookup");
		return -1;
	}
	return 0;
}

/* SPF outcomes to states: one table. */
static void
report_spf(struct run *r)
{
	const struct spf_result *res;
	size_t i;

	if (r->spf == NULL)
		return;
	res = spf_expand_result(r->spf);
	for (i = 0; i < res->nnets; i++)
		network_found(r, &res->nets[i]);
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
			    plugin_timeout_state(r->p) : r->o->error_state,
			    "SPF incomplete: %s", n->text);
			break;
		}
		if (r->spf_issue[0] == '\0')
			/* the long-output line has the whole text */
			snprintf(r->spf_issue, sizeof(r->spf_issue), "%s%.120s%s",
			    n->kind == SPF_NOTE_PERMERROR ? "SPF permerror: " :
			    n->kind == SPF_NOTE_TEMPERROR ? "SPF incomplete: " :
			    "", n->text, strlen(n->text) > 120 ? "..." : "");
	}
	plugin_verbose(r->p, 1, "SPF: %u DNS-querying term(s), %u void "
	    "lookup(s)", res->lookups, res->voids);
}

static int
discover(struct run *r)
{
	char domain[DNSBL_ZONE_MAX];
	size_t i;

	for (i = 0; i < r->o->nhosts; i++)
		if (add_host(r, r->o->hosts[i]) < 0)
			return -1;
	if (r->o->sender != NULL && add_sender(r, domain, sizeof(domain)) < 0)
		return -1;
	if (r->find_pending > 0 || (r->spf != NULL &&
	    spf_expand_result(r->spf)->pending > 0)) {
		if (loop_run(r->loop) == LOOP_DEADLINE) {
			r->deadline = true;
			plugin_finding(r->p, plugin_timeout_state(r->p),
			    "deadline of %gs reached during sender discovery "
			    "(%zu lookup(s) pending): no list was asked",
			    plugin_timeout(r->p), dns_pending(r->dns));
		}
	}
	report_spf(r);
	return 0;
}

/* ---- list queries ------------------------------------------------------ */

static void send_more(struct run *r);

static void
query_finish_part(struct query *q)
{
	struct run *r = q->run;

	if (q->a_done && q->txt_done)
		plugin_verbose(r->p, 2, "%s: %s, %zu A record(s) (%.0f ms)",
		    q->name, dns_status_name(q->status), q->ncodes,
		    q->elapsed * 1000);
	send_more(r);
	if (dns_pending(r->dns) == 0 && r->next == r->nqueries)
		loop_stop(r->loop);
}

static int
code_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
rr_txt_cmp(const void *a, const void *b)
{
	const struct dns_rr *x = a, *y = b;
	size_t n = x->u.txt.len < y->u.txt.len ? x->u.txt.len : y->u.txt.len;
	int c = memcmp(x->u.txt.text, y->u.txt.text, n);

	return c ? c : (x->u.txt.len > y->u.txt.len) -
	    (x->u.txt.len < y->u.txt.len);
}

static void
query_on_a(void *arg, struct dns_answer *a)
{
	struct query *q = arg;
	size_t i;

	q->a_done = true;
	q->status = a->status;
	q->elapsed = a->elapsed;
	for (i = 0; a->status == DNS_OK && i < a->n &&
	    q->ncodes < DNSBL_MAX_CODES; i++)
		q->codes[q->ncodes++] = ntohl(a->rr[i].u.a.s_addr);
	/* deterministic output whatever order the resolver used */
	qsort(q->codes, q->ncodes, sizeof(q->codes[0]), code_cmp);
	query_finish_part(q);
}

static void
query_on_txt(void *arg, struct dns_answer *a)
{
	struct query *q = arg;
	size_t i, used = 0;

	q->txt_done = true;
	if (a->status == DNS_OK && a->n > 1)
		qsort(a->rr, a->n, sizeof(a->rr[0]), rr_txt_cmp);
	for (i = 0; a->status == DNS_OK && i < a->n; i++) {
		char clean[TXT_MAX];

		/* network text: sanitised before it goes anywhere */
		text_sanitize(clean, sizeof(clean), a->rr[i].u.txt.text,
		    a->rr[i].u.txt.len, 120);
		if (used + strlen(clean) + 4 >= sizeof(q->txt))
			break;
		used += (size_t)snprintf(q->txt + used, sizeof(q->txt) - used,
		    "%s%s", used ? " / " : "", clean);
	}
	query_finish_part(q);
}

static void
query_add(struct run *r, enum query_role role, size_t target, size_t zone,
    const char *name)
{
	struct query *q;

	if (r->nqueries >= r->capqueries) {
		r->dropped++;
		return;
	}
	q = &r->queries[r->nqueries++];
	memset(q, 0, sizeof(*q));
	q->run = r;
	q->role = role;
	q->target = target;
	q->zone = zone;
	q->want_txt = role == Q_TARGET && !r->o->no_txt;
	q->txt_done = !q->want_txt;
	q->status = DNS_TIMEOUT;	/* until an answer says otherwise */
	snprintf(q->name, sizeof(q->name), "%s", name);
}

static void
build_zones(struct run *r)
{
	size_t i, k;

	for (i = 0; i < r->o->nspecs; i++) {
		const struct dnsbl_spec *s = &r->o->specs[i];

		for (k = 0; k < r->nzones; k++)
			if (r->zones[k].kind == s->kind &&
			    strcmp(r->zones[k].zone, s->zone) == 0)
				break;
		if (k == r->nzones) {
			r->zones[k].zone = s->zone;
			r->zones[k].kind = s->kind;
			r->nzones++;
		}
	}
}

static void
build_queries(struct run *r)
{
	static const unsigned char c2[4] = { 127, 0, 0, 2 },
	    c1[4] = { 127, 0, 0, 1 };
	unsigned char m2[16] = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 2 },
	    m1[16] = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 };
	char name[DNSBL_NAME_MAX];
	bool have6 = false;
	size_t z, t;

	for (t = 0; t < r->ntargets; t++)
		have6 |= r->targets[t].kind == DNSBL_IP &&
		    r->targets[t].family == AF_INET6;
	for (z = 0; z < r->nzones; z++) {
		const struct zone *zn = &r->zones[z];

		for (t = 0; t < r->ntargets; t++) {
			const struct target *tg = &r->targets[t];

			if (tg->kind != zn->kind)
				continue;
			if ((tg->kind == DNSBL_IP ? dnsbl_ip_name(tg->family,
			    tg->addr, false, zn->zone, name, sizeof(name)) :
			    dnsbl_domain_name(tg->name, zn->zone, name,
			    sizeof(name))) < 0) {
				plugin_finding(r->p, r->o->error_state, "%s: "
				    "query name on %s too long", tg->name,
				    zn->zone);
				continue;
			}
			query_add(r, Q_TARGET, t, z, name);
		}
		/*
		 * RFC 5782 §5 controls.  The positive one always, in the same
		 * round: a zone that does not exist or lists nothing answers
		 * NXDOMAIN for every query, which would read as clean.  The
		 * full test (negative and IPv6 controls) with --selftest.
		 */
		if (zn->kind == DNSBL_DOMAIN) {
			dnsbl_domain_name("test", zn->zone, name, sizeof(name));
			query_add(r, Q_CTL_POS, 0, z, name);
			if (!r->o->selftest)
				continue;
			dnsbl_domain_name("invalid", zn->zone, name,
			    sizeof(name));
			query_add(r, Q_CTL_NEG, 0, z, name);
			continue;
		}
		dnsbl_ip_name(AF_INET, c2, false, zn->zone, name, sizeof(name));
		query_add(r, Q_CTL_POS, 0, z, name);
		if (!r->o->selftest)
			continue;
		dnsbl_ip_name(AF_INET, c1, false, zn->zone, name, sizeof(name));
		query_add(r, Q_CTL_NEG, 0, z, name);
		if (!have6)
			continue;
		/* ::FFFF:7F00:2 as 32 nibbles, not as IPv4 */
		if (dnsbl_ip_name(AF_INET6, m2, true, zn->zone, name,
		    sizeof(name)) == 0)
			query_add(r, Q_CTL_POS6, 0, z, name);
		if (dnsbl_ip_name(AF_INET6, m1, true, zn->zone, name,
		    sizeof(name)) == 0)
			query_add(r, Q_CTL_NEG6, 0, z, name);
	}
}

/*
 * Everything at once: one resolver round trip (DESIGN.md §6), up to
 * MAX_INFLIGHT queries.  A resolver drops what is over its own per-client
 * limit (Unbound: num-queries-per-thread, 512 or 1024), which would turn
 * into timeouts; a larger run refills the window as answers come.
 */
static void
send_more(struct run *r)
{
	if (r->sending)
		return;		/* an answer that came inside dns_query() */
	r->sending = true;
	while (r->next < r->nqueries &&
	    dns_pending(r->dns) + 2 <= MAX_INFLIGHT) {
		struct query *q = &r->queries[r->next++];

		if (dns_query(r->dns, q->name, DNS_A, query_on_a, q) < 0) {
			q->a_done = q->txt_done = true;
			q->status = DNS_ERROR;
			continue;
		}
		if (q->want_txt && dns_query(r->dns, q->name, DNS_TXT,
		    query_on_txt, q) < 0)
			q->txt_done = true;
	}
	r->sending = false;
}

static void
send_queries(struct run *r)
{
	send_more(r);
	if ((dns_pending(r->dns) > 0 || r->next < r->nqueries) &&
	    loop_run(r->loop) == LOOP_DEADLINE)
		r->deadline = true;
}

static size_t
count_unanswered(const struct run *r)
{
	size_t i, n = 0;

	/* the (target, list) pairs: the controls are our own questions */
	for (i = 0; i < r->nqueries; i++)
		n += r->queries[i].role == Q_TARGET && !r->queries[i].a_done;
	return n;
}

/* ---- judging ----------------------------------------------------------- */

static void
codes_text(const char *zone, const uint32_t *codes, size_t n, char *out,
    size_t outsize)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used + 1 < outsize; i++) {
		char c[16];
		const char *m = dnsbl_code_meaning(zone, codes[i]);
		int w;

		dnsbl_code_text(codes[i], c, sizeof(c));
		w = snprintf(out + used, outsize - used, "%s%s%s%s",
		    i ? ", " : "", c, m ? " " : "", m ? m : "");
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* RFC 5782 §5: a list that fails its controls is broken. */
static void
judge_controls(struct run *r)
{
	static const struct dnsbl_spec any = { .kind = DNSBL_IP };
	size_t i;

	for (i = 0; i < r->nqueries; i++) {
		const struct query *q = &r->queries[i];
		struct zone *zn = &r->zones[q->zone];
		struct dnsbl_verdict v;
		bool positive = q->role == Q_CTL_POS || q->role == Q_CTL_POS6;
		char codes[128];

		bool v6 = q->role == Q_CTL_POS6 || q->role == Q_CTL_NEG6;

		if (q->role == Q_TARGET || zn->broken || (v6 && zn->broken6))
			continue;
		dnsbl_classify(&any, q->status, q->codes, q->ncodes, &v);
		if (v.cls == DNSBL_FAILURE)
			continue;	/* shown on the real queries */
		/* without --selftest only the dead-zone case: the list
		 * errors of a live zone are shown on the real queries */
		if (!r->o->selftest && v.cls != DNSBL_CLEAN)
			continue;
		codes_text(zn->zone, q->codes, q->ncodes, codes,
		    sizeof(codes));
		if (positive && v.cls == DNSBL_CLEAN)
			snprintf(zn->broken_why, sizeof(zn->broken_why),
			    "control %s is not listed (%s): the zone does not "
			    "exist, is lame or lists nothing", q->name,
			    dns_status_name(q->status));
		else if (positive && v.cls != DNSBL_LISTED)
			snprintf(zn->broken_why, sizeof(zn->broken_why),
			    "control %s is not listed (%s%s%s)", q->name,
			    dnsbl_class_name(v.cls), codes[0] ? " " : "",
			    codes);
		else if (!positive && v.cls != DNSBL_CLEAN)
			snprintf(zn->broken_why, sizeof(zn->broken_why),
			    "control %s is listed (%s): the list answers for "
			    "everything", q->name, codes);
		else
			continue;
		/* a list without IPv6 support still serves IPv4 */
		if (v6)
			zn->broken6 = true;
		else
			zn->broken = true;
	}
}

static bool
zone_broken_for(const struct zone *zn, const struct target *tg)
{
	return zn->broken || (zn->broken6 && tg->kind == DNSBL_IP &&
	    tg->family == AF_INET6);
}

struct tally;
static void emit_perf(struct run *r, const struct tally *tl, size_t naddr);

struct tally {
	long score;
	unsigned listed, errors;
	char summary[600];
	unsigned in_summary, more;
};

static void
judge_one(struct run *r, const struct query *q, const struct dnsbl_spec *s,
    enum state score_state, struct tally *tl)
{
	const struct target *tg = &r->targets[q->target];
	const struct zone *zn = &r->zones[q->zone];
	struct dnsbl_verdict v;
	char codes[256];
	size_t used;

	if (zone_broken_for(zn, tg))
		return;		/* reported once per list */
	dnsbl_classify(s, q->status, q->codes, q->ncodes, &v);
	codes_text(s->zone, v.codes, v.ncodes, codes, sizeof(codes));
	switch (v.cls) {
	case DNSBL_CLEAN:
	case DNSBL_UNMATCHED:
		if (v.cls == DNSBL_UNMATCHED)
			plugin_verbose(r->p, 1, "%s on %s: %s, no code passes "
			    "the filter", tg->name, s->zone, codes);
		return;
	case DNSBL_LISTED:
		tl->listed++;
		tl->score += s->weight;
		plugin_finding(r->p, s->weight > 0 ? score_state : STATE_OK,
		    "%s %s %s (%s) weight %ld%s%s", tg->name,
		    s->weight < 0 ? "allow-listed on" : "listed on", s->zone,
		    codes, s->weight, q->txt[0] ? ": " : "", q->txt);
		if (tl->in_summary >= SUMMARY_LISTINGS) {
			tl->more++;
			return;
		}
		used = strlen(tl->summary);
		snprintf(tl->summary + used, sizeof(tl->summary) - used,
		    "%s%s on %s (%s)", tl->in_summary ? ", " : "", tg->name,
		    s->zone, codes);
		tl->in_summary++;
		return;
	case DNSBL_LIST_ERROR:
		tl->errors++;
		plugin_finding(r->p, r->o->error_state, "%s on %s: list error "
		    "%s, not a listing: %s%s%s", tg->name, s->zone, codes,
		    v.why, q->txt[0] ? "; TXT: " : "", q->txt);
		return;
	case DNSBL_FAILURE:
		tl->errors++;
		/* a query out of time, by the deadline or in its own
		 * budget, is the deadline's outcome: --timeout-result */
		plugin_finding(r->p, (r->deadline && !q->a_done) ||
		    q->status == DNS_TIMEOUT ?
		    plugin_timeout_state(r->p) : r->o->error_state,
		    "%s on %s: DNS failure (%s): neither listed nor clean",
		    tg->name, s->zone, !q->a_done ? "no answer by the deadline"
		    : v.why);
		return;
	}
}

/* Per target: which lists were clean, and where it came from. */
static void
report_targets(struct run *r)
{
	size_t t, i, clean, asked;
	char list[1500];

	for (t = 0; t < r->ntargets; t++) {
		const struct target *tg = &r->targets[t];
		size_t used = 0;

		clean = asked = 0;
		list[0] = '\0';
		for (i = 0; i < r->nqueries; i++) {
			const struct query *q = &r->queries[i];
			int w;

			if (q->role != Q_TARGET || q->target != t)
				continue;
			asked++;
			if (q->status != DNS_NXDOMAIN &&
			    q->status != DNS_NODATA)
				continue;
			clean++;
			w = snprintf(list + used, sizeof(list) - used, "%s%s",
			    used ? ", " : "", r->zones[q->zone].zone);
			if (w > 0 && (size_t)w < sizeof(list) - used)
				used += (size_t)w;
		}
		if (asked == 0)
			plugin_detail(r->p, "%s (from %s): not checked, no %s "
			    "list given", tg->name, tg->origin,
			    tg->kind == DNSBL_IP ? "IP" : "domain");
		else if (clean == 0)
			plugin_detail(r->p, "%s (from %s): clean on none of "
			    "%zu list(s)", tg->name, tg->origin, asked);
		else
			plugin_detail(r->p, "%s (from %s): clean on %zu of %zu "
			    "list(s): %s", tg->name, tg->origin, clean, asked,
			    list);
	}
}

/* "2 addresses and 1 domain": the targets that some list was asked about */
static const char *
checked_text(const struct run *r, char *out, size_t size)
{
	size_t n[2] = { 0, 0 }, t, i;

	for (t = 0; t < r->ntargets; t++)
		for (i = 0; i < r->nqueries; i++)
			if (r->queries[i].role == Q_TARGET &&
			    r->queries[i].target == t) {
				n[r->targets[t].kind]++;
				break;
			}
	if (n[0] && n[1])
		snprintf(out, size, "%zu address%s and %zu domain%s", n[0],
		    n[0] == 1 ? "" : "es", n[1], n[1] == 1 ? "" : "s");
	else if (n[1])
		snprintf(out, size, "%zu domain%s", n[1], n[1] == 1 ? "" : "s");
	else
		snprintf(out, size, "%zu address%s", n[0],
		    n[0] == 1 ? "" : "es");
	return out;
}

static void
judge(struct run *r)
{
	struct tally tl;
	enum state score_state;
	size_t i, k, naddr = count_addresses(r);
	char text[120];

	memset(&tl, 0, sizeof(tl));
	judge_controls(r);
	for (i = 0; i < r->nzones; i++)
		if (r->zones[i].broken || r->zones[i].broken6) {
			tl.errors++;
			plugin_finding(r->p, r->o->error_state, "list %s is "
			    "broken%s (RFC 5782 section 5): %s; its %sanswers "
			    "are ignored", r->zones[i].zone,
			    r->zones[i].broken ? "" : " for IPv6",
			    r->zones[i].broken_why,
			    r->zones[i].broken ? "" : "IPv6 ");
		}
	/* first pass: the score, so listing lines carry its state */
	for (i = 0; i < r->nqueries; i++) {
		const struct query *q = &r->queries[i];
		struct dnsbl_verdict v;

		if (q->role != Q_TARGET || zone_broken_for(&r->zones[q->zone],
		    &r->targets[q->target]))
			continue;
		for (k = 0; k < r->o->nspecs; k++) {
			const struct dnsbl_spec *s = &r->o->specs[k];

			if (s->kind != r->zones[q->zone].kind ||
			    strcmp(s->zone, r->zones[q->zone].zone) != 0)
				continue;
			dnsbl_classify(s, q->status, q->codes, q->ncodes, &v);
			if (v.cls == DNSBL_LISTED)
				tl.score += s->weight;
		}
	}
	score_state = range_thresholds_check(plugin_thresholds(r->p),
	    (double)tl.score);
	plugin_raise(r->p, score_state);
	tl.score = 0;
	for (i = 0; i < r->nqueries; i++) {
		const struct query *q = &r->queries[i];
		bool failure_seen = false;

		if (q->role != Q_TARGET)
			continue;
		for (k = 0; k < r->o->nspecs; k++) {
			const struct dnsbl_spec *s = &r->o->specs[k];
			bool failure = q->status != DNS_OK &&
			    q->status != DNS_NXDOMAIN &&
			    q->status != DNS_NODATA;

			if (s->kind != r->zones[q->zone].kind ||
			    strcmp(s->zone, r->zones[q->zone].zone) != 0)
				continue;
			/* one failure line per query, not per spec */
			if (failure && failure_seen)
				continue;
			failure_seen |= failure;
			judge_one(r, q, s, score_state, &tl);
		}
	}
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
	emit_perf(r, &tl, naddr);
}

static void
emit_perf(struct run *r, const struct tally *tl, size_t naddr)
{
	const struct range_thresholds *thr = plugin_thresholds(r->p);
	struct perfdata pd;
	double elapsed;

	elapsed = loop_now() - r->start;
	memset(&pd, 0, sizeof(pd));
	pd.label = "listed";
	pd.value = tl->listed;
	pd.has_min = true;
	plugin_perf(r->p, &pd);
	pd.label = "score";
	pd.value = (double)tl->score;
	pd.has_min = false;
	pd.warn = thr->has_warn ? thr->warn.text : NULL;
	pd.crit = thr->has_crit ? thr->crit.text : NULL;
	plugin_perf(r->p, &pd);
	memset(&pd, 0, sizeof(pd));
	pd.has_min = true;
	pd.label = "addresses";
	pd.value = (double)naddr;
	plugin_perf(r->p, &pd);
	pd.label = "lists";
	pd.value = (double)r->nzones;
	plugin_perf(r->p, &pd);
	pd.label = "errors";
	pd.value = tl->errors;
	plugin_perf(r->p, &pd);
	pd.label = "time";
	pd.value = elapsed;
	pd.uom = "s";
	plugin_perf(r->p, &pd);
}

/* ---- the run ----------------------------------------------------------- */

static int
run_init(struct run *r, struct plugin *p, const struct opts *o)
{
	struct dns_config cfg;
	char err[200];
	double per_try;

	memset(r, 0, sizeof(*r));
	r->p = p;
	r->o = o;
	r->start = loop_now();
	r->targets = calloc(MAX_TARGETS, sizeof(*r->targets));
	r->zones = calloc(o->nspecs, sizeof(*r->zones));
	r->loop = loop_new();
	if (r->targets == NULL || r->zones == NULL || r->loop == NULL) {
		state_note_oom("run setup");
		return -1;
	}
	/*
	 * Per-query timeout below the deadline: c-ares doubles the wait on
	 * the second try, so two tries take three times the first.
	 */
	per_try = plugin_timeout(p) / 5;
	if (per_try > 2.0)
		per_try = 2.0;
	if (per_try < 0.1)
		per_try = 0.1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.timeout = per_try;
	cfg.tries = 2;
	cfg.servers = plugin_dns_servers(p, &cfg.nservers);
	if (dns_new(&r->dns, r->loop, &cfg, err, sizeof(err)) < 0) {
		plugin_usage_error(p, "DNS setup: %s", err);
		return -1;
	}
	loop_set_deadline(r->loop, plugin_timeout(p));
	return 0;
}

static void
run_release(struct run *r)
{
	struct find *f;

	dns_free(r->dns);	/* first: pending answers point into r */
	spf_expand_free(r->spf);
	while ((f = r->finds) != NULL) {
		r->finds = f->next;
		free(f);
	}
	loop_free(r->loop);
	free(r->queries);
	free(r->zones);
	free(r->targets);
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

	for (i = 0; i < r->nqueries; i++)
		if (r->queries[i].role == Q_TARGET)
			return false;
	for (i = 0; i < r->ntargets; i++) {
		if (r->targets[i].kind == DNSBL_IP)
			naddr++;
		else
			ndom++;
	}
	for (i = 0; i < r->nzones; i++) {
		if (r->zones[i].kind == DNSBL_IP)
			iplist = true;
		else
			domlist = true;
	}
	if (naddr > 0 && !iplist)
		textf_append(why, sizeof(why), "no IP list for %zu address(es)",
		    naddr);
	if (naddr == 0 && iplist)
		textf_append(why, sizeof(why), "no address to ask the IP "
		    "list(s) about%s", r->skipped_special > 0 ? " (every "
		    "address found is special-purpose)" : "");
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
	size_t per_zone;

	struct tally none;

	memset(&none, 0, sizeof(none));
	if (discover(r) < 0)
		return;
	if (r->deadline) {
		plugin_summary(r->p, "sender discovery did not finish by the "
		    "deadline");
		emit_perf(r, &none, count_addresses(r));
		return;
	}
	if (r->ntargets == 0) {
		plugin_set_state(r->p, STATE_UNKNOWN);
		plugin_summary(r->p, "nothing was checked: no public address "
		    "or domain was found%s", r->skipped_special > 0 ?
		    " (every address found is special-purpose)" : "");
		return;
	}
	build_zones(r);
	per_zone = r->ntargets + 4;
	r->capqueries = r->nzones * per_zone;
	if (r->capqueries > MAX_QUERIES)
		r->capqueries = MAX_QUERIES;
	r->queries = calloc(r->capqueries, sizeof(*r->queries));
	if (r->queries == NULL) {
		state_note_oom("DNSBL queries");
		return;
	}
	build_queries(r);
	if (nothing_checked(r))
		return;
	if (r->dropped > 0)
		plugin_finding(r->p, STATE_UNKNOWN, "%zu (address, list) "
		    "queries over the limit of %d were not sent: fewer lists "
		    "or --max-addresses", r->dropped, MAX_QUERIES);
	send_queries(r);
	judge(r);
	if (r->deadline)
		plugin_finding(r->p, plugin_timeout_state(r->p), "deadline of "
		    "%gs reached with %zu list query(ies) unanswered; the "
		    "other results stand", plugin_timeout(r->p),
		    count_unanswered(r));
}

/* All this plugin sets before its options (the config-init). */
static const struct plugin_config config = {
	.progname = "check_dnsbl_sender",
	.label = "DNSBL SENDER",
	.help = help,
	.usage = usage,
	.server_check = addr_server_check,
};

int
main(int argc, char **argv)
{
	struct plugin *p;
	struct opts o;
	struct run r;

	p = plugin_start(&config);
	memset(&o, 0, sizeof(o));
	if (parse_options(p, &o, argc, argv) == 0) {
		if (run_init(&r, p, &o) == 0)
			check(&r);
		run_release(&r);
	}
	free(o.specs);
	return plugin_finish(p);
}
