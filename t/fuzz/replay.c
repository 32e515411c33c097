/*
 * replay - runs a fuzz target's entry point over the files of its seed
 * corpus, so that `make check` replays every input the fuzzer ever found
 * interesting (STYLE.md practice 10).  Linked with one *_fuzz.c file.
 * Built with clang -fsanitize=fuzzer instead, the same target fuzzes.
 *
 * Usage: NAME_fuzz DIR-OR-FILE...   prints TAP, one test point per file.
 */
#include <config.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		printf("not ok %d - cannot read %s\n", ++count, path);
		if (f)
			fclose(f);
		return 1;
	}
	data = malloc((size_t)size + 1);
	if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
		printf("not ok %d - cannot read %s\n", ++count, path);
		free(data);
		fclose(f);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	printf("ok %d - %s\n", ++count, path);
	return 0;
}

static int
compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	int i, failed = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;
		char **names = NULL;
		size_t n = 0, k;

		if (stat(argv[i], &st) != 0) {
			printf("not ok %d - no such corpus %s\n", ++count,
			    argv[i]);
			failed++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed += replay_file(argv[i]);
			continue;
		}
		d = opendir(argv[i]);
		while (d != NULL && (e = readdir(d)) != NULL) {
			char **nn;
			size_t len;

			if (e->d_name[0] == '.')
				continue;
			nn = realloc(names, (n + 1) * sizeof(*names));
			if (nn == NULL)
				break;
			names = nn;
			len = strlen(argv[i]) + strlen(e->d_name) + 2;
			names[n] = malloc(len);
			if (names[n] == NULL)
				break;
			snprintf(names[n], len, "%s/%s", argv[i], e->d_name);
			n++;
		}
		if (d)
			closedir(d);
		/* a stable order makes failures reproducible */
		qsort(names, n, sizeof(*names), compare);
		for (k = 0; k < n; k++) {
			failed += replay_file(names[k]);
			free(names[k]);
		}
		free(names);
	}
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
