#include <config.h>

#include "mail/spf.h"
#include "net/addr.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- parsing ------------------------------------------------------------ */

bool
spf_is_record(const char *text, size_t len)
{
	/* RFC 7208 §4.5: exactly "v=spf1", then a space or the end */
	return len >= 6 && text_ncasecmp(text, "v=spf1", 6) == 0 &&
	    (len == 6 || text[6] == ' ');
}

bool
spf_term_queries(enum spf_mech m)
{
	return m == SPF_INCLUDE || m == SPF_A || m == SPF_MX ||
	    m == SPF_PTR || m == SPF_EXISTS || m == SPF_REDIRECT;
}

/*
 * RFC 7208 §7: expand a domain-spec.  Only %{d} and %{o} (the domains)
 * and the literal escapes can be known without a client; anything else
 * sets *unexpandable and leaves the text as written.
 */
static int
spf_macro_expand(const char *in, size_t len, const char *domain,
    const char *sender, char *out, size_t outsize, bool *unexpandable)
{
	size_t i, o = 0;
	const char *add;
	char one[2];

	*unexpandable = false;
	for (i = 0; i < len; i++) {
		add = one;
		one[0] = in[i];
		one[1] = '\0';
		if (in[i] == '%') {
			if (i + 1 >= len)
				return -1;
			i++;
			if (in[i] == '%') {
				one[0] = '%';
			} else if (in[i] == '_') {
				one[0] = ' ';
			} else if (in[i] == '-') {
				add = "%20";
			} else if (in[i] == '{') {
				const char *close = memchr(in + i, '}',
				    len - i);

				if (close == NULL || close == in + i + 1)
					return -1;
				if (close == in + i + 2 &&
				    (in[i + 1] == 'd' || in[i + 1] == 'D'))
					add = domain;
				else if (close == in + i + 2 &&
				    (in[i + 1] == 'o' || in[i + 1] == 'O'))
					add = sender;
				else
					*unexpandable = true;
				i = (size_t)(close - in);
				if (*unexpandable)
					continue;
			} else {
				return -1;
			}
		}
		while (*add != '\0') {
			if (o + 1 >= outsize)
				return -1;
			out[o++] = *add++;
		}
	}
	out[o] = '\0';
	if (*unexpandable) {
		/* keep the written form for the report */
		if (len >= outsize)
			return -1;
		memcpy(out, in, len);
		out[len] = '\0';
	}
	return 0;
}

