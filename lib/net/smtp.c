#include <config.h>

#include "net/smtp.h"
#include "net/smtp_result.h"
#include "net/smtp_caps.h"
#include "core/state.h"
#include "net/loop.h"
#include "core/text.h"
#include "net/tls_io.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMTP_TRANSCRIPT_MAX 32768
#define SMTP_OUT_MAX 2048
#define SMTP_EXPECT_MAX 4
#define SMTP_LOG_LINES 20	/* lines of one reply in the transcript */

/* ---- the session ---------------------------------------------------- */

struct smtp_priv {
	struct loop *loop;
	struct smtp_params p;
	int fd;
	struct loop_timer *timer;
	double start, stage_start, tls_start, mail_start;
	bool held;		/* tls_hold: waiting after the first EHLO */
	char in[SMTP_REPLY_MAX];
	size_t inlen, inoff;	/* bytes held: in[inoff .. inlen) */
	char out[SMTP_OUT_MAX];
	size_t outlen;
	struct smtp_parser ps;
	struct smtp_caps caps_new;	/* of the EHLO reply being read */
	enum smtp_stage expect[SMTP_EXPECT_MAX];
	size_t nexpect, iexpect;
	bool tls_wants_write, finished, quit_sent;
};

static void smtp_io(struct loop *l, int fd, int revents, void *arg);
static void smtp_on_timeout(struct loop *l, void *arg);

static double
smtp_ms(const struct smtp_session *s)
{
	return (loop_now() - s->priv->start) * 1000.0;
}

static void
smtp_log(struct smtp_session *s, char dir, const char *text, size_t len)
{
	char clean[TEXT_MAX_LINE * 4 + 8];

	text_sanitize(clean, sizeof(clean), text, len, 300);
	/* a full transcript keeps its head: the decisive part is early */
	(void)buf_printf(&s->transcript, "%5.0f ms %c %s\n", smtp_ms(s), dir,
	    clean);
}

static void
smtp_note(struct smtp_session *s, char dir, const char *text)
{
	smtp_log(s, dir, text, strlen(text));
}

/* The one place where the stage changes (STYLE.md practice 3). */
static void
smtp_set_state(struct smtp_session *s, enum smtp_stage next)
{
	struct smtp_priv *pv = s->priv;

	if (s->stage == next)
		return;
	if (pv->p.trace) {
		char note[64];
		int n = snprintf(note, sizeof(note), "%s -> %s",
		    smtp_result_stage_name(s->stage),
		    smtp_result_stage_name(next));

		smtp_log(s, '*', note, (size_t)n);
	}
	s->stage = next;
	pv->stage_start = loop_now();
}

static void
smtp_arm_timer(struct smtp_session *s, double seconds)
{
	struct smtp_priv *pv = s->priv;

	loop_timer_cancel(pv->loop, pv->timer);
	pv->timer = loop_timer_add(pv->loop, seconds, smtp_on_timeout, s);
}

static void
smtp_close(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	loop_timer_cancel(pv->loop, pv->timer);
	pv->timer = NULL;
	if (pv->fd >= 0) {
		loop_unwatch(pv->loop, pv->fd);
		close(pv->fd);
		pv->fd = -1;
	}
}

static void
smtp_finish(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	if (pv->finished)
		return;
	pv->finished = true;
	if (s->t_total == 0)
		s->t_total = loop_now() - pv->start;
	smtp_close(s);
	/* the last thing done: the callback may start other sessions */
	pv->p.done(s, pv->p.arg);
}

