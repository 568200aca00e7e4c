/* smtpdiag core: DMARC records, policy discovery and the dns.dmarc check. */
#include "dmarc.h"
#include "compat.h"
#include "dnscheck.h"

#include <stdio.h>
#include <string.h>

#define FIX_SYNTAX "a DMARC record is tag=value pairs separated by ';', starting with v=DMARC1, e.g. v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"
#define FIX_URI "report URIs are mailto:address (optionally with a size limit such as !10m), comma-separated, e.g. rua=mailto:dmarc@example.com,mailto:dmarc@provider.example"

const char *sdiag_dmarc_policy_name(sdiag_dmarc_policy_t p)
{
	switch (p) {
	case SDIAG_DMARC_NONE:
		return "none";
	case SDIAG_DMARC_QUARANTINE:
		return "quarantine";
	case SDIAG_DMARC_REJECT:
		return "reject";
	case SDIAG_DMARC_INVALID:
		return "invalid";
	default:
		return NULL;
	}
}

sdiag_dmarc_policy_t sdiag_dmarc_subdomain_policy(const sdiag_dmarc_rec_t *r)
{
	if (r->sp >= SDIAG_DMARC_NONE && r->sp <= SDIAG_DMARC_REJECT) {
		return r->sp;
	}
	return r->applied;
}

int sdiag_dmarc_enforced(sdiag_dmarc_policy_t p, int pct)
{
	return p == SDIAG_DMARC_REJECT || (p == SDIAG_DMARC_QUARANTINE && pct >= 100);
}

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A host name as it appears in an address or URL: letters, digits, '-',
 * '_', dots between non-empty labels. */
static int host_ok(const char *h, size_t n)
{
	size_t i, label = 0;
	if (n == 0 || n > 253) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		char c = h[i];
		if (c == '.') {
			if (label == 0) {
				return 0;
			}
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '_') {
			if (++label > 63) {
				return 0;
			}
		} else {
			return 0;
		}
	}
	return label > 0 || n > 1;
}

static void set_host(sdiag_report_uri_t *u, const char *h, size_t n)
{
	size_t i;
	if (n && h[n - 1] == '.') {
		n--;
	}
	for (i = 0; i < n && i < sizeof(u->domain) - 1; i++) {
		u->domain[i] = (char)lc((unsigned char)h[i]);
	}
	u->domain[i] = '\0';
}

