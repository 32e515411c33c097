/*
 * lib/dnsbl: spec parsing (zone, filter, mask, weight), query names
 * (IPv4 octets, IPv6 nibbles, IPv4-mapped), answer classification and
 * address scopes.  Tables first, then the loops that walk them.
 */
#include <config.h>

#include "net/addr.h"
#include "mail/dnsbl.h"
#include "mail/dnsbl_verdict.h"
#include "tap.h"

#include <arpa/inet.h>
#include <sys/socket.h>

struct spec_case {
	const char *text;
	int ok;			/* 0 valid, -1 rejected */
	const char *zone;
	long weight;
	int filter, mask;
};

static const struct spec_case specs[] = {
	{ "zen.spamhaus.org", 0, "zen.spamhaus.org", 1, 0, 0 },
	{ "ZEN.Spamhaus.ORG.", 0, "zen.spamhaus.org", 1, 0, 0 },
	{ "zen.spamhaus.org=127.0.0.2", 0, "zen.spamhaus.org", 1, 1, 0 },
	{ "zen.spamhaus.org=127.0.0.[2..11]*3", 0, "zen.spamhaus.org", 3, 1,
	    0 },
	{ "list.dnswl.org=127.0.[0..255].[2;3]*-4", 0, "list.dnswl.org", -4,
	    1, 0 },
	{ "multi.surbl.org&72", 0, "multi.surbl.org", 1, 0, 1 },
	{ "multi.surbl.org&0.0.0.72*2", 0, "multi.surbl.org", 2, 0, 1 },
	{ "x.test*0", 0, "x.test", 0, 0, 0 },
	{ "", -1, NULL, 0, 0, 0 },
	{ "=127.0.0.2", -1, NULL, 0, 0, 0 },
	{ "nodot", -1, NULL, 0, 0, 0 },
	{ "bad..zone", -1, NULL, 0, 0, 0 },
	{ "bad zone.test", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.2.1", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.256", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.[2..x]", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.[11..2]", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.[]", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.[2", -1, NULL, 0, 0, 0 },
	{ "x.test=127..0.2", -1, NULL, 0, 0, 0 },
	{ "x.test=", -1, NULL, 0, 0, 0 },
	{ "x.test&0", -1, NULL, 0, 0, 0 },
	{ "x.test&256", -1, NULL, 0, 0, 0 },
	{ "x.test&1.2.3", -1, NULL, 0, 0, 0 },
	{ "x.test*", -1, NULL, 0, 0, 0 },
	{ "x.test*x", -1, NULL, 0, 0, 0 },
	{ "x.test*1001", -1, NULL, 0, 0, 0 },
	{ "x.test*2*3", -1, NULL, 0, 0, 0 },
	{ "x.test=127.0.0.2&8", -1, NULL, 0, 0, 0 },
};

struct match_case {
	const char *spec;
	const char *code;
	int match;
};

static const struct match_case matches[] = {
	{ "z.test", "127.0.0.2", 1 },
	{ "z.test=127.0.0.2", "127.0.0.2", 1 },
	{ "z.test=127.0.0.2", "127.0.0.4", 0 },
	{ "z.test=127.0.0.[2..11]", "127.0.0.11", 1 },
	{ "z.test=127.0.0.[2..11]", "127.0.0.30", 0 },
	{ "z.test=127.0.[0..255].[2;4;10]", "127.0.7.10", 1 },
	{ "z.test=127.0.[0..255].[2;4;10]", "127.0.7.3", 0 },
	{ "z.test=127.0.0.[2..4;9;30]", "127.0.0.30", 1 },
	{ "z.test&72", "127.0.0.8", 1 },
	{ "z.test&72", "127.0.0.64", 1 },
	{ "z.test&72", "127.0.0.16", 0 },
	{ "z.test&0.0.1.0", "127.0.1.2", 1 },
};

struct name_case {
	int family;
	const char *addr;
	int keep_mapped;
	const char *zone;
	const char *want;
};