static void
smtp_fail(struct smtp_session *s, enum smtp_error e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
smtp_fail(struct smtp_session *s, enum smtp_error e, const char *fmt, ...)
{
	char tmp[sizeof(s->errtext)];
	va_list ap;

	if (s->error == SMTP_OK) {
		s->error = e;
		s->failed_stage = s->stage;
	}
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	text_sanitize(s->errtext, sizeof(s->errtext), tmp, strlen(tmp),
	    sizeof(s->errtext) - 8);
	smtp_log(s, '!', s->errtext, strlen(s->errtext));
	smtp_finish(s);
}

static void
smtp_watch(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;
	short ev = POLLIN;

	if (pv->outlen > 0 || pv->tls_wants_write)
		ev |= POLLOUT;
	if (loop_watch(pv->loop, pv->fd, ev, smtp_io, s) < 0)
		smtp_fail(s, SMTP_ERR_LOCAL, "out of memory");
}

/* Write what is queued; -1 after a failure (already reported). */
static int
smtp_flush(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	pv->tls_wants_write = false;
	while (pv->outlen > 0) {
		size_t sent = 0;

		if (s->tls_up) {
			enum tls_io r = pv->p.tls_io->write(s->tls, pv->out,
			    pv->outlen, &sent);

			if (r == TLS_IO_WANT_WRITE || r == TLS_IO_WANT_READ) {
				pv->tls_wants_write = r == TLS_IO_WANT_WRITE;
				break;
			}
			if (r != TLS_IO_DONE) {
				smtp_fail(s, SMTP_ERR_TLS, "TLS write failed: "
				    "%s", pv->p.tls_io->error(s->tls));
				return -1;
			}
		} else {
			ssize_t n = write(pv->fd, pv->out, pv->outlen);

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n < 0) {
				smtp_fail(s, SMTP_ERR_CLOSED, "write failed: "
				    "%s", strerror(errno));
				return -1;
			}
			sent = (size_t)n;
		}
		memmove(pv->out, pv->out + sent, pv->outlen - sent);
		pv->outlen -= sent;
	}
	smtp_watch(s);
	return 0;
}

/* Queue commands (one write: a pipelined group goes out as one segment)
 * and the replies they expect, in order (RFC 2920 §3.1). */
static void
smtp_send(struct smtp_session *s, const char *const *cmds,
    const enum smtp_stage *stages, size_t n, double timeout)
{
	struct smtp_priv *pv = s->priv;
	size_t i;

	pv->nexpect = pv->iexpect = 0;
	for (i = 0; i < n; i++) {
		size_t len = strlen(cmds[i]);

		if (pv->outlen + len + 2 > sizeof(pv->out)) {
			smtp_fail(s, SMTP_ERR_LOCAL, "command too long");
			return;
		}
		smtp_log(s, '>', cmds[i], len);
		memcpy(pv->out + pv->outlen, cmds[i], len);
		memcpy(pv->out + pv->outlen + len, "\r\n", 2);
		pv->outlen += len + 2;
		pv->expect[pv->nexpect++] = stages[i];
		if (stages[i] == SMTP_QUIT)
			pv->quit_sent = true;
	}
	smtp_set_state(s, stages[0]);
	smtp_arm_timer(s, timeout);
	(void)smtp_flush(s);
}

static void
smtp_send1(struct smtp_session *s, const char *cmd, enum smtp_stage st)
{
	smtp_send(s, &cmd, &st, 1, s->priv->p.command_timeout);
}

static void
smtp_quit(struct smtp_session *s)
{
	smtp_send1(s, "QUIT", SMTP_QUIT);
}

static void
smtp_envelope(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;
	char mail[600], rcpt[600];
	const char *cmds[3] = { mail, rcpt, "QUIT" };
	static const enum smtp_stage st[3] = {
		SMTP_MAIL, SMTP_RCPT, SMTP_QUIT
	};

	/* RFC 6531 §3.2: no UTF-8 address without SMTPUTF8 offered */
	if (pv->p.utf8 && !s->caps.smtputf8) {
		s->error = SMTP_ERR_NOUTF8;
		s->failed_stage = s->stage;
		snprintf(s->errtext, sizeof(s->errtext), "an address has a "
		    "UTF-8 local part and the server does not offer "
		    "SMTPUTF8");
		smtp_quit(s);
		return;
	}
	snprintf(mail, sizeof(mail), "MAIL FROM:<%s>%s", pv->p.from,
	    pv->p.utf8 ? " SMTPUTF8" : "");
	snprintf(rcpt, sizeof(rcpt), "RCPT TO:<%s>", pv->p.rcpt);
	pv->mail_start = loop_now();
	/* RFC 2920 §3.1: only when the current EHLO offers it; QUIT may
	 * end a group, so the whole probe is one round trip */
	if (s->caps.pipelining && !pv->p.no_pipelining) {
		s->pipelined = true;
		smtp_send(s, cmds, st, 3, pv->p.command_timeout);
	} else
		smtp_send1(s, mail, SMTP_MAIL);
}

