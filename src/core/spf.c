/*
 * smtpdiag core: SPF check_host() (RFC 7208), see spf.h.
 *
 * The evaluator is a state machine over a stack of frames, one per record
 * being evaluated (the checked domain, then each include or redirect
 * target). step() makes one transition of the top frame; a transition
 * either moves on at once or starts look-ups and returns, and advance()
 * loops until look-ups are pending or the result is known. Answers may come
 * back inside query() (an in-memory zone, an immediate failure): they are
 * counted as pending before they are asked, and a callback that arrives
 * while advance() is running only records its answer.
 *
 * Every look-up of one step is asked at once and the step goes on when all
 * have answered, so the per-look-up slots are never shared by two steps.
 * The object is reference-counted: each query in flight holds a reference,
 * so sdiag_spf_free() may run while answers are still due.
 *
 * Records are prefetched: when a record arrives and its syntax is valid,
 * the TXT look-ups of its include: and redirect= targets without macros
 * are asked at once, and so on for the records they bring, into a cache
 * of PRE_MAX names (the evaluation's own record fetches go through it
 * too). The evaluation still reaches each term in order and counts it
 * then, from the answer it uses (the cached one, or the one in flight it
 * waits for), so the results, the limits, the chain and the warnings are
 * those of fetching each record when its term is reached; only the
 * number of queries and the time differ: the time of the DNS part is that
 * of the longest chain of dependent look-ups.
 */
#include "spf.h"
#include "classify.h"
#include "compat.h"
#include "dnscheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FRAMES_MAX (SDIAG_SPF_LOOKUP_MAX + 2)
#define CHAIN_MAX (SDIAG_SPF_LOOKUP_MAX + 2)
#define SLOTS_MAX (SDIAG_SPF_NAMES_MAX + 1)
#define PRE_MAX (SDIAG_SPF_LOOKUP_MAX + 6)  /* records fetched or prefetched, at most */
#define WARN_MAX 24
#define NAME_LEN 253                /* longest domain name in text form (RFC 7208 7.3) */
#define RECORD_NEAR_UDP 450         /* a record this long crowds a 512-byte UDP answer */

/* ------------------------------------------------------------------ */
/* Characters                                                          */

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int ci_eq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	return alen == blen && sdiag_strncasecmp(a, b, blen) == 0;
}

/* A term quoted in a message: printable, cut at 60 characters. */
static const char *quote(const char *s, size_t n, char *buf, size_t cap)
{
	size_t i, o = 0;
	for (i = 0; i < n && o + 5 < cap && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
		}
	}
	if (i < n && o + 4 < cap) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Syntax (RFC 7208 4.5, 5, 6, 7.1, 12)                                */

enum { K_ALL = 1, K_INCLUDE, K_A, K_MX, K_PTR, K_IP4, K_IP6, K_EXISTS, K_REDIRECT, K_EXP, K_UNKNOWN };

typedef struct spf_term {
	unsigned char kind;
	char qual;                 /* '+', '-', '~', '?' */
	unsigned char c4, c6;      /* cidr lengths (default 32 / 128) */
	unsigned char net[16];     /* ip4 (4 bytes) / ip6 network */
	size_t off, len;           /* the term as written */
	size_t spec, speclen;      /* domain-spec or modifier value; speclen 0: none */
	size_t name, namelen;      /* an unknown modifier's name */
} spf_term_t;

typedef struct spf_rec {
	spf_term_t *terms;
	size_t n;
	long redirect, exp;        /* term index, or -1 */
	int has_all;
} spf_rec_t;

static const char DELIMS[] = ".-+,/_=";

/* A macro-string (explain: an explain-string, where SP and the c, r, t
 * letters are allowed). *ends_macro: it ends with a macro-expand. */
static int check_macro_string(const char *s, size_t n, int explain, int *ends_macro, char *why, size_t whylen)
{
	size_t i = 0;
	int ends = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			unsigned long v = 0;
			int digits = 0, letter;
			if (i + 1 >= n) {
				sdiag_textf(why, whylen, "a '%%' ends the macro-string");
				return -1;
			}
			c = (unsigned char)s[i + 1];
			if (c == '%' || c == '_' || c == '-') {
				i += 2;
				ends = 1;
				continue;
			}
			if (c != '{') {
				sdiag_textf(why, whylen, "'%%' must be followed by '{', '%%', '_' or '-', not '%c'", c >= 0x20 && c < 0x7f ? c : '?');
				return -1;
			}
			i += 2;
			letter = i < n ? lc((unsigned char)s[i]) : 0;
			if (!letter || !strchr("slodiphcrtv", letter)) {
				sdiag_textf(why, whylen, "unknown macro letter in %%{...}");
				return -1;
			}
			if (!explain && strchr("crt", letter)) {
				sdiag_textf(why, whylen, "the macro letter '%c' is allowed only in explanation text", letter);
				return -1;
			}
			for (i++; i < n && is_digit((unsigned char)s[i]); i++) {
				digits = 1;
				if (v < 100000) {
					v = v * 10 + (unsigned long)(s[i] - '0');
				}
			}
			if (digits && v == 0) {
				sdiag_textf(why, whylen, "a macro's digit transformer must not be zero");
				return -1;
			}
			if (i < n && lc((unsigned char)s[i]) == 'r') {
				i++;
			}
			while (i < n && s[i] && strchr(DELIMS, s[i])) {
				i++;
			}
			if (i >= n || s[i] != '}') {
				sdiag_textf(why, whylen, "a macro is not closed by '}'");
				return -1;
			}
			i++;
			ends = 1;
		} else if ((c >= 0x21 && c <= 0x7e) || (explain && c == ' ')) {
			i++;
			ends = 0;
		} else {
			sdiag_textf(why, whylen, "character 0x%02x is not allowed", c);
			return -1;
		}
	}
	if (ends_macro) {
		*ends_macro = ends;
	}
	return 0;
}

/* toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static int check_toplabel(const char *s, size_t n)
{
	size_t i;
	int alpha = 0, dash = 0;
	if (!n) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_alpha(c)) {
			alpha = 1;
		} else if (c == '-') {
			dash = 1;
		} else if (!is_digit(c)) {
			return -1;
		}
	}
	if (dash) {
		return (is_alnum((unsigned char)s[0]) && is_alnum((unsigned char)s[n - 1])) ? 0 : -1;
	}
	return alpha ? 0 : -1;
}

/* domain-spec = macro-string domain-end;
 * domain-end = ( "." toplabel [ "." ] ) / macro-expand */
static int check_domain_spec(const char *s, size_t n, char *why, size_t whylen)
{
	int ends_macro = 0;
	size_t end, dot;
	char q[80];
	if (!n) {
		sdiag_textf(why, whylen, "empty domain-spec");
		return -1;
	}
	if (check_macro_string(s, n, 0, &ends_macro, why, whylen) < 0) {
		return -1;
	}
	if (ends_macro) {
		return 0;
	}
	end = n;
	if (s[end - 1] == '.') {
		end--;
	}
	for (dot = end; dot > 0 && s[dot - 1] != '.'; dot--) {
	}
	if (dot == 0 || check_toplabel(s + dot, end - dot) < 0) {
		sdiag_textf(why, whylen, "\"%s\" does not end with a valid top-level label", quote(s, n, q, sizeof(q)));
		return -1;
	}
	return 0;
}

/* A cidr length: "0" or a number without leading zeros, at most max. */
static int parse_len(const char *s, size_t n, unsigned max, unsigned char *out)
{
	unsigned v = 0;
	size_t i;
	if (!n || n > 3 || (n > 1 && s[0] == '0')) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i])) {
			return -1;
		}
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max) {
		return -1;
	}
	*out = (unsigned char)v;
	return 0;
}

/* dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ] */
static int parse_dual_cidr(const char *s, size_t n, spf_term_t *t)
{
	size_t i = 0, j;
	if (!n) {
		return 0;
	}
	if (s[0] != '/') {
		return -1;
	}
	if (n >= 2 && s[1] == '/') {
		return parse_len(s + 2, n - 2, 128, &t->c6);
	}
	for (j = 1; j < n && s[j] != '/'; j++) {
	}
	if (parse_len(s + 1, j - 1, 32, &t->c4) < 0) {
		return -1;
	}
	i = j;
	if (i == n) {
		return 0;
	}
	if (n - i < 2 || s[i + 1] != '/') {
		return -1;
	}
	return parse_len(s + i + 2, n - i - 2, 128, &t->c6);
}

/* Where a dual-cidr-length suffix begins ("/24", "//64", "/24//64"), or
 * n when there is none: a domain-spec may itself hold '/' and ':'
 * ("a:foo:bar/baz.example.com"), so only a suffix of digits counts. */
static size_t cidr_start(const char *s, size_t n)
{
	size_t d = n, start;
	while (d > 0 && is_digit((unsigned char)s[d - 1])) {
		d--;
	}
	if (d == n || d == 0 || s[d - 1] != '/') {
		return n;
	}
	start = d - 1;
	if (start > 0 && s[start - 1] == '/') {
		size_t e = --start;
		d = e;
		while (d > 0 && is_digit((unsigned char)s[d - 1])) {
			d--;
		}
		if (d < e && d > 0 && s[d - 1] == '/') {
			start = d - 1;
		}
	}
	return start;
}

