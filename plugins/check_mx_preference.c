/*
 * check_mx_preference - is a domain's MX set sane and in the order its
 * owner meant?  The look a mail admin takes with "nslookup -type=mx",
 * made exact: lib/mx finds the hosts a sender would use (RFC 5321 §5.1)
 * in two resolver round trips, optionally every address is probed for its
 * 220 greeting at once (net/smtp in banner-only mode), and judge() below
 * maps what was found to states through one table (verdicts[]).
 */
#include <config.h>

#include "net/addr.h"
#include "net/dns.h"
#include "net/loop.h"
#include "mail/mx.h"
#include "net/smtp.h"
#include "core/perfdata.h"
#include "core/options.h"
#include "core/plugin.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EXPECT 32		/* -P globs and -E records */
#define MAX_PROBES 128		/* addresses probed by --connect */
#define DEFAULT_PORT 25

static const char usage[] =
    "Usage: check_mx_preference -D DOMAIN [-s DNS[:PORT]]... [-t SECS]\n"
    "    [--timeout-result STATE] [-4|-6] [-v]... [-P GLOB[,GLOB...]]\n"
    "    [-E 'PREF HOST[,PREF HOST...]'] [--trap GLOB]... [--no-builtin-traps]\n"
    "    [--list-traps] [-w RANGE] [-c RANGE] [--connect [-p PORT]]\n"
    "    [--expect-null] [--allow-implicit] [--allow-private] [--require-dnssec]";

enum {
	OPT_TRAP = OPTIONS_OPT_LAST, OPT_NO_BUILTIN, OPT_LIST_TRAPS,
	OPT_CONNECT, OPT_EXPECT_NULL, OPT_ALLOW_IMPLICIT, OPT_ALLOW_PRIVATE,
	OPT_REQUIRE_DNSSEC
};

struct expect_rec {
	unsigned pref;
	char host[MX_NAME_MAX];	/* "" for the null MX "." */
};

/* The parsed command line: the only state that outlives a function. */
struct opts {
	char domain[MX_NAME_MAX];
	bool unicode;
	const char *primary_arg;
	char primary[MAX_EXPECT][MX_NAME_MAX];
	size_t nprimary;
	const char *expect_arg;
	struct expect_rec expect[MAX_EXPECT];
	size_t nexpect;
	struct trap_set traps;
	bool list_traps, connect, expect_null, allow_implicit;
	bool allow_private, require_dnssec, port_set;
	long port;
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
	V_NULL_EXPECTED, V_IMPLICIT_ALLOWED, V_TRAP_EXPECTED, V_NVERDICTS
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
};

/* ---- one run ------------------------------------------------------------ */

enum probe_state {
	PROBE_CONNECTING, PROBE_BANNER, PROBE_ACCEPTING, PROBE_REFUSING,
	PROBE_BAD, PROBE_CONNECT_FAILED, PROBE_CONNECT_TIMEOUT,
	PROBE_BANNER_TIMEOUT, PROBE_CLOSED, PROBE_LOCAL_ERROR, PROBE_NSTATES
};

static const char *const probe_state_names[PROBE_NSTATES] = {
	"connecting", "waiting for the banner", "accepting",
	"not accepting", "bad greeting", "connect failed",
	"connect timeout", "banner timeout", "closed before the banner",
	"local error"
};

struct run;

struct probe {
	struct run *r;
	size_t host, addr;
	enum probe_state st;
	double connect_time, banner_time;
	struct smtp_session *s;	/* net/smtp in banner-only mode */
	struct smtp_reply greet;	/* the greeting, when one came */
	char why[160];		/* what was wrong, for the report */
};

struct run {
	struct plugin *p;
	const struct opts *o;
	struct loop *loop;
	struct dns *dns;
	struct mx_set set;
	bool dns_done, timed_out;
	size_t order[MX_MAX_HOSTS];	/* hosts by preference, then name */
	struct probe *probes;
	size_t nprobes, probes_pending, not_probed;
	double probe_timeout;
	/* the headline: first finding of the worst state */
	enum state head_state;
	bool head_locked;
	char head[1100];
};

