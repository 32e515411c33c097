/*
 * relay_verdict - the relay's judgement as one table: every verdict the
 * walk can reach, with its state (relay_verdicts[]), and the pure
 * functions that find the verdict of a walk from its per-address
 * outcomes (mail/relay_outcome classifies each session).  No network:
 * feed it a walk of attempts (t/unit/relay_test).
 *
 * relay_verdict_walk() is RFC 5321 §5.1's reading of a sequential walk,
 * relay_verdict_all() the --all audit's; both name the attempts the
 * report is about.  A row whose state is the deadline's takes
 * --timeout-result (timeout = true).
 */
#ifndef MAILPATH_RELAY_VERDICT_H
#define MAILPATH_RELAY_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/relay_outcome.h"
#include "core/state.h"

struct relay_attempt;
struct relay_walk;

enum relay_verdict {
	/* a walk */
	RV_ACCEPTED, RV_BACKUP, RV_REJECTED, RV_TRAP, RV_DEFERRED,
	RV_UNUSABLE, RV_NOADDR, RV_NOADDR_TIMEOUT, RV_FAILED,
	/* --all, and its per-address findings */
	RV_ALL_OK, RV_ALL_PARTIAL, RV_ALL_NONE, RV_ADDR_UNUSED,
	RV_ADDR_FAILS, RV_TRAP_ACCEPTS,
	/* the MX set, and findings beside the walk */
	RV_MX_FAILED, RV_MX_TIMEOUT, RV_NULL_MX, RV_NULL_MIXED, RV_LITERAL,
	RV_MIXED_CODES, RV_REFUSE_ACCEPTS, RV_PLAINTEXT_RETRY,
	RV_STARTTLS_INJECTION, RV_VIA_FAILED, RV_CERT_WARN, RV_CERT_CRIT,
	RV_DEADLINE, RV_LOOP_FAILED, RV_CREDS,
	/* --tls sts (mail/sts_relay) */
	RV_STS_NOMATCH, RV_STS_TLSFAIL, RV_STS_UNUSABLE, RV_STS_DNS, RV_STS_TESTING,
	RV_NVERDICTS
};

struct relay_verdict_row {
	enum state state;
	bool timeout;		/* --timeout-result decides, not state */
	const char *name;
};
extern const struct relay_verdict_row relay_verdicts[RV_NVERDICTS];

struct relay_judgement {
	enum relay_verdict v;
	int about;	/* the attempt the summary names, or -1 */
	int shown;	/* the attempt whose conversation is shown, or -1 */
	size_t tried, real, ok, traps, trap_ok, refuse_ok;
};

/* timed_out: an address lookup ran out of time. */
void relay_verdict_walk(const struct relay_walk *w, bool timed_out,
    struct relay_judgement *j);
void relay_verdict_all(const struct relay_walk *w, struct relay_judgement *j);
/* The role of one address in --all: RV_ADDR_UNUSED, RV_ADDR_FAILS,
 * RV_TRAP_ACCEPTS, or RV_NVERDICTS for none. */
enum relay_verdict relay_verdict_address(const struct relay_attempt *a);
/* Nolisting: a host meant to refuse that refused, as a sender sees it. */
bool relay_verdict_refused(const struct relay_attempt *a);
enum state relay_verdict_state(enum relay_verdict v, enum state timeout);

#endif
