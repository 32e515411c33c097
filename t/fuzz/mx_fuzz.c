/*
 * mx_fuzz - what lib/mx reads from the network or the command line, on
 * arbitrary bytes: an MX answer turned into a target list and the facts
 * read off it (mail/mx_facts), trap globs, and the -E/-P/-D parsers.  (The greeting of --connect goes through lib/smtp_wire, whose
 * parser has its own fuzz target.)
 * Nothing may crash, leak or read out of bounds.
 */
#include <config.h>

#include "mail/mx.h"
#include "mail/mx_answer.h"
#include "mail/mx_facts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_answer a;
	struct mx_set s;
	char err[1200], glob[300], host[300], text[1024], out[1024];
	const char *nl;
	size_t i, gl, hl;

	/* an MX answer as a target list, with a trap table */
	mx_set_init(&s);
	if (dns_answer_parse(data, size, "fuzz.test", DNS_MX, &a) == 0) {
		struct trap_set t;
		size_t idx[MX_MAX_HOSTS];

		trap_set_init(&t);
		(void)trap_set_add(&t, "cluster*a.*", err, sizeof(err));
		if (mx_answer_hosts(&s, "fuzz.test", &a, size, err,
		    sizeof(err)) == 0) {
			mx_mark_traps(&s, &t);
			mx_display_order(&s, idx);
			for (i = 0; i < s.nhosts; i++)
				(void)mx_role(&s, &s.hosts[idx[i]]);
			(void)mx_facts_usable(&s);
			(void)mx_facts_primaries(&s, idx, true, out, 64);
			(void)mx_facts_walk(&s, out, 64);
			(void)mx_facts_unvalidated(&s, idx, out, 64);
			(void)mx_facts_expect_mx(&s, NULL, 0, out, host, 64);
		}
	}
	dns_answer_release(&a);
	mx_set_release(&s);

	/* "GLOB\nHOST": the glob checker and matcher */
	nl = memchr(data, '\n', size);
	if (nl != NULL) {
		gl = (size_t)(nl - (const char *)data);
		hl = size - gl - 1;
		if (gl < sizeof(glob) && hl < sizeof(host)) {
			memcpy(glob, data, gl);
			glob[gl] = '\0';
			memcpy(host, nl + 1, hl);
			host[hl] = '\0';
			if (trap_glob_check(glob, err, sizeof(err)) == 0)
				(void)trap_glob_match(glob, host);
			(void)mx_is_literal(host);
		}
	}
	/* the whole input as -E, -P and -D arguments */
	if (size < sizeof(text)) {
		struct mx_rec recs[4];
		char globs[4][MX_NAME_MAX];
		size_t n = 0;

		memcpy(text, data, size);
		text[size] = '\0';
		(void)mx_facts_recs_parse(text, recs, 4, &n, err, sizeof(err));
		n = 0;
		(void)mx_facts_globs_parse(text, globs, 4, &n, err,
		    sizeof(err));
		(void)mx_facts_domain_parse(text, out, MX_NAME_MAX, err,
		    sizeof(err));
	}
	return 0;
}
