#include <config.h>

#include "core/plugin.h"
#include "core/plugin_run.h"
#include "core/options.h"
#include "core/extraopts.h"
#include "core/perfdata.h"
#include "core/text.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Output limits: a runaway finding list must not flood the monitoring core. */
#define PLUGIN_SUMMARY_MAX 4096
#define PLUGIN_PERF_MAX 8192
#define PLUGIN_LINE_MAX 2048
#define PLUGIN_LINES_MAX 2000
/*
 * The status line before the '|': Icinga and Nagios show it in lists and
 * notifications, and Nagios turns every ';' of plugin output into ':', so
 * it stays short and carries no ';'.  A longer summary is cut at a word
 * and printed whole as the first long-output line.  A usage error is the
 * exception: it stays one whole line naming the option and the value.
 */
#define PLUGIN_STATUS_MAX 199



/* One run per process: no allocation can fail before there is a plugin
 * to report it. */
static struct plugin plugin_the_run;

struct plugin *
plugin_start(const struct plugin_config *cfg)
{
	struct plugin *p = &plugin_the_run;
	struct sigaction sa;

	/*
	 * SIGPIPE must never end a run: a peer that resets a connection we
	 * write to, or a monitoring core that closed our stdout, is an
	 * ordinary EPIPE where the code that wrote can report it.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);
	memset(p, 0, sizeof(*p));
	p->progname = cfg->progname;
	p->label = cfg->label;
	p->help = cfg->help;
	p->usage = cfg->usage;
	p->server_check = cfg->server_check;
	p->default_warn = cfg->default_warn;
	p->default_crit = cfg->default_crit;
	p->crit_alone = cfg->crit_alone;
	p->state = STATE_OK;
	buf_init(&p->summary, PLUGIN_SUMMARY_MAX);
	buf_init(&p->perf, PLUGIN_PERF_MAX);
	p->timeout = PLUGIN_DEFAULT_TIMEOUT;
	p->timeout_state = STATE_CRITICAL;
	p->family = AF_UNSPEC;
	range_thresholds_init(&p->thr);
	return p;
}






const char *
plugin_progname(const struct plugin *p)
{
	return p->progname;
}


void
plugin_raise(struct plugin *p, enum state s)
{
	p->state = state_worst(p->state, s);
}

static void plugin_vsummary(struct plugin *p, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
plugin_vsummary(struct plugin *p, const char *fmt, va_list ap)
{
	char tmp[PLUGIN_SUMMARY_MAX];
	int len;

	/*
	 * Bounded here, with the cut marked: a usage error echoing an
	 * option value of thousands of characters still names the option,
	 * and an over-long summary is no allocation failure.
	 */
	len = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (len < 0)
		tmp[0] = '\0';
	else if ((size_t)len >= sizeof(tmp))
		memcpy(tmp + sizeof(tmp) - 4, "...", 4);
	buf_clear(&p->summary);
	if (buf_puts(&p->summary, tmp) < 0)
		p->oom = true;
}

void
plugin_summary(struct plugin *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	plugin_vsummary(p, fmt, ap);
	va_end(ap);
}

void
plugin_summary_append(struct plugin *p, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(&p->summary, fmt, ap);
	va_end(ap);
	if (r < 0)
		p->oom = true;
}

void
plugin_set_state(struct plugin *p, enum state s)
{
	p->state = s;
}

void
plugin_oom(struct plugin *p)
{
	p->oom = true;
}

int
plugin_printed_own(struct plugin *p)
{
	p->printed = true;
	p->state = STATE_UNKNOWN;
	return -1;
}

