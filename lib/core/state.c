#include <config.h>

#include "core/state.h"
#include "core/text.h"

#include <stddef.h>

static const char *const state_names[] = {
	"OK", "WARNING", "CRITICAL", "UNKNOWN"
};

const char *
state_name(enum state s)
{
	if ((unsigned)s > STATE_UNKNOWN)
		return "UNKNOWN";
	return state_names[s];
}

int
state_parse(const char *text, enum state *out)
{
	static const char *const lower[] = {
		"ok", "warning", "critical", "unknown"
	};
	int i;

	if (text == NULL)
		return -1;
	for (i = 0; i < 4; i++) {
		if (text_casecmp(text, lower[i]) == 0 ||
		    (text[0] == '0' + i && text[1] == '\0')) {
			*out = (enum state)i;
			return 0;
		}
	}
	return -1;
}

/* OK < UNKNOWN < WARNING < CRITICAL */
static int
state_rank(enum state s)
{
	static const int rank[] = { 0, 2, 3, 1 };

	return (unsigned)s > STATE_UNKNOWN ? 1 : rank[s];
}

enum state
state_worst(enum state a, enum state b)
{
	return state_rank(a) >= state_rank(b) ? a : b;
}

static const char *state_oom_what;

void
state_note_oom(const char *what)
{
	if (state_oom_what == NULL)
		state_oom_what = what != NULL ? what : "allocation";
}

const char *
state_oom(void)
{
	return state_oom_what;
}
