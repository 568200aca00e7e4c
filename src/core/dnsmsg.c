/* smtpdiag core: DNS messages, built and parsed here (RFC 1035, 3596, 6698, 6891). */
#include "dnsmsg.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	const unsigned char *p;
	size_t len;
	size_t off;
	char *why;
	size_t whylen;
} rd_t;

static int bad(rd_t *r, const char *what)
{
	if (r->why && r->whylen) {
		snprintf(r->why, r->whylen, "%s at offset %zu", what, r->off);
	}
	return -1;
}

static int u16(rd_t *r, uint16_t *v)
{
	if (r->len - r->off < 2) {
		return bad(r, "message cut short");
	}
	*v = (uint16_t)((r->p[r->off] << 8) | r->p[r->off + 1]);
	r->off += 2;
	return 0;
}

static int u32(rd_t *r, uint32_t *v)
{
	uint16_t hi, lo;
	if (u16(r, &hi) || u16(r, &lo)) {
		return -1;
	}
	*v = ((uint32_t)hi << 16) | lo;
	return 0;
}

/* Append one label to out in presentation form, lower-cased. */
static int put_label(char *out, size_t *o, const unsigned char *l, size_t n)
{
	size_t i;
	if (*o) {
		if (*o + 1 >= SDIAG_DNS_NAME_MAX) {
			return -1;
		}
		out[(*o)++] = '.';
	}
	for (i = 0; i < n; i++) {
		unsigned char c = l[i];
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
		}
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*') {
			if (*o + 1 >= SDIAG_DNS_NAME_MAX) {
				return -1;
			}
			out[(*o)++] = (char)c;
		} else if (c == '.' || c == '\\') {
			if (*o + 2 >= SDIAG_DNS_NAME_MAX) {
				return -1;
			}
			out[(*o)++] = '\\';
			out[(*o)++] = (char)c;
		} else {
			if (*o + 4 >= SDIAG_DNS_NAME_MAX) {
				return -1;
			}
			snprintf(out + *o, 5, "\\%03u", (unsigned)c);
			*o += 4;
		}
	}
	out[*o] = '\0';
	return 0;
}

/* Read a possibly compressed name at r->off; r->off moves past it in the
 * record (not past the pointer target). out NULL only checks and skips the
 * name (records the parser does not keep). RFC 1035 2.3.4: a name is at
 * most 255 octets on the wire, its length octets and the root's included. */
static int name(rd_t *r, char *out)
{
	size_t pos = r->off, o = 0, wire = 1, hops = 0;
	int jumped = 0;
	if (out) {
		out[0] = '\0';
	}
	for (;;) {
		unsigned c;
		if (pos >= r->len) {
			return bad(r, "name runs past the end");
		}
		c = r->p[pos];
		if (c == 0) {
			if (!jumped) {
				r->off = pos + 1;
			}
			return 0;
		}
		if ((c & 0xC0) == 0xC0) {
			size_t target;
			if (pos + 1 >= r->len) {
				return bad(r, "compression pointer cut short");
			}
			target = ((c & 0x3F) << 8) | r->p[pos + 1];
			/* only backwards, so each hop moves to an earlier offset than the
			 * pointer; labels read after it may reach it again, hence the cap */
			if (target >= pos || ++hops > SDIAG_DNS_PTR_MAX) {
				return bad(r, "compression pointer loops or points forward");
			}
			if (!jumped) {
				r->off = pos + 2;
				jumped = 1;
			}
			pos = target;
			continue;
		}
		if (c & 0xC0) {
			return bad(r, "unknown label type");
		}
		if (pos + 1 + c > r->len) {
			return bad(r, "label runs past the end");
		}
		wire += c + 1;
		if (wire > 255) {
			return bad(r, "name longer than 255 octets");
		}
		/* escapes (\DDD) can make a valid name too long for the buffer */
		if (out && put_label(out, &o, r->p + pos + 1, c) != 0) {
			return bad(r, "name longer than 255 characters in presentation form");
		}
		pos += 1 + c;
	}
}

static int name_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

void sdiag_dns_msg_free(sdiag_dns_msg_t *m)
{
	sdiag_free(m->answer);
	sdiag_free(m->arena);
	memset(m, 0, sizeof(*m));
}

