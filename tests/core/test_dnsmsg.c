/* Unit tests: src/core/dnsmsg.c, the DNS message parser and query builder,
 * on wire messages built byte by byte here. */
#include "test.h"
#include "wire.h"
#include "dnsmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the message being built (tests/core/wire.h) ---- */

static wb_t W;

static void wptr(wb_t *w, size_t off)
{
	w16(w, 0xC000 | (unsigned)off);
}

/* flags: the 16-bit flags word (QR, opcode, AA, TC, RD, RA, AD, CD, rcode) */
static void whdr(wb_t *w, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns, unsigned ar)
{
	w->n = 0;
	w16(w, id);
	w16(w, flags);
	w16(w, qd);
	w16(w, an);
	w16(w, ns);
	w16(w, ar);
}

static void wq(wb_t *w, const char *name, unsigned type)
{
	wname(w, name);
	w16(w, type);
	w16(w, 1);
}

/* A record's fixed part; returns where its RDLENGTH goes (wend() fills it). */
static size_t wrr(wb_t *w, const char *owner, unsigned type, uint32_t ttl)
{
	size_t at;
	if (owner) {
		wname(w, owner);
	}
	w16(w, type);
	w16(w, 1);
	w32(w, ttl);
	at = w->n;
	w16(w, 0);
	return at;
}

static void wend(wb_t *w, size_t at)
{
	size_t l = w->n - at - 2;
	w->b[at] = (unsigned char)(l >> 8);
	w->b[at + 1] = (unsigned char)l;
}

#define QR 0x8000
#define F_RD 0x0100
#define F_RA 0x0080

/* Parse from an exactly sized heap copy, so that ASan sees any read past
 * the end. */
static int parse(const wb_t *w, size_t len, sdiag_dns_msg_t *m, char *why, size_t whylen)
{
	unsigned char *copy = malloc(len ? len : 1);
	int rc;
	memcpy(copy, w->b, len);
	rc = sdiag_dns_parse(copy, len, m, why, whylen);
	free(copy);
	return rc;
}

static int zeroed(const sdiag_dns_msg_t *m)
{
	static const sdiag_dns_msg_t z;
	return memcmp(m, &z, sizeof(z)) == 0;
}

/* ---- record types ---- */

TEST(every_record_type)
{
	sdiag_dns_msg_t m;
	char why[128];
	size_t at;
	static const unsigned char v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	static const unsigned char raw[5] = {1, 2, 0, 3, 4};
	whdr(&W, 0x1234, QR | F_RD | F_RA, 1, 11, 1, 0);
	wq(&W, "Example.COM", 255);
	at = wrr(&W, "example.com", SDIAG_DNS_T_A, 300);
	wmem(&W, "\xc0\x00\x02\x01", 4);
	wend(&W, at);
	at = wrr(&W, "example.com", SDIAG_DNS_T_AAAA, 300);
	wmem(&W, v6, 16);
	wend(&W, at);
	at = wrr(&W, "example.com", SDIAG_DNS_T_MX, 60);
	w16(&W, 10);
	wname(&W, "mx.example.com");
	wend(&W, at);
	at = wrr(&W, "example.com", SDIAG_DNS_T_TXT, 60);
	wmem(&W, "\x06v=spf1\x00\x05 -all", 14); /* "v=spf1", "", " -all" */
	wend(&W, at);
	at = wrr(&W, "example.com", SDIAG_DNS_T_SPF, 60);
	wmem(&W, "\x00", 1); /* one empty string */
	wend(&W, at);
	at = wrr(&W, "1.2.0.192.in-addr.arpa", SDIAG_DNS_T_PTR, 60);
	wname(&W, "host.example.com");
	wend(&W, at);
	at = wrr(&W, "www.example.com", SDIAG_DNS_T_CNAME, 60);
	wname(&W, "example.com");
	wend(&W, at);
	at = wrr(&W, "example.com", SDIAG_DNS_T_NS, 60);
	wname(&W, "ns1.example.net");
	wend(&W, at);
	at = wrr(&W, "_25._tcp.mx.example.com", SDIAG_DNS_T_TLSA, 60);
	wmem(&W, "\x03\x01\x01\xab\xcd", 5);
	wend(&W, at);
	at = wrr(&W, "example.com", 65, 60);
	wmem(&W, raw, sizeof(raw));
	wend(&W, at);
	at = wrr(&W, "example.com", SDIAG_DNS_T_SOA, 60);
	wname(&W, "ns1.example.net");
	wname(&W, "hostmaster.example.com");
	w32(&W, 1), w32(&W, 2), w32(&W, 3), w32(&W, 4), w32(&W, 5);
	wend(&W, at);
	/* authority: a SOA */
	at = wrr(&W, "example.com", SDIAG_DNS_T_SOA, 60);
	wname(&W, "ns1.example.net");
	wname(&W, "hostmaster.example.com");
	w32(&W, 1), w32(&W, 2), w32(&W, 3), w32(&W, 4), w32(&W, 5);
	wend(&W, at);

	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	CHECK_STR(why, "");
	CHECK_INT(m.id, 0x1234);
	CHECK_STR(m.qname, "example.com");
	CHECK_INT(m.qtype, 255);
	CHECK_INT(m.qclass, 1);
	CHECK_STR(m.canonical, "example.com");
	CHECK_SIZE(m.nanswer, 11);
	CHECK_INT(m.has_soa, 1);
	REQUIRE(m.nanswer == 11);

	CHECK_INT(m.answer[0].type, SDIAG_DNS_T_A);
	CHECK_INT(m.answer[0].ttl, 300);
	CHECK_INT(m.answer[0].cls, 1);
	CHECK_MEM(m.answer[0].addr, 4, "\xc0\x00\x02\x01", 4);
	CHECK_MEM(m.answer[1].addr, 16, v6, 16);
	CHECK_SIZE(m.answer[1].len, 16);

	CHECK_INT(m.answer[2].pref, 10);
	CHECK_STR(m.answer[2].target, "mx.example.com");

	CHECK_MEM(m.answer[3].data, m.answer[3].len, "v=spf1 -all", 11);
	CHECK_INT(m.answer[3].data[m.answer[3].len], 0);
	CHECK_INT(m.answer[3].nstrings, 3);
	CHECK_INT(m.answer[4].type, SDIAG_DNS_T_SPF);
	CHECK_SIZE(m.answer[4].len, 0);
	CHECK_INT(m.answer[4].nstrings, 1);
	CHECK_INT(m.answer[4].data[0], 0);

	CHECK_STR(m.answer[5].owner, "1.2.0.192.in-addr.arpa");
	CHECK_STR(m.answer[5].target, "host.example.com");
	CHECK_STR(m.answer[6].owner, "www.example.com");
	CHECK_STR(m.answer[6].target, "example.com");
	CHECK_STR(m.answer[7].target, "ns1.example.net");

	CHECK_STR(m.answer[8].owner, "_25._tcp.mx.example.com");
	CHECK_INT(m.answer[8].tlsa_usage, 3);
	CHECK_INT(m.answer[8].tlsa_selector, 1);
	CHECK_INT(m.answer[8].tlsa_mtype, 1);
	CHECK_MEM(m.answer[8].data, m.answer[8].len, "\xab\xcd", 2);
	CHECK_INT(m.answer[8].data[2], 0);

	CHECK_INT(m.answer[9].type, 65);
	CHECK_MEM(m.answer[9].data, m.answer[9].len, raw, sizeof(raw));
	CHECK_INT(m.answer[9].data[5], 0);
	CHECK_STR(m.answer[10].target, "ns1.example.net");
	sdiag_dns_msg_free(&m);
	CHECK(zeroed(&m));
}

