/*
 * spf_eval - RFC 7208 check_host() for the sending addresses of a domain:
 * pass, fail, softfail, neutral, none, temperror or permerror per address,
 * with the 10 DNS-querying terms and 2 void lookups of §4.6.4.
 *
 * The domain's record tree (include, redirect, and the A, AAAA and MX
 * answers that a, mx and exists need) is fetched once, every lookup of a
 * level at once on the run's loop; each address is then evaluated
 * against that data without further DNS, in term order as check_host()
 * does, so any number of addresses costs the rounds of one.  Records are
 * read with spf_parse() (mail/spf).  What needs the client itself cannot
 * be evaluated from DNS data alone: ptr (§5.5) and macros other than
 * %{d} and %{o} give SPF_EVAL_UNDETERMINED, named in the verdict.
 *
 * Ownership: spf_eval_new()/spf_eval_free(), the latter after dns_free()
 * (pending answers point into it).  Verdicts are caller storage.
 */
#ifndef MAILPATH_SPF_EVAL_H
#define MAILPATH_SPF_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/spf.h"

struct dns;
struct spf_eval;

enum spf_eval_result {
	SPF_EVAL_PASS, SPF_EVAL_FAIL, SPF_EVAL_SOFTFAIL, SPF_EVAL_NEUTRAL,
	SPF_EVAL_NONE, SPF_EVAL_TEMPERROR, SPF_EVAL_PERMERROR,
	SPF_EVAL_UNDETERMINED	/* needs ptr or a client macro */
};

struct spf_eval_verdict {
	enum spf_eval_result result;
	char term[SPF_TERM_TEXT];	/* the deciding term, or "" */
	char domain[254];	/* the record it is in (or that failed) */
	char why[200];		/* errors and undetermined: the reason */
	bool timeout;		/* temperror: a lookup had no answer */
	unsigned lookups, voids;	/* counted on this evaluation */
};

typedef void (*spf_eval_done_cb)(void *arg);

/* domain: A-label without the final dot; sender: for %{o}.  done runs
 * once, when nothing is pending (perhaps before spf_eval_new() returns). */
int spf_eval_new(struct spf_eval **out, struct dns *d, const char *domain,
    const char *sender, spf_eval_done_cb done, void *arg);
void spf_eval_free(struct spf_eval *e);
size_t spf_eval_pending(const struct spf_eval *e);
/*
 * check_host() for one address (family AF_INET or AF_INET6).  addr NULL
 * is a client that no mechanism but "all" lists: its walk visits every
 * term, so its verdict tells whether the record stays within the limits
 * for every client, and a pass means the record authorises everyone.
 */
void spf_eval_check(const struct spf_eval *e, int family,
    const unsigned char *addr, struct spf_eval_verdict *out);
const char *spf_eval_result_name(enum spf_eval_result r);

#endif