int sdiag_report_uri_parse(const char *s, size_t n, int allow_size, sdiag_report_uri_t *u, char *err, size_t errcap)
{
	int show = (int)(n > 120 ? 120 : n);
	memset(u, 0, sizeof(*u));
	sdiag_textf(u->uri, sizeof(u->uri), "%.*s", (int)(n < sizeof(u->uri) - 1 ? n : sizeof(u->uri) - 1), s);
	if (n >= 7 && sdiag_strncasecmp(s, "mailto:", 7) == 0) {
		const char *a = s + 7, *end = s + n, *bang, *q, *at = NULL, *p;
		size_t alen;
		u->mailto = 1;
		bang = memchr(a, '!', (size_t)(end - a));
		if (bang) {
			const char *d = bang + 1;
			if (!allow_size) {
				sdiag_textf(err, errcap, "\"%.*s\": a size limit ('!') is not allowed here", show, s);
				return -1;
			}
			while (d < end && is_digit(*d)) {
				d++;
			}
			if (d == bang + 1 || (d < end && !(d + 1 == end && strchr("kmgtKMGT", *d)))) {
				sdiag_textf(err, errcap, "\"%.*s\": the size limit after '!' must be digits with an optional k, m, g or t (e.g. !10m); a '!' in the address must be written %%21", show, s);
				return -1;
			}
			end = bang;
		}
		q = memchr(a, '?', (size_t)(end - a));
		if (q) {
			end = q;
		}
		for (p = a; p < end; p++) {
			if (*p == '@') {
				at = p;
			} else if (*p == ',' || *p == ';' || *p == ' ' || (unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e) {
				sdiag_textf(err, errcap, "\"%.*s\": the address contains '%c'; mailto: URIs percent-encode such characters", show, s, *p >= 0x20 && *p < 0x7f ? *p : '?');
				return -1;
			}
		}
		alen = (size_t)(end - a);
		if (!at || at == a || !host_ok(at + 1, (size_t)(end - at - 1))) {
			sdiag_textf(err, errcap, "\"%.*s\" is not a mail address (%.*s)", show, s, (int)(alen > 80 ? 80 : alen), a);
			return -1;
		}
		set_host(u, at + 1, (size_t)(end - at - 1));
		return 0;
	}
	if (n >= 6 && sdiag_strncasecmp(s, "https:", 6) == 0) {
		const char *h = s + 6, *end = s + n, *p;
		if (end - h < 2 || h[0] != '/' || h[1] != '/') {
			sdiag_textf(err, errcap, "\"%.*s\" is not an https:// URL", show, s);
			return -1;
		}
		h += 2;
		for (p = h; p < end && *p != '/' && *p != ':' && *p != '?' && *p != '#'; p++) {
		}
		if (!host_ok(h, (size_t)(p - h))) {
			sdiag_textf(err, errcap, "\"%.*s\" has no valid host name", show, s);
			return -1;
		}
		set_host(u, h, (size_t)(p - h));
		return 0;
	}
	if (memchr(s, '@', n) && !memchr(s, ':', n)) {
		sdiag_textf(err, errcap, "\"%.*s\" lacks the mailto: scheme; write mailto:%.*s", show, s, show, s);
		return -1;
	}
	sdiag_textf(err, errcap, "\"%.*s\" is not a mailto: or https: URI", show, s);
	return -1;
}

static sdiag_dmarc_policy_t policy_of(const sdiag_tag_t *t)
{
	if (sdiag_tag_val_is(t, "none", 1)) {
		return SDIAG_DMARC_NONE;
	}
	if (sdiag_tag_val_is(t, "quarantine", 1)) {
		return SDIAG_DMARC_QUARANTINE;
	}
	if (sdiag_tag_val_is(t, "reject", 1)) {
		return SDIAG_DMARC_REJECT;
	}
	return SDIAG_DMARC_INVALID;
}

/* Digits only, at most maxdigits, value at most max. */
static int number_of(const sdiag_tag_t *t, size_t maxdigits, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;
	if (t->vlen == 0 || t->vlen > maxdigits) {
		return -1;
	}
	for (i = 0; i < t->vlen; i++) {
		if (!is_digit(t->val[i])) {
			return -1;
		}
		v = v * 10 + (unsigned long)(t->val[i] - '0');
	}
	if (v > max) {
		return -1;
	}
	*out = v;
	return 0;
}

static void parse_uris(sdiag_dmarc_rec_t *r, const sdiag_tag_t *t, sdiag_report_uri_t *out, size_t *nout)
{
	size_t pos = 0, ilen, extra = 0;
	const char *it;
	char err[sizeof(((sdiag_finding_t *)0)->text) - 16];
	const char *tag = out == r->rua ? "rua" : "ruf";
	while (sdiag_list_next(t->val, t->vlen, ',', &pos, &it, &ilen) == 0) {
		sdiag_report_uri_t u;
		if (ilen == 0) {
			continue;
		}
		if (sdiag_report_uri_parse(it, ilen, 1, &u, err, sizeof(err)) != 0) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_URI, "%s=: %s", tag, err);
			continue;
		}
		if (!u.mailto) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_OK, "add a mailto: address too", "%s=%s: most receivers send reports by mail only and skip https: URIs", tag, u.uri);
		}
		if (*nout < SDIAG_DMARC_URIS_MAX) {
			out[(*nout)++] = u;
		} else {
			extra++;
		}
	}
	if (extra) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_OK, "two destinations are plenty; receivers may send to the first ones only (RFC 7489 6.2)",
			"%s= lists more than %d URIs; %zu are not checked", tag, SDIAG_DMARC_URIS_MAX, extra);
	}
}

/* fo= (0, 1, d, s) and rf= (afrf): colon-separated. */
static void parse_fo(sdiag_dmarc_rec_t *r, const sdiag_tag_t *t)
{
	size_t pos = 0, ilen;
	const char *it;
	char buf[48];
	while (sdiag_list_next(t->val, t->vlen, ':', &pos, &it, &ilen) == 0) {
		if (ilen != 1 || !strchr("01dsDS", *it)) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "fo= takes 0, 1, d and s separated by ':' (e.g. fo=1), or drop it",
				"fo=%s: \"%.*s\" is not a failure reporting option", sdiag_tag_val(t, buf, sizeof(buf)), (int)(ilen > 20 ? 20 : ilen), it);
			return;
		}
	}
	sdiag_tag_val(t, r->fo, sizeof(r->fo));
}

