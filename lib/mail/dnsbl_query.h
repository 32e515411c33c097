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
 * answers are kept in the order the pairs were built (zone by zone, each
 * zone's targets in the order added, then its controls); a pair not
 * answered by the deadline stays DNS_TIMEOUT with answered false.  A host
 * name on a domain list is asked as its registered domain (mail/regdom),
 * and as itself first unless the list lists registered domains only
 * (RFC 5782 §3).  A spec's qzone (DQS) is what is asked; names are kept
 * with the key masked.  dnsbl_query_zones() evaluates the controls
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
#include <stdint.h>

#include "mail/dnsbl.h"
#include "mail/dnsbl_verdict.h"
#include "mail/dnsbl_cache.h"

#define DNSBL_QUERY_MAX 20000	/* pairs and controls of one run */
#define DNSBL_QUERY_INFLIGHT 256
#define DNSBL_TXT_MAX 300

struct dns;
struct dnsbl_query;

enum dnsbl_role { DNSBL_Q_TARGET, DNSBL_Q_CONTROL };

struct dnsbl_zone {
	const struct dnsbl_spec *spec;	/* the first spec naming the zone */
	bool broken;		/* failed an RFC 5782 §5 control */
	bool broken6;		/* failed only the IPv6 controls */
	char broken_why[600];
};

struct dnsbl_answer {
	enum dnsbl_role role;
	enum dnsbl_control control;	/* DNSBL_Q_CONTROL */
	size_t target, zone;		/* target: DNSBL_Q_TARGET only */
	bool registered;		/* asked for the registered domain */
	char name[DNSBL_NAME_MAX];	/* the query name, a DQS key masked */
	bool answered;		/* the A answer came, or none can */
	bool cached;		/* a test point's answer from the cache */
	enum dns_status status;		/* DNS_TIMEOUT until it does */
	uint32_t codes[DNSBL_MAX_CODES];	/* host order, sorted */
	size_t ncodes;
	char txt[DNSBL_TXT_MAX];	/* sanitised reasons, " / " between */
	double elapsed;
};

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
/* "NXDOMAIN": an answer's status as text. */
const char *dnsbl_query_status(const struct dnsbl_answer *a);

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
