/*
 * mx_facts - what a judge reads off an MX set (mail/mx) that is not yet a
 * state: the usable hosts, the lowest preference, the answers without the
 * AD bit, the records as published compared with the ones expected (-E),
 * and the parsers of those expectations.  Pure: no network, no loop,
 * table-driven unit tests in t/unit/mx_test.  It reports; the plugin picks
 * the states.
 *
 * Ownership: everything works on caller storage; nothing allocates.  Text
 * goes into a caller's buffer, cut (never overrun) when it does not fit;
 * the functions that build a list return 0 when it is empty, the parsers
 * 0 or -1 with the reason in err.
 */
#ifndef MAILPATH_MX_FACTS_H
#define MAILPATH_MX_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/mx.h"

/* One MX record as published or expected: "" is the null MX ".". */
struct mx_rec {
	unsigned pref;
	char host[MX_NAME_MAX];
};

/* Usable hosts (not a trap, the null MX or an IP literal, and with an
 * address), a target listed twice counted once. */
size_t mx_facts_usable(const struct mx_set *s);
size_t mx_facts_traps(const struct mx_set *s);
/* The lowest preference of a real target (never the null MX), traps
 * left out when asked; false when there is none. */
bool mx_facts_lowest(const struct mx_set *s, bool skip_traps, unsigned *pref);
/* The highest preference of a non-trap target; 0 when none. */
unsigned mx_facts_highest_real(const struct mx_set *s);

/* "A NOERROR, AAAA pending": each family asked and its outcome. */
size_t mx_facts_dns_status(const struct mx_host *h, char *out, size_t size);
/* "127.0.0.1 (loopback), ...": the special-purpose addresses; count. */
size_t mx_facts_nonpublic(const struct mx_host *h, char *out, size_t size);
/* "MX dom, A host, AAAA host": answers without the AD bit, hosts in
 * order (s->nhosts indices), a repeated target left out. */
size_t mx_facts_unvalidated(const struct mx_set *s, const size_t *order,
    char *out, size_t size);

/* The names at the lowest preference (no null MX), in order, a repeated
 * target too when dups; the count. */
size_t mx_facts_primaries(const struct mx_set *s, const size_t *order,
    bool dups, char *out, size_t size);
/* Every one of them matches one of the globs (lib/trap's syntax). */
bool mx_facts_primaries_match(const struct mx_set *s,
    const char (*globs)[MX_NAME_MAX], size_t nglobs);
/* "A+AAAA mx1.example.org, AAAA mx2...": lookups still outstanding. */
size_t mx_facts_pending(const struct mx_set *s, const size_t *order,
    char *out, size_t size);
/* The names in walk order ("." for the null MX). */
size_t mx_facts_walk(const struct mx_set *s, char *out, size_t size);
/* The MX answer's outcome: "NOERROR", "SERVFAIL", "timeout", ... */
const char *mx_facts_status_name(const struct mx_set *s);

/* A mail domain as a user gives it (-D): Unicode or A-labels, final dot
 * optional, never an IP address; out gets the A-label.  0, or -1 with the
 * reason in err. */
int mx_facts_domain_parse(const char *text, char *out, size_t size, char *err,
    size_t errlen);
/* Comma lists, appended at out[*n], at most max: "PREF HOST" records
 * (-E; HOST "." is the null MX), host globs (-P).  0, or -1 with the
 * reason, naming the bad item, in err. */
int mx_facts_recs_parse(const char *list, struct mx_rec *out, size_t max,
    size_t *n, char *err, size_t errlen);
int mx_facts_globs_parse(const char *list, char (*out)[MX_NAME_MAX],
    size_t max, size_t *n, char *err, size_t errlen);

/* Is the set as published exactly want (in any order; the implicit MX
 * has no record)?  If not, both sorted as text: "10 mx1.example.org, 20 ."
 * or "(none)". */
bool mx_facts_expect_mx(const struct mx_set *s, const struct mx_rec *want,
    size_t nwant, char *wtext, char *gtext, size_t size);

#endif
