/*
 * mx_test - trap globs, the built-in trap table, RFC 5321 §5.1 ordering
 * with a fixed seed, and null / implicit / literal classification.
 */
#include <config.h>

#include "mail/mx.h"
#include "tap.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static void
test_globs(void)
{
	static const struct {
		const char *glob, *host;
		bool match;
	} t[] = {
		{ "cluster*a.trap.test", "cluster1a.trap.test", true },
		{ "cluster*a.trap.test", "cluster1.trap.test", false },
		{ "cluster*a.trap.test", "CLUSTER12A.Trap.Test", true },
		{ "cluster*a.trap.test", "cluster1a.trap.test.", true },
		{ "cluster*a.trap.test.", "cluster1a.trap.test", true },
		{ "cluster?a.trap.test", "cluster1a.trap.test", true },
		{ "cluster?a.trap.test", "cluster12a.trap.test", false },
		{ "*", "anything.example", true },
		{ "*.example", "a.b.example", true },
		{ "*.example", "example", false },
		{ "a*b*c", "aXXbYYc", true },
		{ "a*b*c", "aXXbYY", false },
		{ "mx?.dom.test", "mx.dom.test", false },
		{ "mx*", "mx", true },
		{ "**a", "a", true },
		{ "exact.host.test", "exact.host.test", true },
		{ "exact.host.test", "exact.host.tes", false },
		{ "exact.host.test", "xexact.host.test", false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(trap_glob_match(t[i].glob, t[i].host), t[i].match,
		    "glob '%s' vs '%s'", t[i].glob, t[i].host);
}

static void
test_glob_check(void)
{
	static const struct {
		const char *glob;
		int ret;
		const char *err;	/* substring */
	} t[] = {
		{ "cluster*a.trap.test", 0, NULL },
		{ "*", 0, NULL },
		{ "mx?.Example.COM.", 0, NULL },
		{ "", -1, "empty pattern" },
		{ ".", -1, "empty pattern" },
		{ "a..b", -1, "empty label" },
		{ ".a", -1, "empty label" },
		{ "a b", -1, "character 0x20 impossible" },
		{ "a/b", -1, "'/'" },
		{ "a[b]", -1, "impossible" },
		{ "b\xc3\xbc" "cher.test", -1, "0xc3" },
		{ "a\tb", -1, "0x09" },
	};
	char err[160], longg[300];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err[0] = '\0';
		is_int(trap_glob_check(t[i].glob, err, sizeof(err)), t[i].ret,
		    "glob check '%s'", t[i].glob);
		if (t[i].err != NULL)
			ok(strstr(err, t[i].err) != NULL,
			    "glob check '%s' says '%s' (%s)", t[i].glob,
			    t[i].err, err);
	}
	memset(longg, 'a', 254);
	longg[254] = '\0';
	is_int(trap_glob_check(longg, err, sizeof(err)), -1, "254 octets");
	ok(strstr(err, "253") != NULL, "too long names the limit: %s", err);
	longg[253] = '\0';
	is_int(trap_glob_check(longg, err, sizeof(err)), 0, "253 octets");
}

static void
test_builtin(void)
{
	static const struct {
		const char *host;
		bool trap;
	} t[] = {
		{ "cluster1a.eu.messagelabs.com", true },
		{ "cluster8a.us.messagelabs.com", true },
		{ "CLUSTER10A.EU.MESSAGELABS.COM", true },
		{ "cluster1.eu.messagelabs.com", false },
		{ "cluster8.us.messagelabs.com", false },
		{ "clustera.eu.messagelabs.com", false },
		{ "cluster1a.messagelabs.com", false },
		{ "cluster1a.eu.x.messagelabs.com", false },
		{ "cluster1a.eu.messagelabs.com.evil.test", false },
		{ "xcluster1a.eu.messagelabs.com", false },
		{ "cluster1a.eu.notmessagelabs.com", false },
	};
	struct trap_set tr;
	const struct trap_rule *b;
	size_t i, n;

	b = trap_builtin(&n);
	ok(n >= 1, "a built-in table");
	for (i = 0; i < n; i++)
		ok(b[i].glob && b[i].provider && b[i].why && b[i].match,
		    "built-in %zu complete", i);
	trap_set_init(&tr);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *m = trap_match(&tr, t[i].host);

		is_int(m != NULL, t[i].trap, "built-in trap %s", t[i].host);
		if (t[i].trap)
			ok(m && strstr(m, "MessageLabs"), "provider named: %s",
			    m ? m : "(null)");
	}
	tr.no_builtin = true;
	ok(trap_match(&tr, "cluster1a.eu.messagelabs.com") == NULL,
	    "--no-builtin-traps switches the table off");
	is_int(trap_set_add(&tr, "cluster*a.trap.test", NULL, 0), 0,
	    "user glob added");
	is_str(trap_match(&tr, "cluster1a.trap.test"),
	    "--trap cluster*a.trap.test", "user glob named");
	ok(trap_match(&tr, "cluster1.trap.test") == NULL, "real host");
	ok(trap_match(&tr, "") == NULL, "null MX is never a trap");
}

