/*
 * sts_facts - an MTA-STS check read beside an MX set (see sts_facts.h).
 */
#include <config.h>

#include "mail/sts_facts.h"

#include "mail/sts_outcome.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Append ", name" (or "name") to list; cut when full. */
static void
add_name(char *list, size_t size, const char *name)
{
	size_t used = strlen(list);

	if (used < size - 1)
		snprintf(list + used, size - used, "%s%s", used ? ", " : "",
		    name);
}

void
sts_facts_cover(const struct sts_check *c, const struct mx_set *s,
    const size_t *order, struct sts_cover *out)
{
	size_t at;
	bool have = false;

	memset(out, 0, sizeof(*out));
	out->judged = c->outcome == STS_USABLE &&
	    c->policy.mode != STS_MODE_NONE;
	if (!out->judged)
		return;
	for (at = 0; at < s->nhosts; at++) {
		const struct mx_host *h = &s->hosts[order[at]];
		bool m;

		/* a trap is never used, so the policy need not name it */
		if (h->flags & (MX_F_NULL | MX_F_TRAP | MX_F_DUP))
			continue;
		if (!have || h->pref < out->lowest)
			out->lowest = h->pref;
		have = true;
		m = sts_outcome_matches(c, h->name);
		out->hosts++;
		out->matched += m;
		add_name(m ? out->matched_names : out->unmatched_names,
		    sizeof(out->matched_names), h->name);
		/* usable as mx_facts_usable() counts it: an address, no
		 * literal (a literal never matches a pattern anyway) */
		if (!m && !(h->flags & MX_F_LITERAL) && h->res.naddrs > 0)
			out->uncovered[out->nuncovered++] = order[at];
	}
}

const char *
sts_facts_state(const struct sts_check *c)
{
	if (c->outcome == STS_PENDING)
		return "";
	if (c->outcome == STS_USABLE)
		return sts_mode_name(c->policy.mode);
	if (c->outcome == STS_ABSENT)
		return "not published";
	return sts_outcome_name(c);
}

void
sts_facts_tlsrpt(const struct sts_check *c, const char *domain, char *out,
    size_t size)
{
	out[0] = '\0';
	if (c->rpt == RPT_VALID)
		snprintf(out, size, "reports to %s%s", c->tlsrpt.rua[0],
		    c->tlsrpt.nrua > 1 ? " and more" : "");
	else if (c->rpt == RPT_ABSENT)
		snprintf(out, size, "no _smtp._tls.%s record (no reports of "
		    "TLS failures)", domain);
}

void
sts_facts_policy(const struct sts_check *c, const struct sts_cover *cv,
    const char *domain, char *out, size_t size)
{
	char pol[1024];

	out[0] = '\0';
	if (c->outcome == STS_USABLE) {
		sts_outcome_describe(c, pol, sizeof(pol));
		snprintf(out, size, "MTA-STS policy: %s; fetched in %.1f ms%s%s"
		    "%s%s", pol, c->fetch_time * 1e3, cv->matched_names[0] ?
		    "; matched: " : "", cv->matched_names,
		    cv->unmatched_names[0] ? "; not matched: " : "",
		    cv->unmatched_names);
	} else if (c->outcome == STS_ABSENT)
		snprintf(out, size, "MTA-STS: no _mta-sts.%s record (not "
		    "published)", domain);
}

int
sts_facts_cafile_check(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "not a regular file");
		return -1;
	}
	close(fd);
	return 0;
}
