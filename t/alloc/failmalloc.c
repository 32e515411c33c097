/*
 * failmalloc - an LD_PRELOAD shim for the allocation-failure torture
 * (t/alloc.t).  It counts the allocations a plugin makes from main() on and
 * can make exactly one of them fail:
 *
 *   MAILPATH_ALLOC_COUNT=FILE   write the number made during main() to FILE
 *   MAILPATH_ALLOC_FAIL=N       the N-th allocation returns NULL (ENOMEM)
 *
 * glibc documents that malloc may be replaced by a preloaded library and
 * that its own internal allocations then go through the replacement too;
 * the real work is left to glibc's exported __libc_* entry points, so free()
 * needs no replacement.  main() is found by wrapping __libc_start_main, so
 * what the dynamic loader and library constructors allocate before main()
 * is never failed.  Only programs named check_* are counted, so that the
 * variables may be set for a wrapper (timeout) around the plugin.  Not for sanitizer or valgrind runs: both bring their
 * own allocator, and t/alloc.t skips there.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void),
    void (*)(void), void (*)(void), void *);

int __libc_start_main(main_fn, int, char **, void (*)(void),
    void (*)(void), void (*)(void), void *);

static int fm_in_main;
static unsigned long fm_count, fm_fail_at;
static main_fn fm_real_main;

/* true when this allocation is the one to fail */
static int
fm_fail_now(void)
{
	if (!fm_in_main)
		return 0;
	fm_count++;
	if (fm_fail_at != 0 && fm_count == fm_fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *
malloc(size_t n)
{
	return fm_fail_now() ? NULL : __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	return fm_fail_now() ? NULL : __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	return fm_fail_now() ? NULL : __libc_realloc(p, n);
}

void *
aligned_alloc(size_t align, size_t n)
{
	return fm_fail_now() ? NULL : __libc_memalign(align, n);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (fm_fail_now())
		return ENOMEM;
	p = __libc_memalign(align, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

static void
fm_write_count(void)
{
	const char *path = getenv("MAILPATH_ALLOC_COUNT");
	char num[32];
	int fd, len;

	if (path == NULL || *path == '\0')
		return;
	len = snprintf(num, sizeof(num), "%lu\n", fm_count);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || len <= 0)
		return;
	if (write(fd, num, (size_t)len) != len)
		_exit(111);
	close(fd);
}

static int
fm_main(int argc, char **argv, char **envp)
{
	const char *n = getenv("MAILPATH_ALLOC_FAIL");
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	int r;

	base = base != NULL ? base + 1 : argc > 0 ? argv[0] : "";
	if (strncmp(base, "check_", 6) != 0)
		return fm_real_main(argc, argv, envp);
	fm_fail_at = n != NULL ? strtoul(n, NULL, 10) : 0;
	fm_in_main = 1;
	r = fm_real_main(argc, argv, envp);
	fm_in_main = 0;
	fm_write_count();
	return r;
}

int
__libc_start_main(main_fn m, int argc, char **argv, void (*init)(void),
    void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");

	fm_real_main = m;
	return real(fm_main, argc, argv, init, fini, rtld_fini, stack_end);
}