static void
verdict(struct run *r, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
verdict(struct run *r, enum verdict v, const char *fmt, ...)
{
	enum state s = v == V_TIMEOUT ? plugin_timeout_state(r->p) :
	    verdicts[v].state;
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	plugin_finding(r->p, s, "%s: %s: %s", state_name(s), verdicts[v].what,
	    text);
	/*
	 * The headline is the first finding of the worst state, except that
	 * a timeout always heads: it explains everything that is missing.
	 */
	if (r->head_locked)
		return;
	if (v == V_TIMEOUT || (s != r->head_state &&
	    state_worst(s, r->head_state) == s)) {
		r->head_state = s;
		r->head_locked = v == V_TIMEOUT;
		snprintf(r->head, sizeof(r->head), "%s: %s",
		    verdicts[v].what, text);
	}
}

/* The at-th host in output order (preference, then name). */
static bool
host_at(const struct run *r, size_t at, size_t *i)
{
	if (at >= r->set.nhosts)
		return false;
	*i = r->order[at];
	return true;
}

/* ---- --connect: TCP connect and the 220 greeting, all at once ---------- */

/* The one place a probe changes state (STYLE.md practice 3). */
static void
probe_set_state(struct probe *pr, enum probe_state st)
{
	struct run *r = pr->r;
	const struct mx_host *h = &r->set.hosts[pr->host];

	plugin_verbose(r->p, 3, "probe %s [%s]: %s -> %s", h->name,
	    h->res.addrs[pr->addr].text, probe_state_names[pr->st],
	    probe_state_names[st]);
	pr->st = st;
	if (st == PROBE_CONNECTING || st == PROBE_BANNER)
		return;
	if (--r->probes_pending == 0)
		loop_stop(r->loop);
}

/* Where a probe still running has got to (the run's deadline came). */
static void
probe_sync(struct probe *pr)
{
	if (pr->s != NULL && (pr->st == PROBE_CONNECTING ||
	    pr->st == PROBE_BANNER))
		pr->st = pr->s->stage == SMTP_CONNECT ? PROBE_CONNECTING :
		    PROBE_BANNER;
}

/* The greeting's text for output: enhanced code and text, sanitised. */
static void
probe_reply_text(const struct probe *pr, char *out, size_t size)
{
	char raw[SMTP_TEXT_MAX + 24];
	const struct smtp_reply *rp = &pr->greet;

	snprintf(raw, sizeof(raw), "%s%s%s", rp->enh, rp->enh[0] ? " " : "",
	    rp->text);
	text_sanitize(out, size, raw, strlen(raw), 80);
}

/*
 * net/smtp's outcome as the probe's state: the session reads and checks
 * the greeting (one reply parser, one limit for the whole client), the
 * probe only names what happened.
 */
static void
probe_done(struct smtp_session *s, void *arg)
{
	struct probe *pr = arg;
	enum probe_state st;

	pr->connect_time = s->t_connect;
	(void)text_copy(pr->why, sizeof(pr->why), s->errtext);
	switch (s->error) {
	case SMTP_OK:
		pr->greet = s->banner;
		pr->banner_time = s->t_connect + s->t_banner;
		st = s->banner.code == 220 ? PROBE_ACCEPTING : PROBE_REFUSING;
		break;
	case SMTP_ERR_CONNECT:
		st = PROBE_CONNECT_FAILED;
		break;
	case SMTP_ERR_TIMEOUT:
		st = s->failed_stage == SMTP_CONNECT ? PROBE_CONNECT_TIMEOUT :
		    PROBE_BANNER_TIMEOUT;
		break;
	case SMTP_ERR_CLOSED:
		st = PROBE_CLOSED;
		break;
	case SMTP_ERR_PROTOCOL:
		st = PROBE_BAD;
		break;
	default:
		st = PROBE_LOCAL_ERROR;
		break;
	}
	probe_set_state(pr, st);
}

static void
probe_start(struct run *r, struct probe *pr)
{
	const struct addr_sock *a = &r->set.hosts[pr->host].res.addrs[pr->addr];
	struct smtp_params sp;

	memset(&sp, 0, sizeof(sp));
	memcpy(&sp.addr, &a->ss, sizeof(sp.addr));
	sp.addrlen = a->len;
	addr_set_port(&sp.addr, (unsigned)r->o->port);
	sp.banner_only = true;
	sp.tls = SMTP_TLS_NEVER;
	sp.connect_timeout = sp.banner_timeout = sp.command_timeout =
	    r->probe_timeout;
	sp.done = probe_done;
	sp.arg = pr;
	if (smtp_session_new(&pr->s, r->loop, &sp) < 0) {
		(void)text_copy(pr->why, sizeof(pr->why), strerror(ENOMEM));
		smtp_session_free(pr->s);
		pr->s = NULL;
		probe_set_state(pr, PROBE_LOCAL_ERROR);
	}
}

static void
probes_start(struct run *r)
{
	const struct mx_set *s = &r->set;
	size_t at, i, j, n = 0;

	for (i = 0; i < s->nhosts; i++)
		if (!(s->hosts[i].flags & MX_F_DUP))
			n += s->hosts[i].res.naddrs;
	if (n > MAX_PROBES) {
		r->not_probed = n - MAX_PROBES;
		n = MAX_PROBES;
	}
	if (n == 0)
		return;
	r->probes = calloc(n, sizeof(*r->probes));
	if (r->probes == NULL) {
		plugin_oom(r->p);
		return;
	}
	/*
	 * Each probe gets most of what is left of the run, so a silent host
	 * ends as a probe timeout with a verdict, not as the run's deadline.
	 */
	r->probe_timeout = loop_remaining(r->loop) * 0.8;
	for (at = 0; host_at(r, at, &i) && r->nprobes < n; at++) {
		if (s->hosts[i].flags & MX_F_DUP)
			continue;
		for (j = 0; j < s->hosts[i].res.naddrs && r->nprobes < n; j++) {
			struct probe *pr = &r->probes[r->nprobes++];

			pr->r = r;
			pr->host = i;
			pr->addr = j;
			pr->st = PROBE_CONNECTING;
		}
	}
	r->probes_pending = r->nprobes;
	for (i = 0; i < r->nprobes; i++)
		probe_start(r, &r->probes[i]);
}

static void
probes_release(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nprobes; i++)
		smtp_session_free(r->probes[i].s);
	free(r->probes);
	r->probes = NULL;
}

