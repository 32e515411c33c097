#include <config.h>

#include "core/perfdata.h"
#include "core/buf.h"
#include "core/range.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool
perfdata_uom_valid(const char *uom)
{
	static const char *const ok[] = {
		"", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c", NULL
	};
	size_t i;

	if (uom == NULL)
		return true;
	for (i = 0; ok[i] != NULL; i++)
		if (strcmp(uom, ok[i]) == 0)
			return true;
	return false;
}

int
perfdata_number(struct buf *out, double v)
{
	char tmp[64];
	int n;

	if (!isfinite(v))
		return -1;
	/*
	 * Fixed notation with six decimals, then trim: "%f" never uses an
	 * exponent, and we never call setlocale(), so the point is '.'.
	 */
	if (fabs(v) >= 1e15)
		n = snprintf(tmp, sizeof(tmp), "%.0f", v);
	else
		n = snprintf(tmp, sizeof(tmp), "%.6f", v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	if (strchr(tmp, '.') != NULL) {
		while (n > 0 && tmp[n - 1] == '0')
			tmp[--n] = '\0';
		if (n > 0 && tmp[n - 1] == '.')
			tmp[--n] = '\0';
	}
	if (strcmp(tmp, "-0") == 0)
		return buf_puts(out, "0");
	return buf_puts(out, tmp);
}

bool
perfdata_known(const struct perfdata *pd)
{
	return !pd->unknown && isfinite(pd->value);
}

/* [a-z0-9_]: what Graphite, InfluxDB and RRD file names take as is. */
static char
perfdata_label_char(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
		return c;
	return '_';
}

int
perfdata_format(struct buf *out, const struct perfdata *pd)
{
	size_t start = out->len;
	const char *p;
	const char *fields[2];
	int last = 0, i;

	if (!perfdata_uom_valid(pd->uom) || pd->label == NULL ||
	    pd->label[0] == '\0')
		return -1;
	if (!perfdata_known(pd))
		return 0;
	for (p = pd->label; *p; p++) {
		char c = perfdata_label_char(*p);

		if (buf_append(out, &c, 1) < 0)
			goto fail;
	}
	if (buf_puts(out, "=") < 0)
		goto fail;
	if (perfdata_number(out, pd->value) < 0)
		goto fail;
	if (pd->uom != NULL && buf_puts(out, pd->uom) < 0)
		goto fail;

	/* how many of warn;crit;min;max are needed */
	fields[0] = pd->warn;
	fields[1] = pd->crit;
	if (pd->has_max)
		last = 4;
	else if (pd->has_min)
		last = 3;
	else if (pd->crit != NULL && pd->crit[0] != '\0')
		last = 2;
	else if (pd->warn != NULL && pd->warn[0] != '\0')
		last = 1;
	for (i = 1; i <= last; i++) {
		if (buf_puts(out, ";") < 0)
			goto fail;
		if (i <= 2) {
			if (fields[i - 1] != NULL &&
			    buf_puts(out, fields[i - 1]) < 0)
				goto fail;
		} else if (i == 3 && pd->has_min) {
			if (perfdata_number(out, pd->min) < 0)
				goto fail;
		} else if (i == 4 && pd->has_max) {
			if (perfdata_number(out, pd->max) < 0)
				goto fail;
		}
	}
	return 0;
fail:
	out->len = start;
	if (out->cap)
		out->data[start] = '\0';
	return -1;
}

void
perfdata_set_thresholds(struct perfdata *pd, const struct range_thresholds *t)
{
	pd->warn = t != NULL && t->has_warn ? t->warn.text : NULL;
	pd->crit = t != NULL && t->has_crit ? t->crit.text : NULL;
}
