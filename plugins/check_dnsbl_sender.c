/*
 * check_dnsbl_sender - Checks whether a sender's addresses or domain are listed on DNS blocklists.
 *
 * Skeleton: options, help and the plugin contract.  The checks
 * themselves come with this plugin's own work.
 */
#include <config.h>

#include "plugin.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] = "Usage: check_dnsbl_sender (-H IP|HOST)... | -S DOMAIN|ADDRESS [options]";

static void
help(void)
{
	printf("Checks whether a sender's addresses or domain are listed on DNS blocklists.\n\n%s\n\nOptions:\n", usage);
	plugin_help_common(true);
}

static int
parse_options(struct plugin *p, int argc, char **argv)
{
	static const struct option longopts[] = {
		PLUGIN_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, PLUGIN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		r = plugin_common_option(p, c, optarg);
		if (r < 0)
			return -1;
		if (r == 0)
			return plugin_bad_option(p, argc, argv);
	}
	if (optind < argc)
		return plugin_usage_error(p, "unexpected argument '%s'",
		    argv[optind]);
	return 0;
}

int
main(int argc, char **argv)
{
	struct plugin p;

	plugin_init(&p, "check_dnsbl_sender", "DNSBL SENDER");
	p.help = help;
	p.usage = usage;
	if (parse_options(&p, argc, argv) == 0)
		plugin_usage_error(&p, "not implemented yet");
	return plugin_finish(&p);
}
