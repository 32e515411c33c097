/*
 * sts - MTA-STS and TLS-RPT texts (see sts.h).  Every function here reads
 * bytes with an explicit length: a TXT record or a policy file may hold
 * NUL, CR or anything else, and each such byte is a syntax error, never
 * a terminator.
 */
#include <config.h>

#include "mail/sts.h"
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void
fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Up to 40 bytes of network text, sanitised, for an error message. */
static const char *
shown(char *out, size_t size, const char *s, size_t len)
{
	text_sanitize(out, size, s, len, 40);
	return out;
}

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The extension name of RFC 8461 §3.1/§3.2 and RFC 8460 §3:
 * (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
static bool
ext_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 32 || !is_alnum(s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' &&
		    s[i] != '.')
			return false;
	return true;
}

/* ext-value = 1*(%x21-3A / %x3C / %x3E-7E): no "=", ";", space or
 * control character. */
static bool
ext_value_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == '=' || c == ';')
			return false;
	}
	return true;
}

/*
 * The "v=...; k=v; ..." records of RFC 8461 §3.1 and RFC 8460 §3 share
 * one shape: the version first, then 1*(field-delim field) and an
 * optional final field-delim, where field-delim = *WSP ";" *WSP.  Call
 * cb for each field (trimmed); the version itself is checked here.
 */
typedef int (*field_cb)(void *ctx, const char *f, size_t len, char *err,
    size_t errlen);

static int
each_field(const char *txt, size_t len, const char *version, void *ctx,
    field_cb cb, char *err, size_t errlen)
{
	size_t vlen = strlen(version), at, nfields = 0;
	char show[64];

	if (len < vlen || memcmp(txt, version, vlen) != 0 ||
	    (len > vlen && txt[vlen] != ';' && !is_wsp(txt[vlen]))) {
		fail(err, errlen, "does not start with %s: \"%s\"", version,
		    shown(show, sizeof(show), txt, len));
		return -1;
	}
	at = vlen;
	while (at < len) {
		size_t start, end;

		while (at < len && is_wsp(txt[at]))
			at++;
		if (at == len)
			break;
		if (txt[at] != ';') {
			fail(err, errlen, "expected ';' at \"%s\"",
			    shown(show, sizeof(show), txt + at, len - at));
			return -1;
		}
		at++;
		while (at < len && is_wsp(txt[at]))
			at++;
		if (at == len)
			break;	/* the optional final delimiter */
		start = at;
		while (at < len && txt[at] != ';')
			at++;
		end = at;
		/* the *WSP before the next delimiter is not the field's */
		while (end > start && is_wsp(txt[end - 1]))
			end--;
		if (end == start) {
			fail(err, errlen, "empty field between ';'");
			return -1;
		}
		if (cb(ctx, txt + start, end - start, err, errlen) < 0)
			return -1;
		nfields++;
	}
	if (nfields == 0) {
		fail(err, errlen, "no field after %s", version);
		return -1;
	}
	return 0;
}

/* ---- the _mta-sts TXT record (RFC 8461 §3.1) ----------------------- */

bool
sts_txt_is_sts(const char *txt, size_t len)
{
	/* §3.1: records that do not begin with "v=STSv1;" are discarded */
	return len >= 7 && memcmp(txt, "v=STSv1", 7) == 0 &&
	    (len == 7 || txt[7] == ';' || is_wsp(txt[7]));
}

struct txt_ctx {
	char *id;
	bool have_id;
};

static int
txt_field(void *arg, const char *f, size_t len, char *err, size_t errlen)
{
	struct txt_ctx *c = arg;
	const char *eq = memchr(f, '=', len);
	char show[64];
	size_t i, nlen, vlen;

	if (eq == NULL) {
		fail(err, errlen, "field without '=': \"%s\"",
		    shown(show, sizeof(show), f, len));
		return -1;
	}
	nlen = (size_t)(eq - f);
	vlen = len - nlen - 1;
	if (nlen == 2 && memcmp(f, "id", 2) == 0) {
		if (c->have_id) {
			fail(err, errlen, "id given twice");
			return -1;
		}
		/* sts-id = "id=" 1*32(ALPHA / DIGIT) */
		if (vlen == 0 || vlen > 32) {
			fail(err, errlen, "id must be 1-32 letters or digits: "
			    "\"%s\"", shown(show, sizeof(show), eq + 1, vlen));
			return -1;
		}
		for (i = 0; i < vlen; i++)
			if (!is_alnum(eq[1 + i])) {
				fail(err, errlen, "id must be 1-32 letters or "
				    "digits: \"%s\"", shown(show, sizeof(show),
				    eq + 1, vlen));
				return -1;
			}
		memcpy(c->id, eq + 1, vlen);
		c->id[vlen] = '\0';
		c->have_id = true;
		return 0;
	}
	if (!ext_name_ok(f, nlen) || !ext_value_ok(eq + 1, vlen)) {
		fail(err, errlen, "invalid field \"%s\"",
		    shown(show, sizeof(show), f, len));
		return -1;
	}
	return 0;	/* an extension: ignored (§3.1) */
}

