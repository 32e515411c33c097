/*
 * smtp - a non-blocking SMTP client on the run's loop that goes as far as
 * RCPT TO and never further: connect, 220 banner, EHLO (HELO after a 5xx),
 * optional STARTTLS, EHLO again, MAIL + RCPT + QUIT (one pipelined group
 * when the current EHLO offers PIPELINING, RFC 2920), never DATA, always
 * QUIT when the server is still talking.  Banner-only mode stops after
 * the greeting (a connection probe).
 *
 * The pure parts (reply parser, EHLO keywords, address checks) are in
 * smtp_wire.h.  Every complete reply is checked against the command it
 * answers (smtp_wire_reply_misfit): one that cannot belong to it, or bytes
 * before a command was sent, end the session with SMTP_ERR_PROTOCOL.
 *
 * The session reports, it does not judge: smtp_session_new() starts it,
 * the loop drives it, and done() is called exactly once with the session,
 * whose public fields (result, replies, caps, times, transcript) stay valid
 * until smtp_session_free().  The TLS hand-off goes through on_tls(): the
 * caller creates the TLS session for the fd and, after the handshake, says
 * whether to go on (its verification policy) — lib/ never decides states.
 */
#ifndef MAILPATH_SMTP_H
#define MAILPATH_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "core/buf.h"

#include "net/smtp_wire.h"
#include "net/tls_io.h"


enum smtp_stage {
	SMTP_CONNECT, SMTP_BANNER, SMTP_EHLO, SMTP_HELO, SMTP_STARTTLS,
	SMTP_TLS, SMTP_EHLO_TLS, SMTP_MAIL, SMTP_RCPT, SMTP_QUIT, SMTP_DONE
};
const char *smtp_stage_name(enum smtp_stage s);

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
const char *smtp_error_name(enum smtp_error e);

enum smtp_tls_use { SMTP_TLS_NEVER, SMTP_TLS_IF_OFFERED, SMTP_TLS_REQUIRED };

struct loop;
struct smtp_session;
struct smtp_priv;

struct smtp_params {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	const char *helo, *from, *rcpt;	/* checked paths, no brackets */
	bool utf8;			/* send SMTPUTF8 (non-ASCII local) */
	bool no_pipelining;
	bool trace;			/* stage changes in the transcript */
	/* only connect and read the greeting (any code), send QUIT
	 * without awaiting 221, end; banner_timeout then counts from the
	 * start of the connect, and no TLS is ever used */
	bool banner_only;
	enum smtp_tls_use tls;
	/* hold after the first EHLO (or HELO) reply until
	 * smtp_session_tls_set(): the TLS policy is still being decided
	 * while connect, banner and EHLO go on */
	bool tls_hold;
	double connect_timeout, banner_timeout, command_timeout;
	/* Create the TLS session on fd (NULL = cannot); then, after the
	 * handshake, decide whether to go on.  Both get arg.  The session
	 * is driven through tls_io (net/tls: &tls_io_gnutls). */
	const struct tls_io_ops *tls_io;
	struct tls *(*tls_start)(void *arg, int fd);
	bool (*tls_done)(void *arg, struct tls *t);
	void (*done)(struct smtp_session *s, void *arg);
	void *arg;
};

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

int smtp_session_new(struct smtp_session **out, struct loop *l,
    const struct smtp_params *params);
/* The TLS use decided (tls_hold): a held session goes on at once. */
void smtp_session_tls_set(struct smtp_session *s, enum smtp_tls_use use);
/* Stops a running session (no callback) and frees it; not its tls. */
void smtp_session_free(struct smtp_session *s);

#endif
