/* Unit tests: DKIM key records (src/core/dkim.c), the tag-list parser
 * (taglist.c) and the dns.dkim job against the in-memory zone. */
#include "dkim.h"
#include "job_stub.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdlib.h>

/* ---- keys made at test time ---- */

/* base64 of the SubjectPublicKeyInfo (spki) or the bare RSAPublicKey of a
 * fresh RSA key of bits; static buffers, one per size. */
static const char *rsa_key(int bits, int pkcs1)
{
	static struct {
		int bits, pkcs1;
		char b64[4096];
	} cache[8];
	static size_t ncache;
	unsigned char der[2048], *p = der;
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pk = NULL;
	size_t i;
	int len;

	for (i = 0; i < ncache; i++) {
		if (cache[i].bits == bits && cache[i].pkcs1 == pkcs1) {
			return cache[i].b64;
		}
	}
	ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) <= 0 || EVP_PKEY_keygen(ctx, &pk) <= 0) {
		fprintf(stderr, "RSA keygen of %d bits failed\n", bits);
		abort();
	}
	EVP_PKEY_CTX_free(ctx);
	len = pkcs1 ? i2d_PublicKey(pk, &p) : i2d_PUBKEY(pk, &p);
	EVP_PKEY_free(pk);
	if (len <= 0 || ncache == sizeof(cache) / sizeof(cache[0])) {
		abort();
	}
	cache[ncache].bits = bits;
	cache[ncache].pkcs1 = pkcs1;
	EVP_EncodeBlock((unsigned char *)cache[ncache].b64, der, len);
	return cache[ncache++].b64;
}

/* RFC 8463 appendix A.2: brisbane._domainkey.football.example.com */
#define RFC8463_ED25519 "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
/* the same key in a SubjectPublicKeyInfo (302a300506032b6570032100 + key) */
#define ED25519_SPKI "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

static char recbuf[48][8192];
static int recslot;
/* A record text with %s replaced by the base64 key. */
static const char *rec(const char *fmt, const char *key)
{
	char *b = recbuf[recslot++ % 48];
	snprintf(b, sizeof(recbuf[0]), fmt, key);
	return b;
}

static int has_finding(const sdiag_dkim_key_t *k, sdiag_step_status_t sev, const char *needle)
{
	size_t i;
	for (i = 0; i < k->findings.n; i++) {
		if (k->findings.f[i].sev == sev && strstr(k->findings.f[i].text, needle)) {
			return 1;
		}
	}
	return 0;
}

/* ---- the tag list ---- */

TEST(taglist_rows)
{
	static const struct {
		const char *in;
		int rc;
		size_t n;
		const char *last_name, *last_val, *err;
	} rows[] = {
		{"v=DKIM1; k=rsa; p=abc", 0, 3, "p", "abc", NULL},
		{"  v = DKIM1 ;k=rsa;", 0, 2, "k", "rsa", NULL},
		{"a=1;;b=2; ;", 0, 2, "b", "2", NULL},
		{"n=two words  here ; x_1=", 0, 2, "x_1", "", NULL},
		{"p=AB\r\n CD", 0, 1, "p", "AB\r\n CD", NULL},
		{"", 0, 0, NULL, NULL, NULL},
		{"=x", -1, 0, NULL, NULL, "must start with a letter"},
		{"1a=x", -1, 0, NULL, NULL, "found '1' at offset 0"},
		{"v=DKIM1; k", -1, 1, NULL, NULL, "'=' expected after the tag name \"k\""},
		{"v=DKIM1; k rsa", -1, 1, NULL, NULL, "found 'r'"},
		{"a=1; a=2", -1, 1, NULL, NULL, "a= appears twice (offsets 0 and 5)"},
		{"a=caf\xc3\xa9", -1, 0, NULL, NULL, "byte 0xc3 at offset 5 in the value of a="},
		{"a=x\001y", -1, 0, NULL, NULL, "byte 0x01"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].in)) {
			sdiag_taglist_t tl;
			int rc = sdiag_taglist_parse(&tl, rows[i].in, strlen(rows[i].in), 0);
			CHECK_INT(rc, rows[i].rc);
			CHECK_SIZE(tl.n, rows[i].n);
			if (rows[i].last_name && tl.n) {
				const sdiag_tag_t *t = &tl.tags[tl.n - 1];
				CHECK_MEM(t->name, t->nlen, rows[i].last_name, strlen(rows[i].last_name));
				CHECK_MEM(t->val, t->vlen, rows[i].last_val, strlen(rows[i].last_val));
			}
			if (rows[i].err) {
				CHECK_CONTAINS(tl.err, rows[i].err);
			} else {
				CHECK_STR(tl.err, "");
			}
		}
	}
}