/* Copy len bytes into the arena at *used, NUL after. */
static const unsigned char *stash(sdiag_dns_msg_t *m, size_t *used, const unsigned char *p, size_t len)
{
	unsigned char *at = m->arena + *used;
	memcpy(at, p, len);
	at[len] = '\0';
	*used += len + 1;
	return at;
}

static int rdata(rd_t *r, sdiag_dns_msg_t *m, sdiag_dns_rr_t *rr, size_t rdlen, size_t *used)
{
	size_t end = r->off + rdlen;
	const unsigned char *p = r->p + r->off;
	switch (rr->type) {
	case SDIAG_DNS_T_A:
	case SDIAG_DNS_T_AAAA: {
		size_t want = rr->type == SDIAG_DNS_T_A ? 4 : 16;
		if (rdlen != want) {
			return bad(r, "address record of the wrong length");
		}
		memcpy(rr->addr, p, want);
		rr->data = stash(m, used, p, rdlen);
		rr->len = rdlen;
		break;
	}
	case SDIAG_DNS_T_MX:
		if (u16(r, &rr->pref)) {
			return -1;
		}
		/* fall through */
	case SDIAG_DNS_T_CNAME:
	case SDIAG_DNS_T_PTR:
	case SDIAG_DNS_T_NS:
	case SDIAG_DNS_T_SOA:
		if (name(r, rr->target) != 0) {
			return -1;
		}
		if (r->off > end || (rr->type != SDIAG_DNS_T_SOA && r->off != end)) {
			return bad(r, "name does not fill the record");
		}
		rr->data = stash(m, used, p, rdlen);
		rr->len = rdlen;
		break;
	case SDIAG_DNS_T_TXT:
	case SDIAG_DNS_T_SPF: {
		size_t i = 0, n = 0;
		unsigned char *at = m->arena + *used;
		/* RFC 1035 asks for one character-string at least; an empty
		 * RDATA is taken as a record of none (nstrings 0), as resolvers do */
		while (i < rdlen) {
			size_t sl = p[i];
			if (i + 1 + sl > rdlen) {
				return bad(r, "character-string runs past the record");
			}
			memcpy(at + n, p + i + 1, sl);
			n += sl;
			i += 1 + sl;
			rr->nstrings++;
		}
		at[n] = '\0';
		rr->data = at;
		rr->len = n;
		*used += n + 1;
		break;
	}
	case SDIAG_DNS_T_TLSA:
		if (rdlen < 3) {
			return bad(r, "TLSA record shorter than 3 octets");
		}
		rr->tlsa_usage = p[0];
		rr->tlsa_selector = p[1];
		rr->tlsa_mtype = p[2];
		rr->data = stash(m, used, p + 3, rdlen - 3);
		rr->len = rdlen - 3;
		break;
	default:
		rr->data = stash(m, used, p, rdlen);
		rr->len = rdlen;
		break;
	}
	r->off = end;
	return 0;
}

static void chain(sdiag_dns_msg_t *m)
{
	size_t i, hops = 0;
	snprintf(m->canonical, sizeof(m->canonical), "%s", m->qname);
	if (m->qtype == SDIAG_DNS_T_CNAME) {
		return;
	}
	for (;;) {
		const sdiag_dns_rr_t *next = NULL;
		for (i = 0; i < m->nanswer; i++) {
			if (m->answer[i].type == SDIAG_DNS_T_CNAME && name_eq(m->answer[i].owner, m->canonical)) {
				next = &m->answer[i];
				break;
			}
		}
		if (!next) {
			break;
		}
		if (hops >= SDIAG_DNS_CNAME_MAX) {
			m->cname_loop = 1;
			break;
		}
		snprintf(m->canonical, sizeof(m->canonical), "%s", next->target);
		hops++;
	}
	m->cnames = hops;
}

