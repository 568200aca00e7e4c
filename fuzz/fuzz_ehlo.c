/*
 * Fuzz target: the EHLO capability parser (src/core/ehlo.c).
 * The input is the text of a 250 reply (lines joined by '\n').
 */
#include "fuzz_common.h"
#include "ehlo.h"

#include <string.h>

static void check(const sdiag_caps_t *c)
{
	size_t i, j;
	FUZZ_ASSERT(c->n <= SDIAG_CAPS_MAX);
	FUZZ_ASSERT(c->size_limit < 10000000000000ULL);
	for (i = 0; i < c->n; i++) {
		const sdiag_cap_t *cap = &c->caps[i];
		size_t kl = strlen(cap->keyword);
		FUZZ_ASSERT(kl > 0 && kl < SDIAG_CAP_KEYWORD_MAX);
		for (j = 0; j < kl; j++) {
			char ch = cap->keyword[j];
			FUZZ_ASSERT((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-');
		}
		for (j = 0; j < i; j++) {
			FUZZ_ASSERT(strcmp(c->caps[j].keyword, cap->keyword) != 0);
		}
		FUZZ_ASSERT(sdiag_caps_find(c, cap->keyword) == cap);
		if (cap->params) {
			/* (a NUL byte from the server may leave it empty as a C string) */
			FUZZ_ASSERT(!strchr(cap->params, '\n'));
		}
	}
	/* every mechanism listed for AUTH is found by sdiag_caps_has_auth() */
	{
		const sdiag_cap_t *a = sdiag_caps_find(c, "AUTH");
		if (a && a->params) {
			char mech[128];
			const char *p = a->params;
			while (*p) {
				size_t n = strcspn(p, " ");
				if (n && n < sizeof(mech)) {
					memcpy(mech, p, n);
					mech[n] = '\0';
					FUZZ_ASSERT(sdiag_caps_has_auth(c, mech));
				}
				p += n;
				p += strspn(p, " ");
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sdiag_caps_t c;
	sdiag_caps_init(&c);
	FUZZ_ASSERT(sdiag_caps_parse(&c, (const char *)data, size) == 0);
	check(&c);
	(void)sdiag_caps_has_auth(&c, "PLAIN");
	(void)sdiag_caps_has_auth(&c, "");
	/* parsing again into the same struct frees the previous result */
	FUZZ_ASSERT(sdiag_caps_parse(&c, (const char *)data, size / 2) == 0);
	check(&c);
	sdiag_caps_free(&c);
	return 0;
}
