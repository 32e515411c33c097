/*
 * perfdata - one performance-data item in the guidelines syntax:
 *
 *   label=value[UOM];[warn];[crit];[min];[max]
 *
 * Labels are made safe for graphers: letters are lowered and every byte
 * outside [a-z0-9_] becomes '_' (a host name's dots would otherwise be
 * extra levels in Graphite), so a label never needs quotes and the same
 * input always gives the same series name.  Numbers are printed with '.'
 * whatever the locale, without exponent, trailing zeros trimmed.  Units
 * allowed: "", s, ms, us, %, B, KB, MB, TB, c.  warn and crit are range
 * texts (from struct range) or NULL for empty.  Trailing empty fields are
 * dropped.  An unknown value is left out altogether: Icinga 2 and
 * Monitoring::Plugin::Performance reject the guidelines' "U".
 */
#ifndef MAILPATH_PERFDATA_H
#define MAILPATH_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct range_thresholds;

struct perfdata {
	const char *label;
	double value;
	bool unknown;		/* value could not be determined: left out */
	const char *uom;	/* NULL or "" for a plain count */
	const char *warn;	/* range text or NULL */
	const char *crit;	/* range text or NULL */
	bool has_min, has_max;
	double min, max;
};

/* False when the item is to be left out (unknown or non-finite value). */
bool perfdata_known(const struct perfdata *pd);
/*
 * Append one item (no separator) to out.  Returns 0 (nothing appended for
 * an item perfdata_known() leaves out), or -1 on a bad unit, an empty
 * label or a full buffer, with nothing appended.
 */
int perfdata_format(struct buf *out, const struct perfdata *pd);
/* Append a number as perfdata prints it; -1 for a non-finite one. */
int perfdata_number(struct buf *out, double v);
bool perfdata_uom_valid(const char *uom);
/* warn / crit from the run's -w / -c (t may be NULL: none). */
void perfdata_set_thresholds(struct perfdata *pd,
    const struct range_thresholds *t);

#endif
