/* smtpdiag core: DKIM key records and the dns.dkim check. */
#include "dkim.h"
#include "compat.h"
#include "dnscheck.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
# define SDIAG_PKEY_BITS(k) EVP_PKEY_get_bits(k)
# define SDIAG_PKEY_ID(k) EVP_PKEY_get_base_id(k)
#else
# define SDIAG_PKEY_BITS(k) EVP_PKEY_bits(k)
# define SDIAG_PKEY_ID(k) EVP_PKEY_base_id(k)
#endif

#define FIX_SYNTAX "a DKIM key record is tag=value pairs separated by ';', e.g. v=DKIM1; k=rsa; p=MIIBIjANBgkqh...; publish the record your signer (or provider) gives you unchanged"
#define FIX_NEWKEY "generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it under a new selector, publish its public key there, then retire this one"

const char *sdiag_dkim_ktype_name(sdiag_dkim_ktype_t t)
{
	switch (t) {
	case SDIAG_DKIM_RSA:
		return "rsa";
	case SDIAG_DKIM_ED25519:
		return "ed25519";
	default:
		return "unknown";
	}
}

/* Decode p= (base64, whitespace anywhere, as RFC 6376 3.6.1 allows). */
static void decode_p(sdiag_dkim_key_t *k, const char *v, size_t vlen)
{
	size_t i, n = 0, pad = 0, out = 0;
	unsigned acc = 0;
	int bitsin = 0;

	for (i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)v[i];
		int d;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			continue;
		}
		if (c == '=') {
			pad++;
			continue;
		}
		d = sdiag_b64_digit((unsigned char)c);
		if (d < 0 || pad) {
			const char *fix = "p= is the base64 of the public key (the lines between BEGIN PUBLIC KEY and END PUBLIC KEY, joined)";
			if (c == '"' || c == '\\') {
				fix = "the record was pasted with the quotes (or backslashes) of a zone file; the TXT data itself must not contain them: remove them";
			} else if (c == '-' && vlen - i >= 10 && memcmp(v + i, "-----BEGIN", 10) == 0) {
				fix = "the PEM armour was pasted into p=; publish only the base64 between the BEGIN and END lines, without them";
			} else if (c == '-' || c == '_') {
				fix = "p= uses the URL-safe base64 alphabet (- and _); DKIM uses the standard one (+ and /)";
			}
			if (pad) {
				sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, fix, "p= has base64 after its '=' padding (offset %zu in p=): the key cannot be decoded", i);
			} else {
				sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, fix, "p= is not base64: '%c' at offset %zu in p=", c >= 0x21 && c < 0x7f ? c : '?', i);
			}
			k->derlen = 0;
			return;
		}
		n++;
		acc = (acc << 6) | (unsigned)d;
		bitsin += 6;
		if (bitsin >= 8) {
			bitsin -= 8;
			if (out == sizeof(k->der)) {
				sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "publish the public key only (an RSA 2048-bit key is about 400 characters of base64)",
					"p= decodes to more than %d bytes: no key is that long", SDIAG_DKIM_DER_MAX);
				k->derlen = 0;
				return;
			}
			k->der[out++] = (unsigned char)(acc >> bitsin);
			acc &= (1u << bitsin) - 1;
		}
	}
	if (n % 4 == 1 || pad > 2 || (pad && (n + pad) % 4 != 0)) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "copy the whole base64 key again: a character is missing or extra",
			"p= is not valid base64: %zu characters and %zu '=' (a multiple of 4 is expected)", n, pad);
		k->derlen = 0;
		return;
	}
	if (n % 4 != 0 && !pad) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_WARN, "add the '=' padding at the end of p= (the base64 length must be a multiple of 4)",
			"p= lacks its base64 '=' padding; strict verifiers cannot decode it");
	}
	k->derlen = out;
}

