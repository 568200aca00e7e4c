/*
 * Fuzz target: the MTA-STS parsers (src/core/mtasts.c): the _mta-sts TXT
 * record, the policy body, and MX pattern matching over what the policy
 * parser accepted. The first byte picks how the rest is used.
 */
#include "fuzz_common.h"
#include "mtasts.h"

#include <string.h>

static int valid_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static void check_record(const char *p, size_t n)
{
	sdiag_mtasts_record_t rec;
	char why[256];
	size_t i, l;
	memset(why, 'x', sizeof(why));
	if (sdiag_mtasts_parse_record(p, n, &rec, why, sizeof(why)) == 0) {
		/* accepted: an MTA-STS record with an id of 1..32 letters/digits */
		FUZZ_ASSERT(sdiag_mtasts_is_record(p, n));
		l = strlen(rec.id);
		FUZZ_ASSERT(l >= 1 && l <= SDIAG_MTASTS_ID_MAX);
		for (i = 0; i < l; i++) {
			char c = rec.id[i];
			FUZZ_ASSERT((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
		}
		/* the id is in the text, after "id=" */
		FUZZ_ASSERT(memmem(p, n, rec.id, l) != NULL);
	} else {
		FUZZ_ASSERT(memchr(why, '\0', sizeof(why)) != NULL);
		FUZZ_ASSERT(clean_text(why, strlen(why)));
	}
}

static void check_policy(const char *p, size_t n)
{
	sdiag_mtasts_policy_t pol;
	char why[256];
	size_t i, j;
	memset(why, 'x', sizeof(why));
	if (sdiag_mtasts_parse_policy(p, n, &pol, why, sizeof(why)) == 0) {
		FUZZ_ASSERT(pol.mode == SDIAG_MTASTS_ENFORCE || pol.mode == SDIAG_MTASTS_TESTING || pol.mode == SDIAG_MTASTS_NONE);
		FUZZ_ASSERT(pol.max_age >= 0 && pol.max_age <= SDIAG_MTASTS_MAX_AGE_MAX);
		FUZZ_ASSERT(pol.nmx <= SDIAG_MTASTS_MX_MAX);
		FUZZ_ASSERT(pol.nmx > 0 || pol.mode == SDIAG_MTASTS_NONE);
		FUZZ_ASSERT(memmem(p, n, "version", 7) != NULL);
		for (i = 0; i < pol.nmx; i++) {
			const char *m = pol.mx[i];
			size_t l = strlen(m);
			const char *name = m[0] == '*' ? m + 2 : m;
			FUZZ_ASSERT(l > 0 && l < sizeof(pol.mx[0]));
			FUZZ_ASSERT(m[0] != '*' || m[1] == '.');
			for (j = 0; name[j]; j++) {
				FUZZ_ASSERT(valid_label_char(name[j]));
			}
			/* a pattern matches its own name, or (wildcard) one label under it */
			if (m[0] == '*') {
				char host[300];
				snprintf(host, sizeof(host), "mx.%s", name);
				FUZZ_ASSERT(sdiag_mtasts_mx_match(m, host));
				FUZZ_ASSERT(!sdiag_mtasts_mx_match(m, name));
				snprintf(host, sizeof(host), "a.b.%s", name);
				FUZZ_ASSERT(!sdiag_mtasts_mx_match(m, host));
			} else {
				FUZZ_ASSERT(sdiag_mtasts_mx_match(m, m));
			}
		}
	} else {
		FUZZ_ASSERT(memchr(why, '\0', sizeof(why)) != NULL);
		FUZZ_ASSERT(clean_text(why, strlen(why)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;
	char a[300], b[300];
	const char *nl;
	if (size == 0) {
		return 0;
	}
	switch (data[0] % 3) {
		case 0:
			check_record(p, n);
			break;
		case 1:
			check_policy(p, n);
			break;
		default:
			/* pattern '\n' host: matching never reads outside either string */
			nl = memchr(p, '\n', n);
			if (nl && (size_t)(nl - p) < sizeof(a) && n - (size_t)(nl - p) - 1 < sizeof(b)) {
				size_t al = (size_t)(nl - p), bl = n - al - 1;
				memcpy(a, p, al);
				a[al] = '\0';
				memcpy(b, nl + 1, bl);
				b[bl] = '\0';
				(void)sdiag_mtasts_mx_match(a, b);
			}
			check_record(p, n);
			check_policy(p, n);
			break;
	}
	return 0;
}
