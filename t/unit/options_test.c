/* --extra-opts: ini sections to argv, the locator, the default file. */
#include <config.h>

#include "core/options.h"
#include "core/extraopts.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/options_test.XXXXXX";

static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

/* tmpl with every "%s" replaced by the test directory */
static void
subst(char *out, size_t outsize, const char *tmpl)
{
	size_t used = 0, dlen = strlen(dir);

	while (*tmpl != '\0' && used + dlen + 1 < outsize) {
		if (tmpl[0] == '%' && tmpl[1] == 's') {
			memcpy(out + used, dir, dlen);
			used += dlen;
			tmpl += 2;
		} else
			out[used++] = *tmpl++;
	}
	out[used] = '\0';
}

/* argv[1..] joined by '|', for one comparison per case */
static const char *
joined(const struct extraopts_args *a)
{
	static char out[2048];
	size_t used = 0;
	int i;

	out[0] = '\0';
	for (i = 1; i < a->argc; i++) {
		int n = snprintf(out + used, sizeof(out) - used, "%s%s",
		    i > 1 ? "|" : "", a->argv[i]);

		if (n < 0 || (size_t)n >= sizeof(out) - used)
			break;
		used += (size_t)n;
	}
	return out;
}

/* expand a command line given as one string split at spaces */
static int
expand(const char *line, struct extraopts_args *a, char *err, size_t errsize)
{
	static char buf[1024];
	static char *argv[32];
	int argc = 0;
	char *s;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = (char *)"check_x";
	for (s = buf; *s != '\0' && argc < 31;) {
		argv[argc++] = s;
		s += strcspn(s, " ");
		if (*s == ' ')
			*s++ = '\0';
	}
	argv[argc] = NULL;
	err[0] = '\0';
	return extraopts_expand(a, argc, argv, "check_x", err, errsize);
}

static const struct {
	const char *cmd;	/* %s is the test directory */
	int rc;
	const char *want;	/* argv[1..] joined, or the error */
} cases[] = {
	{ "-D example.org", 0, "-D|example.org" },
	{ "--extra-opts=@%s/a.ini -D x", 0,
	    "--dns-server=127.0.0.1|--allow-private|-s|::1|-D|x" },
	{ "--extra-opts=mx@%s/a.ini", 0, "--domain=example.org|--connect" },
	{ "--extra-opts mx@%s/a.ini -v", 0, "--domain=example.org|--connect|-v" },
	{ "-v --extra-opts=mx@%s/a.ini --extra-opts=@%s/a.ini", 0,
	    "--domain=example.org|--connect|--dns-server=127.0.0.1|"
	    "--allow-private|-s|::1|-v" },
	{ "--extra-opts=spaced@%s/a.ini", 0,
	    "--helo=mail.example.org|--from=a b@example.org" },
	{ "-- --extra-opts=@%s/a.ini", 0, "--|--extra-opts=@%s/a.ini" },
	{ "--extra-opts=nosuch@%s/a.ini", -1,
	    "invalid --extra-opts 'nosuch@%s/a.ini': %s/a.ini has no section "
	    "[nosuch]" },
	{ "--extra-opts=empty@%s/a.ini", -1,
	    "invalid --extra-opts 'empty@%s/a.ini': %s/a.ini has no options "
	    "in section [empty]" },
	{ "--extra-opts=@%s/none.ini", -1,
	    "invalid --extra-opts '@%s/none.ini': cannot read %s/none.ini: "
	    "No such file or directory" },
	{ "--extra-opts=x@", -1,
	    "invalid --extra-opts 'x@': no file after '@'" },
	{ "--extra-opts=@%s/bad1.ini", -1,
	    "invalid --extra-opts '@%s/bad1.ini': %s/bad1.ini line 1: an "
	    "option before the first [section]" },
	{ "--extra-opts=@%s/bad2.ini", -1,
	    "invalid --extra-opts '@%s/bad2.ini': %s/bad2.ini line 2: "
	    "expected OPTION = VALUE or OPTION =" },
	{ "--extra-opts=@%s/bad3.ini", -1,
	    "invalid --extra-opts '@%s/bad3.ini': %s/bad3.ini line 2: "
	    "'-w' is not an option name" },
	{ "--extra-opts=@%s/bad4.ini", -1,
	    "invalid --extra-opts '@%s/bad4.ini': %s/bad4.ini line 2: "
	    "extra-opts cannot be nested" },
};