TEST(soa_only_counts_in_authority)
{
	sdiag_dns_msg_t m;
	size_t at;
	/* a SOA in the additional section is no negative answer */
	whdr(&W, 1, QR, 1, 0, 0, 1);
	wq(&W, "example.com", SDIAG_DNS_T_MX);
	at = wrr(&W, "example.com", SDIAG_DNS_T_SOA, 60);
	wname(&W, "ns.example.com");
	wend(&W, at);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.has_soa, 0);
	CHECK_SIZE(m.nanswer, 0);
	CHECK(m.arena == NULL && m.answer == NULL);
	sdiag_dns_msg_free(&m);
}

TEST(header_flags)
{
	static const struct {
		unsigned flags;
		int qr, aa, tc, rd, ra, ad, cd, opcode, rcode;
	} rows[] = {
		{0x0000, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		{0x8000, 1, 0, 0, 0, 0, 0, 0, 0, 0},
		{0x0400, 0, 1, 0, 0, 0, 0, 0, 0, 0},
		{0x0200, 0, 0, 1, 0, 0, 0, 0, 0, 0},
		{0x0100, 0, 0, 0, 1, 0, 0, 0, 0, 0},
		{0x0080, 0, 0, 0, 0, 1, 0, 0, 0, 0},
		{0x0020, 0, 0, 0, 0, 0, 1, 0, 0, 0},
		{0x0010, 0, 0, 0, 0, 0, 0, 1, 0, 0},
		{0x2800, 0, 0, 0, 0, 0, 0, 0, 5, 0},
		{0x0003, 0, 0, 0, 0, 0, 0, 0, 0, 3},
		{0x87B5, 1, 1, 1, 1, 1, 1, 1, 0, 5},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("flags %04x", rows[i].flags) {
			sdiag_dns_msg_t m;
			whdr(&W, 7, rows[i].flags, 0, 0, 0, 0);
			if (parse(&W, W.n, &m, NULL, 0) != 0) {
				CHECK(!"parse failed");
				continue;
			}
			CHECK_INT(m.qr, rows[i].qr);
			CHECK_INT(m.aa, rows[i].aa);
			CHECK_INT(m.tc, rows[i].tc);
			CHECK_INT(m.rd, rows[i].rd);
			CHECK_INT(m.ra, rows[i].ra);
			CHECK_INT(m.ad, rows[i].ad);
			CHECK_INT(m.cd, rows[i].cd);
			CHECK_INT(m.opcode, rows[i].opcode);
			CHECK_INT(m.rcode, rows[i].rcode);
			CHECK_STR(m.qname, "");
			sdiag_dns_msg_free(&m);
		}
	}
}

static void opt_rr(wb_t *w, unsigned ext_rcode)
{
	w8(w, 0); /* root */
	w16(w, SDIAG_DNS_T_OPT);
	w16(w, 1232);
	w32(w, (uint32_t)ext_rcode << 24);
	w16(w, 0);
}

TEST(opt_extends_the_rcode)
{
	sdiag_dns_msg_t m;
	/* BADVERS (16): header rcode 0, OPT's extended rcode 1 */
	whdr(&W, 1, QR, 1, 0, 0, 1);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	opt_rr(&W, 1);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.rcode, 16);
	sdiag_dns_msg_free(&m);

	/* extended bits on top of the header's: 0xFF << 4 | 5 */
	whdr(&W, 1, QR | 5, 1, 0, 0, 1);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	opt_rr(&W, 0xFF);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.rcode, 0xFF5);
	sdiag_dns_msg_free(&m);

	/* an OPT with zero extended rcode leaves NXDOMAIN alone */
	whdr(&W, 1, QR | 3, 1, 0, 0, 1);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	opt_rr(&W, 0);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.rcode, 3);
	sdiag_dns_msg_free(&m);
}

