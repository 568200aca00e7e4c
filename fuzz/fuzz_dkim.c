/*
 * Fuzz target: the tag-list parser (src/core/taglist.c) and DKIM key
 * records with their key loading through OpenSSL (src/core/dkim.c).
 * The input is the TXT data of a key record.
 */
#include "fuzz_common.h"
#include "dkim.h"

#include <string.h>

static void check_findings(const sdiag_findings_t *fs)
{
	size_t i;
	FUZZ_ASSERT(fs->n <= SDIAG_FINDINGS_MAX);
	for (i = 0; i < fs->n; i++) {
		FUZZ_ASSERT(fs->f[i].sev == SDIAG_STEP_OK || fs->f[i].sev == SDIAG_STEP_WARN || fs->f[i].sev == SDIAG_STEP_FAIL);
		FUZZ_ASSERT(memchr(fs->f[i].text, '\0', sizeof(fs->f[i].text)) != NULL);
		FUZZ_ASSERT(fs->f[i].text[0] != '\0');
		FUZZ_ASSERT(memchr(fs->f[i].fix, '\0', sizeof(fs->f[i].fix)) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sdiag_dkim_key_t k;
	sdiag_taglist_t tl;
	const char *s = (const char *)data;
	size_t i, j;
	int rc;

	for (int icase = 0; icase < 2; icase++) {
		rc = sdiag_taglist_parse(&tl, s, size, icase);
		FUZZ_ASSERT(tl.n <= SDIAG_TAGS_MAX);
		FUZZ_ASSERT((rc == 0) == (tl.err[0] == '\0'));
		for (i = 0; i < tl.n; i++) {
			const sdiag_tag_t *t = &tl.tags[i];
			FUZZ_ASSERT(t->name >= s && t->name + t->nlen <= s + size && t->nlen > 0);
			FUZZ_ASSERT(t->val >= t->name + t->nlen && t->val + t->vlen <= s + size);
			FUZZ_ASSERT(t->off == (size_t)(t->name - s));
			FUZZ_ASSERT(!memchr(t->val, ';', t->vlen));
			for (j = 0; j < i; j++) {
				FUZZ_ASSERT(!(tl.tags[j].nlen == t->nlen && memcmp(tl.tags[j].name, t->name, t->nlen) == 0));
			}
			FUZZ_ASSERT(sdiag_taglist_get(&tl, "", icase) == NULL);
		}
	}

	sdiag_dkim_check(&k, s, size);
	check_findings(&k.findings);
	FUZZ_ASSERT(k.derlen <= SDIAG_DKIM_DER_MAX);
	FUZZ_ASSERT(memchr(k.key_type, '\0', sizeof(k.key_type)) != NULL);
	if (k.revoked) {
		FUZZ_ASSERT(sdiag_findings_worst(&k.findings) == SDIAG_STEP_FAIL && !k.loaded);
	}
	if (k.loaded) {
		FUZZ_ASSERT(k.bits > 0 && k.derlen > 0 && strlen(k.sha256) == 64);
		if (k.ktype == SDIAG_DKIM_RSA && k.bits < 1024) {
			FUZZ_ASSERT(sdiag_findings_worst(&k.findings) == SDIAG_STEP_FAIL);
		}
	} else {
		FUZZ_ASSERT(k.bits == 0);
		/* a record without a usable key is never reported as fine */
		FUZZ_ASSERT(sdiag_findings_worst(&k.findings) == SDIAG_STEP_FAIL);
	}
	return 0;
}