static int parse_ip(const char *s, size_t n, int af, unsigned char *out)
{
	char buf[64];
	if (!n || n >= sizeof(buf)) {
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(af, buf, out) == 1 ? 0 : -1;
}

static int parse_term(const char *r, size_t off, size_t len, spf_term_t *t, spf_rec_t *rec, char *why, size_t whylen)
{
	const char *p = r + off;
	size_t i = 0, nl, j;
	char q[80];

	memset(t, 0, sizeof(*t));
	t->off = off;
	t->len = len;
	t->c4 = 32;
	t->c6 = 128;
	t->qual = '+';

	/* modifier = name "=" macro-string; name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
	if (is_alpha((unsigned char)p[0])) {
		for (nl = 1; nl < len && (is_alnum((unsigned char)p[nl]) || p[nl] == '-' || p[nl] == '_' || p[nl] == '.'); nl++) {
		}
		if (nl < len && p[nl] == '=') {
			t->spec = off + nl + 1;
			t->speclen = len - nl - 1;
			t->name = off;
			t->namelen = nl;
			if (ci_eq(p, nl, "redirect") || ci_eq(p, nl, "exp")) {
				int redir = lc((unsigned char)p[0]) == 'r';
				long *slot = redir ? &rec->redirect : &rec->exp;
				t->kind = redir ? K_REDIRECT : K_EXP;
				if (*slot >= 0) {
					sdiag_textf(why, whylen, "the %s= modifier appears more than once", redir ? "redirect" : "exp");
					return -1;
				}
				*slot = (long)rec->n;
				if (check_domain_spec(r + t->spec, t->speclen, why, whylen) < 0) {
					char inner[160];
					sdiag_strlcpy(inner, why ? why : "", sizeof(inner));
					sdiag_textf(why, whylen, "%s: %s", quote(p, len, q, sizeof(q)), inner);
					return -1;
				}
				return 0;
			}
			t->kind = K_UNKNOWN;
			if (check_macro_string(r + t->spec, t->speclen, 0, NULL, why, whylen) < 0) {
				char inner[160];
				sdiag_strlcpy(inner, why ? why : "", sizeof(inner));
				sdiag_textf(why, whylen, "%s: %s", quote(p, len, q, sizeof(q)), inner);
				return -1;
			}
			return 0;
		}
	}

	if (p[0] == '+' || p[0] == '-' || p[0] == '~' || p[0] == '?') {
		t->qual = p[0];
		i = 1;
	}
	for (j = i; j < len && is_alnum((unsigned char)p[j]); j++) {
	}
	if (ci_eq(p + i, j - i, "all")) {
		t->kind = K_ALL;
	} else if (ci_eq(p + i, j - i, "include")) {
		t->kind = K_INCLUDE;
	} else if (ci_eq(p + i, j - i, "a")) {
		t->kind = K_A;
	} else if (ci_eq(p + i, j - i, "mx")) {
		t->kind = K_MX;
	} else if (ci_eq(p + i, j - i, "ptr")) {
		t->kind = K_PTR;
	} else if (ci_eq(p + i, j - i, "ip4")) {
		t->kind = K_IP4;
	} else if (ci_eq(p + i, j - i, "ip6")) {
		t->kind = K_IP6;
	} else if (ci_eq(p + i, j - i, "exists")) {
		t->kind = K_EXISTS;
	} else {
		sdiag_textf(why, whylen, "unknown mechanism \"%s\"", quote(p, len, q, sizeof(q)));
		return -1;
	}
	p += j;
	len -= j;
	off += j;

	switch (t->kind) {
	case K_ALL:
		if (len) {
			break;
		}
		rec->has_all = 1;
		return 0;
	case K_INCLUDE:
	case K_EXISTS:
		if (!len || p[0] != ':') {
			break;
		}
		t->spec = off + 1;
		t->speclen = len - 1;
		if (check_domain_spec(p + 1, len - 1, why, whylen) < 0) {
			goto bad_spec;
		}
		return 0;
	case K_A:
	case K_MX:
	case K_PTR: {
		size_t e = 0;
		if (len && p[0] == ':') {
			e = t->kind == K_PTR ? len : cidr_start(p, len);
			t->spec = off + 1;
			t->speclen = e - 1;
			if (check_domain_spec(p + 1, e - 1, why, whylen) < 0) {
				goto bad_spec;
			}
		}
		if (t->kind == K_PTR ? e != len : parse_dual_cidr(p + e, len - e, t) < 0) {
			break;
		}
		return 0;
	}
	case K_IP4:
	case K_IP6: {
		size_t e;
		int v4 = t->kind == K_IP4;
		if (!len || p[0] != ':') {
			break;
		}
		for (e = 1; e < len && p[e] != '/'; e++) {
		}
		if (parse_ip(p + 1, e - 1, v4 ? AF_INET : AF_INET6, t->net) < 0) {
			sdiag_textf(why, whylen, "\"%s\": not an %s address", quote(r + t->off, t->len, q, sizeof(q)), v4 ? "IPv4" : "IPv6");
			return -1;
		}
		if (e < len && parse_len(p + e + 1, len - e - 1, v4 ? 32 : 128, v4 ? &t->c4 : &t->c6) < 0) {
			break;
		}
		return 0;
	}
	}
	sdiag_textf(why, whylen, "invalid mechanism \"%s\"", quote(r + t->off, t->len, q, sizeof(q)));
	return -1;

bad_spec: {
	char inner[160];
	sdiag_strlcpy(inner, why ? why : "", sizeof(inner));
	sdiag_textf(why, whylen, "%s: %s", quote(r + t->off, t->len, q, sizeof(q)), inner);
	return -1;
}
}

static int is_spf_record(const unsigned char *d, size_t len)
{
	return len >= 6 && sdiag_strncasecmp((const char *)d, "v=spf1", 6) == 0 && (len == 6 || d[6] == ' ');
}

/* Parse a record (which starts with "v=spf1"); terms may be NULL (syntax only). */
static int parse_record(const char *r, size_t len, spf_rec_t *rec, spf_term_t *terms, char *why, size_t whylen)
{
	size_t i = 6;
	spf_term_t scratch;
	rec->n = 0;
	rec->redirect = rec->exp = -1;
	rec->has_all = 0;
	if (!is_spf_record((const unsigned char *)r, len)) {
		sdiag_textf(why, whylen, "the record does not start with \"v=spf1\"");
		return -1;
	}
	while (i < len) {
		size_t j;
		while (i < len && r[i] == ' ') {
			i++;
		}
		if (i >= len) {
			break;
		}
		for (j = i; j < len && r[j] != ' '; j++) {
		}
		if (parse_term(r, i, j - i, terms ? &terms[rec->n] : &scratch, rec, why, whylen) < 0) {
			return -1;
		}
		rec->n++;
		i = j;
	}
	return 0;
}

int sdiag_spf_syntax(const char *rec, size_t len, char *why, size_t whylen)
{
	spf_rec_t r;
	sdiag_textf(why, whylen, "%s", "");
	if (!rec) {
		sdiag_textf(why, whylen, "no record");
		return -1;
	}
	return parse_record(rec, len, &r, NULL, why, whylen);
}

/* ------------------------------------------------------------------ */
/* Macros (RFC 7208 7)                                                 */

typedef struct spf_macros {
	const char *l, *o;          /* sender local-part and domain */
	size_t ll, ol;
	const char *d, *h, *r, *p;
	const char *ip_i, *ip_c, *v;/* NULL when there is no client IP */
} spf_macros_t;

typedef struct spf_out {
	char *out;
	size_t cap, len;
} spf_out_t;

static void put(spf_out_t *o, const char *s, size_t n, int esc)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[3];
		size_t k, m = 1;
		e[0] = (char)c;
		/* URL escaping (RFC 3986 unreserved characters stay) */
		if (esc && !(is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			m = 3;
		}
		for (k = 0; k < m; k++) {
			if (o->len + 1 < o->cap) {
				o->out[o->len] = e[k];
			}
			o->len++;
		}
	}
}

static int is_delim(char c, const char *delims, size_t nd)
{
	return memchr(delims, c, nd) != NULL;
}

/* Split v by the delimiters, keep the rightmost `keep` parts (0: all) after
 * an optional reversal, join with '.'. Linear in the length of v. */
static void transform(spf_out_t *o, const char *v, size_t n, const char *delims, size_t nd, unsigned long keep, int rev, int esc)
{
	size_t parts = 1, i, start, end;
	for (i = 0; i < n; i++) {
		parts += is_delim(v[i], delims, nd);
	}
	if (!keep || keep > parts) {
		keep = parts;
	}
	if (!rev) {
		/* the last `keep` parts, in order */
		unsigned long skip = (unsigned long)parts - keep;
		for (start = 0; skip && start < n; start++) {
			if (is_delim(v[start], delims, nd)) {
				skip--;
			}
		}
		for (i = start; i < n; i++) {
			put(o, is_delim(v[i], delims, nd) ? "." : v + i, 1, esc);
		}
		return;
	}
	/* reversed: the first `keep` parts of v, last one first */
	{
		unsigned long left = keep;
		for (end = 0; end < n; end++) {
			if (is_delim(v[end], delims, nd) && --left == 0) {
				break;
			}
		}
		i = end;
		for (;;) {
			size_t b = i;
			while (b > 0 && !is_delim(v[b - 1], delims, nd)) {
				b--;
			}
			put(o, v + b, i - b, esc);
			if (b == 0) {
				break;
			}
			put(o, ".", 1, esc);
			i = b - 1;
		}
	}
}

static long expand(const spf_macros_t *m, const char *s, size_t n, int explain, char *out, size_t cap)
{
	spf_out_t o;
	size_t i = 0;
	o.out = out;
	o.cap = cap;
	o.len = 0;
	if (check_macro_string(s, n, explain, NULL, NULL, 0) < 0) {
		return -1;
	}
	while (i < n) {
		char c = s[i];
		if (c != '%') {
			put(&o, s + i, 1, 0);
			i++;
			continue;
		}
		c = s[i + 1];
		if (c == '%') {
			put(&o, "%", 1, 0);
			i += 2;
		} else if (c == '_') {
			put(&o, " ", 1, 0);
			i += 2;
		} else if (c == '-') {
			put(&o, "%20", 3, 0);
			i += 2;
		} else {
			char letter = s[i + 2], tbuf[24];
			int esc = letter >= 'A' && letter <= 'Z', rev = 0;
			unsigned long keep = 0;
			const char *v = "", *delims;
			size_t vl, nd;
			char *tmp = NULL;
			i += 3;
			while (is_digit((unsigned char)s[i])) {
				if (keep < 100000) {
					keep = keep * 10 + (unsigned long)(s[i] - '0');
				}
				i++;
			}
			if (lc((unsigned char)s[i]) == 'r') {
				rev = 1;
				i++;
			}
			delims = s + i;
			while (s[i] != '}') {
				i++;
			}
			nd = (size_t)(s + i - delims);
			i++;
			if (!nd) {
				delims = ".";
				nd = 1;
			}
			switch (lc((unsigned char)letter)) {
			case 's':
				/* local-part "@" domain, built in place */
				vl = m->ll + 1 + m->ol;
				tmp = sdiag_malloc(vl + 1);
				if (!tmp) {
					return -1;
				}
				memcpy(tmp, m->l, m->ll);
				tmp[m->ll] = '@';
				memcpy(tmp + m->ll + 1, m->o, m->ol);
				v = tmp;
				break;
			case 'l':
				v = m->l;
				vl = m->ll;
				break;
			case 'o':
				v = m->o;
				vl = m->ol;
				break;
			case 'd':
				v = m->d;
				vl = strlen(v);
				break;
			case 'i':
				v = m->ip_i ? m->ip_i : "";
				vl = strlen(v);
				break;
			case 'c':
				v = m->ip_c ? m->ip_c : "";
				vl = strlen(v);
				break;
			case 'v':
				v = m->v ? m->v : "";
				vl = strlen(v);
				break;
			case 'p':
				v = m->p ? m->p : "unknown";
				vl = strlen(v);
				break;
			case 'h':
				v = m->h;
				vl = strlen(v);
				break;
			case 'r':
				v = m->r;
				vl = strlen(v);
				break;
			default: /* 't' */
				snprintf(tbuf, sizeof(tbuf), "%lld", (long long)time(NULL));
				v = tbuf;
				vl = strlen(v);
				break;
			}
			transform(&o, v, vl, delims, nd, keep, rev, esc);
			sdiag_free(tmp);
		}
	}
	if (cap) {
		out[o.len < cap ? o.len : cap - 1] = '\0';
	}
	return (long)o.len;
}

/* The sender split as RFC 7208 4.3 and 2.4 say: no local-part ->
 * "postmaster"; no sender -> postmaster@<helo>. */
static void sender_parts(spf_macros_t *m, const char *sender, const char *helo)
{
	const char *at = sender ? strrchr(sender, '@') : NULL;
	m->l = "postmaster";
	m->ll = strlen(m->l);
	if (!sender || !*sender) {
		m->o = helo;
		m->ol = strlen(helo);
		return;
	}
	if (!at) {
		m->o = sender;
		m->ol = strlen(sender);
		return;
	}
	if (at > sender) {
		m->l = sender;
		m->ll = (size_t)(at - sender);
	}
	m->o = at + 1;
	m->ol = strlen(at + 1);
}

typedef struct spf_ip {
	int has, v4;
	unsigned char addr[16];     /* v4: the first 4 bytes */
	char c[64];                 /* %{c}: text form */
	char i[80];                 /* %{i}: dotted, or dot-separated nibbles for IPv6, in the
	                               case the address was written in ("CAFE::1" gives "C.A.F.E...",
	                               as the conformance suite's v-macro-ip6 expects; RFC 7208 7.4
	                               shows lower case for an address written so) */
} spf_ip_t;

/* An IPv4-mapped IPv6 address is taken as the IPv4 address it maps. */
static int ip_parse(spf_ip_t *ip, const char *text)
{
	const char *hex = "0123456789abcdef";
	memset(ip, 0, sizeof(*ip));
	if (!text) {
		return 0;
	}
	if (inet_pton(AF_INET, text, ip->addr) == 1) {
		ip->v4 = 1;
	} else if (inet_pton(AF_INET6, text, ip->addr) == 1) {
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(ip->addr, mapped, 12) == 0) {
			memmove(ip->addr, ip->addr + 12, 4);
			memset(ip->addr + 4, 0, 12);
			ip->v4 = 1;
		}
	} else {
		return -1;
	}
	ip->has = 1;
	if (ip->v4) {
		snprintf(ip->c, sizeof(ip->c), "%u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]);
		memcpy(ip->i, ip->c, sizeof(ip->c));
	} else {
		size_t k, o = 0;
		if (strpbrk(text, "ABCDEF")) {
			hex = "0123456789ABCDEF";
		}
		inet_ntop(AF_INET6, ip->addr, ip->c, sizeof(ip->c));
		for (k = 0; k < 16; k++) {
			ip->i[o++] = hex[ip->addr[k] >> 4];
			ip->i[o++] = '.';
			ip->i[o++] = hex[ip->addr[k] & 15];
			ip->i[o++] = k < 15 ? '.' : '\0';
		}
	}
	return 0;
}

static void macros_ip(spf_macros_t *m, const spf_ip_t *ip)
{
	m->ip_i = ip->has ? ip->i : NULL;
	m->ip_c = ip->has ? ip->c : NULL;
	m->v = ip->has ? (ip->v4 ? "in-addr" : "ip6") : NULL;
}

long sdiag_spf_expand(const sdiag_spf_req_t *req, const char *domain, const char *ptrname, const char *str, size_t len,
	int exp, char *out, size_t cap)
{
	spf_macros_t m;
	spf_ip_t ip;
	if (!req || !str || ip_parse(&ip, req->ip) < 0) {
		return -1;
	}
	memset(&m, 0, sizeof(m));
	sender_parts(&m, req->sender, req->helo ? req->helo : "");
	m.d = domain ? domain : "";
	m.h = req->helo ? req->helo : "";
	m.r = req->receiver ? req->receiver : "unknown";
	m.p = ptrname;
	macros_ip(&m, &ip);
	return expand(&m, str, len, exp, out, cap);
}

/* ------------------------------------------------------------------ */
/* Domain names                                                        */

/* RFC 7208 4.3: a multi-label name, labels of 1 to 63 octets, no more
 * than 253 in all (a final dot allowed); domain literals and other
 * non-name characters are refused. */
static int domain_ok(const char *d)
{
	size_t n = strlen(d), i, label = 0, labels = 0;
	if (n && d[n - 1] == '.') {
		n--;
	}
	if (!n || n > NAME_LEN) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == '.') {
			if (!label) {
				return 0;
			}
			labels++;
			label = 0;
			continue;
		}
		if (c <= 0x20 || c >= 0x7f || strchr("[]@\\\"();:<>", c) || ++label > 63) {
			return 0;
		}
	}
	return label && labels >= 1;
}