TEST(opt_outside_the_additional_section_or_twice_is_ignored)
{
	sdiag_dns_msg_t m;
	/* in the authority section: not the message's OPT */
	whdr(&W, 1, QR, 1, 0, 1, 0);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	opt_rr(&W, 1);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.rcode, 0);
	sdiag_dns_msg_free(&m);

	/* only the first OPT counts */
	whdr(&W, 1, QR, 1, 0, 0, 2);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	opt_rr(&W, 1);
	opt_rr(&W, 2);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.rcode, 16);
	sdiag_dns_msg_free(&m);

	/* an OPT not owned by the root is not one */
	whdr(&W, 1, QR, 1, 0, 0, 1);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	wname(&W, "x");
	w16(&W, SDIAG_DNS_T_OPT);
	w16(&W, 1232);
	w32(&W, 1u << 24);
	w16(&W, 0);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.rcode, 0);
	sdiag_dns_msg_free(&m);
}

/* ---- compression ---- */

TEST(compression_backward_pointers)
{
	sdiag_dns_msg_t m;
	size_t at, mxname;
	whdr(&W, 1, QR, 1, 2, 0, 0);
	wq(&W, "example.com", SDIAG_DNS_T_MX);
	wptr(&W, 12);
	at = wrr(&W, NULL, SDIAG_DNS_T_MX, 60);
	w16(&W, 5);
	mxname = W.n;
	w8(&W, 2);
	wmem(&W, "mx", 2);
	wptr(&W, 12); /* mx + example.com */
	wend(&W, at);
	/* the owner: "backup" + the MX target's name, pointer to pointer */
	w8(&W, 6);
	wmem(&W, "backup", 6);
	wptr(&W, mxname);
	at = wrr(&W, NULL, SDIAG_DNS_T_MX, 60);
	w16(&W, 20);
	wptr(&W, mxname);
	wend(&W, at);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	REQUIRE(m.nanswer == 2);
	CHECK_STR(m.answer[0].owner, "example.com");
	CHECK_STR(m.answer[0].target, "mx.example.com");
	CHECK_STR(m.answer[1].owner, "backup.mx.example.com");
	CHECK_STR(m.answer[1].target, "mx.example.com");
	CHECK_INT(m.answer[1].pref, 20);
	sdiag_dns_msg_free(&m);
}

TEST(compression_rejects_forward_self_and_loops)
{
	sdiag_dns_msg_t m;
	char why[128];
	size_t at, loop;
	/* forward: the owner points at the record's own data */
	whdr(&W, 1, QR, 1, 1, 0, 0);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	wptr(&W, W.n + 2);
	at = wrr(&W, NULL, SDIAG_DNS_T_A, 60);
	wmem(&W, "\x01\x02\x03\x04", 4);
	wend(&W, at);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "compression pointer");
	CHECK(zeroed(&m));

	/* a pointer to itself */
	whdr(&W, 1, QR, 1, 1, 0, 0);
	wq(&W, "example.com", SDIAG_DNS_T_A);
	wptr(&W, W.n);
	at = wrr(&W, NULL, SDIAG_DNS_T_A, 60);
	wmem(&W, "\x01\x02\x03\x04", 4);
	wend(&W, at);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "compression pointer");

	/* a loop through a label: "b" then a pointer back to the "b" */
	whdr(&W, 1, QR, 1, 1, 0, 0);
	loop = W.n;
	w8(&W, 1);
	w8(&W, 'b');
	wptr(&W, loop);
	w16(&W, SDIAG_DNS_T_A);
	w16(&W, 1);
	at = wrr(&W, "b", SDIAG_DNS_T_A, 60);
	wmem(&W, "\x01\x02\x03\x04", 4);
	wend(&W, at);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "compression pointer loops");

	/* a pointer cut short at the end */
	whdr(&W, 1, QR, 1, 0, 0, 0);
	w8(&W, 0xC0);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "cut short");

	/* label types 01 and 10 are not defined */
	whdr(&W, 1, QR, 1, 0, 0, 0);
	w8(&W, 0x80);
	w8(&W, 0);
	w16(&W, 1);
	w16(&W, 1);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "unknown label type");
}

/* A chain of pointers: "a" in the question, then an unknown record whose
 * data is k pointers each to the one before (the first to the question),
 * then a record owned by a pointer to the last: k + 1 hops. */
static size_t pointer_chain(size_t k)
{
	size_t at, i, prev = 12, last;
	whdr(&W, 1, QR, 1, 2, 0, 0);
	wq(&W, "a", SDIAG_DNS_T_A);
	wptr(&W, 12);
	at = wrr(&W, NULL, 65, 60);
	for (i = 0; i < k; i++) {
		last = W.n;
		wptr(&W, prev);
		prev = last;
	}
	wend(&W, at);
	wptr(&W, prev);
	at = wrr(&W, NULL, SDIAG_DNS_T_A, 60);
	wmem(&W, "\x01\x02\x03\x04", 4);
	wend(&W, at);
	return W.n;
}

TEST(compression_pointer_chain_at_the_limit)
{
	sdiag_dns_msg_t m;
	char why[128];
	pointer_chain(SDIAG_DNS_PTR_MAX - 1);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	REQUIRE(m.nanswer == 2);
	CHECK_STR(m.answer[1].owner, "a");
	sdiag_dns_msg_free(&m);
	pointer_chain(SDIAG_DNS_PTR_MAX);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "compression pointer loops");
}

/* ---- names ---- */

