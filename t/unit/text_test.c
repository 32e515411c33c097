/* Sanitising network text and strict number parsing. */
#include <config.h>

#include "core/text.h"
#include "tap.h"

#include <limits.h>

static const char *
san(const char *s, size_t len, size_t max)
{
	static char out[600];

	text_sanitize(out, sizeof(out), s, len, max);
	return out;
}

int
main(void)
{
	char small[12], big[300];
	long l;
	double d;
	size_t i;

	is_str(san("250 ok", 6, 0), "250 ok", "plain text untouched");
	is_str(san("a|b", 3, 0), "a/b", "pipe replaced");
	is_str(san("a\r\nb", 4, 0), "a\\x0d\\x0ab", "CR LF escaped");
	is_str(san("\x1b[31mred", 8, 0), "\\x1b[31mred", "escape sequence");
	is_str(san("nul\0x", 5, 0), "nul\\x00x", "NUL in the middle kept "
	    "visible");
	is_str(san("\xc3\xa9", 2, 0), "\\xc3\\xa9", "high bytes escaped");
	is_str(san("\x7f", 1, 0), "\\x7f", "DEL escaped");
	is_str(san("abcdefghij", 10, 4), "abcd...", "cap marks the cut");
	text_sanitize(small, sizeof(small), "0123456789abcdef", 16, 0);
	is_str(small, "01234567...", "small destination cut with mark");
	text_sanitize(small, sizeof(small), "\n\n\n\n", 4, 0);
	is_str(small, "\\x0a\\x0a...", "escapes never split");
	memset(big, 'x', sizeof(big));
	ok(text_sanitize(big, sizeof(big), big, sizeof(big), 0) <=
	    TEXT_MAX_LINE + 3, "default cap");
	text_sanitize(small, 1, "abc", 3, 0);
	is_str(small, "", "size 1 gives an empty string");

	static const struct { const char *s; long min, max; int rc; long v; }
	    longs[] = {
		{ "0", 0, 10, 0, 0 }, { "10", 0, 10, 0, 10 },
		{ "11", 0, 10, -1, 0 }, { "-1", 0, 10, -1, 0 },
		{ "-1", -5, 5, 0, -1 }, { "", 0, 10, -1, 0 },
		{ " 1", 0, 10, -1, 0 }, { "1 ", 0, 10, -1, 0 },
		{ "1x", 0, 10, -1, 0 }, { "010", 0, 100, -1, 0 },
		{ "0x1", 0, 100, -1, 0 }, { "+5", 0, 10, 0, 5 },
		{ "99999999999999999999999", 0, LONG_MAX, -1, 0 },
		{ "65535", 1, 65535, 0, 65535 }, { "65536", 1, 65535, -1, 0 },
		{ "-", -5, 5, -1, 0 }, { "1.5", 0, 5, -1, 0 },
	};
	for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
		l = 1234;
		int rc = text_parse_long(longs[i].s, longs[i].min,
		    longs[i].max, &l);
		ok(rc == longs[i].rc && (rc < 0 ? l == 1234 : l == longs[i].v),
		    "parse_long('%s', %ld, %ld)", longs[i].s, longs[i].min,
		    longs[i].max);
	}
	static const struct { const char *s; int rc; double v; } dbls[] = {
		{ "1.5", 0, 1.5 }, { "10", 0, 10 }, { ".5", 0, 0.5 },
		{ "5.", 0, 5 }, { "-2", 0, -2 }, { "1e3", -1, 0 },
		{ "inf", -1, 0 }, { "nan", -1, 0 }, { "0x10", -1, 0 },
		{ "", -1, 0 }, { ".", -1, 0 }, { "1,5", -1, 0 },
		{ "1.2.3", -1, 0 }, { " 1", -1, 0 },
	};
	for (i = 0; i < sizeof(dbls) / sizeof(dbls[0]); i++) {
		d = 42;
		int rc = text_parse_double(dbls[i].s, -100, 100, &d);
		ok(rc == dbls[i].rc && (rc < 0 ? d == 42 : d == dbls[i].v),
		    "parse_double('%s')", dbls[i].s);
	}
	ok(text_parse_longn("24x", 2, 0, 32, &l) == 0 && l == 24,
	    "parse_longn reads only its field");
	ok(text_parse_longn("", 0, 0, 32, &l) == -1, "parse_longn empty field");
	ok(text_parse_longn("33", 2, 0, 32, &l) == -1, "parse_longn range");
	ok(text_parse_longn("1\0" "2", 3, 0, 200, &l) == -1,
	    "parse_longn refuses a NUL inside the field");
	ok(text_parse_seconds("2.5", 100, &d) == 0 && d == 2.5, "seconds 2.5");
	ok(text_parse_seconds("-1", 100, &d) == -1, "negative seconds");
	ok(text_parse_seconds("+1", 100, &d) == -1, "signed seconds");
	ok(text_parse_seconds("101", 100, &d) == -1, "seconds over max");
	ok(text_casecmp("MX.Example", "mx.example") == 0, "casecmp equal");
	ok(text_casecmp("a", "b") < 0, "casecmp order");
	ok(text_copy(small, sizeof(small), "short") == 0, "copy fits");
	ok(text_copy(small, sizeof(small), "much too long text") == -1 &&
	    strlen(small) == sizeof(small) - 1, "copy reports truncation");
	ok(text_format(small, sizeof(small), "%s %d", "mx", 25) == 0 &&
	    strcmp(small, "mx 25") == 0, "format fits");
	ok(text_format(small, sizeof(small), "%s", "much too long text") ==
	    -1 && strlen(small) == sizeof(small) - 1, "format is cut at the "
	    "end and says so");
	ok(text_format(small, 0, "x") == -1, "format into no room");
	return tap_done();
}
