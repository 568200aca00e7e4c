/* DANE: TLSA matching against certificates made at test time, and the
 * dns.dane job over the in-memory zone. */
#include "test.h"
#include "zone.h"
#include "certgen.h"
#include "dane.h"
#include "dnscheck.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A CA hierarchy: root -> intermediate -> leaf for mx.example.test, and a
 * self-signed leaf; the handshakes below are built from their DER. */
static EVP_PKEY *k_root, *k_int, *k_leaf, *k_self;
static X509 *c_root, *c_int, *c_leaf, *c_self;

static void certs(void)
{
	if (c_root) {
		return;
	}
	k_root = t_key_new();
	k_int = t_key_new();
	k_leaf = t_key_new();
	k_self = t_key_new();
	c_root = t_cert_new("Test Root", NULL, k_root, NULL, NULL, 1, 30);
	c_int = t_cert_new("Test Intermediate", NULL, k_int, c_root, k_root, 1, 30);
	c_leaf = t_cert_new("mx.example.test", "mx.example.test", k_leaf, c_int, k_int, 0, 30);
	c_self = t_cert_new("mx.example.test", "mx.example.test", k_self, NULL, NULL, 0, 30);
}

static void info_of(X509 *x, sdiag_cert_info_t *ci)
{
	unsigned char *der;
	size_t n = t_cert_der(x, &der);
	if (sdiag_tls_cert_info_der(der, n, ci) != 0) {
		abort();
	}
	free(der);
}

/* A handshake that presented chain[0..n-1]. */
static sdiag_tls_info_t *handshake(X509 *const *chain, size_t n, int verified)
{
	sdiag_tls_info_t *t = calloc(1, sizeof(*t));
	size_t i;
	if (!t) {
		abort();
	}
	t->done = 1;
	t->verified = verified;
	snprintf(t->verify_reason, sizeof(t->verify_reason), "%s", verified ? "ok" : "unable to get local issuer certificate");
	for (i = 0; i < n; i++) {
		info_of(chain[i], &t->chain[t->nchain++]);
	}
	return t;
}

/* The TLSA data of (selector, mtype) for certificate x, computed here
 * independently of tls.c (X509_digest, i2d_PUBKEY). */
static size_t tlsa_data(X509 *x, int selector, int mtype, unsigned char *out, size_t cap)
{
	unsigned char *der;
	size_t n;
	unsigned int mdlen = 0;
	if (selector == 0 && mtype == 1) {
		X509_digest(x, EVP_sha256(), out, &mdlen);
		return mdlen;
	}
	if (selector == 0 && mtype == 2) {
		X509_digest(x, EVP_sha512(), out, &mdlen);
		return mdlen;
	}
	n = selector == 0 ? t_cert_der(x, &der) : t_spki_der(x, &der);
	if (mtype == 0) {
		if (n > cap) {
			abort();
		}
		memcpy(out, der, n);
	} else {
		EVP_Digest(der, n, out, &mdlen, mtype == 1 ? EVP_sha256() : EVP_sha512(), NULL);
		n = mdlen;
	}
	free(der);
	return n;
}

static void tohex(const unsigned char *p, size_t n, char *out)
{
	size_t i;
	for (i = 0; i < n; i++) {
		sprintf(out + 2 * i, "%02x", p[i]);
	}
	out[2 * n] = '\0';
}

TEST(cert_info_digests)
{
	sdiag_cert_info_t ci;
	unsigned char want[64], *der;
	size_t n;
	certs();
	info_of(c_leaf, &ci);
	n = t_cert_der(c_leaf, &der);
	CHECK_SIZE(ci.cert_der_len, n);
	free(der);
	n = t_spki_der(c_leaf, &der);
	CHECK_SIZE(ci.spki_der_len, n);
	free(der);
	CHECK_SIZE(tlsa_data(c_leaf, 0, 1, want, sizeof(want)), 32);
	CHECK(memcmp(ci.cert_sha256, want, 32) == 0);
	CHECK_SIZE(tlsa_data(c_leaf, 1, 2, want, sizeof(want)), 64);
	CHECK(memcmp(ci.spki_sha512, want, 64) == 0);
	CHECK_CONTAINS(ci.subject, "mx.example.test");
	CHECK_INT(sdiag_tls_cert_info_der((const unsigned char *)"\x30\x03\x02\x01\x01", 5, &ci), -1);
}