/* A name of labels of the given lengths, each filled with c. */
static void wlabels(wb_t *w, const size_t *lens, size_t n, int c)
{
	size_t i, j;
	for (i = 0; i < n; i++) {
		w8(w, (unsigned)lens[i]);
		for (j = 0; j < lens[i]; j++) {
			w8(w, (unsigned)c);
		}
	}
	w8(w, 0);
}

TEST(names_up_to_255_octets)
{
	sdiag_dns_msg_t m;
	char why[128];
	static const size_t ok[] = {63, 63, 63, 61};   /* 64 * 3 + 62 + 1 = 255 */
	static const size_t big[] = {63, 63, 63, 62};  /* 256 */
	whdr(&W, 1, QR, 1, 0, 0, 0);
	wlabels(&W, ok, 4, 'a');
	w16(&W, 1);
	w16(&W, 1);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	CHECK_SIZE(strlen(m.qname), 63 * 3 + 61 + 3);
	sdiag_dns_msg_free(&m);

	whdr(&W, 1, QR, 1, 0, 0, 0);
	wlabels(&W, big, 4, 'a');
	w16(&W, 1);
	w16(&W, 1);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "longer than 255 octets");

	/* 256 octets reached through a pointer */
	{
		static const size_t head[] = {63, 63, 63};
		size_t at;
		whdr(&W, 1, QR, 1, 1, 0, 0);
		w8(&W, 62);
		for (at = 0; at < 62; at++) {
			w8(&W, 'z');
		}
		w8(&W, 0);
		w16(&W, 1);
		w16(&W, 1);
		/* owner: three 63-octet labels, then (instead of the root) a
		 * pointer to the question's 62 */
		wlabels(&W, head, 3, 'b');
		W.n--;
		wptr(&W, 12);
		at = wrr(&W, NULL, SDIAG_DNS_T_A, 1);
		wmem(&W, "\x01\x02\x03\x04", 4);
		wend(&W, at);
	}
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "longer than 255 octets");
}

TEST(labels_of_63_and_64_octets)
{
	sdiag_dns_msg_t m;
	char why[128];
	static const size_t l63[] = {63};
	whdr(&W, 1, QR, 1, 0, 0, 0);
	wlabels(&W, l63, 1, 'x');
	w16(&W, 1);
	w16(&W, 1);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	CHECK_SIZE(strlen(m.qname), 63);
	sdiag_dns_msg_free(&m);
	/* 64 = 0x40: the top bits say "extended label type" */
	whdr(&W, 1, QR, 1, 0, 0, 0);
	w8(&W, 64);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "unknown label type");
}

TEST(presentation_escapes_and_case)
{
	static const struct {
		const char *wire;
		size_t len;
		const char *text;
	} rows[] = {
		{"\x03" "a.b" "\x03" "com", 8, "a\\.b.com"},
		{"\x03" "a\\b", 4, "a\\\\b"},
		{"\x04" "\x00\x20\x7f\xff", 5, "\\000\\032\\127\\255"},
		{"\x07" "ExAmPlE" "\x03" "COM", 12, "example.com"},
		{"\x06" "_dmarc", 7, "_dmarc"},
		{"\x01" "*" "\x03" "a-b", 6, "*.a-b"},
		{"\x02" "a\"", 3, "a\\034"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].text) {
			sdiag_dns_msg_t m;
			char why[128];
			whdr(&W, 1, QR, 1, 0, 0, 0);
			wmem(&W, rows[i].wire, rows[i].len);
			w8(&W, 0);
			w16(&W, 1);
			w16(&W, 1);
			if (parse(&W, W.n, &m, why, sizeof(why)) != 0) {
				t_fail(__FILE__, __LINE__, "parse failed: %s", why);
				continue;
			}
			CHECK_STR(m.qname, rows[i].text);
			sdiag_dns_msg_free(&m);
		}
	}
}

TEST(names_too_long_written_out)
{
	sdiag_dns_msg_t m;
	char why[128];
	static const size_t lens[] = {60, 60, 60};  /* 184 octets, 722 characters as \DDD */
	size_t at;
	/* an answer owner: the parser cannot keep it, the message is malformed */
	whdr(&W, 1, QR, 1, 1, 0, 0);
	wq(&W, "a", SDIAG_DNS_T_A);
	wlabels(&W, lens, 3, 1);
	at = wrr(&W, NULL, SDIAG_DNS_T_A, 1);
	wmem(&W, "\x01\x02\x03\x04", 4);
	wend(&W, at);
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "presentation form");
	/* the same in the additional section is not kept, so it does not matter */
	whdr(&W, 1, QR, 1, 0, 0, 1);
	wq(&W, "a", SDIAG_DNS_T_A);
	wlabels(&W, lens, 3, 1);
	at = wrr(&W, NULL, SDIAG_DNS_T_A, 1);
	wmem(&W, "\x01\x02\x03\x04", 4);
	wend(&W, at);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	CHECK_SIZE(m.nanswer, 0);
	sdiag_dns_msg_free(&m);
}

/* ---- truncation and limits ---- */