int sdiag_dns_parse(const unsigned char *buf, size_t len, sdiag_dns_msg_t *m, char *why, size_t whylen)
{
	rd_t r;
	uint16_t flags;
	size_t i, used = 0, total;
	int opt = 0;
	memset(m, 0, sizeof(*m));
	if (why && whylen) {
		why[0] = '\0';
	}
	r.p = buf;
	r.len = len;
	r.off = 0;
	r.why = why;
	r.whylen = whylen;
	if (len < 12) {
		bad(&r, "header cut short");
		return -1;
	}
	u16(&r, &m->id);
	u16(&r, &flags);
	u16(&r, &m->qdcount);
	u16(&r, &m->ancount);
	u16(&r, &m->nscount);
	u16(&r, &m->arcount);
	m->qr = (flags >> 15) & 1;
	m->opcode = (uint8_t)((flags >> 11) & 0xF);
	m->aa = (flags >> 10) & 1;
	m->tc = (flags >> 9) & 1;
	m->rd = (flags >> 8) & 1;
	m->ra = (flags >> 7) & 1;
	m->ad = (flags >> 5) & 1;
	m->cd = (flags >> 4) & 1;
	m->rcode = flags & 0xF;
	if (m->ancount > SDIAG_DNS_RR_MAX) {
		bad(&r, "more answer records than the parser keeps");
		goto fail;
	}
	/* Every answer's data is at most its RDATA, which lies in the message:
	 * the message length plus a NUL per answer bounds the arena. */
	/* A message without answers needs no memory (dns.c parses its own
	 * queries that way, a failure then being the name's). */
	if (m->ancount) {
		total = len + (size_t)m->ancount;
		m->arena = sdiag_malloc(total);
		m->answer = sdiag_calloc(m->ancount, sizeof(*m->answer));
		if (!m->arena || !m->answer) {
			bad(&r, "out of memory");
			sdiag_dns_msg_free(m);
			return -2;
		}
	}
	for (i = 0; i < m->qdcount; i++) {
		uint16_t qt, qc;
		if (name(&r, i == 0 ? m->qname : NULL) || u16(&r, &qt) || u16(&r, &qc)) {
			goto fail;
		}
		if (i == 0) {
			m->qtype = qt;
			m->qclass = qc;
		}
	}
	for (i = 0; i < (size_t)m->ancount + m->nscount + m->arcount; i++) {
		sdiag_dns_rr_t tmp, *rr = i < m->ancount ? &m->answer[i] : &tmp;
		uint16_t rdlen;
		size_t owner_at = r.off;
		memset(&tmp, 0, sizeof(tmp));
		/* the owners of authority and additional records are not kept */
		if (name(&r, i < m->ancount ? rr->owner : NULL) || u16(&r, &rr->type) || u16(&r, &rr->cls) || u32(&r, &rr->ttl) ||
			u16(&r, &rdlen)) {
			goto fail;
		}
		if (rdlen > r.len - r.off) {
			bad(&r, "record data runs past the end");
			goto fail;
		}
		if (i < m->ancount) {
			if (rdata(&r, m, rr, rdlen, &used) != 0) {
				goto fail;
			}
			m->nanswer++;
			continue;
		}
		if (rr->type == SDIAG_DNS_T_SOA && i < (size_t)m->ancount + m->nscount) {
			m->has_soa = 1;
		} else if (rr->type == SDIAG_DNS_T_OPT && i >= (size_t)m->ancount + m->nscount && !opt && buf[owner_at] == 0) {
			/* RFC 6891 6.1.1, 6.1.3: the one OPT record (root owner, in the
			 * additional section) extends the rcode with its TTL's top byte */
			opt = 1;
			m->rcode = (uint16_t)(m->rcode | (((rr->ttl >> 24) & 0xFF) << 4));
		}
		r.off += rdlen;
	}
	chain(m);
	return 0;
fail:
	sdiag_dns_msg_free(m);
	return -1;
}