TEST(match_table)
{
	static const struct {
		const char *label;
		int chain;      /* 0: leaf+int, 1: leaf+int+root, 2: self-signed leaf alone */
		int verified;
		int usage, selector, mtype;
		int of;         /* certificate whose data the record holds: 0 leaf, 1 int, 2 root, 3 self */
		int tamper;     /* 1: flip a bit; 2: cut a byte */
		sdiag_dane_verdict_t want;
		int depth;
		const char *why;
	} rows[] = {
		{"3 1 1 leaf", 0, 0, 3, 1, 1, 0, 0, SDIAG_DANE_MATCH, 0, "server's certificate"},
		{"3 0 1 leaf", 0, 0, 3, 0, 1, 0, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"3 1 2 leaf", 0, 0, 3, 1, 2, 0, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"3 0 2 leaf", 0, 0, 3, 0, 2, 0, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"3 0 0 leaf", 0, 0, 3, 0, 0, 0, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"3 1 0 leaf", 0, 0, 3, 1, 0, 0, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"3 1 1 self-signed", 2, 0, 3, 1, 1, 3, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"3 1 1 other key", 0, 0, 3, 1, 1, 1, 0, SDIAG_DANE_NOMATCH, -1, "does not match the server's public key"},
		{"3 1 1 bit flipped", 0, 0, 3, 1, 1, 0, 1, SDIAG_DANE_NOMATCH, -1, NULL},
		{"3 0 0 same length, bit flipped", 0, 0, 3, 0, 0, 0, 1, SDIAG_DANE_NOMATCH, -1, NULL},
		{"3 0 0 a byte short", 0, 0, 3, 0, 0, 0, 2, SDIAG_DANE_NOMATCH, -1, "are not the server's certificate"},
		{"2 1 1 intermediate", 0, 0, 2, 1, 1, 1, 0, SDIAG_DANE_MATCH, 1, "CA certificate at depth 1"},
		{"2 0 2 intermediate", 0, 0, 2, 0, 2, 1, 0, SDIAG_DANE_MATCH, 1, NULL},
		{"2 0 1 root sent", 1, 0, 2, 0, 1, 2, 0, SDIAG_DANE_MATCH, 2, NULL},
		{"2 0 1 root not sent", 0, 0, 2, 0, 1, 2, 0, SDIAG_DANE_NOMATCH, -1, "matches none of the 1 CA certificate"},
		{"2 1 1 leaf key", 0, 0, 2, 1, 1, 0, 0, SDIAG_DANE_NOMATCH, -1, "publish it with usage 3"},
		{"2 1 1 no CA sent", 2, 0, 2, 1, 1, 1, 0, SDIAG_DANE_NOMATCH, -1, "sent no CA certificate"},
		{"1 1 1 leaf verified", 0, 1, 1, 1, 1, 0, 0, SDIAG_DANE_MATCH, 0, NULL},
		{"1 1 1 leaf unverified", 0, 0, 1, 1, 1, 0, 0, SDIAG_DANE_NOMATCH, -1, "PKIX validation, which failed: unable to get local issuer"},
		{"0 0 1 intermediate verified", 0, 1, 0, 0, 1, 1, 0, SDIAG_DANE_MATCH, 1, NULL},
		{"0 0 1 intermediate unverified", 0, 0, 0, 0, 1, 1, 0, SDIAG_DANE_NOMATCH, -1, "PKIX-TA also needs"},
		{"0 1 1 leaf verified", 0, 1, 0, 1, 1, 0, 0, SDIAG_DANE_NOMATCH, -1, "must match a CA certificate"},
		{"usage 4", 0, 1, 4, 1, 1, 0, 0, SDIAG_DANE_UNUSABLE, -1, "usage 4 is not defined"},
		{"selector 2", 0, 1, 3, 2, 1, 0, 0, SDIAG_DANE_UNUSABLE, -1, "selector 2"},
		{"mtype 3", 0, 1, 3, 1, 3, 0, 0, SDIAG_DANE_UNUSABLE, -1, "matching type 3"},
		{"SHA-256 of 31 bytes", 0, 0, 3, 1, 1, 0, 2, SDIAG_DANE_UNUSABLE, -1, "needs 32"},
		{"SHA-512 of 63 bytes", 0, 0, 3, 1, 2, 0, 2, SDIAG_DANE_UNUSABLE, -1, "needs 64"},
	};
	size_t i;
	certs();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].label) {
			X509 *chains[3][3] = {{c_leaf, c_int, NULL}, {c_leaf, c_int, c_root}, {c_self, NULL, NULL}};
			size_t lens[3] = {2, 3, 1};
			X509 *of[4] = {c_leaf, c_int, c_root, c_self};
			sdiag_tls_info_t *t = handshake(chains[rows[i].chain], lens[rows[i].chain], rows[i].verified);
			unsigned char data[4096];
			sdiag_dane_rr_t rr;
			int depth = 99;
			char why[384] = "";
			size_t n = tlsa_data(of[rows[i].of], rows[i].selector, rows[i].mtype > 2 ? 1 : rows[i].mtype, data, sizeof(data));
			if (rows[i].tamper == 1) {
				data[n / 2] ^= 1;
			} else if (rows[i].tamper == 2) {
				n--;
			}
			rr.usage = (uint8_t)rows[i].usage;
			rr.selector = (uint8_t)rows[i].selector;
			rr.mtype = (uint8_t)rows[i].mtype;
			rr.data = data;
			rr.len = n;
			CHECK_INT(sdiag_dane_match(&rr, t, &depth, why, sizeof(why)), rows[i].want);
			CHECK_INT(depth, rows[i].depth);
			if (rows[i].why) {
				CHECK_CONTAINS(why, rows[i].why);
			}
			free(t);
		}
	}
}

