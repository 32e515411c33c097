/*
 * sender - what a sender sends from, as a blocklist check needs it
 * (dnsbl-notes §6): -H addresses as given, -H host names (the name, and
 * all its A and AAAA), and for a sender domain the domain, the networks
 * its SPF record authorises (mail/spf), and when asked its own addresses
 * and its MX hosts' (MX hosts receive mail: senders only if the user
 * says so).  Host → address lookups go through net/resolve: the -H names
 * and the domain's own A/AAAA in one set, the MX targets in a second
 * after the MX answer (no implicit MX: a domain without MX adds nothing).
 *
 * What it found is mail/sender_facts': the targets in their order, the
 * notes, the counts; lib reports, the plugin judges.
 *
 * Ownership: sender_new()/sender_free(), the latter after dns_free() (or
 * once every lookup answered).  The result belongs to the sender; it is
 * built by sender_result() from what has answered, at a deadline too.
 * Allocation failures are noted with core/state.
 */
#ifndef MAILPATH_SENDER_H
#define MAILPATH_SENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/dnsbl.h"
#include "mail/sender_facts.h"
#include "mail/spf_expand.h"
#include "net/dns.h"

#define SENDER_MAX_TARGETS 1024

struct sender;

struct sender_params {
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 (-4/-6) */
	size_t max_addresses;
	bool spf, include_a, include_mx;	/* for the domain */
};

typedef void (*sender_done_cb)(void *arg);

int sender_new(struct sender **out, struct dns *d,
    const struct sender_params *par);
void sender_free(struct sender *s);
/* Is arg an IP literal or a host name (not a dotted number, "1.2.3")? */
bool sender_host_valid(const char *arg);
/* -H: an IP literal or a host name; -1 with the reason in err. */
int sender_add_host(struct sender *s, const char *arg, char *err,
    size_t errlen);
/* -S: a domain, or an address's domain; -1 with the reason in err. */
int sender_add_domain(struct sender *s, const char *arg, char *err,
    size_t errlen);
/* Every lookup at once; cb runs once when all answered (maybe at once). */
int sender_start(struct sender *s, sender_done_cb cb, void *arg);
bool sender_done(const struct sender *s);
const struct sender_result *sender_result(struct sender *s);

#endif
