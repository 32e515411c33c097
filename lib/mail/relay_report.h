/*
 * relay_report - the facts of a relay walk in the words of a report, for
 * the plugin to print: where an attempt went, what it was told, how far
 * it got, its TLS, its conversation, its stage times, and what was still
 * pending at the deadline.  Text into caller buffers (cut at their end;
 * network text is already sanitised by net/smtp); it prints nothing.
 */
#ifndef MAILPATH_RELAY_REPORT_H
#define MAILPATH_RELAY_REPORT_H

#include "mail/relay.h"

/* "MX mx.example.org[192.0.2.1]:25 (preference 10)" */
void relay_report_where(const struct relay_attempt *a, char *out,
    size_t outsize);
/* "said: 550 5.1.1 text (in reply to RCPT TO)", or the failure. */
void relay_report_said(const struct relay_attempt *a, char *out,
    size_t outsize);
/* The RCPT TO reply, its text cut at 60 octets: "250 2.1.5 Ok". */
void relay_report_rcpt(const struct relay_attempt *a, char *out,
    size_t outsize);
/* The stage it failed in, else the last command answered; "-". */
const char *relay_report_stage(const struct relay_attempt *a);
/* "; cipher; verification; certificate expires in N days", or "". */
void relay_report_tls(const struct relay_attempt *a, char *out,
    size_t outsize);
/* The transcript of the session (first_try: of the failed TLS try
 * before the plaintext retry), or NULL. */
const char *relay_report_transcript(const struct relay_attempt *a,
    bool first_try);
/* Why the TLS try failed (when it was retried in plaintext). */
const char *relay_report_tls_error(const struct relay_attempt *a);
/* Plaintext came behind the 220 to STARTTLS (RFC 3207 §4.2). */
bool relay_report_injection(const struct relay_attempt *a);
/* The i-th reply that mixes codes on its lines (RFC 5321 §4.2.1):
 * 0 with the command and codes, -1 when there is no i-th. */
int relay_report_mixed(const struct relay_attempt *a, size_t i,
    const char **cmd, int *first, int *last);

struct relay_times {		/* seconds; a stage not reached is unknown */
	bool connect, banner, ehlo, tls, rcpt;
	double t_connect, t_banner, t_ehlo, t_tls, t_rcpt, t_total;
};
void relay_report_times(const struct relay_attempt *a, struct relay_times *t);
/* The addresses of w a session was started with. */
size_t relay_report_tried(const struct relay_walk *w);
/* What was pending when the deadline fired; false: nothing. */
bool relay_report_pending(const struct relay *r, char *out, size_t outsize);
/* The MX query's status: "NXDOMAIN", "timeout", ... */
const char *relay_report_mx_status(const struct relay *r);

#endif
