#include <config.h>

#include "mail/dnsbl.h"
#include "net/addr.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* ---- specs ------------------------------------------------------------- */

static void
dnsbl_bit_set(uint32_t *set, unsigned v)
{
	set[v >> 5] |= 1u << (v & 31);
}

static bool
dnsbl_bit_get(const uint32_t *set, unsigned v)
{
	return (set[v >> 5] >> (v & 31)) & 1u;
}

/* A decimal octet 0..255 from s[0..len). */
static int
dnsbl_octet(const char *s, size_t len, unsigned *out)
{
	long v;

	if (text_parse_longn(s, len, 0, 255, &v) < 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* One filter octet: "n" or "[n;n..m;...]" into a 256-bit set. */
static int
dnsbl_filter_octet(const char *s, size_t len, uint32_t *set)
{
	const char *p, *end;
	unsigned lo, hi, v;

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		p = s + 1;
		end = s + len - 1;
		if (p == end)
			return -1;
		while (p <= end) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *item_end = semi ? semi : end;
			const char *dots = NULL, *q;

			for (q = p; q + 1 < item_end; q++)
				if (q[0] == '.' && q[1] == '.') {
					dots = q;
					break;
				}
			if (dots != NULL) {
				if (dnsbl_octet(p, (size_t)(dots - p),
				    &lo) < 0 ||
				    dnsbl_octet(dots + 2,
				    (size_t)(item_end - dots - 2), &hi) < 0 ||
				    lo > hi)
					return -1;
			} else {
				if (dnsbl_octet(p, (size_t)(item_end - p),
				    &lo) < 0)
					return -1;
				hi = lo;
			}
			for (v = lo; v <= hi; v++)
				dnsbl_bit_set(set, v);
			if (semi == NULL)
				break;
			p = semi + 1;
		}
		return 0;
	}
	if (dnsbl_octet(s, len, &v) < 0)
		return -1;
	dnsbl_bit_set(set, v);
	return 0;
}

static int
dnsbl_filter_parse(const char *s, size_t len, struct dnsbl_spec *out)
{
	size_t i, start = 0, octet = 0;
	int depth = 0;

	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '[')
			depth++;
		else if (c == ']')
			depth--;
		if (depth < 0 || depth > 1)
			return -1;
		if (c != '.' || depth > 0)
			continue;
		if (i < len && i + 1 < len && s[i + 1] == '.')
			return -1;	/* ".." outside brackets */
		if (octet >= 4 || dnsbl_filter_octet(s + start, i - start,
		    out->filter[octet]) < 0)
			return -1;
		octet++;
		start = i + 1;
	}
	return octet == 4 && depth == 0 ? 0 : -1;
}

static int
dnsbl_mask_parse(const char *s, size_t len, uint32_t *out)
{
	char tmp[24];
	unsigned char a[16];
	long v;

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (strchr(tmp, '.') != NULL) {
		if (addr_parse(tmp, a) != AF_INET)
			return -1;
		*out = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
		    (uint32_t)a[2] << 8 | a[3];
	} else {
		if (text_parse_long(tmp, 1, 255, &v) < 0)
			return -1;
		*out = (uint32_t)v;
	}
	return *out != 0 ? 0 : -1;
}