/* An expanded domain-spec as a query name: a final dot dropped, labels
 * removed from the left until it fits 253 octets (RFC 7208 7.3). */
static void name_fit(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);
	const char *p = in;
	if (n && in[n - 1] == '.') {
		n--;
	}
	while (n > NAME_LEN) {
		const char *dot = memchr(p, '.', n);
		if (!dot) {
			break;
		}
		n -= (size_t)(dot + 1 - p);
		p = dot + 1;
	}
	if (n >= cap) {
		n = cap - 1;
	}
	memcpy(out, p, n);
	out[n] = '\0';
}

static int name_eq(const char *a, const char *b)
{
	return sdiag_strcasecmp(a, b) == 0;
}

/* a is b or a name under b */
static int name_under(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la == lb) {
		return name_eq(a, b);
	}
	return lb && la > lb && a[la - lb - 1] == '.' && name_eq(a + la - lb, b);
}

/* ------------------------------------------------------------------ */
/* The evaluator                                                       */

enum { VIA_CHECK_HOST = 0, VIA_INCLUDE, VIA_REDIRECT };
static const char *const via_names[] = {"check_host", "include", "redirect"};

enum { FS_FETCH, FS_FETCH_WAIT, FS_TERMS, FS_TERM_WAIT, FS_CHILD, FS_EXP, FS_EXP_WAIT, FS_EXP_TEXT, FS_DONE };
enum { OP_NONE, OP_RECORD, OP_EXP_TXT, OP_ADDR, OP_MX, OP_PTR };
enum { P_NONE, P_PTR, P_ADDR, P_DONE };

typedef struct spf_frame {
	char domain[SDIAG_DNS_NAME_MAX];
	int via, top, state, phase;
	char *rec;
	size_t reclen;
	spf_rec_t p;
	size_t ti;
	long match;                /* the term that matched, or -1 */
	sdiag_spf_result_t result;
	size_t chain;              /* its entry in s->chain */
	char *exp_text;
} spf_frame_t;

typedef struct spf_link {
	char domain[SDIAG_DNS_NAME_MAX];
	int via, done;
	int depth;                 /* 0: the domain check_host() started with */
	char *record;
	sdiag_spf_result_t result;
} spf_link_t;

typedef struct spf_slot {
	struct sdiag_spf *s;
	size_t idx;
} spf_slot_t;

enum { PRE_ASKED = 1, PRE_DONE };

/* One TXT look-up of a record, kept as record_answer() keeps it. */
typedef struct spf_pre {
	struct sdiag_spf *s;
	char name[SDIAG_DNS_NAME_MAX]; /* lower case */
	int state;
	int waited;                    /* the evaluation waits for it (counted in pending) */
	int expanded;                  /* its targets were prefetched */
	int oom;                       /* the record could not be kept */
	sdiag_dns_status_t st;
	size_t nrecords;
	char *txt;                     /* the first SPF record */
	size_t txtlen;
} spf_pre_t;

struct sdiag_spf {
	sdiag_dns_ops_t ops;
	sdiag_spf_cb cb;
	void *ud;
	int refs, pending, running, finished, freed, notified, oom, walk;

	char *sender, *helo, *receiver;
	spf_ip_t ip;
	spf_macros_t m;            /* l, o, h, r and the IP forms; d and p set per use */

	spf_frame_t frames[FRAMES_MAX];
	size_t depth;

	/* the look-ups of the current step */
	int op;
	unsigned char want_c4, want_c6;
	spf_slot_t slots[SLOTS_MAX];
	sdiag_dns_status_t st[SLOTS_MAX];
	int found[SLOTS_MAX], hit[SLOTS_MAX];
	char names[SDIAG_SPF_NAMES_MAX][SDIAG_DNS_NAME_MAX];
	size_t nnames, nrecords;
	char *txt;                 /* OP_RECORD / OP_EXP_TXT: the record kept */
	size_t txtlen;

	/* records fetched and prefetched */
	spf_pre_t pre[PRE_MAX];
	size_t npre;
	int pumping;

	/* %{p} and ptr: the names of the client IP that resolve back to it */
	int pstate;
	char pnames[SDIAG_SPF_NAMES_MAX][SDIAG_DNS_NAME_MAX];
	int pvalid[SDIAG_SPF_NAMES_MAX];
	size_t npnames;

	sdiag_spf_result_t result;
	int lookups, voids;
	char problem[512];
	char *explanation;
	char matched[256], matched_domain[SDIAG_DNS_NAME_MAX];
	int has_match;
	spf_link_t chain[CHAIN_MAX];
	size_t nchain;
	char warnings[WARN_MAX][200];
	size_t nwarnings;
};

