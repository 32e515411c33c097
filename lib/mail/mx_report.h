/*
 * mx_report - the words of an MX audit's report (mail/mx_audit) for the
 * plugin to print: the line of one MX record (its role, addresses, alias,
 * DNS outcome and, with --connect, what each address said) and what the
 * probes of one host did.  Pure: it reads the audit, touches no network,
 * prints nothing and picks no state; unit-tested in t/unit/mx_test.
 *
 * Ownership: text goes into caller buffers, cut (never overrun) when it
 * does not fit; network text is already sanitised by mail/mx_probe.
 */
#ifndef MAILPATH_MX_REPORT_H
#define MAILPATH_MX_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/mx_audit.h"

/*
 * What each address of a->set.hosts[host] did, appended to out: "ADDR
 * OUTCOME" joined by ", " (a finding's words); full (the record line)
 * puts "; " before each and adds the greeting's times and text.
 */
void mx_report_outcomes(const struct mx_audit *a, size_t host, bool full,
    char *out, size_t size);
/*
 * The line of a->set.hosts[host]: "MX 10 mx.example.org (primary): 192.0.2.1"
 * with its trap rule, alias, a missing address's DNS outcome, the DNS
 * statuses and AD bits when dns (-vv), and the probes' outcomes.
 */
void mx_report_record(const struct mx_audit *a, size_t host, bool dns,
    char *out, size_t size);
/* What the deadline cut short: "no MX answer for DOMAIN within 5s",
 * "after 5s still waiting for A+AAAA mx1.example.org, ...". */
void mx_report_timeout(const struct mx_audit *a, double timeout, char *out,
    size_t size);
/* For the summary: ", primary mx1.example.org (10)", or "". */
void mx_report_primary(const struct mx_audit *a, char *out, size_t size);
/* "none of N records is a non-trap host with an address (IPv4 only)":
 * family is the run's (AF_UNSPEC, AF_INET, AF_INET6). */
void mx_report_no_usable(const struct mx_audit *a, int family, char *out,
    size_t size);

#endif