static void load_rsa(sdiag_dkim_key_t *k)
{
	const unsigned char *p = k->der;
	EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)k->derlen);
	int id;

	if (pk && p != k->der + k->derlen) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_WARN, "publish exactly the base64 of the public key",
			"p= has %zu bytes after the key's DER; some verifiers reject it", (size_t)(k->der + k->derlen - p));
	}
	if (!pk) {
		ERR_clear_error();
		p = k->der;
		pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)k->derlen);
		if (pk) {
			k->pkcs1 = 1;
			sdiag_findings_add(&k->findings, SDIAG_STEP_WARN,
				"publish the SubjectPublicKeyInfo form: openssl rsa -RSAPublicKey_in -pubout -outform DER < key | base64 -w0",
				"p= holds a bare RSAPublicKey (PKCS#1), not the SubjectPublicKeyInfo RFC 6376 3.6.1 requires; OpenSSL-based verifiers accept it, others do not");
		}
	}
	if (!pk) {
		ERR_clear_error();
		if (k->derlen == 32) {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "if this is an ed25519 key, say so with k=ed25519 (RFC 8463); rsa is the default",
				"p= is 32 bytes, not an RSA public key");
		} else {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "publish the base64 of the DER SubjectPublicKeyInfo: openssl rsa -in private.pem -pubout -outform DER | base64 -w0",
				"p= (%zu bytes) is not an RSA public key OpenSSL can read; the key was cut or mangled", k->derlen);
		}
		return;
	}
	id = SDIAG_PKEY_ID(pk);
	if (id != EVP_PKEY_RSA) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL,
			id == EVP_PKEY_ED25519 ? "set k=ed25519 and publish the bare 32-byte key (RFC 8463 3)" : "DKIM keys are RSA (k=rsa) or ed25519 (k=ed25519)",
			"p= holds a %s key, not the RSA key k= announces", id == EVP_PKEY_ED25519 ? "ed25519" : id == EVP_PKEY_EC ? "EC" : "non-RSA");
		EVP_PKEY_free(pk);
		return;
	}
	k->loaded = 1;
	k->bits = SDIAG_PKEY_BITS(pk);
	EVP_PKEY_free(pk);
	if (k->bits < 1024) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, FIX_NEWKEY,
			"the RSA key has %d bits: RFC 8301 3.2 forbids keys under 1024 bits and verifiers fail their signatures", k->bits);
	} else if (k->bits < 2048) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_WARN, FIX_NEWKEY,
			"the RSA key has %d bits: RFC 8301 3.2 wants 2048 for signing, and 1024-bit keys can be factored by well-funded attackers", k->bits);
	} else if (k->bits > 4096) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_WARN, "use a 2048- to 4096-bit key",
			"the RSA key has %d bits: RFC 8301 3.2 only requires verifiers to handle up to 4096", k->bits);
	}
}

static void load_ed25519(sdiag_dkim_key_t *k)
{
	EVP_PKEY *pk;
	if (k->derlen != 32) {
		const unsigned char *p = k->der;
		pk = d2i_PUBKEY(NULL, &p, (long)k->derlen);
		ERR_clear_error();
		if (pk && SDIAG_PKEY_ID(pk) == EVP_PKEY_ED25519) {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "publish the base64 of the last 32 bytes only (the raw key, 44 base64 characters)",
				"p= is an ed25519 key wrapped in a SubjectPublicKeyInfo (%zu bytes); RFC 8463 3 wants the bare 32-byte key", k->derlen);
		} else if (pk && SDIAG_PKEY_ID(pk) == EVP_PKEY_RSA) {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "set k=rsa (or drop k=)", "k=ed25519 but p= holds an RSA key");
		} else {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "publish the 32-byte ed25519 public key in base64 (44 characters)",
				"p= decodes to %zu bytes; an ed25519 key is 32 (RFC 8463 3)", k->derlen);
		}
		EVP_PKEY_free(pk);
		return;
	}
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->der, 32);
	if (!pk) {
		ERR_clear_error();
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "check that this OpenSSL build has ed25519", "OpenSSL could not load the ed25519 key");
		return;
	}
	k->loaded = 1;
	k->bits = 256;
	EVP_PKEY_free(pk);
	sdiag_findings_add(&k->findings, SDIAG_STEP_OK, "sign with an RSA key too, under a second selector (RFC 8463 suggests both)",
		"an ed25519 key: verifiers that predate RFC 8463 (2018) ignore its signatures");
}

