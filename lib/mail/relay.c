/*
 * relay - the walk a sending MTA makes, its sessions and its TLS hand-off
 * (see relay.h).  What a session amounted to is mail/relay_verdict's
 * table; the TLS policy of each level is a struct relay_policy.
 */
#include <config.h>

#include "mail/relay.h"

#include "mail/dane.h"
#include "mail/mx_resolve.h"
#include "mail/relay_outcome.h"
#include "mail/relay_policy.h"
#include "mail/relay_verdict.h"
#include "mail/sts_relay.h"
#include "net/addr.h"
#include "net/dns.h"
#include "net/loop.h"
#include "net/resolve.h"
#include "net/smtp.h"
#include "core/state.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELAY_MAX_ATTEMPTS 256

struct relay_priv {
	struct loop *loop;
	struct dns *dns;
	struct tls_creds *creds;
	const struct relay_policy *policy;
	/* -H relays and --via hops: one address set per walk (net/resolve),
	 * so each walk starts as soon as its own answers are in */
	struct resolve *res[1 + RELAY_MAX_VIA];
	struct resolve_host hosts[RELAY_MAX_RELAYS + RELAY_MAX_VIA];
};

/* ---- the levels' policy ------------------------------------------------ */

const char *
relay_policy_cert_name(const struct relay_attempt *a)
{
	const struct relay *run = a->w->run;

	if (run->rp->tls_name[0] != '\0' && a->w == &run->main &&
	    run->rp->nrelays > 0)
		return run->rp->tls_name;
	return a->literal ? NULL : a->host;
}

const struct mx_host *
relay_policy_mx_host(const struct relay_walk *w, const char *name)
{
	const struct relay *run = w->run;
	size_t i;

	if (w != &run->main || !run->use_mx)
		return NULL;
	for (i = 0; i < run->mx.nhosts; i++)
		if (strcmp(run->mx.hosts[i].name, name) == 0)
			return &run->mx.hosts[i];
	return NULL;
}

bool
relay_policy_secure(const struct relay_walk *w, const char *host, char *why,
    size_t whysz)
{
	const struct relay *run = w->run;
	const struct resolve_host *h = NULL;
	const struct mx_host *mh;
	size_t i;

	if (w == &run->main && run->use_mx) {
		if (!run->mx.mx_ad) {
			(void)text_format(why, whysz, "MX of %s not validated",
			    run->mx.domain);
			return false;
		}
		mh = relay_policy_mx_host(w, host);
		if (mh == NULL) {
			(void)text_format(why, whysz, "%s is not in the MX "
			    "set", host);
			return false;
		}
		h = &mh->res;
	}
	for (i = 0; h == NULL && i < w->nspecs; i++)
		if (strcmp(w->hosts[i].name, host) == 0)
			h = &w->hosts[i];
	if (h != NULL && ((h->asked4 && h->st4 == DNS_OK && !h->ad4) ||
	    (h->asked6 && h->st6 == DNS_OK && !h->ad6))) {
		(void)text_format(why, whysz, "addresses of %s not validated",
		    host);
		return false;
	}
	return true;
}

static void
levels_prepare(struct relay_walk *w, struct dns *d)
{
	(void)d;
	relay_policy_ready(w);
}

/* Postfix smtp_tls_security_level: the lib only asks whether to start
 * and whether to go on. */
static enum smtp_tls_use
levels_tls_use(const struct relay_attempt *a)
{
	enum relay_level l = a->w->run->rp->tls;

	return l == RELAY_TLS_NONE ? SMTP_TLS_NEVER :
	    l == RELAY_TLS_MAY ? SMTP_TLS_IF_OFFERED : SMTP_TLS_REQUIRED;
}

