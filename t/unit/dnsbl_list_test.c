/*
 * lib/mail/dnsbl_list: specs from options and files, each once; errors
 * name the source and, for a file, never echo its content.
 */
#include <config.h>

#include "mail/dnsbl_list.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct file_case {
	const char *content;
	int ok;
	size_t n;		/* specs after reading */
	const char *err;	/* a part of the error */
	const char *secret;	/* must not be in the error */
};

static const struct file_case files[] = {
	{ "ip a.test b.test\n# comment\n\ndomain c.test # trailing\n", 0, 3,
	    NULL, NULL },
	{ "ip a.test\nip a.test\n", 0, 1, NULL, NULL },
	{ "ip a.test\nbogus b.test\n", -1, 0, "line 2: expected 'ip' or "
	    "'domain'", "bogus" },
	{ "ip a.test*secret99\n", -1, 0, "line 1: invalid list (bad weight)",
	    "secret99" },
	{ "ip a.test=127.0.0.[2..\n", -1, 0, "invalid list (bad filter)",
	    "127.0.0.[2" },
};

int
main(void)
{
	struct dnsbl_list l;
	char err[300], path[] = "/tmp/dnsbl_list_testXXXXXX";
	size_t i;
	int fd;

	dnsbl_list_init(&l);
	is_int(dnsbl_list_add(&l, "zen.dnsbl.test", DNSBL_IP, "--list", err,
	    sizeof(err)), 0, "a spec");
	is_int(dnsbl_list_add(&l, "ZEN.dnsbl.test.", DNSBL_IP, "--list", err,
	    sizeof(err)), 0, "the same spec again");
	is_int(l.n, 1, "... is kept once");
	is_int(dnsbl_list_add(&l, "zen.dnsbl.test", DNSBL_DOMAIN, "-d", err,
	    sizeof(err)), 0, "the zone as a domain list");
	is_int(l.n, 2, "... is another spec");
	is_int(dnsbl_list_add(&l, "bad..zone", DNSBL_IP, "--list", err,
	    sizeof(err)), -1, "a bad zone");
	ok(strncmp(err, "invalid --list 'bad..zone': bad zone", 36) == 0,
	    "... named with its source and value: %s", err);
	dnsbl_list_release(&l);

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const struct file_case *c = &files[i];

		strcpy(path, "/tmp/dnsbl_list_testXXXXXX");
		fd = mkstemp(path);
		if (fd < 0 || write(fd, c->content, strlen(c->content)) < 0)
			return 1;
		close(fd);
		dnsbl_list_init(&l);
		err[0] = '\0';
		is_int(dnsbl_list_read(&l, path, err, sizeof(err)), c->ok,
		    "file %zu", i);
		if (c->ok == 0)
			is_int(l.n, c->n, "file %zu: specs", i);
		if (c->err != NULL)
			ok(strstr(err, c->err) != NULL && strstr(err, path) !=
			    NULL, "file %zu: %s", i, err);
		if (c->secret != NULL)
			ok(strstr(err, c->secret) == NULL, "file %zu: content "
			    "not echoed", i);
		dnsbl_list_release(&l);
		unlink(path);
	}
	/* Spamhaus DQS: X.spamhaus.org as KEY.X.SUFFIX, nothing else */
	dnsbl_list_init(&l);
	dnsbl_list_add(&l, "zen.spamhaus.org=127.0.0.[2..11]*3", DNSBL_IP,
	    "-l", err, sizeof(err));
	dnsbl_list_add(&l, "dbl.spamhaus.org", DNSBL_DOMAIN, "-d", err,
	    sizeof(err));
	dnsbl_list_add(&l, "bl.spamcop.net", DNSBL_IP, "-l", err,
	    sizeof(err));
	dnsbl_list_add(&l, "a.b.spamhaus.org", DNSBL_IP, "-l", err,
	    sizeof(err));
	is_int(dnsbl_list_dqs(&l, "Secret01Key", DNSBL_DQS_SUFFIX, err,
	    sizeof(err)), 2, "DQS: two Spamhaus zones rewritten");
	is_str(dnsbl_spec_qzone(&l.specs[0]),
	    "secret01key.zen.dq.spamhaus.net", "zen as asked (key in lower "
	    "case)");
	is_str(l.specs[0].zone, "zen.spamhaus.org", "... and as shown");
	is_int(l.specs[0].weight, 3, "... filter and weight kept");
	is_str(dnsbl_spec_qzone(&l.specs[1]),
	    "secret01key.dbl.dq.spamhaus.net", "dbl as asked");
	is_str(dnsbl_spec_qzone(&l.specs[2]), "bl.spamcop.net", "another "
	    "list untouched");
	is_str(dnsbl_spec_qzone(&l.specs[3]), "a.b.spamhaus.org", "only "
	    "X.spamhaus.org with X one label");
	is_int(dnsbl_list_dqs(&l, "bad key", DNSBL_DQS_SUFFIX, err,
	    sizeof(err)), -1, "a key with a space");
	ok(strstr(err, "bad key") == NULL && strstr(err, "--dqs-key") !=
	    NULL, "... refused without echoing it: %s", err);
	is_int(dnsbl_list_dqs(&l, "k", "dq..test", err, sizeof(err)), -1,
	    "a bad suffix");
	dnsbl_list_release(&l);

	dnsbl_list_init(&l);
	is_int(dnsbl_list_read(&l, "/tmp", err, sizeof(err)), -1, "a "
	    "directory");
	is_str(err, "list file '/tmp' is not a regular file", "... refused");
	ok(dnsbl_list_read(&l, "/nonexistent/x", err, sizeof(err)) < 0 &&
	    strncmp(err, "cannot read list file '/nonexistent/x'", 38) == 0,
	    "a missing file");
	dnsbl_list_release(&l);
	return tap_done();
}
