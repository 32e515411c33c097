/*
 * smtp_test - the pure parts of lib/smtp: the reply parser (line by line,
 * with its limits), the EHLO capability parser and the address checker.
 */
#include <config.h>

#include "smtp.h"
#include "tap.h"

#include <stdlib.h>

/* Feed a whole input; the result of the last call and the reply. */
static enum smtp_parse
parse_all(const char *in, size_t len, struct smtp_parser *ps, size_t *left)
{
	enum smtp_parse r = SMTP_PARSE_MORE;
	size_t pos = 0, used;

	smtp_parser_reset(ps);
	while (pos < len) {
		r = smtp_parse(ps, in + pos, len - pos, &used);
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
		{ "250-a\r\n251 b\r\n", SMTP_PARSE_ERROR, 0, NULL, NULL, 0 },
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
	/* too many lines */
	for (i = 0; i <= SMTP_REPLY_LINES_MAX; i++) {
		memcpy(big + n, "250-x\r\n", 7);
		n += 7;
	}
	is_int(parse_all(big, n, &ps, &left), SMTP_PARSE_ERROR,
	    "more than %d lines refused", SMTP_REPLY_LINES_MAX);
	/* too many octets in few lines */
	n = 0;
	for (i = 0; n + SMTP_LINE_MAX < SMTP_REPLY_MAX * 2; i++) {
		memset(big + n, 'b', SMTP_LINE_MAX);
		memcpy(big + n, "250-", 4);
		memcpy(big + n + SMTP_LINE_MAX - 2, "\r\n", 2);
		n += SMTP_LINE_MAX;
	}
	is_int(parse_all(big, n, &ps, &left), SMTP_PARSE_ERROR,
	    "more than %d octets refused", SMTP_REPLY_MAX);
	free(big);
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
		int r = smtp_address_check(t[i].in, t[i].null_ok, out,
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
			is_int(smtp_address_check(in, false, out, sizeof(out),
			    &u, err, sizeof(err)), k == 0 ? 0 : -1,
			    "path of %zu octets %s", strlen(in) + 2,
			    k == 0 ? "accepted" : "refused");
		}
	}
}

int
main(void)
{
	test_replies();
	test_limits();
	test_caps();
	test_addresses();
	is_str(smtp_stage_name(SMTP_RCPT), "RCPT TO", "stage names");
	is_str(smtp_error_name(SMTP_ERR_TIMEOUT), "timeout", "error names");
	return tap_done();
}
