#include <config.h>

#include "net/addr.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

static const char *
addr_scope4(const unsigned char *b)
{
	/* RFC 6890 special-purpose ranges that can never be a public host */
	static const struct {
		uint32_t net;
		unsigned bits;
		const char *what;
	} t[] = {
		{ 0x00000000, 8, "unspecified" },	/* "this network" */
		{ 0x0a000000, 8, "private-use" },	/* RFC 1918 */
		{ 0x64400000, 10, "CGNAT" },		/* RFC 6598 */
		{ 0x7f000000, 8, "loopback" },
		{ 0xa9fe0000, 16, "link-local" },	/* RFC 3927 */
		{ 0xac100000, 12, "private-use" },
		{ 0xc0a80000, 16, "private-use" },
		{ 0xe0000000, 4, "multicast" },
		{ 0xf0000000, 4, "reserved" },
	};
	uint32_t a = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if ((a >> (32 - t[i].bits)) == (t[i].net >> (32 - t[i].bits)))
			return t[i].what;
	return NULL;
}

const char *
addr_scope(int family, const void *addr)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	static const unsigned char zero[15];
	const unsigned char *b = addr;

	if (family == AF_INET)
		return addr_scope4(b);
	if (family != AF_INET6)
		return NULL;
	if (memcmp(b, mapped, 12) == 0)
		return addr_scope4(b + 12);
	if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
		return b[15] ? "loopback" : "unspecified";
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return "link-local";
	if ((b[0] & 0xfe) == 0xfc)
		return "unique-local";		/* RFC 4193 */
	if (b[0] == 0xff)
		return "multicast";
	return NULL;
}

int
addr_parse(const char *text, unsigned char out[16])
{
	if (inet_pton(AF_INET, text, out) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, text, out) == 1)
		return AF_INET6;
	return 0;
}

int
addr_parse_smtp(const char *text, size_t len, unsigned char out[16])
{
	char inner[64];

	if (len < 3 || len - 2 >= sizeof(inner) || text[0] != '[' ||
	    text[len - 1] != ']')
		return 0;
	memcpy(inner, text + 1, len - 2);
	inner[len - 2] = '\0';
	if (text_ncasecmp(inner, "IPv6:", 5) == 0)
		return inet_pton(AF_INET6, inner + 5, out) == 1 ? AF_INET6 : 0;
	return inet_pton(AF_INET, inner, out) == 1 ? AF_INET : 0;
}

bool
addr_unspecified(int family, const void *addr)
{
	static const unsigned char zero[16];

	return memcmp(addr, zero, family == AF_INET ? 4 : 16) == 0;
}

int
addr_server_check(const char *text, char *err, size_t errlen)
{
	static const unsigned char zero[sizeof(struct in6_addr)];
	char host[INET6_ADDRSTRLEN + 8];
	unsigned char tmp[sizeof(struct in6_addr)];
	const char *port = NULL, *colon;
	size_t len, alen = 16;
	long v;

	if (text == NULL || *text == '\0') {
		snprintf(err, errlen, "empty address");
		return -1;
	}
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (close == NULL)
			goto bad;
		len = (size_t)(close - text - 1);
		if (len == 0 || len >= sizeof(host))
			goto bad;
		memcpy(host, text + 1, len);
		host[len] = '\0';
		if (addr_parse(host, tmp) != AF_INET6)
			goto bad;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			goto bad;
	} else {
		colon = strchr(text, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			/* a bare IPv6 literal, no port */
			if (addr_parse(text, tmp) != AF_INET6)
				goto bad;
		} else {
			len = colon ? (size_t)(colon - text) : strlen(text);
			if (len == 0 || len >= sizeof(host))
				goto bad;
			memcpy(host, text, len);
			host[len] = '\0';
			if (addr_parse(host, tmp) != AF_INET)
				goto bad;
			alen = 4;
			if (colon != NULL)
				port = colon + 1;
		}
	}
	/* 0.0.0.0 and :: name no host (RFC 6890: "this host" only as a
	 * source); Linux would quietly send to the local host instead */
	if (memcmp(tmp, zero, alen) == 0) {
		snprintf(err, errlen, "the unspecified address is no server");
		return -1;
	}
	if (port != NULL && text_parse_long(port, 1, 65535, &v) < 0) {
		snprintf(err, errlen, "port must be 1-65535");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "expected an IPv4 or IPv6 address literal, "
	    "optionally with :PORT ([IPv6]:PORT)");
	return -1;
}

void
addr_set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)ss)->sin_port =
		    htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port =
		    htons((uint16_t)port);
}

void
addr_sock_set(struct addr_sock *out, int family, const void *addr,
    unsigned port)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)&out->ss;

		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, addr, sizeof(in->sin_addr));
		out->len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (void *)&out->ss;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, addr, sizeof(in6->sin6_addr));
		out->len = sizeof(*in6);
	}
	addr_set_port(&out->ss, port);
	if (inet_ntop(family, addr, out->text, sizeof(out->text)) == NULL)
		out->text[0] = '\0';
	out->scope = addr_scope(family, addr);
}
