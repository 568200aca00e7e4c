/*
 * smtpdiag core: DMARC policy records (RFC 7489, with RFC 9091's np=),
 * their discovery at the domain or its organisational domain, and the
 * dns.dmarc check; the organisational domain; the report URIs that DMARC
 * and TLS-RPT records share.
 *
 * sdiag_dmarc_parse() is a pure function of the record text (no DNS, no
 * allocation) and is fuzzed (fuzz/fuzz_dmarc.c). The discovery
 * (sdiag_dmarc_lookup_*) is reused by dns.bimi, which needs the policy too.
 */
#ifndef SDIAG_DMARC_H
#define SDIAG_DMARC_H

#include <stddef.h>

#include "dns.h"
#include "taglist.h"

typedef enum sdiag_dmarc_policy {
	SDIAG_DMARC_ABSENT = 0,
	SDIAG_DMARC_NONE,
	SDIAG_DMARC_QUARANTINE,
	SDIAG_DMARC_REJECT,
	SDIAG_DMARC_INVALID        /* present with a value that is none of the above */
} sdiag_dmarc_policy_t;

/* One URI of a rua=/ruf= list. */
typedef struct sdiag_report_uri {
	char uri[256];             /* as published (cut to fit) */
	char domain[SDIAG_DNS_NAME_MAX];  /* mailto: the address's domain, lower-cased; https: the host */
	int mailto;
} sdiag_report_uri_t;

#define SDIAG_DMARC_URIS_MAX 6

typedef struct sdiag_dmarc_rec {
	int valid;                 /* receivers use the record (v=DMARC1 first, tag list parsed, a policy to apply) */
	sdiag_dmarc_policy_t p, sp, np;
	/* the policy receivers apply to the policy domain: p, or none when p is
	 * missing or invalid but rua= holds a valid URI (RFC 7489 6.6.3); ABSENT
	 * when the record is unusable */
	sdiag_dmarc_policy_t applied;
	int pct;                   /* 100 by default */
	char adkim, aspf;          /* 'r' (default) or 's' */
	char fo[16];               /* "0" by default */
	char rf[16];               /* "afrf" by default */
	unsigned long ri;          /* 86400 by default */
	sdiag_report_uri_t rua[SDIAG_DMARC_URIS_MAX], ruf[SDIAG_DMARC_URIS_MAX];
	size_t nrua, nruf;
	sdiag_findings_t findings;
} sdiag_dmarc_rec_t;

/* Parse a DMARC record: every problem becomes a finding naming the tag.
 * FAIL: the record is unusable, or a tag's value is invalid (OpenDMARC and
 * others then discard the whole record). WARN: p=none, no rua=, pct<100,
 * sp=none under a stronger p, unknown tags. Notes: np=, https: URIs. */
void sdiag_dmarc_parse(sdiag_dmarc_rec_t *r, const char *rec, size_t len);

/* The policy that applies to a subdomain of the policy domain: sp, else p. */
sdiag_dmarc_policy_t sdiag_dmarc_subdomain_policy(const sdiag_dmarc_rec_t *r);
/* "none", "quarantine", "reject", "invalid" or NULL for ABSENT. */
const char *sdiag_dmarc_policy_name(sdiag_dmarc_policy_t p);
/* Whether receivers enforce the policy on the domain: quarantine at pct=100
 * or reject. BIMI asks for this. */
int sdiag_dmarc_enforced(sdiag_dmarc_policy_t p, int pct);

/* Parse one report URI (s[0..n), trimmed): "mailto:addr" with, when
 * allow_size, an optional "!<digits>[kmgt]" size limit (RFC 7489 6.2), or
 * "https://host/...". Returns 0, or -1 with err set to what is wrong and how
 * to write it. */
int sdiag_report_uri_parse(const char *s, size_t n, int allow_size, sdiag_report_uri_t *u, char *err, size_t errcap);

/* The organisational domain of domain (RFC 7489 3.2), lower-cased, without
 * a final dot. No Public Suffix List ships with the extension: a table of
 * common multi-label public suffixes (co.uk, com.au, co.jp, ...) stands in
 * for it, and every other domain's organisational domain is its last two
 * labels. That is wrong for suffixes not in the table (a domain under
 * "kawasaki.jp" or a private suffix such as "github.io" gets one label too
 * few), so a record found there is reported as inherited from a name that a
 * PSL-aware receiver would not ask. Returns 0, or -1 when it does not fit. */
int sdiag_org_domain(const char *domain, char *out, size_t cap);

/* Policy discovery (RFC 7489 6.6.3): TXT _dmarc.<domain>; records not
 * starting with v=DMARC1 are ignored; none there (or no such name): the
 * same at the organisational domain. More than one record, or a DNS failure,
 * ends the discovery with no policy. done() runs exactly once, possibly
 * before sdiag_dmarc_lookup_start() returns, as the last thing the lookup
 * does (it may free the lookup). */
typedef struct sdiag_dmarc_lookup {
	sdiag_dns_ops_t ops;
	char domain[SDIAG_DNS_NAME_MAX];
	char org[SDIAG_DNS_NAME_MAX];
	void (*done)(struct sdiag_dmarc_lookup *l);
	void *ud;
	/* the outcome */
	int found;                 /* exactly one DMARC record, at name */
	int inherited;             /* found at the organisational domain */
	size_t nrecords;           /* DMARC records at name */
	size_t misplaced;          /* TXT records there naming v=DMARC1 but not first: ignored by receivers */
	char name[SDIAG_DNS_NAME_MAX + 8];   /* _dmarc.<policy_domain>: where it was found, or the last name asked */
	char policy_domain[SDIAG_DNS_NAME_MAX];
	char *record;              /* the record (found only) */
	sdiag_dmarc_rec_t rec;     /* parsed (found only) */
	sdiag_dns_status_t dns;    /* of the last look-up */
	char why[200];
	int oom;
} sdiag_dmarc_lookup_t;

void sdiag_dmarc_lookup_start(sdiag_dmarc_lookup_t *l, sdiag_dns_ops_t ops, const char *domain,
	void (*done)(sdiag_dmarc_lookup_t *l), void *ud);
void sdiag_dmarc_lookup_free(sdiag_dmarc_lookup_t *l);
/* Whether the lookup ended on a DNS failure (not a missing record). */
int sdiag_dmarc_lookup_failed(const sdiag_dmarc_lookup_t *l);

#endif
