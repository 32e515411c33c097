/*
 * mx_probe - is anybody home at each address of an MX set?  A TCP connect
 * and the greeting, on every address of every host at once, through
 * net/smtp's banner-only mode (one reply parser, one limit for the whole
 * client).  It reports what each address did; the plugin judges it.
 *
 * A listed-twice target is probed once (its first record); hosts are taken
 * in the order the caller gives (its output order), at most max addresses
 * in all, and the rest are counted in not_probed.
 *
 * Ownership: struct mx_probes lives in caller storage: zero it (or
 * mx_probe_init()), mx_probe_start(), mx_probe_release().  The set
 * must outlive the probes: a probe names its host and address by index.
 * done() runs once, when the last probe has ended (not at all when there
 * was nothing to probe); when the loop's deadline comes first,
 * mx_probe_sync() records where each running probe had got to.  A probe
 * that cannot start ends as MX_PROBE_LOCAL_ERROR with the reason in why;
 * mx_probe_start() returns -1 only when the table itself cannot be had
 * (noted with core/state).
 */
#ifndef MAILPATH_MX_PROBE_H
#define MAILPATH_MX_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/mx.h"
#include "net/smtp_wire.h"

struct loop;
struct smtp_session;

enum mx_probe_state {
	MX_PROBE_CONNECTING, MX_PROBE_BANNER,	/* still running */
	MX_PROBE_ACCEPTING,	/* 220 */
	MX_PROBE_REFUSING,	/* another code: "not accepting" */
	MX_PROBE_BAD, MX_PROBE_CONNECT_FAILED, MX_PROBE_CONNECT_TIMEOUT,
	MX_PROBE_BANNER_TIMEOUT, MX_PROBE_CLOSED, MX_PROBE_LOCAL_ERROR,
	MX_PROBE_NSTATES
};
/* "connecting", "accepting", "not accepting", "banner timeout", ... */
const char *mx_probe_state_name(enum mx_probe_state st);

struct mx_probe {
	size_t host, addr;	/* s->hosts[host].addrs[addr] */
	enum mx_probe_state st;
	double connect_time, banner_time;	/* seconds from the start */
	struct smtp_reply greet;	/* the greeting, when one came */
	char why[160];		/* what went wrong, sanitised */
	struct mx_probes *ps;	/* private to mx_probe.c */
	struct smtp_session *s;
};

struct mx_probe_params {
	unsigned port;
	size_t max;		/* addresses probed at most */
	double timeout;		/* connect and greeting, each probe */
	const size_t *order;	/* s->nhosts host indices, probing order */
	void (*done)(void *arg);
	/* each state change, for -vvv (may be NULL) */
	void (*trace)(void *arg, const struct mx_probe *pr,
	    enum mx_probe_state from);
	void *arg;
};

struct mx_probes {
	const struct mx_set *set;
	struct mx_probe_params par;
	size_t n, pending, not_probed;
	struct mx_probe *v;
};

void mx_probe_init(struct mx_probes *ps);
int mx_probe_start(struct mx_probes *ps, struct loop *l,
    const struct mx_set *s, const struct mx_probe_params *par);
void mx_probe_sync(struct mx_probes *ps);
void mx_probe_release(struct mx_probes *ps);

/* Some address of host s->hosts[host] answered 220. */
bool mx_probe_accepting(const struct mx_probes *ps, size_t host);
/* The host's quickest connect in seconds, or -1 when none connected. */
double mx_probe_best_connect(const struct mx_probes *ps, size_t host);

#endif
