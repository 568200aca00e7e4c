/* smtpdiag core: the dns.mta_sts check job (RFC 8461): the _mta-sts TXT
 * record and the domain's MX hosts looked up at once, then the policy
 * fetched over HTTPS and held against those hosts. */
#include "mtasts.h"
#include "dnscheck.h"
#include "https.h"

#include <stdio.h>
#include <string.h>

#define MTASTS_MX_HOSTS 32

typedef struct mtasts_job {
	int pending;                 /* answers due, plus one while the queries are being issued */
	sdiag_dns_status_t txt_status, mx_status;
	char txt_why[256], mx_why[256];
	size_t nsts, nother;         /* TXT records that are / are not MTA-STS */
	char *record;                /* the first v=STSv1 record */
	size_t record_len;
	size_t nmx;
	char mx[MTASTS_MX_HOSTS][SDIAG_DNS_NAME_MAX];
	char host[SDIAG_DNS_NAME_MAX + 16];  /* mta-sts.<domain> */
	sdiag_https_t *fetch;
	sdiag_mtasts_record_t rec;
} mtasts_job_t;

static void mtasts_free(sdiag_job_t *job)
{
	mtasts_job_t *m = job->priv;
	if (m) {
		sdiag_https_free(m->fetch);
		sdiag_free(m->record);
		sdiag_free(m);
		job->priv = NULL;
	}
}

static void put_tls(sdiag_value_t *data, const sdiag_https_result_t *r)
{
	sdiag_value_t *t;
	if (!r->tls_done) {
		sdiag_v_put_null(data, "tls");
		return;
	}
	t = sdiag_v_put_map(data, "tls");
	sdiag_v_put_bool(t, "verified", r->tls.verified);
	sdiag_v_put_str(t, "protocol", r->tls.protocol);
	sdiag_v_put_str(t, "cipher", r->tls.cipher);
	sdiag_v_put_str(t, "verify_reason", r->tls.verify_reason);
	if (r->tls.nchain) {
		const sdiag_cert_info_t *c = &r->tls.chain[0];
		sdiag_value_t *names = NULL;
		size_t i;
		sdiag_v_put_str(t, "subject", c->subject);
		sdiag_v_put_str(t, "issuer", c->issuer);
		sdiag_v_put_str(t, "not_after", c->not_after);
		names = sdiag_v_put_list(t, "sans");
		for (i = 0; i < c->nsans; i++) {
			sdiag_v_push_str(names, c->sans[i]);
		}
	}
}

static const char *fetch_hint(const sdiag_https_result_t *r, const char *host, char *buf, size_t cap)
{
	switch (r->error) {
		case SDIAG_HTTPS_E_DNS:
			sdiag_textf(buf, cap, "Publish an A (and/or AAAA) record for %s pointing at a web server that serves the policy over HTTPS; senders fetch it from there.", host);
			break;
		case SDIAG_HTTPS_E_CONNECT:
		case SDIAG_HTTPS_E_TIMEOUT:
			sdiag_textf(buf, cap, "Senders fetch the policy from https://%s/ (port 443): make a web server answer there and open port 443 in its firewall.", host);
			break;
		case SDIAG_HTTPS_E_CERT:
			sdiag_textf(buf, cap, "The policy host needs a valid certificate for %s from a public CA, with its full chain: senders verify it like any HTTPS client and ignore the policy otherwise. Add %s to the certificate's names.", host, host);
			break;
		case SDIAG_HTTPS_E_TLS:
			sdiag_textf(buf, cap, "The web server at %s must speak HTTPS (TLS 1.2 or later) on port 443 with a certificate for that name.", host);
			break;
		case SDIAG_HTTPS_E_REDIRECT:
			sdiag_textf(buf, cap, "Serve the policy at exactly https://%s%s with status 200: senders do not follow redirects (RFC 8461 3.3). Exempt this path from any redirect.", host, SDIAG_MTASTS_PATH);
			break;
		case SDIAG_HTTPS_E_STATUS:
			sdiag_textf(buf, cap, "Put the policy file at %s on the web server of %s so that it is served with status 200.", SDIAG_MTASTS_PATH, host);
			break;
		case SDIAG_HTTPS_E_TOO_LARGE:
			sdiag_textf(buf, cap, "%s", "An MTA-STS policy may be at most 64 KiB (RFC 8461 3.3): serve only the version, mode, mx and max_age lines.");
			break;
		case SDIAG_HTTPS_E_TYPE:
			sdiag_textf(buf, cap, "Serve %s with Content-Type text/plain (RFC 8461 3.2), e.g. nginx: `default_type text/plain;` in that location; senders reject other types.", SDIAG_MTASTS_PATH);
			break;
		default:
			sdiag_textf(buf, cap, "The web server at %s sent a response senders cannot use: check it with `curl -v https://%s%s`.", host, host, SDIAG_MTASTS_PATH);
			break;
	}
	return buf;
}

