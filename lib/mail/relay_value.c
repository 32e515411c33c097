/*
 * relay_value - the numbers and the TLS level of a relay walk's options
 * (see relay_value.h).
 */
#include <config.h>

#include "mail/relay_value.h"

#include "net/addr.h"
#include "net/dns_name.h"
#include "core/text.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[RELAY_TLS_NLEVELS] = {
	"none", "may", "encrypt", "verify", "secure", "dane", "sts",
	"auto"
};

const char *
relay_value_level_name(enum relay_level l)
{
	return (unsigned)l < RELAY_TLS_NLEVELS ? level_names[l] : "?";
}

int
relay_value_level(const char *text, enum relay_level *out)
{
	size_t i;

	for (i = 0; i < RELAY_TLS_NLEVELS; i++)
		if (strcmp(text, level_names[i]) == 0) {
			*out = (enum relay_level)i;
			return 0;
		}
	return -1;
}

int
relay_value_port(const char *text, unsigned *out, char *err, size_t errlen)
{
	long v;

	if (text_parse_long(text, 1, 65535, &v) < 0) {
		(void)text_copy(err, errlen, "expected 1-65535");
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

int
relay_value_days(const char *text, long *out, char *err, size_t errlen)
{
	if (text_parse_long(text, 0, 36500, out) < 0) {
		(void)text_copy(err, errlen, "expected whole days 0-36500");
		return -1;
	}
	return 0;
}

int
relay_value_seconds(const char *text, double *out, char *err, size_t errlen)
{
	if (text_parse_seconds(text, 3600, out) < 0 || *out <= 0) {
		(void)text_copy(err, errlen, "expected seconds > 0");
		return -1;
	}
	return 0;
}

int
relay_value_seed(const char *text, uint64_t *out, char *err, size_t errlen)
{
	long v;

	if (text_parse_long(text, 0, 0x7fffffffL, &v) < 0) {
		(void)text_copy(err, errlen, "expected 0-2147483647");
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

int
relay_value_tls(const char *text, enum relay_level *out, char *err,
    size_t errlen)
{
	if (relay_value_level(text, out) < 0) {
		(void)text_copy(err, errlen, "expected none, may, encrypt, "
		    "verify, secure, dane, sts or auto");
		return -1;
	}
	return 0;
}

uint64_t
relay_value_default_seed(void)
{
	struct timespec ts;

	/* RFC 5321 §5.1 wants equal preferences randomised for real */
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
	    (uint64_t)getpid();
}

int
relay_value_spec(const char *arg, struct relay_spec *h, char *err,
    size_t errlen)
{
	char host[300];
	const char *port = NULL;
	unsigned char bin[16];
	int family;
	size_t len;
	long v;

	memset(h, 0, sizeof(*h));
	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');

		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			goto bad;
		len = (size_t)(end - arg - 1);
		if (end[1] == ':')
			port = end + 2;
	} else {
		const char *c = strchr(arg, ':');

		len = strlen(arg);
		/* one colon: a port; more: a bare IPv6 address */
		if (c != NULL && strchr(c + 1, ':') == NULL) {
			len = (size_t)(c - arg);
			port = c + 1;
		}
	}
	if (len == 0 || len >= sizeof(host))
		goto bad;
	memcpy(host, arg[0] == '[' ? arg + 1 : arg, len);
	host[len] = '\0';
	if (port != NULL) {
		if (text_parse_long(port, 1, 65535, &v) < 0) {
			(void)text_format(err, errlen, "port must be 1-65535");
			return -1;
		}
		h->port = (unsigned)v;
	}
	family = addr_parse(host, bin);
	if (family != 0) {
		/* 0.0.0.0 and :: (RFC 6890) name no host to connect to */
		if (addr_unspecified(family, bin)) {
			(void)text_format(err, errlen, "the unspecified "
			    "address is no host");
			return -1;
		}
		h->literal = true;
		return text_copy(h->name, sizeof(h->name), host) < 0 ? -1 : 0;
	}
	if (arg[0] == '[')
		goto bad;
	return dns_name_normalize(host, h->name, sizeof(h->name), err, errlen);
bad:
	(void)text_format(err, errlen, "expected HOST[:PORT] or "
	    "[ADDRESS]:PORT");
	return -1;
}