static void
smtp_ehlo(struct smtp_session *s, enum smtp_stage st)
{
	char cmd[300];

	memset(&s->priv->caps_new, 0, sizeof(s->priv->caps_new));
	snprintf(cmd, sizeof(cmd), "%s %s", st == SMTP_HELO ? "HELO" : "EHLO",
	    s->priv->p.helo);
	smtp_send1(s, cmd, st);
}

static void smtp_tls_step(struct smtp_session *s);

static void
smtp_starttls_ok(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	/* RFC 3207 §4.2: plaintext after the 220 is not part of the TLS
	 * session (the command-injection class): throw it away, say so */
	if (pv->inlen > pv->inoff) {
		s->plaintext_after_starttls = true;
		smtp_note(s, '!', "plaintext after the 220 to STARTTLS "
		    "discarded");
	}
	pv->inlen = pv->inoff = 0;
	smtp_set_state(s, SMTP_TLS);
	/* without an interface to drive it, a session cannot be used */
	s->tls = pv->p.tls_io != NULL && pv->p.tls_start != NULL ?
	    pv->p.tls_start(pv->p.arg, pv->fd) : NULL;
	if (s->tls == NULL) {
		smtp_fail(s, SMTP_ERR_TLS, "cannot set up TLS");
		return;
	}
	smtp_arm_timer(s, pv->p.command_timeout);
	smtp_tls_step(s);
}

static void
smtp_tls_step(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;
	enum tls_io r = pv->p.tls_io->handshake(s->tls);

	if (r == TLS_IO_WANT_READ || r == TLS_IO_WANT_WRITE) {
		pv->tls_wants_write = r == TLS_IO_WANT_WRITE;
		smtp_watch(s);
		return;
	}
	pv->tls_wants_write = false;
	if (r != TLS_IO_DONE) {
		smtp_fail(s, SMTP_ERR_TLS, "TLS handshake failed: %s",
		    pv->p.tls_io->error(s->tls));
		return;
	}
	s->tls_up = true;
	s->t_tls = loop_now() - pv->tls_start;
	smtp_note(s, '*', "TLS handshake done");
	/* RFC 3207 §4.2: forget everything learned before TLS */
	memset(&s->caps, 0, sizeof(s->caps));
	if (!pv->p.tls_done(pv->p.arg, s->tls)) {
		s->error = SMTP_ERR_POLICY;
		s->failed_stage = s->stage;
		snprintf(s->errtext, sizeof(s->errtext), "TLS verification "
		    "failed");
		smtp_quit(s);
		return;
	}
	smtp_ehlo(s, SMTP_EHLO_TLS);
}

static bool
smtp_ok(const struct smtp_reply *r)
{
	return r->code >= 200 && r->code < 300;
}

static void
smtp_reply_store(struct smtp_session *s, enum smtp_stage st,
    const struct smtp_reply *r)
{
	struct smtp_reply *to = NULL;

	switch (st) {
	case SMTP_BANNER:
		to = &s->banner;
		break;
	case SMTP_EHLO:
	case SMTP_HELO:
	case SMTP_EHLO_TLS:
		to = &s->ehlo;
		break;
	case SMTP_STARTTLS:
		to = &s->starttls;
		break;
	case SMTP_MAIL:
		to = &s->mail;
		break;
	case SMTP_RCPT:
		to = &s->rcpt;
		break;
	case SMTP_QUIT:
		to = &s->quit;
		break;
	default:
		break;
	}
	if (to != NULL)
		*to = *r;
}

/*
 * Banner-only: the greeting is all the caller came for.  QUIT is sent to
 * be polite but its 221 is not awaited; the session ends here.
 */
static void
smtp_banner_done(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	smtp_note(s, '>', "QUIT");
	if (write(pv->fd, "QUIT\r\n", 6) < 0)
		smtp_note(s, '!', "QUIT not sent");
	smtp_set_state(s, SMTP_DONE);
	smtp_finish(s);
}

