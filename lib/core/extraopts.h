/*
 * extraopts - --extra-opts=[SECTION][@FILE]: options kept in an ini file
 * instead of on the command line (secrets, resolvers), with the semantics
 * of monitoring-plugins' extra-opts so one plugins.ini serves both:
 *
 *   [check_mx_preference]          ; a section per plugin or per use
 *   dns-server = 127.0.0.1         ; becomes --dns-server=127.0.0.1
 *   allow-private =                ; empty value: the flag --allow-private
 *   s = ::1                        ; one letter: -s ::1
 *
 * SECTION defaults to the plugin's name, FILE to the first that exists of
 * $MP_CONFIG_FILE, monitoring-plugins.ini, plugins.ini or nagios-plugins.ini
 * in each directory of $NAGIOS_CONFIG_PATH, then the fixed list in
 * extraopts.c (/etc/monitoring-plugins/monitoring-plugins.ini,
 * /etc/nagios/plugins.ini, ...).  FILE "-" is standard input.  Lines
 * starting with '#' or ';' are comments; the value runs to the end of the
 * line, blanks around it trimmed, no quoting.  The options of every
 * --extra-opts, in their order, come before the rest of the command line.
 * A missing file or section, a section without options, an option line
 * outside a section or without '=' are errors.
 *
 * Ownership: extraopts_expand() fills caller storage whose argv and
 * strings live until extraopts_release(); the caller's argv is never
 * modified.  Errors: -1 with one line in err naming the --extra-opts value.
 */
#ifndef MAILPATH_EXTRAOPTS_H
#define MAILPATH_EXTRAOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define EXTRAOPTS_MAX 256	/* options from all ini sections together */
#define EXTRAOPTS_LINE_MAX 4096

struct extraopts_args {
	int argc;
	char **argv;		/* NULL-terminated; argv[0] is the caller's */
	size_t cap;		/* slots of argv */
	char **owned;		/* heap strings held by argv */
	size_t nowned;
	size_t nextra;		/* options read from ini files */
	bool expanded;		/* false: argv is the caller's own */
};

/*
 * Look for --extra-opts in argv (up to a "--"); without any, out->argv is
 * argv itself.  section_default is the plugin's name.  Returns 0 or -1.
 */
int extraopts_expand(struct extraopts_args *out, int argc, char **argv,
    const char *section_default, char *err, size_t errsize);
void extraopts_release(struct extraopts_args *a);

/*
 * Append the options of one section of an open ini file to out (for
 * extraopts_expand() and the unit test).  name is the file's name for
 * messages.  Returns the number of options read, or -1.
 */
int extraopts_ini_section(FILE *f, const char *name, const char *section,
    struct extraopts_args *out, char *err, size_t errsize);
/* The default ini file, or NULL when none exists (heap or static: *heap). */
const char *extraopts_default_file(bool *heap);

#endif
