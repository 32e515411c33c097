/*
 * plugin - one run of a plugin: the state, the output, the exit (the
 * common options are core/options, the plugin's own declaration
 * core/plugin_config).  This is the only place that prints the result
 * and the only code that decides the exit code (DESIGN.md §4).
 *
 * Output (stdout only, printed exactly once by plugin_finish()):
 *   LABEL STATE - summary|perfdata
 *   findings, worst first (in order of addition within a state)
 *   details, in order of addition
 * Every piece of text passes through text_sanitize() on the way out, so a
 * stray '|' or control character can never break the layout.
 *
 * Lifetime: plugin_start() gives the run (opaque, one per process);
 * plugin_finish() prints, releases everything and returns the exit code
 * for main() to return.
 * Allocation failures are remembered and turn the result into UNKNOWN.
 */
#ifndef MAILPATH_PLUGIN_H
#define MAILPATH_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/plugin_config.h"
#include "core/state.h"

struct perfdata;

#define PLUGIN_MAX_DNS 8
#define PLUGIN_DEFAULT_TIMEOUT 10.0

struct plugin;

/* The run (one per process): never NULL, released by plugin_finish(). */
struct plugin *plugin_start(const struct plugin_config *cfg);

/* The plugin's name; the common options as parsed: core/options. */
const char *plugin_progname(const struct plugin *p);

/* Record a usage error: UNKNOWN and one line.  Returns -1. */
int plugin_usage_error(struct plugin *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void plugin_raise(struct plugin *p, enum state s);
void plugin_summary(struct plugin *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* More summary text after what plugin_summary() set. */
void plugin_summary_append(struct plugin *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The state outright, lower or higher (a verdict the plugin judged). */
void plugin_set_state(struct plugin *p, enum state s);
/* An allocation failed: the run ends UNKNOWN, "out of memory". */
void plugin_oom(struct plugin *p);
/* The plugin printed its own output (a listing): no status line, UNKNOWN
 * as for -h.  Returns -1. */
int plugin_printed_own(struct plugin *p);
/* A long-output finding that also raises the state. */
void plugin_finding(struct plugin *p, enum state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The headline: among the findings offered, the first of the worst state
 * (an OK one never heads), unless an earlier one was pinned (a timeout
 * explains everything missing after it).  plugin_head() is "" when none
 * was offered; the plugin places it in its summary.
 */
void plugin_head_offer(struct plugin *p, enum state s, bool pin,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *plugin_head(const struct plugin *p);
enum state plugin_head_state(const struct plugin *p);
/* A plain long-output line, printed after the findings. */
void plugin_detail(struct plugin *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A detail line only when -v was given at least min times. */
void plugin_verbose(struct plugin *p, int min, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void plugin_perf(struct plugin *p, const struct perfdata *pd);

/* Print the whole result, release everything, return the exit code. */
int plugin_finish(struct plugin *p);

#endif
