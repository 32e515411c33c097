/*
 * dnsbl_tally - reading a run's list answers (mail/dnsbl_query), once
 * its controls are evaluated (dnsbl_query_zones()).  Answers of a list
 * broken for their target are left out.
 *
 * dnsbl_tally_each() gives the specs that judge answer i, each once: a
 * DNS failure only under the first (one line per query), a registered
 * domain not under a spec that already listed the host name itself
 * (postscreen: an entry adds its weight at most once per target).  The
 * score sums the weights of those listings.  A target's tally counts the
 * lists asked about it, those clean (named), and those listing it with a
 * positive weight.  Pure: nothing is sent, nothing allocated.
 */
#ifndef MAILPATH_DNSBL_TALLY_H
#define MAILPATH_DNSBL_TALLY_H

#include <stddef.h>

#include "mail/dnsbl_query.h"

struct dnsbl_tally {
	size_t asked, clean, listed;
	char clean_lists[1500];	/* the clean zones, ", " between */
};

void dnsbl_tally_each(const struct dnsbl_query *q, size_t i,
    void (*each)(void *arg, const struct dnsbl_answer *a,
    const struct dnsbl_spec *s), void *arg);
long dnsbl_tally_score(const struct dnsbl_query *q);
void dnsbl_tally_target(const struct dnsbl_query *q, size_t target,
    struct dnsbl_tally *out);
/* Targets of a kind that some list was asked about. */
size_t dnsbl_tally_asked(const struct dnsbl_query *q, enum dnsbl_kind kind);
/* (target, list) pairs without an answer (at a deadline). */
size_t dnsbl_tally_unanswered(const struct dnsbl_query *q);

#endif
