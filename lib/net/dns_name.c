#include <config.h>

#include "net/dns_name.h"
#include "net/addr.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- names ------------------------------------------------------------- */

/*
 * RFC 3696 §2: a top-level label is never all-numeric, so "127.1",
 * "0177.0.0.1", "1.2.3.4.5" or "65536" are no host names, and what
 * inet_pton() refused as an address must not come back as a name.
 */
static bool
dns_last_label_numeric(const char *name)
{
	const char *last = strrchr(name, '.');

	last = last != NULL ? last + 1 : name;
	if (*last == '\0')
		return false;
	for (; *last != '\0'; last++)
		if (*last < '0' || *last > '9')
			return false;
	return true;
}

/*
 * Every "xn--" label must be valid Punycode that decodes to a label which
 * encodes back to the same A-label (RFC 5890 §2.3.2.1, RFC 5891 §5.4):
 * libidn2 decodes, then checks the U-label by encoding it again.
 */
static int
dns_alabels_check(const char *name, char *err, size_t errlen)
{
	char label[64], *u = NULL, *a = NULL;
	const char *p = name, *dot;
	size_t len;
	int r;

	for (; *p != '\0'; p = *dot ? dot + 1 : dot) {
		dot = strchr(p, '.');
		if (dot == NULL)
			dot = p + strlen(p);
		len = (size_t)(dot - p);
		if (len < 4 || text_ncasecmp(p, "xn--", 4) != 0)
			continue;
		if (len >= sizeof(label))
			goto bad;	/* longer than 63: caught before */
		memcpy(label, p, len);
		label[len] = '\0';
		r = idn2_to_unicode_8z8z(label, &u, 0);
		if (r == IDN2_MALLOC)
			state_note_oom("IDNA conversion");
		if (r != IDN2_OK)
			goto bad;
		r = idn2_to_ascii_8z(u, &a, IDN2_NONTRANSITIONAL);
		if (r == IDN2_MALLOC)
			state_note_oom("IDNA conversion");
		if (r != IDN2_OK || text_casecmp(a, label) != 0)
			goto bad;
		idn2_free(u);
		idn2_free(a);
		u = a = NULL;
	}
	return 0;
bad:
	if (u)
		idn2_free(u);
	if (a)
		idn2_free(a);
	snprintf(err, errlen, "the label '%.*s' is not a valid A-label "
	    "(Punycode)", (int)len, p);
	return -1;
}

int
dns_name_normalize(const char *in, char *out, size_t outsize, char *err,
    size_t errlen)
{
	char *ascii = NULL;
	const char *s = in;
	size_t len, i, label = 0;
	bool nonascii = false;
	int ret = -1;

	if (in == NULL || *in == '\0') {
		snprintf(err, errlen, "empty domain name");
		return -1;
	}
	len = strlen(in);
	if (len > 1024) {
		snprintf(err, errlen, "domain name too long");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80)
			nonascii = true;
		else if (c <= 0x20 || c == 0x7f) {
			snprintf(err, errlen, "domain name contains a space or "
			    "control character");
			return -1;
		}
	}
	if (nonascii) {
		int r = idn2_to_ascii_8z(in, &ascii,
		    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

		if (r == IDN2_MALLOC)
			state_note_oom("IDNA conversion");
		if (r != IDN2_OK) {
			snprintf(err, errlen, "not a valid internationalised "
			    "domain name (%s)", idn2_strerror(r));
			return -1;
		}
		s = ascii;
	}
	len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		len--;		/* the root label: absolute either way */
	if (len == 0) {
		snprintf(err, errlen, "empty domain name");
		goto out;
	}
	if (len > 253) {
		snprintf(err, errlen, "domain name longer than 253 octets");
		goto out;
	}
	if (len + 1 > outsize) {
		snprintf(err, errlen, "domain name too long");
		goto out;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (label == 0) {
				snprintf(err, errlen, "empty label in domain "
				    "name");
				goto out;
			}
			if (label > 63) {
				snprintf(err, errlen, "label longer than 63 "
				    "octets in domain name");
				goto out;
			}
			if (s[i - 1] == '-' || s[i - label] == '-') {
				snprintf(err, errlen, "label starts or ends "
				    "with '-' in domain name");
				goto out;
			}
			label = 0;
			if (i < len)
				out[i] = '.';
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_')) {
			snprintf(err, errlen, "invalid character '%c' in "
			    "domain name", c);
			goto out;
		}
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		label++;
	}
	out[len] = '\0';
	if (dns_last_label_numeric(out)) {
		snprintf(err, errlen, "the last label is all-numeric (RFC 3696 "
		    "section 2): neither an address nor a host name");
		goto out;
	}
	if (dns_alabels_check(out, err, errlen) < 0)
		goto out;
	ret = 0;
out:
	if (ascii)
		idn2_free(ascii);
	return ret;
}

int
dns_name_reverse(int family, const void *addr, const char *suffix,
    char *out, size_t outsize)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = addr;
	size_t o = 0;
	int i, n;

	if (family == AF_INET) {
		n = snprintf(out, outsize, "%u.%u.%u.%u", b[3], b[2], b[1],
		    b[0]);
		if (n < 0 || (size_t)n >= outsize)
			return -1;
		o = (size_t)n;
	} else if (family == AF_INET6) {
		if (outsize < 64)
			return -1;
		/* RFC 3596 §2.5 / RFC 5782 §2.4: every nibble, reversed */
		for (i = 15; i >= 0; i--) {
			out[o++] = hex[b[i] & 15];
			out[o++] = '.';
			out[o++] = hex[b[i] >> 4];
			out[o++] = i ? '.' : '\0';
		}
		o--;
	} else {
		return -1;
	}
	if (suffix != NULL && *suffix != '\0') {
		n = snprintf(out + o, outsize - o, ".%s", suffix);
		if (n < 0 || (size_t)n >= outsize - o)
			return -1;
	}
	return 0;
}