static void fingerprint(sdiag_dkim_key_t *k)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	static const char hex[] = "0123456789abcdef";
	if (!EVP_Digest(k->der, k->derlen, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		ERR_clear_error();
		return;
	}
	for (i = 0; i < mdlen; i++) {
		k->sha256[2 * i] = hex[md[i] >> 4];
		k->sha256[2 * i + 1] = hex[md[i] & 15];
	}
	k->sha256[64] = '\0';
}

/* h=: the hash algorithms the key may be used with. */
static void check_h(sdiag_dkim_key_t *k, const sdiag_tag_t *t)
{
	size_t pos = 0, ilen;
	const char *it;
	int sha1 = 0, sha256 = 0;
	sdiag_tag_val(t, k->hashes, sizeof(k->hashes));
	while (sdiag_list_next(t->val, t->vlen, ':', &pos, &it, &ilen) == 0) {
		if (ilen == 6 && sdiag_strncasecmp(it, "sha256", 6) == 0) {
			sha256 = 1;
		} else if (ilen == 4 && sdiag_strncasecmp(it, "sha1", 4) == 0) {
			sha1 = 1;
		}
	}
	if (sha256) {
		return;
	}
	if (sha1) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_WARN, "drop h= or set h=sha256, and sign with rsa-sha256",
			"h=%s restricts the key to SHA-1, which RFC 8301 forbids for signing: verifiers treat rsa-sha1 signatures as failed", k->hashes);
	} else {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "drop h= or set h=sha256",
			"h=%s names no hash algorithm verifiers know: no signature can use this key", k->hashes);
	}
}

static void check_k(sdiag_dkim_key_t *k, const sdiag_tag_t *t)
{
	sdiag_tag_val(t, k->key_type, sizeof(k->key_type));
	if (sdiag_tag_val_is(t, "rsa", 1)) {
		k->ktype = SDIAG_DKIM_RSA;
	} else if (sdiag_tag_val_is(t, "ed25519", 1)) {
		k->ktype = SDIAG_DKIM_ED25519;
	} else {
		k->ktype = SDIAG_DKIM_UNKNOWN;
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "set k=rsa (or drop k=, rsa is the default) or k=ed25519",
			"k=%s is not a key type verifiers know (rsa, ed25519): they ignore this key", k->key_type);
	}
}

static void check_s(sdiag_dkim_key_t *k, const sdiag_tag_t *t)
{
	size_t pos = 0, ilen;
	const char *it;
	char buf[48];
	k->email = 0;
	while (sdiag_list_next(t->val, t->vlen, ':', &pos, &it, &ilen) == 0) {
		if ((ilen == 1 && *it == '*') || (ilen == 5 && sdiag_strncasecmp(it, "email", 5) == 0)) {
			k->email = 1;
		}
	}
	if (!k->email) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "set s=email or s=* (or drop s=)",
			"s=%s does not include email: verifiers must not use this key for mail", sdiag_tag_val(t, buf, sizeof(buf)));
	}
}

static void check_t(sdiag_dkim_key_t *k, const sdiag_tag_t *t)
{
	size_t pos = 0, ilen;
	const char *it;
	while (sdiag_list_next(t->val, t->vlen, ':', &pos, &it, &ilen) == 0) {
		if (ilen == 1 && (*it == 'y' || *it == 'Y')) {
			k->testing = 1;
		} else if (ilen == 1 && (*it == 's' || *it == 'S')) {
			k->strict = 1;
		}
	}
	if (k->testing) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_WARN, "remove y from t= once signatures verify (a DMARC report or a received message's Authentication-Results shows it)",
			"t=y: the key is in testing mode, and verifiers may treat its signatures like unsigned mail");
	}
}

