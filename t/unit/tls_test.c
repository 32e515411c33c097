/*
 * tls_test - the DANE matcher of net/tls_dane on a fixed chain: a test CA and
 * a leaf for mx.example.test it signed (ECDSA P-256, valid for a century,
 * made with certtool for this test).  The expected digests were computed
 * outside this code (openssl dgst over the DER and the SPKI).
 */
#include <config.h>

#include "tap.h"
#include "net/tls_dane.h"

#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>

static const char ca_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBdDCCARqgAwIBAgIUF+B/g/GcP+iN+NQBnCkj3InqdxUwCgYIKoZIzj0EAwIw\n"
    "FzEVMBMGA1UEAxMMREFORSB0ZXN0IENBMCAXDTI2MTEyNzIyMTgzNFoYDzIxMjYx\n"
    "MTAzMjIxODM0WjAXMRUwEwYDVQQDEwxEQU5FIHRlc3QgQ0EwWTATBgcqhkjOPQIB\n"
    "BggqhkjOPQMBBwNCAARnglWv1zPLM9dzt9yW0WdCeGYi3WrL+axou5N2MRV2r3OI\n"
    "tZQuYBL9KjEfjLQgKZDuEg/I0FSH05JWJc6Ix35Bo0IwQDAPBgNVHRMBAf8EBTAD\n"
    "AQH/MA4GA1UdDwEB/wQEAwICBDAdBgNVHQ4EFgQUQ/wboFazuKw1THu8eLKsDPDs\n"
    "erUwCgYIKoZIzj0EAwIDSAAwRQIgaXojA9I9qe5Zfb+ICxpvn77WMQb3jaHRw47S\n"
    "ACbduCwCIQCASEd7DQFIEtTDeIuKJvaZLX4tuUldsziANC3CMoWizg==\n"
    "-----END CERTIFICATE-----\n"
    ;
static const char leaf_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIByTCCAW6gAwIBAgIUQlmUN45o/81ltDbWiRuwnmGEF2QwCgYIKoZIzj0EAwIw\n"
    "FzEVMBMGA1UEAxMMREFORSB0ZXN0IENBMCAXDTI2MTEyNzIyMTgzNFoYDzIxMjYx\n"
    "MTAzMjIxODM0WjAaMRgwFgYDVQQDEw9teC5leGFtcGxlLnRlc3QwWTATBgcqhkjO\n"
    "PQIBBggqhkjOPQMBBwNCAASgZ/xzruWALE6jfxsFy8x2Nv8Q8ORLiPGA1TQ1tAsT\n"
    "xyD/TjzUMVqL/iL+5ZSMIdtRfob0mt3xaeC+Wvuud28Do4GSMIGPMAwGA1UdEwEB\n"
    "/wQCMAAwGgYDVR0RBBMwEYIPbXguZXhhbXBsZS50ZXN0MBMGA1UdJQQMMAoGCCsG\n"
    "AQUFBwMBMA4GA1UdDwEB/wQEAwIHgDAdBgNVHQ4EFgQUo/IQ0YGKL3A1741lLm+b\n"
    "Ew/J8nMwHwYDVR0jBBgwFoAUQ/wboFazuKw1THu8eLKsDPDserUwCgYIKoZIzj0E\n"
    "AwIDSQAwRgIhAIpGjMBD1viTsX6OKUTSLYl96vi4mUC4Usq1vX/7YxpDAiEAwzdc\n"
    "Gq8HDJW/Cnfmd+tJLcfB5Ye8rvdfyiot0z+x4MI=\n"
    "-----END CERTIFICATE-----\n"
    ;

static const char leaf_spki_hex[] =
    "3059301306072a8648ce3d020106082a8648ce3d03010703420004a067fc73aee580"
    "2c4ea37f1b05cbcc7636ff10f0e44b88f180d53435b40b13c720ff4e3cd4315a8bfe"
    "22fee5948c21db517e86f49addf169e0be5afbae776f03";
