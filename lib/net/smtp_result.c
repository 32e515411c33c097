/*
 * smtp_result - the names of a session's stages and errors (see
 * smtp_result.h).
 */
#include <config.h>

#include "net/smtp_result.h"

static const char *const smtp_stage_names[] = {
	"connect", "banner", "EHLO", "HELO", "STARTTLS", "TLS handshake",
	"EHLO after TLS", "MAIL FROM", "RCPT TO", "QUIT", "done"
};

const char *
smtp_result_stage_name(enum smtp_stage s)
{
	if ((unsigned)s > SMTP_DONE)
		return "?";
	return smtp_stage_names[s];
}

static const char *const smtp_error_names[] = {
	"ok", "connection failed", "timeout", "connection closed",
	"protocol error", "TLS failure", "TLS not available",
	"TLS verification failed", "no SMTPUTF8", "local error"
};

const char *
smtp_result_error_name(enum smtp_error e)
{
	if ((unsigned)e > SMTP_ERR_LOCAL)
		return "?";
	return smtp_error_names[e];
}
