/*
 * dnsbl_answer - what mail/dnsbl_query fills for each question of a run:
 * one answer per (target, list) pair or RFC 5782 §5 control, and one zone
 * per list with the verdict of its controls.  mail/dnsbl_tally and the
 * plugin read them; mail/dnsbl_verdict classifies an answer's codes.
 *
 * The answers are kept in the order the pairs were built (zone by zone,
 * each zone's targets in the order added, then its controls); a pair not
 * answered by the deadline stays DNS_TIMEOUT with answered false.  Names
 * are kept with a DQS key masked, TXT reasons sanitised.
 *
 * Ownership: answers and zones belong to the struct dnsbl_query that
 * filled them and are read through const pointers until it is freed.
 * Nothing here fails.
 */
#ifndef MAILPATH_DNSBL_ANSWER_H
#define MAILPATH_DNSBL_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/dnsbl.h"
#include "mail/dnsbl_verdict.h"
#include "net/dns.h"

#define DNSBL_TXT_MAX 300

enum dnsbl_role { DNSBL_Q_TARGET, DNSBL_Q_CONTROL };

struct dnsbl_zone {
	const struct dnsbl_spec *spec;	/* the first spec naming the zone */
	bool broken;		/* failed an RFC 5782 §5 control */
	bool broken6;		/* failed only the IPv6 controls */
	char broken_why[600];
};

struct dnsbl_answer {
	enum dnsbl_role role;
	enum dnsbl_control control;	/* DNSBL_Q_CONTROL */
	size_t target, zone;		/* target: DNSBL_Q_TARGET only */
	bool registered;		/* asked for the registered domain */
	char name[DNSBL_NAME_MAX];	/* the query name, a DQS key masked */
	bool answered;		/* the A answer came, or none can */
	bool cached;		/* a test point's answer from the cache */
	enum dns_status status;		/* DNS_TIMEOUT until it does */
	uint32_t codes[DNSBL_MAX_CODES];	/* host order, sorted */
	size_t ncodes;
	char txt[DNSBL_TXT_MAX];	/* sanitised reasons, " / " between */
	double elapsed;
};

/* "NXDOMAIN": an answer's status as text. */
const char *dnsbl_answer_status(const struct dnsbl_answer *a);

#endif