static void step(sdiag_spf_t *s);

const char *sdiag_spf_result_name(sdiag_spf_result_t r)
{
	static const char *const names[] = {"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"};
	return ((unsigned)r < sizeof(names) / sizeof(names[0])) ? names[r] : "?";
}

static void problem(sdiag_spf_t *s, int force, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void problem(sdiag_spf_t *s, int force, const char *fmt, ...)
{
	va_list ap;
	if (s->problem[0] && !force) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s->problem, sizeof(s->problem), fmt, ap);
	va_end(ap);
}

static void warn(sdiag_spf_t *s, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void warn(sdiag_spf_t *s, const char *fmt, ...)
{
	va_list ap;
	char w[200];
	size_t i;
	va_start(ap, fmt);
	vsnprintf(w, sizeof(w), fmt, ap);
	va_end(ap);
	for (i = 0; i < s->nwarnings; i++) {
		if (strcmp(s->warnings[i], w) == 0) {
			return;
		}
	}
	if (s->nwarnings < WARN_MAX) {
		memcpy(s->warnings[s->nwarnings++], w, sizeof(w));
	}
}

static void destroy(sdiag_spf_t *s)
{
	size_t i;
	for (i = 0; i < s->depth; i++) {
		sdiag_free(s->frames[i].rec);
		sdiag_free(s->frames[i].p.terms);
		sdiag_free(s->frames[i].exp_text);
	}
	for (i = 0; i < s->nchain; i++) {
		sdiag_free(s->chain[i].record);
	}
	for (i = 0; i < s->npre; i++) {
		sdiag_free(s->pre[i].txt);
	}
	sdiag_free(s->txt);
	sdiag_free(s->explanation);
	sdiag_free(s->sender);
	sdiag_free(s->helo);
	sdiag_free(s->receiver);
	sdiag_free(s);
}

/* Drop a reference; 1 when the object is gone. */
static int release(sdiag_spf_t *s)
{
	if (--s->refs == 0) {
		destroy(s);
		return 1;
	}
	return 0;
}

static void finish(sdiag_spf_t *s, sdiag_spf_result_t r)
{
	s->result = r;
	s->finished = 1;
	if (r == SDIAG_SPF_FAIL && !s->explanation) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s is not allowed to send mail for %s", s->ip.has ? s->ip.c : "this host",
			s->frames[0].domain);
		s->explanation = sdiag_strdup(buf);
	}
	if (s->lookups >= SDIAG_SPF_LOOKUP_MAX - 1 && s->lookups <= SDIAG_SPF_LOOKUP_MAX) {
		warn(s, "%d DNS look-ups of the %d allowed: one more include or a/mx/ptr/exists term breaks SPF (permerror)",
			s->lookups, SDIAG_SPF_LOOKUP_MAX);
	}
	if (s->voids > 0 && r != SDIAG_SPF_PERMERROR) {
		warn(s, "%d look-up%s found no records (void look-ups; more than %d is a permerror)", s->voids,
			s->voids == 1 ? "" : "s", SDIAG_SPF_VOID_MAX);
	}
}

static void advance(sdiag_spf_t *s)
{
	s->refs++;
	s->running = 1;
	while (!s->finished && !s->freed && s->pending == 0) {
		step(s);
	}
	s->running = 0;
	if (s->finished && !s->notified && !s->freed) {
		s->notified = 1;
		s->cb(s->ud, s);
	}
	release(s);
}

/* ---- look-ups ---- */

static int cidr_match(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	if (memcmp(a, b, full) != 0) {
		return 0;
	}
	if (rest) {
		unsigned char mask = (unsigned char)(0xFF << (8 - rest));
		return (a[full] & mask) == (b[full] & mask);
	}
	return 1;
}

/* Keep what the step needs from an answer, valid during the callback only. */
static void record_answer(sdiag_spf_t *s, size_t idx, const sdiag_dns_result_t *res)
{
	const sdiag_dns_rr_t *rr;
	size_t pos = 0;
	s->st[idx] = res->status;
	if (res->status != SDIAG_DNS_OK || !res->msg) {
		return;
	}
	switch (s->op) {
	case OP_RECORD:
	case OP_EXP_TXT:
		while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
			if (s->op == OP_RECORD && !is_spf_record(rr->data, rr->len)) {
				continue;
			}
			if (++s->nrecords == 1) {
				s->txt = sdiag_malloc(rr->len + 1);
				if (!s->txt) {
					s->oom = 1;
					return;
				}
				memcpy(s->txt, rr->data, rr->len);
				s->txt[rr->len] = '\0';
				s->txtlen = rr->len;
			}
		}
		break;
	case OP_ADDR: {
		int v4 = res->type == SDIAG_DNS_T_A;
		while ((rr = sdiag_dns_next(res->msg, res->type, &pos)) != NULL) {
			s->found[idx]++;
			if (s->ip.has && s->ip.v4 == v4 && cidr_match(rr->addr, s->ip.addr, v4 ? s->want_c4 : s->want_c6)) {
				s->hit[idx] = 1;
			}
		}
		break;
	}
	case OP_MX:
	case OP_PTR:
		while ((rr = sdiag_dns_next(res->msg, s->op == OP_MX ? SDIAG_DNS_T_MX : SDIAG_DNS_T_PTR, &pos)) != NULL) {
			s->found[idx]++;
			/* a null MX (RFC 7505, the root as exchange) names no host */
			if (rr->target[0] && s->nnames < SDIAG_SPF_NAMES_MAX) {
				sdiag_strlcpy(s->names[s->nnames++], rr->target, SDIAG_DNS_NAME_MAX);
			}
		}
		break;
	}
}

static void on_answer(void *ud, const sdiag_dns_result_t *res)
{
	spf_slot_t *slot = ud;
	sdiag_spf_t *s = slot->s;
	if (!s->freed && !s->finished) {
		record_answer(s, slot->idx, res);
	}
	s->pending--;
	if (release(s)) {
		return;
	}
	if (!s->running && s->pending == 0) {
		advance(s);
	}
}

/* A new step's look-ups: the slots are cleared (not the names, which an
 * MX step's second half reads). */
static void begin(sdiag_spf_t *s, int op)
{
	s->op = op;
	memset(s->st, 0, sizeof(s->st));
	memset(s->found, 0, sizeof(s->found));
	memset(s->hit, 0, sizeof(s->hit));
	s->nrecords = 0;
	sdiag_free(s->txt);
	s->txt = NULL;
	s->txtlen = 0;
}

/* Counted as pending before it is asked: the answer may come inside query(). */
static void ask(sdiag_spf_t *s, size_t idx, const char *name, uint16_t type)
{
	s->pending++;
	s->refs++;
	s->slots[idx].s = s;
	s->slots[idx].idx = idx;
	s->ops.query(s->ops.ctx, name, type, on_answer, &s->slots[idx]);
}

/* 0: records came; 1: void (no such name, or no records of the type);
 * 2: the look-up failed */
static int outcome(const sdiag_spf_t *s, size_t idx)
{
	switch (s->st[idx]) {
	case SDIAG_DNS_OK:
		return s->found[idx] ? 0 : 1;
	case SDIAG_DNS_NODATA:
	case SDIAG_DNS_NXDOMAIN:
	case SDIAG_DNS_BADNAME:
		return 1;
	default:
		return 2;
	}
}

/* ---- frames ---- */

static sdiag_spf_result_t qual_result(char q)
{
	switch (q) {
	case '-':
		return SDIAG_SPF_FAIL;
	case '~':
		return SDIAG_SPF_SOFTFAIL;
	case '?':
		return SDIAG_SPF_NEUTRAL;
	default:
		return SDIAG_SPF_PASS;
	}
}

/* A frame has its result; a fail decided by its own mechanism in a record
 * whose result is check_host()'s gets its exp= explanation first. */
static void frame_end(sdiag_spf_t *s, spf_frame_t *f, sdiag_spf_result_t r)
{
	f->result = r;
	f->state = (r == SDIAG_SPF_FAIL && f->top && f->match >= 0 && f->p.exp >= 0 && !s->walk) ? FS_EXP : FS_DONE;
}

static void push(sdiag_spf_t *s, spf_frame_t *parent, const char *domain, int via)
{
	spf_frame_t *f;
	spf_link_t *link;
	if (s->depth >= FRAMES_MAX || s->nchain >= CHAIN_MAX) {
		/* the look-up limit stops the nesting first; this only guards the arrays */
		problem(s, 0, "records nested too deep at %s", domain);
		frame_end(s, parent, SDIAG_SPF_PERMERROR);
		return;
	}
	f = &s->frames[s->depth++];
	memset(f, 0, sizeof(*f));
	sdiag_strlcpy(f->domain, domain, sizeof(f->domain));
	f->via = via;
	f->top = via == VIA_CHECK_HOST || (via == VIA_REDIRECT && parent->top);
	f->state = FS_FETCH;
	f->match = -1;
	f->p.redirect = f->p.exp = -1;
	f->chain = s->nchain++;
	link = &s->chain[f->chain];
	sdiag_strlcpy(link->domain, domain, sizeof(link->domain));
	link->via = via;
	link->depth = (int)s->depth - 1;
	if (parent) {
		parent->state = FS_CHILD;
	}
}

static void term_text(const spf_frame_t *f, const spf_term_t *t, char *out, size_t cap)
{
	size_t n = t->len < cap - 1 ? t->len : cap - 1;
	memcpy(out, f->rec + t->off, n);
	out[n] = '\0';
}

