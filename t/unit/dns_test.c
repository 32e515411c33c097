/*
 * DNS answer parsing on hand-built packets (good, truncated and hostile),
 * name normalisation, reverse names and resolver address syntax.
 */
#include <config.h>

#include "net/dns.h"
#include "net/addr.h"
#include "tap.h"

#include <arpa/inet.h>
#include <sys/socket.h>

struct pkt {
	unsigned char b[2048];
	size_t n;
};

static void
put8(struct pkt *p, unsigned v)
{
	p->b[p->n++] = (unsigned char)v;
}

static void
put16(struct pkt *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v & 255);
}

static void
put32(struct pkt *p, unsigned long v)
{
	put16(p, (unsigned)(v >> 16));
	put16(p, (unsigned)(v & 0xffff));
}

/* a name in wire form, uncompressed; "" is the root */
static void
putname(struct pkt *p, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);

		put8(p, (unsigned)len);
		memcpy(p->b + p->n, name, len);
		p->n += len;
		name += len;
		if (*name == '.')
			name++;
	}
	put8(p, 0);
}

static void
header(struct pkt *p, unsigned flags2, unsigned an)
{
	p->n = 0;
	put16(p, 0x1234);
	put8(p, 0x81);		/* QR, RD */
	put8(p, flags2);	/* RA, AD, rcode */
	put16(p, 1);
	put16(p, an);
	put16(p, 0);
	put16(p, 0);
}

static void
question(struct pkt *p, const char *name, unsigned type)
{
	putname(p, name);
	put16(p, type);
	put16(p, 1);
}

/* start a record owned by name (or by a pointer to offset 12 if NULL) */
static size_t
rr(struct pkt *p, const char *owner, unsigned type)
{
	if (owner == NULL)
		put16(p, 0xc00c);
	else
		putname(p, owner);
	put16(p, type);
	put16(p, 1);
	put32(p, 300);
	put16(p, 0);		/* rdlen, patched by rr_end() */
	return p->n;
}

static void
rr_end(struct pkt *p, size_t start)
{
	size_t len = p->n - start;

	p->b[start - 2] = (unsigned char)(len >> 8);
	p->b[start - 1] = (unsigned char)(len & 255);
}

static void
add_a(struct pkt *p, const char *owner, const char *ip)
{
	size_t s = rr(p, owner, DNS_A);
	struct in_addr a;

	inet_pton(AF_INET, ip, &a);
	memcpy(p->b + p->n, &a, 4);
	p->n += 4;
	rr_end(p, s);
}

static void
add_mx(struct pkt *p, unsigned pref, const char *host)
{
	size_t s = rr(p, NULL, DNS_MX);

	put16(p, pref);
	putname(p, host);
	rr_end(p, s);
}

static struct dns_answer ans;

static int
parse(struct pkt *p, const char *qname, int type)
{
	dns_answer_release(&ans);
	return dns_answer_parse(p->b, p->n, qname, type, &ans);
}

