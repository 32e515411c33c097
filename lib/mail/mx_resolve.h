/*
 * mx_resolve - an MX set (mail/mx) filled on the run's loop, in two
 * resolver round trips for any number of hosts: round 1 is the MX query
 * (net/dns), round 2 one net/resolve set of every target, A and AAAA as
 * -4/-6 allow, all at once.  Each host keeps in h->res its addresses (IPv6
 * first, then IPv4, each in resolver order), the status and AD bit of each
 * family's answer and the alias target (MX_F_CNAME; the implicit MX's own
 * alias is none); a host with no address after both answers gets
 * MX_F_NOADDR.  The hosts a trap_set matches get MX_F_TRAP and the rule's
 * name in h->trap.
 *
 * The callback runs once, when everything has answered (it may run before
 * mx_resolve_start() returns).  If the loop's
 * deadline comes first the set is still readable: s->stage and each
 * host's res.pending4/6 say what was outstanding.
 *
 * Ownership: the set is the caller's (mail/mx); what the lookup holds is
 * freed by mx_set_release(), which calls mx_resolve_release().  Free the
 * struct dns first, or let every query finish, so that no answer reaches
 * a released set.  mx_resolve_start() returns 0, or -1 with the reason in
 * err when nothing was started (a set already started, a domain too long,
 * out of memory: noted with core/state, the query could not be sent).
 */
#ifndef MAILPATH_MX_RESOLVE_H
#define MAILPATH_MX_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

struct dns;
struct mx_set;
struct trap_set;

struct mx_params {
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	uint64_t seed;		/* the shuffle of equal preferences */
	const struct trap_set *traps;	/* may be NULL */
};
typedef void (*mx_done_cb)(void *arg, struct mx_set *s);

/* domain: A-label without the final dot (dns_name_normalize()). */
int mx_resolve_start(struct mx_set *s, struct dns *d, const char *domain,
    const struct mx_params *par, mx_done_cb cb, void *arg, char *err,
    size_t errlen);
/* Free what the lookup holds; the set stays readable. */
void mx_resolve_release(struct mx_set *s);

#endif