/* The top frame is over: hand its result to the frame that asked for it. */
static void pop(sdiag_spf_t *s)
{
	spf_frame_t *f = &s->frames[s->depth - 1], *parent;
	sdiag_spf_result_t r = f->result;
	int via = f->via;
	char dom[SDIAG_DNS_NAME_MAX], detail[sizeof(s->problem)];

	s->chain[f->chain].done = 1;
	s->chain[f->chain].result = r;
	if (f->top && f->match >= 0) {
		term_text(f, &f->p.terms[f->match], s->matched, sizeof(s->matched));
		sdiag_strlcpy(s->matched_domain, f->domain, sizeof(s->matched_domain));
		s->has_match = 1;
	}
	if (s->depth == 1) {
		finish(s, r);
		return;
	}
	memcpy(dom, f->domain, sizeof(dom));
	sdiag_free(f->rec);
	sdiag_free(f->p.terms);
	sdiag_free(f->exp_text);
	f->rec = NULL;
	f->p.terms = NULL;
	f->exp_text = NULL;
	s->depth--;
	parent = &s->frames[s->depth - 1];
	memcpy(detail, s->problem, sizeof(detail));
	if (via == VIA_INCLUDE) {
		switch (r) {
		case SDIAG_SPF_PASS:
			parent->match = (long)parent->ti;
			frame_end(s, parent, qual_result(parent->p.terms[parent->ti].qual));
			return;
		case SDIAG_SPF_FAIL:
		case SDIAG_SPF_SOFTFAIL:
		case SDIAG_SPF_NEUTRAL:
			parent->ti++;
			parent->state = FS_TERMS;
			return;
		case SDIAG_SPF_NONE:
			/* RFC 7208 5.2: an include target without a record is a permerror */
			problem(s, 1, "include:%s: %s", dom, detail[0] ? detail : "no SPF record");
			frame_end(s, parent, SDIAG_SPF_PERMERROR);
			return;
		default:
			frame_end(s, parent, r);
			return;
		}
	}
	/* redirect: the target's result is this record's (RFC 7208 6.1) */
	if (r == SDIAG_SPF_NONE) {
		problem(s, 1, "redirect=%s: %s", dom, detail[0] ? detail : "no SPF record");
		r = SDIAG_SPF_PERMERROR;
	}
	parent->result = r;
	parent->state = FS_DONE;
}

static int macro_uses(const char *s, size_t n, const char *letters)
{
	size_t i;
	for (i = 0; i + 2 < n; i++) {
		if (s[i] == '%') {
			if (s[i + 1] == '{' && strchr(letters, lc((unsigned char)s[i + 2]))) {
				return 1;
			}
			i++;
		}
	}
	return 0;
}

/* %{p}: the validated name that is the domain, else one under it, else any */
static const char *choose_p(const sdiag_spf_t *s, const char *domain)
{
	size_t i;
	for (i = 0; i < s->npnames; i++) {
		if (s->pvalid[i] && name_eq(s->pnames[i], domain)) {
			return s->pnames[i];
		}
	}
	for (i = 0; i < s->npnames; i++) {
		if (s->pvalid[i] && name_under(s->pnames[i], domain)) {
			return s->pnames[i];
		}
	}
	for (i = 0; i < s->npnames; i++) {
		if (s->pvalid[i]) {
			return s->pnames[i];
		}
	}
	return NULL;
}

/* Expand a macro-string for frame f; the result is allocated (NULL: out of memory). */
static char *expand_alloc(sdiag_spf_t *s, const spf_frame_t *f, const char *str, size_t len, int explain)
{
	char small[512], *big;
	long n;
	s->m.d = f->domain;
	s->m.p = choose_p(s, f->domain);
	n = expand(&s->m, str, len, explain, small, sizeof(small));
	if (n < 0) {
		s->oom = 1;
		return NULL;
	}
	if ((size_t)n < sizeof(small)) {
		big = sdiag_strdup(small);
	} else {
		big = sdiag_malloc((size_t)n + 1);
		if (big && expand(&s->m, str, len, explain, big, (size_t)n + 1) < 0) {
			sdiag_free(big);
			big = NULL;
		}
	}
	if (!big) {
		s->oom = 1;
	}
	return big;
}

/* A term's target name: its domain-spec expanded and fitted, or <domain>. */
static int target(sdiag_spf_t *s, const spf_frame_t *f, const spf_term_t *t, char *out, size_t cap)
{
	char *x;
	if (!t->speclen) {
		sdiag_strlcpy(out, f->domain, cap);
		return 0;
	}
	x = expand_alloc(s, f, f->rec + t->spec, t->speclen, 0);
	if (!x) {
		return -1;
	}
	name_fit(x, out, cap);
	sdiag_free(x);
	return 0;
}

/* ---- %{p} and ptr: PTR names of the client IP that resolve back to it ---- */

static void p_start(sdiag_spf_t *s)
{
	char rev[SDIAG_DNS_NAME_MAX];
	s->npnames = 0;
	if (sdiag_dns_reverse_name(s->ip.c, rev, sizeof(rev)) < 0) {
		s->pstate = P_DONE;
		return;
	}
	begin(s, OP_PTR);
	s->nnames = 0;
	s->pstate = P_PTR;
	ask(s, 0, rev, SDIAG_DNS_T_PTR);
}

static void p_next(sdiag_spf_t *s)
{
	size_t i;
	if (s->pstate == P_PTR) {
		/* a failed PTR look-up means no names (RFC 7208 5.5) */
		if (s->st[0] != SDIAG_DNS_OK || !s->nnames) {
			s->pstate = P_DONE;
			return;
		}
		s->npnames = s->nnames;
		memcpy(s->pnames, s->names, sizeof(s->pnames));
		begin(s, OP_ADDR);
		s->want_c4 = 32;
		s->want_c6 = 128;
		s->pstate = P_ADDR;
		/* every name at once; one whose look-up fails is skipped */
		for (i = 0; i < s->npnames; i++) {
			ask(s, i, s->pnames[i], s->ip.v4 ? SDIAG_DNS_T_A : SDIAG_DNS_T_AAAA);
		}
		return;
	}
	for (i = 0; i < s->npnames; i++) {
		s->pvalid[i] = s->hit[i];
	}
	s->pstate = P_DONE;
}


/* ---- records fetched ahead (see the top of the file) ---- */

static void pre_answer(void *ud, const sdiag_dns_result_t *res);

static spf_pre_t *pre_find(sdiag_spf_t *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->npre; i++) {
		if (name_eq(s->pre[i].name, name)) {
			return &s->pre[i];
		}
	}
	return NULL;
}

/* Ask for name's TXT records into a new cache entry; NULL when the cache
 * is full. waited: the current step waits for the answer. */
static spf_pre_t *pre_ask(sdiag_spf_t *s, const char *name, int waited)
{
	spf_pre_t *e;
	size_t i;
	if (s->npre >= PRE_MAX) {
		return NULL;
	}
	e = &s->pre[s->npre++];
	memset(e, 0, sizeof(*e));
	e->s = s;
	for (i = 0; name[i] && i + 1 < sizeof(e->name); i++) {
		e->name[i] = (char)lc((unsigned char)name[i]);
	}
	e->name[i] = '\0';
	e->state = PRE_ASKED;
	e->waited = waited;
	if (waited) {
		s->pending++;
	}
	s->refs++;
	s->ops.query(s->ops.ctx, name, SDIAG_DNS_T_TXT, pre_answer, e);
	return e;
}

/* What record_answer() keeps of a record's look-up, kept beyond the callback. */
static void pre_keep(spf_pre_t *e, const sdiag_dns_result_t *res)
{
	const sdiag_dns_rr_t *rr;
	size_t pos = 0;
	e->st = res->status;
	if (res->status != SDIAG_DNS_OK || !res->msg) {
		return;
	}
	while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_TXT, &pos)) != NULL) {
		if (!is_spf_record(rr->data, rr->len)) {
			continue;
		}
		if (++e->nrecords == 1) {
			e->txt = sdiag_malloc(rr->len + 1);
			if (!e->txt) {
				e->oom = 1;
				return;
			}
			memcpy(e->txt, rr->data, rr->len);
			e->txt[rr->len] = '\0';
			e->txtlen = rr->len;
		}
	}
}

/* The current OP_RECORD step's answer from the cache, as record_answer()
 * would have left it. */
static void pre_use(sdiag_spf_t *s, const spf_pre_t *e)
{
	s->st[0] = e->st;
	s->nrecords = e->nrecords;
	if (e->oom) {
		s->oom = 1;
		return;
	}
	if (e->txt) {
		s->txt = sdiag_malloc(e->txtlen + 1);
		if (!s->txt) {
			s->oom = 1;
			return;
		}
		memcpy(s->txt, e->txt, e->txtlen + 1);
		s->txtlen = e->txtlen;
	}
}

/* Prefetch the include: and redirect= targets of a cached record that
 * got_record() would accept; those with macros depend on the evaluation
 * and wait for it. Nothing is asked when an allocation fails. */
static void pre_expand(sdiag_spf_t *s, const spf_pre_t *e)
{
	spf_rec_t p;
	spf_term_t *terms;
	char name[SDIAG_DNS_NAME_MAX];
	size_t i, n = 1;
	if (e->oom || e->nrecords != 1 || !e->txt) {
		return;
	}
	for (i = 0; i < e->txtlen; i++) {
		n += e->txt[i] == ' ';
	}
	terms = sdiag_calloc(n, sizeof(spf_term_t));
	if (!terms) {
		return;
	}
	if (parse_record(e->txt, e->txtlen, &p, terms, NULL, 0) == 0) {
		for (i = 0; i < p.n && s->npre < PRE_MAX; i++) {
			const spf_term_t *t = &terms[i];
			char *spec;
			if ((t->kind != K_INCLUDE && t->kind != K_REDIRECT) || !t->speclen ||
				memchr(e->txt + t->spec, '%', t->speclen)) {
				continue;
			}
			/* the name target() gives: no macro, so the spec fitted */
			spec = sdiag_strndup(e->txt + t->spec, t->speclen);
			if (!spec) {
				break;
			}
			name_fit(spec, name, sizeof(name));
			sdiag_free(spec);
			if (domain_ok(name) && !pre_find(s, name)) {
				pre_ask(s, name, 0);
			}
		}
	}
	sdiag_free(terms);
}

/* Prefetch from every record that came and was not looked at yet; answers
 * that come while this runs are taken by the same loop. */
static void pre_pump(sdiag_spf_t *s)
{
	size_t i;
	int again = 1;
	if (s->pumping) {
		return;
	}
	s->pumping = 1;
	while (again && !s->freed && !s->finished) {
		again = 0;
		for (i = 0; i < s->npre && !s->freed && !s->finished; i++) {
			if (s->pre[i].state == PRE_DONE && !s->pre[i].expanded) {
				s->pre[i].expanded = 1;
				pre_expand(s, &s->pre[i]);
				again = 1;
			}
		}
	}
	s->pumping = 0;
}

