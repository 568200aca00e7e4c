/* Unit tests: DMARC, TLS-RPT and BIMI records (src/core/dmarc.c,
 * tlsrpt.c, bimi.c), the organisational domain, and the dns.dmarc,
 * dns.tls_rpt and dns.bimi jobs against the in-memory zone. */
#include "bimi.h"
#include "dmarc.h"
#include "tlsrpt.h"
#include "job_stub.h"

static int has(const sdiag_findings_t *fs, sdiag_step_status_t sev, const char *needle)
{
	size_t i;
	for (i = 0; i < fs->n; i++) {
		if (fs->f[i].sev == sev && strstr(fs->f[i].text, needle)) {
			return 1;
		}
	}
	return 0;
}

static void show_findings(const sdiag_findings_t *fs)
{
	size_t i;
	for (i = 0; i < fs->n; i++) {
		printf("    finding %d: %s\n", (int)fs->f[i].sev, fs->f[i].text);
	}
}

TEST(org_domains)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"example.com", "example.com"},
		{"mail.example.com", "example.com"},
		{"a.b.c.Example.COM.", "example.com"},
		{"example.co.uk", "example.co.uk"},
		{"mail.example.co.uk", "example.co.uk"},
		{"x.y.example.com.au", "example.com.au"},
		{"shop.example.co.jp", "example.co.jp"},
		{"co.uk", "co.uk"},
		{"com", "com"},
		{"news.bbc.co.uk", "bbc.co.uk"},
		{"a.example.com.br", "example.com.br"},
		{"uk.example.com", "example.com"},
	};
	size_t i;
	char out[SDIAG_DNS_NAME_MAX];
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			CHECK_INT(sdiag_org_domain(rows[i].in, out, sizeof(out)), 0);
			CHECK_STR(out, rows[i].out);
		}
	}
	CHECK_INT(sdiag_org_domain("", out, sizeof(out)), -1);
	CHECK_INT(sdiag_org_domain("example.com", out, 5), -1);
}

TEST(report_uris)
{
	static const struct {
		const char *in;
		int size_ok, rc, mailto;
		const char *domain, *err;
	} rows[] = {
		{"mailto:dmarc@example.com", 1, 0, 1, "example.com", NULL},
		{"MAILTO:d@Reports.Example.NET!10m", 1, 0, 1, "reports.example.net", NULL},
		{"mailto:d@example.com!100", 1, 0, 1, "example.com", NULL},
		{"mailto:d@example.com?subject=x", 1, 0, 1, "example.com", NULL},
		{"https://reports.example.com/tlsrpt", 0, 0, 0, "reports.example.com", NULL},
		{"mailto:d@example.com!10m", 0, -1, 1, NULL, "size limit ('!') is not allowed"},
		{"mailto:d@example.com!10x", 1, -1, 1, NULL, "digits with an optional k, m, g or t"},
		{"mailto:d@example.com!", 1, -1, 1, NULL, "digits with an optional"},
		{"dmarc@example.com", 1, -1, 0, NULL, "lacks the mailto: scheme; write mailto:dmarc@example.com"},
		{"mailto:example.com", 1, -1, 1, NULL, "is not a mail address"},
		{"mailto:@example.com", 1, -1, 1, NULL, "is not a mail address"},
		{"mailto:d@exa mple.com", 1, -1, 1, NULL, "contains ' '"},
		{"mailto:d@example..com", 1, -1, 1, NULL, "is not a mail address"},
		{"https:/x", 1, -1, 0, NULL, "not an https:// URL"},
		{"https://", 1, -1, 0, NULL, "no valid host"},
		{"ftp://example.com", 1, -1, 0, NULL, "not a mailto: or https: URI"},
	};
	size_t i;
	char err[200];
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			sdiag_report_uri_t u;
			err[0] = '\0';
			CHECK_INT(sdiag_report_uri_parse(rows[i].in, strlen(rows[i].in), rows[i].size_ok, &u, err, sizeof(err)), rows[i].rc);
			if (rows[i].rc == 0) {
				CHECK_INT(u.mailto, rows[i].mailto);
				CHECK_STR(u.domain, rows[i].domain);
				CHECK_STR(u.uri, rows[i].in);
			} else {
				CHECK_CONTAINS(err, rows[i].err);
			}
		}
	}
}