/* A complete reply for the stage that expected it. */
/* The first EHLO (or HELO) was answered: STARTTLS, or the envelope. */
static void
smtp_after_ehlo(struct smtp_session *s, enum smtp_stage st)
{
	struct smtp_priv *pv = s->priv;

	if (st == SMTP_EHLO && pv->p.tls != SMTP_TLS_NEVER &&
	    s->caps.starttls) {
		pv->tls_start = loop_now();
		smtp_send1(s, "STARTTLS", SMTP_STARTTLS);
		return;
	}
	if (!s->tls_up && pv->p.tls == SMTP_TLS_REQUIRED) {
		s->error = SMTP_ERR_NOTLS;
		s->failed_stage = s->stage;
		snprintf(s->errtext, sizeof(s->errtext), "STARTTLS not "
		    "offered");
		smtp_quit(s);
		return;
	}
	smtp_envelope(s);
}

void
smtp_session_tls_set(struct smtp_session *s, enum smtp_tls_use use)
{
	struct smtp_priv *pv = s->priv;

	pv->p.tls = use;
	pv->p.tls_hold = false;
	if (!pv->held)
		return;
	pv->held = false;
	smtp_after_ehlo(s, s->used_helo ? SMTP_HELO : SMTP_EHLO);
}

static void
smtp_reply(struct smtp_session *s, enum smtp_stage st,
    const struct smtp_reply *r)
{
	struct smtp_priv *pv = s->priv;
	double now = loop_now();
	bool more = pv->iexpect < pv->nexpect;

	smtp_reply_store(s, st, r);
	if (more) {
		/* RFC 2920 §3.1: each reply of a group has its own timeout */
		smtp_set_state(s, pv->expect[pv->iexpect]);
		smtp_arm_timer(s, pv->p.command_timeout);
	}
	switch (st) {
	case SMTP_BANNER:
		s->t_banner = now - pv->stage_start;
		if (pv->p.banner_only) {
			smtp_banner_done(s);
			return;
		}
		/* RFC 5321 §3.1: after a 554 greeting the client sends QUIT;
		 * 421 closes the connection from the server side */
		if (!smtp_ok(r))
			smtp_quit(s);
		else
			smtp_ehlo(s, SMTP_EHLO);
		return;
	case SMTP_EHLO:
	case SMTP_HELO:
	case SMTP_EHLO_TLS:
		if (st != SMTP_EHLO_TLS)
			s->t_ehlo = now - pv->stage_start;
		else
			s->t_tls = now - pv->tls_start;
		if (st == SMTP_EHLO && r->code >= 500 && r->code < 600 &&
		    pv->p.tls != SMTP_TLS_REQUIRED) {
			/* RFC 5321 §4.1.4: an old server; HELO instead */
			s->used_helo = true;
			smtp_ehlo(s, SMTP_HELO);
			return;
		}
		if (!smtp_ok(r)) {
			smtp_quit(s);
			return;
		}
		if (st == SMTP_HELO)
			memset(&s->caps, 0, sizeof(s->caps));
		else
			s->caps = pv->caps_new;
		if (st != SMTP_EHLO_TLS && pv->p.tls_hold) {
			/* the caller's TLS policy is not decided yet: wait,
			 * on our side, so no stage timer runs */
			pv->held = true;
			loop_timer_cancel(pv->loop, pv->timer);
			pv->timer = NULL;
			return;
		}
		smtp_after_ehlo(s, st);
		return;
	case SMTP_STARTTLS:
		if (r->code == 220) {
			smtp_starttls_ok(s);
			return;
		}
		if (pv->p.tls == SMTP_TLS_REQUIRED) {
			s->error = SMTP_ERR_NOTLS;
			s->failed_stage = s->stage;
			snprintf(s->errtext, sizeof(s->errtext), "STARTTLS "
			    "refused");
			smtp_quit(s);
			return;
		}
		/* opportunistic: RFC 3207 §4.1 lets the session go on */
		smtp_envelope(s);
		return;
	case SMTP_MAIL:
		if (more)
			return;		/* pipelined: RCPT and QUIT follow */
		if (smtp_ok(r)) {
			char rcpt[600];

			snprintf(rcpt, sizeof(rcpt), "RCPT TO:<%s>",
			    pv->p.rcpt);
			smtp_send1(s, rcpt, SMTP_RCPT);
		} else
			smtp_quit(s);
		return;
	case SMTP_RCPT:
		s->t_rcpt = now - pv->mail_start;
		s->t_total = now - pv->start;
		/* never DATA: the probe ends here whatever the answer */
		if (!more)
			smtp_quit(s);
		return;
	case SMTP_QUIT:
		smtp_set_state(s, SMTP_DONE);
		smtp_finish(s);
		return;
	default:
		smtp_fail(s, SMTP_ERR_LOCAL, "reply in stage %s",
		    smtp_result_stage_name(st));
		return;
	}
}

