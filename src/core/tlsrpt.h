/*
 * smtpdiag core: SMTP TLS Reporting policy records (RFC 8460 3) and the
 * dns.tls_rpt check. sdiag_tlsrpt_parse() is a pure function of the record
 * text and is fuzzed (fuzz/fuzz_dmarc.c).
 */
#ifndef SDIAG_TLSRPT_H
#define SDIAG_TLSRPT_H

#include "dmarc.h"

typedef struct sdiag_tlsrpt_rec {
	int valid;                 /* v=TLSRPTv1 first and at least one valid rua= URI */
	sdiag_report_uri_t rua[SDIAG_DMARC_URIS_MAX];
	size_t nrua;
	sdiag_findings_t findings;
} sdiag_tlsrpt_rec_t;

void sdiag_tlsrpt_parse(sdiag_tlsrpt_rec_t *r, const char *rec, size_t len);

#endif
