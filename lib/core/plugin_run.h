/*
 * plugin_run - the fields of the run, shared by core/plugin (the result)
 * and core/options (the common options and their loop) only.  Nothing
 * outside lib/core includes this: the run is opaque to plugins.
 */
#ifndef MAILPATH_PLUGIN_RUN_H
#define MAILPATH_PLUGIN_RUN_H

#include "core/buf.h"
#include "core/plugin.h"
#include "core/range.h"

struct plugin_line {
	enum state state;
	bool finding;
	char *text;
};

struct plugin {
	const char *progname;	/* "check_mx_preference" */
	const char *label;	/* "MX PREFERENCE" */
	void (*help)(void);	/* prints the plugin's own help body */
	const char *usage;	/* one synopsis line */

	enum state state;
	struct buf summary;
	struct buf perf;
	struct plugin_line *lines;
	size_t nlines, caplines;
	bool oom, printed;
	bool usage_error;	/* one whole line, never cut (DESIGN.md §4) */

	/* common options, parsed by plugin_common_option() */
	int verbose;
	double timeout;		/* seconds; the run's hard deadline */
	enum state timeout_state; /* default CRITICAL */
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	const char *dns_servers[PLUGIN_MAX_DNS];
	size_t ndns;
	/* validates each -s value (0, or -1 with the reason in err) */
	int (*server_check)(const char *text, char *err, size_t errlen);
	struct range_thresholds thr;	/* from -w / -c */
	const char *default_warn, *default_crit;
	bool crit_alone;
	enum state head_state;	/* of the headline */
	bool head_pinned;
	char head[1100];
	struct extraopts_args *args; /* argv with --extra-opts expanded */
};

#endif
