/*
 * relay - the walk a sending MTA makes (RFC 5321 §5.1): the MX set in
 * the order mail/mx gives (or the -H relays in the order given), every
 * address of a host, the next one only after a failure that lets a sender
 * move on; every address at once with --all; each --via hop probed at the
 * same time, on its own.  Sessions go up to RCPT TO, never DATA (net/smtp);
 * the TLS of each is the policy of mail/relay_policy, asked per host and
 * per address.
 *
 * It reports, never prints and never judges: relay_run() runs the whole
 * walk on its own loop and leaves, per address, an outcome of a named
 * class with the session's facts; mail/relay_verdict maps them to states.
 * Ownership: relay_run() makes the run, relay_free() releases it and all
 * it holds.  Our own failures: -1 with the reason (setup), or a note
 * with core/state (memory, which the plugin turns into UNKNOWN).
 */
#ifndef MAILPATH_RELAY_H
#define MAILPATH_RELAY_H

#include "mail/relay_param.h"
#include "mail/relay_verdict.h"
#include "net/tls_dane.h"

struct relay;
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
	bool use_mx, dns_done, creds_failed, deadline, loop_failed;
	char creds_err[200];
	double t0, dns_time, dns_tlsa;	/* run-relative, seconds */
	void *policy_run;	/* the TLS policy's per-run state */
	struct relay_priv *priv;
};

/* The whole run: 0 (relay->deadline / loop_failed say how it ended), or
 * -1 with the reason in err (*out is still to be freed). */
int relay_run(struct relay **out, const struct relay_params *rp,
    char *err, size_t errlen);
void relay_free(struct relay *r);

#endif