static void
test_answers(void)
{
	struct pkt p;
	char ip[INET6_ADDRSTRLEN];
	size_t s;

	header(&p, 0xa0, 2);	/* RA + AD */
	question(&p, "host.example", DNS_A);
	add_a(&p, NULL, "192.0.2.1");
	add_a(&p, NULL, "192.0.2.2");
	ok(parse(&p, "host.example", DNS_A) == 0 && ans.status == DNS_OK &&
	    ans.n == 2, "two A records");
	ok(ans.ad, "AD bit read");
	inet_ntop(AF_INET, &ans.rr[1].u.a, ip, sizeof(ip));
	is_str(ip, "192.0.2.2", "second address");
	is_int(ans.rr[0].ttl, 300, "ttl");

	header(&p, 0x80, 1);
	question(&p, "host.example", DNS_A);
	add_a(&p, NULL, "192.0.2.1");
	ok(parse(&p, "HOST.Example.", DNS_A) == 0 && ans.n == 1 && !ans.ad,
	    "names compare case-insensitively, AD clear");

	header(&p, 0x83, 0);
	question(&p, "missing.example", DNS_MX);
	ok(parse(&p, "missing.example", DNS_MX) == 0 &&
	    ans.status == DNS_NXDOMAIN, "NXDOMAIN");
	header(&p, 0x82, 0);
	question(&p, "x.example", DNS_MX);
	ok(parse(&p, "x.example", DNS_MX) == 0 && ans.status == DNS_SERVFAIL,
	    "SERVFAIL");
	header(&p, 0x85, 0);
	question(&p, "x.example", DNS_MX);
	ok(parse(&p, "x.example", DNS_MX) == 0 && ans.status == DNS_REFUSED,
	    "REFUSED");
	header(&p, 0x84, 0);
	question(&p, "x.example", DNS_MX);
	ok(parse(&p, "x.example", DNS_MX) < 0 && ans.status == DNS_BADANSWER,
	    "NOTIMP is a bad answer");
	header(&p, 0x80, 0);
	question(&p, "x.example", DNS_MX);
	ok(parse(&p, "x.example", DNS_MX) == 0 && ans.status == DNS_NODATA,
	    "NOERROR without records is NODATA");

	/* records of another type or owner do not count */
	header(&p, 0x80, 2);
	question(&p, "x.example", DNS_AAAA);
	add_a(&p, NULL, "192.0.2.1");
	add_a(&p, "other.example", "192.0.2.9");
	ok(parse(&p, "x.example", DNS_AAAA) == 0 && ans.status == DNS_NODATA,
	    "A records do not answer AAAA");
	header(&p, 0x80, 1);
	question(&p, "x.example", DNS_A);
	add_a(&p, "other.example", "192.0.2.9");
	ok(parse(&p, "x.example", DNS_A) == 0 && ans.status == DNS_NODATA,
	    "a record of an unrelated owner is ignored");

	/* CNAME chain */
	header(&p, 0x80, 3);
	question(&p, "www.example", DNS_A);
	s = rr(&p, NULL, DNS_CNAME);
	putname(&p, "alias.example");
	rr_end(&p, s);
	s = rr(&p, "alias.example", DNS_CNAME);
	putname(&p, "real.example");
	rr_end(&p, s);
	add_a(&p, "real.example", "192.0.2.7");
	ok(parse(&p, "www.example", DNS_A) == 0 && ans.n == 1,
	    "A through a two-step CNAME chain");
	is_str(ans.cname, "real.example", "the chain's last target");

	/* CNAME loop */
	header(&p, 0x80, 2);
	question(&p, "a.example", DNS_A);
	s = rr(&p, "a.example", DNS_CNAME);
	putname(&p, "b.example");
	rr_end(&p, s);
	s = rr(&p, "b.example", DNS_CNAME);
	putname(&p, "a.example");
	rr_end(&p, s);
	ok(parse(&p, "a.example", DNS_A) < 0 && ans.status == DNS_BADANSWER,
	    "a CNAME loop is a bad answer");

	/* MX, including the null MX of RFC 7505 */
	header(&p, 0x80, 2);
	question(&p, "d.example", DNS_MX);
	add_mx(&p, 20, "mx2.d.example");
	add_mx(&p, 10, "mx1.d.example");
	ok(parse(&p, "d.example", DNS_MX) == 0 && ans.n == 2 &&
	    ans.rr[0].u.mx.pref == 20 && ans.rr[1].u.mx.pref == 10,
	    "MX records in answer order");
	is_str(ans.rr[1].u.mx.host, "mx1.d.example", "MX host");
	header(&p, 0x80, 1);
	question(&p, "null.example", DNS_MX);
	add_mx(&p, 0, "");
	ok(parse(&p, "null.example", DNS_MX) == 0 && ans.n == 1 &&
	    ans.rr[0].u.mx.pref == 0, "null MX parsed");
	is_str(ans.rr[0].u.mx.host, "", "null MX exchange is empty");

	/* MX whose exchange uses a compression pointer to the question */
	header(&p, 0x80, 1);
	question(&p, "c.example", DNS_MX);
	s = rr(&p, NULL, DNS_MX);
	put16(&p, 5);
	put8(&p, 3);
	memcpy(p.b + p.n, "mx1", 3);
	p.n += 3;
	put16(&p, 0xc00c);
	rr_end(&p, s);
	ok(parse(&p, "c.example", DNS_MX) == 0 && ans.n == 1,
	    "compressed exchange");
	is_str(ans.rr[0].u.mx.host, "mx1.c.example", "pointer expanded");

	/* TXT with several strings: joined without separator (RFC 7208 §3.3) */
	header(&p, 0x80, 1);
	question(&p, "t.example", DNS_TXT);
	s = rr(&p, NULL, DNS_TXT);
	put8(&p, 8);
	memcpy(p.b + p.n, "v=spf1 i", 8);
	p.n += 8;
	put8(&p, 0);
	put8(&p, 16);
	memcpy(p.b + p.n, "p4:192.0.2.1 -al", 16);
	p.n += 16;
	put8(&p, 1);
	put8(&p, 'l');
	rr_end(&p, s);
	ok(parse(&p, "t.example", DNS_TXT) == 0 && ans.n == 1,
	    "TXT record");
	is_str(ans.rr[0].u.txt.text, "v=spf1 ip4:192.0.2.1 -all",
	    "strings joined (an empty string included)");

	/* TLSA 3 1 1 */
	header(&p, 0xa0, 1);
	question(&p, "_25._tcp.mx.example", DNS_TLSA);
	s = rr(&p, NULL, DNS_TLSA);
	put8(&p, 3);
	put8(&p, 1);
	put8(&p, 1);
	for (int i = 0; i < 32; i++)
		put8(&p, (unsigned)i);
	rr_end(&p, s);
	ok(parse(&p, "_25._tcp.mx.example", DNS_TLSA) == 0 && ans.n == 1 &&
	    ans.rr[0].u.tlsa.usage == 3 && ans.rr[0].u.tlsa.selector == 1 &&
	    ans.rr[0].u.tlsa.mtype == 1 && ans.rr[0].u.tlsa.len == 32 &&
	    ans.rr[0].u.tlsa.data[31] == 31, "TLSA 3 1 1 with 32 bytes");

	/* PTR */
	header(&p, 0x80, 1);
	question(&p, "1.2.0.192.in-addr.arpa", DNS_PTR);
	s = rr(&p, NULL, DNS_PTR);
	putname(&p, "host.example");
	rr_end(&p, s);
	ok(parse(&p, "1.2.0.192.in-addr.arpa", DNS_PTR) == 0 && ans.n == 1,
	    "PTR");
	is_str(ans.rr[0].u.name, "host.example", "PTR target");
}

