/*
 * regdom - the registered (registrable) domain of a host name: the
 * public suffix plus one label, from the Public Suffix List that Debian
 * ships (libpsl: the publicsuffix package's data when it is newer, else
 * the copy built into libpsl).  No network.
 *
 * Ownership: regdom_new() loads the list (NULL when no list can be had
 * or out of memory, noted with core/state), regdom_free() frees it.
 */
#ifndef MAILPATH_REGDOM_H
#define MAILPATH_REGDOM_H

#include <stddef.h>

struct regdom;

struct regdom *regdom_new(void);
void regdom_free(struct regdom *rd);
/*
 * name: a lower-case A-label without the final dot.  0 with the
 * registered domain in out (the name itself when it is one); -1 when the
 * name is a public suffix or has no registered domain, or out is small.
 */
int regdom_get(const struct regdom *rd, const char *name, char *out,
    size_t outsize);

#endif
