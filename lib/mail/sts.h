/*
 * sts - the texts of MTA-STS (RFC 8461) and TLS-RPT (RFC 8460), parsed by
 * pure functions: the _mta-sts TXT record (§3.1), the policy file (§3.2),
 * the mx patterns of §4.1 and the _smtp._tls TXT record (RFC 8460 §3).
 * Everything parsed here came from the network: lengths are explicit,
 * nothing is trusted to be NUL-free or printable, and a rejection names
 * the first fault in err (sanitised text, safe to print).
 *
 * Ownership: results live in caller storage (fixed arrays, no heap).
 * Functions return 0 (valid) or -1 (invalid, err says why).
 */
#ifndef MAILPATH_STS_H
#define MAILPATH_STS_H

#include <stdbool.h>
#include <stddef.h>

#define STS_ID_MAX 33		/* §3.1: 1-32 alphanumerics + NUL */
#define STS_MAX_MX 32		/* mx patterns kept from one policy */
#define STS_PATTERN_MAX 256	/* "*." + 253 octets + NUL */
#define STS_MAX_AGE_MAX 31557600L	/* §3.2: about a year */
#define STS_MAX_RUA 8		/* rua URIs kept from one record */
#define STS_URI_MAX 256

enum sts_mode { STS_MODE_NONE, STS_MODE_TESTING, STS_MODE_ENFORCE };

struct sts_policy {
	enum sts_mode mode;
	long max_age;		/* seconds */
	size_t nmx;
	char mx[STS_MAX_MX][STS_PATTERN_MAX];	/* lower case */
};

struct sts_tlsrpt {
	size_t nrua;		/* mailto: and https: URIs */
	char rua[STS_MAX_RUA][STS_URI_MAX];
	size_t nignored;	/* URIs of other schemes (not reported to) */
};

/* Does this TXT record claim to be MTA-STS ("v=STSv1" then ";" or end)?
 * §3.1: records that do not are discarded before counting. */
bool sts_txt_is_sts(const char *txt, size_t len);
/* One _mta-sts record: v=STSv1 first, an id of 1-32 alphanumerics. */
int sts_txt_parse(const char *txt, size_t len, char id[STS_ID_MAX],
    char *err, size_t errlen);

/* The policy file (CRLF or LF lines): version, mode, max_age, mx. */
int sts_policy_parse(const char *text, size_t len, struct sts_policy *out,
    char *err, size_t errlen);
const char *sts_mode_name(enum sts_mode m);

/* §4.1: host (A-label, final dot optional) against one pattern, where
 * "*." stands for exactly one left-most label. */
bool sts_pattern_match(const char *pattern, const char *host);
/* Does host match any mx pattern of the policy? */
bool sts_policy_match(const struct sts_policy *p, const char *host);

/* RFC 8460 §3: "v=TLSRPTv1" then ";" or end. */
bool sts_tlsrpt_is_tlsrpt(const char *txt, size_t len);
/* One _smtp._tls record: rua= with at least one mailto: or https: URI. */
int sts_tlsrpt_parse(const char *txt, size_t len, struct sts_tlsrpt *out,
    char *err, size_t errlen);

#endif