TEST(dmarc_records)
{
	static const struct {
		const char *in;
		sdiag_step_status_t st;
		sdiag_dmarc_policy_t applied;
		const char *text;   /* in a finding of severity st */
	} rows[] = {
		{"v=DMARC1; p=reject; rua=mailto:d@example.com", SDIAG_STEP_OK, SDIAG_DMARC_REJECT, NULL},
		{"v=DMARC1;p=quarantine;rua=mailto:d@example.com,mailto:x@example.net!10m;ruf=mailto:f@example.com;fo=1:d;adkim=s;aspf=r;ri=3600;rf=afrf",
			SDIAG_STEP_OK, SDIAG_DMARC_QUARANTINE, NULL},
		{"V=DMARC1; P=Reject; RUA=mailto:d@example.com", SDIAG_STEP_OK, SDIAG_DMARC_REJECT, NULL},
		{"v=DMARC1; p=none; rua=mailto:d@example.com", SDIAG_STEP_WARN, SDIAG_DMARC_NONE, "p=none is monitoring only: mail failing DMARC is still delivered"},
		{"v=DMARC1; p=reject", SDIAG_STEP_WARN, SDIAG_DMARC_REJECT, "no rua=: nobody receives aggregate reports"},
		{"v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.com", SDIAG_STEP_WARN, SDIAG_DMARC_QUARANTINE, "pct=25: p=quarantine applies to 25%"},
		{"v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", SDIAG_STEP_WARN, SDIAG_DMARC_REJECT, "sp=none: subdomains"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; foo=bar", SDIAG_STEP_WARN, SDIAG_DMARC_REJECT, "unknown tag foo= (offset 46)"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; np=reject", SDIAG_STEP_OK, SDIAG_DMARC_REJECT, NULL},
		{"v=DMARC1; rua=mailto:d@example.com", SDIAG_STEP_WARN, SDIAG_DMARC_NONE, "no p= tag; because rua= is valid, receivers act as if p=none"},
		{"v=DMARC1; p=rejct; rua=mailto:d@example.com", SDIAG_STEP_FAIL, SDIAG_DMARC_NONE, "p=rejct is not none, quarantine or reject"},
		{"v=DMARC1; p=rejct", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "no valid p= and no valid rua="},
		{"v=DMARC1", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "no valid p="},
		{"v=dmarc1; p=reject", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "v=dmarc1: the version must be DMARC1"},
		{"p=reject; v=DMARC1", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "does not start with v=DMARC1"},
		{"v=DMARC1; p=reject; p=none", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "p= appears twice"},
		{"v=DMARC1; p=reject; pct=50%", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "pct=50% is not a percentage"},
		{"v=DMARC1; p=reject; pct=101", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "pct=101"},
		{"v=DMARC1; p=reject; rua=dmarc@example.com", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "lacks the mailto: scheme; write mailto:dmarc@example.com"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; adkim=relaxed", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "adkim=relaxed is not r or s"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; fo=2", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "fo=2: \"2\" is not a failure reporting option"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; rf=iodef", SDIAG_STEP_WARN, SDIAG_DMARC_REJECT, "iodef is not a DMARC report format"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; rf=xml", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "\"xml\" is not a report format"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; ri=-1", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "ri=-1 is not a number of seconds"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; sp=all", SDIAG_STEP_FAIL, SDIAG_DMARC_REJECT, "sp=all is not none"},
		{"v=DMARC1 p=reject", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "v=DMARC1 p=reject: the version must be DMARC1"},
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; \"", SDIAG_STEP_FAIL, SDIAG_DMARC_ABSENT, "found '\"' at offset 46"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			static sdiag_dmarc_rec_t r;
			sdiag_dmarc_parse(&r, rows[i].in, strlen(rows[i].in));
			CHECK_INT(sdiag_findings_worst(&r.findings), rows[i].st);
			CHECK_INT(r.applied, rows[i].applied);
			CHECK_INT(r.valid, rows[i].applied != SDIAG_DMARC_ABSENT);
			if (rows[i].text && !has(&r.findings, rows[i].st, rows[i].text)) {
				t_fail(__FILE__, __LINE__, "no finding with \"%s\"", rows[i].text);
				show_findings(&r.findings);
			}
			if (rows[i].st != SDIAG_STEP_OK) {
				CHECK(sdiag_findings_top(&r.findings)->fix[0] != '\0');
			}
		}
	}
}

