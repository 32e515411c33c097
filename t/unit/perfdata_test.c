/* Perfdata formatting: labels, units, empty fields, numbers, unknowns. */
#include <config.h>

#include "core/buf.h"
#include "core/perfdata.h"
#include "core/range.h"
#include "tap.h"

#include <locale.h>
#include <math.h>

static const char *
fmt(const struct perfdata *pd, int *rc)
{
	static struct buf b;

	buf_release(&b);
	buf_init(&b, 1024);
	*rc = perfdata_format(&b, pd);
	return b.data;
}

int
main(void)
{
	struct perfdata pd;
	int rc;

	pd = (struct perfdata){ .label = "time", .value = 0.0745, .uom = "s" };
	is_str(fmt(&pd, &rc), "time=0.0745s", "plain time, no empty tail");
	pd = (struct perfdata){ .label = "time", .value = 1.5, .uom = "s",
	    .warn = "1", .crit = "2", .has_min = true, .min = 0 };
	is_str(fmt(&pd, &rc), "time=1.5s;1;2;0", "warn;crit;min");
	pd = (struct perfdata){ .label = "listed", .value = 3, .crit = "0",
	    .has_min = true, .has_max = true, .max = 60 };
	is_str(fmt(&pd, &rc), "listed=3;;0;0;60", "empty warn kept");
	pd = (struct perfdata){ .label = "usable", .value = 2, .has_max = true,
	    .max = 5 };
	is_str(fmt(&pd, &rc), "usable=2;;;;5", "only max");
	pd = (struct perfdata){ .label = "it's", .value = 1 };
	is_str(fmt(&pd, &rc), "it_s=1", "a quote in a label becomes _");
	pd = (struct perfdata){ .label = "MX1.Example.ORG connect_time",
	    .value = 0.25, .uom = "s" };
	is_str(fmt(&pd, &rc), "mx1_example_org_connect_time=0.25s",
	    "dots, space and capitals: [a-z0-9_], no quotes");
	pd = (struct perfdata){ .label = "a=b|c;d'e\x01\xc3\xa9", .value = 1 };
	is_str(fmt(&pd, &rc), "a_b_c_d_e___=1",
	    "= | ; ' controls and non-ASCII bytes: one _ each");
	pd = (struct perfdata){ .label = "xn--bcher-kva_2", .value = 1 };
	is_str(fmt(&pd, &rc), "xn__bcher_kva_2=1", "a safe label unchanged "
	    "but for the hyphens");
	pd = (struct perfdata){ .label = "x", .unknown = true, .uom = "s" };
	is_str(fmt(&pd, &rc), "", "an unknown value is left out");
	is_int(rc, 0, "leaving it out is no error");
	ok(!perfdata_known(&pd), "unknown: not known");
	pd = (struct perfdata){ .label = "x", .value = NAN };
	is_str(fmt(&pd, &rc), "", "NaN is left out");
	pd = (struct perfdata){ .label = "x", .value = INFINITY };
	is_str(fmt(&pd, &rc), "", "infinity is left out");
	pd = (struct perfdata){ .label = "x", .value = 0 };
	ok(perfdata_known(&pd), "zero is known");
	pd = (struct perfdata){ .label = "big", .value = 123456789, .uom = "B" };
	is_str(fmt(&pd, &rc), "big=123456789B", "no exponent");
	pd = (struct perfdata){ .label = "tiny", .value = 0.0000004 };
	is_str(fmt(&pd, &rc), "tiny=0", "rounded to six decimals");
	pd = (struct perfdata){ .label = "neg", .value = -2.5 };
	is_str(fmt(&pd, &rc), "neg=-2.5", "negative");
	pd = (struct perfdata){ .label = "pct", .value = 99.9, .uom = "%" };
	is_str(fmt(&pd, &rc), "pct=99.9%", "percent");
	static const char *const units[] = { "s", "ms", "us", "%", "B", "KB",
	    "MB", "TB", "c", "" };
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		ok(perfdata_uom_valid(units[i]), "unit '%s' valid", units[i]);
	ok(!perfdata_uom_valid("sec"), "unit 'sec' invalid");
	ok(!perfdata_uom_valid("kb"), "unit 'kb' invalid");
	pd = (struct perfdata){ .label = "x", .value = 1, .uom = "sec" };
	fmt(&pd, &rc);
	is_int(rc, -1, "a bad unit is refused");
	pd = (struct perfdata){ .label = "", .value = 1 };
	fmt(&pd, &rc);
	is_int(rc, -1, "an empty label is refused");
	/* a locale with decimal commas must not change anything */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL ||
	    setlocale(LC_NUMERIC, "C.UTF-8") != NULL) {
		setlocale(LC_NUMERIC, "C");
	}
	pd = (struct perfdata){ .label = "t", .value = 0.5, .uom = "s" };
	is_str(fmt(&pd, &rc), "t=0.5s", "decimal point");
	{
		struct buf small;

		buf_init(&small, 8);
		pd = (struct perfdata){ .label = "toolong", .value = 12345 };
		ok(perfdata_format(&small, &pd) == -1 && small.len == 0,
		    "a full buffer leaves nothing half-written");
		buf_release(&small);
	}
	pd = (struct perfdata){ .label = "z", .value = 0 };
	fmt(&pd, &rc);
	/* the run's -w / -c as an item's warn / crit */
	{
		struct range_thresholds t;
		struct perfdata q = { .warn = "x", .crit = "y" };

		range_thresholds_init(&t);
		perfdata_set_thresholds(&q, NULL);
		ok(q.warn == NULL && q.crit == NULL, "no thresholds: none");
		t.has_crit = range_parse("~:0", &t.crit) == 0;
		perfdata_set_thresholds(&q, &t);
		ok(q.warn == NULL, "no -w: no warn");
		is_str(q.crit, "~:0", "-c: its text");
	}
	return tap_done();
}