TEST(match_without_tls)
{
	unsigned char data[32] = {0};
	sdiag_dane_rr_t rr = {3, 1, 1, data, 32};
	sdiag_tls_info_t none;
	int depth;
	char why[128];
	memset(&none, 0, sizeof(none));
	CHECK_INT(sdiag_dane_match(&rr, NULL, &depth, why, sizeof(why)), SDIAG_DANE_NOMATCH);
	CHECK_CONTAINS(why, "TLS did not run");
	CHECK_INT(sdiag_dane_match(&rr, &none, &depth, why, sizeof(why)), SDIAG_DANE_NOMATCH);
	CHECK_INT(depth, -1);
}

/* ---- the job ---- */

typedef struct jobrun {
	t_zone_t *z;
	sdiag_dnscheck_in_t in;
	sdiag_job_t job;
} jobrun_t;

static void job_start(jobrun_t *r, const char *host, uint16_t port)
{
	memset(&r->in, 0, sizeof(r->in));
	memset(&r->job, 0, sizeof(r->job));
	r->in.ops = t_zone_ops(r->z);
	r->in.domain = "example.test";
	r->in.smtp_host = host;
	r->in.smtp_port = port;
	r->job.in = &r->in;
	r->job.t0 = sdiag_now_ms();
	sdiag_job_dane(&r->job);
}

static void job_session(jobrun_t *r, const sdiag_tls_info_t *tls)
{
	sdiag_dnscheck_session_t s;
	memset(&s, 0, sizeof(s));
	s.server_ip = "192.0.2.25";
	s.tls = tls;
	if (r->job.on_session) {
		r->job.on_session(&r->job, &s);
	}
}

