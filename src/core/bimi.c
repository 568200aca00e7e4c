/* smtpdiag core: BIMI records and the dns.bimi check. */
#include "bimi.h"
#include "compat.h"
#include "dmarc.h"
#include "dnscheck.h"

#include <stdio.h>
#include <string.h>

#define FIX_BIMI "publish TXT at default._bimi.<domain>: v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem"

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && sdiag_strncasecmp(s + n - k, suffix, k) == 0;
}

/* An https:// URL with a host; what the tag is for names the finding. */
static int https_url(sdiag_bimi_rec_t *r, const sdiag_tag_t *t, const char *tag, const char *what)
{
	sdiag_report_uri_t u;
	char err[200];
	if (t->vlen < 8 || sdiag_strncasecmp(t->val, "https://", 8) != 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "mailbox providers fetch BIMI files over HTTPS only; use an https:// URL",
			"%s=%.*s: the %s must be an https:// URL", tag, (int)(t->vlen > 120 ? 120 : t->vlen), t->val, what);
		return -1;
	}
	if (memchr(t->val, ',', t->vlen)) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "list one URL only (comma-separated lists were dropped from the BIMI draft)",
			"%s= lists several URLs: mailbox providers take one", tag);
		return -1;
	}
	if (sdiag_report_uri_parse(t->val, t->vlen, 0, &u, err, sizeof(err)) != 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "use an https:// URL with a host name", "%s=: %s", tag, err);
		return -1;
	}
	return 0;
}

void sdiag_bimi_parse(sdiag_bimi_rec_t *r, const char *rec, size_t len)
{
	sdiag_taglist_t tl;
	const sdiag_tag_t *t, *l, *a;
	char buf[48];
	size_t i;

	memset(r, 0, sizeof(*r));
	if (sdiag_taglist_parse(&tl, rec, len, 1) != 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_BIMI, "the BIMI record is not a valid tag list: %s", tl.err);
		return;
	}
	t = tl.n ? &tl.tags[0] : NULL;
	if (!t || !sdiag_tag_name_is(t, "v", 1) || !sdiag_tag_val_is(t, "BIMI1", 0)) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_BIMI, "the record does not start with v=BIMI1, so mailbox providers ignore it%s%s",
			t ? ": it starts with " : "", t ? sdiag_tag_val(t, buf, sizeof(buf)) : "");
		return;
	}
	for (i = 1; i < tl.n; i++) {
		t = &tl.tags[i];
		if (sdiag_tag_name_is(t, "avp", 1)) {
			if (!sdiag_tag_val_is(t, "brand", 1) && !sdiag_tag_val_is(t, "personal", 1)) {
				sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "set avp=brand or avp=personal, or drop it (brand is the default)",
					"avp=%s is not brand or personal; mailbox providers ignore it", sdiag_tag_val(t, buf, sizeof(buf)));
			}
		} else if (!sdiag_tag_name_is(t, "l", 1) && !sdiag_tag_name_is(t, "a", 1)) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL, "%.*s= is not a BIMI tag (v, l, a, avp); mailbox providers ignore it", (int)(t->nlen > 32 ? 32 : t->nlen), t->name);
		}
	}
	l = sdiag_taglist_get(&tl, "l", 1);
	a = sdiag_taglist_get(&tl, "a", 1);
	if (!l) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_BIMI, "the record has no l= (the logo's URL; an empty l= declines BIMI)");
		return;
	}
	if (l->vlen == 0 && (!a || a->vlen == 0)) {
		r->declined = 1;
		r->valid = 1;
		sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL, "l= and a= are empty: the domain declines to show a logo");
		return;
	}
	if (l->vlen == 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "put the logo's https:// URL in l= (the SVG the certificate in a= covers)",
			"l= is empty but a= is not: providers that use the logo in the certificate show it, others show none");
	} else if (https_url(r, l, "l", "logo") == 0) {
		sdiag_tag_val(l, r->logo, sizeof(r->logo));
		if (!ends_with(l->val, l->vlen, ".svg")) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "serve the logo as SVG Tiny Portable/Secure, at a URL ending in .svg",
				"l= does not end in .svg: BIMI logos are SVG Tiny PS files");
		}
	} else {
		return;
	}
	if (!a || a->vlen == 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_OK, "a Verified Mark Certificate or Common Mark Certificate (from DigiCert or Entrust/Sectigo) goes in a= as the URL of its PEM file",
			"no a= (mark certificate): Gmail and Apple Mail show no logo without one; Yahoo and some others do");
	} else if (https_url(r, a, "a", "certificate (PEM)") == 0) {
		sdiag_tag_val(a, r->authority, sizeof(r->authority));
		if (!ends_with(a->val, a->vlen, ".pem")) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL, "a= does not end in .pem; it must serve the certificate chain in PEM form");
		}
	} else {
		return;
	}
	r->valid = 1;
}

