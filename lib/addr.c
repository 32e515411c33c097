#include <config.h>

#include "addr.h"

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