static void
test_hostile(void)
{
	struct pkt p, good;
	size_t s, cut;

	/* every truncation of a good packet is rejected, never read past */
	header(&good, 0x80, 2);
	question(&good, "d.example", DNS_MX);
	add_mx(&good, 10, "mx1.d.example");
	add_mx(&good, 20, "mx2.d.example");
	int all = 1;
	for (cut = 0; cut < good.n; cut++) {
		p = good;
		p.n = cut;
		if (parse(&p, "d.example", DNS_MX) == 0 ||
		    ans.status != DNS_BADANSWER)
			all = 0;
	}
	ok(all, "every truncation of an MX answer is a bad answer");

	header(&p, 0x80, 1);
	question(&p, "x.example", DNS_A);
	s = rr(&p, NULL, DNS_A);
	put32(&p, 0);
	put8(&p, 9);
	rr_end(&p, s);
	ok(parse(&p, "x.example", DNS_A) < 0, "A with 5 bytes of RDATA");

	header(&p, 0x80, 1);
	question(&p, "x.example", DNS_A);
	s = rr(&p, NULL, DNS_A);
	put32(&p, 0);
	rr_end(&p, s);
	p.b[s - 1] = 200;	/* rdlen past the end */
	ok(parse(&p, "x.example", DNS_A) < 0, "RDATA length past the end");

	/* a name that points at itself */
	header(&p, 0x80, 1);
	question(&p, "x.example", DNS_A);
	s = p.n;
	put16(&p, 0xc000 | (unsigned)s);
	put16(&p, DNS_A);
	put16(&p, 1);
	put32(&p, 1);
	put16(&p, 4);
	put32(&p, 0);
	ok(parse(&p, "x.example", DNS_A) < 0, "compression loop");

	/* TXT string longer than its RDATA */
	header(&p, 0x80, 1);
	question(&p, "x.example", DNS_TXT);
	s = rr(&p, NULL, DNS_TXT);
	put8(&p, 50);
	put8(&p, 'a');
	rr_end(&p, s);
	ok(parse(&p, "x.example", DNS_TXT) < 0, "TXT string past its RDATA");

	/* MX exchange running past RDATA into the next record */
	header(&p, 0x80, 2);
	question(&p, "x.example", DNS_MX);
	s = rr(&p, NULL, DNS_MX);
	put16(&p, 10);
	put8(&p, 3);
	memcpy(p.b + p.n, "abc", 3);
	p.n += 3;
	rr_end(&p, s);		/* no terminating label inside RDATA */
	add_a(&p, NULL, "192.0.2.1");
	ok(parse(&p, "x.example", DNS_MX) < 0, "MX exchange past RDATA");

	header(&p, 0x80, 1);
	question(&p, "x.example", DNS_TLSA);
	s = rr(&p, NULL, DNS_TLSA);
	put8(&p, 3);
	put8(&p, 1);
	rr_end(&p, s);
	ok(parse(&p, "x.example", DNS_TLSA) < 0, "TLSA shorter than 3 bytes");

	header(&p, 0x80, 0);
	p.b[2] = 0x01;		/* QR clear: a query, not an answer */
	question(&p, "x.example", DNS_A);
	ok(parse(&p, "x.example", DNS_A) < 0, "a query is not an answer");

	header(&p, 0x80, 60000);
	question(&p, "x.example", DNS_A);
	ok(parse(&p, "x.example", DNS_A) < 0, "absurd answer count");

	ok(dns_answer_parse(p.b, 5, "x", DNS_A, &ans) < 0, "5-byte packet");
}

