/*
 * plugin_state - the four plugin states and their names.  The numeric
 * values are the exit codes of the plugin contract.
 */
#ifndef MAILPATH_PLUGIN_STATE_H
#define MAILPATH_PLUGIN_STATE_H

enum state {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *state_name(enum state s);
/* ok|warning|critical|unknown (any case) or exactly 0-3; -1 if invalid. */
int state_parse(const char *text, enum state *out);
/* The worse of two: OK < UNKNOWN < WARNING < CRITICAL. */
enum state state_worst(enum state a, enum state b);

#endif
