/*
 * plugin_config - what a plugin declares about itself before its options
 * are read (its names, help, the -s check, its default ranges), given to
 * plugin_start() once.  Plain data in the plugin's static storage; core
 * keeps pointers to it for the whole run.
 */
#ifndef MAILPATH_PLUGIN_CONFIG_H
#define MAILPATH_PLUGIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Everything a plugin sets once, before its options are read: names, the
 * help, the -s address check.  The common options' defaults (-t 10,
 * --timeout-result critical, both families, no thresholds) are core's.
 */
struct plugin_config {
	const char *progname;	/* "check_mx_preference" */
	const char *label;	/* "MX PREFERENCE" */
	void (*help)(void);	/* prints the plugin's own help body */
	const char *usage;	/* one synopsis line */
	/* validates each -s value (0, or -1 with the reason in err) */
	int (*server_check)(const char *text, char *err, size_t errlen);
	/* thresholds when the command line sets none (NULL: none): crit
	   applies without -c, or only without -w and -c when crit_alone */
	const char *default_warn, *default_crit;
	bool crit_alone;
};

#endif
