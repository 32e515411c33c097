/*
 * lib/mail/dnsbl_query without a network: which pairs and RFC 5782 §5
 * controls a run builds, in which order, and how the controls' answers
 * break a list (dnsbl_verdict_control_fails, pure).  Tables first.
 */
#include <config.h>

#include "mail/dnsbl.h"
#include "mail/dnsbl_verdict.h"
#include "mail/dnsbl_query.h"
#include "tap.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

struct control_case {
	enum dnsbl_control c;
	enum dns_status status;
	const char *code;	/* one A record, or NULL */
	bool full;
	bool fails;
	const char *why;	/* a part of the reason */
};

static const struct control_case controls[] = {
	{ DNSBL_CTL_POS, DNS_OK, "127.0.0.2", false, false, NULL },
	{ DNSBL_CTL_POS, DNS_NXDOMAIN, NULL, false, true,
	    "is not listed (NXDOMAIN): the zone does not exist" },
	{ DNSBL_CTL_POS, DNS_NODATA, NULL, true, true, "(NODATA)" },
	{ DNSBL_CTL_POS, DNS_SERVFAIL, NULL, true, false, NULL },
	{ DNSBL_CTL_POS, DNS_TIMEOUT, NULL, false, false, NULL },
	/* an error code on the positive control: only the full test says */
	{ DNSBL_CTL_POS, DNS_OK, "127.255.255.254", false, false, NULL },
	{ DNSBL_CTL_POS, DNS_OK, "127.255.255.254", true, true,
	    "is not listed (list error 127.255.255.254)" },
	{ DNSBL_CTL_NEG, DNS_NXDOMAIN, NULL, true, false, NULL },
	{ DNSBL_CTL_NEG, DNS_OK, "127.0.0.2", true, true,
	    "is listed (127.0.0.2): the list answers for everything" },
	{ DNSBL_CTL_NEG, DNS_OK, "127.0.0.2", false, false, NULL },
	{ DNSBL_CTL_POS6, DNS_NXDOMAIN, NULL, true, true, "is not listed" },
	{ DNSBL_CTL_NEG6, DNS_OK, "127.0.0.2", true, true, "is listed" },
	{ DNSBL_CTL_NEG6, DNS_REFUSED, NULL, true, false, NULL },
};

static uint32_t
code(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return ntohl(a.s_addr);
}

static void
test_controls(void)
{
	char why[600];
	size_t i;

	for (i = 0; i < sizeof(controls) / sizeof(controls[0]); i++) {
		const struct control_case *c = &controls[i];
		uint32_t codes[1];
		bool got;

		if (c->code != NULL)
			codes[0] = code(c->code);
		why[0] = '\0';
		got = dnsbl_verdict_control_fails(c->c, "q.z.test", "z.test",
		    c->status, codes, c->code != NULL, c->full, why,
		    sizeof(why));
		is_int(got, c->fails, "control %d %s %s%s: %s", (int)c->c,
		    dns_status_name(c->status), c->code ? c->code : "",
		    c->full ? " (full)" : "", c->fails ? "breaks the list" :
		    "does not");
		if (c->why != NULL)
			ok(strstr(why, c->why) != NULL && strstr(why,
			    "q.z.test") != NULL, "reason names the query: %s",
			    why);
	}
}

static void
count_pair(void *arg, size_t target, size_t zone)
{
	size_t *n = arg;

	*n += 1 + target + zone;
}

