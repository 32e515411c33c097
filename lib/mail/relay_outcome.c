/*
 * relay_outcome - one SMTP session's facts as a named outcome (see
 * relay_outcome.h).
 */
#include <config.h>

#include "mail/relay_outcome.h"

#include "net/smtp_result.h"

#include <stddef.h>

static const char *const outcome_names[RELAY_NOUTCOMES] = {
	"pending", "accepted", "rejected", "deferred", "refused",
	"unreachable", "protocol error", "TLS failure", "no SMTPUTF8",
	"skipped"
};

const char *
relay_outcome_name(enum relay_outcome o)
{
	return (unsigned)o < RELAY_NOUTCOMES ? outcome_names[o] : "?";
}

static bool
is5(int code)
{
	return code >= 500 && code < 600;
}

static bool
is4(int code)
{
	return code >= 400 && code < 500;
}

const struct smtp_reply *
relay_outcome_reply(const struct smtp_session *s, const char **cmd)
{
	const struct {
		const struct smtp_reply *r;
		const char *cmd;
	} order[] = {
		{ &s->banner, "the greeting" }, { &s->ehlo, "EHLO" },
		{ &s->starttls, "STARTTLS" }, { &s->mail, "MAIL FROM" },
		{ &s->rcpt, "RCPT TO" },
	};
	const struct smtp_reply *best = NULL;
	size_t i;

	*cmd = "";
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (order[i].r->code == 0)
			continue;
		*cmd = order[i].cmd;
		/* a failure answers the question; later replies (503 to a
		 * pipelined RCPT after a rejected MAIL) do not */
		if (order[i].r->code >= 400)
			return order[i].r;
		best = order[i].r;
	}
	if (best && s->used_helo && best == &s->ehlo)
		*cmd = "HELO";
	return best;
}

/*
 * Session facts → outcome.  Order matters: a reply code, when there is
 * one, says more than the way the connection ended.
 */
enum relay_outcome
relay_outcome_classify(const struct smtp_session *s)
{
	const char *cmd;
	const struct smtp_reply *r = relay_outcome_reply(s, &cmd);

	/* replies out of step (QUIT not answered 221, a reply that cannot
	 * be RCPT's): the 250 taken for RCPT's may be MAIL's */
	if (s->error == SMTP_ERR_PROTOCOL)
		return RELAY_PROTOCOL;
	if (s->rcpt.code >= 200 && s->rcpt.code < 300 && s->mail.code < 300)
		return RELAY_ACCEPTED;
	if (s->error == SMTP_ERR_NOUTF8)
		return RELAY_NOUTF8;
	if (r != NULL && is5(r->code) && (r == &s->mail || r == &s->rcpt))
		return RELAY_REJECTED;
	if (r != NULL && is4(r->code))
		return RELAY_DEFERRED;
	if (r != NULL && is5(r->code) && (r == &s->banner || r == &s->ehlo))
		return RELAY_REFUSED;
	switch (s->error) {
	case SMTP_ERR_TLS:
	case SMTP_ERR_NOTLS:
	case SMTP_ERR_POLICY:
		return RELAY_TLS;
	case SMTP_ERR_CONNECT:
	case SMTP_ERR_TIMEOUT:
	case SMTP_ERR_CLOSED:
	case SMTP_ERR_LOCAL:
		return RELAY_UNREACHABLE;
	default:
		break;
	}
	if (r != NULL && is5(r->code))
		return RELAY_REFUSED;	/* 5xx to STARTTLS with TLS optional */
	return RELAY_PROTOCOL;
}