TEST(dmarc_values)
{
	static sdiag_dmarc_rec_t r;
	const char *s = "v=DMARC1; p=quarantine; sp=reject; np=reject; pct=100; rua=mailto:a@example.com, mailto:b@example.net!5m;"
		" ruf=mailto:f@example.com; adkim=s; aspf=s; fo=0:1:d:s; ri=3600";
	sdiag_dmarc_parse(&r, s, strlen(s));
	CHECK_INT(r.p, SDIAG_DMARC_QUARANTINE);
	CHECK_INT(r.sp, SDIAG_DMARC_REJECT);
	CHECK_INT(r.np, SDIAG_DMARC_REJECT);
	CHECK_INT(sdiag_dmarc_subdomain_policy(&r), SDIAG_DMARC_REJECT);
	CHECK_INT(r.pct, 100);
	CHECK_SIZE(r.nrua, 2);
	CHECK_STR(r.rua[1].uri, "mailto:b@example.net!5m");
	CHECK_STR(r.rua[1].domain, "example.net");
	CHECK_SIZE(r.nruf, 1);
	CHECK_INT(r.adkim, 's');
	CHECK_INT(r.aspf, 's');
	CHECK_STR(r.fo, "0:1:d:s");
	CHECK_INT(r.ri, 3600);
	/* np= is noted, not warned about */
	CHECK(has(&r.findings, SDIAG_STEP_OK, "RFC 9091"));
	CHECK(sdiag_dmarc_enforced(SDIAG_DMARC_QUARANTINE, 100));
	CHECK(!sdiag_dmarc_enforced(SDIAG_DMARC_QUARANTINE, 99));
	CHECK(sdiag_dmarc_enforced(SDIAG_DMARC_REJECT, 0));
	CHECK(!sdiag_dmarc_enforced(SDIAG_DMARC_NONE, 100));
	CHECK_STR(sdiag_dmarc_policy_name(SDIAG_DMARC_ABSENT), NULL);
}

TEST(tlsrpt_records)
{
	static const struct {
		const char *in;
		int valid;
		sdiag_step_status_t st;
		const char *text;
	} rows[] = {
		{"v=TLSRPTv1; rua=mailto:tls@example.com", 1, SDIAG_STEP_OK, NULL},
		{"v=TLSRPTv1;rua=mailto:tls@example.com,https://reports.example.net/v1", 1, SDIAG_STEP_OK, NULL},
		{"v=TLSRPTv1; rua=mailto:tls@example.com; ext=1", 1, SDIAG_STEP_OK, NULL},
		{"v=TLSRPTv1", 0, SDIAG_STEP_FAIL, "has no rua="},
		{"v=TLSRPTv1; RUA=mailto:tls@example.com", 0, SDIAG_STEP_FAIL, "write rua= in lower case"},
		{"v=tlsrptv1; rua=mailto:tls@example.com", 0, SDIAG_STEP_FAIL, "does not start with v=TLSRPTv1"},
		{"v=TLSRPTv1; rua=tls@example.com", 0, SDIAG_STEP_FAIL, "lacks the mailto: scheme"},
		{"v=TLSRPTv1; rua=mailto:tls@example.com!10m", 0, SDIAG_STEP_FAIL, "size limit"},
		{"v=TLSRPTv1; rua=mailto:a@example.com, http://x.example", 1, SDIAG_STEP_FAIL, "not a mailto: or https: URI"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			static sdiag_tlsrpt_rec_t r;
			sdiag_tlsrpt_parse(&r, rows[i].in, strlen(rows[i].in));
			CHECK_INT(r.valid, rows[i].valid);
			CHECK_INT(sdiag_findings_worst(&r.findings), rows[i].st);
			if (rows[i].text && !has(&r.findings, rows[i].st, rows[i].text)) {
				t_fail(__FILE__, __LINE__, "no finding with \"%s\"", rows[i].text);
				show_findings(&r.findings);
			}
		}
	}
}

