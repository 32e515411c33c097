/*
 * spf_eval_test - RFC 7208 check_host() of mail/spf_eval and the iprev
 * of mail/fcrdns against the unit tests' responder (t/unit/responder) on
 * this test's own loop, answering from the record table below.  A table of
 * (domain, address, result, deciding term) cases, the worst-case walk,
 * the void and lookup limits, include/redirect semantics, temperror on
 * SERVFAIL, and FCrDNS pass/fail/permerror.
 */
#include <config.h>

#include "mail/fcrdns.h"
#include "mail/spf_eval.h"
#include "net/dns.h"
#include "net/loop.h"
#include "responder.h"
#include "tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
bail(const char *why)
{
	printf("Bail out! %s\n", why);
	exit(1);
}

/* The zone (t/unit/responder: data "" for SERVFAIL). */
static const struct responder_rec zone[] = {
	{ "ip.t", 16, "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all" },
	{ "ip.t", 16, "unrelated text" },
	{ "soft.t", 16, "v=spf1 ip4:192.0.2.1 ~all" },
	{ "neutral.t", 16, "v=spf1 ?all" },
	{ "empty.t", 16, "v=spf1" },
	{ "plus.t", 16, "v=spf1 +all" },
	{ "a.t", 16, "v=spf1 a/30 -all" },
	{ "a.t", 1, "198.51.100.5" },
	{ "mx.t", 16, "v=spf1 mx -all" },
	{ "mx.t", 15, "10 m1.t" },
	{ "mx.t", 15, "20 m2.t" },
	{ "m1.t", 1, "198.51.100.20" },
	{ "m2.t", 28, "2001:db8:2::1" },
	{ "inc.t", 16, "v=spf1 include:soft.t include:ip.t -all" },
	{ "incnone.t", 16, "v=spf1 include:nothing.t -all" },
	{ "incplus.t", 16, "v=spf1 include:plus.t -all" },
	{ "redir.t", 16, "v=spf1 ip4:203.0.113.1 redirect=ip.t" },
	{ "redirnone.t", 16, "v=spf1 redirect=nothing.t" },
	{ "allredir.t", 16, "v=spf1 -all redirect=ip.t" },
	{ "void.t", 16, "v=spf1 a:x1.t a:x2.t ip4:192.0.2.9 a:x3.t -all" },
	{ "exists.t", 16, "v=spf1 exists:a.t -all" },
	{ "ptr.t", 16, "v=spf1 ptr:ip.t -all" },
	{ "macro.t", 16, "v=spf1 exists:%{i}.x.t ip4:192.0.2.1 -all" },
	{ "two.t", 16, "v=spf1 -all" },
	{ "two.t", 16, "v=spf1 +all" },
	{ "bad.t", 16, "v=spf1 ip4:300.1.1.1 -all" },
	{ "fail.t", 16, "v=spf1 a:broken.t -all" },
	{ "broken.t", 1, "" },
	{ "loop1.t", 16, "v=spf1 include:loop2.t -all" },
	{ "loop2.t", 16, "v=spf1 include:loop1.t -all" },
	{ "many.t", 16, "v=spf1 a:a.t a:a.t a:a.t a:a.t a:a.t a:a.t a:a.t "
	    "a:a.t a:a.t a:a.t ip4:192.0.2.1 -all" },
	{ "eleven.t", 16, "v=spf1 a:a.t a:a.t a:a.t a:a.t a:a.t a:a.t a:a.t "
	    "a:a.t a:a.t a:a.t a:a.t ip4:192.0.2.1 -all" },
	/* PTR data for the FCrDNS cases */
	{ "1.2.0.192.in-addr.arpa", 12, "good.t" },
	{ "good.t", 1, "192.0.2.1" },
	{ "2.2.0.192.in-addr.arpa", 12, "elsewhere.t" },
	{ "elsewhere.t", 1, "192.0.2.99" },
	{ "4.2.0.192.in-addr.arpa", 12, "" },
};

struct lab {
	struct loop *l;
	struct dns *d;
	struct responder *rs;
};