/* A message with a record of each shape, answer, authority and OPT. */
static void rich_message(void)
{
	size_t at;
	whdr(&W, 0xBEEF, QR | F_RD | F_RA | 0x20, 1, 5, 1, 1);
	wq(&W, "www.example.com", SDIAG_DNS_T_MX);
	wptr(&W, 12);
	at = wrr(&W, NULL, SDIAG_DNS_T_CNAME, 60);
	wptr(&W, 16);
	wend(&W, at);
	wptr(&W, 16);
	at = wrr(&W, NULL, SDIAG_DNS_T_MX, 60);
	w16(&W, 10);
	w8(&W, 2);
	wmem(&W, "mx", 2);
	wptr(&W, 16);
	wend(&W, at);
	wptr(&W, 16);
	at = wrr(&W, NULL, SDIAG_DNS_T_TXT, 60);
	wmem(&W, "\x03" "abc" "\x00" "\x02" "de", 8);
	wend(&W, at);
	at = wrr(&W, "_25._tcp.example.com", SDIAG_DNS_T_TLSA, 60);
	wmem(&W, "\x03\x01\x01\x11\x22\x33", 6);
	wend(&W, at);
	wptr(&W, 16);
	at = wrr(&W, NULL, SDIAG_DNS_T_AAAA, 60);
	wmem(&W, "0123456789abcdef", 16);
	wend(&W, at);
	wptr(&W, 16);
	at = wrr(&W, NULL, SDIAG_DNS_T_SOA, 60);
	wname(&W, "ns.example.com");
	wname(&W, "h.example.com");
	w32(&W, 1), w32(&W, 2), w32(&W, 3), w32(&W, 4), w32(&W, 5);
	wend(&W, at);
	opt_rr(&W, 0);
}

TEST(every_prefix_of_a_message_fails_cleanly)
{
	sdiag_dns_msg_t m;
	char why[128];
	size_t full, len;
	rich_message();
	full = W.n;
	if (parse(&W, full, &m, why, sizeof(why)) != 0) {
		t_fail(__FILE__, __LINE__, "parse: %s", why);
		return;
	}
	CHECK_SIZE(m.nanswer, 5);
	CHECK_STR(m.canonical, "example.com");
	CHECK_INT(m.has_soa, 1);
	CHECK_INT(m.ad, 1);
	sdiag_dns_msg_free(&m);
	for (len = 0; len < full; len++) {
		int rc = parse(&W, len, &m, why, sizeof(why));
		if (rc != -1 || !zeroed(&m) || why[0] == '\0') {
			t_fail(__FILE__, __LINE__, "prefix %zu of %zu: rc %d, why \"%s\"", len, full, rc, why);
			if (rc == 0) {
				sdiag_dns_msg_free(&m);
			}
		}
	}
}

TEST(answer_count_limit)
{
	sdiag_dns_msg_t m;
	char why[128];
	size_t i, at;
	for (i = SDIAG_DNS_RR_MAX; i <= SDIAG_DNS_RR_MAX + 1; i++) {
		size_t k;
		whdr(&W, 1, QR, 1, (unsigned)i, 0, 0);
		wq(&W, "a", SDIAG_DNS_T_A);
		for (k = 0; k < i; k++) {
			wptr(&W, 12);
			at = wrr(&W, NULL, SDIAG_DNS_T_A, 1);
			w32(&W, (uint32_t)k);
			wend(&W, at);
		}
		if (i == SDIAG_DNS_RR_MAX) {
			REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
			CHECK_SIZE(m.nanswer, SDIAG_DNS_RR_MAX);
			CHECK_INT(m.answer[SDIAG_DNS_RR_MAX - 1].addr[3], SDIAG_DNS_RR_MAX - 1);
			sdiag_dns_msg_free(&m);
		} else {
			CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
			CHECK_CONTAINS(why, "more answer records");
		}
	}
}

TEST(rdata_that_does_not_fit_its_type)
{
	static const struct {
		const char *label;
		unsigned type;
		const char *rdata;
		size_t len;
		const char *why;
	} rows[] = {
		{"A of 5", SDIAG_DNS_T_A, "\x01\x02\x03\x04\x05", 5, "wrong length"},
		{"A of 0", SDIAG_DNS_T_A, "", 0, "wrong length"},
		{"AAAA of 4", SDIAG_DNS_T_AAAA, "\x01\x02\x03\x04", 4, "wrong length"},
		{"MX without name", SDIAG_DNS_T_MX, "\x00\x0a", 2, "does not fill"},
		{"MX with a byte after", SDIAG_DNS_T_MX, "\x00\x0a\x01x\x00\x00", 6, "does not fill"},
		{"MX of 1", SDIAG_DNS_T_MX, "\x00", 1, "does not fill"},
		{"CNAME shorter than its name", SDIAG_DNS_T_CNAME, "\x03", 1, "does not fill"},
		{"PTR with a byte after", SDIAG_DNS_T_PTR, "\x00\x00", 2, "does not fill"},
		{"NS empty", SDIAG_DNS_T_NS, "", 0, "does not fill"},
		{"TXT string past the end", SDIAG_DNS_T_TXT, "\x05" "abc", 4, "runs past the record"},
		{"SPF string past the end", SDIAG_DNS_T_SPF, "\x01" "a" "\x01", 3, "runs past the record"},
		{"TLSA of 2", SDIAG_DNS_T_TLSA, "\x03\x01", 2, "shorter than 3"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].label) {
			sdiag_dns_msg_t m;
			char why[128];
			size_t at;
			whdr(&W, 1, QR, 1, 1, 0, 0);
			wq(&W, "a", rows[i].type);
			wptr(&W, 12);
			at = wrr(&W, NULL, rows[i].type, 1);
			wmem(&W, rows[i].rdata, rows[i].len);
			wend(&W, at);
			/* something after, so that reading on is possible */
			wmem(&W, "\x00\x00\x00\x00", 4);
			CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
			CHECK_CONTAINS(why, rows[i].why);
			CHECK(zeroed(&m));
		}
	}
}

/* RFC 1035 wants a character-string in every TXT record, but an empty
 * RDATA is served (the RFC 7208 suite's null-text) and taken as none */