static int
spf_cidr(const char *s, size_t len, int max, int *out)
{
	long v;

	if (text_parse_longn(s, len, 0, max, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
spf_parse_term(const char *t, size_t len, const char *domain,
    const char *sender, struct spf_term *term, char *err, size_t errlen)
{
	static const struct { const char *name; enum spf_mech m; } mechs[] = {
		{ "all", SPF_ALL }, { "include", SPF_INCLUDE },
		{ "a", SPF_A }, { "mx", SPF_MX }, { "ptr", SPF_PTR },
		{ "ip4", SPF_IP4 }, { "ip6", SPF_IP6 },
		{ "exists", SPF_EXISTS }
	};
	const char *p = t, *end = t + len, *arg = NULL, *slash;
	char tmp[256], spec[256];
	size_t nlen, i, slen;
	bool found = false;

	memset(term, 0, sizeof(*term));
	snprintf(term->text, sizeof(term->text), "%.*s", (int)len, t);
	term->qualifier = '+';
	term->cidr4 = 32;
	term->cidr6 = 128;
	if (*p == '+' || *p == '-' || *p == '~' || *p == '?')
		term->qualifier = *p++;
	/* bounded by len: a TXT string is not NUL-terminated for us */
	for (nlen = 0; p + nlen < end && p[nlen] != ':' && p[nlen] != '/' &&
	    p[nlen] != '=' && p[nlen] != ' '; nlen++)
		;
	/* a modifier: name "=" macro-string (RFC 7208 §6) */
	if (p + nlen < end && p[nlen] == '=' && term->qualifier == '+' &&
	    *t != '+') {
		if (nlen == 8 && text_ncasecmp(p, "redirect", 8) == 0)
			term->mech = SPF_REDIRECT;
		else if (nlen == 3 && text_ncasecmp(p, "exp", 3) == 0)
			term->mech = SPF_EXP;
		else
			term->mech = SPF_OTHER_MOD;
		if (term->mech != SPF_REDIRECT)
			return 0;
		arg = p + nlen + 1;
		if (spf_macro_expand(arg, (size_t)(end - arg), domain, sender,
		    term->domain, sizeof(term->domain),
		    &term->unexpandable) < 0 || term->domain[0] == '\0')
			goto bad;
		return 0;
	}
	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++)
		if (strlen(mechs[i].name) == nlen &&
		    text_ncasecmp(p, mechs[i].name, nlen) == 0) {
			term->mech = mechs[i].m;
			found = true;
		}
	if (!found)
		goto bad;
	p += nlen;
	if (term->mech == SPF_ALL) {
		if (p != end)
			goto bad;
		return 0;
	}
	if (term->mech == SPF_IP4 || term->mech == SPF_IP6) {
		int fam = term->mech == SPF_IP4 ? AF_INET : AF_INET6;
		int max = fam == AF_INET ? 32 : 128;

		if (p >= end || *p != ':')
			goto bad;
		p++;
		slash = memchr(p, '/', (size_t)(end - p));
		slen = (size_t)((slash ? slash : end) - p);
		if (slen == 0 || slen >= sizeof(tmp))
			goto bad;
		memcpy(tmp, p, slen);
		tmp[slen] = '\0';
		if (addr_parse(tmp, term->addr) != fam)
			goto bad;
		term->family = fam;
		term->prefix = max;
		if (slash != NULL && spf_cidr(slash + 1,
		    (size_t)(end - slash - 1), max, &term->prefix) < 0)
			goto bad;
		return 0;
	}
	/* include, exists: ":domain" required; a, mx, ptr: optional */
	if (p < end && *p == ':') {
		p++;
		slash = p;
		while (slash < end && *slash != '/')
			slash++;
		slen = (size_t)(slash - p);
		if (slen == 0 || slen >= sizeof(spec))
			goto bad;
		if (spf_macro_expand(p, slen, domain, sender, term->domain,
		    sizeof(term->domain), &term->unexpandable) < 0)
			goto bad;
		p = slash;
	} else if (term->mech == SPF_INCLUDE || term->mech == SPF_EXISTS) {
		goto bad;
	}
	if (p < end && (term->mech == SPF_A || term->mech == SPF_MX)) {
		/* dual-cidr-length: ["/" ip4-cidr] ["//" ip6-cidr] */
		const char *dbl = NULL, *q;

		if (*p != '/')
			goto bad;
		for (q = p; q + 1 < end; q++)
			if (q[0] == '/' && q[1] == '/') {
				dbl = q;
				break;
			}
		if (dbl != p && spf_cidr(p + 1, (size_t)((dbl ? dbl : end) -
		    p - 1), 32, &term->cidr4) < 0)
			goto bad;
		if (dbl != NULL && spf_cidr(dbl + 2, (size_t)(end - dbl - 2),
		    128, &term->cidr6) < 0)
			goto bad;
		p = end;
	}
	if (p != end)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "bad term '%s'", term->text);
	return -1;
}

int
spf_parse(const char *text, size_t len, const char *domain,
    const char *sender, struct spf_record *out, char *err, size_t errlen)
{
	size_t i = 6, start;
	bool redirect = false;

	out->n = 0;
	out->has_all = false;
	if (!spf_is_record(text, len)) {
		snprintf(err, errlen, "not an SPF record");
		return -1;
	}
	while (i < len) {
		struct spf_term *t;

		while (i < len && text[i] == ' ')
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && text[i] != ' ')
			i++;
		if (memchr(text + start, '\0', i - start) != NULL) {
			snprintf(err, errlen, "NUL byte in record");
			return -1;
		}
		if (out->n >= SPF_MAX_TERMS) {
			snprintf(err, errlen, "more than %d terms",
			    SPF_MAX_TERMS);
			return -1;
		}
		t = &out->terms[out->n];
		if (spf_parse_term(text + start, i - start, domain, sender, t,
		    err, errlen) < 0)
			return -1;
		if (t->mech == SPF_ALL)
			out->has_all = true;
		if (t->mech == SPF_REDIRECT) {
			/* RFC 7208 §6: each modifier at most once */
			if (redirect) {
				snprintf(err, errlen, "two redirect= "
				    "modifiers");
				return -1;
			}
			redirect = true;
		}
		out->n++;
	}
	return 0;
}
