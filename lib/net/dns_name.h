/*
 * dns_name - names as the suite sends them: user text (or an IDN) to a
 * lower-case A-label without the final dot, with the checks that refuse
 * what is no host name (RFC 1123 §2.1: a numeric last label, bad
 * Punycode), and the reverse names of addresses (PTR, DNSBL queries).
 * Pure.  Both return 0, or -1 (with the reason in err where given).
 */
#ifndef MAILPATH_DNS_NAME_H
#define MAILPATH_DNS_NAME_H

#include <stddef.h>

/* User text to a lower-case A-label name without the final dot. */
int dns_name_normalize(const char *in, char *out, size_t outsize,
    char *err, size_t errlen);
/* Reversed octets (IPv4) or nibbles (IPv6) of addr, then "." suffix. */
int dns_name_reverse(int family, const void *addr, const char *suffix,
    char *out, size_t outsize);

#endif