void sdiag_dkim_check(sdiag_dkim_key_t *k, const char *rec, size_t len)
{
	sdiag_taglist_t tl;
	const sdiag_tag_t *t;

	memset(k, 0, sizeof(*k));
	k->ktype = SDIAG_DKIM_RSA;
	sdiag_strlcpy(k->key_type, "rsa", sizeof(k->key_type));
	k->email = 1;
	if (sdiag_taglist_parse(&tl, rec, len, 0) != 0) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, FIX_SYNTAX, "the key record is not a valid tag list: %s", tl.err);
		return;
	}
	if ((t = sdiag_taglist_get(&tl, "v", 0)) != NULL) {
		char buf[32];
		if (!sdiag_tag_val_is(t, "DKIM1", 0)) {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "start the record with v=DKIM1 (or leave v= out)",
				"v=%s: a key record with a v= other than DKIM1 is discarded (RFC 6376 3.6.1)", sdiag_tag_val(t, buf, sizeof(buf)));
			return;
		}
		if (t != &tl.tags[0]) {
			sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "move v=DKIM1 to the start of the record",
				"v=DKIM1 is not the first tag; RFC 6376 3.6.1 requires it first and strict verifiers discard the record");
		}
		k->version = 1;
	}
	if ((t = sdiag_taglist_get(&tl, "k", 0)) != NULL) {
		check_k(k, t);
	}
	if ((t = sdiag_taglist_get(&tl, "h", 0)) != NULL) {
		check_h(k, t);
	}
	if ((t = sdiag_taglist_get(&tl, "s", 0)) != NULL) {
		check_s(k, t);
	}
	if ((t = sdiag_taglist_get(&tl, "t", 0)) != NULL) {
		check_t(k, t);
	}
	t = sdiag_taglist_get(&tl, "p", 0);
	if (!t) {
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL,
			sdiag_taglist_get(&tl, "P", 0) ? "write p= in lower case: DKIM tag names are case-sensitive" : "add p=<the base64 public key>",
			"the key record has no p= tag (the public key); verifiers cannot use it");
		return;
	}
	if (t->vlen == 0) {
		k->revoked = 1;
		sdiag_findings_add(&k->findings, SDIAG_STEP_FAIL, "sign with a selector whose key is published, or publish the current public key at this one",
			"p= is empty: the key is revoked (RFC 6376 3.6.1) and every signature with this selector fails");
		return;
	}
	decode_p(k, t->val, t->vlen);
	if (k->derlen == 0) {
		return;
	}
	fingerprint(k);
	if (k->ktype == SDIAG_DKIM_RSA) {
		load_rsa(k);
	} else if (k->ktype == SDIAG_DKIM_ED25519) {
		load_ed25519(k);
	}
}

/* ---- the dns.dkim job ---- */

/* Selectors probed when none is given: those of the common signers
 * (a provider's own selectors are in its setup guide; Amazon SES and
 * others use random tokens, which no probe can guess). */
static const char *const probe_selectors[] = {
	"default",                  /* cPanel, Plesk, many self-hosted setups */
	"google",                   /* Google Workspace */
	"selector1", "selector2",   /* Microsoft 365 */
	"k1", "k2", "k3",           /* Mailchimp / Mandrill */
	"s1", "s2",                 /* SendGrid */
	"mandrill",                 /* Mandrill (older) */
	"everlytickey1",            /* Everlytic */
	"zmail", "zoho",            /* Zoho Mail */
	"protonmail",               /* Proton Mail */
	"pm",                       /* Postmark */
	"fm1", "fm2", "fm3",        /* Fastmail */
	"dkim", "mail", "smtp", "mx" /* frequent hand-picked names */
};
#define NPROBE (sizeof(probe_selectors) / sizeof(probe_selectors[0]))

