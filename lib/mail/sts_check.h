/*
 * sts_check - a domain's MTA-STS policy (RFC 8461) and TLS-RPT record
 * (RFC 8460), looked up on the run's loop.  It reports; it never picks a
 * state.
 *
 * One DNS round: TXT _mta-sts.DOMAIN, TXT _smtp._tls.DOMAIN and the
 * addresses of mta-sts.DOMAIN (net/resolve), all at once, so they ride
 * with the MX query.  When exactly one valid v=STSv1 record came back, the policy is
 * fetched from https://mta-sts.DOMAIN/.well-known/mta-sts.txt through
 * net/https (status 200 only, no redirects, STS_BODY_MAX, text/plain, the
 * certificate valid for that name) and parsed (mail/sts).  The outcome is
 * one named class (mail/sts_outcome, which also answers the per-host
 * questions); a deadline leaves STS_PENDING and the *_pending flags.
 *
 * Ownership: struct sts_check lives in caller storage; sts_check_init()
 * before, sts_check_release() after (free the struct dns first, or let
 * every query finish).  The callback runs once, from the loop.
 */
#ifndef MAILPATH_STS_CHECK_H
#define MAILPATH_STS_CHECK_H

#include <stdbool.h>

#include "net/dns.h"
#include "net/https.h"
#include "mail/sts.h"
#include "mail/sts_outcome.h"

#define STS_BODY_MAX 65536	/* policy size cap (RFC 8461 §3.3 "SHOULD") */

struct sts_check {
	enum sts_outcome outcome;
	enum dns_status txt_status;
	size_t nsts;			/* v=STSv1 records */
	char id[STS_ID_MAX];
	char why[768];			/* the fault, sanitised */
	bool fetched;			/* a fetch was made */
	enum https_fail fetch_fail;
	long http_status;
	double fetch_time;		/* seconds */
	struct sts_policy policy;
	enum sts_rpt rpt;
	struct sts_tlsrpt tlsrpt;
	char rpt_why[300];
	bool txt_pending, addr_pending, fetch_pending, rpt_pending;
	struct sts_run *run;		/* private to sts_check.c */
};

struct sts_params {
	const char *cafile;	/* NULL: the system store */
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	double fetch_timeout;	/* seconds for the HTTPS fetch */
};

typedef void (*sts_done_cb)(void *arg, struct sts_check *c);

void sts_check_init(struct sts_check *c);
void sts_check_release(struct sts_check *c);
/* domain: A-label without the final dot.  -1: nothing was started. */
int sts_check_start(struct sts_check *c, struct loop *l, struct dns *d,
    const char *domain, const struct sts_params *par, sts_done_cb cb,
    void *arg, char *err, size_t errlen);

#endif
