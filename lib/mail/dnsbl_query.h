/*
 * dnsbl_query - the list queries of one run: every (target, list) pair,
 * A and TXT together, and each list's RFC 5782 §5 controls, all sent at
 * once on the run's struct dns: one resolver round trip for any number of
 * lists (DESIGN.md §6).  At most DNSBL_QUERY_INFLIGHT queries are out at a
 * time and the window refills as answers come, because a resolver drops
 * what is over its own per-client limit (Unbound: num-queries-per-thread)
 * and that would read as timeouts.
 *
 * It reports; mail/dnsbl_verdict classifies and the plugin judges.  The
 * answers and zones it fills are mail/dnsbl_answer's, kept in the order
 * the pairs were built.  A host name on a domain list is asked as its
 * registered domain (mail/regdom), and as itself first unless the list
 * lists registered domains only (RFC 5782 §3).  A spec's qzone (DQS) is
 * what is asked.  dnsbl_query_zones() evaluates the controls
 * (dnsbl_verdict_control_fails) and keeps the passing ones in the cache.
 *
 * Ownership: dnsbl_query_new()/dnsbl_query_free(); free the struct dns
 * first (or let every query finish), so that no answer reaches a freed
 * set.  The specs stay in caller storage and must outlive the set.
 * Allocation failures are noted with core/state and return -1.
 */
#ifndef MAILPATH_DNSBL_QUERY_H
#define MAILPATH_DNSBL_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/dnsbl.h"
#include "mail/dnsbl_answer.h"
#include "mail/dnsbl_cache.h"

#define DNSBL_QUERY_MAX 20000	/* pairs and controls of one run */
#define DNSBL_QUERY_INFLIGHT 256

struct dns;
struct dnsbl_query;

struct dnsbl_query_params {
	bool selftest;		/* every control, not only the positive one */
	bool txt;		/* ask TXT beside A for the targets */
	/* controls answered from it, and those that pass kept in it */
	struct dnsbl_cache *cache;
};

typedef void (*dnsbl_query_cb)(void *arg);

int dnsbl_query_new(struct dnsbl_query **out, struct dns *d,
    const struct dnsbl_spec *specs, size_t nspecs,
    const struct dnsbl_query_params *par, void *arg);
void dnsbl_query_free(struct dnsbl_query *q);
/* A target, index = order of addition: addr (4 or 16 bytes) for
 * DNSBL_IP, name (A-label) for DNSBL_DOMAIN. */
int dnsbl_query_add(struct dnsbl_query *q, enum dnsbl_kind kind, int family,
    const unsigned char *addr, const char *name);
/* Build every pair and control (nothing is sent yet). */
int dnsbl_query_build(struct dnsbl_query *q);
/* Send; cb runs once when all have answered (at once when none left). */
void dnsbl_query_start(struct dnsbl_query *q, dnsbl_query_cb cb);
bool dnsbl_query_done(const struct dnsbl_query *q);

const struct dnsbl_answer *dnsbl_query_answers(const struct dnsbl_query *q,
    size_t *n);
const struct dnsbl_zone *dnsbl_query_zones(struct dnsbl_query *q,
    size_t *n);
/* Pairs not built: over DNSBL_QUERY_MAX (counted), or with a query name
 * over 253 octets (each passed to each()). */
size_t dnsbl_query_dropped(const struct dnsbl_query *q);
void dnsbl_query_toolong(const struct dnsbl_query *q,
    void (*each)(void *arg, size_t target, size_t zone), void *arg);
/* For mail/dnsbl_tally: the specs, a zone, a target's kind and family. */
const struct dnsbl_spec *dnsbl_query_specs(const struct dnsbl_query *q,
    size_t *n);
const struct dnsbl_zone *dnsbl_query_zone(const struct dnsbl_query *q,
    size_t zone);
int dnsbl_query_family(const struct dnsbl_query *q, size_t target,
    enum dnsbl_kind *kind);
/* A domain target's registered domain when it has one of its own. */
const char *dnsbl_query_registered(const struct dnsbl_query *q,
    size_t target);

#endif
