#include <config.h>

#include "mail/dnsbl_verdict.h"

#include <stdio.h>
#include <string.h>

/* ---- classification ------------------------------------------------------ */

/* Why a code is an error, or NULL when it may be a listing. */
static const char *
dnsbl_error_code(const struct dnsbl_spec *s, uint32_t code)
{
	if ((code >> 24) != 127)
		return "an answer outside 127.0.0.0/8 (parked, expired or "
		    "hijacked zone)";
	if ((code & 0xffffff00u) == 0x7fffff00u) {
		/* Spamhaus and CBL style error block (dnsbl-notes §2) */
		switch (code & 255) {
		case 250:
			/* Spamhaus DQS: the key in the query name */
			return "the DQS key is invalid or not registered";
		case 252:
			return "typing error in the zone name";
		case 254:
			return "query refused: use your own resolver, not a "
			    "public or shared one";
		case 255:
			return "query refused: too many queries";
		default:
			return "the list's error block 127.255.255.0/24";
		}
	}
	if (code == 0x7f0001ffu)
		return "the list rejects this kind of query (an IP "
		    "sent to a domain list?)";
	if (code == 0x7f000001u &&
	    !(s->has_filter && dnsbl_spec_match(s, code)))
		/*
		 * RFC 5782 §5: 127.0.0.1 is never listed; URIBL and SURBL
		 * use it for "query blocked".  Only a filter naming it
		 * makes it a code.
		 */
		return "query blocked (RFC 5782 never lists 127.0.0.1)";
	return NULL;
}

void
dnsbl_verdict_classify(const struct dnsbl_spec *s, enum dns_status status,
    const uint32_t *codes, size_t ncodes, struct dnsbl_verdict *v)
{
	size_t i, nerr = 0, nlisted = 0;
	uint32_t errs[DNSBL_MAX_CODES], hits[DNSBL_MAX_CODES];
	const char *why = NULL;

	memset(v, 0, sizeof(*v));
	switch (status) {
	case DNS_NXDOMAIN:
	case DNS_NODATA:
		v->cls = DNSBL_CLEAN;
		return;
	case DNS_OK:
		break;
	case DNS_SERVFAIL:
		v->cls = DNSBL_FAILURE;
		v->why = "SERVFAIL";
		return;
	case DNS_REFUSED:
		v->cls = DNSBL_FAILURE;
		v->why = "REFUSED";
		return;
	case DNS_TIMEOUT:
		v->cls = DNSBL_FAILURE;
		v->why = "timeout";
		return;
	case DNS_BADANSWER:
		v->cls = DNSBL_FAILURE;
		v->why = "malformed answer";
		return;
	case DNS_UNREACHABLE:
		v->cls = DNSBL_FAILURE;
		v->why = "resolver unreachable";
		return;
	default:
		v->cls = DNSBL_FAILURE;
		v->why = "query not sent";
		return;
	}
	if (ncodes == 0) {
		v->cls = DNSBL_CLEAN;
		return;
	}
	if (ncodes > DNSBL_MAX_CODES)
		ncodes = DNSBL_MAX_CODES;
	for (i = 0; i < ncodes; i++) {
		const char *e = dnsbl_error_code(s, codes[i]);

		if (e != NULL) {
			if (why == NULL)
				why = e;
			errs[nerr++] = codes[i];
		} else if (dnsbl_spec_match(s, codes[i])) {
			hits[nlisted++] = codes[i];
		}
	}
	/* an error code in an answer voids the answer: never a listing */
	if (nerr > 0) {
		v->cls = DNSBL_LIST_ERROR;
		v->why = why;
		memcpy(v->codes, errs, nerr * sizeof(errs[0]));
		v->ncodes = nerr;
	} else if (nlisted > 0) {
		v->cls = DNSBL_LISTED;
		memcpy(v->codes, hits, nlisted * sizeof(hits[0]));
		v->ncodes = nlisted;
	} else {
		v->cls = DNSBL_UNMATCHED;
		memcpy(v->codes, codes, ncodes * sizeof(codes[0]));
		v->ncodes = ncodes;
	}
}

