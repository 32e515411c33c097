/*
 * perfdata - one performance-data item in the guidelines syntax:
 *
 *   'label'=value[UOM];[warn];[crit];[min];[max]
 *
 * The label is always quoted and a ' inside it is doubled.  Numbers are
 * printed with '.' whatever the locale, without exponent, trailing zeros
 * trimmed.  Units allowed: "", s, ms, us, %, B, KB, MB, TB, c.  warn and
 * crit are range texts (from struct range) or NULL for empty.  An unknown
 * value prints as U.  Trailing empty fields are dropped.
 */
#ifndef MAILPATH_PERFDATA_H
#define MAILPATH_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct perfdata {
	const char *label;
	double value;
	bool unknown;		/* value could not be determined: "U", no unit */
	const char *uom;	/* NULL or "" for a plain count */
	const char *warn;	/* range text or NULL */
	const char *crit;	/* range text or NULL */
	bool has_min, has_max;
	double min, max;
};

/* Append one item (no separator) to out; -1 on a bad unit or full buffer. */
int perfdata_format(struct buf *out, const struct perfdata *pd);
/* Append a number as perfdata prints it. */
int perfdata_number(struct buf *out, double v);
bool perfdata_uom_valid(const char *uom);

#endif
