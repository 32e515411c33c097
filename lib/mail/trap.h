/*
 * trap - MX hosts that a real sender must never use: a filtering
 * provider's spam-trap MX (MessageLabs' clusterNa beside clusterN), or
 * "nolisting" dummies.  A tool that tests every MX must expect them to
 * refuse, and alarm only when one ranks where real senders would go
 * (DESIGN.md §1).
 *
 * A trap_set holds user globs (case-insensitive, '*' and '?', matched
 * against the A-label host name without the final dot) and, unless
 * no_builtin, the built-in provider table.  Globs are checked when added:
 * empty, over 253 octets, or with a character no host name has, they are
 * refused with a message.  The set keeps pointers to the glob texts,
 * which must outlive it.  Pure functions, no allocation.
 */
#ifndef MAILPATH_TRAP_H
#define MAILPATH_TRAP_H

#include <stdbool.h>
#include <stddef.h>

#define TRAP_MAX_GLOBS 16
#define TRAP_NAME_MAX 254	/* 253 octets + NUL */

struct trap_rule {
	const char *glob;	/* shown by --list-traps */
	const char *provider;
	const char *why;
	bool (*match)(const char *host);
};

struct trap_set {
	const char *globs[TRAP_MAX_GLOBS];
	char labels[TRAP_MAX_GLOBS][TRAP_NAME_MAX + 8]; /* "--trap GLOB" */
	size_t n;
	bool no_builtin;
};

void trap_set_init(struct trap_set *t);
/* Validate and add a user glob; -1 with a message in err. */
int trap_set_add(struct trap_set *t, const char *glob, char *err,
    size_t errlen);
int trap_glob_check(const char *glob, char *err, size_t errlen);
bool trap_glob_match(const char *glob, const char *host);
/* The rule's name when host is a trap ("--trap GLOB" or the provider),
 * else NULL. */
const char *trap_match(const struct trap_set *t, const char *host);
const struct trap_rule *trap_builtin(size_t *n);

#endif
