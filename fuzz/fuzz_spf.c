/*
 * Fuzz target: SPF (src/core/spf.c). The input is up to 12 lines; the last
 * byte picks the client IP (IPv4, IPv6, IPv4-mapped, none: walk mode) and
 * whether answers are held back or the evaluation is freed mid-flight.
 *   - the syntax checker and the macro expander on the first line;
 *   - check_host() for example.com, whose TXT record is the first line;
 *     line k is the record of i<k>.example.com, so records can include and
 *     redirect to each other. A few fixed records (A, AAAA, MX, PTR, an
 *     explanation, a name that times out) give the mechanisms something
 *     to find.
 * Oracles: the callback runs once, the result is a valid one, look-up
 * counts stay within the limits unless the result is permerror, a record
 * that fails the syntax check gives permerror, the explanation and the
 * problem are set for the results they belong to, the expansion is
 * consistent between buffer sizes.
 */
#include "fuzz_common.h"
#include "spf.h"

#include <string.h>

/* The in-memory zone of the unit tests, compiled into this target (the
 * fuzz build links the core only). */
#include "../tests/core/zone.c"

#define LINES_MAX 12

typedef struct done {
	int n;
} done_t;

static void on_done(void *ud, sdiag_spf_t *s)
{
	(void)s;
	((done_t *)ud)->n++;
}

static void check_expand(const sdiag_spf_req_t *req, const char *s, size_t n)
{
	char small[64], big[8192];
	int explain;
	for (explain = 0; explain < 2; explain++) {
		long a = sdiag_spf_expand(req, "example.com", "mail.example.com", s, n, explain, small, sizeof(small));
		long b = sdiag_spf_expand(req, "example.com", "mail.example.com", s, n, explain, big, sizeof(big));
		FUZZ_ASSERT(a == b);
		if (a < 0) {
			continue;
		}
		FUZZ_ASSERT(strlen(small) == (size_t)(a < (long)sizeof(small) ? a : (long)sizeof(small) - 1));
		if ((size_t)a < sizeof(big)) {
			FUZZ_ASSERT(strlen(big) == (size_t)a);
			FUZZ_ASSERT(strncmp(small, big, strlen(small)) == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ips[] = {"192.0.2.1", "2001:db8::1", NULL, "::ffff:192.0.2.1"};
	const char *line[LINES_MAX];
	size_t len[LINES_MAX], nlines = 0, i = 0;
	unsigned flags = size ? data[size - 1] : 0;
	sdiag_spf_req_t req;
	t_zone_t *z;
	sdiag_spf_t *s;
	done_t d = {0};
	char why[256];
	int syntax_ok, is_spf;

	if (size) {
		size--;
	}
	while (i <= size && nlines < LINES_MAX) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - data) : size;
		line[nlines] = (const char *)data + i;
		len[nlines++] = e - i;
		i = e + 1;
	}

	memset(&req, 0, sizeof(req));
	req.ip = ips[flags & 3];
	req.sender = "user@example.com";
	req.helo = "helo.example.com";

	syntax_ok = sdiag_spf_syntax(line[0], len[0], why, sizeof(why)) == 0;
	FUZZ_ASSERT(syntax_ok || why[0]);
	is_spf = len[0] >= 6 && sdiag_strncasecmp(line[0], "v=spf1", 6) == 0 && (len[0] == 6 || line[0][6] == ' ');
	FUZZ_ASSERT(!syntax_ok || is_spf);
	check_expand(&req, line[0], len[0]);

	z = t_zone_new();
	for (i = 0; i < nlines; i++) {
		char name[32];
		const char *str = line[i];
		snprintf(name, sizeof(name), i ? "i%zu.example.com" : "example.com", i);
		t_zone_add_txt_raw(z, name, &str, &len[i], 1);
	}
	t_zone_add(z, "example.com", "A", "192.0.2.1");
	t_zone_add(z, "example.com", "AAAA", "2001:db8::1");
	t_zone_add(z, "example.com", "MX", "10 mx.example.com");
	t_zone_add(z, "mx.example.com", "A", "192.0.2.2");
	t_zone_add(z, "1.2.0.192.in-addr.arpa", "PTR", "mail.example.com");
	t_zone_add(z, "mail.example.com", "A", "192.0.2.1");
	t_zone_add(z, "e.example.com", "TXT", "%{i} (%{p}) may not send for %{d}: %{S} %{c} %{r} %{v}");
	t_zone_fault(z, "t.example.com", NULL, SDIAG_DNS_TIMEOUT);
	t_zone_defer(z, (flags & 4) != 0);

	s = sdiag_spf_start(t_zone_ops(z), &req, on_done, &d);
	FUZZ_ASSERT(s != NULL);
	if (flags & 8) {
		/* freed with answers still due: they must be ignored safely */
		sdiag_spf_free(s);
		s = NULL;
	}
	while (t_zone_flush(z)) {
	}
	if (s) {
		sdiag_spf_result_t r = sdiag_spf_result(s);
		sdiag_value_t *v;
		FUZZ_ASSERT(d.n == 1);
		FUZZ_ASSERT(r >= SDIAG_SPF_NONE && r <= SDIAG_SPF_PERMERROR);
		FUZZ_ASSERT(sdiag_spf_lookups(s) <= SDIAG_SPF_LOOKUP_MAX || r == SDIAG_SPF_PERMERROR);
		FUZZ_ASSERT(sdiag_spf_void_lookups(s) <= SDIAG_SPF_VOID_MAX || r == SDIAG_SPF_PERMERROR);
		FUZZ_ASSERT((r == SDIAG_SPF_FAIL) == (sdiag_spf_explanation(s)[0] != '\0'));
		FUZZ_ASSERT((r == SDIAG_SPF_NONE || r == SDIAG_SPF_PERMERROR || r == SDIAG_SPF_TEMPERROR) ==
			(sdiag_spf_problem(s)[0] != '\0'));
		if (!is_spf) {
			FUZZ_ASSERT(r == SDIAG_SPF_NONE);
		} else if (!syntax_ok) {
			FUZZ_ASSERT(r == SDIAG_SPF_PERMERROR);
		}
		if (!req.ip) {
			/* walk mode never matches */
			FUZZ_ASSERT(r != SDIAG_SPF_PASS && r != SDIAG_SPF_FAIL && r != SDIAG_SPF_SOFTFAIL);
		}
		v = sdiag_spf_data(s);
		FUZZ_ASSERT(v != NULL);
		FUZZ_ASSERT(strcmp(sdiag_v_get(v, "result")->u.str.s, sdiag_spf_result_name(r)) == 0);
		sdiag_v_free(v);
		sdiag_spf_free(s);
	} else {
		FUZZ_ASSERT(d.n <= 1);
	}
	t_zone_free(z);
	return 0;
}
