/*
 * Replay main() for the fuzz targets, for ordinary builds without libFuzzer
 * (after c-ares test/ares-fuzz.c): runs LLVMFuzzerTestOneInput() once per
 * file named on the command line, or per file in a directory named there.
 * Each input runs in a child process so that a crash fails that input only;
 * prints "ok FILE" or "FAIL FILE" per input and exits 1 if any failed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int failed, passed;

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f) {
		return NULL;
	}
	for (;;) {
		size_t r;
		if (n == cap) {
			unsigned char *nb;
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (r == 0) {
			break;
		}
		n += r;
	}
	fclose(f);
	*len = n;
	return buf ? buf : malloc(1);
}

static void run_file(const char *path)
{
	size_t len = 0;
	unsigned char *data = slurp(path, &len);
	pid_t pid;
	int status = 0;
	if (!data) {
		printf("FAIL %s (cannot read)\n", path);
		failed++;
		return;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0); /* exit(), not _exit(): LeakSanitizer runs at exit */
	}
	free(data);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("FAIL %s\n", path);
		failed++;
	} else {
		printf("ok %s\n", path);
		passed++;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	if (stat(path, &st) != 0) {
		printf("FAIL %s (missing)\n", path);
		failed++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	dir = opendir(path);
	if (!dir) {
		printf("FAIL %s (cannot open)\n", path);
		failed++;
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		char *full;
		size_t l;
		if (de->d_name[0] == '.') {
			continue;
		}
		l = strlen(path) + strlen(de->d_name) + 2;
		full = malloc(l);
		snprintf(full, l, "%s/%s", path, de->d_name);
		if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(full);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		names[n++] = full;
	}
	closedir(dir);
	if (n) {
		qsort(names, n, sizeof(*names), by_name);
	}
	for (i = 0; i < n; i++) {
		run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		run_path(argv[i]);
	}
	printf("# %s: %d passed, %d failed\n", argv[0], passed, failed);
	return failed ? 1 : 0;
}