/* ---- the lookup --------------------------------------------------------- */

static void
on_mx_done(void *arg, struct mx_set *s)
{
	struct run *r = arg;

	r->dns_done = true;
	mx_display_order(s, r->order);
	if (r->o->connect)
		probes_start(r);
	if (r->probes_pending == 0)
		loop_stop(r->loop);
}

static int
run_lookup(struct run *r)
{
	struct plugin *p = r->p;
	struct dns_config cfg;
	struct mx_params par;
	char err[160];
	uint64_t seed;
	enum loop_result lr;
	size_t i;

	r->loop = loop_new();
	if (r->loop == NULL) {
		plugin_oom(p);
		return -1;
	}
	loop_set_deadline(r->loop, plugin_timeout(p));
	/*
	 * Per-try DNS timeout of half the run (at most 5 s), two tries: a
	 * lost packet is retried in time, and a resolver that never answers
	 * meets the run's deadline, which names what was pending.
	 */
	memset(&cfg, 0, sizeof(cfg));
	cfg.timeout = plugin_timeout(p) / 2 < 5 ? plugin_timeout(p) / 2 : 5;
	cfg.tries = 2;
	cfg.servers = plugin_dns_servers(p, &cfg.nservers);

	if (dns_new(&r->dns, r->loop, &cfg, err, sizeof(err)) < 0) {
		plugin_usage_error(p, "cannot set up the resolver: %s", err);
		return -1;
	}
	/* RFC 5321 §5.1 wants equal preferences randomised for real */
	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		seed = (uint64_t)(loop_now() * 1e9);
	memset(&par, 0, sizeof(par));
	par.family = plugin_family(p);
	par.seed = seed;
	par.traps = &r->o->traps;
	if (mx_resolve_start(&r->set, r->dns, r->o->domain, &par, on_mx_done,
	    r, err, sizeof(err)) < 0) {
		plugin_usage_error(p, "%s", err);
		return -1;
	}
	if (r->dns_done && r->probes_pending == 0)
		return 0;
	lr = loop_run(r->loop);
	for (i = 0; i < r->nprobes; i++)
		probe_sync(&r->probes[i]);
	if (lr == LOOP_DEADLINE)
		r->timed_out = true;
	else if (lr == LOOP_ERROR) {
		plugin_usage_error(p, "poll() failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- judging ------------------------------------------------------------ */

static bool
host_usable(const struct mx_host *h)
{
	return !(h->flags & (MX_F_NULL | MX_F_TRAP | MX_F_LITERAL)) &&
	    h->res.naddrs > 0;
}

static size_t
count_usable(const struct mx_set *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nhosts; i++)
		if (host_usable(&s->hosts[i]) && !(s->hosts[i].flags & MX_F_DUP))
			n++;
	return n;
}

static size_t
count_traps(const struct mx_set *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nhosts; i++)
		if (s->hosts[i].flags & MX_F_TRAP)
			n++;
	return n;
}

/* Lowest preference among real targets (no null), and whether any. */
static bool
lowest_pref(const struct mx_set *s, bool skip_traps, unsigned *out)
{
	size_t i;
	bool any = false;

	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *h = &s->hosts[i];

		if ((h->flags & MX_F_NULL) ||
		    (skip_traps && (h->flags & MX_F_TRAP)))
			continue;
		if (!any || h->pref < *out)
			*out = h->pref;
		any = true;
	}
	return any;
}

static void
fmt_status(char *out, size_t size, const struct mx_host *h)
{
	char a[48] = "", b[48] = "";

	if (h->res.asked4)
		snprintf(a, sizeof(a), "A %s", h->res.pending4 ? "pending" :
		    dns_status_name(h->res.st4));
	if (h->res.asked6)
		snprintf(b, sizeof(b), "AAAA %s", h->res.pending6 ? "pending" :
		    dns_status_name(h->res.st6));
	snprintf(out, size, "%s%s%s", a, a[0] && b[0] ? ", " : "", b);
}

