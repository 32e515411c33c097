/*
 * resolve - the addresses of a set of host names or IP literals, all
 * looked up at once on the run's loop.  The one host → address lookup of
 * the suite: mail/mx's targets, the relay's -H and --via hosts, the
 * sender discovery of check_dnsbl_sender and spf's a and mx terms.
 *
 * resolve_add() names a host into caller storage (struct resolve_host);
 * a literal is taken as it is and never asked.  resolve_start() sends A
 * and AAAA (as the family allows) for every name at once, so any number
 * of hosts costs one resolver round trip; a name added twice is asked
 * once and both hosts get its facts.  As answers come in, each host gets
 * its addresses (IPv6 first, then IPv4, each in resolver order, at most
 * RESOLVE_MAX_ADDRS per family) with its port and special-purpose scope
 * (net/addr), the status and AD bit of each family's answer, and the
 * CNAME target when the name was an alias.  The callback runs once, when
 * every answer is in (before resolve_start() returns when nothing needed
 * asking).  At a deadline the hosts are still readable: pending4 and
 * pending6 say what never answered.
 *
 * Ownership: resolve_new()/resolve_free(); the hosts stay in caller
 * storage and must outlive the set; resolve_host_release() frees what a
 * host holds.  Free the struct dns first (or let every query finish), so
 * that no answer reaches a freed set.  An allocation failure is noted
 * with core/state and reads as DNS_ERROR for the family concerned.
 */
#ifndef MAILPATH_RESOLVE_H
#define MAILPATH_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "net/addr.h"
#include "net/dns.h"

#define RESOLVE_NAME_MAX 254	/* 253 octets + NUL */
#define RESOLVE_MAX_ADDRS 32	/* kept per host and family */

struct resolve_host {
	char name[RESOLVE_NAME_MAX];	/* as added */
	bool literal;		/* an IP literal: one address, no query */
	bool asked4, asked6;	/* a query of this family was sent */
	bool pending4, pending6; /* ... and has not answered yet */
	enum dns_status st4, st6; /* answer status when asked */
	bool ad4, ad6;		/* AD bit of each answer */
	char *cname;		/* alias target of the lookup, or NULL */
	size_t naddrs;
	struct addr_sock *addrs; /* IPv6 first, then IPv4 */
};

struct resolve;
typedef void (*resolve_done_cb)(void *arg, struct resolve *r);

/* family: AF_UNSPEC (both), AF_INET or AF_INET6 (-4/-6). */
int resolve_new(struct resolve **out, struct dns *d, int family);
void resolve_free(struct resolve *r);
/*
 * Name a host (an A-label without the final dot, or an IP literal) into
 * h, whose addresses get port.  A literal of a family -4/-6 excludes
 * gets no address.  0, or -1 (name too long, out of memory, already
 * started).
 */
int resolve_add(struct resolve *r, struct resolve_host *h, const char *name,
    unsigned port);
/* Send every query; cb runs once when all have answered.  -1: nothing
 * could be sent (cb has not run). */
int resolve_start(struct resolve *r, resolve_done_cb cb, void *arg);
size_t resolve_pending(const struct resolve *r);
unsigned long resolve_queries(const struct resolve *r);	/* sent */
double resolve_slowest(const struct resolve *r);	/* answer, seconds */
/* Some lookup ran out of time or never answered before the deadline. */
bool resolve_timed_out(const struct resolve *r);

void resolve_host_release(struct resolve_host *h);
/* Copy src's facts into dst (the same name in two places). */
int resolve_host_copy(struct resolve_host *dst,
    const struct resolve_host *src);

#endif