static void
hosts_from(struct mx_host *h, const unsigned *pref, size_t n)
{
	size_t i;

	memset(h, 0, n * sizeof(*h));
	for (i = 0; i < n; i++) {
		h[i].pref = pref[i];
		snprintf(h[i].name, sizeof(h[i].name), "h%zu.test", i);
	}
}

static void
test_order(void)
{
	static const unsigned pref[] = { 20, 10, 10, 30, 10, 20 };
	enum { N = sizeof(pref) / sizeof(pref[0]) };
	struct mx_host a[N], b[N];
	char seen[6][8];
	size_t nseen = 0, i, k;
	uint64_t seed;
	bool strict = true, same = true;

	/* deterministic for a seed, whatever the input order */
	hosts_from(a, pref, N);
	hosts_from(b, pref, N);
	for (i = 0; i < N / 2; i++) {
		struct mx_host t = b[i];

		b[i] = b[N - 1 - i];
		b[N - 1 - i] = t;
	}
	mx_order(a, N, 42);
	mx_order(b, N, 42);
	for (i = 0; i < N; i++)
		if (strcmp(a[i].name, b[i].name) != 0)
			same = false;
	ok(same, "same set + same seed = same order");

	/* strict preference order for many seeds; all 6 permutations of
	 * the three preference-10 hosts show up */
	for (seed = 0; seed < 500; seed++) {
		char perm[8];

		hosts_from(a, pref, N);
		mx_order(a, N, seed);
		for (i = 1; i < N; i++)
			if (a[i - 1].pref > a[i].pref)
				strict = false;
		for (i = 0; i < 3; i++)
			perm[i] = a[i].name[1];
		perm[3] = '\0';
		for (k = 0; k < nseen; k++)
			if (strcmp(seen[k], perm) == 0)
				break;
		if (k == nseen && nseen < 6)
			memcpy(seen[nseen++], perm, 4);
	}
	ok(strict, "preference order kept for 500 seeds");
	is_int(nseen, 6, "every permutation of 3 equal preferences reached");
	ok(a[3].pref == 20 && a[4].pref == 20 && a[5].pref == 30,
	    "backups after the primaries");
}

static void
answer_mx(struct dns_answer *a, struct dns_rr *rr, const char *const *hosts,
    const unsigned *pref, size_t n)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->type = DNS_MX;
	a->status = n ? DNS_OK : DNS_NODATA;
	a->n = n;
	a->rr = rr;
	for (i = 0; i < n; i++) {
		rr[i].u.mx.host = (char *)hosts[i];
		rr[i].u.mx.pref = pref[i];
	}
}