static void
judge_targets(struct run *r)
{
	const struct mx_set *s = &r->set;
	unsigned lowest = 0, lowest_real = 0, highest_real = 0;
	bool any_real = lowest_pref(s, true, &lowest_real);
	size_t at, i, k;
	char st[128];

	lowest_pref(s, false, &lowest);
	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *h = &s->hosts[i];

		if (!(h->flags & (MX_F_NULL | MX_F_TRAP)) &&
		    h->pref > highest_real)
			highest_real = h->pref;
	}
	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];
		char list[512] = "";
		size_t used = 0;

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
			    "section 10.3)", h->name, h->res.cname ? h->res.cname : "?");
		if (h->flags & MX_F_LITERAL)
			verdict(r, V_LITERAL, "%s at preference %u: an MX "
			    "target must be a host name (RFC 5321 section 5.1)",
			    h->name, h->pref);
		if ((h->flags & MX_F_NOADDR) && !(h->flags & MX_F_IMPLICIT) &&
		    !(h->flags & MX_F_DUP)) {
			fmt_status(st, sizeof(st), h);
			verdict(r, V_NOADDR, "%s %s at preference %u has no "
			    "address (%s)", h->pref == lowest ? "primary" :
			    "backup", h->name, h->pref, st);
		}
		if (r->o->allow_private || (h->flags & MX_F_DUP))
			continue;
		for (k = 0; k < h->res.naddrs && used + 64 < sizeof(list); k++) {
			const char *sp = h->res.addrs[k].scope;
			int n;

			if (sp == NULL)
				continue;
			n = snprintf(list + used, sizeof(list) - used, "%s%s "
			    "(%s)", used ? ", " : "", h->res.addrs[k].text, sp);
			if (n > 0)
				used += (size_t)n;
		}
		if (used > 0)
			verdict(r, V_PRIVATE, "%s resolves to %s", h->name,
			    list);
	}
}

static int
cmp_rec(const void *a, const void *b)
{
	const struct expect_rec *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcmp(x->host, y->host);
}

static void
fmt_recs(char *out, size_t size, const struct expect_rec *v, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		int k = snprintf(out + used, size - used, "%s%u %s",
		    i ? ", " : "", v[i].pref, v[i].host[0] ? v[i].host : ".");

		if (k < 0)
			break;
		used += (size_t)k;
	}
	if (n == 0)
		snprintf(out, size, "(none)");
}

static bool
recs_equal(const struct expect_rec *a, size_t na, const struct expect_rec *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (cmp_rec(&a[i], &b[i]) != 0)
			return false;
	return true;
}

static void
judge_expectations(struct run *r)
{
	const struct opts *o = r->o;
	const struct mx_set *s = &r->set;
	unsigned lowest;
	size_t at, i, j;

	if (o->nprimary > 0 && lowest_pref(s, false, &lowest)) {
		char found[512] = "";
		size_t used = 0;
		bool bad = false;

		for (at = 0; host_at(r, at, &i); at++) {
			const struct mx_host *h = &s->hosts[i];
			bool m = false;
			int k;

			if ((h->flags & MX_F_NULL) || h->pref != lowest)
				continue;
			for (j = 0; j < o->nprimary && !m; j++)
				m = trap_glob_match(o->primary[j], h->name);
			if (!m)
				bad = true;
			k = snprintf(found + used, sizeof(found) - used,
			    "%s%s", used ? ", " : "", h->name);
			if (k > 0 && (size_t)k < sizeof(found) - used)
				used += (size_t)k;
		}
		if (bad)
			verdict(r, V_EXPECT_PRIMARY, "expected %s, found %s "
			    "(preference %u)", o->primary_arg, found, lowest);
	} else if (o->nprimary > 0) {
		verdict(r, V_EXPECT_PRIMARY, "expected %s, found no MX host",
		    o->primary_arg);
	}
	if (o->nexpect > 0) {
		struct expect_rec want[MAX_EXPECT], got[MX_MAX_HOSTS];
		char ws[1024], gs[1024];
		size_t ng = 0;

		memcpy(want, o->expect, o->nexpect * sizeof(*want));
		qsort(want, o->nexpect, sizeof(*want), cmp_rec);
		for (i = 0; i < s->nhosts && !s->implicit; i++) {
			got[ng].pref = s->hosts[i].pref;
			memcpy(got[ng].host, s->hosts[i].name, MX_NAME_MAX);
			ng++;
		}
		qsort(got, ng, sizeof(*got), cmp_rec);
		if (!recs_equal(want, o->nexpect, got, ng)) {
			fmt_recs(ws, sizeof(ws), want, o->nexpect);
			fmt_recs(gs, sizeof(gs), got, ng);
			verdict(r, V_EXPECT_MX, "expected %s; found %s", ws,
			    gs);
		}
	}
}

static void
judge_dnssec(struct run *r)
{
	const struct mx_set *s = &r->set;
	char list[512] = "";
	size_t at, i, used = 0;

	if (!r->o->require_dnssec)
		return;
	if (!s->mx_ad) {
		int k = snprintf(list, sizeof(list), "MX %s", s->domain);

		used = k > 0 ? (size_t)k : 0;
	}
	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];
		int k = 0;

		if (h->flags & MX_F_DUP)
			continue;
		if (h->res.asked4 && !h->res.pending4 && !h->res.ad4)
			k = snprintf(list + used, sizeof(list) - used,
			    "%sA %s", used ? ", " : "", h->name);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
		k = 0;
		if (h->res.asked6 && !h->res.pending6 && !h->res.ad6)
			k = snprintf(list + used, sizeof(list) - used,
			    "%sAAAA %s", used ? ", " : "", h->name);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	if (used > 0)
		verdict(r, V_NOT_VALIDATED, "answers without the AD bit: %s",
		    list);
}

