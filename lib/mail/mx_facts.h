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

/* Not a trap, the null MX or an IP literal, and with an address. */
bool mx_facts_host_usable(const struct mx_host *h);
/* Usable hosts, a target listed twice counted once. */
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

/* The MX answer's outcome: "NOERROR", "SERVFAIL", "timeout", ... */
const char *mx_facts_status_name(const struct mx_set *s);

/* A mail domain as a user gives it (-D): Unicode or A-labels, final dot
 * optional, never an IP address; out gets the A-label.  0, or -1 with the
 * reason in err. */
int mx_facts_domain_parse(const char *text, char *out, size_t size, char *err,
    size_t errlen);
/* "PREF HOST" (-E), HOST "." for the null MX.  0, or -1 with the reason
 * (naming the bad part) in err. */
int mx_facts_rec_parse(const char *text, struct mx_rec *out, char *err,
    size_t errlen);

/* The published records (none for the implicit MX), at most max, sorted
 * by preference, then name; the count. */
size_t mx_facts_records(const struct mx_set *s, struct mx_rec *out,
    size_t max);
void mx_facts_recs_sort(struct mx_rec *v, size_t n);
/* Both sorted: the same records? */
bool mx_facts_recs_equal(const struct mx_rec *a, size_t na, const struct mx_rec *b,
    size_t nb);
/* "10 mx1.example.org, 20 ." or "(none)". */
void mx_facts_recs_format(char *out, size_t size, const struct mx_rec *v,
    size_t n);

#endif