typedef struct dkim_job dkim_job_t;

typedef struct dkim_sel {
	dkim_job_t *dj;
	const char *selector;
	char name[SDIAG_DNS_NAME_MAX + 80];
	char canonical[SDIAG_DNS_NAME_MAX];  /* where a CNAME led, "" when none */
	int bad;                   /* not a valid selector: not asked */
	sdiag_dns_status_t dns;
	char why[200];
	size_t nkeys;              /* DKIM key records at the name */
	size_t nother;             /* other TXT records there */
	char other[100];           /* the first of those, cut */
	char *record;              /* the key record assessed */
	sdiag_dkim_key_t key;
	sdiag_step_status_t status;
	char msg[300];
	char hint[300];
} dkim_sel_t;

struct dkim_job {
	sdiag_job_t *job;
	int probing;
	size_t n, ignored;
	dkim_sel_t *sel;
};

static void dkim_free(sdiag_job_t *job)
{
	dkim_job_t *dj = job->priv;
	size_t i;
	if (!dj) {
		return;
	}
	for (i = 0; i < dj->n; i++) {
		sdiag_free(dj->sel[i].record);
	}
	sdiag_free(dj->sel);
	sdiag_free(dj);
	job->priv = NULL;
}

/* A TXT record is taken for a key record when it starts with v=DKIM1 or
 * has a p= tag; anything else there (a wildcard SPF record, a site
 * verification token) is someone else's. */
static int looks_like_key(const char *s, size_t len)
{
	sdiag_taglist_t tl;
	if (sdiag_record_is(s, len, "DKIM1")) {
		return 1;
	}
	sdiag_taglist_parse(&tl, s, len, 0);
	return sdiag_taglist_get(&tl, "p", 0) != NULL;
}

static void dkim_finish(dkim_job_t *dj);

static void dkim_on_txt(void *ud, const sdiag_dns_result_t *res)
{
	dkim_sel_t *s = ud;
	dkim_job_t *dj = s->dj;
	const sdiag_dns_rr_t *rr;
	size_t pos = 0;

	s->dns = res->status;
	sdiag_strlcpy(s->why, res->why, sizeof(s->why));
	if (res->msg && res->msg->cnames) {
		sdiag_strlcpy(s->canonical, res->msg->canonical, sizeof(s->canonical));
	}
	while (res->status == SDIAG_DNS_OK && (rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
		const char *txt = (const char *)rr->data;
		if (!looks_like_key(txt, rr->len)) {
			if (s->nother++ == 0) {
				sdiag_textf(s->other, sizeof(s->other), "%.*s%s", (int)(rr->len < 80 ? rr->len : 80), txt, rr->len > 80 ? "..." : "");
			}
			continue;
		}
		if (s->nkeys++ == 0) {
			/* data keeps the record whole up to a sane size */
			s->record = sdiag_strndup(txt, rr->len < 8192 ? rr->len : 8192);
			sdiag_dkim_check(&s->key, txt, rr->len);
		}
	}
	if (--dj->job->pending == 0) {
		dkim_finish(dj);
	}
}

static int selector_ok(const char *s)
{
	size_t i, n = strlen(s);
	if (n == 0 || n > 63 * 3 || s[0] == '.' || s[n - 1] == '.' || strstr(s, "..") || strstr(s, "_domainkey")) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
			return 0;
		}
	}
	return 1;
}

static const char *missing_hint(dkim_sel_t *s)
{
	sdiag_textf(s->hint, sizeof(s->hint),
		"publish the public key of selector %s as TXT at %s (your provider's DKIM setup page shows it), or check the selector: it is the s= tag of the DKIM-Signature header of a message you sent",
		s->selector, s->name);
	return s->hint;
}

