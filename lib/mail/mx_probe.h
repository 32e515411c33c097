/*
 * mx_probe - is anybody home at each address of an MX set?  A TCP connect
 * and the greeting on every address of every host at once, in net/smtp's
 * banner-only mode (one reply parser, one limit for the whole client).  It
 * reports what each address did (read with mail/mx_greeting); the plugin
 * judges.  A target listed twice is probed once; hosts go in the caller's
 * order, at most max addresses in all, the rest counted in not_probed.
 *
 * Ownership: struct mx_probes is caller storage: mx_probe_init(),
 * mx_probe_start(), mx_probe_release() (stops what still runs).  The set
 * must outlive it: a probe names its host and address by index.  done()
 * runs once, when the last probe has ended (before mx_probe_start()
 * returns when none could run); at the loop's deadline mx_probe_sync()
 * records where each running probe had got to.  A probe that cannot start
 * ends as MX_PROBE_LOCAL_ERROR with the reason in why; -1 from
 * mx_probe_start() only when its table cannot be had (noted in core/state).
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
	MX_PROBE_ACCEPTING, MX_PROBE_REFUSING,	/* 220, another code */
	MX_PROBE_BAD, MX_PROBE_CONNECT_FAILED, MX_PROBE_CONNECT_TIMEOUT,
	MX_PROBE_BANNER_TIMEOUT, MX_PROBE_CLOSED, MX_PROBE_LOCAL_ERROR,
	MX_PROBE_NSTATES
};

struct mx_probe {
	size_t host, addr;	/* s->hosts[host].res.addrs[addr] */
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

#endif
