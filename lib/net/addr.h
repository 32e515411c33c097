/*
 * addr - which special-purpose range an IP address belongs to.
 *
 * Shared by the plugins that must not mistake a non-public address for a
 * mail host or a sender: an MX target resolving to one is a finding, an
 * SPF-authorised one is never sent to a blocklist.  IPv4-mapped IPv6
 * addresses are judged as the IPv4 address they carry.
 */
#ifndef MAILPATH_ADDR_H
#define MAILPATH_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * family is AF_INET (addr: 4 bytes, network order) or AF_INET6 (16
 * bytes).  Returns a short static name ("private-use", "loopback",
 * "link-local", "CGNAT", "unique-local", "unspecified", "multicast",
 * "reserved"), or NULL for an address that may be public.
 */
const char *addr_scope(int family, const void *addr);

/*
 * The one IP-literal parser: an IPv4 dotted quad or IPv6 text (the forms
 * inet_pton() takes).  Returns AF_INET or AF_INET6 with the address in
 * out (4 or 16 bytes, network order), or 0 when text is no literal.
 */
int addr_parse(const char *text, unsigned char out[16]);
/* The address literal of RFC 5321 §4.1.3, brackets included, len bytes:
 * "[192.0.2.1]" or "[IPv6:2001:db8::1]".  AF_INET, AF_INET6 or 0. */
int addr_parse_smtp(const char *text, size_t len, unsigned char out[16]);
/* 0.0.0.0 or :: (RFC 6890 "this host", never a peer). */
bool addr_unspecified(int family, const void *addr);

/*
 * A resolver address as -s/--dns-server takes it: an IPv4 or IPv6
 * literal, optionally with :PORT ([IPv6]:PORT).  Returns 0, or -1 with
 * the reason in err.
 */
int addr_server_check(const char *text, char *err, size_t errlen);

/* The port of an AF_INET or AF_INET6 socket address (host order in). */
void addr_set_port(struct sockaddr_storage *ss, unsigned port);

/* An address to connect to, with its text and scope. */
struct addr_sock {
	struct sockaddr_storage ss;
	socklen_t len;
	char text[46];		/* INET6_ADDRSTRLEN */
	const char *scope;	/* addr_scope(), or NULL */
};
/* The one setter: family AF_INET (4 bytes) or AF_INET6 (16), port in
 * host order (0: none yet). */
void addr_sock_set(struct addr_sock *out, int family, const void *addr,
    unsigned port);

#endif