static void parse_rf(sdiag_dmarc_rec_t *r, const sdiag_tag_t *t)
{
	size_t pos = 0, ilen;
	const char *it;
	char buf[48];
	while (sdiag_list_next(t->val, t->vlen, ':', &pos, &it, &ilen) == 0) {
		if (ilen == 4 && sdiag_strncasecmp(it, "afrf", 4) == 0) {
			continue;
		}
		if (ilen == 5 && sdiag_strncasecmp(it, "iodef", 5) == 0) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "drop rf= (afrf is the default)", "rf=%s: iodef is not a DMARC report format (RFC 7489 has afrf only)", sdiag_tag_val(t, buf, sizeof(buf)));
			continue;
		}
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "drop rf= (afrf is the default and only format)",
			"rf=%s: \"%.*s\" is not a report format", sdiag_tag_val(t, buf, sizeof(buf)), (int)(ilen > 20 ? 20 : ilen), it);
		return;
	}
	sdiag_tag_val(t, r->rf, sizeof(r->rf));
}

static void parse_policy_tag(sdiag_dmarc_rec_t *r, const sdiag_tag_t *t, sdiag_dmarc_policy_t *out, const char *name)
{
	char buf[48], fix[120];
	*out = policy_of(t);
	if (*out == SDIAG_DMARC_INVALID) {
		sdiag_textf(fix, sizeof(fix), "set %s=none, %s=quarantine or %s=reject", name, name, name);
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, fix, "%s=%s is not none, quarantine or reject", name, sdiag_tag_val(t, buf, sizeof(buf)));
	}
}

