/*
 * mx_answer - an MX answer as the hosts a sender would try, in its order
 * (RFC 5321 §5.1): by preference, equal ones shuffled by a seedable PRNG
 * (same set and seed, same order, whatever the answer's order).  No MX:
 * the domain itself, preference 0, MX_F_IMPLICIT.  "MX 0 ." is a null MX
 * (RFC 7505): an empty name, MX_F_NULL; s->null_mx alone, s->null_mixed
 * beside others.  IP literals get MX_F_LITERAL and are never looked up;
 * a target listed twice gets MX_F_DUP.  Pure: mail/mx_resolve calls it on
 * the answer it got.
 *
 * Ownership: the hosts go into the caller's struct mx_set (mail/mx),
 * replacing the ones it held, and are freed with it.  Functions return 0
 * or -1 with a message in a caller's buffer (out of memory also noted in
 * core/state).
 */
#ifndef MAILPATH_MX_ANSWER_H
#define MAILPATH_MX_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "mail/mx.h"
#include "net/dns.h"

/* The domain, lower-cased, without the final dot; -1 if too long. */
int mx_answer_domain(struct mx_set *s, const char *domain, char *err,
    size_t errlen);
/* s->hosts from an MX answer for domain (A-label, no final dot): NODATA
 * gives the implicit MX, other failures no hosts. */
int mx_answer_hosts(struct mx_set *s, const char *domain,
    const struct dns_answer *a, uint64_t seed, char *err, size_t errlen);
/* Sort by preference and shuffle equal preferences with seed. */
void mx_answer_order(struct mx_host *h, size_t n, uint64_t seed);

#endif
