/*
 * lib/mail dkim and dmarc: the record parsers of --auth, as tables.  The
 * RSA keys are public halves made with openssl for these tests (512,
 * 1024 and 2048 bits, SubjectPublicKeyInfo and RSAPublicKey).
 */
#include <config.h>

#include "mail/dkim.h"
#include "mail/dmarc.h"
#include "tap.h"

#include <string.h>

#define K512 \
	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAOv1Ex6X/adIjr2PrO5sAh6wqIUieASR" \
	"KhDgDGQPDP2j0XhUh0Ca16CCBXkhcObYdM5H7GI4Uboq/f3aUkY1p7MCAwEAAQ=="
#define K1024 \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDRM3UIReH50BH2qd0JGqanJonZ" \
	"VIPoXaeiMX85CRGws0tyudyRgrRvVQxkdBnLOcU8ZscVH/EZVmwohjAjccx1ZFQq" \
	"34ZhBVhcmvkKydmFySDpyFA9KmiZX6PrsD1t+J1pQHBtAou/w2BbzsVWxJ67hDYP" \
	"jZadV/fWhedC0hgiWQIDAQAB"
#define K2048 \
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw5Ti/rlcdWZSWinAiXGw" \
	"vrEXKOHwxRRrTSn5W2rOQ0QTFq6S+HQkvbBhLCI/coY/6tkq4QKf0nQBcIYtl5In" \
	"u4HNC9uwmM0t1R8T7Kmfh2hh8+Ihz5JGFGqslhtV2yDHJo/joa5N9vNDQW+F+tZT" \
	"7XOjUh7/blYo9i2cMHM10DGOvZMItuGg2hwJYcvDegNdIJ4cPXjEBYVXE/vqufsb" \
	"7ynOBIXxbftfIYrYgksOlJlmDc+98AhYeYS7/DnmAM9O7UVJ9iLId4WGGsQj+YhY" \
	"N2d7qIaWD7wl/td+GWaP02iz4jDbZ4VczTasqUQ1xTGsUtYRCooPR3t5Z13EOdIC" \
	"mwIDAQAB"
#define R1024 \
	"MIGJAoGBANEzdQhF4fnQEfap3QkapqcmidlUg+hdp6IxfzkJEbCzS3K53JGCtG9V" \
	"DGR0Gcs5xTxmxxUf8RlWbCiGMCNxzHVkVCrfhmEFWFya+QrJ2YXJIOnIUD0qaJlf" \
	"o+uwPW34nWlAcG0Ci7/DYFvOxVbEnruENg+Nlp1X99aF50LSGCJZAgMBAAE="
#define ED "kvG+PR0g8Kx+p38rMkHWZUY2YCnGRZtaoqn8d8vQefA="

struct dkim_case {
	const char *text;
	int rc;
	enum dkim_key_type type;
	unsigned bits;
	bool revoked, testing;
};