int
main(void)
{
	struct extraopts_args a;
	char err[600], cmd[600], want[600], path[300];
	const char *file;
	bool heap;
	size_t i;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	put("a.ini", "# comment\n; comment too\n"
	    "[check_x]\ndns-server = 127.0.0.1\nallow-private =\n s = ::1 \n"
	    "[ mx ]\ndomain=example.org\nconnect=\n\n"
	    "[spaced]\n  helo\t=  mail.example.org  \nfrom = a b@example.org\n"
	    "[empty]\n# nothing\n");
	put("bad1.ini", "domain = x\n[check_x]\n");
	put("bad2.ini", "[check_x]\nverbose\n");
	put("bad3.ini", "[check_x]\n-w = 1\n");
	put("bad4.ini", "[check_x]\nextra-opts = @/etc/other.ini\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		subst(cmd, sizeof(cmd), cases[i].cmd);
		subst(want, sizeof(want), cases[i].want);
		rc = expand(cmd, &a, err, sizeof(err));
		is_int(rc, cases[i].rc, "rc of %s", cases[i].cmd);
		is_str(rc == 0 ? joined(&a) : err, want, "%s", cases[i].cmd);
		extraopts_release(&a);
	}

	/* the caller's argv is used as it is when there is no --extra-opts */
	{
		char *argv[] = { (char *)"check_x", (char *)"-v", NULL };

		extraopts_expand(&a, 2, argv, "check_x", err, sizeof(err));
		ok(a.argv == argv && !a.expanded, "no --extra-opts: argv as is");
		extraopts_release(&a);
	}

	/* the default file: MP_CONFIG_FILE, then NAGIOS_CONFIG_PATH */
	snprintf(path, sizeof(path), "%s/a.ini", dir);
	setenv("MP_CONFIG_FILE", path, 1);
	file = extraopts_default_file(&heap);
	is_str(file, path, "MP_CONFIG_FILE names the file");
	is_int(expand("--extra-opts -D y", &a, err, sizeof(err)), 0,
	    "bare --extra-opts: default section of the default file");
	is_str(joined(&a), "--dns-server=127.0.0.1|--allow-private|-s|::1|-D|y",
	    "bare --extra-opts: [check_x] first");
	extraopts_release(&a);
	is_int(expand("--extra-opts mx", &a, err, sizeof(err)), 0,
	    "--extra-opts SECTION: the default file");
	is_str(joined(&a), "--domain=example.org|--connect", "[mx] read");
	extraopts_release(&a);
	unsetenv("MP_CONFIG_FILE");
	put("plugins.ini", "[check_x]\nv=\n");
	snprintf(path, sizeof(path), "/nonexistent:%s", dir);
	setenv("NAGIOS_CONFIG_PATH", path, 1);
	file = extraopts_default_file(&heap);
	snprintf(path, sizeof(path), "%s/plugins.ini", dir);
	is_str(file, path, "plugins.ini found in NAGIOS_CONFIG_PATH");
	if (heap)
		free((char *)file);
	put("monitoring-plugins.ini", "[check_x]\nv=\n");
	file = extraopts_default_file(&heap);
	snprintf(path, sizeof(path), "%s/monitoring-plugins.ini", dir);
	is_str(file, path, "monitoring-plugins.ini before plugins.ini");
	if (heap)
		free((char *)file);
	unsetenv("NAGIOS_CONFIG_PATH");

	/* a line longer than the limit is refused, not cut */
	{
		static char big[EXTRAOPTS_LINE_MAX + 64];

		memcpy(big, "[check_x]\nhelo = ", 17);
		memset(big + 17, 'a', sizeof(big) - 19);
		big[sizeof(big) - 2] = '\n';
		put("long.ini", big);
		snprintf(cmd, sizeof(cmd), "--extra-opts=@%s/long.ini", dir);
		is_int(expand(cmd, &a, err, sizeof(err)), -1,
		    "an over-long line is an error");
		ok(strstr(err, "long.ini line 2: longer than") != NULL,
		    "says which line");
		extraopts_release(&a);
	}

	const char *const names[] = { "a.ini", "bad1.ini", "bad2.ini",
	    "bad3.ini", "bad4.ini", "plugins.ini", "monitoring-plugins.ini",
	    "long.ini" };
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return tap_done();
}