static bool
levels_tls_done(struct relay_attempt *a, struct tls *t)
{
	const struct relay_params *rp = a->w->run->rp;
	enum relay_level lvl = rp->tls;
	enum tls_names names = TLS_NAMES_NONE;
	const char *tname = relay_policy_cert_name(a);
	const char *name = tname ? tname : a->host;

	/* verify always checks a name: an IP-literal MX target is its own
	 * name (GnuTLS matches it against IP addresses of the SAN) */
	if (lvl == RELAY_TLS_VERIFY)
		names = TLS_NAMES_HOST;
	else if (lvl < RELAY_TLS_VERIFY && rp->cafile)
		names = tname ? TLS_NAMES_HOST : TLS_NAMES_NONE;
	if (lvl == RELAY_TLS_SECURE) {
		names = TLS_NAMES_DOMAIN;
		/* the next hop: the recipient domain on an MX walk, else the
		 * host the user named (or --tls-name) */
		name = strcmp(a->w->what, "MX") == 0 ? rp->domain : name;
	}
	tls_facts_get(t, names, name, &a->facts);
	a->has_facts = true;
	/* may and encrypt report verification and go on; verify and
	 * secure stop at a failure, as the MTA would */
	return lvl < RELAY_TLS_VERIFY || a->facts.verified;
}

static bool
levels_trust_store(const struct relay_attempt *a)
{
	enum relay_level l = a->w->run->rp->tls;

	return l == RELAY_TLS_VERIFY || l == RELAY_TLS_SECURE;
}

static bool
levels_retry_plain(const struct relay_attempt *a)
{
	return a->w->run->rp->tls == RELAY_TLS_MAY;
}

static void
levels_release(struct relay_walk *w)
{
	(void)w;
}

const struct relay_policy relay_policy_levels = {
	.prepare = levels_prepare,
	.tls_use = levels_tls_use,
	.sni = relay_policy_cert_name,
	.trust_store = levels_trust_store,
	.tls_done = levels_tls_done,
	.retry_plain = levels_retry_plain,
	.release = levels_release,
};

/* ---- sessions ---------------------------------------------------------- */

static struct tls *
on_tls_start(void *arg, int fd)
{
	struct relay_attempt *a = arg;
	struct relay *run = a->w->run;
	struct relay_priv *pv = run->priv;
	struct tls *t = NULL;
	char err[200];

	/* credentials on first use only (--cafile ones were read while the
	 * options were checked): a run that never reaches STARTTLS loads
	 * nothing; the system store only when a run verifies */
	if (pv->creds == NULL && !run->creds_failed) {
		bool store = pv->policy->trust_store(a) &&
		    run->rp->cafile == NULL;

		if (tls_creds_new(&pv->creds, run->rp->cafile, store,
		    run->creds_err, sizeof(run->creds_err)) < 0)
			run->creds_failed = true;
	}
	if (pv->creds == NULL)
		return NULL;
	/* SNI: never an address (RFC 6066 section 3) */
	if (tls_new(&t, pv->creds, fd, pv->policy->sni(a), err,
	    sizeof(err)) < 0) {
		(void)text_format(a->note, sizeof(a->note), "TLS setup: %s",
		    err);
		return NULL;
	}
	a->tls = t;
	return t;
}

static bool
on_tls_done(void *arg, struct tls *t)
{
	struct relay_attempt *a = arg;

	return a->w->run->priv->policy->tls_done(a, t);
}

static void on_session_done(struct smtp_session *s, void *arg);

static int
attempt_start(struct relay_attempt *a)
{
	struct relay *run = a->w->run;
	const struct relay_params *rp = run->rp;
	struct smtp_params sp;

	memset(&sp, 0, sizeof(sp));
	sp.addr = a->addr.ss;
	sp.addrlen = a->addr.len;
	sp.helo = rp->helo;
	sp.from = rp->from;
	sp.rcpt = rp->rcpt;
	sp.utf8 = rp->utf8;
	sp.no_pipelining = rp->no_pipelining;
	sp.trace = rp->verbosity >= 3;
	sp.tls = a->tls_s != NULL ? SMTP_TLS_NEVER :	/* plaintext retry */
	    run->priv->policy->tls_use(a);
	sp.tls_hold = a->tls_s == NULL && run->priv->policy->tls_hold != NULL &&
	    run->priv->policy->tls_hold(a);
	sp.connect_timeout = sp.banner_timeout = sp.command_timeout =
	    rp->stage_timeout;
	sp.tls_io = &tls_io_gnutls;
	sp.tls_start = on_tls_start;
	sp.tls_done = on_tls_done;
	sp.done = on_session_done;
	sp.arg = a;
	a->started = loop_now() - run->t0;	/* a retry: its own start */
	if (smtp_session_new(&a->s, run->priv->loop, &sp) < 0) {
		a->out = RELAY_UNREACHABLE;
		(void)text_format(a->note, sizeof(a->note), "cannot start a "
		    "session");
		return -1;
	}
	a->tried = true;
	return 0;
}

