/* smtpdiag core: report steps from a connection's outcome. */
#include "report.h"
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SDIAG_CERT_EXPIRY_WARN_DAYS 14

const char *sdiag_step_status_name(sdiag_step_status_t s)
{
	switch (s) {
		case SDIAG_STEP_OK: return "ok";
		case SDIAG_STEP_WARN: return "warn";
		case SDIAG_STEP_FAIL: return "fail";
		default: return "skip";
	}
}

sdiag_step_t *sdiag_steps_add(sdiag_steps_t *s, const char *id, sdiag_step_status_t st, double ms, const char *hint, const char *fmt, ...)
{
	sdiag_step_t *p;
	va_list ap;
	if (s->n >= SDIAG_STEPS_MAX) {
		return NULL;
	}
	p = &s->steps[s->n++];
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->status = st;
	p->duration_ms = ms < 0 ? 0 : ms;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
	snprintf(p->hint, sizeof(p->hint), "%s", hint ? hint : "");
	return p;
}

void sdiag_steps_free_data(sdiag_steps_t *s)
{
	size_t i;
	for (i = 0; i < s->n; i++) {
		sdiag_v_free(s->steps[i].data);
		s->steps[i].data = NULL;
	}
}

static double span(double a, double b)
{
	return (a && b && b > a) ? b - a : 0;
}

/* The step that failed, from the error's phase. */
static const char *failed_step(const sdiag_conn_t *c)
{
	const sdiag_error_t *e = &c->err;
	if (e->category == SDIAG_CAT_NONE) {
		return NULL;
	}
	if (e->category == SDIAG_CAT_TLS_CERTIFICATE) {
		return "tls.certificate";
	}
	switch (e->phase) {
		case SDIAG_PHASE_DNS: return "dns.host";
		case SDIAG_PHASE_CONNECT: return "tcp.connect";
		case SDIAG_PHASE_BANNER: return "smtp.banner";
		case SDIAG_PHASE_EHLO: return "smtp.ehlo";
		case SDIAG_PHASE_STARTTLS:
		case SDIAG_PHASE_TLS: return "tls";
		case SDIAG_PHASE_AUTH: return "smtp.auth";
		default: return "smtp.ehlo";
	}
}

static void add_failed(const sdiag_conn_t *c, sdiag_steps_t *out, const char *id, double ms)
{
	sdiag_steps_add(out, id, SDIAG_STEP_FAIL, ms, c->err.hint, "%s", c->err.message);
}

static void add_skip(sdiag_steps_t *out, const char *id)
{
	sdiag_steps_add(out, id, SDIAG_STEP_SKIP, 0, NULL, "not reached");
}

