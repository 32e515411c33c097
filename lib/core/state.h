/*
 * state - the four plugin states, their names and order, and the one note
 * of our own failure (out of memory).  The numeric values are the exit
 * codes of the plugin contract.
 */
#ifndef MAILPATH_STATE_H
#define MAILPATH_STATE_H

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

/*
 * Our own failure (STYLE.md practice 13): an allocation that failed, in
 * our code or reported by a library (ARES_ENOMEM, GNUTLS_E_MEMORY_ERROR,
 * IDN2_MALLOC).  The layer that sees it can often pass it up only as a
 * failed lookup or a lost connection, which a plugin would judge as the
 * network's; a note here is what keeps it ours: plugin_finish() makes a
 * run with a note UNKNOWN, naming the first.  One flag for the process on
 * purpose: memory is the process's.  what: a static string.
 */
void state_note_oom(const char *what);
/* The first note, or NULL. */
const char *state_oom(void);

#endif