static void pre_answer(void *ud, const sdiag_dns_result_t *res)
{
	spf_pre_t *e = ud;
	sdiag_spf_t *s = e->s;
	int live = !s->freed && !s->finished, waited = e->waited;
	e->state = PRE_DONE;
	if (live) {
		pre_keep(e, res);
	}
	if (waited) {
		e->waited = 0;
		if (live) {
			pre_use(s, e);
		}
		s->pending--;
	}
	if (live) {
		pre_pump(s);
	}
	if (release(s)) {
		return;
	}
	if (waited && !s->running && s->pending == 0) {
		advance(s);
	}
}

/* ---- steps ---- */

static void fetch(sdiag_spf_t *s, spf_frame_t *f)
{
	spf_pre_t *e;
	char q[80];
	if (!domain_ok(f->domain)) {
		problem(s, 1, "\"%s\" is not a valid domain name (RFC 7208 4.3)", quote(f->domain, strlen(f->domain), q, sizeof(q)));
		frame_end(s, f, SDIAG_SPF_NONE);
		return;
	}
	begin(s, OP_RECORD);
	f->state = FS_FETCH_WAIT;
	e = pre_find(s, f->domain);
	if (e && e->state == PRE_DONE) {
		pre_use(s, e);
		return;
	}
	if (e) {
		/* prefetched and still in flight: its answer is this step's */
		e->waited = 1;
		s->pending++;
		return;
	}
	if (!pre_ask(s, f->domain, 1)) {
		ask(s, 0, f->domain, SDIAG_DNS_T_TXT);
	}
}

static void record_warnings(sdiag_spf_t *s, spf_frame_t *f)
{
	size_t i;
	long all = -1;
	char q[80];
	if (f->reclen >= RECORD_NEAR_UDP) {
		warn(s, "%s: the record is %zu bytes, near the 512-byte UDP answer size; some receivers fail on larger answers",
			f->domain, f->reclen);
	}
	for (i = 0; i < f->p.n; i++) {
		const spf_term_t *t = &f->p.terms[i];
		switch (t->kind) {
		case K_ALL:
			if (all < 0) {
				all = (long)i;
			}
			if (t->qual == '+') {
				warn(s, "%s: \"+all\" lets every host on the internet send as this domain", f->domain);
			} else if (t->qual == '?') {
				warn(s, "%s: \"?all\" gives neutral for any host: it protects nothing", f->domain);
			}
			break;
		case K_PTR:
			warn(s, "%s: the ptr mechanism is slow and unreliable; RFC 7208 5.5 says not to use it", f->domain);
			break;
		case K_UNKNOWN:
			if (ci_eq(f->rec + t->name, t->namelen, "default")) {
				warn(s, "%s: \"default=\" comes from pre-RFC drafts and is ignored: end the record with -all or ~all",
					f->domain);
			} else {
				warn(s, "%s: unknown modifier \"%s\" is ignored", f->domain, quote(f->rec + t->off, t->len, q, sizeof(q)));
			}
			break;
		default:
			if (all >= 0 && t->kind != K_REDIRECT && t->kind != K_EXP) {
				warn(s, "%s: mechanisms after \"all\" are never evaluated", f->domain);
			}
			break;
		}
	}
	if (all >= 0 && f->p.redirect >= 0) {
		warn(s, "%s: redirect= is ignored because the record has an \"all\" mechanism", f->domain);
	}
	if (f->top && all < 0 && f->p.redirect < 0) {
		warn(s, "%s: the record has no \"all\" mechanism or redirect=: other hosts get neutral", f->domain);
	}
}

static void got_record(sdiag_spf_t *s, spf_frame_t *f)
{
	sdiag_dns_status_t st = s->st[0];
	char why[256];
	size_t i, n = 1;
	if (st != SDIAG_DNS_OK && st != SDIAG_DNS_NODATA && st != SDIAG_DNS_NXDOMAIN) {
		problem(s, 0, "the TXT look-up of %s failed (%s)", f->domain, sdiag_dns_status_name(st));
		frame_end(s, f, SDIAG_SPF_TEMPERROR);
		return;
	}
	if (s->nrecords == 0) {
		problem(s, 1, "%s has no SPF record (no TXT record starting with \"v=spf1\")", f->domain);
		frame_end(s, f, SDIAG_SPF_NONE);
		return;
	}
	if (s->nrecords > 1) {
		problem(s, 0, "%s has %zu SPF records; there must be exactly one (RFC 7208 4.5)", f->domain, s->nrecords);
		frame_end(s, f, SDIAG_SPF_PERMERROR);
		return;
	}
	f->rec = s->txt;
	f->reclen = s->txtlen;
	s->txt = NULL;
	s->chain[f->chain].record = sdiag_strndup(f->rec, f->reclen);
	for (i = 0; i < f->reclen; i++) {
		n += f->rec[i] == ' ';
	}
	f->p.terms = sdiag_calloc(n, sizeof(spf_term_t));
	if (!f->p.terms || !s->chain[f->chain].record) {
		s->oom = 1;
		return;
	}
	if (parse_record(f->rec, f->reclen, &f->p, f->p.terms, why, sizeof(why)) < 0) {
		problem(s, 0, "syntax error in the SPF record of %s: %s", f->domain, why);
		frame_end(s, f, SDIAG_SPF_PERMERROR);
		return;
	}
	record_warnings(s, f);
	f->ti = 0;
	f->state = FS_TERMS;
}

static void term_match(sdiag_spf_t *s, spf_frame_t *f, int match)
{
	if (match) {
		f->match = (long)f->ti;
		frame_end(s, f, qual_result(f->p.terms[f->ti].qual));
	} else {
		f->ti++;
		f->state = FS_TERMS;
	}
}

static int count_void(sdiag_spf_t *s, spf_frame_t *f, const char *what)
{
	if (++s->voids > SDIAG_SPF_VOID_MAX) {
		problem(s, 0, "more than %d look-ups found no records (void look-ups, RFC 7208 4.6.4); the last was %s in the record of %s",
			SDIAG_SPF_VOID_MAX, what, f->domain);
		frame_end(s, f, SDIAG_SPF_PERMERROR);
		return -1;
	}
	return 0;
}

static void lookup_failed(sdiag_spf_t *s, spf_frame_t *f, const char *what, sdiag_dns_status_t st)
{
	problem(s, 0, "the look-up for %s in the record of %s failed (%s)", what, f->domain, sdiag_dns_status_name(st));
	frame_end(s, f, SDIAG_SPF_TEMPERROR);
}

static void end_of_terms(sdiag_spf_t *s, spf_frame_t *f)
{
	const spf_term_t *t;
	char name[SDIAG_DNS_NAME_MAX];
	/* walk mode goes through the redirect a receiver would reach */
	if (f->p.redirect < 0 || (s->walk && f->p.has_all)) {
		frame_end(s, f, SDIAG_SPF_NEUTRAL);
		return;
	}
	t = &f->p.terms[f->p.redirect];
	if (!s->walk && macro_uses(f->rec + t->spec, t->speclen, "p") && s->pstate != P_DONE) {
		p_start(s);
		return;
	}
	if (++s->lookups > SDIAG_SPF_LOOKUP_MAX) {
		problem(s, 0, "more than %d DNS look-ups (include, a, mx, ptr, exists, redirect); the limit was passed at redirect= in the record of %s",
			SDIAG_SPF_LOOKUP_MAX, f->domain);
		frame_end(s, f, SDIAG_SPF_PERMERROR);
		return;
	}
	if (s->walk && macro_uses(f->rec + t->spec, t->speclen, "icpv")) {
		frame_end(s, f, SDIAG_SPF_NEUTRAL);
		return;
	}
	if (target(s, f, t, name, sizeof(name)) < 0) {
		return;
	}
	push(s, f, name, VIA_REDIRECT);
}

static void eval_term(sdiag_spf_t *s, spf_frame_t *f)
{
	const spf_term_t *t;
	char name[SDIAG_DNS_NAME_MAX], q[80];
	size_t i;
	int match;

	if (f->ti >= f->p.n) {
		end_of_terms(s, f);
		return;
	}
	t = &f->p.terms[f->ti];
	switch (t->kind) {
	case K_REDIRECT:
	case K_EXP:
	case K_UNKNOWN:
		f->ti++;
		return;
	case K_ALL:
		term_match(s, f, !s->walk);
		return;
	case K_IP4:
		term_match(s, f, s->ip.has && s->ip.v4 && cidr_match(s->ip.addr, t->net, t->c4));
		return;
	case K_IP6:
		term_match(s, f, s->ip.has && !s->ip.v4 && cidr_match(s->ip.addr, t->net, t->c6));
		return;
	default:
		break;
	}

	/* a term with DNS look-ups: include, a, mx, ptr, exists */
	if (!s->walk && s->pstate != P_DONE && (t->kind == K_PTR || macro_uses(f->rec + t->spec, t->speclen, "p"))) {
		p_start(s);
		return;
	}
	if (++s->lookups > SDIAG_SPF_LOOKUP_MAX) {
		problem(s, 0, "more than %d DNS look-ups (include, a, mx, ptr, exists, redirect); the limit was passed at \"%s\" in the record of %s",
			SDIAG_SPF_LOOKUP_MAX, quote(f->rec + t->off, t->len, q, sizeof(q)), f->domain);
		frame_end(s, f, SDIAG_SPF_PERMERROR);
		return;
	}
	/* walk mode has no client IP for the macros that need one */
	if (s->walk && (t->kind == K_PTR || macro_uses(f->rec + t->spec, t->speclen, "icpv"))) {
		term_match(s, f, 0);
		return;
	}
	if (target(s, f, t, name, sizeof(name)) < 0) {
		return;
	}
	switch (t->kind) {
	case K_INCLUDE:
		push(s, f, name, VIA_INCLUDE);
		return;
	case K_PTR:
		match = 0;
		for (i = 0; i < s->npnames; i++) {
			match |= s->pvalid[i] && name_under(s->pnames[i], name);
		}
		term_match(s, f, match);
		return;
	case K_A:
		begin(s, OP_ADDR);
		s->want_c4 = t->c4;
		s->want_c6 = t->c6;
		f->state = FS_TERM_WAIT;
		ask(s, 0, name, (s->walk || s->ip.v4) ? SDIAG_DNS_T_A : SDIAG_DNS_T_AAAA);
		return;
	case K_EXISTS:
		/* always an A look-up, whatever the client's address family (RFC 7208 5.7) */
		begin(s, OP_ADDR);
		f->state = FS_TERM_WAIT;
		ask(s, 0, name, SDIAG_DNS_T_A);
		return;
	default: /* K_MX */
		begin(s, OP_MX);
		s->nnames = 0;
		f->phase = 0;
		f->state = FS_TERM_WAIT;
		ask(s, 0, name, SDIAG_DNS_T_MX);
		return;
	}
}