static const char ca_spki_hex[] =
    "3059301306072a8648ce3d020106082a8648ce3d03010703420004678255afd733cb"
    "33d773b7dc96d16742786622dd6acbf9ac68bb9376311576af7388b5942e6012fd2a"
    "311f8cb4202990ee120fc8d05487d3925625ce88c77e41";
#define LEAF_DER_256 \
    "c1d041ba6ada93c06b062a9fcb3b07f7f386304768a2e6375688b25b78b1efb3"
#define LEAF_DER_512 \
    "9a0b0b59007b6cd137e5c30732c7e3a5888d80402a93b76301acb9b71506d32d" \
    "32ccdad7597bb606ffe588f0f01956cbea4cd901587279e1ea3de9ffc059ba20"
#define LEAF_SPKI_256 \
    "658a9f21976e53083d5685cc8055d12775de5a286ac6e01051fbbc7c4a5b8d88"
#define LEAF_SPKI_512 \
    "6741f7fc6bda15381c0e1a9eaacd08829285d0d2da33f5aaa9627f0b20ee80c9" \
    "7130d3252fc5184eb1777328db3920f2ac7c78a35abc9d2fe8c38f2b2bb4d13f"
#define CA_DER_256 \
    "4fc3f90d3a5f999ebca2985d2452119ec9d376f11dcec434ce0dfee0faa16c76"
#define CA_SPKI_256 \
    "a810c631b34b4fb474892dfd04744fb1f445eb87fed4255689285ab9abce0721"

/* data: hex, or "LEAF"/"CA" (the DER certificate), "LEAFKEY"/"CAKEY"
 * (its SPKI) */
struct rec { unsigned u, s, m; const char *data; };