static void fetched(void *ud, const sdiag_https_result_t *r)
{
	sdiag_job_t *job = ud;
	mtasts_job_t *m = job->priv;
	sdiag_value_t *data = job->step.data, *pats, *hosts;
	sdiag_mtasts_policy_t pol;
	char why[256], hint[SDIAG_HINT_MAX], unmatched[256] = "";
	size_t i, k, nunmatched = 0;

	sdiag_v_put_int(data, "http_status", r->status);
	put_tls(data, r);
	if (r->error != SDIAG_HTTPS_OK) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, fetch_hint(r, m->host, hint, sizeof(hint)), "the MTA-STS policy cannot be fetched: %s", r->why);
		return;
	}
	if (r->status != 200) {
		sdiag_textf(hint, sizeof(hint), "Serve the policy with status 200 OK: senders accept no other (RFC 8461 3.3).");
		sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "%s answered %d %s instead of 200 with the policy", r->url, r->status, r->reason);
		return;
	}
	if (sdiag_mtasts_parse_policy(r->body ? r->body : "", r->body_len, &pol, why, sizeof(why)) < 0) {
		sdiag_job_done(job, SDIAG_STEP_FAIL,
			"Write the policy as lines \"version: STSv1\", \"mode: enforce\" (or testing, none), one \"mx: <MX host or *.parent>\" per MX pattern and \"max_age: <seconds up to 31557600>\", each ending in CRLF.",
			"the MTA-STS policy at %s is invalid: %s", r->url, why);
		return;
	}
	sdiag_v_put_str(data, "mode", sdiag_mtasts_mode_name(pol.mode));
	pats = sdiag_v_put_list(data, "mx_patterns");
	for (i = 0; i < pol.nmx; i++) {
		sdiag_v_push_str(pats, pol.mx[i]);
	}
	sdiag_v_put_int(data, "max_age", pol.max_age);
	hosts = sdiag_v_put_list(data, "mx_hosts");
	for (i = 0; i < m->nmx; i++) {
		int matched = 0;
		sdiag_value_t *e = sdiag_v_push_map(hosts);
		for (k = 0; k < pol.nmx && !matched; k++) {
			matched = sdiag_mtasts_mx_match(pol.mx[k], m->mx[i]);
		}
		sdiag_v_put_str(e, "host", m->mx[i]);
		sdiag_v_put_bool(e, "matched", matched);
		if (!matched) {
			size_t l = strlen(unmatched);
			nunmatched++;
			snprintf(unmatched + l, sizeof(unmatched) - l, "%s%s", l ? ", " : "", m->mx[i]);
		}
	}
	if (pol.mode == SDIAG_MTASTS_NONE) {
		sdiag_job_done(job, SDIAG_STEP_WARN,
			"Mode none tells senders to drop the policy (it is meant for withdrawing MTA-STS). Use \"mode: testing\" while checking TLS to every MX host, then \"mode: enforce\", and change the id in the TXT record.",
			"the MTA-STS policy is in mode none: senders do not apply it");
		return;
	}
	if (nunmatched) {
		int enforce = pol.mode == SDIAG_MTASTS_ENFORCE;
		if (nunmatched == 1) {
			sdiag_textf(hint, sizeof(hint), "Add the line \"mx: %s\" (or a \"*.<parent>\" pattern covering it) to %s, then change the id in the _mta-sts TXT record so that senders fetch it again; or remove that MX record.",
				unmatched, r->url);
		} else {
			sdiag_textf(hint, sizeof(hint), "Add one \"mx: <host>\" line for each of %s (or \"*.<parent>\" patterns covering them) to %s, then change the id in the _mta-sts TXT record so that senders fetch it again; or remove those MX records.",
				unmatched, r->url);
		}
		if (enforce) {
			sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "MX host%s %s %s not matched by any mx pattern of the enforce policy: senders enforcing MTA-STS refuse to deliver there",
				nunmatched > 1 ? "s" : "", unmatched, nunmatched > 1 ? "are" : "is");
		} else {
			sdiag_job_done(job, SDIAG_STEP_WARN, hint, "MX host%s %s %s not matched by any mx pattern of the testing policy: in enforce mode senders would refuse to deliver there",
				nunmatched > 1 ? "s" : "", unmatched, nunmatched > 1 ? "are" : "is");
		}
		return;
	}
	if (m->mx_status != SDIAG_DNS_OK && m->mx_status != SDIAG_DNS_NODATA && m->mx_status != SDIAG_DNS_NXDOMAIN) {
		sdiag_job_done(job, SDIAG_STEP_WARN, "Fix the MX look-up of the domain (see dns.mx), then check again that every MX host matches an mx pattern.",
			"the MTA-STS policy (mode %s) is valid, but the MX hosts could not be checked against it: %s", sdiag_mtasts_mode_name(pol.mode), m->mx_why);
		return;
	}
	if (pol.version_not_first) {
		sdiag_job_done(job, SDIAG_STEP_WARN, "Move \"version: STSv1\" to the first line of the policy, where strict senders expect it.",
			"the MTA-STS policy (mode %s) is valid, but \"version: STSv1\" is not its first line", sdiag_mtasts_mode_name(pol.mode));
		return;
	}
	if (m->nmx == 0) {
		sdiag_job_done(job, SDIAG_STEP_OK, NULL, "MTA-STS policy in %s mode (max_age %ld s); the domain has no MX host to check against it",
			sdiag_mtasts_mode_name(pol.mode), pol.max_age);
		return;
	}
	sdiag_job_done(job, SDIAG_STEP_OK, NULL, "MTA-STS policy in %s mode (max_age %ld s) matches every MX host (%zu)", sdiag_mtasts_mode_name(pol.mode), pol.max_age, m->nmx);
}

