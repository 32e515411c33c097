/*
 * bench/rusage.c: run a command and write its wall time, CPU time (user +
 * system, its waited-for children included) and peak resident set size to
 * a file.  The command is forked from this small program, not from the
 * benchmark driver, so that the peak RSS is the command's own (Linux keeps
 * a process's RSS high-water mark across exec).
 *
 *   rusage OUTFILE COMMAND [ARGS...]
 *   OUTFILE gets "WALL-SECONDS CPU-SECONDS MAXRSS-KIB"; the exit status is
 *   the command's (128 + signal if it was killed).
 *
 * Copyright the mailpath-plugins authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage OUTFILE COMMAND [ARGS...]\n");
		return 125;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("rusage: wait4");
		return 125;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 125;
	}
	fprintf(out, "%.6f %.6f %ld\n",
		(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		ru.ru_maxrss);
	fclose(out);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
