/*
 * mx_audit - the network part of an MX audit in one call: a loop with the
 * run's deadline, a resolver, the MX set (mail/mx: two resolver round
 * trips) and, when asked, the greeting of every address (mail/mx_probe)
 * and the domain's MTA-STS policy and TLS-RPT record (mail/sts_check,
 * its lookups in the MX query's round), all at once.  What the plugin then judges and reports is read from the
 * struct; nothing here picks a state.
 *
 * Equal preferences are shuffled with a fresh random seed (RFC 5321 §5.1
 * wants them randomised for real); the output order of mx_display_order()
 * does not depend on it.
 *
 * Ownership: struct mx_audit lives in caller storage; mx_audit_run() fills
 * it, mx_audit_release() frees what it holds (also after a failed run).
 * mx_audit_run() returns 0 when the run took place (a timeout included:
 * timed_out says so, dns_done whether the set was complete), or -1 with
 * the reason in err: the resolver could not be set up, the query could not
 * be sent, poll() failed.  An allocation failure is noted with core/state.
 */
#ifndef MAILPATH_MX_AUDIT_H
#define MAILPATH_MX_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/mx.h"
#include "mail/mx_probe.h"
#include "mail/sts_check.h"
#include "mail/trap.h"

struct mx_audit_params {
	const char *domain;	/* A-label, no final dot */
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 (-4/-6) */
	double timeout;		/* the run's deadline, seconds */
	const char *const *servers;	/* -s ADDR[:PORT]; none: resolv.conf */
	size_t nservers;
	const struct trap_set *traps;
	bool connect;		/* probe every address's greeting */
	unsigned port;
	size_t max_probes;
	/* --mta-sts: also check MTA-STS and TLS-RPT (NULL: not) */
	const struct sts_params *sts;
	/* each probe's state change, for -vvv (may be NULL) */
	void (*trace)(void *arg, const struct mx_probe *pr,
	    enum mx_probe_state from);
	void *arg;
};

struct mx_audit {
	struct mx_set set;
	struct mx_probes probes;
	size_t order[MX_MAX_HOSTS];	/* hosts by preference, then name */
	bool dns_done;		/* the set is complete */
	bool timed_out;		/* the deadline came first */
	struct sts_check sts;	/* with par->sts */
	bool sts_done;
	/* private to mx_audit.c */
	struct loop *loop;
	struct dns *dns;
	const struct mx_audit_params *par;
};

int mx_audit_run(struct mx_audit *a, const struct mx_audit_params *par,
    char *err, size_t errlen);
void mx_audit_release(struct mx_audit *a);

#endif