/* The status, message and hint of one selector. */
static void dkim_assess(dkim_job_t *dj, dkim_sel_t *s)
{
	const sdiag_finding_t *top;

	s->hint[0] = '\0';
	if (s->bad) {
		s->status = SDIAG_STEP_FAIL;
		sdiag_textf(s->msg, sizeof(s->msg), "\"%.60s\" is not a DKIM selector", s->selector);
		sdiag_strlcpy(s->hint, strstr(s->selector, "_domainkey") ? "pass the selector alone: the part before ._domainkey"
			: "a selector is a DNS label (letters, digits, '-', '_'; dots between labels): the s= tag of a DKIM-Signature header", sizeof(s->hint));
		return;
	}
	switch (s->dns) {
	case SDIAG_DNS_OK:
	case SDIAG_DNS_NODATA:
	case SDIAG_DNS_NXDOMAIN:
		break;
	case SDIAG_DNS_BADNAME:
		s->status = SDIAG_STEP_FAIL;
		sdiag_textf(s->msg, sizeof(s->msg), "%.200s is not a valid DNS name", s->name);
		sdiag_strlcpy(s->hint, "the selector and domain together must stay under 254 characters, each label under 64", sizeof(s->hint));
		return;
	default:
		s->status = SDIAG_STEP_WARN;
		sdiag_textf(s->msg, sizeof(s->msg), "the look-up of TXT %.200s failed: %s", s->name, s->why);
		sdiag_textf(s->hint, sizeof(s->hint), "verifiers fail the same way (temperror); check that every name server of %s answers for this name", dj->job->in->domain);
		return;
	}
	if (s->nkeys == 0) {
		s->status = dj->probing ? SDIAG_STEP_OK : SDIAG_STEP_FAIL;
		if (s->nother) {
			sdiag_textf(s->msg, sizeof(s->msg), "no DKIM key at %.200s: its TXT record is not a key record (\"%s\")", s->name, s->other);
		} else {
			sdiag_textf(s->msg, sizeof(s->msg), "no DKIM key at %.200s (%s)", s->name,
				s->dns == SDIAG_DNS_NXDOMAIN ? "the name does not exist" : "no TXT record");
		}
		missing_hint(s);
		return;
	}
	if (s->nkeys > 1) {
		sdiag_findings_add(&s->key.findings, SDIAG_STEP_FAIL, "keep one key record per selector; rotate keys by publishing the new one under a new selector",
			"%zu DKIM key records at one selector: verifiers use one of them at random (RFC 6376 3.6.2.2), so signatures fail now and then", s->nkeys);
	}
	if (s->nother) {
		sdiag_findings_add(&s->key.findings, SDIAG_STEP_OK, NULL, "another TXT record shares the name (\"%s\"); verifiers ignore it", s->other);
	}
	s->status = sdiag_findings_worst(&s->key.findings);
	top = sdiag_findings_top(&s->key.findings);
	if (top) {
		sdiag_textf(s->msg, sizeof(s->msg), "%s", top->text);
		sdiag_strlcpy(s->hint, top->fix, sizeof(s->hint));
	} else if (s->key.ktype == SDIAG_DKIM_RSA) {
		sdiag_textf(s->msg, sizeof(s->msg), "rsa %d bits", s->key.bits);
	} else {
		sdiag_textf(s->msg, sizeof(s->msg), "%s", sdiag_dkim_ktype_name(s->key.ktype));
	}
}