static const char *
host_reason(const struct run *r, size_t host, char *out, size_t size)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < r->nprobes; i++) {
		const struct probe *pr = &r->probes[i];
		const struct mx_host *h = &r->set.hosts[pr->host];
		int k;

		if (pr->host != host)
			continue;
		if (pr->st == PROBE_REFUSING) {
			char text[160];

			probe_reply_text(pr, text, sizeof(text));
			k = snprintf(out + used, size - used, "%s%s %d %s",
			    used ? ", " : "", h->res.addrs[pr->addr].text,
			    pr->greet.code, text);
		}
		else if (pr->st == PROBE_CONNECT_FAILED ||
		    pr->st == PROBE_LOCAL_ERROR)
			k = snprintf(out + used, size - used, "%s%s %s",
			    used ? ", " : "", h->res.addrs[pr->addr].text,
			    pr->why);
		else if (pr->st == PROBE_BAD)
			k = snprintf(out + used, size - used, "%s%s %s: %s",
			    used ? ", " : "", h->res.addrs[pr->addr].text,
			    probe_state_names[pr->st], pr->why);
		else
			k = snprintf(out + used, size - used, "%s%s %s",
			    used ? ", " : "", h->res.addrs[pr->addr].text,
			    probe_state_names[pr->st]);
		if (k < 0 || (size_t)k >= size - used)
			break;
		used += (size_t)k;
	}
	return out;
}

static bool
host_accepts(const struct run *r, size_t host)
{
	size_t i;

	for (i = 0; i < r->nprobes; i++)
		if (r->probes[i].host == host &&
		    r->probes[i].st == PROBE_ACCEPTING)
			return true;
	return false;
}

