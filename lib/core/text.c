#include <config.h>

#include "core/text.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
text_sanitize(char *dst, size_t dstsize, const char *src, size_t srclen,
    size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i, shown = 0;
	bool cut = false;

	if (dstsize == 0)
		return 0;
	if (max == 0)
		max = TEXT_MAX_LINE;
	for (i = 0; i < srclen; i++) {
		unsigned char c = (unsigned char)src[i];
		char tmp[4];
		size_t n;

		if (shown >= max) {
			cut = true;
			break;
		}
		if (c == '|') {
			tmp[0] = '/';
			n = 1;
		} else if (c < 0x20 || c >= 0x7f) {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[c >> 4];
			tmp[3] = hex[c & 15];
			n = 4;
		} else {
			tmp[0] = (char)c;
			n = 1;
		}
		/* keep room for "..." and the NUL */
		if (o + n + 4 > dstsize) {
			cut = true;
			break;
		}
		memcpy(dst + o, tmp, n);
		o += n;
		shown++;
	}
	if (cut && o + 4 <= dstsize) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return o;
}

int
text_parse_long(const char *s, long min, long max, long *out)
{
	const char *p = s;
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	/* no octal: a leading zero is only allowed on "0" itself */
	if (p[0] == '0' && p[1] != '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
text_parse_longn(const char *s, size_t len, long min, long max, long *out)
{
	char tmp[32];

	if (len == 0 || len >= sizeof(tmp) || memchr(s, '\0', len) != NULL)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return text_parse_long(tmp, min, max, out);
}

int
text_parse_double(const char *s, double min, double max, double *out)
{
	const char *p = s;
	char *end;
	double v;
	bool digit = false;

	if (s == NULL || *s == '\0')
		return -1;
	/* Only [+-]digits[.digits]: no hex, no exponent, no inf/nan. */
	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9') {
		p++;
		digit = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digit = true;
		}
	}
	if (!digit || *p != '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
text_parse_seconds(const char *s, double max, double *out)
{
	if (s != NULL && (*s == '-' || *s == '+'))
		return -1;
	return text_parse_double(s, 0, max, out);
}

bool
text_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
text_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int
text_ncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int ca = text_lower((unsigned char)a[i]);
		int cb = text_lower((unsigned char)b[i]);

		if (ca != cb)
			return ca - cb;
		if (ca == 0)
			return 0;
	}
	return 0;
}

int
text_casecmp(const char *a, const char *b)
{
	return text_ncasecmp(a, b, SIZE_MAX);
}

int
text_copy(char *dst, size_t dstsize, const char *src)
{
	size_t n = strlen(src);

	if (dstsize == 0)
		return -1;
	if (n >= dstsize) {
		memcpy(dst, src, dstsize - 1);
		dst[dstsize - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int
text_format(char *dst, size_t dstsize, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (dstsize == 0)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(dst, dstsize, fmt, ap);
	va_end(ap);
	if (n < 0) {
		dst[0] = '\0';
		return -1;
	}
	return (size_t)n >= dstsize ? -1 : 0;
}
