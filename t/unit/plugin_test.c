/*
 * plugin_test - the output contract of core/plugin (DESIGN.md §4): the
 * state word and the exit code, perfdata on line 1 only and after '|',
 * findings worst first (in order of addition within a state) before the
 * details, verbose lines by -v, and the result printed exactly once.
 * Each case runs in this process with stdout sent to a temporary file.
 */
#include <config.h>

#include "core/options.h"
#include "core/perfdata.h"
#include "core/plugin.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#define OUT_MAX 8192

struct result {
	int code;
	char out[OUT_MAX];
};

typedef void (*scene_fn)(struct plugin *p);

/* The configuration of the next capture(), when not the plain one. */
static const struct plugin_config *scene_cfg;

/* Run one scene through plugin_finish(), keeping what it printed. */
static int
capture(scene_fn scene, struct result *res)
{
	FILE *tmp = tmpfile();
	int saved, fd;
	size_t n;

	memset(res, 0, sizeof(*res));
	if (tmp == NULL)
		return -1;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = fileno(tmp);
	if (saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		fclose(tmp);
		return -1;
	}
	{
		static const struct plugin_config cfg = {
			.progname = "check_test", .label = "TEST"
		};
		struct plugin *p = plugin_start(scene_cfg ? scene_cfg : &cfg);

		scene(p);
		res->code = plugin_finish(p);
	}
	fflush(stdout);
	(void)dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(res->out, 1, sizeof(res->out) - 1, tmp);
	res->out[n] = '\0';
	fclose(tmp);
	return 0;
}

static void
perf(struct plugin *p, const char *label, double v)
{
	struct perfdata pd;

	memset(&pd, 0, sizeof(pd));
	pd.label = label;
	pd.value = v;
	plugin_perf(p, &pd);
}

static void
scene_ok(struct plugin *p)
{
	plugin_summary(p, "all %d good", 3);
}

static void
scene_warning(struct plugin *p)
{
	plugin_summary(p, "slow");
	plugin_raise(p, STATE_WARNING);
}

static void
scene_unknown_over_ok(struct plugin *p)
{
	plugin_summary(p, "unsure");
	plugin_raise(p, STATE_UNKNOWN);
}

static void
scene_mixed(struct plugin *p)
{
	plugin_summary(p, "mixed");
	perf(p, "x", 1);
	plugin_detail(p, "detail one");
	plugin_finding(p, STATE_WARNING, "warn one");
	plugin_finding(p, STATE_OK, "ok one");
	plugin_finding(p, STATE_CRITICAL, "crit one");
	plugin_finding(p, STATE_UNKNOWN, "unknown one");
	plugin_finding(p, STATE_WARNING, "warn two");
	plugin_detail(p, "detail two");
	plugin_verbose(p, 1, "verbose one");
	perf(p, "y", 2);
}

static void
scene_verbose(struct plugin *p)
{
	(void)options_common(p, 'v', NULL);
	(void)options_common(p, 'v', NULL);
	plugin_summary(p, "talkative");
	plugin_verbose(p, 1, "level one");
	plugin_verbose(p, 2, "level two");
	plugin_verbose(p, 3, "level three");
}

static void
scene_unsafe(struct plugin *p)
{
	plugin_summary(p, "a|b\nc");
	plugin_finding(p, STATE_CRITICAL, "line|with\r\nbreak");
	perf(p, "z", 3);
}

static void
scene_usage(struct plugin *p)
{
	plugin_summary(p, "never shown");
	plugin_raise(p, STATE_CRITICAL);
	(void)plugin_usage_error(p, "invalid -x '%s': expected a number", "y");
}

static void
scene_version(struct plugin *p)
{
	(void)options_common(p, 'V', NULL);
}

