/*
 * smtpdiag core: the tag=value lists of DKIM key records (RFC 6376 3.2),
 * whose syntax DMARC (RFC 7489 6.4), TLS-RPT (RFC 8460 3) and BIMI records
 * share, and the findings the record checks report about them.
 *
 * The parser is a pure function over the record text: it never allocates,
 * the tags point into the text, and it stops at SDIAG_TAGS_MAX tags.
 */
#ifndef SDIAG_TAGLIST_H
#define SDIAG_TAGLIST_H

#include <stddef.h>

#include "report.h"
#include "value.h"

#define SDIAG_TAGS_MAX 32

typedef struct sdiag_tag {
	const char *name;   /* ALPHA *(ALPHA / DIGIT / "_"), not NUL-terminated */
	size_t nlen;
	const char *val;    /* without the whitespace around it; inner whitespace kept */
	size_t vlen;
	size_t off;         /* offset of the name in the record */
} sdiag_tag_t;

typedef struct sdiag_taglist {
	sdiag_tag_t tags[SDIAG_TAGS_MAX];
	size_t n;
	char err[200];      /* "" when the list parsed; otherwise what is wrong and where */
} sdiag_taglist_t;

/* Parse s[0..len). Whitespace (SP, HTAB, CR, LF) may surround names, '='
 * and values; an empty tag-spec (";;", a final ';') is tolerated as every
 * verifier does. A duplicate tag name makes the whole list invalid
 * (RFC 6376 3.2); icase compares names ignoring ASCII case, as DMARC's ABNF
 * does (DKIM's names are case-sensitive). Returns 0, or -1 with tl->err set
 * (the tags before the error are kept). */
int sdiag_taglist_parse(sdiag_taglist_t *tl, const char *s, size_t len, int icase);
const sdiag_tag_t *sdiag_taglist_get(const sdiag_taglist_t *tl, const char *name, int icase);
/* Whether a tag's name / value is exactly s (icase: ignoring ASCII case). */
int sdiag_tag_name_is(const sdiag_tag_t *t, const char *s, int icase);
int sdiag_tag_val_is(const sdiag_tag_t *t, const char *s, int icase);
/* Copy a value into buf (cut to fit, NUL-terminated). */
const char *sdiag_tag_val(const sdiag_tag_t *t, char *buf, size_t cap);

/* Items of a value separated by sep (':' for DKIM's h=, s=, t=, DMARC's
 * fo=; ',' for URI lists), whitespace around each item dropped. Start with
 * *pos = 0; returns 0 and sets item/ilen, or -1 when there are no more. An
 * empty item is returned as such (ilen 0). */
int sdiag_list_next(const char *v, size_t vlen, char sep, size_t *pos, const char **item, size_t *ilen);

/* Whether text (after leading whitespace) starts with the tag-spec
 * "v=<version>" followed by ';', whitespace or the end; the name and value
 * compare ignoring case, so that "v=dmarc1" is found and then reported
 * rather than silently ignored. */
int sdiag_record_is(const char *text, size_t len, const char *version);

/* What a record check found: sev is SDIAG_STEP_FAIL, SDIAG_STEP_WARN or
 * SDIAG_STEP_OK (a note that does not change the status). text says what is
 * wrong naming the tag; fix what to publish instead. */
#define SDIAG_FINDINGS_MAX 10
typedef struct sdiag_finding {
	sdiag_step_status_t sev;
	char text[240];
	char fix[240];
} sdiag_finding_t;

typedef struct sdiag_findings {
	sdiag_finding_t f[SDIAG_FINDINGS_MAX];
	size_t n;
} sdiag_findings_t;

/* Add a finding (fix may be NULL). When the list is full, a finding more
 * severe than the last one replaces it, so that a failure is never lost. */
void sdiag_findings_add(sdiag_findings_t *fs, sdiag_step_status_t sev, const char *fix, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
/* SDIAG_STEP_OK when there is no warning or failure. */
sdiag_step_status_t sdiag_findings_worst(const sdiag_findings_t *fs);
/* The first finding of the worst severity, or NULL when there is none above OK. */
const sdiag_finding_t *sdiag_findings_top(const sdiag_findings_t *fs);
/* Append each as {status, message, hint} to list. */
void sdiag_findings_put(const sdiag_findings_t *fs, sdiag_value_t *list);

#endif