static const struct dkim_case dkims[] = {
	{ "v=DKIM1; k=rsa; p=" K2048, 0, DKIM_RSA, 2048, false, false },
	{ "v=DKIM1; p=" K1024, 0, DKIM_RSA, 1024, false, false },
	{ "p=" K512, 0, DKIM_RSA, 512, false, false },
	{ "v=DKIM1;k=rsa;p=" R1024 ";", 0, DKIM_RSA, 1024, false, false },
	{ "v=DKIM1; k=rsa; t=y; p=" K1024, 0, DKIM_RSA, 1024, false, true },
	{ "v=DKIM1; t=s:y; p=" K1024, 0, DKIM_RSA, 1024, false, true },
	{ "v=DKIM1; t=s; p=" K1024, 0, DKIM_RSA, 1024, false, false },
	{ " v = DKIM1 ; h=sha256 ; p = MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ"
	    "DRM3UIReH50BH2qd0JGqanJonZVIPoXaeiMX85CRGws0tyudyRgrRvVQxkdBnLOcU8"
	    "ZscVH/EZVmwohjAjccx1ZFQq34ZhBVhcmvkKydmFySDpyFA9KmiZX6PrsD1t+J1pQH"
	    "BtAou/w2BbzsVWxJ67hDYPjZadV/fWhedC0hgiWQIDAQAB", 0, DKIM_RSA, 1024,
	    false, false },	/* FWS around names and values (§3.2) */
	{ "v=DKIM1; k=ed25519; p=" ED, 0, DKIM_ED25519, 256, false, false },
	{ "v=DKIM1; k=rsa; p=", 0, DKIM_RSA, 0, true, false },
	{ "v=DKIM1; p=   ", 0, DKIM_RSA, 0, true, false },
	{ "v=DKIM1; k=foo; p=AAAA", 0, DKIM_OTHER, 0, false, false },
	{ "v=DKIM1; k=rsa", -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM1; k=rsa; p=!!notbase64", -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM1; k=rsa; p=AAAA", -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM1; k=ed25519; p=" K512, -1, DKIM_ED25519, 0, false, false },
	{ "k=rsa; v=DKIM1; p=" K1024, -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM2; p=" K1024, -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM1; p=" K1024 "; p=" K1024, -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM1; garbage; p=" K1024, -1, DKIM_RSA, 0, false, false },
	{ "v=DKIM1; 1x=2; p=" K1024, -1, DKIM_RSA, 0, false, false },
	{ "", -1, DKIM_RSA, 0, false, false },
	{ "v=spf1 -all", -1, DKIM_RSA, 0, false, false },
};

struct dmarc_case {
	const char *text;
	int rc;
	enum dmarc_policy p, sp;
	int pct;
	bool assumed;
};

static const struct dmarc_case dmarcs[] = {
	{ "v=DMARC1; p=reject", 0, DMARC_P_REJECT, DMARC_P_REJECT, 100, false },
	{ "v=DMARC1; p=none; rua=mailto:d@auth.test", 0, DMARC_P_NONE,
	    DMARC_P_NONE, 100, false },
	{ "v=DMARC1;p=quarantine;sp=reject;pct=50;adkim=s;aspf=r;", 0,
	    DMARC_P_QUARANTINE, DMARC_P_REJECT, 50, false },
	{ "v=DMARC1; p=Reject; fo=1; x_future=yes", 0, DMARC_P_REJECT,
	    DMARC_P_REJECT, 100, false },
	{ "v=DMARC1; rua=mailto:d@auth.test", 0, DMARC_P_NONE, DMARC_P_NONE,
	    100, true },
	{ "v=DMARC1; p=maybe; rua=mailto:d@auth.test", 0, DMARC_P_NONE,
	    DMARC_P_NONE, 100, true },
	{ "v=DMARC1; p=maybe", -1, 0, 0, 0, false },
	{ "v=DMARC1", -1, 0, 0, 0, false },
	{ "v=DMARC1; p=reject; sp=bogus", -1, 0, 0, 0, false },
	{ "v=DMARC1; p=reject; pct=101", -1, 0, 0, 0, false },
	{ "v=DMARC1; p=reject; pct=x", -1, 0, 0, 0, false },
	{ "v=DMARC1; p=reject; adkim=x", -1, 0, 0, 0, false },
	{ "v=DMARC1; p=reject; rua=nowhere", -1, 0, 0, 0, false },
	{ "v=DMARC1; p=reject; p=none", -1, 0, 0, 0, false },
	{ "v=DMARC1; p reject", -1, 0, 0, 0, false },
	{ "p=reject; v=DMARC1", -1, 0, 0, 0, false },
	{ "v=DMARC2; p=reject", -1, 0, 0, 0, false },
	{ "v=dmarc1; p=reject", -1, 0, 0, 0, false },
	{ "", -1, 0, 0, 0, false },
};

struct b64_case {
	const char *in;
	long len;
	const char *out;
};

static const struct b64_case b64s[] = {
	{ "", 0, "" },
	{ "YQ==", 1, "a" },
	{ "YWI=", 2, "ab" },
	{ "YWJj", 3, "abc" },
	{ "YW Jj\tZA ==", 4, "abcd" },
	{ "YWJjZA", 4, "abcd" },
	{ "Y", -1, NULL },
	{ "YQ==YQ==", -1, NULL },
	{ "YQ===", -1, NULL },
	{ "Y!==", -1, NULL },
};

int
main(void)
{
	struct dkim_key k;
	struct dmarc_record d;
	unsigned char buf[64];
	char err[160], org[300];
	size_t i;

	for (i = 0; i < sizeof(dkims) / sizeof(dkims[0]); i++) {
		const struct dkim_case *c = &dkims[i];
		int rc = dkim_key_parse(c->text, strlen(c->text), &k, err,
		    sizeof(err));

		is_int(rc, c->rc, "dkim %zu: %.40s", i, c->text);
		if (rc != 0 || c->rc != 0)
			continue;
		is_int(k.type, c->type, "dkim %zu: key type", i);
		is_int(k.bits, c->bits, "dkim %zu: bits", i);
		ok(k.revoked == c->revoked, "dkim %zu: revoked", i);
		ok(k.testing == c->testing, "dkim %zu: testing", i);
	}
	/* a TXT string is not NUL-terminated: len bounds every read */
	ok(dkim_key_parse("p=YWJj", 2, &k, err, sizeof(err)) == 0 &&
	    k.revoked, "dkim: parse stops at len");
	for (i = 0; i < sizeof(dmarcs) / sizeof(dmarcs[0]); i++) {
		const struct dmarc_case *c = &dmarcs[i];
		int rc = dmarc_parse(c->text, strlen(c->text), &d, err,
		    sizeof(err));

		is_int(rc, c->rc, "dmarc %zu: %.40s", i, c->text);
		if (rc != 0 || c->rc != 0)
			continue;
		is_str(dmarc_policy_name(d.p), dmarc_policy_name(c->p),
		    "dmarc %zu: p", i);
		is_str(dmarc_policy_name(d.sp), dmarc_policy_name(c->sp),
		    "dmarc %zu: sp", i);
		is_int(d.pct, c->pct, "dmarc %zu: pct", i);
		ok(d.p_assumed == c->assumed, "dmarc %zu: p assumed", i);
	}
	ok(dmarc_is_record("v=DMARC1", 8), "v=DMARC1 alone is a record");
	ok(dmarc_is_record("v = DMARC1;p=none", 17), "blanks around =");
	ok(!dmarc_is_record("v=DMARC10", 9), "v=DMARC10 is not");
	ok(!dmarc_is_record("v=spf1 -all", 11), "SPF is not");
	for (i = 0; i < sizeof(b64s) / sizeof(b64s[0]); i++) {
		long n = dkim_base64_decode(b64s[i].in, strlen(b64s[i].in),
		    buf, sizeof(buf));

		is_int(n, b64s[i].len, "base64 %zu: '%s'", i, b64s[i].in);
		if (n > 0 && b64s[i].out != NULL)
			ok(memcmp(buf, b64s[i].out, (size_t)n) == 0,
			    "base64 %zu: octets", i);
	}
	ok(dkim_base64_decode("YWJjZA==", 8, buf, 3) == -1,
	    "base64: output bounded");
	/* the organizational domain: test. has no rule, so "*" applies */
	ok(dmarc_org_domain("sub.orgdmarc.test", org, sizeof(org)) == 0,
	    "org domain found");
	is_str(org, "orgdmarc.test", "org domain of sub.orgdmarc.test");
	ok(dmarc_org_domain("a.b.example.co.uk", org, sizeof(org)) == 0 &&
	    strcmp(org, "example.co.uk") == 0, "org domain under co.uk");
	return tap_done();
}
