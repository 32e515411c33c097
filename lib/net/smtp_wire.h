/*
 * smtp_wire - what goes over the wire, without any I/O: the bounded SMTP
 * reply parser (RFC 5321 §4.2: three digits, the first 2-5, multi-line
 * replies with one code, enhanced status codes of RFC 3463), the check
 * of a reply against its command, and the envelope address checker
 * (nothing unchecked reaches a command).  The EHLO keywords are
 * net/smtp_caps.
 *
 * Pure functions on caller storage, unit-tested and fuzzed; errors come
 * back as text in the parser or a caller buffer.
 */
#ifndef MAILPATH_SMTP_WIRE_H
#define MAILPATH_SMTP_WIRE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * RFC 5321 §4.5.3.1.5 caps a reply line at 512 octets with CRLF but lets
 * extensions go past it; real servers do (long EHLO keywords, banners).
 * 1000, the §4.5.3.1.6 text-line limit, tolerates them and still stops a
 * never-ending line after one kilobyte.  A reply may have any number of
 * lines (Postfix reads a 100,000-line EHLO reply and delivers): memory
 * stays bounded because a reply keeps its first lines and its last one
 * and counts the rest; the caller's stage timeout ends a reply that never
 * ends.
 */
#define SMTP_LINE_MAX 1000
#define SMTP_REPLY_MAX 16384	/* the session's read buffer */
#define SMTP_TEXT_MAX 512	/* text kept per reply for the report */

struct smtp_reply {
	int code, first_code;	/* 200-599 of the last / first line; 0 none */
	bool mixed;		/* lines with different codes (§4.2.1) */
	char enh[16];		/* "5.1.1" (RFC 3463), of the last line */
	char enh_misfit[16];	/* one whose class is not the code's, or "" */
	char text[SMTP_TEXT_MAX]; /* lines after the code, joined by " / ":
				 * the first ones and the last one */
	size_t nlines, bytes;
	size_t keywords;	/* lines after the first with an EHLO keyword */
	char last[128];		/* internal: the last line's text, */
	size_t kept;		/* and the lines in text */
};

/* Incremental reply parser: feed it what was read, it says how far. */
struct smtp_parser {
	struct smtp_reply reply;
	bool started;
	char err[128];
};
enum smtp_parse { SMTP_PARSE_MORE, SMTP_PARSE_DONE, SMTP_PARSE_ERROR };
void smtp_wire_parser_reset(struct smtp_parser *ps);
/* Consumes whole lines only; *used says how many bytes. DONE: a complete
 * reply is in ps->reply; ERROR: ps->err says why. */
enum smtp_parse smtp_wire_parse(struct smtp_parser *ps, const char *data,
    size_t len, size_t *used);

/* The command a reply answers, for smtp_wire_reply_misfit(). */
enum smtp_verb { SMTP_V_GREETING, SMTP_V_EHLO, SMTP_V_HELO,
	SMTP_V_STARTTLS, SMTP_V_MAIL, SMTP_V_RCPT, SMTP_V_QUIT };
/*
 * True when a complete reply cannot belong to the command it answers
 * (RFC 5321 §4.3.2 codes, RFC 3463 enhanced codes): the server is out of
 * step, e.g. one reply behind.  why says which rule.
 */
bool smtp_wire_reply_misfit(enum smtp_verb v, const struct smtp_reply *r,
    char *why, size_t whylen);

/* An envelope address: "<>" (from only) or local@domain, RFC 5321 §4.1.2
 * syntax and §4.5.3.1 limits; the domain becomes A-labels.  out gets the
 * path for the command without brackets. */
int smtp_wire_address_check(const char *in, bool null_ok, char *out,
    size_t outsize, bool *utf8_local, char *err, size_t errlen);

#endif