const sdiag_dns_rr_t *sdiag_dns_next(const sdiag_dns_msg_t *m, uint16_t type, size_t *pos)
{
	while (*pos < m->nanswer) {
		const sdiag_dns_rr_t *rr = &m->answer[(*pos)++];
		if (rr->type == type && name_eq(rr->owner, m->canonical)) {
			return rr;
		}
	}
	return NULL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t sdiag_dns_build_query(unsigned char *out, size_t cap, uint16_t id, const char *qname, uint16_t type)
{
	size_t o = 12, n = strlen(qname), i = 0, l = 0, start = 12;
	if (cap < SDIAG_DNS_QUERY_MAX) {
		return 0;
	}
	memset(out, 0, 12);
	out[0] = (unsigned char)(id >> 8);
	out[1] = (unsigned char)id;
	out[2] = 0x01;  /* RD */
	out[3] = 0x20;  /* AD: tell us whether the answer was validated */
	out[5] = 1;     /* one question */
	out[11] = 1;    /* one additional record: OPT */
	/* "." alone is the root; otherwise labels separated by unescaped dots,
	 * one final dot allowed. A label byte may be written \DDD (exactly three
	 * digits, at most 255) or \X for the character X. */
	if (n == 1 && qname[0] == '.') {
		n = 0;
	}
	while (i < n) {
		unsigned char c = (unsigned char)qname[i++];
		if (c == '.') {
			if (l == 0) {
				return 0; /* an empty label: ".a", "a..b" */
			}
			out[start] = (unsigned char)l;
			l = 0;
			continue;
		}
		if (c == '\\') {
			if (i == n) {
				return 0; /* nothing to escape */
			}
			if (is_digit(qname[i])) {
				unsigned v;
				if (i + 2 >= n || !is_digit(qname[i + 1]) || !is_digit(qname[i + 2])) {
					return 0;
				}
				v = (unsigned)((qname[i] - '0') * 100 + (qname[i + 1] - '0') * 10 + (qname[i + 2] - '0'));
				if (v > 255) {
					return 0;
				}
				c = (unsigned char)v;
				i += 3;
			} else {
				c = (unsigned char)qname[i++];
			}
		}
		if (l == 0) {
			start = o++; /* the length octet of a new label */
		}
		/* the name with its length octets and the root's must fit in 255 */
		if (++l > 63 || o + 1 - 12 >= 255) {
			return 0;
		}
		out[o++] = c;
	}
	if (l) {
		out[start] = (unsigned char)l;
	}
	out[o++] = 0;
	out[o++] = (unsigned char)(type >> 8);
	out[o++] = (unsigned char)type;
	out[o++] = 0;
	out[o++] = 1; /* IN */
	/* OPT: root owner, type 41, UDP size 1232, no extended rcode, version 0, no flags */
	out[o++] = 0;
	out[o++] = 0;
	out[o++] = SDIAG_DNS_T_OPT;
	out[o++] = 1232 >> 8;
	out[o++] = 1232 & 0xFF;
	memset(out + o, 0, 6);
	o += 6;
	return o;
}

const char *sdiag_dns_type_name(uint16_t type, char *buf, size_t cap)
{
	static const struct { uint16_t type; const char *name; } names[] = {
		{SDIAG_DNS_T_A, "A"}, {SDIAG_DNS_T_NS, "NS"}, {SDIAG_DNS_T_CNAME, "CNAME"}, {SDIAG_DNS_T_SOA, "SOA"},
		{SDIAG_DNS_T_PTR, "PTR"}, {SDIAG_DNS_T_MX, "MX"}, {SDIAG_DNS_T_TXT, "TXT"}, {SDIAG_DNS_T_AAAA, "AAAA"},
		{SDIAG_DNS_T_OPT, "OPT"}, {SDIAG_DNS_T_TLSA, "TLSA"}, {SDIAG_DNS_T_SPF, "SPF"},
	};
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].type == type) {
			return names[i].name;
		}
	}
	snprintf(buf, cap, "TYPE%u", (unsigned)type);
	return buf;
}

int sdiag_dns_reverse_name(const char *ip, char *out, size_t cap)
{
	unsigned char a[16];
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int i;
	if (inet_pton(AF_INET, ip, a) == 1) {
		return snprintf(out, cap, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2], a[1], a[0]) < (int)cap ? 0 : -1;
	}
	if (inet_pton(AF_INET6, ip, a) != 1 || cap < 16 * 4 + sizeof("ip6.arpa")) {
		return -1;
	}
	for (i = 15; i >= 0; i--) {
		out[o++] = hex[a[i] & 0xF];
		out[o++] = '.';
		out[o++] = hex[a[i] >> 4];
		out[o++] = '.';
	}
	memcpy(out + o, "ip6.arpa", sizeof("ip6.arpa"));
	return 0;
}