int
sts_txt_parse(const char *txt, size_t len, char id[STS_ID_MAX], char *err,
    size_t errlen)
{
	struct txt_ctx c = { id, false };

	id[0] = '\0';
	if (each_field(txt, len, "v=STSv1", &c, txt_field, err, errlen) < 0)
		return -1;
	if (!c.have_id) {
		fail(err, errlen, "no id field");
		return -1;
	}
	return 0;
}

/* ---- the policy file (RFC 8461 §3.2) ------------------------------- */

const char *
sts_mode_name(enum sts_mode m)
{
	switch (m) {
	case STS_MODE_ENFORCE: return "enforce";
	case STS_MODE_TESTING: return "testing";
	default: return "none";
	}
}

/* RFC 5321 Domain: LDH labels of 1-63 octets, 253 in all, no final dot;
 * with want_wild, an optional "*." first (§3.2 mx-value). */
static bool
domain_ok(const char *s, size_t len, bool want_wild)
{
	size_t i, label = 0;

	if (want_wild && len > 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		len -= 2;
	}
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return false;
		if (label == 0 && c == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[len - 1] != '-';
}

struct policy_seen {
	bool version, mode, max_age;
};

static bool
key_is(const char *k, size_t klen, const char *name)
{
	return klen == strlen(name) && memcmp(k, name, klen) == 0;
}

static int
policy_line(struct sts_policy *out, struct policy_seen *seen,
    const char *line, size_t len, unsigned lineno, char *err, size_t errlen)
{
	const char *colon = memchr(line, ':', len), *v;
	char show[64];
	size_t klen, vlen, i;

	if (colon == NULL) {
		fail(err, errlen, "line %u: no ':' in \"%s\"", lineno,
		    shown(show, sizeof(show), line, len));
		return -1;
	}
	klen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - klen - 1;
	/* field-delim = ":" *WSP; the value may be followed by *WSP */
	while (vlen > 0 && is_wsp(*v)) {
		v++;
		vlen--;
	}
	while (vlen > 0 && is_wsp(v[vlen - 1]))
		vlen--;
	for (i = 0; i < vlen; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e) {
			fail(err, errlen, "line %u: control or non-ASCII "
			    "byte in \"%s\"", lineno,
			    shown(show, sizeof(show), line, len));
			return -1;
		}
	/* field names are case-sensitive (%s"..." in the ABNF) */
	if (key_is(line, klen, "version")) {
		if (seen->version) {
			fail(err, errlen, "line %u: version given twice",
			    lineno);
			return -1;
		}
		seen->version = true;
		if (vlen != 5 || memcmp(v, "STSv1", 5) != 0) {
			fail(err, errlen, "line %u: version \"%s\", not STSv1",
			    lineno, shown(show, sizeof(show), v, vlen));
			return -1;
		}
	} else if (key_is(line, klen, "mode")) {
		if (seen->mode) {
			fail(err, errlen, "line %u: mode given twice", lineno);
			return -1;
		}
		seen->mode = true;
		if (vlen == 7 && memcmp(v, "enforce", 7) == 0)
			out->mode = STS_MODE_ENFORCE;
		else if (vlen == 7 && memcmp(v, "testing", 7) == 0)
			out->mode = STS_MODE_TESTING;
		else if (vlen == 4 && memcmp(v, "none", 4) == 0)
			out->mode = STS_MODE_NONE;
		else {
			fail(err, errlen, "line %u: mode \"%s\" is not "
			    "enforce, testing or none", lineno,
			    shown(show, sizeof(show), v, vlen));
			return -1;
		}
	} else if (key_is(line, klen, "max_age")) {
		long age;

		if (seen->max_age) {
			fail(err, errlen, "line %u: max_age given twice",
			    lineno);
			return -1;
		}
		seen->max_age = true;
		/* 1*10DIGIT, at most 31557600 */
		for (i = 0; i < vlen; i++)
			if (v[i] < '0' || v[i] > '9')
				break;
		if (vlen == 0 || vlen > 10 || i < vlen ||
		    text_parse_longn(v, vlen, 0, 9999999999L, &age) < 0) {
			fail(err, errlen, "line %u: max_age \"%s\" is not a "
			    "number of seconds", lineno,
			    shown(show, sizeof(show), v, vlen));
			return -1;
		}
		if (age > STS_MAX_AGE_MAX) {
			fail(err, errlen, "line %u: max_age %ld is above "
			    "%ld (RFC 8461 section 3.2)", lineno, age,
			    STS_MAX_AGE_MAX);
			return -1;
		}
		out->max_age = age;
	} else if (key_is(line, klen, "mx")) {
		if (!domain_ok(v, vlen, true)) {
			fail(err, errlen, "line %u: mx \"%s\" is not a host "
			    "name or *.domain", lineno,
			    shown(show, sizeof(show), v, vlen));
			return -1;
		}
		if (out->nmx >= STS_MAX_MX) {
			fail(err, errlen, "more than %d mx patterns",
			    STS_MAX_MX);
			return -1;
		}
		for (i = 0; i < vlen; i++)
			out->mx[out->nmx][i] = lower(v[i]);
		out->mx[out->nmx][vlen] = '\0';
		out->nmx++;
	} else if (!ext_name_ok(line, klen) || vlen == 0) {
		fail(err, errlen, "line %u: invalid field \"%s\"", lineno,
		    shown(show, sizeof(show), line, len));
		return -1;
	}
	/* other valid names are extensions: ignored (§3.2) */
	return 0;
}

int
sts_policy_parse(const char *text, size_t len, struct sts_policy *out,
    char *err, size_t errlen)
{
	struct policy_seen seen = { false, false, false };
	size_t at = 0;
	unsigned lineno = 0;

	memset(out, 0, sizeof(*out));
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len, l = end - at;

		lineno++;
		/* sts-policy-term = LF / CRLF: a CR only before the LF */
		if (l > 0 && text[at + l - 1] == '\r')
			l--;
		/*
		 * The ABNF has no empty line; senders' parsers skip them, so
		 * an empty line is not what makes a policy unusable.
		 */
		if (l > 0 && policy_line(out, &seen, text + at, l, lineno, err,
		    errlen) < 0)
			return -1;
		at = nl ? end + 1 : len;
	}
	if (!seen.version) {
		fail(err, errlen, "no version field");
		return -1;
	}
	if (!seen.mode) {
		fail(err, errlen, "no mode field");
		return -1;
	}
	if (!seen.max_age) {
		fail(err, errlen, "no max_age field");
		return -1;
	}
	/* §3.2: mx is required; only "none" has nothing to match */
	if (out->nmx == 0 && out->mode != STS_MODE_NONE) {
		fail(err, errlen, "no mx field in mode %s",
		    sts_mode_name(out->mode));
		return -1;
	}
	return 0;
}