/* A run without a network: the pairs as built. */
static void
test_build(void)
{
	static const unsigned char a4[4] = { 203, 0, 113, 2 };
	unsigned char a6[16];
	struct dnsbl_spec specs[4];
	struct dnsbl_query_params par;
	struct dnsbl_query *q;
	const struct dnsbl_answer *a;
	const struct dnsbl_zone *z;
	char err[200], longname[300];
	size_t n, nz, ntargets = 0, ncontrols = 0, ntoolong = 0;

	dnsbl_spec_parse("zen.dnsbl.test=127.0.0.2*3", DNSBL_IP, &specs[0],
	    err, sizeof(err));
	dnsbl_spec_parse("zen.dnsbl.test=127.0.0.4", DNSBL_IP, &specs[1],
	    err, sizeof(err));
	dnsbl_spec_parse("v6.dnsbl.test", DNSBL_IP, &specs[2], err,
	    sizeof(err));
	dnsbl_spec_parse("dbl.dnsbl.test", DNSBL_DOMAIN, &specs[3], err,
	    sizeof(err));
	inet_pton(AF_INET6, "2001:db8::2", a6);
	memset(&par, 0, sizeof(par));
	par.txt = true;
	ok(dnsbl_query_new(&q, NULL, specs, 4, &par, NULL) == 0, "new");
	dnsbl_query_add(q, DNSBL_IP, AF_INET, a4, NULL);
	dnsbl_query_add(q, DNSBL_DOMAIN, 0, NULL, "bad.dom.test");
	dnsbl_query_add(q, DNSBL_IP, AF_INET6, a6, NULL);
	ok(dnsbl_query_build(q) == 0, "build");
	z = dnsbl_query_zones(q, &nz);
	is_int(nz, 3, "a zone named by two specs is one zone");
	a = dnsbl_query_answers(q, &n);
	/* zen: 2 IP targets + control; v6: the same; dbl: the host name,
	 * its registered domain (RFC 5782 §3, DBL lists both) + control */
	is_int(n, 9, "pairs and positive controls");
	is_str(a[0].name, "2.113.0.203.zen.dnsbl.test", "IPv4 pair first");
	is_int(a[0].target, 0, "... of target 0");
	is_str(a[2].name, "2.0.0.127.zen.dnsbl.test", "then the control");
	is_int(a[2].role, DNSBL_Q_CONTROL, "... as a control");
	is_str(a[8].name, "test.dbl.dnsbl.test", "domain list's TEST");
	is_str(a[6].name, "bad.dom.test.dbl.dnsbl.test", "domain pair");
	ok(!a[6].registered, "... the name itself");
	is_str(a[7].name, "dom.test.dbl.dnsbl.test", "then its registered "
	    "domain");
	ok(a[7].registered, "... marked as such");
	is_str(dnsbl_query_registered(q, 1), "dom.test", "the registered "
	    "domain of the target");
	ok(dnsbl_query_registered(q, 0) == NULL, "an address has none");
	is_int(a[6].status, DNS_TIMEOUT, "unanswered is a timeout");
	ok(!a[6].answered, "... and not answered");
	for (size_t i = 0; i < n; i++) {
		ntargets += a[i].role == DNSBL_Q_TARGET;
		ncontrols += a[i].role == DNSBL_Q_CONTROL;
	}
	is_int(ntargets, 6, "targets x lists of their kind");
	is_int(ncontrols, 3, "one control per list without --selftest");
	ok(!z[0].broken, "not broken before any answer (no verdict yet)");
	dnsbl_query_free(q);

	par.selftest = true;
	dnsbl_query_new(&q, NULL, specs, 4, &par, NULL);
	dnsbl_query_add(q, DNSBL_IP, AF_INET6, a6, NULL);
	dnsbl_query_build(q);
	a = dnsbl_query_answers(q, &n);
	/* zen: 1 + 4 controls; v6: 1 + 4; dbl: TEST and INVALID */
	is_int(n, 12, "--selftest: every control, IPv6 ones with an IPv6 "
	    "target");
	is_str(a[3].name, "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.0.0.0.zen.dnsbl.test", "::FFFF:7F00:2 as 32 nibbles");
	is_str(a[11].name, "invalid.dbl.dnsbl.test", "domain list INVALID");
	dnsbl_query_free(q);

	/* a URIBL-style list is asked for the registered domain only */
	par.selftest = false;
	dnsbl_spec_parse("multi.uribl.test", DNSBL_DOMAIN, &specs[0], err,
	    sizeof(err));
	dnsbl_query_new(&q, NULL, specs, 1, &par, NULL);
	dnsbl_query_add(q, DNSBL_DOMAIN, 0, NULL, "www.example.co.uk");
	dnsbl_query_add(q, DNSBL_DOMAIN, 0, NULL, "example.co.uk");
	dnsbl_query_build(q);
	a = dnsbl_query_answers(q, &n);
	is_int(n, 3, "URIBL: one name per target, and the control");
	is_str(a[0].name, "example.co.uk.multi.uribl.test", "the registered "
	    "domain (Public Suffix List: co.uk)");
	is_str(a[1].name, "example.co.uk.multi.uribl.test", "a registered "
	    "domain as itself");
	ok(!a[1].registered, "... not marked");
	dnsbl_query_free(q);

	memset(longname, 'a', 63);
	memcpy(longname + 63, ".", 1);
	memcpy(longname + 64, longname, 64);
	memcpy(longname + 128, longname, 64);
	memset(longname + 192, 'b', 50);
	memcpy(longname + 242, ".test", 6);	/* 247 octets, +15: too long */
	par.selftest = false;
	dnsbl_query_new(&q, NULL, &specs[3], 1, &par, NULL);
	dnsbl_query_add(q, DNSBL_DOMAIN, 0, NULL, longname);
	dnsbl_query_build(q);
	a = dnsbl_query_answers(q, &n);
	is_int(n, 2, "a query name over 253 octets is not built");
	ok(a[0].registered, "... the registered domain's is");
	is_int(a[1].role, DNSBL_Q_CONTROL, "... and the control");
	dnsbl_query_toolong(q, count_pair, &ntoolong);
	is_int(ntoolong, 1, "the pair is reported as too long");
	dnsbl_query_free(q);
}

int
main(void)
{
	test_controls();
	test_build();
	return tap_done();
}
