/*
 * addr_test - the one IP-literal parser (plain and RFC 5321 §4.1.3
 * bracketed forms), the unspecified address, and the port setter.
 */
#include <config.h>

#include "net/addr.h"
#include "tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

int
main(void)
{
	static const struct {
		const char *text;
		int plain, smtp;	/* family from each parser, 0: none */
		bool unspec;
	} t[] = {
		{ "192.0.2.1", AF_INET, 0, false },
		{ "2001:db8::1", AF_INET6, 0, false },
		{ "::ffff:192.0.2.1", AF_INET6, 0, false },
		{ "0.0.0.0", AF_INET, 0, true },
		{ "::", AF_INET6, 0, true },
		{ "[192.0.2.1]", 0, AF_INET, false },
		{ "[IPv6:2001:db8::1]", 0, AF_INET6, false },
		{ "[ipv6:2001:db8::1]", 0, AF_INET6, false },
		{ "[2001:db8::1]", 0, 0, false },	/* §4.1.3: IPv6: tag */
		{ "[IPv6:192.0.2.1]", 0, 0, false },
		{ "[]", 0, 0, false },
		{ "[192.0.2.1", 0, 0, false },
		{ "192.0.2", 0, 0, false },
		{ "1.2.3.4.5", 0, 0, false },
		{ "0177.0.0.1", 0, 0, false },
		{ "mx.example", 0, 0, false },
		{ "", 0, 0, false },
	};
	unsigned char b[16];
	struct sockaddr_storage ss;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int f = addr_parse(t[i].text, b);

		is_int(f, t[i].plain, "addr_parse '%s'", t[i].text);
		if (f != 0)
			is_int(addr_unspecified(f, b), t[i].unspec,
			    "unspecified '%s'", t[i].text);
		is_int(addr_parse_smtp(t[i].text, strlen(t[i].text), b),
		    t[i].smtp, "addr_parse_smtp '%s'", t[i].text);
	}
	/* len bounds the literal: a prefix of a longer string */
	is_int(addr_parse_smtp("[192.0.2.1]>", 11, b), AF_INET,
	    "addr_parse_smtp reads len bytes only");
	ok(b[0] == 192 && b[3] == 1, "address bytes in network order");

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_INET;
	addr_set_port(&ss, 2525);
	is_int(ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port), 2525,
	    "port set on an IPv4 address");
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_INET6;
	addr_set_port(&ss, 25);
	is_int(ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port), 25,
	    "port set on an IPv6 address");
	return tap_done();
}