static void
lab_up(struct lab *lab)
{
	static const char *servers[1];
	struct dns_config cfg = { 0.5, 1, servers, 1 };
	char err[128];

	lab->l = loop_new();
	if (lab->l == NULL)
		bail("no loop");
	lab->rs = responder_start(lab->l, zone, sizeof(zone) / sizeof(zone[0]),
	    &servers[0]);
	loop_set_deadline(lab->l, 5);
	if (dns_new(&lab->d, lab->l, &cfg, err, sizeof(err)) < 0)
		bail(err);
}

static void
lab_down(struct lab *lab)
{
	dns_free(lab->d);
	responder_stop(lab->l, lab->rs);
	loop_free(lab->l);
}

static void
on_done(void *arg)
{
	loop_stop(arg);
}

struct spf_case {
	const char *domain, *addr;	/* addr NULL: the worst-case walk */
	enum spf_eval_result result;
	const char *term;		/* the deciding term, or NULL */
};

static const struct spf_case cases[] = {
	{ "ip.t", "192.0.2.7", SPF_EVAL_PASS, "ip4:192.0.2.0/24" },
	{ "ip.t", "2001:db8::5", SPF_EVAL_PASS, "ip6:2001:db8::/32" },
	{ "ip.t", "::ffff:192.0.2.7", SPF_EVAL_PASS, "ip4:192.0.2.0/24" },
	{ "ip.t", "198.51.100.1", SPF_EVAL_FAIL, "-all" },
	{ "ip.t", NULL, SPF_EVAL_FAIL, "-all" },
	{ "soft.t", "198.51.100.1", SPF_EVAL_SOFTFAIL, "~all" },
	{ "neutral.t", "198.51.100.1", SPF_EVAL_NEUTRAL, "?all" },
	{ "empty.t", "198.51.100.1", SPF_EVAL_NEUTRAL, NULL },
	{ "plus.t", NULL, SPF_EVAL_PASS, "+all" },
	{ "a.t", "198.51.100.6", SPF_EVAL_PASS, "a/30" },
	{ "a.t", "198.51.100.9", SPF_EVAL_FAIL, "-all" },
	{ "mx.t", "198.51.100.20", SPF_EVAL_PASS, "mx" },
	{ "mx.t", "2001:db8:2::1", SPF_EVAL_PASS, "mx" },
	{ "mx.t", "198.51.100.21", SPF_EVAL_FAIL, "-all" },
	/* §5.2: an include that fails does not match; one that passes does */
	{ "inc.t", "192.0.2.1", SPF_EVAL_PASS, "include:soft.t" },
	{ "inc.t", "192.0.2.7", SPF_EVAL_PASS, "include:ip.t" },
	{ "inc.t", "198.51.100.1", SPF_EVAL_FAIL, "-all" },
	{ "incnone.t", "192.0.2.1", SPF_EVAL_PERMERROR, "include:nothing.t" },
	{ "incplus.t", NULL, SPF_EVAL_PASS, "include:plus.t" },
	/* §6.1: redirect only when nothing matched; to no record: permerror */
	{ "redir.t", "203.0.113.1", SPF_EVAL_PASS, "ip4:203.0.113.1" },
	{ "redir.t", "192.0.2.1", SPF_EVAL_PASS, "ip4:192.0.2.0/24" },
	{ "redir.t", "198.51.100.1", SPF_EVAL_FAIL, "-all" },
	{ "redirnone.t", "192.0.2.1", SPF_EVAL_PERMERROR,
	    "redirect=nothing.t" },
	{ "allredir.t", "192.0.2.1", SPF_EVAL_FAIL, "-all" },
	/* §4.6.4: the third void lookup is a permerror, but only if reached */
	{ "void.t", "192.0.2.9", SPF_EVAL_PASS, "ip4:192.0.2.9" },
	{ "void.t", "198.51.100.1", SPF_EVAL_PERMERROR, "a:x3.t" },
	{ "many.t", "192.0.2.1", SPF_EVAL_PASS, "ip4:192.0.2.1" },
	{ "eleven.t", "192.0.2.1", SPF_EVAL_PERMERROR, "a:a.t" },
	{ "loop1.t", "192.0.2.1", SPF_EVAL_PERMERROR, "include:loop2.t" },
	{ "exists.t", "198.51.100.1", SPF_EVAL_PASS, "exists:a.t" },
	{ "ptr.t", "192.0.2.1", SPF_EVAL_UNDETERMINED, "ptr:ip.t" },
	{ "macro.t", "192.0.2.1", SPF_EVAL_UNDETERMINED, "exists:%{i}.x.t" },
	{ "two.t", "192.0.2.1", SPF_EVAL_PERMERROR, NULL },
	{ "bad.t", "192.0.2.1", SPF_EVAL_PERMERROR, NULL },
	{ "nothing.t", "192.0.2.1", SPF_EVAL_NONE, NULL },
	{ "fail.t", "192.0.2.1", SPF_EVAL_TEMPERROR, "a:broken.t" },
};

