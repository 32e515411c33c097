#include <config.h>

#include "core/range.h"
#include "core/text.h"

#include <string.h>

/*
 * Parse one end point: a decimal number; "~" handled by the caller.  One
 * trailing '%' is allowed and ignored, as monitoring-plugins' parser does
 * ("1:12%" is 1 to 12): the unit is the plugin's, not the range's.
 */
static int
range_number(const char *s, size_t len, double *out)
{
	char tmp[RANGE_TEXT_MAX];

	if (len > 1 && s[len - 1] == '%')
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return text_parse_double(tmp, -1e300, 1e300, out);
}

int
range_parse(const char *text, struct range *out)
{
	struct range r;
	const char *p, *colon;
	size_t len;

	if (text == NULL)
		return -1;
	len = strlen(text);
	if (len == 0 || len >= RANGE_TEXT_MAX)
		return -1;
	memset(&r, 0, sizeof(r));
	memcpy(r.text, text, len + 1);
	p = text;
	if (*p == '@') {
		r.inside = true;
		p++;
	}
	if (*p == '\0')
		return -1;
	colon = strchr(p, ':');
	if (colon != NULL) {
		size_t slen = (size_t)(colon - p);

		if (strchr(colon + 1, ':') != NULL)
			return -1;
		if (slen == 1 && p[0] == '~')
			r.start_inf = true;
		else if (slen == 0)
			r.start = 0;	/* ":5.75" is 0 to 5.75, as in
					 * monitoring-plugins */
		else if (range_number(p, slen, &r.start) < 0)
			return -1;
		p = colon + 1;
		if (*p == '\0' && slen == 0)
			return -1;	/* ":" alone names no number */
		if (*p == '\0')
			r.end_inf = true;
		else if (range_number(p, strlen(p), &r.end) < 0)
			return -1;
	} else {
		r.start = 0;
		if (range_number(p, strlen(p), &r.end) < 0)
			return -1;
	}
	if (!r.start_inf && !r.end_inf && r.start > r.end)
		return -1;
	*out = r;
	return 0;
}

bool
range_alert(const struct range *r, double value)
{
	bool in = true;

	if (!r->start_inf && value < r->start)
		in = false;
	if (!r->end_inf && value > r->end)
		in = false;
	return r->inside ? in : !in;
}

void
range_thresholds_init(struct range_thresholds *t)
{
	memset(t, 0, sizeof(*t));
}

enum state
range_thresholds_check(const struct range_thresholds *t, double value)
{
	if (t->has_crit && range_alert(&t->crit, value))
		return STATE_CRITICAL;
	if (t->has_warn && range_alert(&t->warn, value))
		return STATE_WARNING;
	return STATE_OK;
}
