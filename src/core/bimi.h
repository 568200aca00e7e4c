/*
 * smtpdiag core: BIMI assertion records (draft-brand-indicators-for-message-
 * identification, the BIMI Group's specification) and the dns.bimi check,
 * which also asks whether the domain's DMARC policy is at enforcement, as
 * mailbox providers require before they show a logo. sdiag_bimi_parse() is
 * a pure function of the record text and is fuzzed (fuzz/fuzz_dmarc.c).
 */
#ifndef SDIAG_BIMI_H
#define SDIAG_BIMI_H

#include "taglist.h"

typedef struct sdiag_bimi_rec {
	int valid;                 /* v=BIMI1 first, l= present and usable (or empty) */
	int declined;              /* l= and a= empty: the domain declines to show a logo */
	char logo[512];            /* l=, "" when empty */
	char authority[512];       /* a= (the VMC/CMC), "" when absent or empty */
	sdiag_findings_t findings;
} sdiag_bimi_rec_t;

void sdiag_bimi_parse(sdiag_bimi_rec_t *r, const char *rec, size_t len);

#endif