/* ---- the dns.bimi job ---- */

typedef struct bimi_job {
	sdiag_job_t *job;
	char name[SDIAG_DNS_NAME_MAX + 16];
	sdiag_dns_status_t dns;
	char why[200];
	size_t nrecords;
	char *record;
	sdiag_bimi_rec_t rec;
	sdiag_dmarc_lookup_t dmarc;
} bimi_job_t;

static void bimi_free(sdiag_job_t *job)
{
	bimi_job_t *bj = job->priv;
	if (bj) {
		sdiag_dmarc_lookup_free(&bj->dmarc);
		sdiag_free(bj->record);
		sdiag_free(bj);
		job->priv = NULL;
	}
}

static void bimi_finish(bimi_job_t *bj)
{
	sdiag_job_t *job = bj->job;
	sdiag_value_t *data = job->step.data;
	sdiag_dmarc_lookup_t *dl = &bj->dmarc;
	sdiag_dmarc_policy_t pol = SDIAG_DMARC_ABSENT;
	const sdiag_finding_t *top;
	char hint[SDIAG_HINT_MAX];
	int enforced = 0;

	sdiag_v_put_str(data, "name", bj->name);
	sdiag_v_put_str(data, "record", bj->record);
	if (dl->found && dl->rec.valid) {
		/* at a subdomain that inherits the organisational domain's record, sp= (or p=) applies */
		pol = dl->inherited ? sdiag_dmarc_subdomain_policy(&dl->rec) : dl->rec.applied;
		enforced = sdiag_dmarc_enforced(pol, dl->rec.pct) && dl->rec.sp != SDIAG_DMARC_NONE;
	}
	sdiag_v_put_str(data, "dmarc_policy", sdiag_dmarc_policy_name(pol));
	sdiag_v_put_bool(data, "dmarc_enforced", enforced);
	if (bj->nrecords == 0) {
		sdiag_v_put_null(data, "logo");
		sdiag_v_put_null(data, "authority");
		if (bj->dns != SDIAG_DNS_OK && bj->dns != SDIAG_DNS_NODATA && bj->dns != SDIAG_DNS_NXDOMAIN) {
			sdiag_textf(hint, sizeof(hint), "check that every name server of %s answers for %s", job->in->domain, bj->name);
			sdiag_job_done(job, SDIAG_STEP_WARN, hint, "the look-up of TXT %s failed: %s", bj->name, bj->why);
			return;
		}
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no BIMI record at %s (optional)", bj->name);
		return;
	}
	if (bj->nrecords > 1) {
		sdiag_v_put_null(data, "logo");
		sdiag_v_put_null(data, "authority");
		sdiag_textf(hint, sizeof(hint), "keep one v=BIMI1 record at %s", bj->name);
		sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "%zu BIMI records at %s: mailbox providers then use none", bj->nrecords, bj->name);
		return;
	}
	sdiag_v_put_str(data, "logo", bj->rec.logo[0] ? bj->rec.logo : NULL);
	sdiag_v_put_str(data, "authority", bj->rec.authority[0] ? bj->rec.authority : NULL);
	sdiag_v_put_bool(data, "declined", bj->rec.declined);
	if (bj->rec.valid && !bj->rec.declined && !enforced) {
		if (sdiag_dmarc_lookup_failed(dl)) {
			sdiag_findings_add(&bj->rec.findings, SDIAG_STEP_WARN, "retry; mailbox providers that get the same failure show no logo",
				"could not check the DMARC policy BIMI depends on: the look-up of TXT %s failed (%s)", dl->name, dl->why);
		} else if (!dl->found || !dl->rec.valid) {
			sdiag_findings_add(&bj->rec.findings, SDIAG_STEP_WARN, "publish a DMARC record with p=quarantine (pct=100) or p=reject first",
				"BIMI needs DMARC at enforcement, and %s has no usable DMARC policy: no logo is shown", job->in->domain);
		} else {
			sdiag_findings_add(&bj->rec.findings, SDIAG_STEP_WARN, "move DMARC to p=quarantine with pct=100, or p=reject, and drop sp=none",
				"BIMI needs DMARC at enforcement, but %s says p=%s%s%s: mailbox providers show no logo", dl->name, sdiag_dmarc_policy_name(pol),
				dl->rec.pct < 100 ? " with pct below 100" : "", dl->rec.sp == SDIAG_DMARC_NONE ? " and sp=none" : "");
		}
	}
	sdiag_findings_put(&bj->rec.findings, sdiag_v_put_list(data, "problems"));
	top = sdiag_findings_top(&bj->rec.findings);
	if (!top) {
		sdiag_job_done(job, SDIAG_STEP_OK, NULL, bj->rec.declined ? "BIMI record at %s declines a logo" : "BIMI record at %s; DMARC is at enforcement", bj->name);
		return;
	}
	sdiag_job_done(job, top->sev, top->fix, "%s: %s", bj->name, top->text);
}