/* The first finding of the worst state heads; an OK one never does. */
static void
scene_head(struct plugin *p)
{
	plugin_head_offer(p, STATE_OK, false, "ok head");
	plugin_head_offer(p, STATE_WARNING, false, "warn head");
	plugin_head_offer(p, STATE_WARNING, false, "second warn");
	plugin_head_offer(p, STATE_CRITICAL, false, "crit head");
	plugin_head_offer(p, STATE_CRITICAL, false, "second crit");
	plugin_head_offer(p, STATE_WARNING, false, "late warn");
	plugin_raise(p, plugin_head_state(p));
	plugin_summary(p, "[%s]", plugin_head(p));
}

/* A pinned offer (a timeout) heads whatever comes after it. */
static void
scene_head_pinned(struct plugin *p)
{
	plugin_head_offer(p, STATE_WARNING, false, "warn head");
	plugin_head_offer(p, STATE_CRITICAL, true, "timeout head");
	plugin_head_offer(p, STATE_CRITICAL, true, "second timeout");
	plugin_head_offer(p, STATE_UNKNOWN, false, "unknown");
	plugin_raise(p, plugin_head_state(p));
	plugin_summary(p, "[%s]", plugin_head(p));
}

static void
scene_no_head(struct plugin *p)
{
	plugin_summary(p, "[%s]", plugin_head(p));
}

/* Default ranges of the configuration, and -w / -c over them. */
static const char *thr_argv[6];
static int thr_argc;

static void
scene_thresholds(struct plugin *p)
{
	const struct range_thresholds *t;

	if (options_getopt(p, thr_argc, (char **)thr_argv, "", NULL, NULL,
	    NULL) < 0)
		return;
	t = options_thresholds(p);
	plugin_summary(p, "warn %s %g crit %s %g", t->has_warn ? "set" : "-",
	    t->has_warn ? t->warn.end : 0.0, t->has_crit ? "set" : "-",
	    t->has_crit ? t->crit.end : 0.0);
}

/* The index of the first line holding s, or -1. */
static int
line_of(const char *out, const char *s)
{
	const char *at = strstr(out, s), *c;
	int n = 0;

	if (at == NULL)
		return -1;
	for (c = out; c < at; c++)
		if (*c == '\n')
			n++;
	return n;
}

static int
count(const char *out, char ch)
{
	int n = 0;

	for (; *out; out++)
		n += *out == ch;
	return n;
}