static bool
run_all_done(const struct relay *run)
{
	size_t i;

	if (!run->main.done)
		return false;
	for (i = 0; i < run->rp->nvia; i++)
		if (!run->via[i].done)
			return false;
	return true;
}

static void
walk_finish(struct relay_walk *w)
{
	w->done = true;
	if (run_all_done(w->run))
		loop_stop(w->run->priv->loop);
}

/* Sequential walk: the next address, as RFC 5321 §5.1 orders them. */
static void
walk_step(struct relay_walk *w)
{
	while (w->next < w->n) {
		size_t i = w->next++;
		struct relay_attempt *a = &w->a[i];

		if (a->out == RELAY_SKIPPED) {
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

void
relay_policy_ready(struct relay_walk *w)
{
	const struct relay_policy *pol = w->run->priv->policy;
	size_t i, running = 0;

	if (pol->ready != NULL)
		pol->ready(w);
	w->resolved = true;
	w->decisive = -1;
	if (!w->parallel) {
		walk_step(w);
		return;
	}
	for (i = 0; i < w->n; i++)
		if (w->a[i].out != RELAY_SKIPPED &&
		    attempt_start(&w->a[i]) == 0)
			running++;
	if (running == 0)
		walk_finish(w);
}

static void
walk_parallel_check(struct relay_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->a[i].out == RELAY_PENDING)
			return;
	walk_finish(w);
}

void
relay_policy_decided(struct relay_walk *w)
{
	const struct relay_policy *pol = w->run->priv->policy;
	size_t i;

	if (!w->resolved || w->done)
		return;
	for (i = 0; i < w->n; i++) {
		struct relay_attempt *a = &w->a[i];

		if (a->s == NULL || a->out != RELAY_PENDING)
			continue;
		if (!a->policy_skip) {
			smtp_session_tls_set(a->s, pol->tls_use(a));
			continue;
		}
		/* ruled out while it held after EHLO: no envelope was
		 * sent; a sender would not have used it at all */
		{
			char why[sizeof(a->note)];

			(void)text_copy(why, sizeof(why), a->note);
			(void)text_format(a->note, sizeof(a->note), "%s; "
			    "dropped after EHLO, before any envelope", why);
		}
		smtp_session_free(a->s);
		a->s = NULL;
		a->tried = false;
		a->out = RELAY_SKIPPED;
		if (!w->parallel) {
			walk_step(w);
			return;
		}
	}
	if (w->parallel)
		walk_parallel_check(w);
}

static void
on_session_done(struct smtp_session *s, void *arg)
{
	struct relay_attempt *a = arg;
	struct relay_walk *w = a->w;

	a->out = relay_outcome_classify(s);
	if (a->out == RELAY_TLS && a->tls_s == NULL &&
	    s->error == SMTP_ERR_TLS && s->failed_stage == SMTP_TLS &&
	    w->run->priv->policy->retry_plain(a)) {
		/* Postfix at "may" defers after a failed handshake and
		 * delivers in plaintext on the retry: so does the probe, on
		 * the same address, at once */
		a->tls_s = s;
		a->s = NULL;
		a->out = RELAY_PENDING;
		if (attempt_start(a) == 0)
			return;
		smtp_session_free(a->s);
		a->s = a->tls_s;
		a->tls_s = NULL;
		a->out = RELAY_TLS;
	}
	if (!w->parallel) {
		/* stop at the first 2xx or 5xx to MAIL/RCPT; move on after
		 * connection failures, 4xx, 5xx greetings, TLS failures */
		if (a->out == RELAY_ACCEPTED || a->out == RELAY_REJECTED ||
		    a->out == RELAY_NOUTF8) {
			w->decisive = (int)(a - w->a);
			walk_finish(w);
		} else
			walk_step(w);
		return;
	}
	walk_parallel_check(w);
}

/* ---- the addresses of a walk ------------------------------------------- */

static struct relay_attempt *
walk_add(struct relay_walk *w, const char *host, bool literal, unsigned pref,
    const char *trap)
{
	const struct relay_params *rp = w->run->rp;
	struct relay_attempt *a;
	size_t i;

	if (w->n >= RELAY_MAX_ATTEMPTS)
		return NULL;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct relay_attempt *na = realloc(w->a, cap * sizeof(*na));

		if (na == NULL) {
			state_note_oom("relay walk");
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
	for (i = 0; i < rp->nrefuse && a->refuse == NULL; i++)
		if (trap_glob_match(rp->refuse[i], host))
			a->refuse = rp->refuse[i];
	return a;
}

static void
walk_add_addr(struct relay_walk *w, const char *host, bool literal,
    unsigned pref, const char *trap, const struct addr_sock *addr,
    unsigned port)
{
	struct relay_attempt *a = walk_add(w, host, literal, pref, trap);

	if (a == NULL)
		return;
	a->addr = *addr;
	a->port = port;
	addr_set_port(&a->addr.ss, port);
}

static void
walk_add_skip(struct relay_walk *w, const char *host, unsigned pref,
    const char *trap, const char *note)
{
	struct relay_attempt *a = walk_add(w, host, false, pref, trap);

	if (a == NULL)
		return;
	a->out = RELAY_SKIPPED;
	(void)text_copy(a->note, sizeof(a->note), note);
}

/* An IP-literal MX target as one address of the walk, unless -4/-6
 * excludes its family. */
static void
walk_add_literal(struct relay_walk *w, const char *name, unsigned pref,
    unsigned port, const char *bad)
{
	unsigned char bin[16];
	struct addr_sock la;
	int family = addr_parse(name, bin), fam = w->run->rp->family;

	if (family == 0) {
		walk_add_skip(w, name, pref, NULL, bad);
		return;
	}
	addr_sock_set(&la, family, bin, 0);
	if (fam != AF_UNSPEC && fam != family)
		walk_add_skip(w, name, pref, NULL, "address family excluded "
		    "by -4/-6");
	else
		walk_add_addr(w, name, true, pref, NULL, &la, port);
}

/* The walk's addresses are known: the policy looks at each host. */
static void
walk_ready(struct relay_walk *w)
{
	struct relay_priv *pv = w->run->priv;

	if (w->n == 0) {
		relay_policy_ready(w);
		return;
	}
	pv->policy->prepare(w, pv->dns);
}

static void
on_mx_done(void *arg, struct mx_set *set)
{
	struct relay *run = arg;
	struct relay_walk *w = &run->main;
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
			 * to the address, so the walk does too; the report
			 * warns that other senders refuse it */
			walk_add_literal(w, h->name, h->pref, run->rp->port,
			    "MX target is not a usable address literal");
			continue;
		}
		if (trap != NULL && !w->parallel) {
			walk_add_skip(w, h->name, h->pref, trap, "trap host: "
			    "never probed by the walk");
			continue;
		}
		if (h->res.naddrs == 0) {
			(void)text_format(note, sizeof(note), "no address (A: "
			    "%s, AAAA: %s)", h->res.asked4 ?
			    dns_status_name(h->res.st4) : "not asked",
			    h->res.asked6 ? dns_status_name(h->res.st6) :
			    "not asked");
			walk_add_skip(w, h->name, h->pref, NULL, note);
			continue;
		}
		for (k = 0; k < h->res.naddrs; k++)
			walk_add_addr(w, h->name, false, h->pref, trap,
			    &h->res.addrs[k], run->rp->port);
	}
	walk_ready(w);
}

static size_t
walk_index(const struct relay_walk *w)
{
	const struct relay *run = w->run;

	return w == &run->main ? 0 : 1 + (size_t)(w - run->via);
}

/*
 * The -H or --via hosts are known: the walk's addresses in the order
 * given, per host IPv6 first, then IPv4 (as net/resolve orders them); a
 * name without address is noted with the status that says why (A's,
 * unless only AAAA's says more than NODATA).
 */
static void
on_resolved(void *arg, struct resolve *r)
{
	struct relay_walk *w = arg;
	struct relay *run = w->run;
	size_t i, k;

	if (r != NULL && resolve_slowest(r) > run->dns_time)
		run->dns_time = resolve_slowest(r);
	for (i = 0; i < w->nspecs; i++) {
		const struct resolve_host *h = &w->hosts[i];
		unsigned port = w->specs[i].port ? w->specs[i].port :
		    run->rp->port;
		enum dns_status st = DNS_NODATA;
		char note[96];

		for (k = 0; k < h->naddrs; k++)
			walk_add_addr(w, h->name, h->literal, (unsigned)i,
			    NULL, &h->addrs[k], port);
		if (h->naddrs > 0)
			continue;
		if (h->literal) {
			walk_add_skip(w, h->name, (unsigned)i, NULL, "address "
			    "family excluded by -4/-6");
			continue;
		}
		if (h->asked6 && h->st6 != DNS_NODATA)
			st = h->st6;
		if (h->asked4 && h->st4 != DNS_NODATA)
			st = h->st4;
		(void)text_format(note, sizeof(note), "no address (%s)",
		    dns_status_name(st));
		walk_add_skip(w, h->name, (unsigned)i, NULL, note);
	}
	if (w == &run->main)
		run->dns_done = true;
	walk_ready(w);
}

static void
walk_resolve(struct relay *run, struct relay_walk *w)
{
	struct relay_priv *pv = run->priv;
	size_t i, n = walk_index(w);

	w->hosts = &pv->hosts[n == 0 ? 0 : RELAY_MAX_RELAYS + n - 1];
	if (resolve_new(&pv->res[n], pv->dns, run->rp->family) == 0) {
		for (i = 0; i < w->nspecs; i++)
			if (resolve_add(pv->res[n], &w->hosts[i],
			    w->specs[i].name, w->specs[i].port ?
			    w->specs[i].port : run->rp->port) < 0)
				break;
		if (i == w->nspecs && resolve_start(pv->res[n], on_resolved,
		    w) == 0)
			return;
	}
	/* out of memory (noted by net/resolve) or nothing sent */
	on_resolved(w, pv->res[n]);
}

/* ---- the run ------------------------------------------------------------ */

static int
run_start(struct relay *run, char *err, size_t errlen)
{
	const struct relay_params *rp = run->rp;
	struct relay_priv *pv = run->priv;
	struct dns_config cfg;
	size_t i;

	run->t0 = loop_now();
	pv->loop = loop_new();
	if (pv->loop == NULL) {
		state_note_oom("run setup");
		(void)text_format(err, errlen, "out of memory");
		return -1;
	}
	loop_set_deadline(pv->loop, rp->timeout);
	memset(&cfg, 0, sizeof(cfg));
	/*
	 * the DNS budget: two tries inside a quarter of the deadline, but a
	 * first try of at least a third of it, so that a short -t against a
	 * slow resolver ends with the answer or the deadline, never with a
	 * timeout of our own making before the deadline
	 */
	cfg.timeout = rp->stage_timeout / 2;
	if (cfg.timeout < rp->timeout / 3)
		cfg.timeout = rp->timeout / 3;
	cfg.tries = 2;
	cfg.servers = rp->servers;
	cfg.nservers = rp->nservers;
	if (dns_new(&pv->dns, pv->loop, &cfg, err, errlen) < 0) {
		char e[200];

		(void)text_copy(e, sizeof(e), err);
		(void)text_format(err, errlen, "DNS setup failed: %s", e);
		return -1;
	}
	run->use_mx = rp->nrelays == 0;
	if (pv->policy->begin != NULL && pv->policy->begin(run, pv->loop,
	    pv->dns, err, errlen) < 0)
		return -1;
	run->main.run = run;
	run->main.what = rp->nrelays ? "relay" : "MX";
	run->main.parallel = rp->all;
	run->main.decisive = -1;
	for (i = 0; i < rp->nvia; i++) {
		struct relay_walk *w = &run->via[i];

		w->run = run;
		w->what = "via";
		w->decisive = -1;
		w->specs = &rp->via[i];
		w->nspecs = 1;
		walk_resolve(run, w);
	}
	if (rp->nrelays > 0) {
		run->main.specs = rp->relays;
		run->main.nspecs = rp->nrelays;
		walk_resolve(run, &run->main);
	} else {
		struct mx_params mp;
		char e[200];

		run->use_mx = true;
		memset(&mp, 0, sizeof(mp));
		mp.family = rp->family;
		mp.seed = rp->seed;
		mp.traps = rp->traps;
		if (mx_resolve_start(&run->mx, pv->dns, rp->domain, &mp,
		    on_mx_done, run, e, sizeof(e)) < 0) {
			(void)text_format(err, errlen, "MX lookup not started: "
			    "%s", e);
			return -1;
		}
	}
	return 0;
}

int
relay_run(struct relay **out, const struct relay_params *rp, char *err,
    size_t errlen)
{
	struct relay *run = calloc(1, sizeof(*run));

	*out = run;
	if (run != NULL) {
		run->rp = rp;
		mx_set_init(&run->mx);
		run->priv = calloc(1, sizeof(*run->priv));
	}
	if (run == NULL || run->priv == NULL) {
		state_note_oom("run setup");
		(void)text_format(err, errlen, "out of memory");
		return -1;
	}
	run->priv->policy = rp->tls == RELAY_TLS_DANE ? &dane_policy :
	    rp->tls == RELAY_TLS_STS ? &sts_relay_policy :
	    rp->tls == RELAY_TLS_AUTO ? &sts_relay_auto_policy :
	    &relay_policy_levels;
	/* NULL unless --cafile was read (relay_param_release() frees them) */
	run->priv->creds = rp->cafile_creds;
	if (run_start(run, err, errlen) < 0)
		return -1;
	if (!run_all_done(run)) {
		enum loop_result lr = loop_run(run->priv->loop);

		run->deadline = lr == LOOP_DEADLINE;
		run->loop_failed = lr == LOOP_ERROR;
	}
	return 0;
}

void
relay_free(struct relay *run)
{
	struct relay_walk *walks[1 + RELAY_MAX_VIA];
	struct relay_priv *pv;
	size_t i, k, nw = 0;

	if (run == NULL)
		return;
	pv = run->priv;
	walks[nw++] = &run->main;
	for (i = 0; i < run->rp->nvia; i++)
		walks[nw++] = &run->via[i];
	for (i = 0; i < nw; i++) {
		for (k = 0; k < walks[i]->n; k++) {
			smtp_session_free(walks[i]->a[k].s);
			smtp_session_free(walks[i]->a[k].tls_s);
			tls_free(walks[i]->a[k].tls);
		}
		if (pv != NULL)
			pv->policy->release(walks[i]);
		free(walks[i]->a);
	}
	if (pv != NULL) {
		/* the channel first, so no callback can reach the set */
		dns_free(pv->dns);
		if (pv->policy->end != NULL)
			pv->policy->end(run);
		for (i = 0; i < 1 + RELAY_MAX_VIA; i++)
			resolve_free(pv->res[i]);
		for (i = 0; i < RELAY_MAX_RELAYS + RELAY_MAX_VIA; i++)
			resolve_host_release(&pv->hosts[i]);
		if (pv->creds != run->rp->cafile_creds)
			tls_creds_free(pv->creds);	/* loaded by the run */
		loop_free(pv->loop);
		free(pv);
	}
	mx_set_release(&run->mx);
	free(run);
}