void sdiag_dmarc_parse(sdiag_dmarc_rec_t *r, const char *rec, size_t len)
{
	sdiag_taglist_t tl;
	const sdiag_tag_t *t;
	char buf[64];
	size_t i;
	int has_p = 0;

	memset(r, 0, sizeof(*r));
	r->pct = 100;
	r->adkim = r->aspf = 'r';
	sdiag_strlcpy(r->fo, "0", sizeof(r->fo));
	sdiag_strlcpy(r->rf, "afrf", sizeof(r->rf));
	r->ri = 86400;
	if (sdiag_taglist_parse(&tl, rec, len, 1) != 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_SYNTAX, "the DMARC record is not a valid tag list: %s", tl.err);
		return;
	}
	t = tl.n ? &tl.tags[0] : NULL;
	if (!t || !sdiag_tag_name_is(t, "v", 1)) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_SYNTAX, "the record does not start with v=DMARC1, so receivers ignore it (RFC 7489 6.4)");
		return;
	}
	if (!sdiag_tag_val_is(t, "DMARC1", 0)) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "start the record with v=DMARC1, exactly so (upper case)",
			"v=%s: the version must be DMARC1, exactly so (RFC 7489 6.4); receivers ignore this record", sdiag_tag_val(t, buf, sizeof(buf)));
		return;
	}
	for (i = 1; i < tl.n; i++) {
		unsigned long v;
		t = &tl.tags[i];
		if (sdiag_tag_name_is(t, "p", 1)) {
			has_p = 1;
			parse_policy_tag(r, t, &r->p, "p");
		} else if (sdiag_tag_name_is(t, "sp", 1)) {
			parse_policy_tag(r, t, &r->sp, "sp");
		} else if (sdiag_tag_name_is(t, "np", 1)) {
			parse_policy_tag(r, t, &r->np, "np");
			sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL,
				"np= (the policy for non-existent subdomains, RFC 9091) is applied only by receivers that implement that experimental RFC; others use sp= or p=");
		} else if (sdiag_tag_name_is(t, "pct", 1)) {
			if (number_of(t, 3, 100, &v) != 0) {
				sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "pct= is a whole number from 0 to 100, without '%' (or drop it: 100 is the default)",
					"pct=%s is not a percentage from 0 to 100", sdiag_tag_val(t, buf, sizeof(buf)));
			} else {
				r->pct = (int)v;
			}
		} else if (sdiag_tag_name_is(t, "ri", 1)) {
			if (number_of(t, 10, 4294967295UL, &v) != 0) {
				sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "ri= is the report interval in seconds, e.g. ri=86400 (the default)",
					"ri=%s is not a number of seconds", sdiag_tag_val(t, buf, sizeof(buf)));
			} else {
				r->ri = v;
			}
		} else if (sdiag_tag_name_is(t, "adkim", 1) || sdiag_tag_name_is(t, "aspf", 1)) {
			int dkim = t->nlen == 5;
			if (sdiag_tag_val_is(t, "r", 1) || sdiag_tag_val_is(t, "s", 1)) {
				*(dkim ? &r->adkim : &r->aspf) = (char)lc((unsigned char)t->val[0]);
			} else {
				sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, dkim ? "set adkim=r (relaxed, the default) or adkim=s (strict)" : "set aspf=r (relaxed, the default) or aspf=s (strict)",
					"%s=%s is not r or s", dkim ? "adkim" : "aspf", sdiag_tag_val(t, buf, sizeof(buf)));
			}
		} else if (sdiag_tag_name_is(t, "fo", 1)) {
			parse_fo(r, t);
		} else if (sdiag_tag_name_is(t, "rf", 1)) {
			parse_rf(r, t);
		} else if (sdiag_tag_name_is(t, "rua", 1)) {
			parse_uris(r, t, r->rua, &r->nrua);
		} else if (sdiag_tag_name_is(t, "ruf", 1)) {
			parse_uris(r, t, r->ruf, &r->nruf);
		} else if (sdiag_tag_name_is(t, "t", 1) || sdiag_tag_name_is(t, "psd", 1)) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL, "%.*s= is a tag of the DMARCbis draft; RFC 7489 receivers ignore it", (int)t->nlen, t->name);
		} else if (sdiag_tag_name_is(t, "v", 1)) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, FIX_SYNTAX, "v= appears again at offset %zu", t->off);
		} else {
			sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "remove it, or correct its spelling (DMARC's tags: v p sp np pct rua ruf adkim aspf fo rf ri)",
				"unknown tag %.*s= (offset %zu): receivers ignore it", (int)(t->nlen > 32 ? 32 : t->nlen), t->name, t->off);
		}
	}
	if (r->p >= SDIAG_DMARC_NONE && r->p <= SDIAG_DMARC_REJECT) {
		r->applied = r->p;
	} else if (r->nrua > 0) {
		/* RFC 7489 6.6.3: no valid p= but a valid rua=: act as p=none */
		r->applied = SDIAG_DMARC_NONE;
		if (!has_p) {
			sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "add p=none (monitoring), p=quarantine or p=reject right after v=DMARC1",
				"the record has no p= tag; because rua= is valid, receivers act as if p=none (RFC 7489 6.6.3)");
		}
	} else {
		r->applied = SDIAG_DMARC_ABSENT;
		sdiag_findings_add(&r->findings, SDIAG_STEP_FAIL, "add p=none (monitoring), p=quarantine or p=reject right after v=DMARC1",
			"the record has no valid p= and no valid rua=, so receivers apply no DMARC policy (RFC 7489 6.6.3)");
	}
	r->valid = r->applied != SDIAG_DMARC_ABSENT;
	if (!r->valid) {
		return;
	}
	if (r->applied == SDIAG_DMARC_NONE) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "once the aggregate reports show your own mail passing DMARC, move to p=quarantine, then p=reject",
			"p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain");
	} else if (r->pct < 100) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "raise pct to 100 (or drop pct=, 100 is the default) once the reports are clean",
			"pct=%d: p=%s applies to %d%% of the failing mail; the rest gets the next weaker policy", r->pct, sdiag_dmarc_policy_name(r->applied), r->pct);
	}
	if (r->sp == SDIAG_DMARC_NONE && r->applied > SDIAG_DMARC_NONE) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "drop sp= (subdomains then get p=) or set sp=quarantine or sp=reject",
			"sp=none: subdomains without a DMARC record of their own are not protected, though p=%s", sdiag_dmarc_policy_name(r->applied));
	}
	if (r->nrua == 0) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "add rua=mailto:<a mailbox or a DMARC report service you read>",
			"no rua=: nobody receives aggregate reports, so you cannot see who sends mail as this domain or whether it passes");
	}
}

/* ---- organisational domain ---- */