int
main(void)
{
	static const struct {
		const char *name;
		scene_fn scene;
		int code;
		const char *first;	/* the whole first line */
	} word[] = {
		{ "OK", scene_ok, 0, "TEST OK - all 3 good\n" },
		{ "WARNING", scene_warning, 1, "TEST WARNING - slow\n" },
		{ "UNKNOWN", scene_unknown_over_ok, 3,
		    "TEST UNKNOWN - unsure\n" },
		{ "usage error", scene_usage, 3,
		    "TEST UNKNOWN - invalid -x 'y': expected a number\n" },
		{ "headline", scene_head, 2, "TEST CRITICAL - [crit head]\n" },
		{ "pinned headline", scene_head_pinned, 2,
		    "TEST CRITICAL - [timeout head]\n" },
		{ "no headline", scene_no_head, 0, "TEST OK - []\n" },
	};
	static const struct {
		const char *w, *c;	/* command line */
		bool crit_alone;
		const char *first;
	} thr[] = {
		{ NULL, NULL, false, "TEST OK - warn set 3 crit set 9\n" },
		{ "5", NULL, false, "TEST OK - warn set 5 crit set 9\n" },
		{ NULL, "7", false, "TEST OK - warn set 3 crit set 7\n" },
		{ "5", NULL, true, "TEST OK - warn set 5 crit - 0\n" },
		{ NULL, NULL, true, "TEST OK - warn set 3 crit set 9\n" },
		{ "5", "7", true, "TEST OK - warn set 5 crit set 7\n" },
	};
	struct plugin_config tcfg = {
		.progname = "check_test", .label = "TEST",
		.default_warn = "3", .default_crit = "9"
	};
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(word) / sizeof(word[0]); i++) {
		if (capture(word[i].scene, &r) < 0) {
			ok(0, "%s: captured", word[i].name);
			continue;
		}
		is_int(r.code, word[i].code, "%s: exit code", word[i].name);
		is_str(r.out, word[i].first, "%s: the one line", word[i].name);
	}

	/* a plugin's default ranges stand where -w / -c set none; with
	 * crit_alone the critical default also yields to a -w */
	for (i = 0; i < sizeof(thr) / sizeof(thr[0]); i++) {
		thr_argc = 0;
		thr_argv[thr_argc++] = "check_test";
		if (thr[i].w != NULL) {
			thr_argv[thr_argc++] = "-w";
			thr_argv[thr_argc++] = thr[i].w;
		}
		if (thr[i].c != NULL)
			thr_argv[thr_argc++] = "-c";
		if (thr[i].c != NULL)
			thr_argv[thr_argc++] = thr[i].c;
		thr_argv[thr_argc] = NULL;
		tcfg.crit_alone = thr[i].crit_alone;
		scene_cfg = &tcfg;
		optind = 0;
		if (capture(scene_thresholds, &r) < 0)
			ok(0, "thresholds %zu: captured", i);
		else
			is_str(r.out, thr[i].first, "thresholds: -w %s -c %s%s",
			    thr[i].w ? thr[i].w : "-", thr[i].c ? thr[i].c :
			    "-", thr[i].crit_alone ? " (crit alone)" : "");
		scene_cfg = NULL;
	}

	/* findings worst first, details after them, perfdata on line 1 */
	if (capture(scene_mixed, &r) == 0) {
		is_int(r.code, 2, "mixed: exit code is the worst finding's");
		ok(strncmp(r.out, "TEST CRITICAL - mixed|x=1 y=2\n", 30) == 0,
		    "mixed: status line, perfdata after '|' in order added");
		is_int(line_of(r.out, "crit one"), 1, "mixed: CRITICAL first");
		is_int(line_of(r.out, "warn one"), 2, "mixed: then WARNING");
		is_int(line_of(r.out, "warn two"), 3,
		    "mixed: WARNINGs in order of addition");
		is_int(line_of(r.out, "unknown one"), 4, "mixed: then UNKNOWN");
		is_int(line_of(r.out, "ok one"), 5, "mixed: then OK");
		is_int(line_of(r.out, "detail one"), 6,
		    "mixed: details after the findings");
		is_int(line_of(r.out, "detail two"), 7,
		    "mixed: details in order of addition");
		is_int(line_of(r.out, "verbose one"), -1,
		    "mixed: no verbose line without -v");
		is_int(count(r.out, '|'), 1, "mixed: one '|' in all");
		is_int(count(r.out, '\n'), 8, "mixed: eight lines");
	} else {
		ok(0, "mixed: captured");
	}

	if (capture(scene_verbose, &r) == 0) {
		ok(line_of(r.out, "level one") > 0 &&
		    line_of(r.out, "level two") > 0,
		    "verbose: lines up to -vv shown");
		is_int(line_of(r.out, "level three"), -1,
		    "verbose: a -vvv line is not");
	} else {
		ok(0, "verbose: captured");
	}

	/* text from anywhere cannot add a line or a second '|' */
	if (capture(scene_unsafe, &r) == 0) {
		is_int(count(r.out, '\n'), 2, "unsafe: two lines");
		is_int(count(r.out, '|'), 1, "unsafe: the perfdata '|' only");
		is_int(count(r.out, '\r'), 0, "unsafe: no CR");
		is_int(line_of(r.out, "z=3"), 0, "unsafe: perfdata on line 1");
	} else {
		ok(0, "unsafe: captured");
	}

	/* -V prints the version and nothing else: printed exactly once */
	if (capture(scene_version, &r) == 0) {
		is_int(r.code, 3, "version: UNKNOWN");
		is_int(line_of(r.out, "TEST "), -1, "version: no status line");
		ok(strstr(r.out, "check_test") != NULL, "version: names the "
		    "plugin");
		is_int(count(r.out, '\n'), 1, "version: one line");
	} else {
		ok(0, "version: captured");
	}
	return tap_done();
}
