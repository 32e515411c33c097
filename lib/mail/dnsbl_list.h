/*
 * dnsbl_list - the list specs of a run (mail/dnsbl's spec syntax), from
 * options and list files, each spec once: the same list given twice (by
 * -l and a file alike) is asked and counted once.
 *
 * A list file has lines "ip SPEC..." or "domain SPEC...", '#' to the end
 * of a line.  It may be one the user cannot read (a plugin may run
 * through sudo): an error names the file and the line, never its content.
 * A non-regular file is refused without waiting on it (a FIFO).
 *
 * Ownership: struct dnsbl_list in caller storage, dnsbl_list_init()
 * before use and dnsbl_list_release() after.  Errors come back as -1 and
 * one whole line of text in a caller-supplied buffer.
 */
#ifndef MAILPATH_DNSBL_LIST_H
#define MAILPATH_DNSBL_LIST_H

#include <stddef.h>

#include "mail/dnsbl.h"

#define DNSBL_LIST_MAX 512	/* specs */
#define DNSBL_LIST_LINE_MAX 4096

struct dnsbl_list {
	struct dnsbl_spec *specs;
	size_t n;
};

void dnsbl_list_init(struct dnsbl_list *l);
void dnsbl_list_release(struct dnsbl_list *l);
/* One spec; where names its source in errors ("--list"). */
int dnsbl_list_add(struct dnsbl_list *l, const char *text,
    enum dnsbl_kind kind, const char *where, char *err, size_t errlen);
int dnsbl_list_read(struct dnsbl_list *l, const char *path, char *err,
    size_t errlen);
/*
 * Spamhaus DQS (dnsbl-notes §2): each zone X.spamhaus.org is asked as
 * KEY.X.SUFFIX (the spec's qzone; shown as X.spamhaus.org, the key never).
 * key: letters and digits; suffix: DNSBL_DQS_SUFFIX, or a test tree.
 * Returns how many specs were rewritten, or -1 (err names no key).
 */
#define DNSBL_DQS_SUFFIX "dq.spamhaus.net"
int dnsbl_list_dqs(struct dnsbl_list *l, const char *key, const char *suffix,
    char *err, size_t errlen);

#endif
