/*
 * range - threshold ranges in the monitoring-plugins guidelines syntax,
 * and warning/critical threshold pairs built on them.
 *
 *   [@][start:][end]   start and end are decimal numbers; start may be "~"
 *                      (minus infinity); an empty end after ':' is +infinity;
 *                      a missing "start:" or an empty start (":5") means 0;
 *                      one trailing '%' on a number is ignored.  Ends are
 *                      inclusive.  The cases of monitoring-plugins' own
 *                      parser test are accepted alike.
 *   default: alert when the value is outside [start, end];
 *   '@':     alert when it is inside.
 *
 * Parsing is strict: anything else, or start > end, is rejected.
 * range_parse() and range_alert() are a fixed contract (DESIGN.md §3).
 */
#ifndef MAILPATH_RANGE_H
#define MAILPATH_RANGE_H

#include <stdbool.h>

#include "core/state.h"

#define RANGE_TEXT_MAX 64

struct range {
	double start;		/* ignored when start_inf */
	double end;		/* ignored when end_inf */
	bool start_inf;		/* start is minus infinity ("~") */
	bool end_inf;		/* end is plus infinity ("10:") */
	bool inside;		/* '@': alert inside the range */
	char text[RANGE_TEXT_MAX]; /* the text parsed, for perfdata */
};

/* 0 on success, -1 for invalid text (out is then untouched). */
int range_parse(const char *text, struct range *out);
/* true = the value raises an alert. */
bool range_alert(const struct range *r, double value);

struct range_thresholds {
	bool has_warn, has_crit;
	struct range warn, crit;
};

void range_thresholds_init(struct range_thresholds *t);
/* Critical is checked before warning; no thresholds set gives OK. */
enum state range_thresholds_check(const struct range_thresholds *t,
    double value);

#endif
