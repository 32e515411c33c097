/*
 * tls_io - the calls net/smtp makes on a TLS session after STARTTLS, as an
 * interface: net/tls implements it on GnuTLS (tls_io_gnutls), so net/smtp
 * itself links no TLS library and a run that never speaks TLS (a banner
 * probe) never loads one.  The session is whatever the caller's
 * tls_start() made; these calls never free it.
 *
 * I/O returns TLS_IO_* so the caller can wait on the loop for the right
 * direction.  CLOSED: close_notify received; TRUNCATED: the TCP stream
 * ended without one (what many servers do after their 221 to QUIT).
 */
#ifndef MAILPATH_TLS_IO_H
#define MAILPATH_TLS_IO_H

#include <stdbool.h>
#include <stddef.h>

struct tls;

enum tls_io { TLS_IO_DONE, TLS_IO_WANT_READ, TLS_IO_WANT_WRITE,
	TLS_IO_CLOSED, TLS_IO_TRUNCATED, TLS_IO_ERROR };

struct tls_io_ops {
	enum tls_io (*handshake)(struct tls *t);
	enum tls_io (*read)(struct tls *t, void *data, size_t len,
	    size_t *got);
	enum tls_io (*write)(struct tls *t, const void *data, size_t len,
	    size_t *sent);
	bool (*pending)(struct tls *t);		/* decrypted bytes wait */
	const char *(*error)(const struct tls *t);	/* the last error */
};

#endif