static size_t
judge_connect(struct run *r)
{
	const struct mx_set *s = &r->set;
	size_t at, i, reachable = 0, real = 0;
	unsigned primary = 0;
	bool primary_up = false, any_real = lowest_pref(s, true, &primary);
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
			if (host_accepts(r, i))
				verdict(r, V_TRAP_GREETS, "%s (%s) answers 220; "
				    "a greeting accepts no mail, a trap refuses "
				    "at MAIL or RCPT", h->name, h->trap);
			continue;
		}
		real++;
		if (host_accepts(r, i)) {
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
		    h->res.naddrs == 0 || host_accepts(r, i))
			continue;
		host_reason(r, i, why, sizeof(why));
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
	const struct mx_set *s = &r->set;
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
		    dns_status_name(s->mx_status));
		return false;
	}
	if (s->implicit) {
		if (s->hosts[0].res.naddrs == 0) {
			char st[128];

			fmt_status(st, sizeof(st), &s->hosts[0]);
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
summary(struct run *r, size_t usable)
{
	const struct mx_set *s = &r->set;
	char prim[512] = "";
	size_t at, i, used = 0;
	unsigned lowest;

	if (lowest_pref(s, false, &lowest)) {
		for (at = 0; host_at(r, at, &i); at++) {
			const struct mx_host *h = &s->hosts[i];
			int k;

			if ((h->flags & (MX_F_NULL | MX_F_DUP)) ||
			    h->pref != lowest)
				continue;
			k = snprintf(prim + used, sizeof(prim) - used, "%s%s",
			    used ? ", " : ", primary ", h->name);
			if (k > 0 && (size_t)k < sizeof(prim) - used)
				used += (size_t)k;
		}
		if (used > 0)
			snprintf(prim + used, sizeof(prim) - used, " (%u)",
			    lowest);
	}
	if (!r->dns_done)
		plugin_summary(r->p, "%s: %s", s->domain, r->head);
	else if (r->head[0] != '\0')
		plugin_summary(r->p, "%s: %s; %zu MX, %zu usable%s",
		    s->domain, r->head, s->nrecords, usable, prim);
	else
		plugin_summary(r->p, "%s: %zu MX, %zu usable%s", s->domain,
		    s->nrecords, usable, prim);
}

/* ---- the report --------------------------------------------------------- */

static void
detail_probes(struct run *r, size_t host, char *out, size_t size)
{
	size_t i, used = strlen(out);

	for (i = 0; i < r->nprobes && used < size; i++) {
		const struct probe *pr = &r->probes[i];
		const char *addr = r->set.hosts[host].res.addrs[pr->addr].text;
		char text[160];
		int k;

		if (pr->host != host)
			continue;
		probe_reply_text(pr, text, sizeof(text));
		if (pr->st == PROBE_ACCEPTING || pr->st == PROBE_REFUSING)
			k = snprintf(out + used, size - used, "; %s %d after "
			    "%.1f ms (connect %.1f ms) \"%s\"", addr,
			    pr->greet.code, pr->banner_time * 1e3,
			    pr->connect_time * 1e3, text);
		else if (pr->st == PROBE_CONNECT_FAILED ||
		    pr->st == PROBE_LOCAL_ERROR)
			k = snprintf(out + used, size - used, "; %s %s",
			    addr, pr->why);
		else if (pr->st == PROBE_BAD)
			k = snprintf(out + used, size - used, "; %s %s (%s)",
			    addr, probe_state_names[pr->st], pr->why);
		else
			k = snprintf(out + used, size - used, "; %s %s", addr,
			    pr->st == PROBE_CONNECTING ||
			    pr->st == PROBE_BANNER ? (r->timed_out ?
			    "no answer before the deadline" :
			    probe_state_names[pr->st]) :
			    probe_state_names[pr->st]);
		if (k < 0 || (size_t)k >= size - used)
			break;
		used += (size_t)k;
	}
}

/* One line per record, by preference then name (DESIGN.md §4). */
static void
details(struct run *r)
{
	const struct mx_set *s = &r->set;
	size_t idx[MX_MAX_HOSTS], i, k;
	char line[2048], st[128];

	if (s->mx_cname != NULL)
		plugin_detail(r->p, "%s is an alias of %s", s->domain,
		    s->mx_cname);
	mx_display_order(s, idx);
	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *h = &s->hosts[idx[i]];
		size_t used;

		if (h->flags & MX_F_NULL) {
			plugin_detail(r->p, "MX %u . (null MX)", h->pref);
			continue;
		}
		snprintf(line, sizeof(line), "%sMX %u %s (%s%s%s):",
		    h->flags & MX_F_IMPLICIT ? "implicit " : "", h->pref,
		    h->name, mx_role(s, h), h->trap ? ", " : "",
		    h->trap ? h->trap : "");
		used = strlen(line);
		for (k = 0; k < h->res.naddrs && used < sizeof(line); k++) {
			int n = snprintf(line + used, sizeof(line) - used,
			    "%s %s", k ? "," : "", h->res.addrs[k].text);

			if (n > 0)
				used += (size_t)n;
		}
		if (used >= sizeof(line))
			used = sizeof(line) - 1;
		if (h->flags & MX_F_LITERAL)
			snprintf(line + used, sizeof(line) - used,
			    " IP literal, not looked up");
		else if (h->flags & MX_F_DUP)
			snprintf(line + used, sizeof(line) - used,
			    " (duplicate of an earlier record)");
		else if (h->res.naddrs == 0) {
			fmt_status(st, sizeof(st), h);
			snprintf(line + used, sizeof(line) - used,
			    " no address (%s)", st);
		}
		used = strlen(line);
		if (h->res.cname != NULL)
			snprintf(line + used, sizeof(line) - used,
			    " [alias of %s]", h->res.cname);
		if (plugin_verbosity(r->p) >= 2) {
			used = strlen(line);
			fmt_status(st, sizeof(st), h);
			snprintf(line + used, sizeof(line) - used,
			    " [DNS: %s%s%s]", st,
			    (h->res.asked4 && h->res.ad4) || (h->res.asked6 && h->res.ad6) ?
			    ", AD" : "", "");
		}
		detail_probes(r, idx[i], line, sizeof(line));
		plugin_detail(r->p, "%s", line);
	}
	if (r->not_probed > 0)
		plugin_detail(r->p, "%zu addresses not probed (at most %d)",
		    r->not_probed, MAX_PROBES);
	if (s->stage > MX_STAGE_MX)
		plugin_verbose(r->p, 2, "MX answer: %s%s after %.1f ms",
		    dns_status_name(s->mx_status), s->mx_ad ? " (AD)" : "",
		    s->mx_time * 1e3);
	if (plugin_verbosity(r->p) >= 3) {
		size_t used = 0;

		line[0] = '\0';
		for (i = 0; i < s->nhosts && used < sizeof(line); i++) {
			int n = snprintf(line + used, sizeof(line) - used,
			    "%s%s", i ? ", " : "", s->hosts[i].name[0] ?
			    s->hosts[i].name : ".");

			if (n > 0)
				used += (size_t)n;
		}
		plugin_verbose(r->p, 3, "walk order (RFC 5321 section 5.1, equal "
		    "preferences shuffled): %s", line);
		plugin_verbose(r->p, 3, "resolver round trips: %u, queries: "
		    "%lu, DNS time %.1f ms", s->rounds, s->queries,
		    s->elapsed * 1e3);
	}
}

static void
perf_count(struct plugin *p, const char *label, double v, bool unknown,
    const struct range_thresholds *t)
{
	struct perfdata pd;

	memset(&pd, 0, sizeof(pd));
	pd.label = label;
	pd.value = v;
	pd.unknown = unknown;
	pd.has_min = true;
	if (t != NULL) {
		pd.warn = t->has_warn ? t->warn.text : NULL;
		pd.crit = t->has_crit ? t->crit.text : NULL;
	}
	plugin_perf(p, &pd);
}

static void
perf(struct run *r, size_t usable, size_t reachable)
{
	const struct mx_set *s = &r->set;
	struct perfdata pd;
	size_t at, i, k;
	bool known = r->dns_done;

	perf_count(r->p, "mx", (double)s->nrecords, !known, NULL);
	perf_count(r->p, "usable", (double)usable, !known,
	    plugin_thresholds(r->p));
	perf_count(r->p, "traps", (double)count_traps(s), !known, NULL);
	memset(&pd, 0, sizeof(pd));
	pd.label = "dns_time";
	pd.uom = "s";
	pd.value = s->elapsed;
	pd.unknown = !known;	/* left out */
	pd.has_min = true;
	plugin_perf(r->p, &pd);
	if (!r->o->connect || !known)
		return;
	for (at = 0; host_at(r, at, &i); at++) {
		const struct mx_host *h = &s->hosts[i];
		char label[MX_NAME_MAX + 16];
		double best = -1;

		if ((h->flags & (MX_F_NULL | MX_F_DUP)) || h->res.naddrs == 0)
			continue;
		for (k = 0; k < r->nprobes; k++) {
			const struct probe *pr = &r->probes[k];

			if (pr->host == i && pr->connect_time > 0 &&
			    (best < 0 || pr->connect_time < best))
				best = pr->connect_time;
		}
		snprintf(label, sizeof(label), "%s connect_time", h->name);
		memset(&pd, 0, sizeof(pd));
		pd.label = label;
		pd.uom = "s";
		pd.value = best;
		pd.unknown = best < 0;
		pd.has_min = true;
		plugin_perf(r->p, &pd);
	}
	perf_count(r->p, "reachable", (double)reachable, false, NULL);
}

static void
judge_timeout(struct run *r)
{
	const struct mx_set *s = &r->set;
	char list[1024] = "";
	size_t at, i, used = 0;

	if (s->stage == MX_STAGE_MX) {
		verdict(r, V_TIMEOUT, "no MX answer for %s within %gs",
		    s->domain, plugin_timeout(r->p));
		return;
	}
	for (at = 0; host_at(r, at, &i) && !r->dns_done; at++) {
		const struct mx_host *h = &s->hosts[i];
		int k;

		if (!h->res.pending4 && !h->res.pending6)
			continue;
		k = snprintf(list + used, sizeof(list) - used, "%s%s %s%s%s",
		    used ? ", " : "", h->res.pending4 ? "A" : "",
		    h->res.pending4 && h->res.pending6 ? "+" : "",
		    h->res.pending6 ? "AAAA" : "", h->name);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	if (!r->dns_done) {
		verdict(r, V_TIMEOUT, "after %gs still waiting for %s",
		    plugin_timeout(r->p), list);
		return;
	}
	for (i = 0; i < r->nprobes; i++) {
		const struct probe *pr = &r->probes[i];
		const struct mx_host *h = &s->hosts[pr->host];
		int k;

		if (pr->st != PROBE_CONNECTING && pr->st != PROBE_BANNER)
			continue;
		k = snprintf(list + used, sizeof(list) - used, "%s%s of %s "
		    "[%s]", used ? ", " : "", pr->st == PROBE_CONNECTING ?
		    "connect" : "banner", h->name, h->res.addrs[pr->addr].text);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	verdict(r, V_TIMEOUT, "after %gs still waiting for %s",
	    plugin_timeout(r->p), used ? list : "the probes");
}

static void
report(struct run *r)
{
	const struct mx_set *s = &r->set;
	const struct range_thresholds *thr = plugin_thresholds(r->p);
	size_t usable = 0, reachable = 0;
	enum state ts;

	/* every list printed follows this order, never the random walk */
	mx_display_order(s, r->order);
	if (r->timed_out && !r->dns_done) {
		judge_timeout(r);
	} else {
		bool hosts = judge_answer(r);

		usable = count_usable(s);
		if (hosts) {
			judge_targets(r);
			if (usable == 0)
				verdict(r, V_NO_USABLE, "none of %zu record%s "
				    "is a non-trap host with an address%s",
				    s->nrecords, s->nrecords == 1 ? "" : "s",
				    plugin_family(r->p) == AF_INET ?
				    " (IPv4 only)" :
				    plugin_family(r->p) == AF_INET6 ?
				    " (IPv6 only)" : "");
			ts = range_thresholds_check(thr, (double)usable);
			if (usable > 0 && ts == STATE_CRITICAL)
				verdict(r, V_USABLE_CRIT, "%zu usable outside "
				    "-c %s", usable, thr->crit.text);
			else if (usable > 0 && ts == STATE_WARNING)
				verdict(r, V_USABLE_WARN, "%zu usable outside "
				    "-w %s", usable, thr->warn.text);
		}
		if (s->mx_status == DNS_OK || s->mx_status == DNS_NODATA) {
			judge_expectations(r);
			judge_dnssec(r);
		}
		if (r->o->connect && hosts && usable > 0)
			reachable = judge_connect(r);
		if (r->timed_out)
			judge_timeout(r);
	}
	details(r);
	perf(r, usable, reachable);
	summary(r, usable);
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
	    "resolver\n", DEFAULT_PORT);
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

/* Split a comma list into items (no strtok); cb gets each trimmed item. */
static int
each_item(struct plugin *p, const char *opt, const char *list,
    int (*cb)(struct plugin *, struct opts *, const char *, const char *),
    struct opts *o)
{
	const char *s = list;
	char item[512];

	if (*list == '\0')
		return plugin_usage_error(p, "invalid %s '': empty", opt);
	for (;;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof(item))
			return plugin_usage_error(p, "invalid %s '%s': %s "
			    "item", opt, list, len ? "too long an" : "empty");
		memcpy(item, s, len);
		item[len] = '\0';
		if (cb(p, o, list, item) < 0)
			return -1;
		if (e == NULL)
			return 0;
		s = e + 1;
	}
}

static int
add_primary(struct plugin *p, struct opts *o, const char *list,
    const char *item)
{
	char err[160];

	if (o->nprimary >= MAX_EXPECT)
		return plugin_usage_error(p, "invalid --expect-primary '%s': "
		    "more than %d patterns", list, MAX_EXPECT);
	if (trap_glob_check(item, err, sizeof(err)) < 0)
		return plugin_usage_error(p, "invalid --expect-primary '%s': "
		    "'%s': %s", list, item, err);
	memcpy(o->primary[o->nprimary++], item, strlen(item) + 1);
	return 0;
}

static int
add_expect(struct plugin *p, struct opts *o, const char *list,
    const char *item)
{
	struct expect_rec *e;
	const char *sp = strchr(item, ' '), *host;
	char num[16], err[160];
	long pref;

	if (o->nexpect >= MAX_EXPECT)
		return plugin_usage_error(p, "invalid --expect-mx '%s': more "
		    "than %d records", list, MAX_EXPECT);
	if (sp == NULL || (size_t)(sp - item) >= sizeof(num))
		return plugin_usage_error(p, "invalid --expect-mx '%s': '%s' "
		    "is not 'PREFERENCE HOST'", list, item);
	memcpy(num, item, (size_t)(sp - item));
	num[sp - item] = '\0';
	for (host = sp; *host == ' '; host++)
		;
	if (text_parse_long(num, 0, 65535, &pref) < 0)
		return plugin_usage_error(p, "invalid --expect-mx '%s': "
		    "preference '%s' is not 0-65535", list, num);
	e = &o->expect[o->nexpect];
	e->pref = (unsigned)pref;
	if (strcmp(host, ".") == 0)
		e->host[0] = '\0';
	else if (dns_name_normalize(host, e->host, sizeof(e->host), err,
	    sizeof(err)) < 0)
		return plugin_usage_error(p, "invalid --expect-mx '%s': host "
		    "'%s': %s", list, host, err);
	o->nexpect++;
	return 0;
}

static int
set_domain(struct plugin *p, struct opts *o, const char *arg)
{
	char err[160];
	const unsigned char *c;

	/* an address first: it would read as an all-numeric name */
	if (mx_is_literal(arg))
		return plugin_usage_error(p, "invalid -D/--domain '%s': an IP "
		    "address, not a mail domain", arg);
	if (dns_name_normalize(arg, o->domain, sizeof(o->domain), err,
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
	char err[160];

	switch (c) {
	case 'D':
		return set_domain(p, o, arg);
	case 'P':
		o->primary_arg = arg;
		return each_item(p, "--expect-primary", arg, add_primary, o) <
		    0 ? -1 : 1;
	case 'E':
		o->expect_arg = arg;
		return each_item(p, "--expect-mx", arg, add_expect, o) < 0 ?
		    -1 : 1;
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
	if (!plugin_thresholds(p)->has_crit) {
		/* no usable MX host is CRITICAL unless told otherwise */
		range_parse("1:", &plugin_thresholds(p)->crit);
		plugin_thresholds(p)->has_crit = true;
	}
	return 0;
}

static void
run_release(struct run *r)
{
	probes_release(r);
	dns_free(r->dns);	/* before the set: no callback may reach it */
	mx_set_release(&r->set);
	loop_free(r->loop);
}

/* All this plugin sets before its options (the config-init). */
static const struct plugin_config config = {
	.progname = "check_mx_preference",
	.label = "MX PREFERENCE",
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
	trap_set_init(&o.traps);
	o.port = DEFAULT_PORT;
	if (parse_options(p, &o, argc, argv) < 0)
		return plugin_finish(p);

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.o = &o;
	mx_set_init(&r.set);
	if (o.unicode)
		plugin_detail(p, "domain given in Unicode; looked up as %s",
		    o.domain);
	if (run_lookup(&r) == 0)
		report(&r);
	run_release(&r);
	return plugin_finish(p);
}