static void dkim_put(dkim_sel_t *s, sdiag_value_t *list)
{
	sdiag_value_t *m = sdiag_v_push_map(list);
	int found = !s->bad && s->nkeys > 0;
	sdiag_v_put_str(m, "selector", s->selector);
	sdiag_v_put_str(m, "name", s->name);
	if (s->canonical[0]) {
		sdiag_v_put_str(m, "canonical", s->canonical);
	} else {
		sdiag_v_put_null(m, "canonical");
	}
	sdiag_v_put_bool(m, "found", found);
	sdiag_v_put_str(m, "status", sdiag_step_status_name(s->status));
	sdiag_v_put_str(m, "message", s->msg);
	sdiag_v_put_str(m, "dns", s->bad ? "badname" : sdiag_dns_status_name(s->dns));
	sdiag_v_put_str(m, "record", found ? s->record : NULL);
	if (found) {
		sdiag_v_put_str(m, "version", s->key.version ? "DKIM1" : NULL);
		sdiag_v_put_str(m, "key_type", s->key.key_type);
		sdiag_v_put_int(m, "bits", s->key.bits);
		sdiag_v_put_bool(m, "testing", s->key.testing);
		sdiag_v_put_bool(m, "strict", s->key.strict);
		sdiag_v_put_bool(m, "revoked", s->key.revoked);
		sdiag_v_put_str(m, "hashes", s->key.hashes[0] ? s->key.hashes : NULL);
		sdiag_v_put_str(m, "sha256", s->key.sha256[0] ? s->key.sha256 : NULL);
		sdiag_findings_put(&s->key.findings, sdiag_v_put_list(m, "problems"));
	} else {
		sdiag_v_put_list(m, "problems");
	}
}

/* "google (rsa 2048 bits), s1 (ed25519)" into buf. */
static void dkim_summary(const dkim_job_t *dj, char *buf, size_t cap)
{
	size_t i, used = 0;
	buf[0] = '\0';
	for (i = 0; i < dj->n && used < cap; i++) {
		const dkim_sel_t *s = &dj->sel[i];
		int w;
		if (s->bad || s->nkeys == 0) {
			continue;
		}
		if (s->key.ktype == SDIAG_DKIM_RSA) {
			w = snprintf(buf + used, cap - used, "%s%s (rsa %d bits%s)", used ? ", " : "", s->selector, s->key.bits, s->canonical[0] ? ", via CNAME" : "");
		} else {
			w = snprintf(buf + used, cap - used, "%s%s (%s%s)", used ? ", " : "", s->selector, s->key.key_type, s->canonical[0] ? ", via CNAME" : "");
		}
		if (w < 0) {
			break;
		}
		used += (size_t)w;
	}
}