static enum smtp_verb
smtp_verb_of(enum smtp_stage st)
{
	switch (st) {
	case SMTP_BANNER:
		return SMTP_V_GREETING;
	case SMTP_HELO:
		return SMTP_V_HELO;
	case SMTP_STARTTLS:
		return SMTP_V_STARTTLS;
	case SMTP_MAIL:
		return SMTP_V_MAIL;
	case SMTP_RCPT:
		return SMTP_V_RCPT;
	case SMTP_QUIT:
		return SMTP_V_QUIT;
	default:
		return SMTP_V_EHLO;
	}
}

/* Parse what was read, line by line, into replies. */
static void
smtp_process(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	while (pv->inlen > pv->inoff && !pv->finished) {
		size_t used;
		enum smtp_parse r;
		enum smtp_stage st;
		struct smtp_reply reply;
		char why[96];
		const char *in = pv->in + pv->inoff;
		size_t nl;

		if (pv->iexpect >= pv->nexpect) {
			/* OpenSMTPD and Postfix alike: bytes nobody asked for
			 * are a broken or hostile server */
			smtp_fail(s, SMTP_ERR_PROTOCOL, "unexpected data from "
			    "the server while in stage %s",
			    smtp_result_stage_name(s->stage));
			return;
		}
		r = smtp_wire_parse(&pv->ps, in, pv->inlen - pv->inoff, &used);
		if (r == SMTP_PARSE_ERROR) {
			smtp_fail(s, SMTP_ERR_PROTOCOL, "%s", pv->ps.err);
			return;
		}
		if (used == 0)
			return;		/* wait for the rest of the line */
		st = pv->expect[pv->iexpect];
		nl = pv->ps.reply.nlines;
		/* a long reply: its first lines and its last one */
		if (r == SMTP_PARSE_DONE && nl > SMTP_LOG_LINES + 1) {
			char note[64];

			snprintf(note, sizeof(note), "... %zu more lines",
			    nl - SMTP_LOG_LINES - 1);
			smtp_note(s, '<', note);
		}
		if (nl <= SMTP_LOG_LINES || r == SMTP_PARSE_DONE)
			smtp_log(s, '<', in, used - (used >= 2 &&
			    in[used - 2] == '\r' ? 2 : 1));
		if (st == SMTP_EHLO || st == SMTP_EHLO_TLS)
			smtp_caps_line(&pv->caps_new, in, used, nl - 1);
		/* consumed by moving the start, not the bytes: a long reply
		 * costs one pass, not one copy of the buffer per line */
		pv->inoff += used;
		if (pv->inoff == pv->inlen)
			pv->inlen = pv->inoff = 0;
		if (r == SMTP_PARSE_MORE)
			continue;
		reply = pv->ps.reply;
		smtp_wire_parser_reset(&pv->ps);
		pv->iexpect++;
		if (reply.code == 421 && st != SMTP_QUIT) {
			/* RFC 5321 §3.8: the server is closing: no QUIT */
			smtp_reply_store(s, st, &reply);
			smtp_finish(s);
			return;
		}
		if (smtp_wire_reply_misfit(smtp_verb_of(st), &reply, why,
		    sizeof(why))) {
			/* e.g. an unsolicited line shifted every reply by one:
			 * whatever the segmentation, some reply then cannot
			 * answer its command, QUIT's least of all */
			smtp_reply_store(s, st, &reply);
			smtp_fail(s, SMTP_ERR_PROTOCOL, "the reply to %s cannot "
			    "belong to it (%s): replies out of step",
			    st == SMTP_BANNER ? "the connection" :
			    smtp_result_stage_name(st), why);
			return;
		}
		if (st == SMTP_STARTTLS && reply.code == 220) {
			/* decided in smtp_starttls_ok(): leftovers are
			 * discarded there, never parsed as replies */
			smtp_reply(s, st, &reply);
			return;
		}
		if (pv->iexpect == pv->nexpect && pv->inlen > pv->inoff &&
		    st != SMTP_QUIT) {
			/* the last awaited reply is complete and more bytes
			 * came with it, before the next command was sent */
			smtp_reply_store(s, st, &reply);
			smtp_fail(s, SMTP_ERR_PROTOCOL, "unexpected data after "
			    "the reply to %s", st == SMTP_BANNER ?
			    "the connection" : smtp_result_stage_name(st));
			return;
		}
		smtp_reply(s, st, &reply);
	}
}

