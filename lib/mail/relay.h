/*
 * relay - the walk a sending MTA makes (RFC 5321 §5.1): the MX set in
 * the order mail/mx gives (or the -H relays in the order given), every
 * address of a host, the next one only after a failure that lets a sender
 * move on; every address at once with --all; each --via hop probed at the
 * same time, on its own.  Sessions go up to RCPT TO, never DATA (net/smtp).
 *
 * TLS is a policy asked per host (before the walk: it may look things up
 * and rule hosts out) and per address (whether TLS is required, the SNI,
 * whether the handshake's certificate will do): struct relay_policy, one
 * per level; mail/dane is one, MTA-STS plugs in beside it.
 *
 * It reports, never prints and never judges: relay_run() runs the whole
 * walk on its own loop and leaves, per address, an outcome of a named
 * class with the session's facts; mail/relay_verdict maps them to states.
 * Ownership: relay_run() makes the run, relay_free() releases it and all
 * it holds (sessions, TLS, answers).  Our own failures (memory, setup)
 * come back as -1 with the reason, or as relay->oom.
 */
#ifndef MAILPATH_RELAY_H
#define MAILPATH_RELAY_H

#include "mail/relay_param.h"
#include "net/tls.h"

enum relay_outcome {
	RELAY_PENDING,
	RELAY_ACCEPTED,		/* 2xx to RCPT TO */
	RELAY_REJECTED,		/* 5xx to MAIL or RCPT: the bounce */
	RELAY_DEFERRED,		/* 4xx anywhere (greylisting, 421): queued */
	RELAY_REFUSED,		/* 5xx banner or EHLO/HELO: no service */
	RELAY_UNREACHABLE,	/* connect failure, timeout, closed */
	RELAY_PROTOCOL,		/* broken or out-of-step replies */
	RELAY_TLS,		/* TLS required by the policy and failed */
	RELAY_NOUTF8,		/* UTF-8 local part, no SMTPUTF8 */
	RELAY_SKIPPED,		/* not probed: trap, no address, policy */
	RELAY_NOUTCOMES
};

struct relay;
struct relay_walk;
struct dane_host;

struct relay_attempt {
	struct relay_walk *w;
	char host[MX_NAME_MAX];
	bool literal;
	unsigned pref;		/* MX preference, or -H position */
	const char *trap;	/* rule name when the host is a trap */
	const char *refuse;	/* the --expect-refuse glob it matches */
	struct addr_sock addr;	/* port set */
	unsigned port;
	enum relay_outcome out;
	bool tried;		/* a session was started */
	bool policy_skip;	/* ruled out by the TLS policy (§2.1.1) */
	char note[160];		/* why skipped */
	double started;		/* run-relative seconds */
	struct smtp_session *s;
	struct smtp_session *tls_s; /* may: the failed TLS try, before s */
	struct tls *tls;
	struct tls_facts facts;
	bool has_facts;
	struct dane_host *dane;	/* --tls dane: its host's TLSA facts */
	struct tls_dane dres;	/* the match, when TLSA was usable */
	bool has_dres;
};

struct relay_walk {
	struct relay *run;
	const char *what;	/* "MX", "relay", "via" */
	struct relay_attempt *a;
	size_t n, cap, next;
	bool parallel, resolved, done, trap_reached;
	int decisive;		/* the attempt that decided, or -1 */
	const struct relay_spec *specs;	/* -H or one --via */
	struct resolve_host *hosts;	/* their addresses (net/resolve) */
	size_t nspecs;
	void *policy;		/* the TLS policy's per-walk state */
	size_t policy_pending;	/* its lookups outstanding */
};

struct relay {
	const struct relay_params *rp;
	struct relay_walk main, via[RELAY_MAX_VIA];
	struct mx_set mx;
	bool use_mx, dns_done, oom, creds_failed, deadline, loop_failed;
	char creds_err[200];
	double t0, dns_time, dns_tlsa;	/* run-relative, seconds */
	struct relay_priv *priv;
};

/* The whole run: 0 (relay->deadline / loop_failed say how it ended), or
 * -1 with the reason in err (*out is still to be freed). */
int relay_run(struct relay **out, const struct relay_params *rp,
    char *err, size_t errlen);
void relay_free(struct relay *r);

#endif