/* Common public suffixes of more than one label (see sdiag_org_domain()). */
static const char *const multi_suffixes[] = {
	"co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "sch.uk", "nhs.uk",
	"com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
	"co.nz", "org.nz", "net.nz", "ac.nz", "govt.nz", "school.nz",
	"co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
	"com.br", "net.br", "org.br", "gov.br", "edu.br",
	"com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn",
	"com.mx", "org.mx", "gob.mx", "edu.mx",
	"co.in", "net.in", "org.in", "gov.in", "ac.in", "firm.in",
	"co.za", "org.za", "gov.za", "ac.za", "web.za",
	"com.tr", "org.tr", "net.tr", "gov.tr", "edu.tr",
	"com.sg", "org.sg", "edu.sg", "gov.sg",
	"com.hk", "org.hk", "net.hk", "edu.hk", "gov.hk",
	"co.kr", "or.kr", "go.kr", "ac.kr",
	"com.tw", "org.tw", "net.tw", "gov.tw",
	"co.il", "org.il", "ac.il",
	"com.ar", "com.co", "com.pe", "com.ve", "com.ec", "com.uy",
	"com.my", "com.ph", "com.vn", "com.pk", "com.bd", "co.id", "or.id", "co.th", "in.th",
	"com.ua", "com.pl", "com.ru", "com.es", "com.pt", "com.gr", "com.cy", "co.at", "or.at",
	"com.ng", "co.ke", "com.eg", "com.sa", "co.ae", "com.qa",
};

int sdiag_org_domain(const char *domain, char *out, size_t cap)
{
	char d[SDIAG_DNS_NAME_MAX];
	size_t n = strlen(domain), i, dots = 0, keep = 2, k;
	const char *p;

	if (n && domain[n - 1] == '.') {
		n--;
	}
	if (n == 0 || n >= sizeof(d) || n >= cap) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		d[i] = (char)lc((unsigned char)domain[i]);
		dots += d[i] == '.';
	}
	d[n] = '\0';
	if (dots >= 2) {
		/* the last two labels */
		p = d + n;
		for (k = 0; k < 2; p--) {
			if (p[-1] == '.') {
				k++;
			}
			if (k == 2) {
				break;
			}
		}
		for (i = 0; i < sizeof(multi_suffixes) / sizeof(multi_suffixes[0]); i++) {
			if (strcmp(p, multi_suffixes[i]) == 0) {
				keep = 3;
				break;
			}
		}
	}
	/* the last `keep` labels (the whole name when it has no more) */
	p = d + n;
	k = 0;
	while (p > d) {
		if (p[-1] == '.' && ++k == keep) {
			break;
		}
		p--;
	}
	memcpy(out, p, (size_t)(d + n - p) + 1);
	return 0;
}

/* ---- policy discovery ---- */

static void lookup_ask(sdiag_dmarc_lookup_t *l, const char *domain);

/* "v=DMARC1" somewhere in the text, any case (a record that has it but not
 * first is ignored by receivers, RFC 7489 6.6.3: worth saying why). */
static int names_dmarc1(const char *text, size_t len)
{
	static const char want[] = "v=dmarc1";
	size_t i, k;
	for (i = 0; i + sizeof(want) - 1 <= len; i++) {
		for (k = 0; k < sizeof(want) - 1 && (text[i + k] >= 'A' && text[i + k] <= 'Z' ? text[i + k] + 32 : text[i + k]) == want[k]; k++) {
		}
		if (k == sizeof(want) - 1) {
			return 1;
		}
	}
	return 0;
}