static void plugin_add_line(struct plugin *p, bool finding, enum state s,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void
plugin_add_line(struct plugin *p, bool finding, enum state s,
    const char *fmt, va_list ap)
{
	char tmp[PLUGIN_LINE_MAX];
	struct plugin_line *n;
	int len;
	char *text;

	if (p->nlines >= PLUGIN_LINES_MAX)
		return;
	if (p->nlines == p->caplines) {
		size_t cap = p->caplines ? p->caplines * 2 : 16;

		n = realloc(p->lines, cap * sizeof(*n));
		if (n == NULL) {
			p->oom = true;
			return;
		}
		p->lines = n;
		p->caplines = cap;
	}
	len = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (len < 0)
		tmp[0] = '\0';
	else if ((size_t)len >= sizeof(tmp))
		/* our own line, bounded: mark the cut */
		memcpy(tmp + sizeof(tmp) - 4, "...", 4);
	text = strdup(tmp);
	if (text == NULL) {
		p->oom = true;
		return;
	}
	p->lines[p->nlines].state = s;
	p->lines[p->nlines].finding = finding;
	p->lines[p->nlines].text = text;
	p->nlines++;
}

void
plugin_finding(struct plugin *p, enum state s, const char *fmt, ...)
{
	va_list ap;

	plugin_raise(p, s);
	va_start(ap, fmt);
	plugin_add_line(p, true, s, fmt, ap);
	va_end(ap);
}

void
plugin_head_offer(struct plugin *p, enum state s, bool pin, const char *fmt,
    ...)
{
	va_list ap;

	if (p->head_pinned)
		return;
	if (!pin && (s == p->head_state || state_worst(s, p->head_state) != s))
		return;
	p->head_state = s;
	p->head_pinned = pin;
	va_start(ap, fmt);
	if (vsnprintf(p->head, sizeof(p->head), fmt, ap) < 0)
		p->head[0] = '\0';
	va_end(ap);
}

const char *
plugin_head(const struct plugin *p)
{
	return p->head;
}

enum state
plugin_head_state(const struct plugin *p)
{
	return p->head_state;
}

void
plugin_detail(struct plugin *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	plugin_add_line(p, false, STATE_OK, fmt, ap);
	va_end(ap);
}

void
plugin_verbose(struct plugin *p, int min, const char *fmt, ...)
{
	va_list ap;

	if (p->verbose < min)
		return;
	va_start(ap, fmt);
	plugin_add_line(p, false, STATE_OK, fmt, ap);
	va_end(ap);
}

void
plugin_perf(struct plugin *p, const struct perfdata *pd)
{
	size_t before = p->perf.len;

	if (!perfdata_known(pd))
		return;	/* left out, never "U" */
	if (before > 0 && buf_puts(&p->perf, " ") < 0)
		goto fail;
	if (perfdata_format(&p->perf, pd) < 0)
		goto fail;
	return;
fail:
	/* drop the item, never a half-written one */
	p->perf.len = before;
	if (p->perf.cap)
		p->perf.data[before] = '\0';
}

int
plugin_usage_error(struct plugin *p, const char *fmt, ...)
{
	va_list ap;

	p->state = STATE_UNKNOWN;
	p->usage_error = true;
	va_start(ap, fmt);
	plugin_vsummary(p, fmt, ap);
	va_end(ap);
	/* a usage error is the whole answer: drop anything gathered */
	while (p->nlines > 0)
		free(p->lines[--p->nlines].text);
	buf_clear(&p->perf);
	p->usage = NULL;
	return -1;
}

static void
plugin_print_text(const char *s, size_t max)
{
	char out[PLUGIN_LINE_MAX * 4 + 8];

	text_sanitize(out, sizeof(out), s, strlen(s), max);
	fputs(out, stdout);
}

/*
 * "LABEL STATE - summary" with ';' turned into ','.  Returns the whole
 * sanitised summary (heap) when the line had to be cut, else NULL.
 */
static char *
plugin_print_status(const struct plugin *p)
{
	char out[PLUGIN_SUMMARY_MAX * 4 + 8];
	const char *sum = p->summary.len ? p->summary.data : "(no summary)";
	size_t n, head, room, cut, i;
	char *whole = NULL;

	n = text_sanitize(out, sizeof(out), sum, strlen(sum),
	    PLUGIN_SUMMARY_MAX);
	for (i = 0; i < n; i++)
		if (out[i] == ';')
			out[i] = ',';
	head = strlen(p->label) + strlen(state_name(p->state)) + 3;
	room = head < PLUGIN_STATUS_MAX - 40 ? PLUGIN_STATUS_MAX - head : 40;
	if (n > room && !p->usage_error) {
		whole = strdup(out);	/* NULL: the cut line alone */
		cut = room - 3;
		while (cut > room / 2 && out[cut] != ' ')
			cut--;
		if (out[cut] != ' ')
			cut = room - 3;
		while (cut > 0 && (out[cut - 1] == ' ' ||
		    out[cut - 1] == ','))
			cut--;
		memcpy(out + cut, "...", 4);
	}
	printf("%s %s - %s", p->label, state_name(p->state), out);
	return whole;
}

int
plugin_finish(struct plugin *p)
{
	static const enum state order[] = {
		STATE_CRITICAL, STATE_WARNING, STATE_UNKNOWN, STATE_OK
	};
	char *long_summary;
	int code;
	size_t i, k;

	if (p->oom)
		state_note_oom("plugin result");
	if (state_oom() != NULL && !p->printed) {
		/*
		 * Whatever the run found, it ran without something it
		 * needed: the verdict is not ours to give.  Printed without
		 * a buffer, which might not be there.
		 */
		p->state = STATE_UNKNOWN;
		printf("%s UNKNOWN - out of memory (%s): the result is not "
		    "known\n", p->label, state_oom());
		p->printed = true;
	}
	if (!p->printed) {
		long_summary = plugin_print_status(p);
		if (p->perf.len) {
			/* perfdata is built by perfdata_format(): no '|' */
			putchar('|');
			fputs(p->perf.data, stdout);
		}
		putchar('\n');
		if (long_summary != NULL) {
			fputs(long_summary, stdout);
			putchar('\n');
			free(long_summary);
		}
		for (k = 0; k < 4; k++)
			for (i = 0; i < p->nlines; i++) {
				if (!p->lines[i].finding ||
				    p->lines[i].state != order[k])
					continue;
				plugin_print_text(p->lines[i].text,
				    PLUGIN_LINE_MAX);
				putchar('\n');
			}
		for (i = 0; i < p->nlines; i++) {
			if (p->lines[i].finding)
				continue;
			plugin_print_text(p->lines[i].text, PLUGIN_LINE_MAX);
			putchar('\n');
		}
		p->printed = true;
	}
	fflush(stdout);
	code = (int)p->state;
	for (i = 0; i < p->nlines; i++)
		free(p->lines[i].text);
	free(p->lines);
	p->lines = NULL;
	p->nlines = p->caplines = 0;
	buf_release(&p->summary);
	buf_release(&p->perf);
	if (p->args != NULL) {
		extraopts_release(p->args);
		free(p->args);
		p->args = NULL;
	}
	return code;
}