TEST(bimi_records)
{
	static const struct {
		const char *in;
		int valid, declined;
		sdiag_step_status_t st;
		const char *text, *logo;
	} rows[] = {
		{"v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem", 1, 0, SDIAG_STEP_OK, NULL, "https://example.com/logo.svg"},
		{"v=BIMI1; l=https://example.com/logo.svg", 1, 0, SDIAG_STEP_OK, NULL, "https://example.com/logo.svg"},
		{"v=BIMI1; l=; a=;", 1, 1, SDIAG_STEP_OK, NULL, ""},
		{"v=BIMI1; l=", 1, 1, SDIAG_STEP_OK, NULL, ""},
		{"v=BIMI1; l=https://example.com/logo.png", 1, 0, SDIAG_STEP_WARN, "does not end in .svg", "https://example.com/logo.png"},
		{"v=BIMI1; l=http://example.com/logo.svg", 0, 0, SDIAG_STEP_FAIL, "must be an https:// URL", ""},
		{"v=BIMI1; l=https://a.example/1.svg,https://b.example/2.svg", 0, 0, SDIAG_STEP_FAIL, "several URLs", ""},
		{"v=BIMI1; l=https://example.com/logo.svg; a=http://example.com/vmc.pem", 0, 0, SDIAG_STEP_FAIL, "certificate (PEM) must be an https:// URL", "https://example.com/logo.svg"},
		{"v=BIMI1; l=https://example.com/logo.svg; avp=logo", 1, 0, SDIAG_STEP_WARN, "avp=logo is not brand or personal", "https://example.com/logo.svg"},
		{"v=BIMI1; a=https://example.com/vmc.pem", 0, 0, SDIAG_STEP_FAIL, "has no l=", ""},
		{"v=BIMI2; l=https://example.com/logo.svg", 0, 0, SDIAG_STEP_FAIL, "does not start with v=BIMI1", ""},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			static sdiag_bimi_rec_t r;
			sdiag_bimi_parse(&r, rows[i].in, strlen(rows[i].in));
			CHECK_INT(r.valid, rows[i].valid);
			CHECK_INT(r.declined, rows[i].declined);
			CHECK_INT(sdiag_findings_worst(&r.findings), rows[i].st);
			CHECK_STR(r.logo, rows[i].logo);
			if (rows[i].text && !has(&r.findings, rows[i].st, rows[i].text)) {
				t_fail(__FILE__, __LINE__, "no finding with \"%s\"", rows[i].text);
				show_findings(&r.findings);
			}
		}
	}
}

/* ---- dns.dmarc ---- */

static const char *problem(const t_job_t *j, size_t i)
{
	return t_vstr(sdiag_v_at(sdiag_v_get(j->job.step.data, "problems"), i), "message");
}