static int step_tls(const sdiag_conn_t *c, sdiag_steps_t *out, const char *failed, int *stopped)
{
	const sdiag_config_t *cfg = c->cfg;
	const sdiag_tls_info_t *ti = &c->tls_info;
	double ms = span(c->t_tls, c->t_tls_done);
	if (*stopped) {
		add_skip(out, "tls");
		add_skip(out, "tls.certificate");
		return 0;
	}
	if (failed && strcmp(failed, "tls") == 0) {
		add_failed(c, out, "tls", ms);
		add_skip(out, "tls.certificate");
		*stopped = 1;
		return 0;
	}
	if (!ti->done) {
		if (cfg->encryption == SDIAG_ENC_NONE) {
			sdiag_steps_add(out, "tls", SDIAG_STEP_WARN, 0, "Use encryption \"starttls\" (port 587) or \"implicit\" (port 465): without TLS, credentials and mail cross the network in plaintext.",
				"encryption is off (encryption \"none\"): the session is not encrypted");
		} else if (c->smtp.tls_skipped) {
			sdiag_steps_add(out, "tls", SDIAG_STEP_WARN, 0, "Ask the provider for a port with TLS, or set encryption \"starttls\" to make TLS mandatory once the server offers it.",
				"the server does not offer STARTTLS: the session continued unencrypted (encryption \"auto\")");
		} else {
			add_skip(out, "tls");
		}
		sdiag_steps_add(out, "tls.certificate", SDIAG_STEP_SKIP, 0, NULL, "no TLS session");
		return 0;
	}
	sdiag_steps_add(out, "tls", SDIAG_STEP_OK, ms, NULL, "%s with %s, %s", ti->protocol, ti->cipher,
		cfg->encryption == SDIAG_ENC_IMPLICIT ? "implicit TLS" : "after STARTTLS");
	if (failed && strcmp(failed, "tls.certificate") == 0) {
		add_failed(c, out, "tls.certificate", 0);
		*stopped = 1;
		return 0;
	}
	if (!ti->verified) {
		sdiag_steps_add(out, "tls.certificate", SDIAG_STEP_WARN, 0, "Verification is disabled (verify_peer off), so a man in the middle could read the credentials: fix the certificate and turn verification back on.",
			"the certificate does not verify (%s), accepted because verify_peer is off", ti->verify_reason);
		return 0;
	}
	if (ti->nchain) {
		const sdiag_cert_info_t *leaf = &ti->chain[0];
		double days = (leaf->not_after_ts - (double)time(NULL)) / 86400.0;
		if (days < SDIAG_CERT_EXPIRY_WARN_DAYS) {
			sdiag_steps_add(out, "tls.certificate", SDIAG_STEP_WARN, 0, "Renew the certificate now, and check that automatic renewal works.",
				"the certificate verifies but expires in %.0f days (%s)", days, leaf->not_after);
			return 0;
		}
		sdiag_steps_add(out, "tls.certificate", SDIAG_STEP_OK, 0, NULL, "verified for %s: %s, issued by %s, valid until %s",
			ti->peer_name[0] ? ti->peer_name : cfg->host, leaf->subject, leaf->issuer, leaf->not_after);
		return 0;
	}
	sdiag_steps_add(out, "tls.certificate", SDIAG_STEP_OK, 0, NULL, "verified");
	return 0;
}