static void
test_names(void)
{
	char out[300], err[128], long_name[400];
	static const struct { const char *in, *out; } good[] = {
		{ "Example.COM", "example.com" },
		{ "example.com.", "example.com" },
		{ "b\xc3\xbc" "cher.dom.test", "xn--bcher-kva.dom.test" },
		{ "_25._tcp.mx.example", "_25._tcp.mx.example" },
		{ "localhost", "localhost" },
		{ "a-b.example", "a-b.example" },
	};
	static const char *const bad[] = {
		"", ".", "a..b", ".a", "a b", "a\tb", "a\r\nb", "-a.example",
		"a-.example", "a/b", "a|b", "a@b", "exa mple.com",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const char *want = good[i].out;
		int rc;

		out[0] = '\0';
		rc = dns_name_normalize(good[i].in, out, sizeof(out), err,
		    sizeof(err));
		ok(rc == 0, "good name %zu accepted", i);
		is_str(out, want, "good name %zu normalised", i);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(dns_name_normalize(bad[i], out, sizeof(out), err,
		    sizeof(err)) < 0 && err[0] != '\0', "bad name %zu rejected "
		    "(%s)", i, err);
	memset(long_name, 'a', 64);
	strcpy(long_name + 64, ".example");
	ok(dns_name_normalize(long_name, out, sizeof(out), err,
	    sizeof(err)) < 0 && strstr(err, "63") != NULL, "label of 64");
	for (i = 0; i < 254; i++)
		long_name[i] = (i % 2) ? '.' : 'a';
	long_name[253] = 'a';
	long_name[254] = '\0';
	ok(dns_name_normalize(long_name, out, sizeof(out), err,
	    sizeof(err)) < 0 && strstr(err, "253") != NULL, "name of 254");
	long_name[253] = '\0';
	ok(dns_name_normalize(long_name, out, sizeof(out), err,
	    sizeof(err)) == 0, "name of 253 accepted");
}

static void
test_reverse_and_servers(void)
{
	char out[128], err[128];
	unsigned char v4[4], v6[16];
	static const char *const good[] = {
		"127.0.0.1", "127.0.53.53:53", "::1", "[::1]", "[::1]:5353",
		"2001:db8::1", "192.0.2.1:65535",
	};
	static const char *const bad[] = {
		"", "localhost", "127.0.0.1:0", "127.0.0.1:65536", "1.2.3",
		"[::1", "[::1]x", "::1:53:zz", "127.0.0.1:", "1.2.3.4:5x",
		"[127.0.0.1]:53",
	};
	size_t i;

	inet_pton(AF_INET, "192.0.2.99", v4);
	ok(dns_name_reverse(AF_INET, v4, "zen.example", out, sizeof(out)) ==
	    0, "IPv4 reverse");
	is_str(out, "99.2.0.192.zen.example", "RFC 5782 §2.1 form");
	inet_pton(AF_INET6, "2001:db8:1:2:3:4:567:89ab", v6);
	ok(dns_name_reverse(AF_INET6, v6, "bl.example", out, sizeof(out)) ==
	    0, "IPv6 reverse");
	is_str(out, "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0"
	    ".1.0.0.2.bl.example", "RFC 5782 §2.4 form");
	ok(dns_name_reverse(AF_INET, v4, NULL, out, sizeof(out)) == 0,
	    "no suffix");
	is_str(out, "99.2.0.192", "bare reversed octets");
	ok(dns_name_reverse(AF_INET6, v6, "x", out, 40) < 0, "small buffer");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(addr_server_check(good[i], err, sizeof(err)) == 0,
		    "server '%s' accepted", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(addr_server_check(bad[i], err, sizeof(err)) < 0,
		    "server '%s' rejected", bad[i]);
}

int
main(void)
{
	test_answers();
	test_hostile();
	test_names();
	test_reverse_and_servers();
	dns_answer_release(&ans);
	return tap_done();
}