static void job_end(jobrun_t *r)
{
	if (r->job.free_priv) {
		r->job.free_priv(&r->job);
	}
	sdiag_v_free(r->job.step.data);
	t_zone_free(r->z);
}

static const char *hexof(X509 *x, int selector, int mtype, char *buf)
{
	unsigned char d[4096];
	size_t n = tlsa_data(x, selector, mtype, d, sizeof(d));
	tohex(d, n, buf);
	return buf;
}

static const char *str_at(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_STR ? v->u.str.s : NULL;
}

static int bool_at(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_BOOL ? v->u.b : -1;
}

TEST(job_no_tlsa_skips)
{
	jobrun_t r;
	r.z = t_zone_new();
	t_zone_add(r.z, "mx.example.test", "A", "192.0.2.25");
	job_start(&r, "mx.example.test", 25);
	CHECK_INT(r.job.done, 1);
	CHECK_INT(r.job.step.status, SDIAG_STEP_SKIP);
	CHECK_STR(r.job.step.message, "no TLSA records: DANE is not used");
	CHECK_STR(r.job.step.id, "dns.dane");
	CHECK(r.job.on_session == NULL);
	CHECK_STR(t_zone_log(r.z), "TLSA _25._tcp.mx.example.test\n");
	job_end(&r);
}

