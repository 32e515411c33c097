/*
 * dnsbl_check - the network part of a blocklist check in one call: a
 * loop with the run's deadline, one resolver channel, the sender's
 * discovery (mail/sender), then every list query at once
 * (mail/dnsbl_query) with the test point cache (mail/dnsbl_cache) when a
 * directory is given.  What the plugin judges and reports is read from
 * the struct (and mail/dnsbl_tally); nothing here picks a state.
 *
 * The lists are not asked when discovery ran out of time or found
 * nothing, nor when no pair could be built (lists is then built but not
 * sent): a run that asks nothing is the plugin's to call so.
 *
 * Ownership: struct dnsbl_check lives in caller storage; dnsbl_check_run()
 * fills it, dnsbl_check_release() frees what it holds (also after a
 * failed run).  dnsbl_check_run() returns 0 when the run took place (a
 * deadline included), or -1: a usage error in err (a bad -H or -S, the
 * resolver could not be set up), or with err empty an allocation failure,
 * noted with core/state.
 */
#ifndef MAILPATH_DNSBL_CHECK_H
#define MAILPATH_DNSBL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/dnsbl_query.h"
#include "mail/sender.h"

struct dnsbl_check_params {
	const char *const *hosts;	/* -H */
	size_t nhosts;
	const char *sender;		/* -S, or NULL */
	struct sender_params discovery;
	const struct dnsbl_spec *specs;
	size_t nspecs;
	bool selftest, txt;
	const char *cache_dir;		/* NULL: no cache */
	double timeout;			/* the run's deadline, seconds */
	const char *const *servers;	/* -s ADDR[:PORT]; none: resolv.conf */
	size_t nservers;
};

struct dnsbl_check {
	const struct sender_result *found;	/* after discovery */
	bool discovery_timed_out;
	size_t discovery_pending;	/* lookups still out at the deadline */
	struct dnsbl_query *lists;	/* NULL when not built */
	bool lists_sent, lists_timed_out;
	char cache_why[300];	/* "not used: ...", "not written: ...", "" */
	/* private to dnsbl_check.c */
	struct loop *loop;
	struct dns *dns;
	struct sender *snd;
	struct dnsbl_cache *cache;
	double start;
};

int dnsbl_check_run(struct dnsbl_check *c, const struct dnsbl_check_params *p,
    char *err, size_t errlen);
void dnsbl_check_release(struct dnsbl_check *c);
/* Seconds since the run started. */
double dnsbl_check_elapsed(const struct dnsbl_check *c);

#endif
