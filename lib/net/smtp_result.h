/*
 * smtp_result - what a net/smtp session reports: the stage it reached,
 * how it failed (whose failure: the peer's, the network's or ours, so
 * the plugin can judge), every reply, the EHLO capabilities, the times
 * and the transcript.  The session (net/smtp) owns the struct and fills
 * it; the caller reads it in done() and until smtp_session_free(), and
 * frees nothing itself.  The name functions return static strings, "?"
 * for a value out of range.
 */
#ifndef MAILPATH_SMTP_RESULT_H
#define MAILPATH_SMTP_RESULT_H

#include <stdbool.h>

#include "core/buf.h"

#include "net/smtp_caps.h"
#include "net/smtp_wire.h"

enum smtp_stage {
	SMTP_CONNECT, SMTP_BANNER, SMTP_EHLO, SMTP_HELO, SMTP_STARTTLS,
	SMTP_TLS, SMTP_EHLO_TLS, SMTP_MAIL, SMTP_RCPT, SMTP_QUIT, SMTP_DONE
};
const char *smtp_result_stage_name(enum smtp_stage s);

enum smtp_error {
	SMTP_OK,		/* ran to the end (the replies say the rest) */
	SMTP_ERR_CONNECT,	/* connect() failed: refused, unreachable */
	SMTP_ERR_TIMEOUT,	/* the stage's own timeout */
	SMTP_ERR_CLOSED,	/* peer closed or reset before we were done */
	SMTP_ERR_PROTOCOL,	/* malformed, overlong or unexpected bytes */
	SMTP_ERR_TLS,		/* handshake or TLS I/O failed */
	SMTP_ERR_NOTLS,		/* TLS required but not offered / 4xx-5xx */
	SMTP_ERR_POLICY,	/* on_tls() said stop (verification) */
	SMTP_ERR_NOUTF8,	/* UTF-8 local part, no SMTPUTF8 offered */
	SMTP_ERR_LOCAL		/* socket(), memory */
};
const char *smtp_result_error_name(enum smtp_error e);

struct tls;
struct smtp_priv;

struct smtp_session {
	enum smtp_stage stage;	/* reached, or where it failed */
	enum smtp_error error;
	enum smtp_stage failed_stage;	/* where error was set */
	char errtext[160];	/* the error, sanitised, for the report */
	struct smtp_reply banner, ehlo, starttls, mail, rcpt, quit;
	struct smtp_caps caps;	/* of the current (post-TLS) EHLO */
	bool used_helo, pipelined, tls_up, plaintext_after_starttls;
	/* seconds: each stage, and start to RCPT reply ("time") */
	double t_connect, t_banner, t_ehlo, t_tls, t_rcpt, t_total;
	struct tls *tls;	/* owned by the caller's tls_start */
	struct buf transcript;	/* "  12 ms > MAIL FROM:<>\n" lines */
	struct smtp_priv *priv;
};

#endif
