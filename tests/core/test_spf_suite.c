/*
 * The RFC 7208 conformance suite (openspf / pyspf rfc7208-tests.yml) run
 * against src/core/spf.c: each scenario's zone is served by the in-memory
 * zone, each test case is one row. tests/spf/suite.py converts the YAML
 * (see its header for the line format); the Makefile writes the converted
 * file to build/spf-suite.txt when the suite sits beside the checkout
 * (../shared/data/spf/). SDIAG_SPF_SUITE or the first argument names
 * another file.
 *
 * Every case is evaluated twice, with answers given inside query() and
 * with answers held and delivered later; both must give the same result.
 */
#include "test.h"
#include "zone.h"
#include "spf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unhex(const char *h, char *out, size_t cap)
{
	size_t n = 0;
	if (strcmp(h, "-") == 0) {
		out[0] = '\0';
		return 0;
	}
	while (h[0] && h[1] && n + 1 < cap) {
		unsigned v;
		if (sscanf(h, "%2x", &v) != 1) {
			return -1;
		}
		out[n++] = (char)v;
		h += 2;
	}
	out[n] = '\0';
	return *h ? -1 : (int)n;
}

static void add_record(t_zone_t *z, const char *name, const char *type, const char *val)
{
	char buf[4096];
	if (strcmp(type, "TIMEOUT") == 0) {
		t_zone_fault_rest(z, name, SDIAG_DNS_TIMEOUT);
		return;
	}
	if (strcmp(type, "SPF") == 0) {
		/* the type SPF is never asked (RFC 7208 3.1); suite.py already
		 * serves these records as TXT where the suite says so */
		return;
	}
	if (strcmp(type, "TXT") == 0) {
		/* "-": no strings; "a,b": several strings */
		const char *strs[64];
		char parts[64][1024];
		size_t lens[64], n = 0;
		const char *p = val;
		if (strcmp(val, "-") != 0) {
			while (*p && n < 64) {
				size_t l = strcspn(p, ",");
				char h[2048];
				snprintf(h, sizeof(h), "%.*s", (int)l, p);
				int l2 = unhex(h, parts[n], sizeof(parts[n]));
				if (l2 < 0) {
					abort();
				}
				lens[n] = (size_t)l2;
				strs[n] = parts[n];
				n++;
				p += l + (p[l] == ',');
			}
		}
		t_zone_add_txt_raw(z, name, strs, lens, n);
		return;
	}
	if (unhex(val, buf, sizeof(buf)) < 0) {
		abort();
	}
	t_zone_add(z, name, type, buf);
}

typedef struct run {
	int done;
} run_t;

static void on_done(void *ud, sdiag_spf_t *s)
{
	(void)s;
	((run_t *)ud)->done++;
}

static int accepted(const char *list, const char *r)
{
	size_t n = strlen(r);
	const char *p = list;
	while (*p) {
		size_t l = strcspn(p, ",");
		if (l == n && strncmp(p, r, n) == 0) {
			return 1;
		}
		p += l + (p[l] == ',');
	}
	return 0;
}

TEST(rfc7208_suite)
{
	const char *path = getenv("SDIAG_SPF_SUITE");
	FILE *fp;
	char line[16384], scenario[256] = "";
	t_zone_t *z = NULL;
	int cases = 0;

	if (!path) {
		path = "build/spf-suite.txt";
	}
	fp = fopen(path, "r");
	if (!fp) {
		printf("SKIP rfc7208 suite: %s not found (the suite is read from ../shared/data/spf/rfc7208-tests.yml "
		       "beside the checkout and converted by tests/spf/suite.py, which needs python3 and PyYAML)\n",
			path);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		char f[7][4096];
		int nf;
		line[strcspn(line, "\n")] = '\0';
		memset(f, 0, sizeof(f));
		nf = sscanf(line, "%4095s %4095s %4095s %4095s %4095s %4095s %4095s", f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
		if (nf >= 2 && strcmp(f[0], "S") == 0) {
			t_zone_free(z);
			z = t_zone_new();
			unhex(f[1], scenario, sizeof(scenario));
		} else if (nf == 4 && strcmp(f[0], "Z") == 0 && z) {
			char name[1024];
			unhex(f[1], name, sizeof(name));
			add_record(z, name, f[2], f[3]);
		} else if (nf == 7 && strcmp(f[0], "T") == 0 && z) {
			char helo[1024], from[1024], exp[1024];
			sdiag_spf_req_t req;
			memset(&req, 0, sizeof(req));
			unhex(f[3], helo, sizeof(helo));
			unhex(f[4], from, sizeof(from));
			unhex(f[6], exp, sizeof(exp));
			req.ip = f[2];
			req.helo = helo;
			req.sender = from;
			cases++;
			ROW("%s: %s", scenario, f[1]) {
				run_t r1 = {0}, r2 = {0};
				sdiag_spf_t *s1, *s2;
				const char *got;
				size_t q0 = t_zone_queries(z);
				s1 = sdiag_spf_start(t_zone_ops(z), &req, on_done, &r1);
				if (!s1) {
					CHECK(s1 != NULL);
					continue;
				}
				CHECK_INT(r1.done, 1);
				got = sdiag_spf_result_name(sdiag_spf_result(s1));
				if (!accepted(f[5], got)) {
					t_fail(__FILE__, __LINE__, "result %s, expected %s (problem: %s)", got, f[5], sdiag_spf_problem(s1));
				}
				if (exp[0] && strcmp(exp, "DEFAULT") != 0) {
					CHECK_STR(sdiag_spf_explanation(s1), exp);
				}
				CHECK(sdiag_spf_lookups(s1) <= SDIAG_SPF_LOOKUP_MAX || sdiag_spf_result(s1) == SDIAG_SPF_PERMERROR);
				/* the same with every answer held back and delivered later */
				t_zone_defer(z, 1);
				s2 = sdiag_spf_start(t_zone_ops(z), &req, on_done, &r2);
				if (s2) {
					while (t_zone_flush(z)) {
					}
					CHECK_INT(r2.done, 1);
					CHECK_STR(sdiag_spf_result_name(sdiag_spf_result(s2)), got);
					CHECK_STR(sdiag_spf_explanation(s2), sdiag_spf_explanation(s1));
				}
				t_zone_defer(z, 0);
				(void)q0;
				sdiag_spf_free(s1);
				sdiag_spf_free(s2);
			}
		}
	}
	fclose(fp);
	/* RFC 7208 3.1: the SPF RR type is never asked */
	if (z) {
		CHECK(strstr(t_zone_log(z), "SPF ") == NULL);
	}
	t_zone_free(z);
	CHECK(cases > 0);
}

TEST_MAIN("spf_suite", T(rfc7208_suite))