static void lookups_done(sdiag_job_t *job)
{
	mtasts_job_t *m = job->priv;
	const sdiag_dnscheck_in_t *in = job->in;
	sdiag_value_t *data = job->step.data;
	char why[256], url[SDIAG_DNS_NAME_MAX + 64];
	sdiag_https_req_t req;

	if (m->txt_status == SDIAG_DNS_NXDOMAIN || m->txt_status == SDIAG_DNS_NODATA) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no MTA-STS record (optional)");
		return;
	}
	if (m->txt_status != SDIAG_DNS_OK) {
		/* a warning, as for the other checks' failed look-ups: a slow DNS
		 * server is not a broken policy */
		sdiag_job_done(job, SDIAG_STEP_WARN, "Senders cannot learn the MTA-STS policy while this look-up fails: check the domain's DNS servers (they must answer TXT queries for _mta-sts).",
			"the TXT look-up of _mta-sts.%s failed: %s", in->domain, m->txt_why);
		return;
	}
	if (m->nsts == 0) {
		sdiag_job_done(job, SDIAG_STEP_WARN, "If you meant to publish MTA-STS, the record must begin exactly with \"v=STSv1;\", e.g. \"v=STSv1; id=20240101\".",
			"_mta-sts.%s has %zu TXT record%s but none begins with v=STSv1: senders see no MTA-STS policy", in->domain, m->nother, m->nother > 1 ? "s" : "");
		return;
	}
	if (m->nsts > 1) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, "Delete every v=STSv1 TXT record at _mta-sts but one: senders ignore MTA-STS when there is not exactly one (RFC 8461 3.1).",
			"_mta-sts.%s has %zu MTA-STS records: senders ignore MTA-STS for the domain", in->domain, m->nsts);
		return;
	}
	sdiag_v_put_strn(data, "record", m->record, m->record_len);
	if (sdiag_mtasts_parse_record(m->record, m->record_len, &m->rec, why, sizeof(why)) < 0) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, "Write the record as \"v=STSv1; id=<1 to 32 letters or digits>\" and change the id whenever the policy changes.",
			"the MTA-STS record of %s is invalid: %s", in->domain, why);
		return;
	}
	sdiag_v_put_str(data, "id", m->rec.id);
	snprintf(m->host, sizeof(m->host), "mta-sts.%s", in->domain);
	snprintf(url, sizeof(url), "https://%s%s", m->host, SDIAG_MTASTS_PATH);
	sdiag_v_put_str(data, "policy_url", url);
	if (!in->loop) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "the MTA-STS policy cannot be fetched: the check was started without an event loop");
		return;
	}
	memset(&req, 0, sizeof(req));
	req.host = m->host;
	req.port = in->https_port ? in->https_port : 443;
	req.path = SDIAG_MTASTS_PATH;
	req.user_agent = in->user_agent;
	req.content_type = "text/plain";
	req.max_body = SDIAG_MTASTS_POLICY_MAX;
	req.timeout_ms = in->cfg && in->cfg->timeout_ms > 0 ? in->cfg->timeout_ms : 10000.0;
	req.cafile = in->cfg ? in->cfg->cafile : NULL;
	req.capath = in->cfg ? in->cfg->capath : NULL;
	m->fetch = sdiag_https_get(in->loop, in->ops, &req, fetched, job);
	if (!m->fetch) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "the MTA-STS policy cannot be fetched: out of memory");
	}
}

