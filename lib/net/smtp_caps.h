/*
 * smtp_caps - the EHLO keyword parser, without any I/O: what a 250 reply
 * to EHLO offers (RFC 5321 §4.1.1.1: the first line greets, then one
 * keyword per line, each its own token, never a substring search), with
 * the SIZE argument (RFC 1870) when it is a number.
 *
 * Pure functions on caller storage, unit-tested and fuzzed; nothing
 * fails: a line that is no keyword of ours is skipped.
 */
#ifndef MAILPATH_SMTP_CAPS_H
#define MAILPATH_SMTP_CAPS_H

#include <stdbool.h>
#include <stddef.h>

struct smtp_caps {
	bool pipelining, starttls, smtputf8, eightbitmime, enhanced;
	bool has_size;
	unsigned long size;
};
/* The keywords of a 250 EHLO reply given as raw lines (CRLF kept). */
void smtp_caps_parse(const char *lines, size_t len, struct smtp_caps *c);
/* The same, one line at a time (lineno 0 is the greeting line). */
void smtp_caps_line(struct smtp_caps *c, const char *line, size_t len,
    size_t lineno);

#endif
