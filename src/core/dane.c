/* smtpdiag core: DANE TLSA matching and the dns.dane job (see dane.h). */
#include "dane.h"
#include "dnscheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DANE_RR_MAX 32

const char *sdiag_dane_usage_name(uint8_t usage)
{
	switch (usage) {
		case SDIAG_DANE_PKIX_TA: return "PKIX-TA";
		case SDIAG_DANE_PKIX_EE: return "PKIX-EE";
		case SDIAG_DANE_DANE_TA: return "DANE-TA";
		case SDIAG_DANE_DANE_EE: return "DANE-EE";
		default: return "unknown";
	}
}

/* Whether rr's data is the selected part of ci under its matching type. */
static int matches_cert(const sdiag_dane_rr_t *rr, const sdiag_cert_info_t *ci)
{
	size_t der_len = rr->selector == 0 ? ci->cert_der_len : ci->spki_der_len;
	const unsigned char *h256 = rr->selector == 0 ? ci->cert_sha256 : ci->spki_sha256;
	const unsigned char *h512 = rr->selector == 0 ? ci->cert_sha512 : ci->spki_sha512;
	unsigned char md[64];
	if (der_len == 0) {
		return 0;
	}
	switch (rr->mtype) {
		case 0:
			/* the full DER: equal length and equal SHA-512 (tls.h keeps no DER) */
			return rr->len == der_len && sdiag_sha512(rr->data, rr->len, md) == 0 && memcmp(md, h512, 64) == 0;
		case 1:
			return memcmp(rr->data, h256, 32) == 0;
		default:
			return memcmp(rr->data, h512, 64) == 0;
	}
}

sdiag_dane_verdict_t sdiag_dane_match(const sdiag_dane_rr_t *rr, const sdiag_tls_info_t *tls, int *depth, char *why, size_t whylen)
{
	size_t first, last, i;
	int ee = rr->usage == SDIAG_DANE_PKIX_EE || rr->usage == SDIAG_DANE_DANE_EE;
	int pkix = rr->usage == SDIAG_DANE_PKIX_EE || rr->usage == SDIAG_DANE_PKIX_TA;
	*depth = -1;
	if (rr->usage > 3) {
		sdiag_textf(why, whylen, "usage %u is not defined (0 to 3, RFC 6698 2.1.1)", rr->usage);
		return SDIAG_DANE_UNUSABLE;
	}
	if (rr->selector > 1) {
		sdiag_textf(why, whylen, "selector %u is not defined (0 full certificate, 1 public key)", rr->selector);
		return SDIAG_DANE_UNUSABLE;
	}
	if (rr->mtype > 2) {
		sdiag_textf(why, whylen, "matching type %u is not defined (0 full, 1 SHA-256, 2 SHA-512)", rr->mtype);
		return SDIAG_DANE_UNUSABLE;
	}
	if ((rr->mtype == 1 && rr->len != 32) || (rr->mtype == 2 && rr->len != 64) || rr->len == 0) {
		sdiag_textf(why, whylen, "the data is %zu bytes, but matching type %u needs %s", rr->len, rr->mtype,
			rr->mtype == 1 ? "32 (a SHA-256 digest)" : rr->mtype == 2 ? "64 (a SHA-512 digest)" : "the DER it names");
		return SDIAG_DANE_UNUSABLE;
	}
	if (!tls || !tls->done || tls->nchain == 0) {
		sdiag_textf(why, whylen, "%s", "no certificate to match: TLS did not run");
		return SDIAG_DANE_NOMATCH;
	}
	first = ee ? 0 : 1;
	last = ee ? 1 : tls->nchain;
	for (i = first; i < last; i++) {
		if (matches_cert(rr, &tls->chain[i])) {
			if (pkix && !tls->verified) {
				sdiag_textf(why, whylen, "matches the certificate at depth %zu, but %s also needs the chain to pass PKIX validation, which failed: %s",
					i, sdiag_dane_usage_name(rr->usage), tls->verify_reason);
				return SDIAG_DANE_NOMATCH;
			}
			*depth = (int)i;
			sdiag_textf(why, whylen, "matches the %s at depth %zu", i == 0 ? "server's certificate" : "CA certificate", i);
			return SDIAG_DANE_MATCH;
		}
	}
	if (!ee && matches_cert(rr, &tls->chain[0])) {
		sdiag_textf(why, whylen, "matches the server's own certificate, but %s must match a CA certificate above it: publish it with usage 3 (DANE-EE)",
			sdiag_dane_usage_name(rr->usage));
		return SDIAG_DANE_NOMATCH;
	}
	if (rr->mtype == 0 && rr->len != (rr->selector == 0 ? tls->chain[0].cert_der_len : tls->chain[0].spki_der_len) && ee) {
		sdiag_textf(why, whylen, "the %zu bytes of data are not the server's %s (%zu bytes)", rr->len,
			rr->selector == 0 ? "certificate" : "public key", rr->selector == 0 ? tls->chain[0].cert_der_len : tls->chain[0].spki_der_len);
		return SDIAG_DANE_NOMATCH;
	}
	if (ee) {
		sdiag_textf(why, whylen, "does not match the server's %s", rr->selector == 0 ? "certificate" : "public key");
	} else if (tls->nchain < 2) {
		sdiag_textf(why, whylen, "%s", "the server sent no CA certificate for it to match (DANE-TA needs the server to send its trust anchor, RFC 7671 5.2.2)");
	} else {
		sdiag_textf(why, whylen, "matches none of the %zu CA certificate%s the server sent", tls->nchain - 1, tls->nchain > 2 ? "s" : "");
	}
	return SDIAG_DANE_NOMATCH;
}