static void term_answer(sdiag_spf_t *s, spf_frame_t *f)
{
	const spf_term_t *t = &f->p.terms[f->ti];
	char what[120], q[80];
	size_t i;
	int o = outcome(s, 0), fails = 0, match = 0;

	quote(f->rec + t->off, t->len, q, sizeof(q));
	snprintf(what, sizeof(what), "\"%s\"", q);
	f->state = FS_TERMS;
	if (t->kind == K_MX && f->phase == 1) {
		f->phase = 0;
		for (i = 0; i < s->nnames; i++) {
			match |= s->hit[i];
			fails |= outcome(s, i) == 2;
		}
		if (!match && fails) {
			lookup_failed(s, f, what, SDIAG_DNS_TIMEOUT);
			return;
		}
		term_match(s, f, match);
		return;
	}
	if (o == 2) {
		lookup_failed(s, f, what, s->st[0]);
		return;
	}
	if (o == 1) {
		if (count_void(s, f, what) == 0) {
			term_match(s, f, 0);
		}
		return;
	}
	switch (t->kind) {
	case K_EXISTS:
		term_match(s, f, !s->walk);
		return;
	case K_A:
		term_match(s, f, s->hit[0]);
		return;
	default: /* K_MX, its MX look-up */
		if (s->found[0] > SDIAG_SPF_NAMES_MAX) {
			problem(s, 0, "%s in the record of %s: the domain has %d MX records, more than %d (RFC 7208 4.6.4)", what,
				f->domain, s->found[0], SDIAG_SPF_NAMES_MAX);
			frame_end(s, f, SDIAG_SPF_PERMERROR);
			return;
		}
		if (s->walk || !s->nnames) {
			term_match(s, f, 0);
			return;
		}
		begin(s, OP_ADDR);
		s->want_c4 = t->c4;
		s->want_c6 = t->c6;
		f->phase = 1;
		f->state = FS_TERM_WAIT;
		/* the hosts' addresses all at once */
		for (i = 0; i < s->nnames; i++) {
			ask(s, i, s->names[i], s->ip.v4 ? SDIAG_DNS_T_A : SDIAG_DNS_T_AAAA);
		}
		return;
	}
}

/* ---- exp= (RFC 7208 6.2): its failures only mean the default text ---- */

static void exp_start(sdiag_spf_t *s, spf_frame_t *f)
{
	const spf_term_t *t = &f->p.terms[f->p.exp];
	char name[SDIAG_DNS_NAME_MAX];
	if (macro_uses(f->rec + t->spec, t->speclen, "p") && s->pstate != P_DONE) {
		p_start(s);
		return;
	}
	if (target(s, f, t, name, sizeof(name)) < 0) {
		return;
	}
	if (!domain_ok(name)) {
		f->state = FS_DONE;
		return;
	}
	begin(s, OP_EXP_TXT);
	f->state = FS_EXP_WAIT;
	ask(s, 0, name, SDIAG_DNS_T_TXT);
}

static void exp_answer(sdiag_spf_t *s, spf_frame_t *f)
{
	f->state = FS_DONE;
	if (s->st[0] == SDIAG_DNS_OK && s->nrecords == 1 && strlen(s->txt) == s->txtlen &&
		check_macro_string(s->txt, s->txtlen, 1, NULL, NULL, 0) == 0) {
		f->exp_text = s->txt;
		s->txt = NULL;
		f->state = FS_EXP_TEXT;
	}
}

static void exp_text(sdiag_spf_t *s, spf_frame_t *f)
{
	size_t len = strlen(f->exp_text);
	char *x;
	if (macro_uses(f->exp_text, len, "p") && s->pstate != P_DONE) {
		p_start(s);
		return;
	}
	x = expand_alloc(s, f, f->exp_text, len, 1);
	/* an explanation that expands to nothing says nothing: the default
	 * one stays (a fail always comes with a text) */
	if (x && x[0]) {
		sdiag_free(s->explanation);
		s->explanation = x;
	} else {
		sdiag_free(x);
	}
	f->state = FS_DONE;
}

