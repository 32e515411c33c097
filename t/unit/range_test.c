/* Range syntax and threshold semantics of the monitoring-plugins guidelines. */
#include <config.h>

#include "core/range.h"
#include "tap.h"

struct alert_case {
	const char *range;
	double value;
	int alert;
};

static const struct alert_case alerts[] = {
	/* "10": alert outside 0..10 */
	{ "10", -1, 1 }, { "10", 0, 0 }, { "10", 10, 0 }, { "10", 10.5, 1 },
	{ "10", 5, 0 },
	/* "10:": alert below 10 */
	{ "10:", 9.99, 1 }, { "10:", 10, 0 }, { "10:", 1e12, 0 },
	/* "~:10": alert above 10 */
	{ "~:10", -1e12, 0 }, { "~:10", 10, 0 }, { "~:10", 10.01, 1 },
	/* "10:20" */
	{ "10:20", 9, 1 }, { "10:20", 10, 0 }, { "10:20", 20, 0 },
	{ "10:20", 21, 1 },
	/* "@10:20": alert inside, ends inclusive */
	{ "@10:20", 9, 0 }, { "@10:20", 10, 1 }, { "@10:20", 15, 1 },
	{ "@10:20", 20, 1 }, { "@10:20", 20.5, 0 },
	/* negative and decimal ends */
	{ "-5:-1", -3, 0 }, { "-5:-1", 0, 1 }, { "-5:-1", -6, 1 },
	{ "0.5:1.5", 1.5, 0 }, { "0.5:1.5", 1.51, 1 },
	{ "@~:0", -1, 1 }, { "@~:0", 0, 1 }, { "@~:0", 0.1, 0 },
	{ "1:", 0, 1 }, { "1:", 1, 0 },
	{ "~:", -1e300, 0 }, { "~:", 1e300, 0 },
	{ "5:5", 5, 0 }, { "5:5", 5.1, 1 },
	/* the cases of monitoring-plugins' parser test, same semantics */
	{ "6", 0, 0 }, { "6", 6, 0 }, { "6", 6.1, 1 }, { "6", -0.1, 1 },
	{ "1:12%", 0.5, 1 }, { "1:12%", 12, 0 }, { "1:12%", 12.5, 1 },
	{ "-7:23", -7, 0 }, { "-7:23", -7.5, 1 }, { "-7:23", 23.5, 1 },
	{ ":5.75", 0, 0 }, { ":5.75", 5.75, 0 }, { ":5.75", -0.01, 1 },
	{ ":5.75", 5.76, 1 },
	{ "~:-95.99", -100, 0 }, { "~:-95.99", -95.99, 0 },
	{ "~:-95.99", -95, 1 },
	{ "12345678901234567890:", 12345678901234567890.0 / 1.1, 1 },
	{ "12345678901234567890:", 12345678901234567890.0, 0 },
	{ "12345678901234567890:", 12345678901234567890.0 * 2, 0 },
	{ "~:0", 0.5, 1 }, { "~:0", -10, 0 }, { "~:0", 0, 0 },
	{ "@0:657.8210567", 32.88, 1 }, { "@0:657.8210567", -2, 0 },
	{ "@0:657.8210567", 657.8210567, 1 }, { "@0:657.8210567", 0, 1 },
	{ "1:1", 0.5, 1 }, { "1:1", 1, 0 }, { "1:1", 5.2, 1 },
	{ "@:10", 5, 1 }, { "@:10", 11, 0 },
};

static const char *const invalid[] = {
	"", "@", ":", "abc", "10:5", "1,10", "1-10", "10::20", "~",
	"@@10", "10:20:30", " 10", "10 ", "0x10", "1e3", "inf", "nan",
	"10:~", "~10", "+", "-", ".", "@:", "010:20x", "5:4.9",
	/* monitoring-plugins rejects a start above the end */
	"2:1", ":-1", "%", "10%%", "%:5", "1:%",
};

static const char *const valid[] = {
	"0", "10", "10:", "~:10", "10:20", "@10:20", "-10:-5", "1.5",
	"@~:0", "0:0", "~:", ".5", "010", "+3",
	"6", "1:12%", "-7:23", ":5.75", "~:-95.99", "12345678901234567890:",
	"~:0", "@0:657.8210567", "1:1", "50%",
};

