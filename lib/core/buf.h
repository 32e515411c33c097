/*
 * buf - a growable byte buffer with a hard maximum size.
 *
 * Every buffer that collects text from the network or builds output is
 * created with the most it may ever hold (STYLE.md practice 5): an append
 * past that maximum fails and leaves the buffer as it was, it never
 * truncates silently.  The contents are always NUL-terminated.
 *
 * Ownership: buf_init() works on caller storage; buf_release() frees the
 * heap block it grew and leaves an empty buffer.  Errors: -1 from an
 * append means "would exceed max" or "out of memory" (errno says which:
 * E2BIG or ENOMEM).
 */
#ifndef MAILPATH_BUF_H
#define MAILPATH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* NUL-terminated contents, never NULL after init */
	size_t len;	/* bytes held, without the NUL */
	size_t cap;	/* bytes allocated */
	size_t max;	/* hard limit on len */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_clear(struct buf *b);
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Remove the first n bytes (n <= len). */
void buf_consume(struct buf *b, size_t n);

#endif
