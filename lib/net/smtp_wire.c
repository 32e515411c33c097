#include <config.h>

#include "net/smtp_wire.h"
#include "net/addr.h"
#include "net/dns.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* ---- the reply parser ------------------------------------------------ */

void
smtp_wire_parser_reset(struct smtp_parser *ps)
{
	memset(ps, 0, sizeof(*ps));
}

static bool
smtp_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 3463 §2: class "." subject "." detail, 1-3 digits each after the
 * class, then a space or the end.  Returns its length (0: none) and
 * whether the class agrees with the reply code. */
static size_t
smtp_enh_parse(const char *t, size_t len, int code, char *out, size_t outsz,
    bool *fits)
{
	size_t i = 0, part, digits;

	if (len < 5 || t[0] < '2' || t[0] > '5' || t[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (digits = 0; i < len && smtp_is_digit(t[i]) && digits < 4;
		    i++)
			digits++;
		if (digits == 0 || digits > 3)
			return 0;
		if (part == 0) {
			if (i >= len || t[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < len && t[i] != ' ')
		return 0;
	if (i + 1 > outsz)
		return 0;
	memcpy(out, t, i);
	out[i] = '\0';
	*fits = t[0] == (char)('0' + code / 100);
	return i;
}

/* Append to text while it has room for the head of a reply; the last
 * line is kept aside and added at the end (smtp_text_finish). */
static bool
smtp_text_add(struct smtp_reply *r, const char *t, size_t len)
{
	size_t have = strlen(r->text);
	size_t room = sizeof(r->text) - 1 - sizeof(r->last) - 40;

	if (have + 3 + len > room) {
		if (have == 0 && len > room)
			len = room;	/* our report copy, not the read */
		else
			return false;
	}
	if (have > 0 && len > 0) {
		memcpy(r->text + have, " / ", 3);
		have += 3;
	}
	memcpy(r->text + have, t, len);
	r->text[have + len] = '\0';
	r->kept++;
	return true;
}

static void
smtp_text_finish(struct smtp_reply *r)
{
	size_t have = strlen(r->text), skipped;

	if (r->kept >= r->nlines)
		return;
	skipped = r->nlines - r->kept - 1;
	if (skipped > 0)
		snprintf(r->text + have, sizeof(r->text) - have, " / [%zu more "
		    "line%s] / %s", skipped, skipped == 1 ? "" : "s", r->last);
	else
		snprintf(r->text + have, sizeof(r->text) - have, "%s%s",
		    r->kept > 0 ? " / " : "", r->last);
}

/* The EHLO keywords a server lists (RFC 5321 §4.1.1.1 and the service
 * extensions registry): seen in a reply to MAIL or RCPT they are an EHLO
 * reply arriving late. */
static bool
smtp_is_keyword(const char *t, size_t len)
{
	static const char *const kw[] = {
		"PIPELINING", "SIZE", "STARTTLS", "8BITMIME", "SMTPUTF8",
		"ENHANCEDSTATUSCODES", "DSN", "CHUNKING", "BINARYMIME",
		"AUTH", "ETRN", "VRFY", "DELIVERBY", "REQUIRETLS", "XCLIENT",
		"XFORWARD", "MTRK", "LIMITS"
	};
	size_t k, i;

	for (k = 0; k < len && t[k] != ' ' && t[k] != '='; k++)
		;
	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == k && text_ncasecmp(t, kw[i], k) == 0)
			return true;
	return false;
}

enum smtp_parse
smtp_wire_parse(struct smtp_parser *ps, const char *data, size_t len,
    size_t *used)
{
	struct smtp_reply *r = &ps->reply;
	size_t scan = len < SMTP_LINE_MAX ? len : SMTP_LINE_MAX;
	const char *lf = memchr(data, '\n', scan);
	size_t clen, i, tlen;
	const char *t;
	int code;

	*used = 0;
	if (lf == NULL) {
		if (len >= SMTP_LINE_MAX) {
			snprintf(ps->err, sizeof(ps->err), "reply line longer "
			    "than %d octets", SMTP_LINE_MAX);
			return SMTP_PARSE_ERROR;
		}
		return SMTP_PARSE_MORE;
	}
	clen = (size_t)(lf - data);
	*used = clen + 1;
	/* CRLF is the rule (RFC 5321 §2.3.8); a bare LF is tolerated */
	if (clen > 0 && data[clen - 1] == '\r')
		clen--;
	for (i = 0; i < clen; i++) {
		unsigned char c = (unsigned char)data[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(ps->err, sizeof(ps->err), "control character "
			    "0x%02x in a reply line", c);
			return SMTP_PARSE_ERROR;
		}
	}
	/* RFC 5321 §4.2: three digits, the first 2-5, the second 0-5 */
	if (clen < 3 || data[0] < '2' || data[0] > '5' || data[1] < '0' ||
	    data[1] > '5' || !smtp_is_digit(data[2])) {
		snprintf(ps->err, sizeof(ps->err), "malformed reply line "
		    "(no valid 3-digit code)");
		return SMTP_PARSE_ERROR;
	}
	if (clen > 3 && data[3] != ' ' && data[3] != '-') {
		snprintf(ps->err, sizeof(ps->err), "malformed reply line "
		    "(code not followed by space or '-')");
		return SMTP_PARSE_ERROR;
	}
	code = (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
	if (!ps->started)
		r->first_code = code;
	else if (code != r->code) {
		/* §4.2.1 says every line has the same code; Postfix takes
		 * the last line's, and so do we (the caller warns) */
		r->mixed = true;
		r->enh[0] = '\0';
	}
	r->nlines++;
	r->bytes += *used;
	r->code = code;
	t = clen > 4 ? data + 4 : data + clen;
	tlen = clen > 4 ? clen - 4 : 0;
	if (ps->started && smtp_is_keyword(t, tlen))
		r->keywords++;
	/* RFC 2034: the enhanced code leads every line; the last counts */
	{
		char enh[sizeof(r->enh)];
		bool fits = false;
		size_t n = smtp_enh_parse(t, tlen, code, enh, sizeof(enh),
		    &fits);

		if (n > 0 && fits) {
			memcpy(r->enh, enh, sizeof(enh));
			t += n;
			tlen -= n;
			while (tlen > 0 && *t == ' ') {
				t++;
				tlen--;
			}
		} else if (n > 0 && r->enh_misfit[0] == '\0')
			memcpy(r->enh_misfit, enh, sizeof(enh));
	}
	/* the first lines, and the last one aside: bounded, whatever the
	 * number of lines */
	if (r->kept + 1 == r->nlines)
		(void)smtp_text_add(r, t, tlen);
	{
		size_t n = tlen < sizeof(r->last) - 1 ? tlen :
		    sizeof(r->last) - 1;

		memcpy(r->last, t, n);
		r->last[n] = '\0';
	}
	ps->started = true;
	if (clen > 3 && data[3] == '-')
		return SMTP_PARSE_MORE;
	smtp_text_finish(r);
	return SMTP_PARSE_DONE;
}

/* ---- replies that cannot belong to their command --------------------- */

bool
smtp_wire_reply_misfit(enum smtp_verb v, const struct smtp_reply *r, char *why,
    size_t whylen)
{
	int c = r->code;
	bool ok2 = c >= 200 && c < 300;

	/* RFC 5321 §4.3.2: only DATA (and AUTH) get 3yz; none is sent */
	if (c >= 300 && c < 400) {
		snprintf(why, whylen, "an intermediate %d", c);
		return true;
	}
	/* §4.3.2: the success code of each command is fixed */
	if (ok2 && ((v == SMTP_V_GREETING && c != 220) ||
	    ((v == SMTP_V_EHLO || v == SMTP_V_HELO) && c != 250) ||
	    (v == SMTP_V_STARTTLS && c != 220) ||
	    (v == SMTP_V_MAIL && c != 250) ||
	    (v == SMTP_V_RCPT && c != 250 && c != 251))) {
		snprintf(why, whylen, "success code %d", c);
		return true;
	}
	if (v == SMTP_V_QUIT && c != 221) {
		snprintf(why, whylen, "%d, not 221", c);
		return true;
	}
	/* RFC 2034 §4: no enhanced codes in the greeting and EHLO/HELO
	 * replies, so only the others are checked; RFC 3463 §2: the class
	 * is the reply's first digit */
	if (v != SMTP_V_GREETING && v != SMTP_V_EHLO && v != SMTP_V_HELO &&
	    r->enh_misfit[0] != '\0') {
		snprintf(why, whylen, "enhanced code %s with reply code %d",
		    r->enh_misfit, c);
		return true;
	}
	/* an EHLO reply one reply late */
	if ((v == SMTP_V_MAIL || v == SMTP_V_RCPT) && r->nlines > 1 &&
	    r->keywords > 0) {
		snprintf(why, whylen, "a %zu-line reply listing EHLO keywords",
		    r->nlines);
		return true;
	}
	/* RFC 3463 §3.2: X.1.0 is the sender's code (Postfix, Exchange,
	 * Gmail answer MAIL with 2.1.0), X.1.5 the recipient's */
	if (ok2 && v == SMTP_V_RCPT && strcmp(r->enh, "2.1.0") == 0) {
		snprintf(why, whylen, "2.1.0, the code of a sender");
		return true;
	}
	if (ok2 && v == SMTP_V_MAIL && strcmp(r->enh, "2.1.5") == 0) {
		snprintf(why, whylen, "2.1.5, the code of a recipient");
		return true;
	}
	return false;
}

/* ---- addresses ------------------------------------------------------ */

static bool
smtp_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~",
	    c) != NULL);
}

/* Length of one well-formed UTF-8 sequence at s, 0 if malformed. */
static size_t
smtp_utf8_len(const unsigned char *s, size_t n)
{
	size_t want, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		want = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		want = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		want = 4;
	else
		return 0;
	if (n < want)
		return 0;
	for (i = 1; i < want; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return want;
}

int
smtp_wire_address_check(const char *in, bool null_ok, char *out, size_t outsize,
    bool *utf8_local, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = strlen(in), i = 0, local_len;
	char domain[256];
	bool utf8 = false;

	*utf8_local = false;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(err, errlen, "contains a control character "
			    "(CR, LF, TAB or another)");
			return -1;
		}
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	if (len == 0) {
		if (!null_ok) {
			snprintf(err, errlen, "empty address");
			return -1;
		}
		out[0] = '\0';
		return 0;
	}
	i = 0;
	if (s[0] == '"') {
		/* RFC 5321 §4.1.2 Quoted-string: qtextSMTP or \ + printable */
		for (i = 1; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\') {
				if (++i >= len || s[i] < 0x20 || s[i] > 0x7e)
					goto badlocal;
			} else if (s[i] >= 0x80) {
				size_t n = smtp_utf8_len(s + i, len - i);

				if (n == 0)
					goto badutf8;
				utf8 = true;
				i += n - 1;
			}
		}
		if (i >= len)
			goto badlocal;
		i++;
	} else {
		bool dot_ok = false;

		for (; i < len && s[i] != '@'; i++) {
			if (s[i] == '.') {
				if (!dot_ok)
					goto badlocal;
				dot_ok = false;
				continue;
			}
			if (s[i] >= 0x80) {
				/* RFC 6531 §3.3: UTF-8 in atext */
				size_t n = smtp_utf8_len(s + i, len - i);

				if (n == 0)
					goto badutf8;
				utf8 = true;
				i += n - 1;
			} else if (!smtp_atext(s[i]))
				goto badlocal;
			dot_ok = true;
		}
		if (!dot_ok)
			goto badlocal;
	}
	local_len = i;
	if (i >= len || s[i] != '@') {
		snprintf(err, errlen, "not local-part@domain");
		return -1;
	}
	/* RFC 5321 §4.5.3.1.1 */
	if (local_len > 64) {
		snprintf(err, errlen, "local part longer than 64 octets");
		return -1;
	}
	i++;
	if (i < len && s[i] == '[') {
		/* an address literal, RFC 5321 §4.1.3 */
		unsigned char bin[16];
		size_t ll = len - i;

		if (addr_parse_smtp((const char *)s + i, ll, bin) == 0)
			goto baddomain;
		if (ll >= sizeof(domain))
			goto baddomain;
		memcpy(domain, s + i, ll);
		domain[ll] = '\0';
	} else {
		char e[128];
		char raw[1025];

		if (len - i >= sizeof(raw) || len - i == 0) {
			snprintf(err, errlen, "bad domain");
			return -1;
		}
		memcpy(raw, s + i, len - i);
		raw[len - i] = '\0';
		if (raw[len - i - 1] == '.' ||
		    dns_name_normalize(raw, domain, sizeof(domain), e,
		    sizeof(e)) < 0) {
			snprintf(err, errlen, "bad domain: %s",
			    raw[len - i - 1] == '.' ? "trailing dot" : e);
			return -1;
		}
	}
	/* §4.5.3.1.2 domain <= 255; §4.5.3.1.3 path <= 256 with "<>" */
	if (strlen(domain) > 255 ||
	    local_len + 1 + strlen(domain) + 2 > 256) {
		snprintf(err, errlen, "address longer than the 256-octet "
		    "path limit");
		return -1;
	}
	if (local_len + 1 + strlen(domain) + 1 > outsize) {
		snprintf(err, errlen, "address too long");
		return -1;
	}
	memcpy(out, s, local_len);
	out[local_len] = '@';
	memcpy(out + local_len + 1, domain, strlen(domain) + 1);
	*utf8_local = utf8;
	return 0;
badlocal:
	snprintf(err, errlen, "bad local part (RFC 5321 dot-string or "
	    "quoted string)");
	return -1;
badutf8:
	snprintf(err, errlen, "local part is not valid UTF-8");
	return -1;
baddomain:
	snprintf(err, errlen, "bad address literal");
	return -1;
}
