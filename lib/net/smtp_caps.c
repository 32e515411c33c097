/*
 * smtp_caps - the EHLO keywords of a server (see smtp_caps.h).
 */
#include <config.h>

#include "net/smtp_caps.h"

#include "core/text.h"

#include <string.h>

void
smtp_caps_line(struct smtp_caps *c, const char *line, size_t llen,
    size_t lineno)
{
	size_t k;
	char kw[32];
	const char *arg;

	if (llen > 0 && line[llen - 1] == '\n')
		llen--;
	if (llen > 0 && line[llen - 1] == '\r')
		llen--;
	/* RFC 5321 §4.1.1.1: the first line greets, keywords follow, one
	 * per line, each its own token (not a substring search) */
	if (lineno == 0 || llen < 5)
		return;
	line += 4;
	llen -= 4;
	for (k = 0; k < llen && line[k] != ' ' && k < sizeof(kw) - 1; k++)
		kw[k] = line[k];
	kw[k] = '\0';
	if (k < llen && line[k] != ' ')
		return;		/* a keyword too long to be ours */
	arg = k < llen ? line + k + 1 : NULL;
	if (text_casecmp(kw, "PIPELINING") == 0)
		c->pipelining = true;
	else if (text_casecmp(kw, "STARTTLS") == 0)
		c->starttls = true;
	else if (text_casecmp(kw, "SMTPUTF8") == 0)
		c->smtputf8 = true;
	else if (text_casecmp(kw, "8BITMIME") == 0)
		c->eightbitmime = true;
	else if (text_casecmp(kw, "ENHANCEDSTATUSCODES") == 0)
		c->enhanced = true;
	else if (text_casecmp(kw, "SIZE") == 0) {
		char num[24];
		size_t an = arg ? (size_t)(line + llen - arg) : 0;
		long v;

		c->has_size = true;
		if (an > 0 && an < sizeof(num)) {
			memcpy(num, arg, an);
			num[an] = '\0';
			if (text_parse_long(num, 0, 0x7fffffffL, &v) == 0)
				c->size = (unsigned long)v;
		}
	}
}

void
smtp_caps_parse(const char *lines, size_t len, struct smtp_caps *c)
{
	size_t pos = 0, lineno = 0;

	memset(c, 0, sizeof(*c));
	while (pos < len) {
		const char *line = lines + pos, *lf;
		size_t llen;

		lf = memchr(line, '\n', len - pos);
		llen = lf ? (size_t)(lf - line) : len - pos;
		pos += llen + (lf ? 1 : 0);
		smtp_caps_line(c, line, llen, lineno++);
	}
}
