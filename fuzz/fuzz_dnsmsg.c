/*
 * Fuzz target: the DNS message parser and query builder (src/core/dnsmsg.c).
 * The input is parsed as a DNS message; its bytes up to the first NUL are
 * also a name for the query builder.
 */
#include "fuzz_common.h"
#include "dnsmsg.h"

#include <string.h>

/* A name as the parser writes it: NUL-terminated in its buffer, lower
 * case, labels of [-_a-z0-9*], "\." "\\" or \DDD (000-255). */
static void check_name(const char *s)
{
	size_t n = strnlen(s, SDIAG_DNS_NAME_MAX), i;
	FUZZ_ASSERT(n < SDIAG_DNS_NAME_MAX);
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\') {
			FUZZ_ASSERT(i + 1 < n);
			if (s[i + 1] == '.' || s[i + 1] == '\\') {
				i++;
				continue;
			}
			FUZZ_ASSERT(i + 3 < n);
			FUZZ_ASSERT(s[i + 1] >= '0' && s[i + 1] <= '2' && s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9');
			i += 3;
			continue;
		}
		FUZZ_ASSERT((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*' || c == '.');
		/* no empty label */
		if (c == '.') {
			FUZZ_ASSERT(i > 0 && i + 1 < n && s[i + 1] != '.');
		}
	}
}

/* A name the parser wrote builds a query, which parses back to it. */
static void check_rebuild(const char *name)
{
	unsigned char q[SDIAG_DNS_QUERY_MAX];
	sdiag_dns_msg_t m;
	size_t n = sdiag_dns_build_query(q, sizeof(q), 0x55AA, name, SDIAG_DNS_T_TXT);
	FUZZ_ASSERT(n > 12 && n <= SDIAG_DNS_QUERY_MAX);
	FUZZ_ASSERT(sdiag_dns_parse(q, n, &m, NULL, 0) == 0);
	FUZZ_ASSERT(strcmp(m.qname, name) == 0);
	FUZZ_ASSERT(m.qtype == SDIAG_DNS_T_TXT && m.qclass == 1 && m.id == 0x55AA && m.rd && m.ad && !m.qr);
	FUZZ_ASSERT(m.arena == NULL && m.nanswer == 0);
	sdiag_dns_msg_free(&m);
}

static void check_msg(const sdiag_dns_msg_t *m, size_t len)
{
	size_t i, pos, seen;
	const size_t arena_len = len + m->ancount;
	FUZZ_ASSERT(m->nanswer <= m->ancount && m->nanswer <= SDIAG_DNS_RR_MAX);
	FUZZ_ASSERT(m->nanswer == m->ancount);
	FUZZ_ASSERT(m->cnames <= SDIAG_DNS_CNAME_MAX);
	FUZZ_ASSERT(m->rcode <= 0xFFF);
	check_name(m->qname);
	check_name(m->canonical);
	if (m->qdcount) {
		check_rebuild(m->qname);
	} else {
		FUZZ_ASSERT(m->qname[0] == '\0');
	}
	for (i = 0; i < m->nanswer; i++) {
		const sdiag_dns_rr_t *rr = &m->answer[i];
		check_name(rr->owner);
		check_name(rr->target);
		FUZZ_ASSERT(rr->data != NULL);
		FUZZ_ASSERT(rr->data >= m->arena && rr->data + rr->len < m->arena + arena_len);
		FUZZ_ASSERT(rr->data[rr->len] == '\0');
		FUZZ_ASSERT(rr->len <= len);
		if (rr->type == SDIAG_DNS_T_A) {
			FUZZ_ASSERT(rr->len == 4 && memcmp(rr->addr, rr->data, 4) == 0);
		} else if (rr->type == SDIAG_DNS_T_AAAA) {
			FUZZ_ASSERT(rr->len == 16 && memcmp(rr->addr, rr->data, 16) == 0);
		} else if (rr->type == SDIAG_DNS_T_TXT || rr->type == SDIAG_DNS_T_SPF) {
			/* an empty RDATA is a record of no strings (and no text) */
			FUZZ_ASSERT(rr->nstrings >= 1 || rr->len == 0);
		}
	}
	/* the canonical name is the question's or a CNAME target on the chain */
	if (m->cnames == 0) {
		FUZZ_ASSERT(strcmp(m->canonical, m->qname) == 0);
	} else {
		int found = 0;
		for (i = 0; i < m->nanswer; i++) {
			found |= m->answer[i].type == SDIAG_DNS_T_CNAME && strcmp(m->answer[i].target, m->canonical) == 0;
		}
		FUZZ_ASSERT(found);
	}
	/* iteration ends, yields only records of the type owned by the canonical name */
	for (i = 0; i <= m->nanswer; i++) {
		uint16_t type = i < m->nanswer ? m->answer[i].type : SDIAG_DNS_T_A;
		const sdiag_dns_rr_t *rr;
		pos = 0;
		seen = 0;
		while ((rr = sdiag_dns_next(m, type, &pos)) != NULL) {
			FUZZ_ASSERT(rr->type == type && strcmp(rr->owner, m->canonical) == 0);
			FUZZ_ASSERT(++seen <= m->nanswer);
		}
		FUZZ_ASSERT(pos == m->nanswer);
	}
}

/* The length of a wire name (uncompressed, as the builder writes it) in
 * presentation form: 1, 2 ("\." "\\") or 4 (\DDD) characters an octet. */
static size_t presentation_len(const unsigned char *w)
{
	size_t n = 0, i;
	while (*w) {
		size_t l = *w++;
		n += n ? 1 : 0;
		for (i = 0; i < l; i++, w++) {
			unsigned char c = (unsigned char)(*w >= 'A' && *w <= 'Z' ? *w + 32 : *w);
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*') {
				n += 1;
			} else {
				n += c == '.' || c == '\\' ? 2 : 4;
			}
		}
	}
	return n;
}