const char *
dnsbl_verdict_class_name(enum dnsbl_class c)
{
	static const char *const names[] = {
		"clean", "clean (no code passes the filter)", "listed",
		"list error", "DNS failure"
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ?
	    names[c] : "?";
}

/*
 * Code meanings of well-known lists, chosen by a label of the zone, so
 * mirrors and keyed zones (Spamhaus DQS: KEY.zen.dq.spamhaus.net) are
 * recognised too.  Facts: the lists' own documentation.
 */
struct dnsbl_meaning {
	const char *label;
	uint32_t code;
	const char *text;
};

static const struct dnsbl_meaning dnsbl_meanings[] = {
	{ "zen", 0x7f000002, "SBL" },
	{ "zen", 0x7f000003, "CSS" },
	{ "zen", 0x7f000004, "XBL" },
	{ "zen", 0x7f000009, "DROP" },
	{ "zen", 0x7f00000a, "PBL ISP" },
	{ "zen", 0x7f00000b, "PBL" },
	{ "zen", 0x7f00001e, "BCL" },
	{ "dbl", 0x7f000102, "spam domain" },
	{ "dbl", 0x7f000104, "phishing domain" },
	{ "dbl", 0x7f000105, "malware domain" },
	{ "dbl", 0x7f000106, "botnet C&C domain" },
	{ "dbl", 0x7f000166, "abused legit spam" },
	{ "dbl", 0x7f000167, "abused spammed redirector" },
	{ "dbl", 0x7f000168, "abused legit phish" },
	{ "dbl", 0x7f000169, "abused legit malware" },
	{ "dbl", 0x7f00016a, "abused legit botnet C&C" },
};

const char *
dnsbl_verdict_code_meaning(const char *zone, uint32_t code)
{
	size_t i;

	if (strstr(zone, "mailspike.net") != NULL) {
		switch (code) {
		case 0x7f000002: return "spam wave";
		case 0x7f00000a: return "reputation L5 (worst)";
		case 0x7f00000b: return "reputation L4";
		case 0x7f00000c: return "reputation L3";
		default: return NULL;
		}
	}
	for (i = 0; i < sizeof(dnsbl_meanings) / sizeof(dnsbl_meanings[0]);
	    i++)
		if (dnsbl_meanings[i].code == code &&
		    dnsbl_zone_has_label(zone, dnsbl_meanings[i].label))
			return dnsbl_meanings[i].text;
	return NULL;
}

void
dnsbl_verdict_code_text(uint32_t code, char *out, size_t outsize)
{
	snprintf(out, outsize, "%u.%u.%u.%u", (code >> 24) & 255,
	    (code >> 16) & 255, (code >> 8) & 255, code & 255);
}

void
dnsbl_verdict_codes_text(const char *zone, const uint32_t *codes, size_t n,
    char *out, size_t outsize)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used + 1 < outsize; i++) {
		char c[16];
		const char *m = dnsbl_verdict_code_meaning(zone, codes[i]);
		int w;

		dnsbl_verdict_code_text(codes[i], c, sizeof(c));
		w = snprintf(out + used, outsize - used, "%s%s%s%s",
		    i ? ", " : "", c, m ? " " : "", m ? m : "");
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ---- self-test ---------------------------------------------------------- */

bool
dnsbl_verdict_control_fails(enum dnsbl_control c, const char *qname,
    const char *zone, enum dns_status status, const uint32_t *codes,
    size_t ncodes, bool full, char *why, size_t whylen)
{
	/* any code counts: a control asks whether the list answers at all */
	static const struct dnsbl_spec any = { .kind = DNSBL_IP };
	bool positive = c == DNSBL_CTL_POS || c == DNSBL_CTL_POS6;
	struct dnsbl_verdict v;
	char text[128];

	dnsbl_verdict_classify(&any, status, codes, ncodes, &v);
	if (v.cls == DNSBL_FAILURE)
		return false;
	/* without the full test only the dead-zone case: the list errors
	 * of a live zone are shown on the real queries */
	if (!full && v.cls != DNSBL_CLEAN)
		return false;
	dnsbl_verdict_codes_text(zone, codes, ncodes, text, sizeof(text));
	if (positive && v.cls == DNSBL_CLEAN)
		snprintf(why, whylen, "control %s is not listed (%s): the zone "
		    "does not exist, is lame or lists nothing", qname,
		    dns_status_name(status));
	else if (positive && v.cls != DNSBL_LISTED)
		snprintf(why, whylen, "control %s is not listed (%s%s%s)",
		    qname, dnsbl_verdict_class_name(v.cls), text[0] ? " " : "",
		    text);
	else if (!positive && v.cls != DNSBL_CLEAN)
		snprintf(why, whylen, "control %s is listed (%s): the list "
		    "answers for everything", qname, text);
	else
		return false;
	return true;
}