TEST(txt_without_strings)
{
	sdiag_dns_msg_t m;
	char why[128];
	size_t at, pos = 0;
	const sdiag_dns_rr_t *rr;
	whdr(&W, 1, QR, 1, 1, 0, 0);
	wq(&W, "a", SDIAG_DNS_T_TXT);
	wptr(&W, 12);
	at = wrr(&W, NULL, SDIAG_DNS_T_TXT, 1);
	wend(&W, at);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	rr = sdiag_dns_next(&m, SDIAG_DNS_T_TXT, &pos);
	REQUIRE(rr != NULL);
	CHECK_SIZE(rr->len, 0);
	CHECK_INT(rr->nstrings, 0);
	CHECK_STR((const char *)rr->data, "");
	sdiag_dns_msg_free(&m);
}

TEST(rdlength_past_the_end)
{
	sdiag_dns_msg_t m;
	char why[128];
	size_t at;
	whdr(&W, 1, QR, 1, 0, 1, 0);
	wq(&W, "a", SDIAG_DNS_T_A);
	at = wrr(&W, "a", 99, 1);
	wmem(&W, "xyz", 3);
	wend(&W, at);
	W.b[at + 1] = 4;
	CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "record data runs past the end");
}

/* ---- CNAME chains and iteration ---- */

/* q -> c1 -> ... -> cN, then an A record of cN (and one of q, ignored) */
static void cname_chain(size_t links, const char *last_target)
{
	size_t i, at;
	char owner[32], target[32];
	whdr(&W, 1, QR, 1, (unsigned)links + 2, 0, 0);
	wq(&W, "q.example", SDIAG_DNS_T_A);
	for (i = 0; i < links; i++) {
		if (i) {
			snprintf(owner, sizeof(owner), "c%zu.example", i);
		} else {
			snprintf(owner, sizeof(owner), "q.example");
		}
		if (i + 1 == links && last_target) {
			snprintf(target, sizeof(target), "%s", last_target);
		} else {
			snprintf(target, sizeof(target), "c%zu.example", i + 1);
		}
		at = wrr(&W, owner, SDIAG_DNS_T_CNAME, 1);
		wname(&W, target);
		wend(&W, at);
	}
	if (links) {
		snprintf(owner, sizeof(owner), "c%zu.example", links);
	} else {
		snprintf(owner, sizeof(owner), "q.example");
	}
	at = wrr(&W, owner, SDIAG_DNS_T_A, 1);
	wmem(&W, "\x0a\x00\x00\x01", 4);
	wend(&W, at);
	/* the same type owned by a name off the chain is no answer */
	at = wrr(&W, "other.example", SDIAG_DNS_T_A, 1);
	wmem(&W, "\x0a\x00\x00\x02", 4);
	wend(&W, at);
}

TEST(cname_chains)
{
	sdiag_dns_msg_t m;
	size_t pos;
	const sdiag_dns_rr_t *rr;

	cname_chain(0, NULL);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_STR(m.canonical, "q.example");
	CHECK_SIZE(m.cnames, 0);
	sdiag_dns_msg_free(&m);

	cname_chain(1, NULL);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_STR(m.canonical, "c1.example");
	CHECK_SIZE(m.cnames, 1);
	CHECK_INT(m.cname_loop, 0);
	pos = 0;
	rr = sdiag_dns_next(&m, SDIAG_DNS_T_A, &pos);
	REQUIRE(rr != NULL);
	CHECK_INT(rr->addr[3], 1);
	CHECK(sdiag_dns_next(&m, SDIAG_DNS_T_A, &pos) == NULL);
	CHECK(sdiag_dns_next(&m, SDIAG_DNS_T_A, &pos) == NULL);
	pos = 0;
	CHECK(sdiag_dns_next(&m, SDIAG_DNS_T_MX, &pos) == NULL);
	CHECK_SIZE(pos, m.nanswer);
	sdiag_dns_msg_free(&m);

	cname_chain(SDIAG_DNS_CNAME_MAX, NULL);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_STR(m.canonical, "c16.example");
	CHECK_SIZE(m.cnames, SDIAG_DNS_CNAME_MAX);
	CHECK_INT(m.cname_loop, 0);
	pos = 0;
	CHECK(sdiag_dns_next(&m, SDIAG_DNS_T_A, &pos) != NULL);
	sdiag_dns_msg_free(&m);

	cname_chain(SDIAG_DNS_CNAME_MAX + 1, NULL);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.cname_loop, 1);
	CHECK_SIZE(m.cnames, SDIAG_DNS_CNAME_MAX);
	sdiag_dns_msg_free(&m);

	/* q -> c1 -> c2 -> q */
	cname_chain(3, "q.example");
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_INT(m.cname_loop, 1);
	sdiag_dns_msg_free(&m);
}

TEST(cname_question_is_not_followed)
{
	sdiag_dns_msg_t m;
	size_t at, pos = 0;
	whdr(&W, 1, QR, 1, 1, 0, 0);
	wq(&W, "www.example", SDIAG_DNS_T_CNAME);
	at = wrr(&W, "www.example", SDIAG_DNS_T_CNAME, 1);
	wname(&W, "example");
	wend(&W, at);
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	CHECK_STR(m.canonical, "www.example");
	CHECK_SIZE(m.cnames, 0);
	REQUIRE(sdiag_dns_next(&m, SDIAG_DNS_T_CNAME, &pos) != NULL);
	CHECK_STR(m.answer[0].target, "example");
	sdiag_dns_msg_free(&m);
}

