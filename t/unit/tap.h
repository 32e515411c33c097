/*
 * tap.h - a few macros for unit tests that print TAP.  Header-only: each
 * test program is one file with a main() that ends in "return tap_done();".
 */
#ifndef MAILPATH_TAP_H
#define MAILPATH_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failures;

static inline int
tap_ok(int cond, const char *what, const char *file, int line)
{
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, what);
	if (!cond) {
		tap_failures++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

#define ok(cond, ...) do {                                              \
		char tap_msg_[512];                                     \
		snprintf(tap_msg_, sizeof(tap_msg_), __VA_ARGS__);      \
		tap_ok((cond) ? 1 : 0, tap_msg_, __FILE__, __LINE__);   \
	} while (0)

#define is_str(got, want, ...) do {                                     \
		const char *g_ = (got), *w_ = (want);                   \
		char tap_msg_[512];                                     \
		int c_ = (g_ != NULL && w_ != NULL) ? strcmp(g_, w_) == 0 \
		    : g_ == w_;                                         \
		snprintf(tap_msg_, sizeof(tap_msg_), __VA_ARGS__);      \
		if (!tap_ok(c_, tap_msg_, __FILE__, __LINE__))          \
			printf("#   got '%s'\n#   want '%s'\n",         \
			    g_ ? g_ : "(null)", w_ ? w_ : "(null)");    \
	} while (0)

#define is_int(got, want, ...) do {                                     \
		long long g_ = (long long)(got), w_ = (long long)(want);\
		char tap_msg_[512];                                     \
		snprintf(tap_msg_, sizeof(tap_msg_), __VA_ARGS__);      \
		if (!tap_ok(g_ == w_, tap_msg_, __FILE__, __LINE__))    \
			printf("#   got %lld, want %lld\n", g_, w_);    \
	} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

#endif
