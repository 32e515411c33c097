/*
 * relay_outcome - what one address of a relay walk amounted to: a named
 * class (accepted, rejected, deferred, ...) read off one finished
 * net/smtp session, and the reply that decided it.  Pure, no network;
 * the session stays the caller's, and the reply returned points into it.
 * Nothing fails: a value out of range is named "?".
 *
 * relay_outcome_classify() lets a reply code, when there is one, say
 * more than the way the connection ended; mail/relay_verdict turns a
 * walk of outcomes into the verdict.
 */
#ifndef MAILPATH_RELAY_OUTCOME_H
#define MAILPATH_RELAY_OUTCOME_H

struct smtp_session;
struct smtp_reply;

/* What one address amounted to: a named class. */
enum relay_outcome {
	RELAY_PENDING,
	RELAY_ACCEPTED,		/* 2xx to RCPT TO */
	RELAY_REJECTED,		/* 5xx to MAIL or RCPT: the bounce */
	RELAY_DEFERRED,		/* 4xx anywhere (greylisting, 421): queued */
	RELAY_REFUSED,		/* 5xx banner or EHLO/HELO: no service */
	RELAY_UNREACHABLE,	/* connect failure, timeout, closed */
	RELAY_PROTOCOL,		/* broken or out-of-step replies */
	RELAY_TLS,		/* TLS required by the policy and failed */
	RELAY_NOUTF8,		/* UTF-8 local part, no SMTPUTF8 */
	RELAY_SKIPPED,		/* not probed: trap, no address, policy */
	RELAY_NOUTCOMES
};

enum relay_outcome relay_outcome_classify(const struct smtp_session *s);
const char *relay_outcome_name(enum relay_outcome o);
/* The session's decisive reply (its first failure, else its last) and
 * the command it answered ("RCPT TO"), or NULL. */
const struct smtp_reply *relay_outcome_reply(const struct smtp_session *s,
    const char **cmd);

#endif