TEST(next_walks_every_match_in_order)
{
	sdiag_dns_msg_t m;
	size_t at, pos = 0, i;
	const sdiag_dns_rr_t *rr;
	static const unsigned prefs[] = {30, 10, 20};
	whdr(&W, 1, QR, 1, 5, 0, 0);
	wq(&W, "Example", SDIAG_DNS_T_MX);
	for (i = 0; i < 3; i++) {
		at = wrr(&W, i == 1 ? "EXAMPLE" : "example", SDIAG_DNS_T_MX, 1);
		w16(&W, prefs[i]);
		wname(&W, "mx");
		wend(&W, at);
		if (i == 0) {
			at = wrr(&W, "example", SDIAG_DNS_T_TXT, 1);
			wmem(&W, "\x01x", 2);
			wend(&W, at);
			at = wrr(&W, "sub.example", SDIAG_DNS_T_MX, 1);
			w16(&W, 1);
			wname(&W, "mx");
			wend(&W, at);
		}
	}
	REQUIRE(parse(&W, W.n, &m, NULL, 0) == 0);
	for (i = 0; i < 3; i++) {
		rr = sdiag_dns_next(&m, SDIAG_DNS_T_MX, &pos);
		REQUIRE(rr != NULL);
		CHECK_INT(rr->pref, prefs[i]);
	}
	CHECK(sdiag_dns_next(&m, SDIAG_DNS_T_MX, &pos) == NULL);
	sdiag_dns_msg_free(&m);
}

/* ---- the query builder ---- */

TEST(query_exact_bytes)
{
	unsigned char q[SDIAG_DNS_QUERY_MAX];
	static const unsigned char want[] = {
		0x12, 0x34, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0, 15, 0, 1,
		0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0,
	};
	size_t n = sdiag_dns_build_query(q, sizeof(q), 0x1234, "example.com", SDIAG_DNS_T_MX);
	CHECK_MEM(q, n, want, sizeof(want));
	/* a final dot changes nothing */
	n = sdiag_dns_build_query(q, sizeof(q), 0x1234, "example.com.", SDIAG_DNS_T_MX);
	CHECK_MEM(q, n, want, sizeof(want));
	/* the root */
	n = sdiag_dns_build_query(q, sizeof(q), 1, ".", SDIAG_DNS_T_NS);
	CHECK_SIZE(n, 12 + 1 + 4 + 11);
	CHECK_INT(q[12], 0);
	CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, "", SDIAG_DNS_T_NS), 28);
	/* too small a buffer */
	CHECK_SIZE(sdiag_dns_build_query(q, SDIAG_DNS_QUERY_MAX - 1, 1, "a", 1), 0);
}

static int same_but_case(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char x = a[i], y = b[i];
		x = (unsigned char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
		y = (unsigned char)(y >= 'A' && y <= 'Z' ? y + 32 : y);
		if (x != y) {
			return 0;
		}
	}
	return 1;
}

TEST(query_round_trip)
{
	static const struct {
		const char *in;
		const char *parsed;
		size_t label0;
	} rows[] = {
		{"Example.COM", "example.com", 7},
		{"_dmarc.example.com.", "_dmarc.example.com", 6},
		{"a\\.b.example", "a\\.b.example", 3},
		{"a\\\\b.example", "a\\\\b.example", 3},
		{"\\065bc.example", "abc.example", 3},
		{"\\000\\255.x", "\\000\\255.x", 2},
		{"a\\.", "a\\.", 2},
		{"sp\\ ace", "sp\\032ace", 6},
		{"\\.", "\\.", 1},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			unsigned char q[SDIAG_DNS_QUERY_MAX];
			sdiag_dns_msg_t m;
			char why[128];
			size_t n = sdiag_dns_build_query(q, sizeof(q), 99, rows[i].in, SDIAG_DNS_T_TXT);
			if (n == 0) {
				CHECK(!"build failed");
				continue;
			}
			CHECK_INT(q[12], rows[i].label0);
			if (sdiag_dns_parse(q, n, &m, why, sizeof(why)) != 0) {
				t_fail(__FILE__, __LINE__, "parse: %s", why);
				continue;
			}
			CHECK_STR(m.qname, rows[i].parsed);
			CHECK_INT(m.qtype, SDIAG_DNS_T_TXT);
			CHECK_INT(m.qclass, 1);
			CHECK_INT(m.id, 99);
			CHECK_INT(m.qr, 0);
			CHECK_INT(m.rd, 1);
			CHECK_INT(m.ad, 1);
			CHECK_INT(m.qdcount, 1);
			CHECK_INT(m.arcount, 1);
			CHECK_INT(m.rcode, 0);
			/* and what the parser wrote builds the same query again */
			{
				unsigned char q2[SDIAG_DNS_QUERY_MAX];
				size_t n2 = sdiag_dns_build_query(q2, sizeof(q2), 99, m.qname, SDIAG_DNS_T_TXT);
				/* case aside: the parser lower-cases */
				CHECK_SIZE(n2, n);
				CHECK(n2 == n && same_but_case(q, q2, n));
			}
			sdiag_dns_msg_free(&m);
		}
	}
}

TEST(query_names_at_the_limits)
{
	unsigned char q[SDIAG_DNS_QUERY_MAX];
	char name[600];
	size_t i;
	/* 63-octet label yes, 64 no */
	memset(name, 'a', 63);
	name[63] = '\0';
	CHECK(sdiag_dns_build_query(q, sizeof(q), 1, name, 1) > 0);
	memset(name, 'a', 64);
	name[64] = '\0';
	CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, name, 1), 0);
	/* 253 characters (255 octets on the wire) yes, 254 no */
	memset(name, 'a', sizeof(name));
	for (i = 63; i < 253; i += 64) {
		name[i] = '.';
	}
	name[253] = '\0';
	CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, name, 1), 12 + 255 + 4 + 11);
	{
		char dotted[300];
		memcpy(dotted, name, 253);
		memcpy(dotted + 253, ".", 2);
		CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, dotted, 1), 12 + 255 + 4 + 11);
	}
	name[253] = 'a';
	name[254] = '\0';
	CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, name, 1), 0);
	/* escapes count as the octet they stand for: 63 x "\\097" is one label */
	name[0] = '\0';
	for (i = 0; i < 63; i++) {
		strcat(name, "\\097");
	}
	CHECK(sdiag_dns_build_query(q, sizeof(q), 1, name, 1) > 0);
	CHECK_INT(q[12], 63);
	strcat(name, "\\097");
	CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, name, 1), 0);
}