/* The builder on an arbitrary name: it accepts or refuses, never overruns;
 * what it accepts parses back, and what the parser writes builds the same
 * wire name (case aside). */
static void check_builder(const uint8_t *data, size_t size)
{
	char name[512];
	unsigned char q[SDIAG_DNS_QUERY_MAX], q2[SDIAG_DNS_QUERY_MAX];
	sdiag_dns_msg_t m;
	size_t n, n2, i;
	n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data, n);
	name[n] = '\0';
	n = sdiag_dns_build_query(q, sizeof(q), 1, name, SDIAG_DNS_T_A);
	if (n == 0) {
		return;
	}
	FUZZ_ASSERT(n >= 12 + 1 + 4 + 11 && n <= 12 + 255 + 4 + 11);
	if (sdiag_dns_parse(q, n, &m, NULL, 0) != 0) {
		/* only a name too long once written out with escapes */
		FUZZ_ASSERT(presentation_len(q + 12) >= SDIAG_DNS_NAME_MAX);
		return;
	}
	FUZZ_ASSERT(strlen(m.qname) == presentation_len(q + 12));
	n2 = sdiag_dns_build_query(q2, sizeof(q2), 1, m.qname, SDIAG_DNS_T_A);
	FUZZ_ASSERT(n2 == n);
	for (i = 0; i < n; i++) {
		unsigned char a = q[i], b = q2[i];
		a = (unsigned char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
		b = (unsigned char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
		FUZZ_ASSERT(a == b);
	}
	sdiag_dns_msg_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sdiag_dns_msg_t m;
	char why[128];
	int rc = sdiag_dns_parse(data, size, &m, why, sizeof(why));
	if (rc == 0) {
		check_msg(&m, size);
		sdiag_dns_msg_free(&m);
	} else {
		static const sdiag_dns_msg_t zero;
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(why[0] != '\0' && strnlen(why, sizeof(why)) < sizeof(why));
		FUZZ_ASSERT(memcmp(&m, &zero, sizeof(m)) == 0);
	}
	check_builder(data, size);
	return 0;
}