static void
spf_cases(void)
{
	struct spf_eval_verdict v;
	unsigned char a[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct spf_case *c = &cases[i];
		struct spf_eval *e = NULL;
		struct lab lab;
		int family = AF_INET;

		lab_up(&lab);
		if (spf_eval_new(&e, lab.d, c->domain, c->domain, on_done,
		    lab.l) < 0)
			bail("spf_eval_new");
		if (spf_eval_pending(e) > 0)
			loop_run(lab.l);
		if (c->addr != NULL) {
			family = strchr(c->addr, ':') ? AF_INET6 : AF_INET;
			inet_pton(family, c->addr, a);
		}
		spf_eval_check(e, family, c->addr ? a : NULL, &v);
		is_str(spf_eval_result_name(v.result),
		    spf_eval_result_name(c->result), "%s for %s", c->domain,
		    c->addr ? c->addr : "a client no term lists");
		if (c->term != NULL)
			is_str(v.term, c->term, "%s for %s: deciding term",
			    c->domain, c->addr ? c->addr : "anyone");
		if (c->result == SPF_EVAL_PERMERROR && strcmp(c->domain,
		    "eleven.t") == 0)
			is_int(v.lookups, 11, "eleven.t: the 11th lookup");
		if (strcmp(c->domain, "void.t") == 0 && c->result ==
		    SPF_EVAL_PERMERROR)
			is_int(v.voids, 3, "void.t: the third void");
		lab_down(&lab);
		spf_eval_free(e);
	}
}

static void
fcrdns_cases(void)
{
	static const struct {
		const char *addr;
		enum fcrdns_result result;
	} want[] = {
		{ "192.0.2.1", FCRDNS_PASS },
		{ "192.0.2.2", FCRDNS_FAIL },
		{ "192.0.2.3", FCRDNS_PERMERROR },
		{ "192.0.2.4", FCRDNS_TEMPERROR },
	};
	struct fcrdns *f = NULL;
	struct lab lab;
	unsigned char a[4];
	size_t i;

	lab_up(&lab);
	if (fcrdns_new(&f, lab.d) < 0)
		bail("fcrdns_new");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		inet_pton(AF_INET, want[i].addr, a);
		ok(fcrdns_add(f, AF_INET, a) == 0, "add %s", want[i].addr);
	}
	ok(fcrdns_add(f, AF_INET, a) == 0 && fcrdns_count(f) == 4,
	    "an address added twice is kept once");
	ok(fcrdns_start(f, on_done, lab.l) == 0, "started");
	if (fcrdns_pending(f) > 0)
		loop_run(lab.l);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct fcrdns_addr *x = fcrdns_get(f, i);

		is_str(fcrdns_result_name(x->result),
		    fcrdns_result_name(want[i].result), "FCrDNS of %s",
		    want[i].addr);
	}
	is_str(fcrdns_get(f, 1)->names[0].addrs, "192.0.2.99",
	    "the mismatching name's address is kept");
	lab_down(&lab);
	fcrdns_free(f);
}

int
main(void)
{
	spf_cases();
	fcrdns_cases();
	return tap_done();
}
