/*
 * Fuzz target: the policy records of src/core/dmarc.c, tlsrpt.c and
 * bimi.c, report URIs and the organisational domain. The first byte picks
 * the parser, the rest is the record text (or domain, or URI).
 */
#include "fuzz_common.h"
#include "bimi.h"
#include "dmarc.h"
#include "tlsrpt.h"

#include <string.h>

static void check_findings(const sdiag_findings_t *fs)
{
	size_t i;
	FUZZ_ASSERT(fs->n <= SDIAG_FINDINGS_MAX);
	for (i = 0; i < fs->n; i++) {
		FUZZ_ASSERT(fs->f[i].sev == SDIAG_STEP_OK || fs->f[i].sev == SDIAG_STEP_WARN || fs->f[i].sev == SDIAG_STEP_FAIL);
		FUZZ_ASSERT(memchr(fs->f[i].text, '\0', sizeof(fs->f[i].text)) != NULL && fs->f[i].text[0]);
	}
}

static void check_uri(const sdiag_report_uri_t *u)
{
	size_t i, n = strlen(u->domain);
	FUZZ_ASSERT(n > 0 && n < sizeof(u->domain));
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(!(u->domain[i] >= 'A' && u->domain[i] <= 'Z'));
	}
	FUZZ_ASSERT(memchr(u->uri, '\0', sizeof(u->uri)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sdiag_dmarc_rec_t d;
	static sdiag_tlsrpt_rec_t t;
	static sdiag_bimi_rec_t b;
	const char *s = (const char *)data + 1;
	size_t i, n;

	if (size == 0) {
		return 0;
	}
	n = size - 1;
	switch (data[0] % 5) {
	case 0:
		sdiag_dmarc_parse(&d, s, n);
		check_findings(&d.findings);
		FUZZ_ASSERT(d.pct >= 0 && d.pct <= 100);
		FUZZ_ASSERT(d.valid == (d.applied != SDIAG_DMARC_ABSENT));
		FUZZ_ASSERT(d.applied != SDIAG_DMARC_INVALID);
		FUZZ_ASSERT(d.adkim == 'r' || d.adkim == 's');
		FUZZ_ASSERT(d.aspf == 'r' || d.aspf == 's');
		FUZZ_ASSERT(d.nrua <= SDIAG_DMARC_URIS_MAX && d.nruf <= SDIAG_DMARC_URIS_MAX);
		for (i = 0; i < d.nrua; i++) {
			check_uri(&d.rua[i]);
		}
		for (i = 0; i < d.nruf; i++) {
			check_uri(&d.ruf[i]);
		}
		if (!d.valid) {
			FUZZ_ASSERT(sdiag_findings_worst(&d.findings) == SDIAG_STEP_FAIL);
		}
		if (d.applied == SDIAG_DMARC_NONE || d.nrua == 0) {
			FUZZ_ASSERT(sdiag_findings_worst(&d.findings) != SDIAG_STEP_OK);
		}
		break;
	case 1:
		sdiag_tlsrpt_parse(&t, s, n);
		check_findings(&t.findings);
		FUZZ_ASSERT(t.nrua <= SDIAG_DMARC_URIS_MAX);
		FUZZ_ASSERT(!t.valid || t.nrua > 0);
		for (i = 0; i < t.nrua; i++) {
			check_uri(&t.rua[i]);
		}
		break;
	case 2:
		sdiag_bimi_parse(&b, s, n);
		check_findings(&b.findings);
		FUZZ_ASSERT(memchr(b.logo, '\0', sizeof(b.logo)) && memchr(b.authority, '\0', sizeof(b.authority)));
		if (b.declined) {
			FUZZ_ASSERT(b.valid && !b.logo[0]);
		}
		if (b.logo[0]) {
			FUZZ_ASSERT(strncmp(b.logo, "https://", 8) == 0 || strncmp(b.logo, "HTTPS://", 8) == 0 || b.logo[0] == 'h' || b.logo[0] == 'H');
		}
		break;
	case 3: {
		char in[300], out[SDIAG_DNS_NAME_MAX];
		size_t m = n < sizeof(in) - 1 ? n : sizeof(in) - 1;
		memcpy(in, s, m);
		in[m] = '\0';
		if (sdiag_org_domain(in, out, sizeof(out)) == 0) {
			size_t ol = strlen(out), il = strlen(in);
			if (il && in[il - 1] == '.') {
				il--;
			}
			FUZZ_ASSERT(ol > 0 && ol <= il);
			/* a suffix of the name, ignoring case, on a label boundary */
			FUZZ_ASSERT(ol == il || in[il - ol - 1] == '.');
			for (i = 0; i < ol; i++) {
				char c = in[il - ol + i];
				FUZZ_ASSERT(out[i] == ((c >= 'A' && c <= 'Z') ? c + 32 : c));
			}
		}
		break;
	}
	default: {
		sdiag_report_uri_t u;
		char err[200];
		if (sdiag_report_uri_parse(s, n, data[0] & 0x80, &u, err, sizeof(err)) == 0) {
			check_uri(&u);
		} else {
			FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) && err[0]);
		}
		break;
	}
	}
	return 0;
}
