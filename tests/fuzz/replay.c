/*
 * replay.c - runs a fuzz target over files (the committed corpus), one TAP
 * line per file, so `make check` proves every corpus input still passes
 * without needing clang.  A crash or an abort fails the whole run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Without arguments: every file of the target's corpus directory. */
static int
corpus(char ***files_r)
{
	DIR *d = opendir(CORPUS_DIR);
	struct dirent *de;
	char **files = NULL;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		files = realloc(files, (size_t)(n + 2) * sizeof(*files));
		if (!files)
			abort();
		files[n] = malloc(strlen(CORPUS_DIR) + strlen(de->d_name) + 2);
		if (!files[n])
			abort();
		sprintf(files[n], "%s/%s", CORPUS_DIR, de->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(files, (size_t)n, sizeof(*files), by_name);
	*files_r = files;
	return n;
}

int
main(int argc, char **argv)
{
	char **files = NULL, **list = argv + 1;
	int i, count = argc - 1, nfiles = -1;

	if (argc == 1) {
		nfiles = corpus(&files);
		if (nfiles < 1) {
			printf("not ok 1 - empty or missing corpus %s\n1..1\n",
			    CORPUS_DIR);
			return 1;
		}
		list = files;
		count = nfiles;
	}
	for (i = 0; i < count; i++) {
		FILE *f = fopen(list[i], "rb");
		unsigned char *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			printf("not ok %d - cannot open %s\n", i + 1, list[i]);
			continue;
		}
		do {
			if (len == cap) {
				cap = cap ? cap * 2 : 4096;
				buf = realloc(buf, cap);
				if (!buf)
					abort();
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		printf("ok %d - %s\n", i + 1, list[i]);
	}
	printf("1..%d\n", count);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return 0;
}