static const struct {
	const char *what;
	struct rec r[2];
	size_t nr;
	int chain;		/* 1: leaf only, 2: leaf + CA, 0: none */
	const char *name;
	int matched;		/* record index, or -1 */
	const char *text;	/* start of out.text */
} cases[] = {
	{ "3 0 0 leaf certificate", { { 3, 0, 0, "LEAF" } }, 1, 2,
	  "mx.example.test", 0, "TLSA 3 0 0 matched" },
	{ "3 0 1", { { 3, 0, 1, LEAF_DER_256 } }, 1, 2,
	  "mx.example.test", 0, "TLSA 3 0 1 matched" },
	{ "3 0 2", { { 3, 0, 2, LEAF_DER_512 } }, 1, 2,
	  "mx.example.test", 0, "TLSA 3 0 2 matched" },
	{ "3 1 0 leaf key", { { 3, 1, 0, "LEAFKEY" } }, 1, 2,
	  "mx.example.test", 0, "TLSA 3 1 0 matched" },
	{ "3 1 1", { { 3, 1, 1, LEAF_SPKI_256 } }, 1, 1,
	  "mx.example.test", 0, "TLSA 3 1 1 matched" },
	{ "3 1 2", { { 3, 1, 2, LEAF_SPKI_512 } }, 1, 2,
	  "mx.example.test", 0, "TLSA 3 1 2 matched" },
	{ "3 1 1 ignores the name (RFC 7672 3.1.1)",
	  { { 3, 1, 1, LEAF_SPKI_256 } }, 1, 1, "other.test", 0,
	  "TLSA 3 1 1 matched" },
	{ "3 1 1 wrong digest",
	  { { 3, 1, 1, "758a9f21976e53083d5685cc8055d12775de5a286ac6e010"
	      "51fbbc7c4a5b8d88" } }, 1, 2, "mx.example.test", -1,
	  "no TLSA record matches the certificate (3 1 1)" },
	{ "3 1 1 digest one octet short",
	  { { 3, 1, 1, "658a9f21976e53083d5685cc8055d12775de5a286ac6e010"
	      "51fbbc7c4a5b8d" } }, 1, 2, "mx.example.test", -1,
	  "no usable TLSA record" },
	{ "3 1 1 digest one octet long",
	  { { 3, 1, 1, LEAF_SPKI_256 "00" } }, 1, 2, "mx.example.test", -1,
	  "no usable TLSA record" },
	{ "3 1 3 unknown matching type", { { 3, 1, 3, LEAF_SPKI_256 } }, 1,
	  2, "mx.example.test", -1, "no usable TLSA record" },
	{ "3 2 1 unknown selector", { { 3, 2, 1, LEAF_SPKI_256 } }, 1, 2,
	  "mx.example.test", -1, "no usable TLSA record" },
	{ "1 1 1 PKIX-EE is unusable for SMTP",
	  { { 1, 1, 1, LEAF_SPKI_256 } }, 1, 2, "mx.example.test", -1,
	  "no usable TLSA record" },
	{ "3 1 1 of the CA does not match the leaf",
	  { { 3, 1, 1, CA_SPKI_256 } }, 1, 2, "mx.example.test", -1,
	  "no TLSA record matches the certificate (3 1 1)" },
	{ "wrong record first, matching second",
	  { { 3, 1, 1, CA_SPKI_256 }, { 3, 0, 1, LEAF_DER_256 } }, 2, 2,
	  "mx.example.test", 1, "TLSA 3 0 1 matched" },
	{ "2 1 1 CA key in the chain", { { 2, 1, 1, CA_SPKI_256 } }, 1, 2,
	  "mx.example.test", 0,
	  "TLSA 2 1 1 matched, chain verified for mx.example.test" },
	{ "2 0 1 CA certificate in the chain", { { 2, 0, 1, CA_DER_256 } },
	  1, 2, "mx.example.test", 0, "TLSA 2 0 1 matched" },
	{ "2 1 1 with the wrong name (RFC 7672 3.2.2)",
	  { { 2, 1, 1, CA_SPKI_256 } }, 1, 2, "other.example.test", -1,
	  "TLSA 2 1 1 matched a chain certificate, but the chain does not "
	  "verify for other.example.test" },
	{ "2 1 1 of the leaf: a TA is above the leaf",
	  { { 2, 1, 1, LEAF_SPKI_256 } }, 1, 2, "mx.example.test", -1,
	  "no TLSA record matches the certificate (2 1 1)" },
	{ "2 1 1 CA not sent by the server", { { 2, 1, 1, CA_SPKI_256 } },
	  1, 1, "mx.example.test", -1,
	  "no TLSA record matches the certificate (2 1 1)" },
	{ "2 0 0 CA certificate carried in the record",
	  { { 2, 0, 0, "CA" } }, 1, 1, "mx.example.test", 0,
	  "TLSA 2 0 0 matched" },
	{ "2 1 0 key outside the chain: not supported",
	  { { 2, 1, 0, "CAKEY" } }, 1, 1, "mx.example.test", -1,
	  "no TLSA record matches the certificate (2 1 0); a 2 1 0 key "
	  "outside the chain is not supported" },
	{ "no certificate", { { 3, 1, 1, LEAF_SPKI_256 } }, 1, 0,
	  "mx.example.test", -1, "no certificate from the server" },
};