void sdiag_report_connection(const sdiag_conn_t *c, sdiag_steps_t *out)
{
	const char *failed = failed_step(c);
	const sdiag_config_t *cfg = c->cfg;
	int stopped = 0, implicit = cfg->encryption == SDIAG_ENC_IMPLICIT;
	size_t i;

	/* dns.host */
	if (failed && strcmp(failed, "dns.host") == 0) {
		add_failed(c, out, "dns.host", span(c->t_dns, c->t_dns_done ? c->t_dns_done : sdiag_now_ms()));
		stopped = 1;
	} else if (c->addrs.n) {
		char list[SDIAG_MSG_MAX] = "";
		for (i = 0; i < c->addrs.n; i++) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "", c->addrs.addrs[i].text);
		}
		sdiag_steps_add(out, "dns.host", SDIAG_STEP_OK, span(c->t_dns, c->t_dns_done), NULL, "%s resolves to %s", cfg->host, list);
	} else {
		add_skip(out, "dns.host");
		stopped = 1;
	}

	/* tcp.connect */
	if (stopped) {
		add_skip(out, "tcp.connect");
	} else if (failed && strcmp(failed, "tcp.connect") == 0) {
		double ms = 0;
		for (i = 0; i < c->nattempts; i++) {
			ms += c->attempts[i].ms;
		}
		add_failed(c, out, "tcp.connect", ms);
		stopped = 1;
	} else if (c->t_connected) {
		size_t failed_attempts = 0;
		for (i = 0; i < c->nattempts; i++) {
			failed_attempts += !c->attempts[i].cancelled && c->attempts[i].result != SDIAG_CAT_NONE;
		}
		if (failed_attempts) {
			sdiag_steps_add(out, "tcp.connect", SDIAG_STEP_WARN, span(c->t_connect, c->t_connected),
				"Some of the host's addresses do not accept connections: check its DNS records and this machine's IPv6 connectivity.",
				"connected to %s port %u after %zu failed attempt%s", c->peer_addr, (unsigned)c->peer_port, failed_attempts, failed_attempts > 1 ? "s" : "");
		} else if (c->nattempts > 1) {
			sdiag_steps_add(out, "tcp.connect", SDIAG_STEP_WARN, span(c->t_connect, c->t_connected),
				"An address of the host did not answer in time, so another one was used (Happy Eyeballs): check this machine's IPv6 (or IPv4) connectivity and the host's DNS records.",
				"connected to %s port %u; %zu slower attempt%s cancelled", c->peer_addr, (unsigned)c->peer_port, c->nattempts - 1, c->nattempts > 2 ? "s" : "");
		} else {
			sdiag_steps_add(out, "tcp.connect", SDIAG_STEP_OK, span(c->t_connect, c->t_connected), NULL, "connected to %s port %u", c->peer_addr, (unsigned)c->peer_port);
		}
	} else {
		add_skip(out, "tcp.connect");
		stopped = 1;
	}

	if (implicit) {
		step_tls(c, out, failed, &stopped);
	}

	/* smtp.banner */
	if (stopped) {
		add_skip(out, "smtp.banner");
	} else if (failed && strcmp(failed, "smtp.banner") == 0) {
		add_failed(c, out, "smtp.banner", span(c->smtp.entered[SDIAG_SMTP_BANNER], sdiag_now_ms()));
		stopped = 1;
	} else if (c->smtp.banner_code == 220) {
		sdiag_steps_add(out, "smtp.banner", SDIAG_STEP_OK, span(c->smtp.entered[SDIAG_SMTP_BANNER], c->t_banner), NULL, "220 %s", c->smtp.banner ? c->smtp.banner : "");
	} else {
		add_skip(out, "smtp.banner");
		stopped = 1;
	}

	/* smtp.ehlo */
	if (stopped) {
		add_skip(out, "smtp.ehlo");
	} else if (failed && strcmp(failed, "smtp.ehlo") == 0) {
		add_failed(c, out, "smtp.ehlo", span(c->t_banner, sdiag_now_ms()));
		stopped = 1;
	} else if (c->t_ehlo_done) {
		if (c->smtp.helo_fallback) {
			sdiag_steps_add(out, "smtp.ehlo", SDIAG_STEP_WARN, span(c->t_banner, c->t_ehlo_done),
				"The server refused EHLO and accepted only HELO: it offers no SMTP extensions (no STARTTLS, AUTH or SIZE). Check that this is a current mail server.",
				"EHLO refused; HELO %s accepted", c->smtp.helo);
		} else {
			char list[SDIAG_MSG_MAX] = "";
			for (i = 0; i < c->smtp.caps.n; i++) {
				const sdiag_cap_t *cap = &c->smtp.caps.caps[i];
				size_t l = strlen(list);
				snprintf(list + l, sizeof(list) - l, "%s%s%s%.40s", i ? ", " : "", cap->keyword, cap->params ? " " : "", cap->params ? cap->params : "");
			}
			sdiag_steps_add(out, "smtp.ehlo", SDIAG_STEP_OK, span(c->t_banner, c->t_ehlo_done), NULL, "EHLO %s accepted: %s", c->smtp.helo, c->smtp.caps.n ? list : "no extensions");
		}
	} else {
		add_skip(out, "smtp.ehlo");
		stopped = 1;
	}

	if (!implicit) {
		step_tls(c, out, failed, &stopped);
	}

	/* smtp.auth */
	if (!cfg->username || (cfg->auth && sdiag_strcasecmp(cfg->auth, "none") == 0)) {
		sdiag_steps_add(out, "smtp.auth", SDIAG_STEP_SKIP, 0, NULL, "no credentials configured%s", c->smtp.caps.n && sdiag_caps_find(&c->smtp.caps, "AUTH") ? " (the server offers AUTH)" : "");
	} else if (stopped) {
		add_skip(out, "smtp.auth");
	} else if (failed && strcmp(failed, "smtp.auth") == 0) {
		add_failed(c, out, "smtp.auth", span(c->smtp.entered[SDIAG_SMTP_AUTH], sdiag_now_ms()));
	} else if (c->smtp.authenticated) {
		sdiag_steps_add(out, "smtp.auth", SDIAG_STEP_OK, span(c->smtp.entered[SDIAG_SMTP_AUTH], c->t_ready), NULL, "authenticated as %s with %s (%s); offered: %s",
			cfg->username, sdiag_sasl_name(c->smtp.sasl.mech), c->smtp.auth_reason, c->smtp.auth_offered);
	} else {
		add_skip(out, "smtp.auth");
	}
}