TEST(job_match_with_ad_is_ok)
{
	jobrun_t r;
	char h[200], rec[300], spki[65], cert[65];
	sdiag_tls_info_t *t;
	const sdiag_value_t *recs, *e;
	certs();
	r.z = t_zone_new();
	t_zone_set_ad(r.z, 1);
	snprintf(rec, sizeof(rec), "3 1 1 %s", hexof(c_leaf, 1, 1, h));
	t_zone_add(r.z, "_587._tcp.mx.example.test", "TLSA", rec);
	t_zone_add(r.z, "_587._tcp.mx.example.test", "TLSA", "3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	job_start(&r, "mx.example.test", 587);
	CHECK_INT(r.job.done, 0);
	t = handshake((X509 *[]){c_leaf, c_int}, 2, 1);
	job_session(&r, t);
	CHECK_INT(r.job.done, 1);
	CHECK_INT(r.job.step.status, SDIAG_STEP_OK);
	CHECK_CONTAINS(r.job.step.message, "TLSA record 3 1 1 ");
	CHECK_CONTAINS(r.job.step.message, "DNSSEC-validated");
	CHECK_STR(str_at(r.job.step.data, "name"), "_587._tcp.mx.example.test");
	CHECK_INT(bool_at(r.job.step.data, "ad"), 1);
	CHECK_STR(str_at(r.job.step.data, "leaf_spki_sha256"), hexof(c_leaf, 1, 1, spki));
	CHECK_STR(str_at(r.job.step.data, "leaf_cert_sha256"), hexof(c_leaf, 0, 1, cert));
	CHECK_CONTAINS(str_at(r.job.step.data, "matched_record"), "3 1 1 ");
	recs = sdiag_v_get(r.job.step.data, "records");
	CHECK_SIZE(sdiag_v_count(recs), 2);
	e = sdiag_v_at(recs, 0);
	CHECK_STR(str_at(e, "data"), h);
	CHECK_INT(bool_at(e, "matched"), 1);
	CHECK_INT(bool_at(e, "usable"), 1);
	CHECK_INT(bool_at(sdiag_v_at(recs, 1), "matched"), 0);
	free(t);
	job_end(&r);
}

TEST(job_match_without_ad_warns)
{
	jobrun_t r;
	char h[200], rec[300];
	sdiag_tls_info_t *t;
	certs();
	r.z = t_zone_new();
	snprintf(rec, sizeof(rec), "2 0 1 %s", hexof(c_int, 0, 1, h));
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", rec);
	job_start(&r, "mx.example.test", 0);
	t = handshake((X509 *[]){c_leaf, c_int}, 2, 0);
	job_session(&r, t);
	CHECK_INT(r.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(r.job.step.message, "TLSA records are not DNSSEC-validated by the resolver (AD bit not set): DANE senders will ignore them if the zone is unsigned");
	CHECK_CONTAINS(r.job.step.hint, "DNSSEC");
	CHECK_INT(bool_at(r.job.step.data, "ad"), 0);
	free(t);
	job_end(&r);
}

TEST(job_mismatch_fails_with_the_record_to_publish)
{
	jobrun_t r;
	char h[200], rec[300], want[400];
	sdiag_tls_info_t *t;
	certs();
	r.z = t_zone_new();
	t_zone_set_ad(r.z, 1);
	snprintf(rec, sizeof(rec), "3 1 1 %s", hexof(c_self, 1, 1, h)); /* a stale key */
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", rec);
	job_start(&r, "mx.example.test", 25);
	t = handshake((X509 *[]){c_leaf, c_int}, 2, 1);
	job_session(&r, t);
	CHECK_INT(r.job.step.status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(r.job.step.message, "none of the 1 TLSA records at _25._tcp.mx.example.test matches");
	CHECK_CONTAINS(r.job.step.message, hexof(c_leaf, 1, 1, h));
	CHECK_CONTAINS(r.job.step.message, hexof(c_leaf, 0, 1, h));
	snprintf(want, sizeof(want), "Publish \"_25._tcp.mx.example.test. IN TLSA 3 1 1 %s\"", hexof(c_leaf, 1, 1, h));
	CHECK_CONTAINS(r.job.step.hint, want);
	CHECK(sdiag_v_get(r.job.step.data, "matched_record") == NULL);
	free(t);
	job_end(&r);
}

TEST(job_without_tls_fails)
{
	jobrun_t r;
	certs();
	r.z = t_zone_new();
	t_zone_set_ad(r.z, 1);
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", "3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	job_start(&r, "mx.example.test", 25);
	job_session(&r, NULL);
	CHECK_INT(r.job.step.status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(r.job.step.message, "did not use TLS: senders using DANE require STARTTLS");
	CHECK_CONTAINS(r.job.step.hint, "STARTTLS");
	job_end(&r);
}

TEST(job_only_pkix_match_warns)
{
	jobrun_t r;
	char h[200], rec[300];
	sdiag_tls_info_t *t;
	certs();
	r.z = t_zone_new();
	t_zone_set_ad(r.z, 1);
	snprintf(rec, sizeof(rec), "1 1 1 %s", hexof(c_leaf, 1, 1, h));
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", rec);
	job_start(&r, "mx.example.test", 25);
	t = handshake((X509 *[]){c_leaf, c_int}, 2, 1);
	job_session(&r, t);
	CHECK_INT(r.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(r.job.step.message, "RFC 7672 3.1.3");
	CHECK_CONTAINS(r.job.step.hint, "IN TLSA 3 1 1 ");
	CHECK_STR(str_at(sdiag_v_at(sdiag_v_get(r.job.step.data, "records"), 0), "note"), "SMTP senders ignore usages 0 and 1 (RFC 7672 3.1.3)");
	free(t);
	job_end(&r);
}

TEST(job_all_unusable_warns)
{
	jobrun_t r;
	sdiag_tls_info_t *t;
	certs();
	r.z = t_zone_new();
	t_zone_set_ad(r.z, 1);
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", "5 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", "3 1 1 0011");
	job_start(&r, "mx.example.test", 25);
	t = handshake((X509 *[]){c_leaf}, 1, 1);
	job_session(&r, t);
	CHECK_INT(r.job.step.status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(r.job.step.message, "none of the 2 TLSA records at _25._tcp.mx.example.test is usable");
	CHECK_INT(bool_at(sdiag_v_at(sdiag_v_get(r.job.step.data, "records"), 1), "usable"), 0);
	CHECK_CONTAINS(str_at(sdiag_v_at(sdiag_v_get(r.job.step.data, "records"), 1), "why"), "needs 32");
	free(t);
	job_end(&r);
}

TEST(job_session_before_answer)
{
	jobrun_t r;
	static char h[8200], rec[8300];
	sdiag_tls_info_t *t;
	certs();
	r.z = t_zone_new();
	t_zone_set_ad(r.z, 1);
	t_zone_defer(r.z, 1);
	snprintf(rec, sizeof(rec), "3 0 0 %s", hexof(c_leaf, 0, 0, h));
	t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", rec);
	job_start(&r, "mx.example.test", 25);
	t = handshake((X509 *[]){c_leaf, c_int}, 2, 1);
	job_session(&r, t);
	/* the session's facts were copied: the caller's may go away */
	memset(t, 0, sizeof(*t));
	free(t);
	CHECK_INT(r.job.done, 0);
	CHECK_SIZE(t_zone_flush(r.z), 1);
	CHECK_INT(r.job.done, 1);
	CHECK_INT(r.job.step.status, SDIAG_STEP_OK);
	CHECK_CONTAINS(r.job.step.message, "3 0 0 ");
	job_end(&r);
}

TEST(job_lookup_failure_fails)
{
	jobrun_t r;
	r.z = t_zone_new();
	t_zone_fault(r.z, "_25._tcp.mx.example.test", "TLSA", SDIAG_DNS_SERVFAIL);
	job_start(&r, "mx.example.test", 25);
	CHECK_INT(r.job.step.status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(r.job.step.message, "the TLSA look-up of _25._tcp.mx.example.test failed: servfail");
	CHECK_CONTAINS(r.job.step.hint, "defer mail");
	job_end(&r);
}

TEST(job_ip_literal_and_no_host_skip)
{
	jobrun_t r;
	r.z = t_zone_new();
	job_start(&r, "192.0.2.25", 25);
	CHECK_INT(r.job.step.status, SDIAG_STEP_SKIP);
	CHECK_CONTAINS(r.job.step.message, "IP address");
	job_end(&r);
	r.z = t_zone_new();
	job_start(&r, NULL, 25);
	CHECK_INT(r.job.step.status, SDIAG_STEP_SKIP);
	CHECK_SIZE(t_zone_queries(r.z), 0);
	job_end(&r);
}

TEST(job_allocation_failures)
{
	unsigned long n;
	char h[200], rec[300];
	certs();
	snprintf(rec, sizeof(rec), "3 1 1 %s", hexof(c_leaf, 1, 1, h));
	for (n = 1; n < 200; n++) {
		jobrun_t r;
		sdiag_tls_info_t *t = handshake((X509 *[]){c_leaf, c_int}, 2, 1);
		int hit;
		r.z = t_zone_new();
		t_zone_set_ad(r.z, 1);
		t_zone_defer(r.z, 1);
		t_zone_add(r.z, "_25._tcp.mx.example.test", "TLSA", rec);
		t_alloc_fail_nth(n);
		job_start(&r, "mx.example.test", 25);
		job_session(&r, t);
		t_zone_flush(r.z);
		hit = t_alloc_hit();
		t_alloc_reset();
		/* whatever failed, the job ended exactly once or runs to the end */
		CHECK_INT(r.job.done, 1);
		free(t);
		job_end(&r);
		if (!hit) {
			break;
		}
	}
	CHECK(n > 3);
}

TEST_MAIN("dane",
	T(cert_info_digests),
	T(match_table),
	T(match_without_tls),
	T(job_no_tlsa_skips),
	T(job_match_with_ad_is_ok),
	T(job_match_without_ad_warns),
	T(job_mismatch_fails_with_the_record_to_publish),
	T(job_without_tls_fails),
	T(job_only_pkix_match_warns),
	T(job_all_unusable_warns),
	T(job_session_before_answer),
	T(job_lookup_failure_fails),
	T(job_ip_literal_and_no_host_skip),
	T(job_allocation_failures))