static size_t
unhex(const char *hex, unsigned char *out, size_t outsize)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < outsize) {
		unsigned v;

		if (sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

static gnutls_datum_t
der_of(const char *pem)
{
	gnutls_datum_t in = { (unsigned char *)pem, (unsigned)strlen(pem) };
	gnutls_datum_t out = { NULL, 0 };

	if (gnutls_pem_base64_decode2("CERTIFICATE", &in, &out) < 0)
		out.size = 0;
	return out;
}

int
main(void)
{
	gnutls_datum_t leaf = der_of(leaf_pem), ca = der_of(ca_pem);
	unsigned char leafkey[128], cakey[128], buf[2][1024];
	size_t nleafkey = unhex(leaf_spki_hex, leafkey, sizeof(leafkey));
	size_t ncakey = unhex(ca_spki_hex, cakey, sizeof(cakey));
	size_t i, k;

	ok(leaf.size > 0 && ca.size > 0, "test certificates decode");
	is_int(nleafkey, 91, "leaf SPKI");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *der[2] = { leaf.data, ca.data };
		size_t len[2] = { leaf.size, ca.size };
		struct tls_tlsa recs[2];
		struct tls_dane out;

		for (k = 0; k < cases[i].nr; k++) {
			const struct rec *r = &cases[i].r[k];

			recs[k].usage = (unsigned char)r->u;
			recs[k].selector = (unsigned char)r->s;
			recs[k].mtype = (unsigned char)r->m;
			if (strcmp(r->data, "LEAF") == 0) {
				recs[k].data = leaf.data;
				recs[k].len = leaf.size;
			} else if (strcmp(r->data, "CA") == 0) {
				recs[k].data = ca.data;
				recs[k].len = ca.size;
			} else if (strcmp(r->data, "LEAFKEY") == 0) {
				recs[k].data = leafkey;
				recs[k].len = nleafkey;
			} else if (strcmp(r->data, "CAKEY") == 0) {
				recs[k].data = cakey;
				recs[k].len = ncakey;
			} else {
				recs[k].data = buf[k];
				recs[k].len = unhex(r->data, buf[k],
				    sizeof(buf[k]));
			}
		}
		tls_dane_match(der, len, (size_t)cases[i].chain, recs,
		    cases[i].nr, cases[i].name, &out);
		is_int(out.record, cases[i].matched, "%s: record",
		    cases[i].what);
		ok(out.matched == (cases[i].matched >= 0), "%s: matched",
		    cases[i].what);
		ok(strncmp(out.text, cases[i].text, strlen(cases[i].text)) == 0,
		    "%s: text", cases[i].what);
		if (strncmp(out.text, cases[i].text, strlen(cases[i].text)))
			printf("#   got '%s'\n", out.text);
	}
	{
		static const struct {
			unsigned u, s, m;
			size_t len;
			const char *why;
		} u[] = {
			{ 3, 1, 1, 32, NULL }, { 2, 0, 2, 64, NULL },
			{ 3, 0, 0, 1, NULL }, { 3, 0, 0, 0, "empty" },
			{ 0, 1, 1, 32, "usage 0" }, { 1, 1, 1, 32, "usage 1" },
			{ 4, 1, 1, 32, "unknown usage" },
			{ 3, 2, 1, 32, "unknown selector" },
			{ 3, 1, 1, 31, "SHA-256" }, { 3, 1, 2, 32, "SHA-512" },
			{ 3, 1, 255, 32, "unknown matching type" },
		};
		static const unsigned char zero[64];

		for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			struct tls_tlsa r = { (unsigned char)u[i].u,
			    (unsigned char)u[i].s, (unsigned char)u[i].m, zero,
			    u[i].len };
			const char *why = tls_dane_unusable(&r);

			ok(u[i].why == NULL ? why == NULL : why != NULL &&
			    strstr(why, u[i].why) != NULL,
			    "usable(%u %u %u, %zu octets): %s", u[i].u, u[i].s,
			    u[i].m, u[i].len, why ? why : "usable");
		}
	}
	{
		/* the "secure" rule on one certificate name, with its
		 * length as the certificate holds it */
		static const struct {
			const char *name;
			size_t len;
			const char *domain;
			bool in;
		} d[] = {
			{ "example.org", 11, "example.org", true },
			{ "MX.Example.org", 14, "example.org", true },
			{ "*.example.org", 13, "example.org", true },
			{ "*.mx.example.org", 16, "example.org", true },
			{ "badexample.org", 14, "example.org", false },
			{ "example.org.evil.test", 21, "example.org", false },
			{ "", 0, "example.org", false },
			/* an embedded NUL: cut there, the name would match */
			{ "mx.example.org\0.evil.test", 25, "example.org",
			    false },
			{ "example.org\0", 12, "example.org", false },
			{ "*.example.org\0.evil.test", 24, "example.org", false },
		};

		for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
			is_int(tls_dnsname_in_domain(d[i].name, d[i].len,
			    d[i].domain), d[i].in, "name %zu (%zu octets) in "
			    "%s", i, d[i].len, d[i].domain);
	}
	gnutls_free(leaf.data);
	gnutls_free(ca.data);
	return tap_done();
}