static void
smtp_read(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;
	enum tls_io last = TLS_IO_DONE;
	bool eof = false;

	do {
		for (;;) {
			size_t room, got = 0;

			if (pv->inoff > 0) {
				/* the rest of a line: to the front */
				memmove(pv->in, pv->in + pv->inoff,
				    pv->inlen - pv->inoff);
				pv->inlen -= pv->inoff;
				pv->inoff = 0;
			}
			room = sizeof(pv->in) - pv->inlen;

			if (room == 0)
				break;	/* the parser reports the overflow */
			if (s->tls_up) {
				last = pv->p.tls_io->read(s->tls,
				    pv->in + pv->inlen, room, &got);
				if (last == TLS_IO_WANT_READ ||
				    last == TLS_IO_WANT_WRITE)
					break;
				if (last != TLS_IO_DONE) {
					eof = true;
					break;
				}
			} else {
				ssize_t n = read(pv->fd, pv->in + pv->inlen,
				    room);

				if (n < 0 && (errno == EAGAIN || errno == EINTR))
					break;
				if (n < 0) {
					smtp_process(s);
					if (!pv->finished)
						smtp_fail(s, SMTP_ERR_CLOSED,
						    "connection reset in stage "
						    "%s (%s)",
						    smtp_result_stage_name(
						    s->stage), strerror(errno));
					return;
				}
				if (n == 0) {
					last = TLS_IO_CLOSED;
					eof = true;
					break;
				}
				got = (size_t)n;
			}
			pv->inlen += got;
			if (!s->tls_up)
				break;
		}
		/* what was read first, whatever ended the read: the replies
		 * may be all there is (221, then a close) */
		smtp_process(s);
		if (pv->finished)
			return;
		/* GnuTLS may hold decrypted bytes that no poll event will
		 * announce (protocol-notes §12); within the stage's time */
	} while (!eof && s->tls_up && pv->p.tls_io->pending(s->tls) &&
	    loop_now() - pv->stage_start < pv->p.command_timeout);
	if (!eof)
		return;
	if (last == TLS_IO_ERROR) {
		smtp_fail(s, SMTP_ERR_TLS, "TLS read failed: %s",
		    pv->p.tls_io->error(s->tls));
		return;
	}
	if (s->stage == SMTP_QUIT) {
		/* closed instead of (or right after) a 221, with or without
		 * close_notify: the probe is over anyway */
		smtp_finish(s);
		return;
	}
	smtp_fail(s, SMTP_ERR_CLOSED, "connection closed by the server in "
	    "stage %s%s", smtp_result_stage_name(s->stage),
	    last == TLS_IO_TRUNCATED ? " (without TLS close_notify)" : "");
}

static void
smtp_connected(struct smtp_session *s)
{
	struct smtp_priv *pv = s->priv;

	s->t_connect = loop_now() - pv->start;
	smtp_note(s, '*', "connected");
	/* RFC 5321 §4.3.1: never speak before the 220 */
	pv->nexpect = 1;
	pv->iexpect = 0;
	pv->expect[0] = SMTP_BANNER;
	smtp_set_state(s, SMTP_BANNER);
	if (pv->p.banner_only) {
		/* one limit for connect and banner together */
		double left = pv->p.banner_timeout - s->t_connect;

		smtp_arm_timer(s, left > 0 ? left : 0);
	} else {
		smtp_arm_timer(s, pv->p.banner_timeout);
	}
	smtp_watch(s);
}

