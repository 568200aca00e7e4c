/* smtpdiag core: MTA-STS (RFC 8461), see mtasts.h. */
#include "mtasts.h"
#include "dnscheck.h"
#include "https.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static void say(char *why, size_t whylen, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	if (!why || !whylen) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* Printable, bounded rendering of untrusted text for messages. */
static const char *shown(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;
	for (i = 0; i < n && k + 4 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[k++] = (c < 0x20 || c >= 0x7F) ? '?' : (char)c;
	}
	if (i < n && k + 4 <= cap) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

/* (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), the extension
 * field names of both the record and the policy. */
static int ext_name_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || n > 32 || !(is_alpha((unsigned char)s[0]) || is_digit((unsigned char)s[0]))) {
		return 0;
	}
	for (i = 1; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '-' && c != '.') {
			return 0;
		}
	}
	return 1;
}

/* ---- the TXT record (RFC 8461 3.1) ---- */

int sdiag_mtasts_is_record(const char *txt, size_t len)
{
	return len >= 7 && memcmp(txt, "v=STSv1", 7) == 0 && (len == 7 || txt[7] == ';' || is_wsp((unsigned char)txt[7]));
}

int sdiag_mtasts_parse_record(const char *txt, size_t len, sdiag_mtasts_record_t *rec, char *why, size_t whylen)
{
	size_t i = 7;
	int have_id = 0;
	char b[80];
	memset(rec, 0, sizeof(*rec));
	if (!sdiag_mtasts_is_record(txt, len)) {
		say(why, whylen, "the record does not begin with \"v=STSv1\" (got \"%s\")", shown(b, sizeof(b), txt, len));
		return -1;
	}
	for (;;) {
		size_t start, eq, j;
		/* sts-sep: *WSP ";" *WSP, or the end (a final separator is allowed) */
		while (i < len && is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		if (txt[i] != ';') {
			say(why, whylen, "expected \";\" between fields at \"%s\"", shown(b, sizeof(b), txt + i, len - i));
			return -1;
		}
		i++;
		while (i < len && is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		start = i;
		while (i < len && txt[i] != '=' && txt[i] != ';' && !is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (i == len || txt[i] != '=') {
			say(why, whylen, "the field \"%s\" is not name=value (no space is allowed around \"=\")", shown(b, sizeof(b), txt + start, i - start));
			return -1;
		}
		eq = i++;
		while (i < len && txt[i] != ';' && !is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (eq - start == 2 && memcmp(txt + start, "id", 2) == 0) {
			size_t n = i - eq - 1;
			if (have_id) {
				say(why, whylen, "%s", "the record has two id fields");
				return -1;
			}
			if (n == 0 || n > SDIAG_MTASTS_ID_MAX) {
				say(why, whylen, "the id \"%s\" must be 1 to 32 letters or digits (it has %zu characters)", shown(b, sizeof(b), txt + eq + 1, n), n);
				return -1;
			}
			for (j = eq + 1; j < i; j++) {
				if (!is_alpha((unsigned char)txt[j]) && !is_digit((unsigned char)txt[j])) {
					say(why, whylen, "the id \"%s\" may hold only letters and digits (no \"%c\")", shown(b, sizeof(b), txt + eq + 1, n),
						txt[j] >= 0x21 && txt[j] < 0x7F ? txt[j] : '?');
					return -1;
				}
			}
			memcpy(rec->id, txt + eq + 1, n);
			rec->id[n] = '\0';
			have_id = 1;
		} else if (eq - start == 1 && txt[start] == 'v') {
			say(why, whylen, "%s", "the record has a second v= field");
			return -1;
		} else {
			if (!ext_name_ok(txt + start, eq - start)) {
				say(why, whylen, "\"%s\" is not a valid field name", shown(b, sizeof(b), txt + start, eq - start));
				return -1;
			}
			if (i == eq + 1) {
				say(why, whylen, "the field \"%s\" has an empty value", shown(b, sizeof(b), txt + start, eq - start));
				return -1;
			}
			for (j = eq + 1; j < i; j++) {
				unsigned char c = (unsigned char)txt[j];
				if (c < 0x21 || c > 0x7E || c == '=') {
					say(why, whylen, "the value of \"%s\" holds a character not allowed there (0x%02X)", shown(b, sizeof(b), txt + start, eq - start), c);
					return -1;
				}
			}
		}
	}
	if (!have_id) {
		say(why, whylen, "%s", "the record has no id field (id=<1 to 32 letters or digits> is required)");
		return -1;
	}
	return 0;
}

/* ---- the policy (RFC 8461 3.2) ---- */

const char *sdiag_mtasts_mode_name(sdiag_mtasts_mode_t m)
{
	switch (m) {
		case SDIAG_MTASTS_ENFORCE: return "enforce";
		case SDIAG_MTASTS_TESTING: return "testing";
		case SDIAG_MTASTS_NONE: return "none";
		default: return "";
	}
}

/* ["*."] Domain (RFC 5321 4.1.2): LDH labels of 1 to 63, no final dot. */
static int mx_pattern_ok(const char *s, size_t n, char *why, size_t whylen, size_t line)
{
	size_t i, label = 0;
	char b[80];
	if (n >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		n -= 2;
	}
	if (n == 0 || n > 253) {
		say(why, whylen, "line %zu: the mx pattern is empty or longer than 253 characters", line);
		return 0;
	}
	if (s[n - 1] == '.') {
		say(why, whylen, "line %zu: the mx pattern \"%s\" ends with a dot: write the name without it", line, shown(b, sizeof(b), s, n));
		return 0;
	}
	for (i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-') {
				say(why, whylen, "line %zu: \"%s\" is not a valid mx pattern (an empty label, one over 63 characters, or one ending in \"-\"); only a leading \"*.\" may be a wildcard", line, shown(b, sizeof(b), s, n));
				return 0;
			}
			label = 0;
			continue;
		}
		if (!is_alpha(c) && !is_digit(c) && !(c == '-' && label > 0)) {
			say(why, whylen, "line %zu: \"%s\" is not a valid mx pattern (\"%c\" is not allowed%s)", line, shown(b, sizeof(b), s, n),
				c >= 0x21 && c < 0x7F ? c : '?', c == '*' ? "; a wildcard is only \"*.\" at the start" : "");
			return 0;
		}
		label++;
	}
	return 1;
}

int sdiag_mtasts_parse_policy(const char *text, size_t len, sdiag_mtasts_policy_t *p, char *why, size_t whylen)
{
	size_t pos = 0, line = 0, fields = 0;
	int have_version = 0, have_max_age = 0;
	char b[80];
	memset(p, 0, sizeof(*p));
	while (pos < len) {
		const char *l = text + pos, *colon, *v;
		const char *lf = memchr(l, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - l) : len - pos;
		size_t kl, vl, i;
		pos += n + (lf ? 1 : 0);
		line++;
		if (n && l[n - 1] == '\r') {
			n--;
		}
		for (i = 0; i < n; i++) {
			if (l[i] == '\r' || l[i] == '\0') {
				say(why, whylen, "line %zu holds a stray %s: lines end in CRLF or LF", line, l[i] ? "CR" : "NUL byte");
				return -1;
			}
		}
		if (n == 0) {
			continue;
		}
		colon = memchr(l, ':', n);
		if (!colon) {
			say(why, whylen, "line %zu (\"%s\") is not a \"key: value\" line", line, shown(b, sizeof(b), l, n));
			return -1;
		}
		kl = (size_t)(colon - l);
		v = colon + 1;
		vl = n - kl - 1;
		while (vl && is_wsp((unsigned char)*v)) {
			v++;
			vl--;
		}
		while (vl && is_wsp((unsigned char)v[vl - 1])) {
			vl--;
		}
		fields++;
		if (kl == 7 && memcmp(l, "version", 7) == 0) {
			if (have_version) {
				say(why, whylen, "line %zu: a second version line", line);
				return -1;
			}
			if (vl != 5 || memcmp(v, "STSv1", 5) != 0) {
				say(why, whylen, "line %zu: the version is \"%s\"; it must be STSv1", line, shown(b, sizeof(b), v, vl));
				return -1;
			}
			have_version = 1;
			p->version_not_first = fields != 1;
		} else if (kl == 4 && memcmp(l, "mode", 4) == 0) {
			if (p->mode != SDIAG_MTASTS_NONE_SET) {
				say(why, whylen, "line %zu: a second mode line", line);
				return -1;
			}
			if (vl == 7 && memcmp(v, "enforce", 7) == 0) {
				p->mode = SDIAG_MTASTS_ENFORCE;
			} else if (vl == 7 && memcmp(v, "testing", 7) == 0) {
				p->mode = SDIAG_MTASTS_TESTING;
			} else if (vl == 4 && memcmp(v, "none", 4) == 0) {
				p->mode = SDIAG_MTASTS_NONE;
			} else {
				say(why, whylen, "line %zu: the mode is \"%s\"; it must be enforce, testing or none (lower case)", line, shown(b, sizeof(b), v, vl));
				return -1;
			}
		} else if (kl == 7 && memcmp(l, "max_age", 7) == 0) {
			long age = 0;
			if (have_max_age) {
				say(why, whylen, "line %zu: a second max_age line", line);
				return -1;
			}
			for (i = 0; i < vl && i < 11 && is_digit((unsigned char)v[i]); i++) {
				age = age * 10 + (v[i] - '0');
			}
			if (vl == 0 || i != vl || vl > 10 || age > SDIAG_MTASTS_MAX_AGE_MAX) {
				say(why, whylen, "line %zu: max_age \"%s\" must be a number of seconds from 0 to 31557600", line, shown(b, sizeof(b), v, vl));
				return -1;
			}
			p->max_age = age;
			have_max_age = 1;
		} else if (kl == 2 && memcmp(l, "mx", 2) == 0) {
			if (!mx_pattern_ok(v, vl, why, whylen, line)) {
				return -1;
			}
			if (p->nmx == SDIAG_MTASTS_MX_MAX) {
				say(why, whylen, "line %zu: more than %d mx lines", line, SDIAG_MTASTS_MX_MAX);
				return -1;
			}
			for (i = 0; i < vl; i++) {
				char c = v[i];
				p->mx[p->nmx][i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			}
			p->mx[p->nmx][vl] = '\0';
			p->nmx++;
		} else if ((kl == 7 && (sdiag_strncasecmp(l, "version", 7) == 0 || sdiag_strncasecmp(l, "max_age", 7) == 0)) ||
			(kl == 4 && sdiag_strncasecmp(l, "mode", 4) == 0) || (kl == 2 && sdiag_strncasecmp(l, "mx", 2) == 0)) {
			say(why, whylen, "line %zu: the key \"%.*s\" must be written in lower case (keys are case-sensitive)", line, (int)kl, l);
			return -1;
		} else if (!ext_name_ok(l, kl)) {
			say(why, whylen, "line %zu: \"%s\" is not a valid key (letters, digits, \"_\", \"-\", \".\"; no space before \":\")", line, shown(b, sizeof(b), l, kl));
			return -1;
		}
	}
	if (!have_version) {
		say(why, whylen, "%s", "the policy has no \"version: STSv1\" line");
		return -1;
	}
	if (p->mode == SDIAG_MTASTS_NONE_SET) {
		say(why, whylen, "%s", "the policy has no mode line (mode: enforce, testing or none)");
		return -1;
	}
	if (!have_max_age) {
		say(why, whylen, "%s", "the policy has no max_age line (seconds senders may cache it, up to 31557600)");
		return -1;
	}
	if (p->nmx == 0 && p->mode != SDIAG_MTASTS_NONE) {
		say(why, whylen, "the policy in %s mode has no mx line: senders could match no MX host", sdiag_mtasts_mode_name(p->mode));
		return -1;
	}
	return 0;
}

int sdiag_mtasts_mx_match(const char *pattern, const char *host)
{
	size_t hl = strlen(host), pl = strlen(pattern);
	if (hl && host[hl - 1] == '.') {
		hl--;
	}
	if (pl >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		const char *dot = memchr(host, '.', hl);
		size_t first, rest;
		if (!dot) {
			return 0;
		}
		first = (size_t)(dot - host);
		rest = hl - first - 1;
		/* exactly one non-empty label before the pattern's suffix */
		return first > 0 && rest == pl - 2 && sdiag_strncasecmp(dot + 1, pattern + 2, rest) == 0;
	}
	return hl == pl && sdiag_strncasecmp(host, pattern, hl) == 0;
}

/* ---- the dns.mta_sts job ---- */

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
			say(buf, cap, "Publish an A (and/or AAAA) record for %s pointing at a web server that serves the policy over HTTPS; senders fetch it from there.", host);
			break;
		case SDIAG_HTTPS_E_CONNECT:
		case SDIAG_HTTPS_E_TIMEOUT:
			say(buf, cap, "Senders fetch the policy from https://%s/ (port 443): make a web server answer there and open port 443 in its firewall.", host);
			break;
		case SDIAG_HTTPS_E_CERT:
			say(buf, cap, "The policy host needs a valid certificate for %s from a public CA, with its full chain: senders verify it like any HTTPS client and ignore the policy otherwise. Add %s to the certificate's names.", host, host);
			break;
		case SDIAG_HTTPS_E_TLS:
			say(buf, cap, "The web server at %s must speak HTTPS (TLS 1.2 or later) on port 443 with a certificate for that name.", host);
			break;
		case SDIAG_HTTPS_E_REDIRECT:
			say(buf, cap, "Serve the policy at exactly https://%s%s with status 200: senders do not follow redirects (RFC 8461 3.3). Exempt this path from any redirect.", host, SDIAG_MTASTS_PATH);
			break;
		case SDIAG_HTTPS_E_STATUS:
			say(buf, cap, "Put the policy file at %s on the web server of %s so that it is served with status 200.", SDIAG_MTASTS_PATH, host);
			break;
		case SDIAG_HTTPS_E_TOO_LARGE:
			say(buf, cap, "%s", "An MTA-STS policy may be at most 64 KiB (RFC 8461 3.3): serve only the version, mode, mx and max_age lines.");
			break;
		case SDIAG_HTTPS_E_TYPE:
			say(buf, cap, "Serve %s with Content-Type text/plain (RFC 8461 3.2), e.g. nginx: `default_type text/plain;` in that location; senders reject other types.", SDIAG_MTASTS_PATH);
			break;
		default:
			say(buf, cap, "The web server at %s sent a response senders cannot use: check it with `curl -v https://%s%s`.", host, host, SDIAG_MTASTS_PATH);
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
		say(hint, sizeof(hint), "Serve the policy with status 200 OK: senders accept no other (RFC 8461 3.3).");
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
			say(hint, sizeof(hint), "Add the line \"mx: %s\" (or a \"*.<parent>\" pattern covering it) to %s, then change the id in the _mta-sts TXT record so that senders fetch it again; or remove that MX record.",
				unmatched, r->url);
		} else {
			say(hint, sizeof(hint), "Add one \"mx: <host>\" line for each of %s (or \"*.<parent>\" patterns covering them) to %s, then change the id in the _mta-sts TXT record so that senders fetch it again; or remove those MX records.",
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
		sdiag_job_done(job, SDIAG_STEP_FAIL, "Senders cannot learn the MTA-STS policy while this look-up fails: check the domain's DNS servers (they must answer TXT queries for _mta-sts).",
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
