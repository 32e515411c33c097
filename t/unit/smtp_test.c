/*
 * smtp_test - the pure parts of lib/smtp: the reply parser (line by line,
 * with its limits), the EHLO capability parser and the address checker.
 */
#include <config.h>

#include "net/loop.h"
#include "net/smtp.h"
#include "net/smtp_caps.h"
#include "tap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* Feed a whole input; the result of the last call and the reply. */
static enum smtp_parse
parse_all(const char *in, size_t len, struct smtp_parser *ps, size_t *left)
{
	enum smtp_parse r = SMTP_PARSE_MORE;
	size_t pos = 0, used;

	smtp_wire_parser_reset(ps);
	while (pos < len) {
		r = smtp_wire_parse(ps, in + pos, len - pos, &used);
		pos += used;
		if (r != SMTP_PARSE_MORE || used == 0)
			break;
	}
	*left = len - pos;
	return r;
}

static void
test_replies(void)
{
	static const struct {
		const char *in;
		enum smtp_parse want;
		int code;
		const char *enh, *text;
		size_t left;
	} t[] = {
		{ "220 mx.test ESMTP\r\n", SMTP_PARSE_DONE, 220, "",
		    "mx.test ESMTP", 0 },
		{ "250-a\r\n250-b\r\n250 c\r\n", SMTP_PARSE_DONE, 250, "",
		    "a / b / c", 0 },
		{ "550 5.1.1 <x@y>: Recipient address rejected\r\n",
		    SMTP_PARSE_DONE, 550, "5.1.1",
		    "<x@y>: Recipient address rejected", 0 },
		{ "451-4.7.1 greylisted\r\n451 4.7.1 try later\r\n",
		    SMTP_PARSE_DONE, 451, "4.7.1", "greylisted / try later",
		    0 },
		{ "556 5.1.10 null MX\r\n", SMTP_PARSE_DONE, 556, "5.1.10",
		    "null MX", 0 },
		/* enhanced code of the wrong class is only text */
		{ "550 2.1.1 odd\r\n", SMTP_PARSE_DONE, 550, "", "2.1.1 odd",
		    0 },
		{ "250\r\n", SMTP_PARSE_DONE, 250, "", "", 0 },
		{ "250 ok\n", SMTP_PARSE_DONE, 250, "", "ok", 0 },
		{ "250 ok\r\n221 bye\r\n", SMTP_PARSE_DONE, 250, "", "ok",
		    9 },
		{ "250-a\r\n", SMTP_PARSE_MORE, 250, "", "a", 0 },
		{ "250 partial", SMTP_PARSE_MORE, 0, "", "", 11 },
		/* mixed codes (RFC 5321 section 4.2.1): the last line's, as
		 * Postfix reads it; its enhanced code, not the first's */
		{ "250-a\r\n251 b\r\n", SMTP_PARSE_DONE, 251, "", "a / b", 0 },
		{ "550-5.1.1 no\r\n250 2.1.5 Ok\r\n", SMTP_PARSE_DONE, 250,
		    "2.1.5", "no / Ok", 0 },
		{ "250-2.1.5 yes\r\n550 nope\r\n", SMTP_PARSE_DONE, 550, "",
		    "yes / nope", 0 },
		{ "650 no\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "199 no\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "2x0 no\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "260 no\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "25\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "250x\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "HTTP/1.1 400\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "250 a\x01z\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
		{ "250 a\rz\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct smtp_parser ps;
		size_t left;
		enum smtp_parse r = parse_all(t[i].in, strlen(t[i].in), &ps,
		    &left);

		is_int(r, t[i].want, "reply %zu: result", i);
		if (t[i].want == SMTP_PARSE_ERROR) {
			ok(ps.err[0] != '\0', "reply %zu: error says why: %s",
			    i, ps.err);
			continue;
		}
		is_int(left, t[i].left, "reply %zu: bytes left", i);
		if (t[i].want != SMTP_PARSE_DONE)
			continue;
		is_int(ps.reply.code, t[i].code, "reply %zu: code", i);
		is_str(ps.reply.enh, t[i].enh, "reply %zu: enhanced code", i);
		is_str(ps.reply.text, t[i].text, "reply %zu: text", i);
	}
}

static void
test_limits(void)
{
	struct smtp_parser ps;
	char *big = malloc(SMTP_REPLY_MAX * 2);
	size_t left, n = 0, i;

	/* a line of exactly SMTP_LINE_MAX octets with CRLF is accepted */
	memset(big, 'a', SMTP_LINE_MAX);
	memcpy(big, "250 ", 4);
	memcpy(big + SMTP_LINE_MAX - 2, "\r\n", 2);
	is_int(parse_all(big, SMTP_LINE_MAX, &ps, &left), SMTP_PARSE_DONE,
	    "line of %d octets accepted", SMTP_LINE_MAX);
	/* one more is a never-ending line */
	memset(big, 'a', SMTP_LINE_MAX + 1);
	memcpy(big, "250 ", 4);
	memcpy(big + SMTP_LINE_MAX - 1, "\r\n", 2);
	is_int(parse_all(big, SMTP_LINE_MAX + 1, &ps, &left),
	    SMTP_PARSE_ERROR, "line of %d octets refused", SMTP_LINE_MAX + 1);
	memset(big, 'a', SMTP_LINE_MAX * 2);
	is_int(parse_all(big, SMTP_LINE_MAX * 2, &ps, &left),
	    SMTP_PARSE_ERROR, "no line end at all refused");
	free(big);
	/* any number of lines (Postfix reads a 100,000-line EHLO reply):
	 * the first lines and the last one are kept, the rest counted */
	big = malloc(100000 * 24 + 32);
	n = 0;
	n = (size_t)snprintf(big, 64, "250-mx.test\r\n250-PIPELINING\r\n");
	for (i = 2; i < 99999; i++)
		n += (size_t)snprintf(big + n, 32, "250-X-FILLER-%06zu\r\n", i);
	n += (size_t)snprintf(big + n, 32, "250 SIZE 1000\r\n");
	is_int(parse_all(big, n, &ps, &left), SMTP_PARSE_DONE,
	    "a 100,000-line reply is read");
	is_int(ps.reply.nlines, 100000, "... all its lines counted");
	is_int(ps.reply.bytes, n, "... and its octets");
	ok(strlen(ps.reply.text) < SMTP_TEXT_MAX, "... text bounded (%zu)",
	    strlen(ps.reply.text));
	ok(strncmp(ps.reply.text, "mx.test / PIPELINING / X-FILLER-000002",
	    38) == 0, "... text starts with the first lines: %.50s",
	    ps.reply.text);
	ok(strstr(ps.reply.text, " more lines] / SIZE 1000") != NULL &&
	    strlen(ps.reply.text) > 24 && strcmp(ps.reply.text +
	    strlen(ps.reply.text) - 9, "SIZE 1000") == 0,
	    "... and ends with the count and the last line: %s",
	    ps.reply.text + (strlen(ps.reply.text) > 60 ?
	    strlen(ps.reply.text) - 60 : 0));
	is_int(ps.reply.keywords, 2, "... keyword lines counted "
	    "(PIPELINING, SIZE)");
	free(big);
}

/* Replies that cannot answer their command: the server is out of step. */
static void
test_misfits(void)
{
	static const struct {
		enum smtp_verb v;
		const char *in;
		bool misfit;
	} t[] = {
		{ SMTP_V_GREETING, "220 mx.test ESMTP\r\n", false },
		{ SMTP_V_GREETING, "554 5.7.1 go away\r\n", false },
		{ SMTP_V_GREETING, "250 2.0.0 unsolicited\r\n", true },
		{ SMTP_V_EHLO, "250-mx.test\r\n250 PIPELINING\r\n", false },
		/* RFC 2034 section 4: no enhanced codes here, so a name like
		 * this one is no evidence */
		{ SMTP_V_EHLO, "250 2.0.0 unsolicited\r\n", false },
		{ SMTP_V_EHLO, "220 second greeting\r\n", true },
		{ SMTP_V_EHLO, "502 5.5.2 Error\r\n", false },
		{ SMTP_V_HELO, "250 mx.test\r\n", false },
		{ SMTP_V_STARTTLS, "220 2.0.0 Ready\r\n", false },
		{ SMTP_V_STARTTLS, "454 4.7.0 TLS not available\r\n", false },
		{ SMTP_V_STARTTLS, "250 2.0.0 Ok\r\n", true },
		{ SMTP_V_MAIL, "250 2.1.0 Ok\r\n", false },
		{ SMTP_V_MAIL, "250 OK\r\n", false },
		{ SMTP_V_MAIL, "250 2.0.0 Ok\r\n", false },
		{ SMTP_V_MAIL, "553 5.1.8 bad sender\r\n", false },
		{ SMTP_V_MAIL, "250-mx.test\r\n250-PIPELINING\r\n"
		    "250 8BITMIME\r\n", true },
		{ SMTP_V_MAIL, "250-note one\r\n250 2.1.0 Ok\r\n", false },
		{ SMTP_V_MAIL, "250 2.1.5 Ok\r\n", true },
		{ SMTP_V_MAIL, "354 go ahead\r\n", true },
		{ SMTP_V_MAIL, "221 2.0.0 Bye\r\n", true },
		{ SMTP_V_RCPT, "250 2.1.5 Ok\r\n", false },
		{ SMTP_V_RCPT, "251 2.1.5 will forward\r\n", false },
		{ SMTP_V_RCPT, "250 Accepted\r\n", false },
		{ SMTP_V_RCPT, "550 5.1.1 User unknown\r\n", false },
		{ SMTP_V_RCPT, "451 4.7.1 Greylisted\r\n", false },
		{ SMTP_V_RCPT, "250 2.1.0 Ok\r\n", true },
		{ SMTP_V_RCPT, "550 2.1.1 odd class\r\n", true },
		{ SMTP_V_RCPT, "250-x.test\r\n250 SIZE 10\r\n", true },
		{ SMTP_V_QUIT, "221 2.0.0 Bye\r\n", false },
		{ SMTP_V_QUIT, "221 bye\r\n", false },
		{ SMTP_V_QUIT, "250 2.1.5 Ok\r\n", true },
		{ SMTP_V_QUIT, "550 5.1.1 User unknown\r\n", true },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct smtp_parser ps;
		size_t left;
		char why[96] = "";
		bool m;

		if (parse_all(t[i].in, strlen(t[i].in), &ps, &left) !=
		    SMTP_PARSE_DONE) {
			ok(0, "misfit %zu: parsed", i);
			continue;
		}
		m = smtp_wire_reply_misfit(t[i].v, &ps.reply, why, sizeof(why));
		is_int(m, t[i].misfit, "misfit %zu: %s", i, m ? why : "fits");
		if (m)
			ok(why[0] != '\0', "misfit %zu: says why", i);
	}
}

static void
test_caps(void)
{
	static const struct {
		const char *in;
		bool pipe, tls, utf8, enh;
		unsigned long size;
	} t[] = {
		{ "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
		    "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
		    "250 SMTPUTF8\r\n", true, true, true, true, 10240000 },
		{ "250-mx.test\r\n250 pipelining\r\n", true, false, false,
		    false, 0 },
		/* the greeting line is no keyword, a substring is no keyword */
		{ "250-STARTTLS\r\n250 XSTARTTLS\r\n", false, false, false,
		    false, 0 },
		{ "250-mx.test\r\n250 STARTTLSX\r\n", false, false, false,
		    false, 0 },
		{ "250 mx.test PIPELINING STARTTLS\r\n", false, false, false,
		    false, 0 },
		{ "250-mx.test\r\n250 SIZE x\r\n", false, false, false, false,
		    0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct smtp_caps c;

		smtp_caps_parse(t[i].in, strlen(t[i].in), &c);
		is_int(c.pipelining, t[i].pipe, "caps %zu: PIPELINING", i);
		is_int(c.starttls, t[i].tls, "caps %zu: STARTTLS", i);
		is_int(c.smtputf8, t[i].utf8, "caps %zu: SMTPUTF8", i);
		is_int(c.enhanced, t[i].enh, "caps %zu: ENHANCEDSTATUSCODES",
		    i);
		is_int(c.size, t[i].size, "caps %zu: SIZE", i);
	}
}

static void
test_addresses(void)
{
	static const struct {
		const char *in;
		bool null_ok;
		int ret;
		const char *out;
		bool utf8;
	} t[] = {
		{ "user@example.test", false, 0, "user@example.test", false },
		{ "<user@Example.TEST>", false, 0, "user@example.test", false },
		{ "<>", true, 0, "", false },
		{ "<>", false, -1, NULL, false },
		{ "", true, 0, "", false },
		{ "first.last+tag@dom.test", false, 0,
		    "first.last+tag@dom.test", false },
		{ "\"a b\"@dom.test", false, 0, "\"a b\"@dom.test", false },
		{ "\"a\\\"b\"@dom.test", false, 0, "\"a\\\"b\"@dom.test",
		    false },
		{ "postmaster@b\xc3\xbc" "cher.dom.test", false, 0,
		    "postmaster@xn--bcher-kva.dom.test", false },
		{ "j\xc3\xb6rg@dom.test", false, 0, "j\xc3\xb6rg@dom.test",
		    true },
		{ "user@[127.0.0.1]", false, 0, "user@[127.0.0.1]", false },
		{ "user@[IPv6:::1]", false, 0, "user@[IPv6:::1]", false },
		{ "user@[1.2.3]", false, -1, NULL, false },
		{ "user@dom.test\r\nDATA", false, -1, NULL, false },
		{ "user\n@dom.test", false, -1, NULL, false },
		{ "a b@dom.test", false, -1, NULL, false },
		{ ".a@dom.test", false, -1, NULL, false },
		{ "a.@dom.test", false, -1, NULL, false },
		{ "a..b@dom.test", false, -1, NULL, false },
		{ "a@b@dom.test", false, -1, NULL, false },
		{ "nodomain", false, -1, NULL, false },
		{ "user@", false, -1, NULL, false },
		{ "@dom.test", false, -1, NULL, false },
		{ "user@dom..test", false, -1, NULL, false },
		{ "user@dom.test.", false, -1, NULL, false },
		{ "user@-dom.test", false, -1, NULL, false },
		{ "a<b@dom.test", false, -1, NULL, false },
		{ "\"open@dom.test", false, -1, NULL, false },
		{ "x\xff@dom.test", false, -1, NULL, false },
		{ "1234567890123456789012345678901234567890123456789012345678901"
		    "234@dom.test", false, 0, "1234567890123456789012345678901"
		    "234567890123456789012345678901234@dom.test", false },
		{ "1234567890123456789012345678901234567890123456789012345678901"
		    "2345@dom.test", false, -1, NULL, false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char out[300], err[160];
		bool utf8 = false;
		int r = smtp_wire_address_check(t[i].in, t[i].null_ok, out,
		    sizeof(out), &utf8, err, sizeof(err));

		is_int(r, t[i].ret, "address %zu: %s", i, r < 0 ? err : out);
		if (r == 0 && t[i].ret == 0) {
			is_str(out, t[i].out, "address %zu: path", i);
			is_int(utf8, t[i].utf8, "address %zu: UTF-8 local", i);
		}
	}
	{
		/* the 256-octet path limit (RFC 5321 §4.5.3.1.3), "<>" counted:
		 * "ab@" + 251-octet domain + "<>" = 256 */
		static const char *const local[] = { "ab", "abc" };
		char dom[260], in[300], out[300], err[160];
		size_t k, n = 0;
		bool u;

		for (k = 0; k < 4; k++) {
			size_t lab = k < 3 ? 63 : 59;

			memset(dom + n, (int)('a' + k), lab);
			n += lab;
			dom[n++] = k < 3 ? '.' : '\0';
		}
		for (k = 0; k < 2; k++) {
			snprintf(in, sizeof(in), "%s@%s", local[k], dom);
			is_int(smtp_wire_address_check(in, false, out,
			    sizeof(out), &u, err, sizeof(err)), k == 0 ? 0 : -1,
			    "path of %zu octets %s", strlen(in) + 2,
			    k == 0 ? "accepted" : "refused");
		}
	}
}

/*
 * Sessions against a scripted server on 127.0.0.1 in the same loop: each
 * command line the client sends gets the next scripted reply (NULL: close
 * the connection; "": say nothing).
 */
struct script {
	const char *name;
	const char *banner;
	const char *replies[8];
	bool utf8;
	enum smtp_tls_use tls;
	/* expected */
	enum smtp_error error;
	enum smtp_stage failed_stage;
	int mail, rcpt;
	const char *enh;
	bool used_helo, pipelined, plaintext;
	const char *has[3], *lacks[3];
};

struct server {
	const struct script *sc;
	int lfd, cfd;
	char in[4096];
	size_t inlen, step;
	bool done;
	struct smtp_session *s;
};

static void
srv_send(struct server *sv, const char *text)
{
	if (text != NULL && *text != '\0')
		(void)!write(sv->cfd, text, strlen(text));
}

static void
srv_conn(struct loop *l, int fd, int revents, void *arg)
{
	struct server *sv = arg;
	ssize_t n;
	char *lf;

	(void)revents;
	n = read(fd, sv->in + sv->inlen, sizeof(sv->in) - sv->inlen - 1);
	if (n <= 0) {
		loop_unwatch(l, fd);
		close(fd);
		sv->cfd = -1;
		return;
	}
	sv->inlen += (size_t)n;
	while ((lf = memchr(sv->in, '\n', sv->inlen)) != NULL) {
		size_t used = (size_t)(lf - sv->in) + 1;
		const char *r = sv->step < 8 ? sv->sc->replies[sv->step] :
		    NULL;

		memmove(sv->in, sv->in + used, sv->inlen - used);
		sv->inlen -= used;
		sv->step++;
		if (r == NULL) {
			loop_unwatch(l, fd);
			close(fd);
			sv->cfd = -1;
			return;
		}
		srv_send(sv, r);
	}
}

static void
srv_accept(struct loop *l, int fd, int revents, void *arg)
{
	struct server *sv = arg;

	(void)revents;
	sv->cfd = accept(fd, NULL, NULL);
	loop_unwatch(l, fd);
	if (sv->cfd < 0)
		return;
	srv_send(sv, sv->sc->banner);
	loop_watch(l, sv->cfd, POLLIN, srv_conn, sv);
}

static void
session_done(struct smtp_session *s, void *arg)
{
	struct server *sv = arg;

	(void)s;
	sv->done = true;
}

static struct tls *
no_tls(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	return NULL;	/* the handshake itself is tested against the lab */
}

static bool
tls_ok(void *arg, struct tls *t)
{
	(void)arg;
	(void)t;
	return true;
}

static int
listen_any(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) < 0 ||
	    listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) < 0)
		return -1;
	return fd;
}

static struct smtp_session *
session_run(struct server *sv, struct loop *l, const struct sockaddr_in *to,
    bool utf8, enum smtp_tls_use tls, double timeout, bool banner_only)
{
	struct smtp_params sp;
	struct smtp_session *s = NULL;

	memset(&sp, 0, sizeof(sp));
	memcpy(&sp.addr, to, sizeof(*to));
	sp.addrlen = sizeof(*to);
	sp.helo = "probe.example.test";
	sp.from = "";
	sp.rcpt = utf8 ? "j\xc3\xb6rg@example.test" : "user@example.test";
	sp.utf8 = utf8;
	sp.tls = tls;
	sp.banner_only = banner_only;
	sp.connect_timeout = sp.banner_timeout = sp.command_timeout = timeout;
	sp.tls_start = no_tls;
	sp.tls_done = tls_ok;
	sp.done = session_done;
	sp.arg = sv;
	loop_set_deadline(l, 5);
	if (smtp_session_new(&s, l, &sp) < 0)
		return s;
	while (!sv->done && loop_run(l) == LOOP_DONE && !sv->done)
		;
	return s;
}

#define EHLO_PIPE "250-mx.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
#define EHLO_PLAIN "250-mx.test\r\n250 8BITMIME\r\n"

static void
test_sessions(void)
{
	static const struct script t[] = {
		{ "pipelined 550", "220 mx.test ESMTP\r\n",
		    { EHLO_PIPE, "250 2.1.0 Ok\r\n550 5.1.1 no such user\r\n"
		    "221 2.0.0 Bye\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 250,
		    550, "5.1.1", false, true, false,
		    { "> MAIL FROM:<>", "> QUIT", NULL }, { "DATA", NULL } },
		{ "pipelined, MAIL refused", "220 mx.test\r\n",
		    { EHLO_PIPE, "553 5.1.8 bad sender\r\n503 5.5.1 need MAIL"
		    "\r\n221 Bye\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 553,
		    503, "5.5.1", false, true, false,
		    { "> QUIT", NULL }, { "DATA", NULL } },
		{ "EHLO 502, HELO fallback", "220 old.test\r\n",
		    { "502 5.5.2 what?\r\n", "250 old.test\r\n",
		    "250 ok\r\n", "250 ok\r\n", "221 bye\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 250,
		    250, "", true, false, false,
		    { "> HELO probe.example.test", "> QUIT", NULL },
		    { "DATA", NULL } },
		{ "no PIPELINING: one by one", "220 mx.test\r\n",
		    { EHLO_PLAIN, "250 ok\r\n", "250 ok\r\n",
		    "221 bye\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 250,
		    250, "", false, false, false,
		    { "< 250 ok", NULL }, { "DATA", NULL } },
		{ "bytes after the greeting", "220 mx.test\r\n250 extra\r\n",
		    { EHLO_PIPE },
		    false, SMTP_TLS_IF_OFFERED, SMTP_ERR_PROTOCOL, SMTP_BANNER,
		    0, 0, "", false, false, false, { NULL }, { "> EHLO", NULL } },
		{ "code changes in a multi-line reply", "220-a\r\n221 b\r\n",
		    { NULL },
		    false, SMTP_TLS_IF_OFFERED, SMTP_ERR_PROTOCOL, SMTP_BANNER,
		    0, 0, "", false, false, false, { NULL }, { "> EHLO", NULL } },
		{ "421 at EHLO: no QUIT", "220 mx.test\r\n",
		    { "421 4.3.2 shutting down\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 0, 0,
		    "", false, false, false, { "< 421", NULL },
		    { "> QUIT", NULL } },
		{ "STARTTLS required, not offered", "220 mx.test\r\n",
		    { EHLO_PIPE, "221 bye\r\n" },
		    false, SMTP_TLS_REQUIRED, SMTP_ERR_NOTLS, SMTP_EHLO, 0, 0,
		    "", false, false, false, { "> QUIT", NULL },
		    { "> MAIL", NULL } },
		{ "454 to STARTTLS, optional: plaintext goes on",
		    "220 mx.test\r\n",
		    { "250-mx.test\r\n250 STARTTLS\r\n",
		    "454 4.7.0 TLS not available\r\n", "250 ok\r\n",
		    "250 ok\r\n", "221 bye\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 250,
		    250, "", false, false, false, { "> STARTTLS", NULL },
		    { "DATA", NULL } },
		{ "plaintext after the 220 to STARTTLS", "220 mx.test\r\n",
		    { "250-mx.test\r\n250 STARTTLS\r\n",
		    "220 go ahead\r\n250 injected\r\n" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_ERR_TLS, SMTP_TLS, 0, 0,
		    "", false, false, true, { "discarded", NULL },
		    { "< 250 injected", NULL } },
		{ "UTF-8 local part, no SMTPUTF8", "220 mx.test\r\n",
		    { EHLO_PIPE, "221 bye\r\n" },
		    true, SMTP_TLS_IF_OFFERED, SMTP_ERR_NOUTF8, SMTP_EHLO, 0,
		    0, "", false, false, false, { "> QUIT", NULL },
		    { "> MAIL", NULL } },
		{ "UTF-8 local part with SMTPUTF8", "220 mx.test\r\n",
		    { "250-mx.test\r\n250 SMTPUTF8\r\n", "250 ok\r\n",
		    "250 ok\r\n", "221 bye\r\n" },
		    true, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 250, 250,
		    "", false, false, false, { " SMTPUTF8", NULL }, { NULL } },
		{ "silence after EHLO", "220 mx.test\r\n", { "" },
		    false, SMTP_TLS_IF_OFFERED, SMTP_ERR_TIMEOUT, SMTP_EHLO, 0,
		    0, "", false, false, false, { "no reply to EHLO", NULL },
		    { NULL } },
		{ "closed after the banner", "220 mx.test\r\n", { NULL },
		    false, SMTP_TLS_IF_OFFERED, SMTP_ERR_CLOSED, SMTP_EHLO, 0,
		    0, "", false, false, false, { NULL }, { NULL } },
	};
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct loop *l = loop_new();
		struct server sv;
		struct sockaddr_in sin;
		struct smtp_session *s;
		const char *tr;

		memset(&sv, 0, sizeof(sv));
		sv.sc = &t[i];
		sv.cfd = -1;
		sv.lfd = listen_any(&sin);
		if (l == NULL || sv.lfd < 0) {
			ok(0, "%s: set up", t[i].name);
			continue;
		}
		loop_watch(l, sv.lfd, POLLIN, srv_accept, &sv);
		s = session_run(&sv, l, &sin, t[i].utf8, t[i].tls, 0.3,
		    false);
		ok(s != NULL && sv.done, "%s: done() called", t[i].name);
		if (s == NULL)
			goto next;
		tr = s->transcript.data;
		is_int(s->error, t[i].error, "%s: error (%s)", t[i].name,
		    s->errtext);
		if (t[i].error != SMTP_OK)
			is_str(smtp_result_stage_name(s->failed_stage),
			    smtp_result_stage_name(t[i].failed_stage),
			    "%s: failed stage", t[i].name);
		is_int(s->mail.code, t[i].mail, "%s: MAIL reply", t[i].name);
		is_int(s->rcpt.code, t[i].rcpt, "%s: RCPT reply", t[i].name);
		if (t[i].rcpt)
			is_str(s->rcpt.enh, t[i].enh, "%s: enhanced code",
			    t[i].name);
		is_int(s->used_helo, t[i].used_helo, "%s: HELO", t[i].name);
		is_int(s->pipelined, t[i].pipelined, "%s: pipelined",
		    t[i].name);
		is_int(s->plaintext_after_starttls, t[i].plaintext,
		    "%s: plaintext after STARTTLS", t[i].name);
		for (k = 0; k < 3 && t[i].has[k]; k++)
			ok(strstr(tr, t[i].has[k]) != NULL, "%s: transcript "
			    "has '%s'", t[i].name, t[i].has[k]);
		for (k = 0; k < 3 && t[i].lacks[k]; k++)
			ok(strstr(tr, t[i].lacks[k]) == NULL, "%s: transcript "
			    "lacks '%s'", t[i].name, t[i].lacks[k]);
		if (t[i].pipelined) {
			/* RFC 2920: the group is one write, answered after */
			const char *m = strstr(tr, "> MAIL"),
			    *q = strstr(tr, "> QUIT"), *r = strstr(tr, "< 2");

			ok(m && q && r && m < q && q < strstr(m, "< "),
			    "%s: MAIL, RCPT, QUIT sent before any reply",
			    t[i].name);
		}
		if (!s->pipelined && t[i].rcpt == 250 && !t[i].utf8) {
			const char *m = strstr(tr, "> MAIL");

			ok(m && strstr(m, "< 250") < strstr(m, "> RCPT"),
			    "%s: MAIL answered before RCPT", t[i].name);
		}
		smtp_session_free(s);
next:
		if (sv.cfd >= 0)
			close(sv.cfd);
		if (sv.lfd >= 0)
			close(sv.lfd);
		loop_free(l);
	}
}

/*
 * tls_hold: the session waits after EHLO, with no stage timer running,
 * until the caller's policy says how to use TLS; then it goes on at once.
 */
struct hold {
	struct smtp_session *s;
	enum smtp_tls_use use;
	bool mail_before;	/* a MAIL was sent before the decision */
};

static void
hold_decide(struct loop *l, void *arg)
{
	struct hold *h = arg;

	(void)l;
	h->mail_before = strstr(h->s->transcript.data, "> MAIL") != NULL;
	smtp_session_tls_set(h->s, h->use);
}

static void
test_hold(void)
{
	static const struct script sc = { "held", "220 mx.test\r\n",
	    { EHLO_PLAIN, "250 ok\r\n", "250 ok\r\n", "221 bye\r\n" },
	    false, SMTP_TLS_IF_OFFERED, SMTP_OK, SMTP_CONNECT, 0, 0, "",
	    false, false, false, { NULL }, { NULL } };
	static const struct {
		enum smtp_tls_use use;
		enum smtp_error error;
		int rcpt;
	} t[] = {
		{ SMTP_TLS_IF_OFFERED, SMTP_OK, 250 },
		{ SMTP_TLS_REQUIRED, SMTP_ERR_NOTLS, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct loop *l = loop_new();
		struct server sv;
		struct sockaddr_in sin;
		struct smtp_params sp;
		struct hold h;

		memset(&sv, 0, sizeof(sv));
		memset(&h, 0, sizeof(h));
		sv.sc = &sc;
		sv.cfd = -1;
		sv.lfd = listen_any(&sin);
		if (l == NULL || sv.lfd < 0) {
			ok(0, "hold %zu: set up", i);
			continue;
		}
		loop_watch(l, sv.lfd, POLLIN, srv_accept, &sv);
		memset(&sp, 0, sizeof(sp));
		memcpy(&sp.addr, &sin, sizeof(sin));
		sp.addrlen = sizeof(sin);
		sp.helo = "probe.example.test";
		sp.from = "";
		sp.rcpt = "user@example.test";
		sp.tls = SMTP_TLS_IF_OFFERED;
		sp.tls_hold = true;
		/* shorter than the hold: a stage timer would fire */
		sp.connect_timeout = sp.banner_timeout = sp.command_timeout =
		    0.05;
		sp.tls_start = no_tls;
		sp.tls_done = tls_ok;
		sp.done = session_done;
		sp.arg = &sv;
		loop_set_deadline(l, 5);
		h.use = t[i].use;
		if (smtp_session_new(&h.s, l, &sp) == 0 &&
		    loop_timer_add(l, 0.2, hold_decide, &h) != NULL)
			while (!sv.done && loop_run(l) == LOOP_DONE &&
			    !sv.done)
				;
		ok(h.s != NULL && sv.done, "hold %zu: done() called", i);
		if (h.s != NULL) {
			ok(!h.mail_before, "hold %zu: nothing after EHLO before "
			    "the decision", i);
			is_int(h.s->error, t[i].error, "hold %zu: error (%s), "
			    "no stage timeout while held", i, h.s->errtext);
			is_int(h.s->rcpt.code, t[i].rcpt, "hold %zu: RCPT "
			    "reply", i);
			smtp_session_free(h.s);
		}
		if (sv.cfd >= 0)
			close(sv.cfd);
		close(sv.lfd);
		loop_free(l);
	}
}

static void
test_refused(void)
{
	struct sockaddr_in sin;
	int fd = listen_any(&sin);
	struct loop *l = loop_new();
	struct server sv;
	struct smtp_session *s;

	/* a port that was just closed: nothing listens there */
	close(fd);
	memset(&sv, 0, sizeof(sv));
	s = session_run(&sv, l, &sin, false, SMTP_TLS_NEVER, 1, false);
	ok(s != NULL && sv.done, "refused: done() called");
	if (s != NULL) {
		is_int(s->error, SMTP_ERR_CONNECT, "refused: connect error");
		ok(strstr(s->errtext, "refused") != NULL, "refused: %s",
		    s->errtext);
	}
	smtp_session_free(s);
	loop_free(l);
}

/*
 * Banner-only (check_mx_preference --connect): the greeting, whatever its
 * code, ends the session after a QUIT that is not waited for; a greeting
 * the session's parser refuses is a protocol error; no EHLO ever.
 */
static void
test_banner_only(void)
{
	static const struct {
		const char *name, *banner;
		enum smtp_error error;
		enum smtp_stage failed_stage;
		int code;
		const char *why;	/* part of errtext */
	} t[] = {
		{ "220", "220 mx.test ESMTP\r\n", SMTP_OK, SMTP_CONNECT, 220,
		    "" },
		{ "multi-line 220", "220-mx.test\r\n220 ESMTP\r\n", SMTP_OK,
		    SMTP_CONNECT, 220, "" },
		{ "554 trap", "554 5.7.1 no mail here\r\n", SMTP_OK,
		    SMTP_CONNECT, 554, "" },
		{ "421", "421 4.3.2 busy\r\n", SMTP_OK, SMTP_CONNECT, 421,
		    "" },
		{ "garbage", "hello there\r\n", SMTP_ERR_PROTOCOL, SMTP_BANNER,
		    0, "3-digit code" },
		{ "data after the greeting", "220 mx.test\r\n250 early\r\n",
		    SMTP_ERR_PROTOCOL, SMTP_BANNER, 220, "unexpected data" },
		{ "silent", "", SMTP_ERR_TIMEOUT, SMTP_BANNER, 0, "banner" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct script sc;
		struct loop *l = loop_new();
		struct server sv;
		struct sockaddr_in sin;
		struct smtp_session *s;

		memset(&sc, 0, sizeof(sc));
		sc.name = t[i].name;
		sc.banner = t[i].banner;
		sc.replies[0] = "221 never read\r\n";
		memset(&sv, 0, sizeof(sv));
		sv.sc = &sc;
		sv.cfd = -1;
		sv.lfd = listen_any(&sin);
		if (l == NULL || sv.lfd < 0) {
			ok(0, "banner-only %s: set up", t[i].name);
			continue;
		}
		loop_watch(l, sv.lfd, POLLIN, srv_accept, &sv);
		s = session_run(&sv, l, &sin, false, SMTP_TLS_IF_OFFERED, 0.3,
		    true);
		ok(s != NULL && sv.done, "banner-only %s: done() called",
		    t[i].name);
		if (s != NULL) {
			const char *tr = s->transcript.data;

			is_int(s->error, t[i].error, "banner-only %s: error "
			    "(%s)", t[i].name, s->errtext);
			if (t[i].error != SMTP_OK)
				is_str(smtp_result_stage_name(s->failed_stage),
				    smtp_result_stage_name(t[i].failed_stage),
				    "banner-only %s: failed stage", t[i].name);
			is_int(s->banner.code, t[i].code, "banner-only %s: "
			    "greeting code", t[i].name);
			ok(strstr(s->errtext, t[i].why) != NULL,
			    "banner-only %s: errtext '%s'", t[i].name,
			    s->errtext);
			ok(tr == NULL || strstr(tr, "EHLO") == NULL,
			    "banner-only %s: no EHLO", t[i].name);
			if (t[i].error == SMTP_OK && t[i].code != 421)
				ok(tr != NULL && strstr(tr, "> QUIT") != NULL &&
				    strstr(tr, "221") == NULL,
				    "banner-only %s: QUIT sent, 221 not "
				    "awaited", t[i].name);
		}
		smtp_session_free(s);
		if (sv.cfd >= 0)
			close(sv.cfd);
		if (sv.lfd >= 0)
			close(sv.lfd);
		loop_free(l);
	}
}

int
main(void)
{
	test_replies();
	test_limits();
	test_misfits();
	test_caps();
	test_addresses();
	test_sessions();
	test_hold();
	test_refused();
	test_banner_only();
	is_str(smtp_result_stage_name(SMTP_RCPT), "RCPT TO", "stage names");
	is_str(smtp_result_error_name(SMTP_ERR_TIMEOUT), "timeout",
	    "error names");
	return tap_done();
}