int
dnsbl_spec_parse(const char *text, enum dnsbl_kind kind,
    struct dnsbl_spec *out, char *err, size_t errlen)
{
	char zone[DNSBL_ZONE_MAX + 8], nerr[128];
	const char *sep, *star, *end;
	size_t zlen;
	long w;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->weight = 1;
	end = text + strlen(text);
	star = strchr(text, '*');
	if (star != NULL) {
		if (text_parse_long(star + 1, -DNSBL_WEIGHT_MAX,
		    DNSBL_WEIGHT_MAX, &w) < 0) {
			snprintf(err, errlen, "bad weight '%s' (an integer "
			    "from -%d to %d)", star + 1, DNSBL_WEIGHT_MAX,
			    DNSBL_WEIGHT_MAX);
			return -1;
		}
		out->weight = w;
		end = star;
	}
	sep = text + strcspn(text, "=&*");
	zlen = (size_t)(sep - text);
	if (zlen == 0 || zlen >= sizeof(zone)) {
		snprintf(err, errlen, zlen ? "zone name too long" :
		    "empty zone name");
		return -1;
	}
	memcpy(zone, text, zlen);
	zone[zlen] = '\0';
	if (dns_name_normalize(zone, out->zone, sizeof(out->zone), nerr,
	    sizeof(nerr)) < 0) {
		snprintf(err, errlen, "bad zone: %s", nerr);
		return -1;
	}
	if (strchr(out->zone, '.') == NULL) {
		snprintf(err, errlen, "bad zone '%s': a list zone has at "
		    "least two labels", out->zone);
		return -1;
	}
	if (sep < end && *sep == '=') {
		out->has_filter = true;
		if (dnsbl_filter_parse(sep + 1, (size_t)(end - sep - 1),
		    out) < 0) {
			snprintf(err, errlen, "bad filter '%.*s' (expected "
			    "d.d.d.d, each d a number or [n;n..m])",
			    (int)(end - sep - 1), sep + 1);
			return -1;
		}
	} else if (sep < end && *sep == '&') {
		out->has_mask = true;
		if (dnsbl_mask_parse(sep + 1, (size_t)(end - sep - 1),
		    &out->mask) < 0) {
			snprintf(err, errlen, "bad mask '%.*s' (expected a "
			    "dotted quad or a number 1..255)",
			    (int)(end - sep - 1), sep + 1);
			return -1;
		}
	}
	return 0;
}

bool
dnsbl_spec_match(const struct dnsbl_spec *s, uint32_t code)
{
	int i;

	if (s->has_mask)
		return (code & s->mask) != 0;
	if (!s->has_filter)
		return true;
	for (i = 0; i < 4; i++)
		if (!dnsbl_bit_get(s->filter[i], (code >> (24 - 8 * i)) & 255))
			return false;
	return true;
}

/* ---- names ------------------------------------------------------------- */

int
dnsbl_ip_name(int family, const void *addr, bool keep_mapped,
    const char *zone, char *out, size_t outsize)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	const unsigned char *b = addr;

	if (family == AF_INET6 && !keep_mapped &&
	    memcmp(b, mapped, sizeof(mapped)) == 0)
		return dns_name_reverse(AF_INET, b + 12, zone, out, outsize);
	if (dns_name_reverse(family, addr, zone, out, outsize) < 0)
		return -1;
	return strlen(out) > 253 ? -1 : 0;
}

int
dnsbl_domain_name(const char *domain, const char *zone, char *out,
    size_t outsize)
{
	int n = snprintf(out, outsize, "%s.%s", domain, zone);

	if (n < 0 || (size_t)n >= outsize || n > 253)
		return -1;
	return 0;
}

const char *
dnsbl_spec_qzone(const struct dnsbl_spec *s)
{
	return s->qzone[0] != '\0' ? s->qzone : s->zone;
}

void
dnsbl_name_masked(const struct dnsbl_spec *s, const char *name, char *out,
    size_t outsize)
{
	size_t n = strlen(name), q = strlen(s->qzone);

	/* name is PREFIX.qzone, qzone is KEY.rest: PREFIX.<key>.rest */
	if (s->keylen == 0 || q > n || s->keylen > q ||
	    strcmp(name + n - q, s->qzone) != 0) {
		snprintf(out, outsize, "%s", name);
		return;
	}
	snprintf(out, outsize, "%.*s<key>%s", (int)(n - q), name,
	    s->qzone + s->keylen);
}

bool
dnsbl_zone_wants_hosts(const char *zone)
{
	/*
	 * URIBL and SURBL list registered domains only (their usage
	 * pages); DBL lists host names too, and an unknown list might:
	 * asking both names costs one query and misses nothing.
	 */
	return !dnsbl_zone_has_label(zone, "uribl") &&
	    !dnsbl_zone_has_label(zone, "surbl");
}

bool
dnsbl_zone_has_label(const char *zone, const char *label)
{
	size_t n = strlen(label);
	const char *p = zone;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, label, n) == 0 && (p[n] == '.' || p[n] == '\0'))
			return true;
		p = strchr(p, '.');
		if (p != NULL)
			p++;
	}
	return false;
}