int
main(void)
{
	struct range r;
	struct range_thresholds t;
	size_t i;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
		int pr = range_parse(alerts[i].range, &r);

		ok(pr == 0 && range_alert(&r, alerts[i].value) ==
		    (alerts[i].alert != 0), "range '%s' value %g %s",
		    alerts[i].range, alerts[i].value,
		    alerts[i].alert ? "alerts" : "does not alert");
	}
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		r.start = 42;
		ok(range_parse(invalid[i], &r) == -1 && r.start == 42,
		    "'%s' is rejected and leaves the output alone", invalid[i]);
	}
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		ok(range_parse(valid[i], &r) == 0, "'%s' is accepted",
		    valid[i]);
	ok(range_parse("@10:20", &r) == 0 && r.inside && !r.start_inf &&
	    r.start == 10 && r.end == 20, "@10:20 fields");
	is_str(r.text, "@10:20", "the text is kept for perfdata");
	ok(range_parse("~:3", &r) == 0 && r.start_inf && !r.end_inf &&
	    r.end == 3, "~:3 has an infinite start");
	ok(range_parse("7:", &r) == 0 && r.end_inf && r.start == 7,
	    "7: has an infinite end");
	ok(range_parse(":5.75", &r) == 0 && !r.start_inf && r.start == 0 &&
	    !r.end_inf && r.end == 5.75, ":5.75 is 0 to 5.75");
	ok(range_parse("1:12%", &r) == 0 && r.start == 1 && r.end == 12 &&
	    !r.end_inf, "1:12%% is 1 to 12, the percent sign ignored");
	ok(range_parse("~:-95.99", &r) == 0 && r.start_inf && !r.end_inf &&
	    r.end == -95.99, "~:-95.99 fields");
	ok(range_parse("6", &r) == 0 && r.start == 0 && !r.start_inf &&
	    r.end == 6 && !r.end_inf, "6 is 0 to 6");
	{
		char longtext[100];

		memset(longtext, '1', sizeof(longtext) - 1);
		longtext[sizeof(longtext) - 1] = '\0';
		ok(range_parse(longtext, &r) == -1, "over-long text rejected");
	}

	/* thresholds: the guideline examples; critical checked first */
	range_thresholds_init(&t);
	is_int(range_thresholds_check(&t, 1e9), STATE_OK, "no thresholds: OK");
	range_parse("10", &t.warn);
	t.has_warn = true;
	range_parse("20", &t.crit);
	t.has_crit = true;
	is_int(range_thresholds_check(&t, 5), STATE_OK, "-w10 -c20: 5 OK");
	is_int(range_thresholds_check(&t, 15), STATE_WARNING,
	    "-w10 -c20: 15 WARN");
	is_int(range_thresholds_check(&t, 25), STATE_CRITICAL,
	    "-w10 -c20: 25 CRIT");
	is_int(range_thresholds_check(&t, -1), STATE_CRITICAL,
	    "-w10 -c20: -1 CRIT");
	range_parse("10:", &t.warn);
	is_int(range_thresholds_check(&t, 5), STATE_WARNING,
	    "-w10: -c20: 5 WARN");
	is_int(range_thresholds_check(&t, 21), STATE_CRITICAL,
	    "-w10: -c20: 21 CRIT");
	range_parse("~:0", &t.warn);
	range_parse("10", &t.crit);
	is_int(range_thresholds_check(&t, 0), STATE_OK, "-w~:0 -c10: 0 OK");
	is_int(range_thresholds_check(&t, 1), STATE_WARNING,
	    "-w~:0 -c10: 1 WARN");
	is_int(range_thresholds_check(&t, 11), STATE_CRITICAL,
	    "-w~:0 -c10: 11 CRIT");
	t.has_warn = false;
	range_parse("@10:20", &t.crit);
	is_int(range_thresholds_check(&t, 15), STATE_CRITICAL,
	    "-c@10:20: 15 CRIT");
	is_int(range_thresholds_check(&t, 25), STATE_OK, "-c@10:20: 25 OK");
	range_thresholds_init(&t);
	range_parse("1:", &t.crit);
	t.has_crit = true;
	is_int(range_thresholds_check(&t, 0), STATE_CRITICAL, "-c1: with 0");
	is_int(range_thresholds_check(&t, 1), STATE_OK, "-c1: with 1");
	return tap_done();
}