TEST(job_dmarc_ok)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	t_zone_add(z, "_dmarc.example.com", "TXT", "google-site-verification=xyz");
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:d@mail.example.com");
	t_job_start(&j, sdiag_job_dmarc, z, "example.com", NULL, 0);
	CHECK_INT(j.job.done, 1);
	CHECK_STR(j.job.step.id, "dns.dmarc");
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "DMARC policy p=reject at _dmarc.example.com");
	CHECK_STR(t_vstr(j.job.step.data, "policy"), "reject");
	CHECK_STR(t_vstr(j.job.step.data, "subdomain_policy"), "reject");
	CHECK_STR(t_vstr(j.job.step.data, "org_domain"), "example.com");
	CHECK_INT(t_vbool(j.job.step.data, "inherited"), 0);
	CHECK_INT(t_vint(j.job.step.data, "pct"), 100);
	CHECK_STR(t_vstr(j.job.step.data, "adkim"), "r");
	CHECK_SIZE(sdiag_v_count(sdiag_v_get(j.job.step.data, "rua")), 2);
	/* both destinations are the domain's own: no authorisation asked */
	CHECK_SIZE(sdiag_v_count(sdiag_v_get(j.job.step.data, "external")), 0);
	CHECK_STR(t_zone_log(z), "TXT _dmarc.example.com\n");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_dmarc_missing_and_inherited)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	t_job_start(&j, sdiag_job_dmarc, z, "mail.example.co.uk", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_STR(j.job.step.message, "no DMARC record at _dmarc.mail.example.co.uk nor at its organisational domain's _dmarc.example.co.uk");
	CHECK_CONTAINS(j.job.step.hint, "Publish TXT at _dmarc.mail.example.co.uk: \"v=DMARC1; p=none; rua=mailto:dmarc@example.co.uk\"");
	CHECK_STR(t_zone_log(z), "TXT _dmarc.mail.example.co.uk\nTXT _dmarc.example.co.uk\n");
	t_job_free(&j);

	t_zone_add(z, "_dmarc.example.co.uk", "TXT", "v=DMARC1; p=reject; sp=quarantine; pct=100; rua=mailto:d@example.co.uk");
	t_job_start(&j, sdiag_job_dmarc, z, "mail.example.co.uk", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "DMARC policy p=quarantine at _dmarc.example.co.uk (the organisational domain's, inherited)");
	CHECK_INT(t_vbool(j.job.step.data, "inherited"), 1);
	CHECK_STR(t_vstr(j.job.step.data, "applied_policy"), "quarantine");
	CHECK_STR(t_vstr(j.job.step.data, "name"), "_dmarc.example.co.uk");
	CHECK_CONTAINS(problem(&j, 0), "mail.example.co.uk has no DMARC record of its own");
	t_job_free(&j);

	t_job_start(&j, sdiag_job_dmarc, z, "example.com", NULL, 0);
	CHECK_STR(j.job.step.message, "no DMARC record at _dmarc.example.com");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_dmarc_multiple_and_failures)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=reject");
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=none");
	t_job_start(&j, sdiag_job_dmarc, z, "a.example.com", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_STR(j.job.step.message, "2 DMARC records at _dmarc.example.com: receivers apply no policy at all (RFC 7489 6.6.3)");
	CHECK_CONTAINS(j.job.step.hint, "Merge them");
	t_job_free(&j);

	/* a failure at the domain ends the discovery: no fallback */
	t_zone_fault(z, "_dmarc.b.example.com", "TXT", SDIAG_DNS_SERVFAIL);
	t_job_start(&j, sdiag_job_dmarc, z, "b.example.com", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_STR(j.job.step.message, "the look-up of TXT _dmarc.b.example.com failed: servfail (test zone)");
	CHECK_CONTAINS(j.job.step.hint, "temperror");
	t_job_free(&j);

	/* a DMARC record of another kind is no record */
	t_zone_add(z, "_dmarc.example.org", "TXT", "v=DMARC2; p=reject");
	t_job_start(&j, sdiag_job_dmarc, z, "example.org", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_STR(j.job.step.message, "no DMARC record at _dmarc.example.org");
	CHECK_INT(t_vint(j.job.step.data, "records"), 0);
	t_job_free(&j);

	/* the version tag not first: ignored by receivers, and said so (no
	 * fallback to the organisational domain, whose record would hide it) */
	t_zone_add(z, "_dmarc.mail.example.net", "TXT", "p=reject; v=DMARC1");
	t_zone_add(z, "_dmarc.example.net", "TXT", "v=DMARC1; p=none");
	t_job_start(&j, sdiag_job_dmarc, z, "mail.example.net", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_STR(j.job.step.message, "the TXT record at _dmarc.mail.example.net names v=DMARC1 but does not begin with it: receivers ignore it and apply no DMARC policy");
	CHECK_CONTAINS(j.job.step.hint, "Start the record with the version tag");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_dmarc_external)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	sdiag_value_t *ext;
	t_zone_add(z, "_dmarc.example.com", "TXT",
		"v=DMARC1; p=none; rua=mailto:a@rep.example.net,mailto:b@dmarc.vendor.example!10m,mailto:c@rep.example.net; ruf=mailto:f@slow.example.org");
	t_zone_add(z, "example.com._report._dmarc.rep.example.net", "TXT", "v=DMARC1");
	t_zone_add(z, "*._report._dmarc.dmarc.vendor.example", "TXT", "v=DMARC1;");
	t_zone_add(z, "example.com._report._dmarc.dmarc.vendor.example", "TXT", "v=DMARC1;");
	t_zone_fault(z, "example.com._report._dmarc.slow.example.org", "TXT", SDIAG_DNS_TIMEOUT);
	t_zone_defer(z, 1);
	t_job_start(&j, sdiag_job_dmarc, z, "example.com", NULL, 0);
	CHECK_INT(j.job.done, 0);
	t_zone_flush(z);
	CHECK_INT(j.job.done, 1);
	/* the three look-ups ran at once, after the policy */
	CHECK_SIZE(t_zone_max_inflight(z), 3);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	ext = sdiag_v_get(j.job.step.data, "external");
	REQUIRE(sdiag_v_count(ext) == 3);
	CHECK_STR(t_vstr(sdiag_v_at(ext, 0), "destination"), "rep.example.net");
	CHECK_INT(t_vbool(sdiag_v_at(ext, 0), "authorised"), 1);
	CHECK_STR(t_vstr(sdiag_v_at(ext, 1), "name"), "example.com._report._dmarc.dmarc.vendor.example");
	CHECK_INT(t_vbool(sdiag_v_at(ext, 1), "authorised"), 1);
	CHECK_INT(t_vbool(sdiag_v_at(ext, 2), "authorised"), 0);
	CHECK_STR(t_vstr(sdiag_v_at(ext, 2), "dns"), "timeout");
	CHECK_CONTAINS(problem(&j, 1), "could not check that slow.example.org accepts reports for example.com");
	t_job_free(&j);

	/* a destination that has not agreed */
	t_zone_free(z);
	z = t_zone_new();
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:dmarc@reports.example.net");
	t_job_start(&j, sdiag_job_dmarc, z, "example.com", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_STR(j.job.step.message, "_dmarc.example.com: reports.example.net has not agreed to receive DMARC reports for example.com: no v=DMARC1 record at "
		"example.com._report._dmarc.reports.example.net (RFC 7489 7.1), so receivers do not send them");
	CHECK_CONTAINS(j.job.step.hint, "publish TXT \"v=DMARC1\" at example.com._report._dmarc.reports.example.net");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_dmarc_alloc_failures)
{
	t_zone_t *z = t_zone_new();
	unsigned long n;
	int hit = 1;
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=quarantine; pct=50; rua=mailto:d@x.example.net");
	for (n = 1; hit && n < 2000; n++) {
		t_job_t j;
		t_alloc_fail_nth(n);
		t_job_start(&j, sdiag_job_dmarc, z, "mail.example.com", NULL, 0);
		hit = t_alloc_hit();
		t_alloc_reset();
		CHECK_INT(j.job.done, 1);
		t_job_free(&j);
	}
	CHECK(!hit);
	CHECK(n > 10);
	t_zone_free(z);
}

/* ---- dns.tls_rpt ---- */

TEST(job_tls_rpt)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	t_job_start(&j, sdiag_job_tls_rpt, z, "example.com", NULL, 0);
	CHECK_STR(j.job.step.id, "dns.tls_rpt");
	CHECK_INT(j.job.step.status, SDIAG_STEP_SKIP);
	CHECK_STR(j.job.step.message, "no TLS-RPT record at _smtp._tls.example.com (optional; recommended with MTA-STS or DANE)");
	CHECK_CONTAINS(j.job.step.hint, "v=TLSRPTv1; rua=mailto:tls-reports@example.com");
	t_job_free(&j);

	t_zone_add(z, "_smtp._tls.example.com", "TXT", "v=TLSRPTv1; rua=mailto:tls@example.com");
	t_job_start(&j, sdiag_job_tls_rpt, z, "example.com", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "TLS-RPT reports for example.com go to mailto:tls@example.com");
	CHECK_STR(t_vstr(j.job.step.data, "record"), "v=TLSRPTv1; rua=mailto:tls@example.com");
	t_job_free(&j);

	t_zone_add(z, "_smtp._tls.example.org", "TXT", "v=TLSRPTv1; rua=tls@example.org");
	t_job_start(&j, sdiag_job_tls_rpt, z, "example.org", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(j.job.step.message, "_smtp._tls.example.org: rua=: \"tls@example.org\" lacks the mailto: scheme");
	t_job_free(&j);

	t_zone_add(z, "_smtp._tls.example.org", "TXT", "v=TLSRPTv1; rua=mailto:b@example.org");
	t_job_start(&j, sdiag_job_tls_rpt, z, "example.org", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_STR(j.job.step.message, "2 TLS-RPT records at _smtp._tls.example.org: senders then ignore them all (RFC 8460 3)");
	t_job_free(&j);

	t_zone_fault(z, "_smtp._tls.example.net", NULL, SDIAG_DNS_TIMEOUT);
	t_job_start(&j, sdiag_job_tls_rpt, z, "example.net", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(j.job.step.message, "failed: timeout");
	t_job_free(&j);
	t_zone_free(z);
}

/* ---- dns.bimi ---- */

TEST(job_bimi)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	t_job_start(&j, sdiag_job_bimi, z, "example.com", NULL, 0);
	CHECK_STR(j.job.step.id, "dns.bimi");
	CHECK_INT(j.job.step.status, SDIAG_STEP_SKIP);
	CHECK_STR(j.job.step.message, "no BIMI record at default._bimi.example.com (optional)");
	t_job_free(&j);

	t_zone_add(z, "default._bimi.example.com", "TXT", "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem");
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com");
	t_zone_defer(z, 1);
	t_job_start(&j, sdiag_job_bimi, z, "example.com", NULL, 0);
	/* the BIMI record and the DMARC policy are asked at once */
	CHECK_INT(j.job.done, 0);
	t_zone_flush(z);
	CHECK_SIZE(t_zone_max_inflight(z), 2);
	CHECK_INT(j.job.done, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_STR(j.job.step.message, "default._bimi.example.com: BIMI needs DMARC at enforcement, but _dmarc.example.com says p=none: mailbox providers show no logo");
	CHECK_INT(t_vbool(j.job.step.data, "dmarc_enforced"), 0);
	CHECK_STR(t_vstr(j.job.step.data, "logo"), "https://example.com/logo.svg");
	CHECK_STR(t_vstr(j.job.step.data, "authority"), "https://example.com/vmc.pem");
	t_job_free(&j);
	t_zone_free(z);

	/* a subdomain inherits the organisational domain's policy (sp=) */
	z = t_zone_new();
	t_zone_add(z, "default._bimi.news.example.com", "TXT", "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem");
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:d@example.com");
	t_job_start(&j, sdiag_job_bimi, z, "news.example.com", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "BIMI record at default._bimi.news.example.com; DMARC is at enforcement");
	CHECK_INT(t_vbool(j.job.step.data, "dmarc_enforced"), 1);
	CHECK_STR(t_vstr(j.job.step.data, "dmarc_policy"), "reject");
	t_job_free(&j);

	/* no DMARC at all; a declination needs none */
	t_zone_add(z, "default._bimi.example.org", "TXT", "v=BIMI1; l=https://example.org/logo.svg");
	t_zone_add(z, "default._bimi.example.net", "TXT", "v=BIMI1; l=;");
	t_job_start(&j, sdiag_job_bimi, z, "example.org", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(j.job.step.message, "example.org has no usable DMARC policy");
	t_job_free(&j);
	t_job_start(&j, sdiag_job_bimi, z, "example.net", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "BIMI record at default._bimi.example.net declines a logo");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_bimi_tlsrpt_alloc_failures)
{
	t_zone_t *z = t_zone_new();
	void (*jobs[])(sdiag_job_t *) = {sdiag_job_bimi, sdiag_job_tls_rpt};
	size_t k;
	t_zone_add(z, "default._bimi.example.com", "TXT", "v=BIMI1; l=https://example.com/logo.svg");
	t_zone_add(z, "_smtp._tls.example.com", "TXT", "v=TLSRPTv1; rua=mailto:tls@example.com");
	t_zone_add(z, "_dmarc.example.com", "TXT", "v=DMARC1; p=reject");
	for (k = 0; k < 2; k++) {
		unsigned long n;
		int hit = 1;
		for (n = 1; hit && n < 2000; n++) {
			t_job_t j;
			t_alloc_fail_nth(n);
			t_job_start(&j, jobs[k], z, "example.com", NULL, 0);
			hit = t_alloc_hit();
			t_alloc_reset();
			CHECK_INT(j.job.done, 1);
			t_job_free(&j);
		}
		CHECK(!hit);
		CHECK(n > 5);
	}
	t_zone_free(z);
}

TEST_MAIN("dmarc",
	T(org_domains), T(report_uris), T(dmarc_records), T(dmarc_values), T(tlsrpt_records), T(bimi_records),
	T(job_dmarc_ok), T(job_dmarc_missing_and_inherited), T(job_dmarc_multiple_and_failures), T(job_dmarc_external),
	T(job_dmarc_alloc_failures), T(job_tls_rpt), T(job_bimi), T(job_bimi_tlsrpt_alloc_failures))
