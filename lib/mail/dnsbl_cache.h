/*
 * dnsbl_cache - the answers to the lists' RFC 5782 §5 test points, kept
 * between runs (--cache-dir), so that a check every five minutes does
 * not double the queries a free tier counts.  Only test points are
 * kept, never a sender's answers; an entry lives DNSBL_CACHE_LIFETIME
 * seconds.  Names are the shown ones (a DQS key masked): no secret is
 * written.
 *
 * Safety: the directory and the file must be ours (the effective user's)
 * and writable by no one else, links are not followed, the file is
 * replaced atomically (a new file, then rename()), and anything wrong
 * with it (format, size, owner, age) means it is ignored: the run asks
 * the test points as without a cache.
 *
 * Ownership: dnsbl_cache_open()/dnsbl_cache_free().  Errors come back as
 * -1 with the reason in a caller-supplied buffer.
 */
#ifndef MAILPATH_DNSBL_CACHE_H
#define MAILPATH_DNSBL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/dnsbl.h"

#define DNSBL_CACHE_LIFETIME 3600	/* seconds */
#define DNSBL_CACHE_FILE "dnsbl-testpoints.cache"
#define DNSBL_CACHE_MAX 4096		/* entries */

struct dnsbl_cache;

/* now: wall-clock seconds.  -1: no cache this run (why says why). */
int dnsbl_cache_open(struct dnsbl_cache **out, const char *dir, long now,
    char *why, size_t whylen);
void dnsbl_cache_free(struct dnsbl_cache *c);
/* A fresh answer for name: its status and codes (at most
 * DNSBL_MAX_CODES). */
bool dnsbl_cache_get(const struct dnsbl_cache *c, const char *name,
    enum dns_status *status, uint32_t *codes, size_t *ncodes);
void dnsbl_cache_put(struct dnsbl_cache *c, const char *name,
    enum dns_status status, const uint32_t *codes, size_t ncodes);
/* Write it back (only when something was put). */
int dnsbl_cache_save(struct dnsbl_cache *c, char *why, size_t whylen);

#endif
