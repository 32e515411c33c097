/*
 * lib/mail/dnsbl_cache: test point answers kept between runs, their
 * lifetime, and a cache that is not safe or not well-formed being
 * ignored (never followed through a link, never read from a directory
 * others can write).
 */
#include <config.h>

#include "mail/dnsbl_cache.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], path[128];

static void
write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		exit(1);
	fputs(text, f);
	fclose(f);
}

/* Does a cache opened at now have a fresh answer for name? */
static bool
has(long now, const char *name)
{
	struct dnsbl_cache *c;
	enum dns_status st;
	uint32_t codes[DNSBL_MAX_CODES];
	size_t n;
	char why[200];
	bool got;

	if (dnsbl_cache_open(&c, dir, now, why, sizeof(why)) < 0)
		return false;
	got = dnsbl_cache_get(c, name, &st, codes, &n);
	dnsbl_cache_free(c);
	return got;
}

int
main(void)
{
	struct dnsbl_cache *c;
	static const uint32_t codes[2] = { 0x7f000002, 0x7f000004 };
	uint32_t got[DNSBL_MAX_CODES];
	enum dns_status st;
	size_t n;
	char why[200], link[160];
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/dnsbl_cache_testXXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", dir, DNSBL_CACHE_FILE);

	ok(dnsbl_cache_open(&c, dir, 1000, why, sizeof(why)) == 0,
	    "an empty directory of ours");
	ok(!dnsbl_cache_get(c, "2.0.0.127.z.test", &st, got, &n), "nothing "
	    "cached yet");
	dnsbl_cache_put(c, "2.0.0.127.z.test", DNS_OK, codes, 2);
	dnsbl_cache_put(c, "1.0.0.127.z.test", DNS_NXDOMAIN, NULL, 0);
	dnsbl_cache_put(c, "2.0.0.127.y.test", DNS_SERVFAIL, NULL, 0);
	ok(dnsbl_cache_save(c, why, sizeof(why)) == 0, "saved");
	dnsbl_cache_free(c);

	dnsbl_cache_open(&c, dir, 1000 + DNSBL_CACHE_LIFETIME - 1, why,
	    sizeof(why));
	ok(dnsbl_cache_get(c, "2.0.0.127.z.test", &st, got, &n), "read back "
	    "within the lifetime");
	is_int(st, DNS_OK, "... status");
	ok(n == 2 && got[0] == codes[0] && got[1] == codes[1], "... codes");
	ok(dnsbl_cache_get(c, "1.0.0.127.z.test", &st, got, &n) &&
	    st == DNS_NXDOMAIN && n == 0, "NXDOMAIN kept");
	ok(!dnsbl_cache_get(c, "2.0.0.127.y.test", &st, got, &n), "a DNS "
	    "failure is never kept");
	dnsbl_cache_free(c);
	ok(!has(1000 + DNSBL_CACHE_LIFETIME, "2.0.0.127.z.test"),
	    "expired after the lifetime");
	ok(!has(999, "2.0.0.127.z.test"), "an entry from the future is not "
	    "believed");

	write_file("2.0.0.127.z.test 1000 0 127.0.0.2\ngarbage here\n");
	ok(!has(1000, "2.0.0.127.z.test"), "a malformed line: the whole "
	    "file ignored");
	write_file("2.0.0.127.z.test 1000 7\n");
	ok(!has(1000, "2.0.0.127.z.test"), "a failure status: ignored");
	write_file("2.0.0.127.z.test 1000 0 127.0.0.2");
	ok(!has(1000, "2.0.0.127.z.test"), "a cut last line: ignored");
	write_file("2.0.0.127.z.test 1000 0 127.0.0.2\n");
	chmod(path, 0666);
	ok(!has(1000, "2.0.0.127.z.test"), "a file others can write: "
	    "ignored");
	chmod(path, 0600);
	ok(has(1000, "2.0.0.127.z.test"), "the same file, ours only: read");

	/* a link in place of the file is never followed, and replaced */
	snprintf(link, sizeof(link), "%s/target", dir);
	rename(path, link);
	if (symlink(link, path) < 0)
		return 1;
	ok(!has(1000, "2.0.0.127.z.test"), "a symbolic link: not followed");
	dnsbl_cache_open(&c, dir, 1000, why, sizeof(why));
	dnsbl_cache_put(c, "2.0.0.127.x.test", DNS_OK, codes, 1);
	ok(dnsbl_cache_save(c, why, sizeof(why)) == 0, "saved over the link");
	dnsbl_cache_free(c);
	ok(has(1000, "2.0.0.127.z.test") == false &&
	    has(1000, "2.0.0.127.x.test"), "the link replaced by a file, its "
	    "target untouched");
	unlink(link);

	chmod(dir, 0777);
	rc = dnsbl_cache_open(&c, dir, 1000, why, sizeof(why));
	ok(rc < 0, "a directory others can write: not used (%s)", why);
	chmod(dir, 0700);
	rc = dnsbl_cache_open(&c, "/nonexistent/dir", 1000, why, sizeof(why));
	ok(rc < 0, "a missing directory: not used (%s)", why);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
