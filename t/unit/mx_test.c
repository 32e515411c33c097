/*
 * mx_test - trap globs, the built-in trap table, RFC 5321 §5.1 ordering
 * with a fixed seed, null / implicit / literal classification, and the
 * facts the plugin's judges read (mail/mx_facts) and the words of its
 * report (mail/mx_report) on hand-made sets.
 */
#include <config.h>

#include "mail/mx.h"
#include "mail/mx_answer.h"
#include "mail/mx_facts.h"
#include "mail/mx_report.h"
#include "tap.h"

#include <arpa/inet.h>
#include <sys/socket.h>
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
	mx_answer_order(a, N, 42);
	mx_answer_order(b, N, 42);
	for (i = 0; i < N; i++)
		if (strcmp(a[i].name, b[i].name) != 0)
			same = false;
	ok(same, "same set + same seed = same order");

	/* strict preference order for many seeds; all 6 permutations of
	 * the three preference-10 hosts show up */
	for (seed = 0; seed < 500; seed++) {
		char perm[8];

		hosts_from(a, pref, N);
		mx_answer_order(a, N, seed);
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
		is_int(mx_answer_hosts(&s, "nullmx.dom.test.", &a, 1, err,
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
		mx_answer_hosts(&s, "nullmix.dom.test", &a, 1, err,
		    sizeof(err));
		ok(!s.null_mx && s.null_mixed, "'.' beside others is mixed");
		is_str(s.hosts[1].name, "accept.hosts.test", "lower-cased");
		is_str(mx_role(&s, &s.hosts[1]), "primary",
		    "the null record does not count as primary");
	}
	{
		const unsigned p[] = { 0 };

		answer_mx(&a, rr, NULL, p, 0);
		mx_answer_hosts(&s, "implicit.dom.test", &a, 1, err,
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
		mx_answer_hosts(&s, "literal.dom.test", &a, 7, err,
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
		mx_answer_hosts(&s, "dup.test", &a, 7, err, sizeof(err));
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
		mx_answer_hosts(&s, "many.test", &a, 7, err, sizeof(err));
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
		mx_answer_hosts(&s, "missing.dom.test", &a, 1, err,
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

/* ---- mail/mx_facts ------------------------------------------------------ */

/* A hand-made host: "name pref flags", addresses as text (NULL-ended). */
struct fhost {
	const char *name;
	unsigned pref, flags;
	const char *addrs[3];
};

/* A set of up to 8 hosts in caller storage (never released: no heap). */
struct fset {
	struct mx_set s;
	struct mx_host h[8];
	struct addr_sock a[8][3];
	size_t order[8];
};

static void
fset_build(struct fset *f, const struct fhost *v, size_t n)
{
	size_t i, k;

	memset(f, 0, sizeof(*f));
	mx_set_init(&f->s);
	snprintf(f->s.domain, sizeof(f->s.domain), "dom.test");
	f->s.mx_status = DNS_OK;
	for (i = 0; i < n; i++) {
		struct mx_host *h = &f->h[i];

		snprintf(h->name, sizeof(h->name), "%s", v[i].name);
		h->pref = v[i].pref;
		h->flags = v[i].flags;
		if (h->flags & MX_F_TRAP)
			h->trap = "--trap test";
		h->res.addrs = f->a[i];
		for (k = 0; k < 3 && v[i].addrs[k] != NULL; k++) {
			unsigned char bin[16];
			int fam = addr_parse(v[i].addrs[k], bin);

			addr_sock_set(&f->a[i][k], fam, bin, 0);
			h->res.naddrs++;
		}
	}
	f->s.hosts = f->h;
	f->s.nhosts = f->s.nrecords = n;
	mx_display_order(&f->s, f->order);
}

static void
test_facts_counts(void)
{
	static const struct fhost mixed[] = {
		{ "mx2.dom.test", 10, 0, { "203.0.113.2", NULL } },
		{ "trap.dom.test", 20, MX_F_TRAP, { "203.0.113.9", NULL } },
		{ "mx1.dom.test", 10, 0, { "203.0.113.1", "::1", NULL } },
		{ "192.0.2.7", 30, MX_F_LITERAL, { NULL } },
		{ "gone.dom.test", 40, MX_F_NOADDR, { NULL } },
		{ "mx1.dom.test", 10, MX_F_DUP, { "203.0.113.1", NULL } },
	};
	static const struct fhost trapfirst[] = {
		{ "trap.dom.test", 5, MX_F_TRAP, { "203.0.113.9", NULL } },
		{ "mx.dom.test", 10, 0, { "203.0.113.1", NULL } },
	};
	static const struct fhost null[] = {
		{ "", 0, MX_F_NULL, { NULL } },
	};
	struct fset f;
	unsigned lo = 99;
	char buf[256];

	fset_build(&f, mixed, 6);
	is_int(mx_facts_usable(&f.s), 2, "usable: not trap, literal, "
	    "address-less, and a repeated target once");
	is_int(mx_facts_traps(&f.s), 1, "one trap");
	ok(mx_facts_lowest(&f.s, false, &lo) && lo == 10, "lowest 10");
	is_int(mx_facts_highest_real(&f.s), 40, "highest real 40");
	is_int(mx_facts_primaries(&f.s, f.order, false, buf, sizeof(buf)),
	    2, "two primaries");
	is_str(buf, "mx1.dom.test, mx2.dom.test", "primaries by name");
	is_int(mx_facts_primaries(&f.s, f.order, true, buf, sizeof(buf)),
	    3, "with the repeated target");
	is_str(buf, "mx1.dom.test, mx1.dom.test, mx2.dom.test",
	    "the repeated target named again");
	is_int(mx_facts_nonpublic(&f.h[2], buf, sizeof(buf)), 1,
	    "one non-public address");
	is_str(buf, "::1 (loopback)", "named with its range");
	is_int(mx_facts_nonpublic(&f.h[0], buf, sizeof(buf)), 0,
	    "documentation range is not a special-purpose scope here");
	mx_facts_walk(&f.s, buf, sizeof(buf));
	is_str(buf, "mx2.dom.test, trap.dom.test, mx1.dom.test, 192.0.2.7, "
	    "gone.dom.test, mx1.dom.test", "walk order as kept");

	fset_build(&f, trapfirst, 2);
	ok(mx_facts_lowest(&f.s, false, &lo) && lo == 5, "a trap counts as "
	    "lowest");
	ok(mx_facts_lowest(&f.s, true, &lo) && lo == 10, "skipped when asked");
	is_int(mx_facts_highest_real(&f.s), 10, "highest real skips traps");

	fset_build(&f, null, 1);
	ok(!mx_facts_lowest(&f.s, false, &lo), "null MX: no lowest");
	is_int(mx_facts_usable(&f.s), 0, "null MX: nothing usable");
	is_int(mx_facts_primaries(&f.s, f.order, true, buf, sizeof(buf)), 0,
	    "null MX: no primary");
	mx_facts_walk(&f.s, buf, sizeof(buf));
	is_str(buf, ".", "null MX walks as '.'");
	mx_facts_walk(&f.s, buf, 1);
	is_str(buf, "", "a one-byte buffer is cut, not overrun");
}

static void
test_facts_dns(void)
{
	static const struct fhost two[] = {
		{ "a.dom.test", 10, 0, { "203.0.113.1", NULL } },
		{ "b.dom.test", 20, 0, { NULL } },
	};
	struct fset f;
	char buf[256];

	fset_build(&f, two, 2);
	f.h[0].res.asked4 = f.h[0].res.asked6 = true;
	f.h[0].res.st4 = DNS_OK;
	f.h[0].res.ad4 = true;
	f.h[0].res.pending6 = true;
	f.h[1].res.asked4 = true;
	f.h[1].res.st4 = DNS_SERVFAIL;
	mx_facts_dns_status(&f.h[0], buf, sizeof(buf));
	is_str(buf, "A NOERROR, AAAA pending", "status of both families");
	mx_facts_dns_status(&f.h[1], buf, sizeof(buf));
	is_str(buf, "A SERVFAIL", "only the family asked");
	mx_facts_pending(&f.s, f.order, buf, sizeof(buf));
	is_str(buf, "AAAA a.dom.test", "one family pending");
	f.h[1].res.pending4 = f.h[1].res.pending6 = true;
	mx_facts_pending(&f.s, f.order, buf, sizeof(buf));
	is_str(buf, "AAAA a.dom.test, A+AAAA b.dom.test", "both pending: the "
	    "families, a space, the name");
	f.s.mx_ad = true;
	f.h[1].res.pending4 = f.h[1].res.pending6 = false;
	mx_facts_unvalidated(&f.s, f.order, buf, sizeof(buf));
	is_str(buf, "A b.dom.test", "answers without AD (a pending answer "
	    "is not judged)");
	f.s.mx_ad = false;
	f.h[1].flags |= MX_F_DUP;
	mx_facts_unvalidated(&f.s, f.order, buf, sizeof(buf));
	is_str(buf, "MX dom.test", "the MX answer; a repeated target left out");
	f.s.mx_ad = true;
	is_int(mx_facts_unvalidated(&f.s, f.order, buf, sizeof(buf)), 0,
	    "everything validated: empty");
	f.s.mx_status = DNS_SERVFAIL;
	is_str(mx_facts_status_name(&f.s), "SERVFAIL", "MX answer status");
}

static void
test_facts_expect(void)
{
	static const struct fhost two[] = {
		{ "b.dom.test", 20, 0, { NULL } },
		{ "a.dom.test", 10, 0, { NULL } },
	};
	static const struct {
		const char *want;
		bool same;
		const char *wtext, *gtext;
	} t[] = {
		{ "10 a.dom.test, 20 b.dom.test", true, NULL, NULL },
		{ "20 B.Dom.Test., 10 a.dom.test", true, NULL, NULL },
		{ "10 a.dom.test", false, "10 a.dom.test",
		    "10 a.dom.test, 20 b.dom.test" },
		{ "10 a.dom.test,20 b.dom.test,30 c.dom.test", false,
		    "10 a.dom.test, 20 b.dom.test, 30 c.dom.test",
		    "10 a.dom.test, 20 b.dom.test" },
		{ "0 .", false, "0 .", "10 a.dom.test, 20 b.dom.test" },
		{ "20 a.dom.test, 10 b.dom.test", false,
		    "10 b.dom.test, 20 a.dom.test",
		    "10 a.dom.test, 20 b.dom.test" },
	};
	static const char *const globs_ok[][3] = {
		{ "*.dom.test", NULL, NULL }, { "a.*", NULL, NULL },
		{ "x.test", "A.DOM.TEST", NULL },
	};
	struct mx_rec want[8];
	char globs[4][MX_NAME_MAX], ws[256], gs[256], err[256];
	struct fset f;
	size_t i, n;

	fset_build(&f, two, 2);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = 0;
		is_int(mx_facts_recs_parse(t[i].want, want, 8, &n, err,
		    sizeof(err)), 0, "-E '%s' parses", t[i].want);
		is_int(mx_facts_expect_mx(&f.s, want, n, ws, gs, sizeof(ws)),
		    t[i].same, "-E '%s' %s", t[i].want, t[i].same ? "met" :
		    "not met");
		if (!t[i].same) {
			is_str(ws, t[i].wtext, "expected, sorted");
			is_str(gs, t[i].gtext, "found, sorted");
		}
	}
	f.s.implicit = true;
	n = 0;
	mx_facts_recs_parse("0 dom.test", want, 8, &n, err, sizeof(err));
	ok(!mx_facts_expect_mx(&f.s, want, n, ws, gs, sizeof(ws)) &&
	    strcmp(gs, "(none)") == 0, "the implicit MX is no record: %s", gs);
	f.s.implicit = false;

	for (i = 0; i < sizeof(globs_ok) / sizeof(globs_ok[0]); i++) {
		size_t k;

		for (n = 0; n < 3 && globs_ok[i][n] != NULL; n++)
			snprintf(globs[n], sizeof(globs[n]), "%s",
			    globs_ok[i][n]);
		/* only a.dom.test is at the lowest preference */
		ok(mx_facts_primaries_match(&f.s, globs, n), "-P %s%s%s met",
		    globs_ok[i][0], n > 1 ? "," : "", n > 1 ?
		    globs_ok[i][1] : "");
		for (k = 0; k < n; k++)
			globs[k][0] = 'z';
		ok(!mx_facts_primaries_match(&f.s, globs, n), "-P spoiled "
		    "%zu not met", i);
	}
}

static void
test_facts_parse(void)
{
	static const struct {
		const char *list;
		int ret;
		size_t n;
		const char *err;	/* NULL: parsed */
	} recs[] = {
		{ "10 mx1.dom.test", 0, 1, NULL },
		{ "  10 mx1.dom.test ,20   .  ", 0, 2, NULL },
		{ "", -1, 0, "empty" },
		{ "10 a.test,,20 b.test", -1, 1, "empty item" },
		{ "10 a.test, ", -1, 1, "empty item" },
		{ "10", -1, 0, "'10' is not 'PREFERENCE HOST'" },
		{ "x a.test", -1, 0, "preference 'x' is not 0-65535" },
		{ "65536 a.test", -1, 0, "preference '65536' is not 0-65535" },
		{ "-1 a.test", -1, 0, "preference '-1' is not 0-65535" },
		{ "10 a..test", -1, 0, "host 'a..test': " },
		{ "1 a.test,2 b.test,3 c.test", -1, 2, "more than 2 records" },
	};
	static const struct {
		const char *list;
		int ret;
		const char *err;
	} globs[] = {
		{ "mx*.dom.test, cluster?.trap.test", 0, NULL },
		{ "a b", -1, "'a b': " },
		{ "x.test,,y.test", -1, "empty item" },
		{ "a.test,b.test,c.test", -1, "more than 2 patterns" },
	};
	static const struct {
		const char *in, *out, *err;
	} dom[] = {
		{ "Example.ORG.", "example.org", NULL },
		{ "b\xc3\xbc" "cher.dom.test", "xn--bcher-kva.dom.test", NULL },
		{ "192.0.2.1", NULL, "an IP address, not a mail domain" },
		{ "[192.0.2.1]", NULL, "an IP address, not a mail domain" },
		{ "2001:db8::1", NULL, "an IP address, not a mail domain" },
		{ "a..b", NULL, "" },
	};
	struct mx_rec v[2];
	char g[2][MX_NAME_MAX], err[1200], out[MX_NAME_MAX], longi[600];
	size_t i, n;

	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		n = 0;
		err[0] = '\0';
		is_int(mx_facts_recs_parse(recs[i].list, v, 2, &n, err,
		    sizeof(err)), recs[i].ret, "-E '%s'", recs[i].list);
		is_int(n, recs[i].n, "-E '%s': %zu kept", recs[i].list,
		    recs[i].n);
		if (recs[i].err != NULL)
			ok(strncmp(err, recs[i].err, strlen(recs[i].err)) == 0,
			    "-E '%s' says '%s' (%s)", recs[i].list,
			    recs[i].err, err);
	}
	n = 0;
	mx_facts_recs_parse("  10 mx1.dom.test ,20   .  ", v, 2, &n, err,
	    sizeof(err));
	ok(v[0].pref == 10 && strcmp(v[0].host, "mx1.dom.test") == 0 &&
	    v[1].pref == 20 && v[1].host[0] == '\0', "trimmed; '.' is the "
	    "null MX");
	memset(longi, 'a', 520);
	memcpy(longi, "10 ", 3);
	longi[520] = '\0';
	n = 0;
	is_int(mx_facts_recs_parse(longi, v, 2, &n, err, sizeof(err)), -1,
	    "an item of 520 octets");
	is_str(err, "too long an item", "is named too long");

	for (i = 0; i < sizeof(globs) / sizeof(globs[0]); i++) {
		n = 0;
		err[0] = '\0';
		is_int(mx_facts_globs_parse(globs[i].list, g, 2, &n, err,
		    sizeof(err)), globs[i].ret, "-P '%s'", globs[i].list);
		if (globs[i].err != NULL)
			ok(strncmp(err, globs[i].err, strlen(globs[i].err)) == 0,
			    "-P '%s' says '%s' (%s)", globs[i].list,
			    globs[i].err, err);
	}
	n = 0;
	mx_facts_globs_parse("mx*.dom.test, cluster?.trap.test", g, 2, &n,
	    err, sizeof(err));
	ok(n == 2 && strcmp(g[1], "cluster?.trap.test") == 0, "globs kept");

	for (i = 0; i < sizeof(dom) / sizeof(dom[0]); i++) {
		int r = mx_facts_domain_parse(dom[i].in, out, sizeof(out), err,
		    sizeof(err));

		is_int(r, dom[i].out ? 0 : -1, "-D '%s'", dom[i].in);
		if (dom[i].out != NULL)
			is_str(out, dom[i].out, "-D '%s' as an A-label",
			    dom[i].in);
		else
			ok(strstr(err, dom[i].err) != NULL, "-D '%s': %s",
			    dom[i].in, err);
	}
}

/* ---- mail/mx_report ----------------------------------------------------- */

static void
test_report(void)
{
	static const struct fhost set[] = {
		{ "mx1.dom.test", 10, 0, { "203.0.113.1", "2001:db8::1", NULL } },
		{ "trap.dom.test", 20, MX_F_TRAP, { "203.0.113.9", NULL } },
		{ "gone.dom.test", 30, MX_F_NOADDR, { NULL } },
		{ "192.0.2.7", 40, MX_F_LITERAL, { NULL } },
	};
	static const struct fhost null[] = { { "", 0, MX_F_NULL, { NULL } } };
	struct fset f;
	struct mx_audit a;
	struct mx_probe pr[3];
	char buf[600];

	fset_build(&f, set, 4);
	memset(&a, 0, sizeof(a));
	memset(pr, 0, sizeof(pr));
	a.set = f.s;
	memcpy(a.order, f.order, sizeof(f.order));
	a.dns_done = true;
	f.h[0].res.asked4 = f.h[0].res.asked6 = true;
	f.h[0].res.st4 = f.h[0].res.st6 = DNS_OK;
	f.h[0].res.ad4 = true;
	f.h[2].res.asked4 = true;
	f.h[2].res.st4 = DNS_NODATA;
	pr[0].host = 0;
	pr[0].addr = 0;
	pr[0].st = MX_PROBE_ACCEPTING;
	pr[0].greet.code = 220;
	snprintf(pr[0].greet.text, sizeof(pr[0].greet.text), "mx1 ESMTP");
	pr[0].connect_time = 0.0012;
	pr[0].banner_time = 0.0034;
	pr[1].host = 0;
	pr[1].addr = 1;
	pr[1].st = MX_PROBE_CONNECT_FAILED;
	snprintf(pr[1].why, sizeof(pr[1].why), "connection refused");
	pr[2].host = 1;
	pr[2].st = MX_PROBE_REFUSING;
	pr[2].greet.code = 554;
	snprintf(pr[2].greet.enh, sizeof(pr[2].greet.enh), "5.7.1");
	snprintf(pr[2].greet.text, sizeof(pr[2].greet.text), "go away");
	a.probes.v = pr;
	a.probes.n = 3;
	a.probes.set = &a.set;

	buf[0] = '\0';
	mx_report_outcomes(&a, 0, false, buf, sizeof(buf));
	is_str(buf, "203.0.113.1 accepting, 2001:db8::1 connection refused",
	    "a finding's outcomes: joined by ', '");
	buf[0] = '\0';
	mx_report_outcomes(&a, 1, false, buf, sizeof(buf));
	is_str(buf, "203.0.113.9 554 5.7.1 go away", "a refusing greeting");
	mx_report_record(&a, 0, false, buf, sizeof(buf));
	is_str(buf, "MX 10 mx1.dom.test (primary): 203.0.113.1, 2001:db8::1; "
	    "203.0.113.1 220 after 3.4 ms (connect 1.2 ms) \"mx1 ESMTP\"; "
	    "2001:db8::1 connection refused", "the record line with probes");
	mx_report_record(&a, 0, true, buf, sizeof(buf));
	ok(strstr(buf, " [DNS: A NOERROR, AAAA NOERROR, AD];") != NULL,
	    "-vv: the DNS statuses and the AD bit: %s", buf);
	mx_report_record(&a, 1, false, buf, sizeof(buf));
	is_str(buf, "MX 20 trap.dom.test (trap, --trap test): 203.0.113.9; "
	    "203.0.113.9 554 after 0.0 ms (connect 0.0 ms) \"5.7.1 go away\"",
	    "a trap's rule is named");
	mx_report_record(&a, 2, false, buf, sizeof(buf));
	is_str(buf, "MX 30 gone.dom.test (backup): no address (A NODATA)",
	    "no address: the DNS outcome");
	mx_report_record(&a, 3, false, buf, sizeof(buf));
	is_str(buf, "MX 40 192.0.2.7 (backup): IP literal, not looked up",
	    "an IP literal");
	mx_report_record(&a, 0, false, buf, 24);
	is_int((int)strlen(buf), 23, "the record line is cut, never overrun");
	mx_report_primary(&a, buf, sizeof(buf));
	is_str(buf, ", primary mx1.dom.test (10)", "the summary's primary");
	mx_report_no_usable(&a, AF_INET6, buf, sizeof(buf));
	is_str(buf, "none of 4 records is a non-trap host with an address "
	    "(IPv6 only)", "no usable host, the family named");
	pr[0].st = MX_PROBE_BANNER;
	a.timed_out = true;
	buf[0] = '\0';
	mx_report_outcomes(&a, 0, true, buf, sizeof(buf));
	ok(strstr(buf, "203.0.113.1 no answer before the deadline") != NULL,
	    "a probe cut by the deadline: %s", buf);
	mx_report_timeout(&a, 5, buf, sizeof(buf));
	is_str(buf, "after 5s still waiting for banner of mx1.dom.test "
	    "[203.0.113.1]", "the deadline during the probes");
	a.set.stage = MX_STAGE_MX;
	mx_report_timeout(&a, 2.5, buf, sizeof(buf));
	is_str(buf, "no MX answer for dom.test within 2.5s", "no MX answer");
	fset_build(&f, null, 1);
	a.set = f.s;
	mx_report_record(&a, 0, false, buf, sizeof(buf));
	is_str(buf, "MX 0 . (null MX)", "the null MX");
	mx_report_primary(&a, buf, sizeof(buf));
	is_str(buf, "", "no primary beside a null MX");
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
	test_facts_counts();
	test_facts_dns();
	test_facts_expect();
	test_facts_parse();
	test_report();
	return tap_done();
}