static void lookup_on_txt(void *ud, const sdiag_dns_result_t *res)
{
	sdiag_dmarc_lookup_t *l = ud;
	const sdiag_dns_rr_t *rr, *one = NULL;
	size_t pos = 0;

	l->dns = res->status;
	sdiag_strlcpy(l->why, res->why, sizeof(l->why));
	l->nrecords = 0;
	l->misplaced = 0;
	while (res->status == SDIAG_DNS_OK && (rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
		if (sdiag_record_is((const char *)rr->data, rr->len, "DMARC1")) {
			l->nrecords++;
			one = rr;
		} else if (names_dmarc1((const char *)rr->data, rr->len)) {
			l->misplaced++;
		}
	}
	if (l->nrecords == 1) {
		l->found = 1;
		l->record = sdiag_strndup((const char *)one->data, one->len < 8192 ? one->len : 8192);
		l->oom = l->record == NULL;
		sdiag_dmarc_parse(&l->rec, (const char *)one->data, one->len);
	} else if (l->nrecords == 0 && !l->misplaced && (res->status == SDIAG_DNS_OK || res->status == SDIAG_DNS_NODATA || res->status == SDIAG_DNS_NXDOMAIN)
		&& !l->inherited && strcmp(l->org, l->domain) != 0) {
		/* nothing at the domain: its organisational domain's record applies */
		l->inherited = 1;
		lookup_ask(l, l->org);
		return;
	}
	l->done(l);
}

static void lookup_ask(sdiag_dmarc_lookup_t *l, const char *domain)
{
	sdiag_strlcpy(l->policy_domain, domain, sizeof(l->policy_domain));
	sdiag_textf(l->name, sizeof(l->name), "_dmarc.%s", domain);
	l->ops.query(l->ops.ctx, l->name, SDIAG_DNS_T_TXT, lookup_on_txt, l);
}

void sdiag_dmarc_lookup_start(sdiag_dmarc_lookup_t *l, sdiag_dns_ops_t ops, const char *domain,
	void (*done)(sdiag_dmarc_lookup_t *l), void *ud)
{
	size_t n;
	l->ops = ops;
	l->done = done;
	l->ud = ud;
	l->found = l->inherited = 0;
	l->nrecords = 0;
	l->record = NULL;
	l->oom = 0;
	sdiag_strlcpy(l->domain, domain, sizeof(l->domain));
	n = strlen(l->domain);
	if (n && l->domain[n - 1] == '.') {
		l->domain[n - 1] = '\0';
	}
	for (n = 0; l->domain[n]; n++) {
		l->domain[n] = (char)lc((unsigned char)l->domain[n]);
	}
	if (sdiag_org_domain(l->domain, l->org, sizeof(l->org)) != 0) {
		sdiag_strlcpy(l->org, l->domain, sizeof(l->org));
	}
	lookup_ask(l, l->domain);
}

void sdiag_dmarc_lookup_free(sdiag_dmarc_lookup_t *l)
{
	sdiag_free(l->record);
	l->record = NULL;
}

int sdiag_dmarc_lookup_failed(const sdiag_dmarc_lookup_t *l)
{
	return !l->found && l->nrecords == 0 && l->dns != SDIAG_DNS_OK && l->dns != SDIAG_DNS_NODATA && l->dns != SDIAG_DNS_NXDOMAIN;
}

/* ---- the dns.dmarc job ---- */

#define DMARC_EXT_MAX (2 * SDIAG_DMARC_URIS_MAX)

typedef struct dmarc_job dmarc_job_t;

/* A report destination outside the policy domain (RFC 7489 7.1). */
typedef struct dmarc_ext {
	dmarc_job_t *dj;
	char dest[SDIAG_DNS_NAME_MAX];
	char name[2 * SDIAG_DNS_NAME_MAX + 16];
	sdiag_dns_status_t dns;
	char why[200];
	int authorised;
} dmarc_ext_t;

struct dmarc_job {
	sdiag_job_t *job;
	sdiag_dmarc_lookup_t l;
	char policy_org[SDIAG_DNS_NAME_MAX];
	dmarc_ext_t ext[DMARC_EXT_MAX];
	size_t next;
};

static void dmarc_free(sdiag_job_t *job)
{
	dmarc_job_t *dj = job->priv;
	if (dj) {
		sdiag_dmarc_lookup_free(&dj->l);
		sdiag_free(dj);
		job->priv = NULL;
	}
}

static void put_uris(sdiag_value_t *data, const char *key, const sdiag_report_uri_t *u, size_t n)
{
	sdiag_value_t *list = sdiag_v_put_list(data, key);
	size_t i;
	for (i = 0; i < n; i++) {
		sdiag_v_push_str(list, u[i].uri);
	}
}

static void dmarc_finish(dmarc_job_t *dj)
{
	sdiag_job_t *job = dj->job;
	sdiag_dmarc_lookup_t *l = &dj->l;
	sdiag_dmarc_rec_t *r = &l->rec;
	sdiag_value_t *data = job->step.data, *list;
	const sdiag_finding_t *top;
	sdiag_step_status_t st;
	char hint[SDIAG_HINT_MAX];
	char adkim[2] = {r->adkim, 0}, aspf[2] = {r->aspf, 0};
	size_t i;

	sdiag_v_put_str(data, "domain", l->domain);
	sdiag_v_put_str(data, "org_domain", l->org);
	sdiag_v_put_str(data, "name", l->name);
	sdiag_v_put_bool(data, "inherited", l->found && l->inherited);
	if (!l->found) {
		sdiag_v_put_null(data, "record");
		sdiag_v_put_int(data, "records", (long long)l->nrecords);
		if (sdiag_dmarc_lookup_failed(l)) {
			sdiag_textf(hint, sizeof(hint), "receivers get the same failure and apply no DMARC policy (temperror); check that every name server of %s answers for %s", l->policy_domain, l->name);
			sdiag_job_done(job, SDIAG_STEP_WARN, hint, "the look-up of TXT %s failed: %s", l->name, l->why);
		} else if (l->misplaced) {
			sdiag_textf(hint, sizeof(hint), "start the record with the version tag: \"v=DMARC1; p=...\" (the tags after it may come in any order)");
			sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "the TXT record at %s names v=DMARC1 but does not begin with it: receivers ignore it and apply no DMARC policy", l->name);
		} else if (l->nrecords > 1) {
			sdiag_textf(hint, sizeof(hint), "merge them into one TXT record at %s", l->name);
			sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "%zu DMARC records at %s: receivers apply no policy at all (RFC 7489 6.6.3)", l->nrecords, l->name);
		} else {
			sdiag_textf(hint, sizeof(hint), "publish TXT at _dmarc.%s: \"v=DMARC1; p=none; rua=mailto:dmarc@%s\" as a start (Gmail and Yahoo require DMARC of bulk senders since 2024), then tighten p= as the reports show your mail passing",
				l->domain, l->org);
			if (strcmp(l->org, l->domain) != 0) {
				sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "no DMARC record at _dmarc.%s nor at its organisational domain's _dmarc.%s", l->domain, l->org);
			} else {
				sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "no DMARC record at _dmarc.%s", l->domain);
			}
		}
		return;
	}
	sdiag_v_put_str(data, "record", l->record);
	sdiag_v_put_str(data, "policy", sdiag_dmarc_policy_name(r->p));
	sdiag_v_put_str(data, "subdomain_policy", sdiag_dmarc_policy_name(sdiag_dmarc_subdomain_policy(r)));
	sdiag_v_put_str(data, "applied_policy", sdiag_dmarc_policy_name(l->inherited ? sdiag_dmarc_subdomain_policy(r) : r->applied));
	sdiag_v_put_str(data, "np", sdiag_dmarc_policy_name(r->np));
	sdiag_v_put_int(data, "pct", r->pct);
	put_uris(data, "rua", r->rua, r->nrua);
	put_uris(data, "ruf", r->ruf, r->nruf);
	sdiag_v_put_str(data, "adkim", adkim);
	sdiag_v_put_str(data, "aspf", aspf);
	sdiag_v_put_str(data, "fo", r->fo);
	list = sdiag_v_put_list(data, "external");
	for (i = 0; i < dj->next; i++) {
		dmarc_ext_t *e = &dj->ext[i];
		sdiag_value_t *m = sdiag_v_push_map(list);
		sdiag_v_put_str(m, "destination", e->dest);
		sdiag_v_put_str(m, "name", e->name);
		sdiag_v_put_bool(m, "authorised", e->authorised);
		sdiag_v_put_str(m, "dns", sdiag_dns_status_name(e->dns));
		if (e->authorised) {
			continue;
		}
		if (e->dns == SDIAG_DNS_OK || e->dns == SDIAG_DNS_NODATA || e->dns == SDIAG_DNS_NXDOMAIN) {
			sdiag_textf(hint, sizeof(hint), "ask the operator of %s to publish TXT \"v=DMARC1\" at %s, or send the reports to an address at %s", e->dest, e->name, l->policy_domain);
			sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, hint,
				"%s has not agreed to receive DMARC reports for %s: no v=DMARC1 record at %s (RFC 7489 7.1), so receivers do not send them", e->dest, l->policy_domain, e->name);
		} else {
			sdiag_findings_add(&r->findings, SDIAG_STEP_WARN, "retry later; receivers that get the same failure do not send reports there",
				"could not check that %s accepts reports for %s: the look-up of TXT %s failed (%s)", e->dest, l->policy_domain, e->name, e->why);
		}
	}
	if (l->inherited) {
		sdiag_findings_add(&r->findings, SDIAG_STEP_OK, NULL, "%s has no DMARC record of its own; the organisational domain's record at %s applies (its sp=, or p=)", l->domain, l->name);
	}
	sdiag_findings_put(&r->findings, sdiag_v_put_list(data, "problems"));
	st = sdiag_findings_worst(&r->findings);
	top = sdiag_findings_top(&r->findings);
	if (!top) {
		sdiag_job_done(job, SDIAG_STEP_OK, NULL, "DMARC policy p=%s at %s%s", sdiag_dmarc_policy_name(l->inherited ? sdiag_dmarc_subdomain_policy(r) : r->applied), l->name,
			l->inherited ? " (the organisational domain's, inherited)" : "");
		return;
	}
	sdiag_job_done(job, st, top->fix, "%s: %s", l->name, top->text);
}