/* ---- the dns.dane job ---- */

typedef struct dane_rec {
	uint8_t usage, selector, mtype;
	unsigned char *data;
	size_t len;
} dane_rec_t;

typedef struct dane_job {
	int have_tlsa;
	sdiag_dns_status_t status;
	char why[256];
	int ad;
	size_t nrr, nrr_total;
	dane_rec_t rr[DANE_RR_MAX];
	char name[SDIAG_DNS_NAME_MAX + 16];
	char host[SDIAG_DNS_NAME_MAX];
	int have_session;
	int tls_ran;
	sdiag_tls_info_t *tls;   /* a copy, when the session ends before the TLSA answer */
} dane_job_t;

static void dane_free(sdiag_job_t *job)
{
	dane_job_t *d = job->priv;
	size_t i;
	if (!d) {
		return;
	}
	for (i = 0; i < d->nrr; i++) {
		sdiag_free(d->rr[i].data);
	}
	sdiag_free(d->tls);
	sdiag_free(d);
	job->priv = NULL;
}

static void hex(char *out, size_t cap, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	if (!cap) {
		return;
	}
	for (i = 0; i < n && 2 * i + 2 < cap; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * i] = '\0';
}

static void finish(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* sdiag_job_done() with a preformatted message; no more session wanted. */
static void finish(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
{
	char msg[SDIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	job->on_session = NULL;
	sdiag_job_done(job, st, hint, "%s", msg);
}

static void evaluate(sdiag_job_t *job, const sdiag_tls_info_t *tls)
{
	dane_job_t *d = job->priv;
	sdiag_value_t *data = job->step.data, *list;
	char spki[65] = "", cert[65] = "", hint[SDIAG_HINT_MAX], matched_rec[160] = "";
	size_t i, nusable = 0, ndane = 0, npkix = 0;
	const char *ad_text = "TLSA records are not DNSSEC-validated by the resolver (AD bit not set): DANE senders will ignore them if the zone is unsigned";

	if (!tls || !tls->done || tls->nchain == 0) {
		sdiag_textf(hint, sizeof(hint), "If %s offers STARTTLS, run the check with encryption starttls or auto so its certificate can be checked; otherwise enable STARTTLS there with the certificate the TLSA records name, or remove the TLSA records.", d->host);
		finish(job, SDIAG_STEP_FAIL, hint, "%s has %zu TLSA record%s, but the SMTP session did not use TLS: senders using DANE require STARTTLS and defer mail without it",
			d->name, d->nrr_total, d->nrr_total > 1 ? "s" : "");
		return;
	}
	hex(spki, sizeof(spki), tls->chain[0].spki_sha256, tls->chain[0].spki_der_len ? 32 : 0);
	hex(cert, sizeof(cert), tls->chain[0].cert_sha256, tls->chain[0].cert_der_len ? 32 : 0);
	sdiag_v_put_str(data, "leaf_spki_sha256", spki);
	sdiag_v_put_str(data, "leaf_cert_sha256", cert);
	list = sdiag_v_get(data, "records");
	for (i = 0; i < d->nrr; i++) {
		sdiag_dane_rr_t rr;
		int depth;
		char why[384];
		sdiag_dane_verdict_t v;
		sdiag_value_t *e = sdiag_v_at(list, i);
		rr.usage = d->rr[i].usage;
		rr.selector = d->rr[i].selector;
		rr.mtype = d->rr[i].mtype;
		rr.data = d->rr[i].data;
		rr.len = d->rr[i].len;
		v = sdiag_dane_match(&rr, tls, &depth, why, sizeof(why));
		sdiag_v_put_bool(e, "usable", v != SDIAG_DANE_UNUSABLE);
		sdiag_v_put_bool(e, "matched", v == SDIAG_DANE_MATCH);
		sdiag_v_put_str(e, "why", why);
		if (rr.usage <= 1 && v != SDIAG_DANE_UNUSABLE) {
			/* RFC 7672 3.1.3: SMTP clients treat PKIX-TA/PKIX-EE as unusable */
			sdiag_v_put_str(e, "note", "SMTP senders ignore usages 0 and 1 (RFC 7672 3.1.3)");
		}
		if (v != SDIAG_DANE_UNUSABLE) {
			nusable++;
		}
		if (v == SDIAG_DANE_MATCH) {
			char h[24];
			if (rr.usage >= 2) {
				ndane++;
			} else {
				npkix++;
			}
			if (!matched_rec[0] || (rr.usage >= 2 && ndane == 1)) {
				hex(h, sizeof(h), rr.data, rr.len > 8 ? 8 : rr.len);
				snprintf(matched_rec, sizeof(matched_rec), "%u %u %u %s%s", rr.usage, rr.selector, rr.mtype, h, rr.len > 8 ? "..." : "");
			}
		}
	}
	if (matched_rec[0]) {
		sdiag_v_put_str(data, "matched_record", matched_rec);
	}
	if (ndane) {
		if (!d->ad) {
			finish(job, SDIAG_STEP_WARN,
				"Sign the zone with DNSSEC (and publish its DS record at the parent), and check that the resolver validates: DANE applies only to DNSSEC-validated TLSA records.",
				"TLSA record %s matches the server's certificate, but %s", matched_rec, ad_text);
			return;
		}
		finish(job, SDIAG_STEP_OK, NULL, "TLSA record %s at %s matches the server's certificate (DNSSEC-validated)", matched_rec, d->name);
		return;
	}
	sdiag_textf(hint, sizeof(hint), "Publish \"%s. IN TLSA 3 1 1 %s\" (the public key %s presents now) and remove the records that match nothing; when rotating keys, publish the new record a TTL before switching.",
		d->name, spki, d->host);
	if (npkix) {
		finish(job, SDIAG_STEP_WARN, hint, "only PKIX-TA/PKIX-EE TLSA records (%s) match; SMTP senders treat usages 0 and 1 as unusable (RFC 7672 3.1.3)", matched_rec);
		return;
	}
	if (nusable == 0) {
		finish(job, SDIAG_STEP_WARN, hint, "none of the %zu TLSA records at %s is usable (unknown usage, selector or matching type, or bad data length): DANE senders fall back to unauthenticated TLS",
			d->nrr, d->name);
		return;
	}
	finish(job, SDIAG_STEP_FAIL, hint, "none of the %zu TLSA records at %s matches: the server presented a certificate with public key (SPKI) SHA-256 %s, certificate SHA-256 %s; senders using DANE will not deliver",
		d->nrr, d->name, spki, cert);
}

static void on_session(sdiag_job_t *job, const sdiag_dnscheck_session_t *s)
{
	dane_job_t *d = job->priv;
	if (job->done || !d || d->have_session) {
		return;
	}
	d->have_session = 1;
	d->tls_ran = s->tls && s->tls->done;
	if (d->have_tlsa) {
		evaluate(job, d->tls_ran ? s->tls : NULL);
		return;
	}
	if (d->tls_ran) {
		d->tls = sdiag_malloc(sizeof(*d->tls));
		if (!d->tls) {
			finish(job, SDIAG_STEP_FAIL, NULL, "out of memory keeping the session's certificates for DANE");
			return;
		}
		memcpy(d->tls, s->tls, sizeof(*d->tls));
	}
}

static void tlsa_cb(void *ud, const sdiag_dns_result_t *res)
{
	sdiag_job_t *job = ud;
	dane_job_t *d = job->priv;
	sdiag_value_t *data = job->step.data, *list;
	size_t pos = 0;
	const sdiag_dns_rr_t *rr;

	if (job->done) {
		return;
	}
	d->have_tlsa = 1;
	d->status = res->status;
	d->ad = res->msg ? res->msg->ad : 0;
	sdiag_v_put_bool(data, "ad", d->ad);
	if (res->status == SDIAG_DNS_NXDOMAIN || res->status == SDIAG_DNS_NODATA) {
		finish(job, SDIAG_STEP_SKIP, NULL, "no TLSA records: DANE is not used");
		return;
	}
	if (res->status != SDIAG_DNS_OK || !res->msg) {
		sdiag_strlcpy(d->why, res->why, sizeof(d->why));
		finish(job, SDIAG_STEP_FAIL,
			"Senders using DANE defer mail to this host while its TLSA look-up fails (RFC 7672 2.2): fix the zone's DNSSEC signatures or delegation (check with `dig +dnssec TLSA` on the name) or its DNS servers.",
			"the TLSA look-up of %s failed: %s", d->name, d->why);
		return;
	}
	list = sdiag_v_put_list(data, "records");
	while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TLSA, &pos)) != NULL) {
		sdiag_value_t *e;
		char *h;
		d->nrr_total++;
		if (d->nrr == DANE_RR_MAX) {
			continue;
		}
		d->rr[d->nrr].usage = rr->tlsa_usage;
		d->rr[d->nrr].selector = rr->tlsa_selector;
		d->rr[d->nrr].mtype = rr->tlsa_mtype;
		d->rr[d->nrr].len = rr->len;
		d->rr[d->nrr].data = sdiag_malloc(rr->len ? rr->len : 1);
		h = sdiag_malloc(rr->len * 2 + 1);
		if (!d->rr[d->nrr].data || !h) {
			sdiag_free(d->rr[d->nrr].data);
			sdiag_free(h);
			finish(job, SDIAG_STEP_FAIL, NULL, "out of memory keeping the TLSA records of %s", d->name);
			return;
		}
		memcpy(d->rr[d->nrr].data, rr->data, rr->len);
		hex(h, rr->len * 2 + 1, rr->data, rr->len);
		e = sdiag_v_push_map(list);
		sdiag_v_put_int(e, "usage", rr->tlsa_usage);
		sdiag_v_put_int(e, "selector", rr->tlsa_selector);
		sdiag_v_put_int(e, "mtype", rr->tlsa_mtype);
		sdiag_v_put_str(e, "data", h);
		sdiag_free(h);
		d->nrr++;
	}
	if (d->nrr == 0) {
		finish(job, SDIAG_STEP_SKIP, NULL, "no TLSA records: DANE is not used");
		return;
	}
	if (d->have_session) {
		evaluate(job, d->tls);
	}
}

void sdiag_job_dane(sdiag_job_t *job)
{
	dane_job_t *d;
	const sdiag_dnscheck_in_t *in = job->in;
	unsigned char lit[16];
	job->step.id = "dns.dane";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	d = sdiag_calloc(1, sizeof(*d));
	if (!d) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	job->priv = d;
	job->free_priv = dane_free;
	if (!in->smtp_host || !in->smtp_host[0]) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no SMTP host: DANE is checked for the server of the session");
		return;
	}
	if (inet_pton(AF_INET, in->smtp_host, lit) == 1 || inet_pton(AF_INET6, in->smtp_host, lit) == 1) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "the SMTP host is an IP address: DANE TLSA records belong to host names");
		return;
	}
	snprintf(d->host, sizeof(d->host), "%s", in->smtp_host);
	snprintf(d->name, sizeof(d->name), "_%u._tcp.%s", (unsigned)(in->smtp_port ? in->smtp_port : 25), in->smtp_host);
	sdiag_v_put_str(job->step.data, "name", d->name);
	job->on_session = on_session;
	in->ops.query(in->ops.ctx, d->name, SDIAG_DNS_T_TLSA, tlsa_cb, job);
}
