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
 * A resolver address as -s/--dns-server takes it: an IPv4 or IPv6
 * literal, optionally with :PORT ([IPv6]:PORT).  Returns 0, or -1 with
 * the reason in err.
 */
int addr_server_check(const char *text, char *err, size_t errlen);

/* The port of an AF_INET or AF_INET6 socket address (host order in). */
void addr_set_port(struct sockaddr_storage *ss, unsigned port);

#endif