static void dmarc_ext_on_txt(void *ud, const sdiag_dns_result_t *res)
{
	dmarc_ext_t *e = ud;
	dmarc_job_t *dj = e->dj;
	const sdiag_dns_rr_t *rr;
	size_t pos = 0;
	e->dns = res->status;
	sdiag_strlcpy(e->why, res->why, sizeof(e->why));
	while (res->status == SDIAG_DNS_OK && (rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
		if (sdiag_record_is((const char *)rr->data, rr->len, "DMARC1")) {
			e->authorised = 1;
		}
	}
	if (--dj->job->pending == 0) {
		dmarc_finish(dj);
	}
}

static void add_ext(dmarc_job_t *dj, const sdiag_report_uri_t *u, size_t n)
{
	char org[SDIAG_DNS_NAME_MAX];
	size_t i, j;
	for (i = 0; i < n && dj->next < DMARC_EXT_MAX; i++) {
		int dup = 0;
		if (!u[i].mailto || sdiag_org_domain(u[i].domain, org, sizeof(org)) != 0 || strcmp(org, dj->policy_org) == 0) {
			continue;
		}
		for (j = 0; j < dj->next; j++) {
			dup |= strcmp(dj->ext[j].dest, u[i].domain) == 0;
		}
		if (!dup) {
			dmarc_ext_t *e = &dj->ext[dj->next++];
			e->dj = dj;
			sdiag_strlcpy(e->dest, u[i].domain, sizeof(e->dest));
			sdiag_textf(e->name, sizeof(e->name), "%s._report._dmarc.%s", dj->l.policy_domain, e->dest);
		}
	}
}

static void dmarc_on_lookup(sdiag_dmarc_lookup_t *l)
{
	dmarc_job_t *dj = l->ud;
	sdiag_job_t *job = dj->job;
	size_t i;

	if (!l->found || !l->rec.valid) {
		dmarc_finish(dj);
		return;
	}
	if (sdiag_org_domain(l->policy_domain, dj->policy_org, sizeof(dj->policy_org)) != 0) {
		sdiag_strlcpy(dj->policy_org, l->policy_domain, sizeof(dj->policy_org));
	}
	add_ext(dj, l->rec.rua, l->rec.nrua);
	add_ext(dj, l->rec.ruf, l->rec.nruf);
	job->pending = (int)dj->next + 1;
	for (i = 0; i < dj->next; i++) {
		job->in->ops.query(job->in->ops.ctx, dj->ext[i].name, SDIAG_DNS_T_TXT, dmarc_ext_on_txt, &dj->ext[i]);
	}
	if (--job->pending == 0) {
		dmarc_finish(dj);
	}
}

void sdiag_job_dmarc(sdiag_job_t *job)
{
	dmarc_job_t *dj;

	job->step.id = "dns.dmarc";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	if (!job->in->domain || !job->in->domain[0]) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no sender domain to check the DMARC policy of");
		return;
	}
	dj = sdiag_calloc(1, sizeof(*dj));
	if (!dj) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	dj->job = job;
	job->priv = dj;
	job->free_priv = dmarc_free;
	sdiag_dmarc_lookup_start(&dj->l, job->in->ops, job->in->domain, dmarc_on_lookup, dj);
}
