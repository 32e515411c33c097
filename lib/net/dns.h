/*
 * dns - c-ares on the run's loop: typed lookups with every outcome kept
 * distinct (NOERROR with data, NODATA, NXDOMAIN, SERVFAIL, REFUSED,
 * timeout), the AD bit of each answer, and explicit per-try timeouts.
 *
 * Queries are sent with ares_send() for the absolute name given: no search
 * list, RD and AD set (RFC 6840 §5.7: AD in a query asks a validating
 * resolver to report validation without DO), EDNS with 1232 octets.
 * Answers are read by net/dns_answer; names are made by net/dns_name
 * (both included here for the callers of dns).
 *
 * Ownership: dns_new()/dns_free() own the channel.  A callback receives an
 * answer that dns releases when the callback returns; keep it with
 * dns_answer_move().  dns_free() drops pending queries without calling
 * their callbacks.  Functions return 0 or -1; errors come back as text in
 * a caller-supplied buffer.
 */
#ifndef MAILPATH_DNS_H
#define MAILPATH_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/dns_answer.h"
#include "net/dns_name.h"

struct loop;
struct dns;

struct dns_config {
	double timeout;		/* first try, seconds (c-ares doubles it) */
	int tries;
	const char *const *servers;	/* "ADDR[:PORT]"; none: resolv.conf */
	size_t nservers;
};

typedef void (*dns_cb)(void *arg, struct dns_answer *a);

int dns_new(struct dns **out, struct loop *l, const struct dns_config *cfg,
    char *err, size_t errlen);
void dns_free(struct dns *d);
int dns_query(struct dns *d, const char *name, int type, dns_cb cb,
    void *arg);
size_t dns_pending(const struct dns *d);
unsigned long dns_sent(const struct dns *d);

const char *dns_status_name(enum dns_status s);
const char *dns_type_name(int type);

#endif