static const struct name_case names[] = {
	{ AF_INET, "192.0.2.99", 0, "zen.test", "99.2.0.192.zen.test" },
	{ AF_INET, "203.0.113.2", 0, "l01.dnsbl.test",
	    "2.113.0.203.l01.dnsbl.test" },
	/* RFC 5782 §2.4 example */
	{ AF_INET6, "2001:db8:1:2:3:4:567:89ab", 0, "bl.test",
	    "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2."
	    "bl.test" },
	/* an IPv4-mapped sender is an IPv4 sender */
	{ AF_INET6, "::ffff:203.0.113.2", 0, "z.test", "2.113.0.203.z.test" },
	/* ... but the RFC 5782 §5 IPv6 control keeps its 32 nibbles */
	{ AF_INET6, "::ffff:7f00:2", 1, "z.test",
	    "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "z.test" },
};

/* The answer table: status, A records, spec, expected class. */
struct class_case {
	const char *spec;
	enum dns_status status;
	const char *codes[4];
	enum dnsbl_class want;
	size_t ncodes;		/* codes kept in the verdict */
};

static const struct class_case classes[] = {
	{ "z.test", DNS_NXDOMAIN, { NULL }, DNSBL_CLEAN, 0 },
	{ "z.test", DNS_NODATA, { NULL }, DNSBL_CLEAN, 0 },
	{ "z.test", DNS_OK, { "127.0.0.2" }, DNSBL_LISTED, 1 },
	/* all A records read, not only the first */
	{ "z.test", DNS_OK, { "127.0.0.2", "127.0.0.4", "127.0.0.10" },
	    DNSBL_LISTED, 3 },
	{ "z.test=127.0.0.4", DNS_OK, { "127.0.0.2", "127.0.0.4" },
	    DNSBL_LISTED, 1 },
	{ "z.test=127.0.0.10", DNS_OK, { "127.0.0.2", "127.0.0.4" },
	    DNSBL_UNMATCHED, 2 },
	/* error codes: never listings, with or without a filter */
	{ "z.test", DNS_OK, { "127.255.255.254" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test", DNS_OK, { "127.255.255.252" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test=127.[0..255].[0..255].[0..255]", DNS_OK,
	    { "127.255.255.255" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test", DNS_OK, { "127.0.1.255" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test", DNS_OK, { "198.51.100.117" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test", DNS_OK, { "127.0.0.2", "10.0.0.1" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test", DNS_OK, { "127.0.0.1" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test&72", DNS_OK, { "127.0.0.1" }, DNSBL_LIST_ERROR, 1 },
	{ "z.test&255", DNS_OK, { "127.0.0.1" }, DNSBL_LIST_ERROR, 1 },
	/* a filter naming 127.0.0.1 makes it a code (hostkarma style) */
	{ "z.test=127.0.0.1", DNS_OK, { "127.0.0.1" }, DNSBL_LISTED, 1 },
	/* bitmask lists */
	{ "z.test&72", DNS_OK, { "127.0.0.72" }, DNSBL_LISTED, 1 },
	{ "z.test&8", DNS_OK, { "127.0.0.64" }, DNSBL_UNMATCHED, 1 },
	/* DNS failures: never clean */
	{ "z.test", DNS_SERVFAIL, { NULL }, DNSBL_FAILURE, 0 },
	{ "z.test", DNS_REFUSED, { NULL }, DNSBL_FAILURE, 0 },
	{ "z.test", DNS_TIMEOUT, { NULL }, DNSBL_FAILURE, 0 },
	{ "z.test", DNS_BADANSWER, { NULL }, DNSBL_FAILURE, 0 },
	{ "z.test", DNS_ERROR, { NULL }, DNSBL_FAILURE, 0 },
};

struct scope_case {
	int family;
	const char *addr;
	int special;
};

static const struct scope_case scopes[] = {
	{ AF_INET, "10.1.2.3", 1 }, { AF_INET, "172.16.0.1", 1 },
	{ AF_INET, "172.32.0.1", 0 }, { AF_INET, "192.168.1.1", 1 },
	{ AF_INET, "127.0.0.5", 1 }, { AF_INET, "169.254.1.1", 1 },
	{ AF_INET, "100.64.0.1", 1 }, { AF_INET, "100.128.0.1", 0 },
	{ AF_INET, "203.0.113.7", 0 }, { AF_INET, "198.51.100.1", 0 },
	{ AF_INET6, "::1", 1 }, { AF_INET6, "fd00::1", 1 },
	{ AF_INET6, "fe80::1", 1 }, { AF_INET6, "2001:db8::7", 0 },
	{ AF_INET6, "::ffff:10.0.0.1", 1 },
};

static uint32_t
code(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return ntohl(a.s_addr);
}

int
main(void)
{
	struct dnsbl_spec s;
	struct dnsbl_verdict v;
	char out[DNSBL_NAME_MAX], err[200];
	unsigned char addr[16];
	uint32_t codes[4];
	size_t i, k;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		const struct spec_case *c = &specs[i];
		int r = dnsbl_spec_parse(c->text, DNSBL_IP, &s, err,
		    sizeof(err));

		is_int(r, c->ok, "spec '%s' %s", c->text,
		    c->ok ? "rejected" : "accepted");
		if (r != 0 || c->ok != 0)
			continue;
		is_str(s.zone, c->zone, "spec '%s' zone", c->text);
		is_int(s.weight, c->weight, "spec '%s' weight", c->text);
		is_int(s.has_filter, c->filter, "spec '%s' filter", c->text);
		is_int(s.has_mask, c->mask, "spec '%s' mask", c->text);
	}
	ok(dnsbl_spec_parse("x.test*x", DNSBL_IP, &s, err, sizeof(err)) < 0 &&
	    strstr(err, "weight") != NULL, "bad weight named: %s", err);

	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		const struct match_case *c = &matches[i];

		dnsbl_spec_parse(c->spec, DNSBL_IP, &s, err, sizeof(err));
		is_int(dnsbl_spec_match(&s, code(c->code)), c->match,
		    "%s %s %s", c->spec, c->match ? "matches" : "skips",
		    c->code);
	}

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct name_case *c = &names[i];

		inet_pton(c->family, c->addr, addr);
		ok(dnsbl_ip_name(c->family, addr, c->keep_mapped, c->zone, out,
		    sizeof(out)) == 0, "name for %s", c->addr);
		is_str(out, c->want, "query name for %s", c->addr);
	}
	ok(dnsbl_ip_name(AF_INET6, addr, true, "z.test", out, 20) < 0,
	    "a name that does not fit is refused");
	dnsbl_domain_name("bad.dom.test", "dbl.dnsbl.test", out, sizeof(out));
	is_str(out, "bad.dom.test.dbl.dnsbl.test", "domain query name");
	memset(err, 'a', 150);
	err[150] = '\0';
	ok(dnsbl_domain_name(err, err, out, sizeof(out)) < 0,
	    "a domain query name over 253 octets is refused");

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		const struct class_case *c = &classes[i];

		for (k = 0; k < 4 && c->codes[k] != NULL; k++)
			codes[k] = code(c->codes[k]);
		dnsbl_spec_parse(c->spec, DNSBL_IP, &s, err, sizeof(err));
		dnsbl_verdict_classify(&s, c->status, codes, k, &v);
		is_int(v.cls, c->want, "%s %s %s%s: %s", c->spec,
		    dns_status_name(c->status), k ? c->codes[0] : "",
		    k > 1 ? "..." : "", dnsbl_verdict_class_name(c->want));
		is_int(v.ncodes, c->ncodes, "%s %s: codes kept", c->spec,
		    k ? c->codes[0] : dns_status_name(c->status));
		if (c->want == DNSBL_LIST_ERROR || c->want == DNSBL_FAILURE)
			ok(v.why != NULL, "%s: says why", c->spec);
	}
	dnsbl_spec_parse("z.test", DNSBL_IP, &s, err, sizeof(err));
	codes[0] = code("127.255.255.254");
	dnsbl_verdict_classify(&s, DNS_OK, codes, 1, &v);
	ok(v.why && strstr(v.why, "own resolver"), "127.255.255.254 means "
	    "use your own resolver");

	is_str(dnsbl_verdict_code_meaning("zen.spamhaus.org",
	    code("127.0.0.4")),
	    "XBL", "ZEN 127.0.0.4 is XBL");
	is_str(dnsbl_verdict_code_meaning("key.zen.dq.spamhaus.net",
	    code("127.0.0.2")), "SBL", "DQS zone recognised");
	is_str(dnsbl_verdict_code_meaning("dbl.spamhaus.org",
	    code("127.0.1.2")),
	    "spam domain", "DBL 127.0.1.2");
	ok(dnsbl_verdict_code_meaning("l01.dnsbl.test",
	    code("127.0.0.2")) == NULL,
	    "unknown list: no meaning");
	ok(dnsbl_verdict_code_meaning("notzen.test", code("127.0.0.2")) == NULL,
	    "a label must match whole");
	dnsbl_verdict_code_text(code("127.0.1.255"), out, sizeof(out));
	is_str(out, "127.0.1.255", "code text");
	dnsbl_verdict_codes_text("zen.spamhaus.org", (const uint32_t[]){
	    code("127.0.0.2"), code("127.0.0.4") }, 2, out, sizeof(out));
	is_str(out, "127.0.0.2 SBL, 127.0.0.4 XBL", "codes with meanings");

	/* Spamhaus DQS: the invalid-key code is an error, the key masked */
	dnsbl_spec_parse("zen.spamhaus.org", DNSBL_IP, &s, err, sizeof(err));
	codes[0] = code("127.255.255.250");
	dnsbl_verdict_classify(&s, DNS_OK, codes, 1, &v);
	is_int(v.cls, DNSBL_LIST_ERROR, "127.255.255.250 is a list error");
	ok(v.why && strstr(v.why, "DQS key"), "... the DQS key: %s", v.why);
	snprintf(s.qzone, sizeof(s.qzone), "k3y.zen.dq.spamhaus.net");
	s.keylen = 3;
	dnsbl_name_masked(&s, "2.0.0.127.k3y.zen.dq.spamhaus.net", out,
	    sizeof(out));
	is_str(out, "2.0.0.127.<key>.zen.dq.spamhaus.net", "key masked");
	s.keylen = 0;
	dnsbl_name_masked(&s, "2.0.0.127.zen.spamhaus.org", out, sizeof(out));
	is_str(out, "2.0.0.127.zen.spamhaus.org", "no key: as it is");
	ok(dnsbl_zone_wants_hosts("dbl.spamhaus.org"), "DBL: host names too");
	ok(!dnsbl_zone_wants_hosts("multi.uribl.com"), "URIBL: registered "
	    "domains only");
	ok(!dnsbl_zone_wants_hosts("multi.surbl.org"), "SURBL: registered "
	    "domains only");
	ok(dnsbl_zone_wants_hosts("rhsbl.example.net"), "an unknown list: "
	    "both");

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		inet_pton(scopes[i].family, scopes[i].addr, addr);
		is_int(addr_scope(scopes[i].family, addr) != NULL,
		    scopes[i].special, "%s %s", scopes[i].addr,
		    scopes[i].special ? "is not a public sender" :
		    "may be a sender");
	}
	return tap_done();
}