TEST(query_invalid_names)
{
	static const char *const bad[] = {
		"a..b", ".a", "a..", "..", "a.\\", "a\\", "a\\1", "a\\12", "a\\1x2", "a\\256", "a\\999",
	};
	size_t i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ROW("%s", bad[i]) {
			unsigned char q[SDIAG_DNS_QUERY_MAX];
			CHECK_SIZE(sdiag_dns_build_query(q, sizeof(q), 1, bad[i], 1), 0);
		}
	}
}

/* ---- reverse names, type names ---- */

TEST(reverse_names)
{
	char out[128];
	CHECK_INT(sdiag_dns_reverse_name("192.0.2.10", out, sizeof(out)), 0);
	CHECK_STR(out, "10.2.0.192.in-addr.arpa");
	CHECK_INT(sdiag_dns_reverse_name("2001:db8::1", out, sizeof(out)), 0);
	CHECK_STR(out, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	CHECK_INT(sdiag_dns_reverse_name("::ffff:192.0.2.1", out, sizeof(out)), 0);
	CHECK_STR(out, "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
	CHECK_INT(sdiag_dns_reverse_name("mail.example.com", out, sizeof(out)), -1);
	CHECK_INT(sdiag_dns_reverse_name("", out, sizeof(out)), -1);
	CHECK_INT(sdiag_dns_reverse_name("1.2.3", out, sizeof(out)), -1);
	CHECK_INT(sdiag_dns_reverse_name("1.2.3.256", out, sizeof(out)), -1);
	CHECK_INT(sdiag_dns_reverse_name("2001:db8:::1", out, sizeof(out)), -1);
	/* exactly big enough, and one short */
	CHECK_INT(sdiag_dns_reverse_name("2001:db8::1", out, 73), 0);
	CHECK_INT(sdiag_dns_reverse_name("2001:db8::1", out, 72), -1);
	CHECK_INT(sdiag_dns_reverse_name("192.0.2.10", out, 24), 0);
	CHECK_INT(sdiag_dns_reverse_name("192.0.2.10", out, 23), -1);
}

TEST(type_names)
{
	char b[16];
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_A, b, sizeof(b)), "A");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_AAAA, b, sizeof(b)), "AAAA");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_MX, b, sizeof(b)), "MX");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_TXT, b, sizeof(b)), "TXT");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_TLSA, b, sizeof(b)), "TLSA");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_SPF, b, sizeof(b)), "SPF");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_PTR, b, sizeof(b)), "PTR");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_CNAME, b, sizeof(b)), "CNAME");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_NS, b, sizeof(b)), "NS");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_SOA, b, sizeof(b)), "SOA");
	CHECK_STR(sdiag_dns_type_name(SDIAG_DNS_T_OPT, b, sizeof(b)), "OPT");
	CHECK_STR(sdiag_dns_type_name(65, b, sizeof(b)), "TYPE65");
	CHECK_STR(sdiag_dns_type_name(65535, b, sizeof(b)), "TYPE65535");
	CHECK_STR(sdiag_dns_type_name(0, b, 4), "TYP");
}

/* ---- allocation failures ---- */

TEST(allocation_failures)
{
	sdiag_dns_msg_t m;
	char why[128];
	unsigned long n;
	rich_message();
	/* the arena and the answer array: each failing fails the parse */
	for (n = 1; n <= 2; n++) {
		t_alloc_fail_nth(n);
		CHECK_INT(parse(&W, W.n, &m, why, sizeof(why)), -2);
		CHECK(t_alloc_hit());
		CHECK_CONTAINS(why, "out of memory");
		CHECK(zeroed(&m));
	}
	t_alloc_fail_nth(3);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	CHECK(!t_alloc_hit());
	CHECK_SIZE(t_alloc_count(), 2);
	sdiag_dns_msg_free(&m);
	/* a message without answers (a query, a negative answer) allocates nothing */
	whdr(&W, 1, QR | 3, 1, 0, 0, 0);
	wq(&W, "example", 1);
	t_alloc_fail_from(1);
	REQUIRE(parse(&W, W.n, &m, why, sizeof(why)) == 0);
	CHECK(!t_alloc_hit());
	CHECK_INT(m.rcode, 3);
	sdiag_dns_msg_free(&m);
}

TEST_MAIN("dnsmsg",
	T(every_record_type), T(soa_only_counts_in_authority), T(header_flags), T(opt_extends_the_rcode),
	T(opt_outside_the_additional_section_or_twice_is_ignored), T(compression_backward_pointers),
	T(compression_rejects_forward_self_and_loops), T(compression_pointer_chain_at_the_limit), T(names_up_to_255_octets),
	T(labels_of_63_and_64_octets), T(presentation_escapes_and_case), T(names_too_long_written_out),
	T(every_prefix_of_a_message_fails_cleanly), T(answer_count_limit), T(rdata_that_does_not_fit_its_type), T(txt_without_strings),
	T(rdlength_past_the_end), T(cname_chains), T(cname_question_is_not_followed), T(next_walks_every_match_in_order),
	T(query_exact_bytes), T(query_round_trip), T(query_names_at_the_limits), T(query_invalid_names), T(reverse_names),
	T(type_names), T(allocation_failures))