TEST(taglist_case_and_limits)
{
	sdiag_taglist_t tl;
	char big[40 * 6 + 1];
	size_t i;
	/* DMARC's names ignore case, DKIM's do not */
	CHECK_INT(sdiag_taglist_parse(&tl, "p=a; P=b", 8, 0), 0);
	CHECK_INT(sdiag_taglist_parse(&tl, "p=a; P=b", 8, 1), -1);
	CHECK_CONTAINS(tl.err, "appears twice");
	for (i = 0; i < 40; i++) {
		snprintf(big + 6 * i, 7, "t%02zu=1;", i);
	}
	CHECK_INT(sdiag_taglist_parse(&tl, big, strlen(big), 0), -1);
	CHECK_SIZE(tl.n, SDIAG_TAGS_MAX);
	CHECK_CONTAINS(tl.err, "more than 32 tags");
	CHECK(sdiag_record_is(" v = DMARC1;p=none", 18, "DMARC1"));
	CHECK(sdiag_record_is("v=dmarc1", 8, "DMARC1"));
	CHECK(!sdiag_record_is("v=DMARC10", 9, "DMARC1"));
	CHECK(!sdiag_record_is("p=none; v=DMARC1", 16, "DMARC1"));
	CHECK(!sdiag_record_is("v=DMARC", 7, "DMARC1"));
}

TEST(list_items)
{
	const char *v = " sha1 : sha256:";
	size_t pos = 0, ilen, n = 0;
	const char *it;
	const char *want[] = {"sha1", "sha256", ""};
	while (sdiag_list_next(v, strlen(v), ':', &pos, &it, &ilen) == 0) {
		REQUIRE(n < 3);
		CHECK_MEM(it, ilen, want[n], strlen(want[n]));
		n++;
	}
	CHECK_SIZE(n, 3);
}

TEST(findings_keep_failures)
{
	sdiag_findings_t fs;
	size_t i;
	memset(&fs, 0, sizeof(fs));
	CHECK_INT(sdiag_findings_worst(&fs), SDIAG_STEP_OK);
	CHECK(sdiag_findings_top(&fs) == NULL);
	for (i = 0; i < SDIAG_FINDINGS_MAX + 3; i++) {
		sdiag_findings_add(&fs, SDIAG_STEP_WARN, NULL, "warn %zu", i);
	}
	sdiag_findings_add(&fs, SDIAG_STEP_OK, NULL, "a note is dropped when full");
	sdiag_findings_add(&fs, SDIAG_STEP_FAIL, "fix it", "the failure");
	CHECK_SIZE(fs.n, SDIAG_FINDINGS_MAX);
	CHECK_INT(sdiag_findings_worst(&fs), SDIAG_STEP_FAIL);
	CHECK_STR(sdiag_findings_top(&fs)->text, "the failure");
	CHECK_STR(sdiag_findings_top(&fs)->fix, "fix it");
}

/* ---- key records ---- */

