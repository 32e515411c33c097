#include <config.h>

#include "mail/regdom.h"
#include "core/state.h"

#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>

struct regdom {
	psl_ctx_t *latest;		/* ours to free, or NULL */
	const psl_ctx_t *psl;		/* latest, or the built-in list */
};

struct regdom *
regdom_new(void)
{
	struct regdom *rd = calloc(1, sizeof(*rd));

	if (rd == NULL) {
		state_note_oom("public suffix list");
		return NULL;
	}
	/* the newer of the packaged data and the built-in copy */
	rd->latest = psl_latest(NULL);
	rd->psl = rd->latest != NULL ? rd->latest : psl_builtin();
	if (rd->psl == NULL) {
		free(rd);
		return NULL;
	}
	return rd;
}

void
regdom_free(struct regdom *rd)
{
	if (rd == NULL)
		return;
	psl_free(rd->latest);
	free(rd);
}

int
regdom_get(const struct regdom *rd, const char *name, char *out,
    size_t outsize)
{
	const char *reg = psl_registrable_domain(rd->psl, name);
	int n;

	if (reg == NULL)
		return -1;
	n = snprintf(out, outsize, "%s", reg);
	return n < 0 || (size_t)n >= outsize ? -1 : 0;
}
