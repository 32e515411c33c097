/*
 * text - making network text safe to print, and strict number parsing.
 *
 * Anything read from the network is data.  text_sanitize() turns it into
 * one printable line: control characters and bytes >= 0x7f become \xNN,
 * '|' (which would start perfdata) becomes '/', and the result is capped,
 * ending in "..." when cut.  The caller owns both buffers.
 *
 * The parsers accept the whole string or nothing: no leading blanks, no
 * trailing garbage, no octal, no overflow, no empty string.  They return 0
 * on success and -1 on any failure, leaving *out untouched.
 */
#ifndef MAILPATH_TEXT_H
#define MAILPATH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Longest sanitised text that reaches plugin output, before the cap mark. */
#define TEXT_MAX_LINE 200

/*
 * Sanitise srclen bytes of src into dst (dstsize > 0), keeping at most
 * max printable characters of the input (0 = TEXT_MAX_LINE).  Returns the
 * length written.  Always NUL-terminates.
 */
size_t text_sanitize(char *dst, size_t dstsize, const char *src,
    size_t srclen, size_t max);

int text_parse_long(const char *s, long min, long max, long *out);
/* The same for the len bytes at s (a field inside a longer string). */
int text_parse_longn(const char *s, size_t len, long min, long max,
    long *out);
int text_parse_double(const char *s, double min, double max, double *out);
/* A duration in seconds: a non-negative decimal number ("10", "2.5"). */
int text_parse_seconds(const char *s, double max, double *out);

/* ASCII-only helpers that never depend on the locale. */
bool text_is_space(int c);
int text_casecmp(const char *a, const char *b);
int text_ncasecmp(const char *a, const char *b, size_t n);
/* Copy at most dstsize-1 bytes; returns -1 if src did not fit. */
int text_copy(char *dst, size_t dstsize, const char *src);
/* Report text into dst, cut at its end (not for protocol buffers, whose
 * overflow is an error); returns -1 if it was cut. */
int text_format(char *dst, size_t dstsize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