static void answered(sdiag_job_t *job)
{
	mtasts_job_t *m = job->priv;
	if (--m->pending == 0) {
		lookups_done(job);
	}
}

static void txt_cb(void *ud, const sdiag_dns_result_t *res)
{
	sdiag_job_t *job = ud;
	mtasts_job_t *m = job->priv;
	sdiag_value_t *list = NULL;
	m->txt_status = res->status;
	sdiag_strlcpy(m->txt_why, res->why, sizeof(m->txt_why));
	if (res->status == SDIAG_DNS_OK && res->msg) {
		size_t pos = 0;
		const sdiag_dns_rr_t *rr;
		list = sdiag_v_put_list(job->step.data, "txt_records");
		while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
			sdiag_v_push_str(list, (const char *)rr->data);
			if (sdiag_mtasts_is_record((const char *)rr->data, rr->len)) {
				if (m->nsts++ == 0) {
					m->record = sdiag_strndup((const char *)rr->data, rr->len);
					m->record_len = m->record ? rr->len : 0;
				}
			} else {
				m->nother++;
			}
		}
		if (m->nsts && !m->record) {
			m->txt_status = SDIAG_DNS_ERROR;
			snprintf(m->txt_why, sizeof(m->txt_why), "%s", "out of memory");
		}
	}
	answered(job);
}

static void mx_cb(void *ud, const sdiag_dns_result_t *res)
{
	sdiag_job_t *job = ud;
	mtasts_job_t *m = job->priv;
	m->mx_status = res->status;
	sdiag_strlcpy(m->mx_why, res->why, sizeof(m->mx_why));
	if (res->status == SDIAG_DNS_OK && res->msg) {
		size_t pos = 0;
		const sdiag_dns_rr_t *rr;
		while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_MX, &pos)) != NULL && m->nmx < MTASTS_MX_HOSTS) {
			if (rr->target[0] == '\0') {
				continue; /* a null MX (RFC 7505) accepts no mail: nothing to match */
			}
			snprintf(m->mx[m->nmx++], sizeof(m->mx[0]), "%s", rr->target);
		}
	}
	answered(job);
}

void sdiag_job_mta_sts(sdiag_job_t *job)
{
	mtasts_job_t *m;
	char name[SDIAG_DNS_NAME_MAX + 16];
	job->step.id = "dns.mta_sts";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	m = sdiag_calloc(1, sizeof(*m));
	if (!m) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	job->priv = m;
	job->free_priv = mtasts_free;
	if (!job->in->domain || !job->in->domain[0]) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no domain to check for MTA-STS");
		return;
	}
	snprintf(name, sizeof(name), "_mta-sts.%s", job->in->domain);
	m->pending = 3;
	job->in->ops.query(job->in->ops.ctx, name, SDIAG_DNS_T_TXT, txt_cb, job);
	job->in->ops.query(job->in->ops.ctx, job->in->domain, SDIAG_DNS_T_MX, mx_cb, job);
	answered(job);
}