/* ---- mx patterns (RFC 8461 §4.1) ----------------------------------- */

static bool
same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

bool
sts_pattern_match(const char *pattern, const char *host)
{
	size_t hlen = strlen(host), plen = strlen(pattern);
	const char *dot;

	if (hlen > 0 && host[hlen - 1] == '.')
		hlen--;
	if (hlen == 0 || plen == 0)
		return false;
	if (plen > 2 && pattern[0] == '*' && pattern[1] == '.') {
		/* §4.1: the wildcard is exactly one left-most label */
		dot = memchr(host, '.', hlen);
		if (dot == NULL || dot == host)
			return false;
		return same_name(dot + 1, hlen - (size_t)(dot + 1 - host),
		    pattern + 2, plen - 2);
	}
	return same_name(host, hlen, pattern, plen);
}

bool
sts_policy_match(const struct sts_policy *p, const char *host)
{
	size_t i;

	for (i = 0; i < p->nmx; i++)
		if (sts_pattern_match(p->mx[i], host))
			return true;
	return false;
}

/* ---- the _smtp._tls TXT record (RFC 8460 §3) ----------------------- */

bool
sts_tlsrpt_is_tlsrpt(const char *txt, size_t len)
{
	return len >= 10 && memcmp(txt, "v=TLSRPTv1", 10) == 0 &&
	    (len == 10 || txt[10] == ';' || is_wsp(txt[10]));
}

