/* smtpdiag core: TLS-RPT records (RFC 8460) and the dns.tls_rpt check. */
#include "tlsrpt.h"
#include "compat.h"
#include "dnscheck.h"

#include <stdio.h>
#include <string.h>

#define FIX_TLSRPT "publish one TXT record at _smtp._tls.<domain>: v=TLSRPTv1; rua=mailto:tls-reports@<domain> (https:// URLs work too)"

void sdiag_tlsrpt_parse(sdiag_tlsrpt_rec_t *r, const char *rec, size_t len)
{
	sdiag_taglist_t tl;
	const sdiag_tag_t *t;
	char buf[48], err[200];
	size_t i, pos = 0, ilen;
	const char *it;

	memset(r, 0, sizeof(*r));
	if (sdiag_taglist_parse(&tl, rec, len, 0) != 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_TLSRPT, "the TLS-RPT record is not a valid tag list: %s", tl.err);
		return;
	}
	t = tl.n ? &tl.tags[0] : NULL;
	if (!t || !sdiag_tag_name_is(t, "v", 0) || !sdiag_tag_val_is(t, "TLSRPTv1", 0)) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_TLSRPT, "the record does not start with v=TLSRPTv1 (exactly so, RFC 8460 3), so senders ignore it%s%s",
			t ? ": it starts with " : "", t ? sdiag_tag_val(t, buf, sizeof(buf)) : "");
		return;
	}
	for (i = 1; i < tl.n; i++) {
		t = &tl.tags[i];
		if (!sdiag_tag_name_is(t, "rua", 0)) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL, "%.*s= is not a TLS-RPT tag (RFC 8460 3 has v and rua); senders ignore it", (int)(t->nlen > 32 ? 32 : t->nlen), t->name);
		}
	}
	t = sdiag_taglist_get(&tl, "rua", 0);
	if (!t) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_TLSRPT, "the record has no rua= (where to send the reports)%s",
			sdiag_taglist_get(&tl, "rua", 1) ? "; tag names are case-sensitive: write rua= in lower case" : "");
		return;
	}
	while (sdiag_list_next(t->val, t->vlen, ',', &pos, &it, &ilen) == 0) {
		sdiag_report_uri_t u;
		if (ilen == 0) {
			continue;
		}
		if (sdiag_report_uri_parse(it, ilen, 0, &u, err, sizeof(err)) != 0) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "rua= takes mailto:address or https:// URLs, comma-separated", "rua=: %s", err);
			continue;
		}
		if (r->nrua < SDIAG_DMARC_URIS_MAX) {
			r->rua[r->nrua++] = u;
		}
	}
	if (r->nrua == 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_TLSRPT, "rua= holds no valid URI, so no report can be sent");
		return;
	}
	r->valid = 1;
}

/* ---- the dns.tls_rpt job ---- */

typedef struct tlsrpt_job {
	sdiag_job_t *job;
	char name[SDIAG_DNS_NAME_MAX + 16];
} tlsrpt_job_t;

static void tlsrpt_free(sdiag_job_t *job)
{
	sdiag_free(job->priv);
	job->priv = NULL;
}

static void tlsrpt_on_txt(void *ud, const sdiag_dns_result_t *res)
{
	tlsrpt_job_t *tj = ud;
	sdiag_job_t *job = tj->job;
	sdiag_value_t *data = job->step.data, *list;
	const sdiag_dns_rr_t *rr, *one = NULL;
	sdiag_tlsrpt_rec_t rec;
	const sdiag_finding_t *top;
	size_t pos = 0, n = 0, i;
	char hint[SDIAG_HINT_MAX];

	sdiag_v_put_str(data, "name", tj->name);
	while (res->status == SDIAG_DNS_OK && (rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
		if (sdiag_record_is((const char *)rr->data, rr->len, "TLSRPTv1")) {
			n++;
			one = rr;
		}
	}
	if (n == 0) {
		sdiag_v_put_null(data, "record");
		if (res->status != SDIAG_DNS_OK && res->status != SDIAG_DNS_NODATA && res->status != SDIAG_DNS_NXDOMAIN) {
			sdiag_textf(hint, sizeof(hint), "check that every name server of %s answers for %s", job->in->domain, tj->name);
			sdiag_job_done(job, SDIAG_STEP_WARN, hint, "the look-up of TXT %s failed: %s", tj->name, res->why);
			return;
		}
		sdiag_textf(hint, sizeof(hint), "to learn when senders fail to reach you over TLS, publish TXT at %s: \"v=TLSRPTv1; rua=mailto:tls-reports@%s\"", tj->name, job->in->domain);
		sdiag_job_done(job, SDIAG_STEP_SKIP, hint, "no TLS-RPT record at %s (optional; recommended with MTA-STS or DANE)", tj->name);
		return;
	}
	if (n > 1) {
		sdiag_v_put_null(data, "record");
		sdiag_textf(hint, sizeof(hint), "keep one v=TLSRPTv1 record at %s, with every destination in its rua=", tj->name);
		sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "%zu TLS-RPT records at %s: senders then ignore them all (RFC 8460 3)", n, tj->name);
		return;
	}
	sdiag_v_put_strn(data, "record", (const char *)one->data, one->len < 8192 ? one->len : 8192);
	sdiag_tlsrpt_parse(&rec, (const char *)one->data, one->len);
	list = sdiag_v_put_list(data, "rua");
	for (i = 0; i < rec.nrua; i++) {
		sdiag_v_push_str(list, rec.rua[i].uri);
	}
	sdiag_findings_put(&rec.findings, sdiag_v_put_list(data, "problems"));
	top = sdiag_findings_top(&rec.findings);
	if (!top) {
		sdiag_job_done(job, SDIAG_STEP_OK, NULL, "TLS-RPT reports for %s go to %s%s", job->in->domain, rec.rua[0].uri, rec.nrua > 1 ? " and more" : "");
		return;
	}
	sdiag_job_done(job, top->sev, top->fix, "%s: %s", tj->name, top->text);
}

void sdiag_job_tls_rpt(sdiag_job_t *job)
{
	tlsrpt_job_t *tj;

	job->step.id = "dns.tls_rpt";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	if (!job->in->domain || !job->in->domain[0]) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no sender domain to check the TLS-RPT record of");
		return;
	}
	tj = sdiag_calloc(1, sizeof(*tj));
	if (!tj) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	tj->job = job;
	job->priv = tj;
	job->free_priv = tlsrpt_free;
	sdiag_textf(tj->name, sizeof(tj->name), "_smtp._tls.%s", job->in->domain);
	job->in->ops.query(job->in->ops.ctx, tj->name, SDIAG_DNS_T_TXT, tlsrpt_on_txt, tj);
}