static void bimi_on_txt(void *ud, const sdiag_dns_result_t *res)
{
	bimi_job_t *bj = ud;
	const sdiag_dns_rr_t *rr, *one = NULL;
	size_t pos = 0;
	bj->dns = res->status;
	sdiag_strlcpy(bj->why, res->why, sizeof(bj->why));
	while (res->status == SDIAG_DNS_OK && (rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
		if (sdiag_record_is((const char *)rr->data, rr->len, "BIMI1")) {
			bj->nrecords++;
			one = rr;
		}
	}
	if (bj->nrecords == 1) {
		bj->record = sdiag_strndup((const char *)one->data, one->len < 8192 ? one->len : 8192);
		sdiag_bimi_parse(&bj->rec, (const char *)one->data, one->len);
	}
	if (--bj->job->pending == 0) {
		bimi_finish(bj);
	}
}

static void bimi_on_dmarc(sdiag_dmarc_lookup_t *l)
{
	bimi_job_t *bj = l->ud;
	if (--bj->job->pending == 0) {
		bimi_finish(bj);
	}
}

void sdiag_job_bimi(sdiag_job_t *job)
{
	bimi_job_t *bj;

	job->step.id = "dns.bimi";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	if (!job->in->domain || !job->in->domain[0]) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no sender domain to check the BIMI record of");
		return;
	}
	bj = sdiag_calloc(1, sizeof(*bj));
	if (!bj) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	bj->job = job;
	job->priv = bj;
	job->free_priv = bimi_free;
	sdiag_textf(bj->name, sizeof(bj->name), "default._bimi.%s", job->in->domain);
	/* the BIMI record and the DMARC policy at once */
	job->pending = 3;
	job->in->ops.query(job->in->ops.ctx, bj->name, SDIAG_DNS_T_TXT, bimi_on_txt, bj);
	sdiag_dmarc_lookup_start(&bj->dmarc, job->in->ops, job->in->domain, bimi_on_dmarc, bj);
	if (--job->pending == 0) {
		bimi_finish(bj);
	}
}