struct rpt_ctx {
	struct sts_tlsrpt *out;
	bool have_rua;
};

/* One tlsrpt-uri: printable, no space, "," or ";" (they must be
 * %-encoded); mailto: with an "@", or https:// with a host. */
static int
rua_uri(struct rpt_ctx *c, const char *u, size_t len, char *err,
    size_t errlen)
{
	char show[64];
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] > 0x7e) {
			fail(err, errlen, "rua URI \"%s\" has a control or "
			    "non-ASCII byte", shown(show, sizeof(show), u,
			    len));
			return -1;
		}
	if (len > 7 && text_ncasecmp(u, "mailto:", 7) == 0) {
		if (memchr(u + 7, '@', len - 7) == NULL) {
			fail(err, errlen, "rua URI \"%s\" has no address",
			    shown(show, sizeof(show), u, len));
			return -1;
		}
	} else if (len > 8 && text_ncasecmp(u, "https://", 8) == 0) {
		/* a host must follow */
		if (u[8] == '/' || u[8] == '?' || u[8] == '#') {
			fail(err, errlen, "rua URI \"%s\" has no host",
			    shown(show, sizeof(show), u, len));
			return -1;
		}
	} else {
		const char *colon = memchr(u, ':', len);

		if (colon == NULL || colon == u) {
			fail(err, errlen, "rua \"%s\" is not a URI",
			    shown(show, sizeof(show), u, len));
			return -1;
		}
		/* §3: reports go to mailto: or https: only */
		c->out->nignored++;
		return 0;
	}
	if (len >= STS_URI_MAX) {
		fail(err, errlen, "rua URI longer than %d bytes",
		    STS_URI_MAX - 1);
		return -1;
	}
	if (c->out->nrua < STS_MAX_RUA) {
		memcpy(c->out->rua[c->out->nrua], u, len);
		c->out->rua[c->out->nrua][len] = '\0';
		c->out->nrua++;
	}
	return 0;
}

static int
rpt_field(void *arg, const char *f, size_t len, char *err, size_t errlen)
{
	struct rpt_ctx *c = arg;
	const char *eq = memchr(f, '=', len);
	char show[64];
	size_t nlen;

	if (eq == NULL) {
		fail(err, errlen, "field without '=': \"%s\"",
		    shown(show, sizeof(show), f, len));
		return -1;
	}
	nlen = (size_t)(eq - f);
	if (nlen == 3 && memcmp(f, "rua", 3) == 0) {
		const char *u = eq + 1, *end = f + len;

		if (c->have_rua) {
			fail(err, errlen, "rua given twice");
			return -1;
		}
		c->have_rua = true;
		/* tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri) */
		while (u <= end) {
			const char *comma = memchr(u, ',', (size_t)(end - u));
			const char *stop = comma ? comma : end;

			while (u < stop && is_wsp(*u))
				u++;
			while (stop > u && is_wsp(stop[-1]))
				stop--;
			if (stop == u) {
				fail(err, errlen, "empty rua URI");
				return -1;
			}
			if (rua_uri(c, u, (size_t)(stop - u), err, errlen) < 0)
				return -1;
			if (comma == NULL)
				break;
			u = comma + 1;
		}
		return 0;
	}
	if (!ext_name_ok(f, nlen) || !ext_value_ok(eq + 1, len - nlen - 1)) {
		fail(err, errlen, "invalid field \"%s\"",
		    shown(show, sizeof(show), f, len));
		return -1;
	}
	return 0;
}

int
sts_tlsrpt_parse(const char *txt, size_t len, struct sts_tlsrpt *out,
    char *err, size_t errlen)
{
	struct rpt_ctx c = { out, false };

	memset(out, 0, sizeof(*out));
	if (each_field(txt, len, "v=TLSRPTv1", &c, rpt_field, err,
	    errlen) < 0)
		return -1;
	if (!c.have_rua) {
		fail(err, errlen, "no rua field");
		return -1;
	}
	if (out->nrua == 0) {
		fail(err, errlen, "no mailto: or https: URI in rua (RFC 8460 "
		    "section 3)");
		return -1;
	}
	return 0;
}
