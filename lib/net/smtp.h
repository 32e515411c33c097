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
 * whose public fields (result, replies, caps, times, transcript: the
 * types of net/smtp_result) stay valid until smtp_session_free().  The TLS hand-off goes through on_tls(): the
 * caller creates the TLS session for the fd and, after the handshake, says
 * whether to go on (its verification policy) — lib/ never decides states.
 */
#ifndef MAILPATH_SMTP_H
#define MAILPATH_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "net/smtp_result.h"
#include "net/tls_io.h"

enum smtp_tls_use { SMTP_TLS_NEVER, SMTP_TLS_IF_OFFERED, SMTP_TLS_REQUIRED };

struct loop;

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

int smtp_session_new(struct smtp_session **out, struct loop *l,
    const struct smtp_params *params);
/* The TLS use decided (tls_hold): a held session goes on at once. */
void smtp_session_tls_set(struct smtp_session *s, enum smtp_tls_use use);
/* Stops a running session (no callback) and frees it; not its tls. */
void smtp_session_free(struct smtp_session *s);

#endif