TEST(dkim_records)
{
	const char *k2048 = rsa_key(2048, 0);
	const struct {
		const char *label, *record;
		sdiag_step_status_t st;
		const char *text;    /* in a finding of that severity */
		const char *fix;     /* in the top finding's fix */
		int bits;
	} rows[] = {
		{"google 2048", rec("v=DKIM1; k=rsa; p=%s", k2048), SDIAG_STEP_OK, NULL, NULL, 2048},
		{"no v, no k", rec("p=%s", k2048), SDIAG_STEP_OK, NULL, NULL, 2048},
		{"unknown tags ignored", rec("v=DKIM1; x=y; n=Notes here; p=%s", k2048), SDIAG_STEP_OK, NULL, NULL, 2048},
		{"h=sha256:sha1", rec("v=DKIM1; h=sha1:sha256; p=%s", k2048), SDIAG_STEP_OK, NULL, NULL, 2048},
		{"s=email", rec("v=DKIM1; s=email; p=%s", k2048), SDIAG_STEP_OK, NULL, NULL, 2048},
		{"h=sha1 alone", rec("v=DKIM1; h=sha1; p=%s", k2048), SDIAG_STEP_WARN, "restricts the key to SHA-1", "h=sha256", 2048},
		{"h=md5", rec("v=DKIM1; h=md5; p=%s", k2048), SDIAG_STEP_FAIL, "no hash algorithm", "h=sha256", 2048},
		{"s=tlsrpt", rec("v=DKIM1; s=tlsrpt; p=%s", k2048), SDIAG_STEP_FAIL, "does not include email", "s=email", 2048},
		{"t=y", rec("v=DKIM1; t=y; p=%s", k2048), SDIAG_STEP_WARN, "testing mode", "remove y from t=", 2048},
		{"revoked", "v=DKIM1; k=rsa; p=", SDIAG_STEP_FAIL, "revoked", "publish the current public key", 0},
		{"v=DKIM2", rec("v=DKIM2; p=%s", k2048), SDIAG_STEP_FAIL, "v=DKIM2", "v=DKIM1", 0},
		{"spf at the selector", "v=spf1 include:_spf.example.com -all", SDIAG_STEP_FAIL, "v=spf1 include", "v=DKIM1", 0},
		{"v not first", rec("k=rsa; v=DKIM1; p=%s", k2048), SDIAG_STEP_FAIL, "not the first tag", "move v=DKIM1", 2048},
		{"k=dsa", rec("v=DKIM1; k=dsa; p=%s", k2048), SDIAG_STEP_FAIL, "k=dsa is not a key type", "k=rsa", 0},
		{"no p", "v=DKIM1; k=rsa", SDIAG_STEP_FAIL, "no p= tag", "add p=", 0},
		{"P=", rec("v=DKIM1; P=%s", k2048), SDIAG_STEP_FAIL, "no p= tag", "case-sensitive", 0},
		{"duplicate p", "v=DKIM1; p=AAAA; p=BBBB", SDIAG_STEP_FAIL, "p= appears twice", "tag=value pairs", 0},
		{"zone-file quotes", rec("v=DKIM1; k=rsa; p=MIIBIjAN\" \"%s", k2048), SDIAG_STEP_FAIL, "'\"' at offset 8", "quotes", 0},
		{"PEM armour", "v=DKIM1; p=-----BEGIN PUBLIC KEY-----MIIB", SDIAG_STEP_FAIL, "not base64", "PEM armour", 0},
		{"base64url", "v=DKIM1; p=MIIB_abc", SDIAG_STEP_FAIL, "'_' at offset 4", "URL-safe", 0},
		{"data after padding", "v=DKIM1; p=AAA=AAAA", SDIAG_STEP_FAIL, "after its '=' padding", NULL, 0},
		{"bad length", "v=DKIM1; p=AAAAA", SDIAG_STEP_FAIL, "5 characters", "missing or extra", 0},
		{"not DER", "v=DKIM1; p=AAAAAAAAAAAAAAAA", SDIAG_STEP_FAIL, "not an RSA public key OpenSSL can read", "SubjectPublicKeyInfo", 0},
		{"non-ASCII", "v=DKIM1; p=\xe2\x80\x8b", SDIAG_STEP_FAIL, "byte 0xe2", NULL, 0},
		{"ed25519 RFC 8463", RFC8463_ED25519, SDIAG_STEP_OK, NULL, NULL, 256},
		{"ed25519 as SPKI", "v=DKIM1; k=ed25519; p=" ED25519_SPKI, SDIAG_STEP_FAIL, "wrapped in a SubjectPublicKeyInfo", "last 32 bytes", 0},
		{"ed25519 key, k left out", "v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", SDIAG_STEP_FAIL, "32 bytes, not an RSA", "k=ed25519", 0},
		{"ed25519 SPKI under k=rsa", "v=DKIM1; p=" ED25519_SPKI, SDIAG_STEP_FAIL, "ed25519 key, not the RSA key", "k=ed25519", 0},
		{"k=ed25519 with an RSA key", rec("v=DKIM1; k=ed25519; p=%s", k2048), SDIAG_STEP_FAIL, "holds an RSA key", "k=rsa", 0},
		{"ed25519 short", "v=DKIM1; k=ed25519; p=AAAA", SDIAG_STEP_FAIL, "decodes to 3 bytes", "32-byte", 0},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].label) {
			static sdiag_dkim_key_t k;
			const sdiag_finding_t *top;
			sdiag_dkim_check(&k, rows[i].record, strlen(rows[i].record));
			top = sdiag_findings_top(&k.findings);
			CHECK_INT(sdiag_findings_worst(&k.findings), rows[i].st);
			CHECK_INT(k.bits, rows[i].bits);
			if (rows[i].text) {
				if (!has_finding(&k, rows[i].st, rows[i].text)) {
					t_fail(__FILE__, __LINE__, "no finding with \"%s\"; top: %s", rows[i].text, top ? top->text : "(none)");
				}
			}
			if (rows[i].fix) {
				CHECK(top != NULL);
				CHECK_CONTAINS(top ? top->fix : NULL, rows[i].fix);
			}
		}
	}
}