static void
test_classify(void)
{
	struct mx_set s;
	struct dns_answer a;
	struct dns_rr rr[4];
	char err[128];
	size_t idx[4];

	mx_set_init(&s);
	{
		const char *h[] = { "" };
		const unsigned p[] = { 0 };

		answer_mx(&a, rr, h, p, 1);
		is_int(mx_set_from_answer(&s, "nullmx.dom.test.", &a, 1, err,
		    sizeof(err)), 0, "null MX parsed");
		ok(s.null_mx && !s.null_mixed, "single '.' is a null MX");
		ok(s.nhosts == 1 && (s.hosts[0].flags & MX_F_NULL),
		    "null host flagged");
		is_str(s.domain, "nullmx.dom.test", "final dot dropped");
	}
	{
		const char *h[] = { "Accept.Hosts.Test.", "" };
		const unsigned p[] = { 10, 0 };

		answer_mx(&a, rr, h, p, 2);
		mx_set_from_answer(&s, "nullmix.dom.test", &a, 1, err,
		    sizeof(err));
		ok(!s.null_mx && s.null_mixed, "'.' beside others is mixed");
		is_str(s.hosts[1].name, "accept.hosts.test", "lower-cased");
		is_str(mx_role(&s, &s.hosts[1]), "primary",
		    "the null record does not count as primary");
	}
	{
		const unsigned p[] = { 0 };

		answer_mx(&a, rr, NULL, p, 0);
		mx_set_from_answer(&s, "implicit.dom.test", &a, 1, err,
		    sizeof(err));
		ok(s.implicit && s.nhosts == 1 &&
		    (s.hosts[0].flags & MX_F_IMPLICIT) &&
		    s.hosts[0].pref == 0, "NODATA: implicit MX, pref 0");
		is_str(s.hosts[0].name, "implicit.dom.test", "domain itself");
	}
	{
		const char *h[] = { "127.0.25.1", "[192.0.2.1]", "::1",
		    "mx.dom.test" };
		const unsigned p[] = { 10, 20, 30, 10 };

		answer_mx(&a, rr, h, p, 4);
		mx_set_from_answer(&s, "literal.dom.test", &a, 7, err,
		    sizeof(err));
		mx_display_order(&s, idx);
		is_str(s.hosts[idx[0]].name, "127.0.25.1", "display: pref");
		is_str(s.hosts[idx[1]].name, "mx.dom.test", "then name");
		ok(s.hosts[idx[0]].flags & MX_F_LITERAL, "IPv4 literal");
		ok(s.hosts[idx[2]].flags & MX_F_LITERAL, "[IPv4] literal");
		ok(s.hosts[idx[3]].flags & MX_F_LITERAL, "IPv6 literal");
		ok(!(s.hosts[idx[1]].flags & MX_F_LITERAL), "name");
		is_str(mx_role(&s, &s.hosts[idx[2]]), "backup", "backup");
	}
	{
		const char *h[] = { "a.test", "a.test" };
		const unsigned p[] = { 20, 10 };

		answer_mx(&a, rr, h, p, 2);
		mx_set_from_answer(&s, "dup.test", &a, 7, err, sizeof(err));
		ok(!(s.hosts[0].flags & MX_F_DUP) && s.hosts[0].pref == 10 &&
		    (s.hosts[1].flags & MX_F_DUP), "later duplicate flagged");
	}
	{
		/* more records than MX_MAX_HOSTS: the lowest preferences
		 * are kept, wherever they stand in the answer */
		enum { N = MX_MAX_HOSTS + 16 };
		static struct dns_rr big[N];
		static char names[N][16];
		const char *h[N];
		unsigned p[N];
		size_t i, low = 0, kept_high = 0;

		for (i = 0; i < N; i++) {
			snprintf(names[i], sizeof(names[i]), "mx%zu.test", i);
			h[i] = names[i];
			/* the last 16 in answer order have the lowest */
			p[i] = i >= MX_MAX_HOSTS ? 1 : 100 + (unsigned)i;
		}
		answer_mx(&a, big, h, p, N);
		mx_set_from_answer(&s, "many.test", &a, 7, err, sizeof(err));
		is_int((int)s.nhosts, MX_MAX_HOSTS, "at most MX_MAX_HOSTS kept");
		is_int((int)s.nrecords, N, "every record counted");
		for (i = 0; i < s.nhosts; i++) {
			low += s.hosts[i].pref == 1;
			kept_high += s.hosts[i].pref >= 100 + MX_MAX_HOSTS - 16;
		}
		is_int((int)low, 16, "every preference-1 record kept, though "
		    "last in the answer");
		is_int((int)kept_high, 0, "the highest preferences dropped");
	}
	{
		memset(&a, 0, sizeof(a));
		a.status = DNS_NXDOMAIN;
		mx_set_from_answer(&s, "missing.dom.test", &a, 1, err,
		    sizeof(err));
		ok(s.nhosts == 0 && !s.implicit, "NXDOMAIN: no hosts");
	}
	mx_set_release(&s);
}

static void
test_special(void)
{
	static const struct {
		const char *addr;
		const char *what;
	} t[] = {
		{ "127.0.25.1", "loopback" }, { "10.1.2.3", "private-use" },
		{ "172.16.0.1", "private-use" }, { "172.32.0.1", NULL },
		{ "192.168.1.1", "private-use" }, { "100.64.0.1", "CGNAT" },
		{ "169.254.1.1", "link-local" }, { "203.0.113.7", NULL },
		{ "::1", "loopback" }, { "fe80::1", "link-local" },
		{ "fd00::1", "unique-local" }, { "2001:db8::1", NULL },
		{ "::ffff:10.0.0.1", "private-use" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct addr_sock a;
		unsigned char bin[16];
		int fam = addr_parse(t[i].addr, bin);

		addr_sock_set(&a, fam, bin, 25);
		is_str(a.scope, t[i].what, "scope %s", t[i].addr);
		is_int(strcmp(a.text, t[i].addr), 0, "text of %s", a.text);
	}
}

int
main(void)
{
	test_globs();
	test_glob_check();
	test_builtin();
	test_order();
	test_classify();
	test_special();
	return tap_done();
}