static void
smtp_io(struct loop *l, int fd, int revents, void *arg)
{
	struct smtp_session *s = arg;
	struct smtp_priv *pv = s->priv;

	(void)l;
	(void)fd;
	if (s->stage == SMTP_CONNECT) {
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		if (getsockopt(pv->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
			soerr = errno;
		if (soerr != 0) {
			smtp_fail(s, SMTP_ERR_CONNECT, "%s", strerror(soerr));
			return;
		}
		smtp_connected(s);
		return;
	}
	if (s->stage == SMTP_TLS) {
		smtp_tls_step(s);
		return;
	}
	if ((revents & POLLOUT) && (pv->outlen > 0 || pv->tls_wants_write)) {
		if (smtp_flush(s) < 0)
			return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR))
		smtp_read(s);
}

static void
smtp_on_timeout(struct loop *l, void *arg)
{
	struct smtp_session *s = arg;
	struct smtp_priv *pv = s->priv;
	double waited = loop_now() - pv->stage_start;

	(void)l;
	pv->timer = NULL;	/* the loop frees a timer that fired */
	if (s->stage == SMTP_QUIT) {
		/* everything decisive is in; a silent QUIT costs nothing */
		smtp_note(s, '!', "no reply to QUIT");
		smtp_finish(s);
		return;
	}
	if (s->stage == SMTP_CONNECT || s->stage == SMTP_BANNER ||
	    s->stage == SMTP_TLS)
		smtp_fail(s, SMTP_ERR_TIMEOUT, "no %s within %.1f s",
		    s->stage == SMTP_CONNECT ? "connection" :
		    s->stage == SMTP_BANNER ? "banner" : "TLS handshake",
		    waited);
	else
		smtp_fail(s, SMTP_ERR_TIMEOUT, "no reply to %s within %.1f s",
		    smtp_result_stage_name(s->stage), waited);
}

static void
smtp_connect_failed(struct loop *l, void *arg)
{
	struct smtp_session *s = arg;

	(void)l;
	s->priv->timer = NULL;
	smtp_fail(s, SMTP_ERR_CONNECT, "%s", s->errtext);
}

int
smtp_session_new(struct smtp_session **out, struct loop *l,
    const struct smtp_params *params)
{
	struct smtp_session *s = calloc(1, sizeof(*s));
	struct smtp_priv *pv = calloc(1, sizeof(*pv));
	int fd, one = 1;

	if (s == NULL || pv == NULL) {
		state_note_oom("SMTP session");
		free(s);
		free(pv);
		return -1;
	}
	s->priv = pv;
	pv->loop = l;
	pv->p = *params;
	pv->fd = -1;
	pv->start = pv->stage_start = loop_now();
	buf_init(&s->transcript, SMTP_TRANSCRIPT_MAX);
	s->stage = SMTP_CONNECT;
	*out = s;
	fd = socket(params->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(s->errtext, sizeof(s->errtext), "socket: %s",
		    strerror(errno));
		s->error = SMTP_ERR_LOCAL;
		pv->timer = loop_timer_add(l, 0, smtp_connect_failed, s);
		return pv->timer ? 0 : -1;
	}
	pv->fd = fd;
	/* every write is a whole command or group that the server waits
	 * for: Nagle would hold the post-TLS EHLO behind the unacknowledged
	 * Finished for a delayed-ACK period (DESIGN.md §6 round trips) */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)&params->addr,
	    params->addrlen) < 0 && errno != EINPROGRESS) {
		/* report from the loop, never from inside this call */
		snprintf(s->errtext, sizeof(s->errtext), "%s",
		    strerror(errno));
		pv->timer = loop_timer_add(l, 0, smtp_connect_failed, s);
		return pv->timer ? 0 : -1;
	}
	smtp_arm_timer(s, params->connect_timeout);
	if (loop_watch(l, fd, POLLOUT, smtp_io, s) < 0 || pv->timer == NULL)
		return -1;
	return 0;
}

void
smtp_session_free(struct smtp_session *s)
{
	if (s == NULL)
		return;
	smtp_close(s);
	buf_release(&s->transcript);
	free(s->priv);
	free(s);
}