TEST(dkim_key_sizes)
{
	static sdiag_dkim_key_t k;
	const char *r;
	r = rec("v=DKIM1; k=rsa; p=%s", rsa_key(512, 0));
	sdiag_dkim_check(&k, r, strlen(r));
	CHECK_INT(k.bits, 512);
	CHECK_INT(sdiag_findings_worst(&k.findings), SDIAG_STEP_FAIL);
	CHECK(has_finding(&k, SDIAG_STEP_FAIL, "512 bits: RFC 8301 3.2 forbids"));
	CHECK_CONTAINS(sdiag_findings_top(&k.findings)->fix, "2048-bit key");

	r = rec("v=DKIM1; k=rsa; p=%s", rsa_key(1024, 0));
	sdiag_dkim_check(&k, r, strlen(r));
	CHECK_INT(k.bits, 1024);
	CHECK_INT(sdiag_findings_worst(&k.findings), SDIAG_STEP_WARN);
	CHECK(has_finding(&k, SDIAG_STEP_WARN, "1024 bits"));

	r = rec("v=DKIM1; p=%s", rsa_key(1024, 1));
	sdiag_dkim_check(&k, r, strlen(r));
	CHECK(k.pkcs1);
	CHECK(k.loaded);
	CHECK_INT(k.bits, 1024);
	CHECK(has_finding(&k, SDIAG_STEP_WARN, "bare RSAPublicKey"));
}

