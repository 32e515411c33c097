/*
 * relay_note - the sentences of a relay report, built from the words of
 * mail/relay_report: the summary a verdict of the walk (or of --all)
 * gives, what the MX set says when there is nothing to walk, and the
 * notes beside the verdict (certificate expiry, an MTA-STS policy and
 * its hosts, what testing would refuse under enforce, a failed --via
 * hop, the deadline).  Pure: it reads a finished run, prints nothing
 * and picks no state (mail/relay_verdict's table does); unit-tested in
 * t/unit/relay_test.
 *
 * Ownership: text into caller buffers, cut at their end; network text is
 * already sanitised by net/smtp.
 */
#ifndef MAILPATH_RELAY_NOTE_H
#define MAILPATH_RELAY_NOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/relay.h"
#include "mail/relay_verdict.h"

/* The summary of walk w under the verdict j: "<rcpt> accepted by MX
 * mx.test[192.0.2.1]:25 (preference 10): 250 2.1.5 Ok, TLSv1.3". */
void relay_note_walk(const struct relay *run, const struct relay_walk *w,
    const struct relay_judgement *j, char *out, size_t outsize);
/* --all: "<rcpt>: 2 of 3 MX addresses accept; ...". */
void relay_note_all(const struct relay *run, const struct relay_judgement *j,
    char *out, size_t outsize);
/* The MX set leaves nothing to walk (failed lookup, null MX, a null MX
 * beside others): the verdict (RV_NVERDICTS: walk on), the finding's
 * text and the summary. */
enum relay_verdict relay_note_mx_set(const struct relay *run, char *finding,
    size_t findsize, char *sum, size_t sumsize);
/* "certificate of mx.test expires in 3 days (--cert-crit 5)". */
void relay_note_cert(const struct relay_attempt *a, bool crit, long limit,
    char *out, size_t outsize);
/* --tls sts: the policy's long-output line ("" for none to show); and
 * one MX host's line against its mx patterns (false: none for it). */
void relay_note_sts_policy(const struct relay *run, char *out,
    size_t outsize);
bool relay_note_sts_host(const struct relay *run, size_t host, char *out,
    size_t outsize);
/* Beside the walk (sts_relay_judge()'s beside): RV_STS_UNUSABLE, the
 * announced policy that cannot be used; RV_STS_DNS, the failed _mta-sts
 * lookup; RV_STS_TESTING, why a would not be used under enforce. */
void relay_note_sts_beside(const struct relay *run, enum relay_verdict beside,
    const struct relay_attempt *a, char *out, size_t outsize);
/* What a --via hop's failure says, vd its decisive attempt or NULL. */
void relay_note_via(const char *name, const struct relay_attempt *vd,
    char *out, size_t outsize);
/* The i-th reply of a that mixes codes (RFC 5321 §4.2.1): the finding,
 * and the headline's note when note is not NULL; false: no i-th. */
bool relay_note_mixed(const struct relay_attempt *a, size_t i, char *note,
    size_t notesz, char *finding, size_t findsz);
/* An address's --all finding (v from relay_verdict_address()). */
void relay_note_address(const struct relay_attempt *a, enum relay_verdict v,
    char *out, size_t outsize);
/* a's long-output line: "MX mx.test[192.0.2.1]:25 (preference 10):
 * accepted at RCPT TO, said: 250 2.1.5 Ok (in reply to RCPT TO); 0.012 s". */
void relay_note_attempt(const struct relay_attempt *a, char *out,
    size_t outsize);
/* An accepting address's note: v RV_REFUSE_ACCEPTS, a nolisting host
 * (--expect-refuse) that accepted, or RV_PLAINTEXT_RETRY, accepted only
 * in plaintext; and an MX target that is an IP literal (RFC 5321 §5.1). */
void relay_note_accepted(const struct relay_attempt *a, enum relay_verdict v,
    char *out, size_t outsize);
void relay_note_literal(const char *target, char *out, size_t outsize);
/* The time to acceptance outside -w (or, crit, -c). */
void relay_note_time(double at, bool crit, char *out, size_t outsize);
/* The deadline's (or a poll() failure's) summary, timeout in seconds. */
void relay_note_deadline(const struct relay *run, double timeout, char *out,
    size_t outsize);

#endif
