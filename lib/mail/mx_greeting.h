/*
 * mx_greeting - what the greeting probes of mail/mx_probe found, read off
 * the caller's struct mx_probes (or one probe) at any time: the names of
 * the probe states, whether a host accepts, its quickest connect, the
 * greeting's text for output and the probes still running.  Pure reads:
 * no network, nothing allocated, nothing fails; text goes into a caller's
 * buffer, cut (never overrun) when it does not fit.
 */
#ifndef MAILPATH_MX_GREETING_H
#define MAILPATH_MX_GREETING_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/mx_probe.h"

/* "connecting", "accepting", "not accepting", "banner timeout", ... */
const char *mx_greeting_state_name(enum mx_probe_state st);
/* Some address of host s->hosts[host] answered 220. */
bool mx_greeting_accepting(const struct mx_probes *ps, size_t host);
/* The host's quickest connect in seconds, or -1 when none connected. */
double mx_greeting_best_connect(const struct mx_probes *ps, size_t host);
/* The greeting's enhanced code and text, sanitised for output. */
void mx_greeting_text(const struct mx_probe *pr, char *out, size_t size);
/* "connect of HOST [ADDR], banner of ...": the probes still running. */
size_t mx_greeting_pending(const struct mx_probes *ps, char *out, size_t size);

#endif