TEST(dkim_details)
{
	static sdiag_dkim_key_t k;
	const char *key = rsa_key(2048, 0);
	char spaced[4096];
	size_t i, o = 0, n = strlen(key);
	/* whitespace (and folding) inside p= is allowed; padding dropped warns */
	for (i = 0; i < n && key[i] != '='; i++) {
		spaced[o++] = key[i];
		if (i % 64 == 63) {
			spaced[o++] = '\r';
			spaced[o++] = '\n';
			spaced[o++] = '\t';
		}
	}
	spaced[o] = '\0';
	sdiag_dkim_check(&k, rec("v=DKIM1; p=%s", spaced), strlen(rec("v=DKIM1; p=%s", spaced)));
	CHECK_INT(k.bits, 2048);
	CHECK(k.loaded);
	CHECK_INT(sdiag_findings_worst(&k.findings), key[n - 1] == '=' ? SDIAG_STEP_WARN : SDIAG_STEP_OK);
	CHECK_SIZE(strlen(k.sha256), 64);

	sdiag_dkim_check(&k, "v=DKIM1; t=s:y; k=ED25519; h=sha256; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", 82);
	CHECK(k.strict);
	CHECK(k.testing);
	CHECK(k.version);
	CHECK_INT(k.ktype, SDIAG_DKIM_ED25519);
	CHECK_STR(k.key_type, "ED25519");
	CHECK_STR(k.hashes, "sha256");
	CHECK_SIZE(k.derlen, 32);
	/* SHA-256 of the 32 key bytes (base64 -d | sha256sum) */
	CHECK_STR(k.sha256, "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
}

/* ---- the dns.dkim job ---- */

static sdiag_value_t *sel_at(t_job_t *j, size_t i)
{
	return sdiag_v_at(sdiag_v_get(j->job.step.data, "selectors"), i);
}

TEST(job_given_ok)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"s2048"};
	const char *strs[2];
	char a[256], b[4096];
	const char *key = rsa_key(2048, 0);
	t_job_t j;
	/* Google's format: one record of two strings, the key cut at 255 */
	snprintf(a, sizeof(a), "v=DKIM1; k=rsa; p=%.200s", key);
	snprintf(b, sizeof(b), "%s", key + 200);
	strs[0] = a;
	strs[1] = b;
	t_zone_add_txt(z, "s2048._domainkey.example.com", strs, 2);
	t_job_start(&j, sdiag_job_dkim, z, "example.com", sel, 1);
	CHECK_INT(j.job.done, 1);
	CHECK_STR(j.job.step.id, "dns.dkim");
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "DKIM key at example.com: s2048 (rsa 2048 bits)");
	CHECK_STR(j.job.step.hint, "");
	CHECK_INT(t_vbool(j.job.step.data, "probed"), 0);
	CHECK_STR(t_vstr(sel_at(&j, 0), "selector"), "s2048");
	CHECK_STR(t_vstr(sel_at(&j, 0), "name"), "s2048._domainkey.example.com");
	CHECK_INT(t_vbool(sel_at(&j, 0), "found"), 1);
	CHECK_STR(t_vstr(sel_at(&j, 0), "status"), "ok");
	CHECK_INT(t_vint(sel_at(&j, 0), "bits"), 2048);
	CHECK_STR(t_vstr(sel_at(&j, 0), "key_type"), "rsa");
	CHECK_STR(t_vstr(sel_at(&j, 0), "version"), "DKIM1");
	CHECK_INT(t_vbool(sel_at(&j, 0), "testing"), 0);
	CHECK_INT(t_vbool(sel_at(&j, 0), "revoked"), 0);
	CHECK_SIZE(strlen(t_vstr(sel_at(&j, 0), "record")), strlen(a) + strlen(b));
	CHECK_STR(t_zone_log(z), "TXT s2048._domainkey.example.com\n");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_given_problems)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"good", "gone", "old", "missing", "bad sel", "test"};
	t_job_t j;
	t_zone_add(z, "good._domainkey.example.com", "TXT", rec("v=DKIM1; p=%s", rsa_key(2048, 0)));
	t_zone_add(z, "gone._domainkey.example.com", "TXT", "v=DKIM1; p=");
	t_zone_add(z, "old._domainkey.example.com", "TXT", rec("v=DKIM1; p=%s", rsa_key(1024, 0)));
	t_zone_add(z, "test._domainkey.example.com", "TXT", rec("v=DKIM1; t=y; p=%s", rsa_key(2048, 0)));
	t_job_start(&j, sdiag_job_dkim, z, "example.com", sel, 6);
	CHECK_INT(j.job.done, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	/* the first failing selector leads; the others are counted */
	CHECK_STR(j.job.step.message, "gone._domainkey.example.com: p= is empty: the key is revoked (RFC 6376 3.6.1) and every signature with this selector fails (and 4 more selectors with problems)");
	CHECK_CONTAINS(j.job.step.hint, "publish the current public key");
	CHECK_STR(t_vstr(sel_at(&j, 0), "status"), "ok");
	CHECK_STR(t_vstr(sel_at(&j, 1), "status"), "fail");
	CHECK_INT(t_vbool(sel_at(&j, 1), "revoked"), 1);
	CHECK_STR(t_vstr(sel_at(&j, 2), "status"), "warn");
	CHECK_INT(t_vint(sel_at(&j, 2), "bits"), 1024);
	CHECK_STR(t_vstr(sel_at(&j, 3), "status"), "fail");
	CHECK_INT(t_vbool(sel_at(&j, 3), "found"), 0);
	CHECK_STR(t_vstr(sel_at(&j, 3), "message"), "no DKIM key at missing._domainkey.example.com (the name does not exist)");
	CHECK_STR(t_vstr(sel_at(&j, 4), "status"), "fail");
	CHECK_STR(t_vstr(sel_at(&j, 4), "dns"), "badname");
	CHECK_STR(t_vstr(sel_at(&j, 5), "status"), "warn");
	CHECK_INT(t_vbool(sel_at(&j, 5), "testing"), 1);
	/* the bad selector was never asked */
	CHECK_SIZE(t_zone_queries(z), 5);
	CHECK(!strstr(t_zone_log(z), "bad sel"));
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_given_missing)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"s1"};
	t_job_t j;
	t_zone_add(z, "example.com", "MX", "10 mx.example.com");
	t_zone_add(z, "s1._domainkey.example.com", "TXT", "google-site-verification=abc");
	t_job_start(&j, sdiag_job_dkim, z, "example.com", sel, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_STR(j.job.step.message, "s1._domainkey.example.com: no DKIM key at s1._domainkey.example.com: its TXT record is not a key record (\"google-site-verification=abc\")");
	CHECK_CONTAINS(j.job.step.hint, "s= tag of the DKIM-Signature header");
	t_job_free(&j);

	t_job_start(&j, sdiag_job_dkim, z, "example.com", (const char *const[]){"x._domainkey.example.com"}, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(j.job.step.message, "is not a DKIM selector");
	CHECK_STR(j.job.step.hint, "Pass the selector alone: the part before ._domainkey.");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_multiple_and_shared)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"two", "shared"};
	t_job_t j;
	t_zone_add(z, "two._domainkey.example.com", "TXT", rec("v=DKIM1; p=%s", rsa_key(2048, 0)));
	t_zone_add(z, "two._domainkey.example.com", "TXT", RFC8463_ED25519);
	t_zone_add(z, "shared._domainkey.example.com", "TXT", RFC8463_ED25519);
	t_zone_add(z, "shared._domainkey.example.com", "TXT", "v=spf1 -all");
	t_job_start(&j, sdiag_job_dkim, z, "example.com", sel, 2);
	CHECK_INT(j.job.step.status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(j.job.step.message, "two._domainkey.example.com: 2 DKIM key records at one selector");
	CHECK_STR(t_vstr(sel_at(&j, 1), "status"), "ok");
	CHECK_STR(t_vstr(sel_at(&j, 1), "key_type"), "ed25519");
	CHECK_INT(t_vint(sel_at(&j, 1), "bits"), 256);
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_cname_to_provider)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"selector1"};
	t_job_t j;
	t_zone_add(z, "selector1._domainkey.example.com", "CNAME", "selector1-example-com._domainkey.example.onmicrosoft.com");
	t_zone_add(z, "selector1-example-com._domainkey.example.onmicrosoft.com", "TXT", rec("v=DKIM1; k=rsa; p=%s", rsa_key(2048, 0)));
	t_job_start(&j, sdiag_job_dkim, z, "example.com", sel, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "DKIM key at example.com: selector1 (rsa 2048 bits, via CNAME)");
	CHECK_STR(t_vstr(sel_at(&j, 0), "canonical"), "selector1-example-com._domainkey.example.onmicrosoft.com");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_dns_failure)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"s1", "s2"};
	t_job_t j;
	t_zone_add(z, "s1._domainkey.example.com", "TXT", rec("v=DKIM1; p=%s", rsa_key(2048, 0)));
	t_zone_fault(z, "s2._domainkey.example.com", "TXT", SDIAG_DNS_TIMEOUT);
	t_job_start(&j, sdiag_job_dkim, z, "example.com", sel, 2);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_STR(j.job.step.message, "s2._domainkey.example.com: the look-up of TXT s2._domainkey.example.com failed: timeout (test zone)");
	CHECK_CONTAINS(j.job.step.hint, "temperror");
	CHECK_STR(t_vstr(sel_at(&j, 1), "dns"), "timeout");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_probe_finds)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	sdiag_value_t *tried;
	t_zone_add(z, "google._domainkey.example.com", "TXT", rec("v=DKIM1; k=rsa; p=%s", rsa_key(2048, 0)));
	t_zone_add(z, "s1._domainkey.example.com", "TXT", rec("k=rsa; t=y; p=%s", rsa_key(2048, 0)));
	t_zone_fault(z, "k1._domainkey.example.com", NULL, SDIAG_DNS_SERVFAIL);
	/* every probe in flight at once, and nothing finishes before the answers */
	t_zone_defer(z, 1);
	t_job_start(&j, sdiag_job_dkim, z, "example.com", NULL, 0);
	CHECK_INT(j.job.done, 0);
	tried = sdiag_v_get(j.job.step.data, "tried");
	CHECK(tried == NULL);
	CHECK(t_zone_flush(z) >= 20);
	CHECK(t_zone_max_inflight(z) >= 20);
	CHECK_SIZE(t_zone_max_inflight(z), t_zone_queries(z));
	CHECK_INT(j.job.done, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(j.job.step.message, "s1._domainkey.example.com: t=y");
	CHECK_INT(t_vbool(j.job.step.data, "probed"), 1);
	/* found ones and the failed look-up are listed, not every miss */
	CHECK_SIZE(sdiag_v_count(sdiag_v_get(j.job.step.data, "selectors")), 3);
	CHECK_SIZE(sdiag_v_count(sdiag_v_get(j.job.step.data, "tried")), t_zone_queries(z));
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_probe_none)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	/* a wildcard TXT answers every probe with something that is no key */
	t_zone_add(z, "*._domainkey.example.com", "TXT", "v=spf1 -all");
	t_zone_add(z, "default._domainkey.example.com", "TXT", "v=spf1 -all");
	t_job_start(&j, sdiag_job_dkim, z, "example.com", NULL, 0);
	CHECK_INT(j.job.done, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(j.job.step.message, "no DKIM key at the ");
	CHECK_CONTAINS(j.job.step.message, "common selectors of example.com");
	CHECK_CONTAINS(j.job.step.hint, "Give the selector your provider uses (option dkim_selectors, or --dkim-selector on the command line)");
	CHECK_CONTAINS(j.job.step.hint, "s= tag of a DKIM-Signature header");
	CHECK_SIZE(sdiag_v_count(sdiag_v_get(j.job.step.data, "selectors")), 0);
	t_job_free(&j);

	t_zone_fault(z, "selector1._domainkey.example.com", "TXT", SDIAG_DNS_TIMEOUT);
	t_job_start(&j, sdiag_job_dkim, z, "example.com", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(j.job.step.message, "these look-ups failed: selector1 (timeout)");
	t_job_free(&j);
	t_zone_free(z);
}

TEST(job_probe_ok_and_no_domain)
{
	t_zone_t *z = t_zone_new();
	t_job_t j;
	t_zone_add(z, "selector2._domainkey.example.org", "TXT", rec("v=DKIM1; k=rsa; p=%s", rsa_key(2048, 0)));
	t_job_start(&j, sdiag_job_dkim, z, "example.org", NULL, 0);
	CHECK_INT(j.job.step.status, SDIAG_STEP_OK);
	CHECK_STR(j.job.step.message, "DKIM key at example.org: selector2 (rsa 2048 bits)");
	CHECK_CONTAINS(j.job.step.hint, "give the ones you sign with (option dkim_selectors");
	t_job_free(&j);

	t_job_start(&j, sdiag_job_dkim, z, "", NULL, 0);
	CHECK_INT(j.job.done, 1);
	CHECK_INT(j.job.step.status, SDIAG_STEP_SKIP);
	t_job_free(&j);
	t_zone_free(z);
}

/* Every allocation of the job may fail: it still ends once, frees all. */
TEST(job_alloc_failures)
{
	t_zone_t *z = t_zone_new();
	const char *sel[] = {"a", "b"};
	unsigned long n;
	int hit = 1;
	t_zone_add(z, "a._domainkey.example.com", "TXT", rec("v=DKIM1; p=%s", rsa_key(1024, 0)));
	for (n = 1; hit && n < 2000; n++) {
		t_job_t j;
		t_alloc_fail_nth(n);
		t_job_start(&j, sdiag_job_dkim, z, "example.com", n % 2 ? sel : NULL, n % 2 ? 2 : 0);
		hit = t_alloc_hit();
		t_alloc_reset();
		CHECK_INT(j.job.done, 1);
		t_job_free(&j);
	}
	CHECK(!hit);
	CHECK(n > 10);
	t_zone_free(z);
}

TEST_MAIN("dkim",
	T(taglist_rows), T(taglist_case_and_limits), T(list_items), T(findings_keep_failures),
	T(dkim_records), T(dkim_key_sizes), T(dkim_details),
	T(job_given_ok), T(job_given_problems), T(job_given_missing), T(job_multiple_and_shared),
	T(job_cname_to_provider), T(job_dns_failure), T(job_probe_finds), T(job_probe_none),
	T(job_probe_ok_and_no_domain), T(job_alloc_failures))