static void dkim_finish(dkim_job_t *dj)
{
	sdiag_job_t *job = dj->job;
	sdiag_value_t *data = job->step.data, *list;
	sdiag_step_status_t worst = SDIAG_STEP_OK;
	const dkim_sel_t *top = NULL;
	size_t i, nfound = 0, nbad = 0;
	char summary[300], failed[200];
	size_t flen = 0;

	failed[0] = '\0';
	sdiag_v_put_str(data, "domain", job->in->domain);
	sdiag_v_put_bool(data, "probed", dj->probing);
	list = sdiag_v_put_list(data, "selectors");
	for (i = 0; i < dj->n; i++) {
		dkim_sel_t *s = &dj->sel[i];
		dkim_assess(dj, s);
		if (!s->bad && s->nkeys > 0) {
			nfound++;
		}
		if (dj->probing) {
			/* a probe reports what it found and the look-ups that failed */
			if (s->nkeys > 0) {
				dkim_put(s, list);
			} else if (s->status == SDIAG_STEP_WARN) {
				dkim_put(s, list);
				if (flen < sizeof(failed)) {
					int w = snprintf(failed + flen, sizeof(failed) - flen, "%s%s (%s)", flen ? ", " : "", s->selector, sdiag_dns_status_name(s->dns));
					flen += w > 0 ? (size_t)w : 0;
				}
				continue;
			} else {
				continue;
			}
		} else {
			dkim_put(s, list);
		}
		if (s->status != SDIAG_STEP_OK) {
			nbad++;
		}
		if (!top || s->status > worst) {
			worst = s->status;
			top = s;
		}
	}
	if (dj->probing) {
		list = sdiag_v_put_list(data, "tried");
		for (i = 0; i < dj->n; i++) {
			sdiag_v_push_str(list, dj->sel[i].selector);
		}
	} else if (dj->ignored) {
		sdiag_v_put_int(data, "selectors_ignored", (long long)dj->ignored);
	}
	dkim_summary(dj, summary, sizeof(summary));
	if (dj->probing && nfound == 0) {
		char hint[SDIAG_HINT_MAX];
		sdiag_textf(hint, sizeof(hint), "give the selector your provider uses (option dkim_selectors, or --dkim-selector on the command line); it is in the s= tag of a DKIM-Signature header of a sent message (or your provider's DKIM setup page)");
		if (failed[0]) {
			sdiag_job_done(job, SDIAG_STEP_WARN, hint, "no DKIM key at the %zu common selectors of %s; these look-ups failed: %s", dj->n, job->in->domain, failed);
		} else {
			sdiag_job_done(job, SDIAG_STEP_WARN, hint, "no DKIM key at the %zu common selectors of %s (default, google, selector1, k1, s1, ...)", dj->n, job->in->domain);
		}
		return;
	}
	if (worst == SDIAG_STEP_OK) {
		sdiag_job_done(job, SDIAG_STEP_OK, dj->probing ? "the probe finds common selectors only; give the ones you sign with (option dkim_selectors, or --dkim-selector on the command line)" : NULL,
			"%s at %s: %s", nfound == 1 ? "DKIM key" : "DKIM keys", job->in->domain, summary);
		return;
	}
	if (nbad > 1) {
		sdiag_job_done(job, worst, top->hint, "%s: %s (and %zu more selectors with problems)", top->name, top->msg, nbad - 1);
	} else {
		sdiag_job_done(job, worst, top->hint, "%s: %s", top->name, top->msg);
	}
}

void sdiag_job_dkim(sdiag_job_t *job)
{
	const sdiag_dnscheck_in_t *in = job->in;
	dkim_job_t *dj;
	size_t i;

	job->step.id = "dns.dkim";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	if (!in->domain || !in->domain[0]) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "no sender domain to check DKIM keys of");
		return;
	}
	dj = sdiag_calloc(1, sizeof(*dj));
	if (!dj) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	dj->job = job;
	dj->probing = in->nselectors == 0;
	dj->n = dj->probing ? NPROBE : in->nselectors;
	if (dj->n > SDIAG_DKIM_SELECTORS_MAX) {
		dj->ignored = dj->n - SDIAG_DKIM_SELECTORS_MAX;
		dj->n = SDIAG_DKIM_SELECTORS_MAX;
	}
	dj->sel = sdiag_calloc(dj->n, sizeof(*dj->sel));
	if (!dj->sel) {
		sdiag_free(dj);
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	job->priv = dj;
	job->free_priv = dkim_free;
	for (i = 0; i < dj->n; i++) {
		dkim_sel_t *s = &dj->sel[i];
		s->dj = dj;
		s->selector = dj->probing ? probe_selectors[i] : (in->selectors[i] ? in->selectors[i] : "");
		s->bad = !selector_ok(s->selector);
		sdiag_textf(s->name, sizeof(s->name), "%s._domainkey.%s", s->selector, in->domain);
	}
	/* every look-up at once; one extra count keeps answers that come back
	 * inside query() from finishing the job before all are asked */
	job->pending = 1;
	for (i = 0; i < dj->n; i++) {
		if (!dj->sel[i].bad) {
			job->pending++;
			in->ops.query(in->ops.ctx, dj->sel[i].name, SDIAG_DNS_T_TXT, dkim_on_txt, &dj->sel[i]);
		}
	}
	if (--job->pending == 0) {
		dkim_finish(dj);
	}
}