static void step(sdiag_spf_t *s)
{
	spf_frame_t *f = &s->frames[s->depth - 1];
	if (s->oom) {
		problem(s, 1, "out of memory");
		finish(s, SDIAG_SPF_TEMPERROR);
		return;
	}
	if (s->pstate == P_PTR || s->pstate == P_ADDR) {
		p_next(s);
		return;
	}
	switch (f->state) {
	case FS_FETCH:
		fetch(s, f);
		break;
	case FS_FETCH_WAIT:
		got_record(s, f);
		break;
	case FS_TERMS:
		eval_term(s, f);
		break;
	case FS_TERM_WAIT:
		term_answer(s, f);
		break;
	case FS_EXP:
		exp_start(s, f);
		break;
	case FS_EXP_WAIT:
		exp_answer(s, f);
		break;
	case FS_EXP_TEXT:
		exp_text(s, f);
		break;
	default: /* FS_DONE; FS_CHILD is never on top */
		pop(s);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* API                                                                 */

sdiag_spf_t *sdiag_spf_start(sdiag_dns_ops_t ops, const sdiag_spf_req_t *req, sdiag_spf_cb cb, void *ud)
{
	sdiag_spf_t *s = sdiag_calloc(1, sizeof(*s));
	char domain[SDIAG_DNS_NAME_MAX];
	if (!s) {
		return NULL;
	}
	s->ops = ops;
	s->cb = cb;
	s->ud = ud;
	s->refs = 1;
	s->sender = sdiag_strdup(req->sender ? req->sender : "");
	s->helo = sdiag_strdup(req->helo ? req->helo : "");
	s->receiver = sdiag_strdup(req->receiver ? req->receiver : "unknown");
	if (!s->sender || !s->helo || !s->receiver) {
		destroy(s);
		return NULL;
	}
	sender_parts(&s->m, s->sender, s->helo);
	s->m.h = s->helo;
	s->m.r = s->receiver;
	s->walk = req->ip == NULL;
	if (req->domain) {
		sdiag_strlcpy(domain, req->domain, sizeof(domain));
	} else {
		size_t n = s->m.ol < sizeof(domain) - 1 ? s->m.ol : sizeof(domain) - 1;
		memcpy(domain, s->m.o, n);
		domain[n] = '\0';
	}
	push(s, NULL, domain, VIA_CHECK_HOST);
	if (ip_parse(&s->ip, req->ip) < 0) {
		char q[80];
		problem(s, 1, "\"%s\" is not an IPv4 or IPv6 address", quote(req->ip, strlen(req->ip), q, sizeof(q)));
		finish(s, SDIAG_SPF_PERMERROR);
	}
	macros_ip(&s->m, &s->ip);
	advance(s);
	return s;
}

sdiag_spf_result_t sdiag_spf_result(const sdiag_spf_t *s)
{
	return s->result;
}

const char *sdiag_spf_explanation(const sdiag_spf_t *s)
{
	return (s->result == SDIAG_SPF_FAIL && s->explanation) ? s->explanation : "";
}

const char *sdiag_spf_problem(const sdiag_spf_t *s)
{
	switch (s->result) {
	case SDIAG_SPF_NONE:
	case SDIAG_SPF_TEMPERROR:
	case SDIAG_SPF_PERMERROR:
		return s->problem;
	default:
		return "";
	}
}

int sdiag_spf_lookups(const sdiag_spf_t *s)
{
	return s->lookups;
}

int sdiag_spf_void_lookups(const sdiag_spf_t *s)
{
	return s->voids;
}

sdiag_value_t *sdiag_spf_data(const sdiag_spf_t *s)
{
	sdiag_value_t *m = sdiag_v_new(SDIAG_V_MAP), *l, *e;
	size_t i;
	if (!m) {
		return NULL;
	}
	sdiag_v_put_str(m, "result", sdiag_spf_result_name(s->result));
	sdiag_v_put_str(m, "explanation", sdiag_spf_explanation(s));
	sdiag_v_put_str(m, "problem", sdiag_spf_problem(s));
	sdiag_v_put_str(m, "record", s->nchain ? s->chain[0].record : NULL);
	sdiag_v_put_int(m, "lookups", s->lookups);
	sdiag_v_put_int(m, "void_lookups", s->voids);
	if (s->has_match) {
		e = sdiag_v_put_map(m, "matched");
		sdiag_v_put_str(e, "mechanism", s->matched);
		sdiag_v_put_str(e, "domain", s->matched_domain);
	} else {
		sdiag_v_put_null(m, "matched");
	}
	l = sdiag_v_put_list(m, "chain");
	for (i = 0; i < s->nchain; i++) {
		e = sdiag_v_push_map(l);
		sdiag_v_put_str(e, "domain", s->chain[i].domain);
		sdiag_v_put_str(e, "via", via_names[s->chain[i].via]);
		sdiag_v_put_int(e, "depth", s->chain[i].depth);
		sdiag_v_put_str(e, "record", s->chain[i].record);
		sdiag_v_put_str(e, "result", s->chain[i].done ? sdiag_spf_result_name(s->chain[i].result) : NULL);
	}
	l = sdiag_v_put_list(m, "includes");
	for (i = 1; i < s->nchain; i++) {
		sdiag_v_push_str(l, s->chain[i].domain);
	}
	l = sdiag_v_put_list(m, "warnings");
	for (i = 0; i < s->nwarnings; i++) {
		sdiag_v_push_str(l, s->warnings[i]);
	}
	return m;
}

void sdiag_spf_free(sdiag_spf_t *s)
{
	if (!s) {
		return;
	}
	s->freed = 1;
	release(s);
}

/* ------------------------------------------------------------------ */
/* The dns.spf check                                                   */

/* The SPF domains a relay's customers include: a record that reaches one
 * of them (or a name under it) authorises the relay. */
static const struct {
	sdiag_provider_t p;
	const char *include;     /* what the hint says to add */
	const char *domains[3];
} relays[] = {
	{SDIAG_PROVIDER_GMAIL, "_spf.google.com", {"_spf.google.com", NULL, NULL}},
	{SDIAG_PROVIDER_MICROSOFT365, "spf.protection.outlook.com", {"spf.protection.outlook.com", NULL, NULL}},
	{SDIAG_PROVIDER_ICLOUD, "icloud.com", {"icloud.com", NULL, NULL}},
	{SDIAG_PROVIDER_ZOHO, "zohomail.com", {"zohomail.com", "zoho.com", "zoho.eu"}},
	{SDIAG_PROVIDER_AMAZON_SES, "amazonses.com", {"amazonses.com", NULL, NULL}},
	{SDIAG_PROVIDER_SENDGRID, "sendgrid.net", {"sendgrid.net", NULL, NULL}},
	{SDIAG_PROVIDER_MAILGUN, "mailgun.org", {"mailgun.org", NULL, NULL}},
	{SDIAG_PROVIDER_POSTMARK, "spf.mtasv.net", {"spf.mtasv.net", NULL, NULL}},
	{SDIAG_PROVIDER_MAILJET, "spf.mailjet.com", {"spf.mailjet.com", NULL, NULL}},
	{SDIAG_PROVIDER_BREVO, "spf.brevo.com", {"spf.brevo.com", "spf.sendinblue.com", NULL}},
	{SDIAG_PROVIDER_SPARKPOST, "sparkpostmail.com", {"sparkpostmail.com", NULL, NULL}},
	{SDIAG_PROVIDER_MIMECAST, "_netblocks.mimecast.com", {"_netblocks.mimecast.com", NULL, NULL}},
};

static int relay_of(const char *host)
{
	sdiag_provider_t p = sdiag_provider_detect(host, NULL);
	size_t i;
	for (i = 0; p != SDIAG_PROVIDER_NONE && i < sizeof(relays) / sizeof(relays[0]); i++) {
		if (relays[i].p == p) {
			return (int)i;
		}
	}
	return -1;
}

/* Whether the evaluated tree reaches the relay's SPF domain, or names it
 * in an include the evaluation did not need to reach (it stopped at an
 * earlier match). */
static int relay_authorised(const sdiag_spf_t *s, int relay)
{
	size_t i, k;
	for (i = 0; i < s->nchain; i++) {
		for (k = 0; k < 3 && relays[relay].domains[k]; k++) {
			const char *d = relays[relay].domains[k], *rec = s->chain[i].record, *p;
			if (i > 0 && name_under(s->chain[i].domain, d)) {
				return 1;
			}
			for (p = rec; p && (p = strstr(p, "include:")) != NULL; p += 8) {
				size_t n = strcspn(p + 8, " ");
				if (n == strlen(d) && sdiag_strncasecmp(p + 8, d, n) == 0) {
					return 1;
				}
			}
		}
	}
	return 0;
}

static void job_finished(void *ud, sdiag_spf_t *s)
{
	sdiag_job_t *job = ud;
	const sdiag_dnscheck_in_t *in = job->in;
	sdiag_spf_result_t r = sdiag_spf_result(s);
	const char *dom = s->frames[0].domain, *ip = in->spf_ip, *prob = sdiag_spf_problem(s);
	const char *fam = (ip && strchr(ip, ':') && !s->ip.v4) ? "ip6" : "ip4";
	int relay = relay_of(in->smtp_host), authorised = relay >= 0 && relay_authorised(s, relay);
	int relay_missing = relay >= 0 && !authorised && r != SDIAG_SPF_NONE && r != SDIAG_SPF_PERMERROR;
	sdiag_value_t *data = sdiag_spf_data(s);
	char hint[SDIAG_HINT_MAX], relay_hint[400] = "", first_warning[200] = "";
	sdiag_step_status_t st;

	if (data) {
		sdiag_v_free(job->step.data);
		job->step.data = data;
	}
	sdiag_v_put_str(job->step.data, "ip", ip);
	if (relay >= 0) {
		sdiag_v_put_str(job->step.data, "relay", sdiag_provider_name(relays[relay].p));
		sdiag_v_put_bool(job->step.data, "relay_authorised", authorised);
		snprintf(relay_hint, sizeof(relay_hint), "%.120s relays your mail: add \"include:%s\" to the SPF record of %.160s.",
			in->smtp_host, relays[relay].include, dom);
	} else {
		sdiag_v_put_null(job->step.data, "relay");
		sdiag_v_put_null(job->step.data, "relay_authorised");
	}
	if (s->nwarnings) {
		sdiag_strlcpy(first_warning, s->warnings[0], sizeof(first_warning));
	}

	switch (r) {
	case SDIAG_SPF_NONE:
		snprintf(hint, sizeof(hint), "Publish one TXT record at %s: \"v=spf1 include:%s -all\" (with the include your mail provider documents, plus ip4:/ip6: for servers of your own).",
			dom, relay >= 0 ? relays[relay].include : "<your provider>");
		sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "No SPF record: %.300s", prob);
		return;
	case SDIAG_SPF_PERMERROR:
		if (s->lookups > SDIAG_SPF_LOOKUP_MAX) {
			snprintf(hint, sizeof(hint), "Receivers stop after %d DNS look-ups and treat the record as broken: drop includes you no longer use, or replace some with their ip4:/ip6: ranges.",
				SDIAG_SPF_LOOKUP_MAX);
		} else {
			snprintf(hint, sizeof(hint), "Receivers treat a broken SPF record as no authorisation at all: fix the record named in the message (one \"v=spf1\" TXT record per domain; every include must have a record).");
		}
		sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "SPF of %s is broken (permerror): %.300s", dom, prob);
		return;
	case SDIAG_SPF_TEMPERROR:
		sdiag_job_done(job, SDIAG_STEP_WARN,
			"A DNS look-up failed or timed out, so receivers defer or accept without SPF: check the name servers of the domains named in the message.",
			"SPF of %s could not be evaluated (temperror): %.300s", dom, prob);
		return;
	default:
		break;
	}

	if (!ip) {
		/* walk mode: the record tree is valid; what remains are warnings.
		 * There is no verdict without an address. */
		sdiag_v_put_null(job->step.data, "result");
		st = (s->nwarnings || relay_missing) ? SDIAG_STEP_WARN : SDIAG_STEP_OK;
		if (relay_missing) {
			sdiag_job_done(job, st, relay_hint, "SPF record of %s is valid (%d of %d DNS look-ups) but does not include %s",
				dom, s->lookups, SDIAG_SPF_LOOKUP_MAX, relays[relay].include);
		} else if (s->nwarnings) {
			sdiag_job_done(job, st, "Fix the points the warnings name; each one weakens or endangers the record.",
				"SPF record of %s is valid (%d of %d DNS look-ups), %zu warning%s: %s", dom, s->lookups,
				SDIAG_SPF_LOOKUP_MAX, s->nwarnings, s->nwarnings == 1 ? "" : "s", first_warning);
		} else {
			sdiag_job_done(job, st, NULL, "SPF record of %s is valid (%d of %d DNS look-ups)", dom, s->lookups,
				SDIAG_SPF_LOOKUP_MAX);
		}
		return;
	}

	switch (r) {
	case SDIAG_SPF_PASS:
		if (relay_missing) {
			sdiag_job_done(job, SDIAG_STEP_WARN, relay_hint, "SPF pass for %s at %s (matched \"%s\" in %s), but the record does not include %s",
				ip, dom, s->matched, s->matched_domain, relays[relay].include);
		} else {
			sdiag_job_done(job, SDIAG_STEP_OK, NULL, "SPF pass: %s may send for %s (matched \"%s\" in the record of %s)", ip, dom,
				s->matched, s->matched_domain);
		}
		return;
	case SDIAG_SPF_FAIL:
		if (relay_missing) {
			sdiag_strlcpy(hint, relay_hint, sizeof(hint));
		} else {
			snprintf(hint, sizeof(hint), "Add \"%s:%s\" to the SPF record of %s, or the include of the provider that sends for you.", fam,
				s->ip.c, dom);
		}
		sdiag_job_done(job, SDIAG_STEP_FAIL, hint, "SPF fail: the record of %s does not authorise %s (%s%s%s): receivers may reject the mail",
			dom, ip, s->has_match ? "matched \"" : "no match", s->has_match ? s->matched : "",
			s->has_match ? "\"" : "");
		return;
	default: /* softfail, neutral */
		if (relay_missing) {
			sdiag_strlcpy(hint, relay_hint, sizeof(hint));
		} else {
			snprintf(hint, sizeof(hint), "Add \"%s:%s\" to the SPF record of %s, or the include of the provider that sends for you.", fam,
				s->ip.c, dom);
		}
		sdiag_job_done(job, SDIAG_STEP_WARN, hint, "SPF %s: the record of %s does not authorise %s (%s%s%s): the mail is suspect to receivers",
			sdiag_spf_result_name(r), dom, ip, s->has_match ? "matched \"" : "no match", s->has_match ? s->matched : "",
			s->has_match ? "\"" : "");
		return;
	}
}

static void job_free(sdiag_job_t *job)
{
	sdiag_spf_free(job->priv);
	job->priv = NULL;
}

void sdiag_job_spf(sdiag_job_t *job)
{
	const sdiag_dnscheck_in_t *in = job->in;
	sdiag_spf_req_t req;
	sdiag_spf_t *s;
	job->step.id = "dns.spf";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	memset(&req, 0, sizeof(req));
	req.ip = in->spf_ip;
	req.domain = in->domain;
	/* no sender: postmaster@<domain> (a bare domain as sender means that) */
	req.sender = (in->sender && *in->sender) ? in->sender : in->domain;
	req.helo = in->helo;
	job->free_priv = job_free;
	s = sdiag_spf_start(in->ops, &req, job_finished, job);
	if (!s) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "SPF of %s could not be checked: out of memory", in->domain ? in->domain : "");
		return;
	}
	job->priv = s;
}
