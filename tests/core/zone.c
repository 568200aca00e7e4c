/* An in-memory DNS zone behind sdiag_dns_ops_t (see zone.h). */
#include "zone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct t_rec {
	char name[SDIAG_DNS_NAME_MAX];
	uint16_t type;             /* 0 with fault: every type */
	sdiag_dns_status_t fault;  /* SDIAG_DNS_OK: a record */
	int rest;                  /* the fault applies only to types without records */
	sdiag_dns_rr_t rr;
	unsigned char *data;
} t_rec_t;

typedef struct t_pending {
	char name[SDIAG_DNS_NAME_MAX];
	uint16_t type;
	sdiag_dns_cb cb;
	void *ud;
} t_pending_t;

struct t_zone {
	t_rec_t *recs;
	size_t n, cap;
	int ad, defer;
	t_pending_t *q;
	size_t nq, capq, inflight_max;
	size_t queries;
	char *log;
	size_t loglen;
};

static void norm(char *out, const char *in)
{
	size_t i, n = strlen(in);
	if (n && in[n - 1] == '.') {
		n--;
	}
	if (n >= SDIAG_DNS_NAME_MAX) {
		n = SDIAG_DNS_NAME_MAX - 1;
	}
	for (i = 0; i < n; i++) {
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[n] = '\0';
}

static uint16_t type_of(const char *t)
{
	static const struct { const char *name; uint16_t type; } types[] = {
		{"A", SDIAG_DNS_T_A}, {"AAAA", SDIAG_DNS_T_AAAA}, {"MX", SDIAG_DNS_T_MX}, {"TXT", SDIAG_DNS_T_TXT},
		{"SPF", SDIAG_DNS_T_SPF}, {"PTR", SDIAG_DNS_T_PTR}, {"CNAME", SDIAG_DNS_T_CNAME}, {"NS", SDIAG_DNS_T_NS},
		{"TLSA", SDIAG_DNS_T_TLSA}, {"SOA", SDIAG_DNS_T_SOA},
	};
	size_t i;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(types[i].name, t) == 0) {
			return types[i].type;
		}
	}
	fprintf(stderr, "zone: unknown type %s\n", t);
	abort();
}

t_zone_t *t_zone_new(void)
{
	return calloc(1, sizeof(t_zone_t));
}

void t_zone_free(t_zone_t *z)
{
	size_t i;
	if (!z) {
		return;
	}
	for (i = 0; i < z->n; i++) {
		free(z->recs[i].data);
	}
	free(z->recs);
	free(z->q);
	free(z->log);
	free(z);
}

static t_rec_t *add_rec(t_zone_t *z, const char *name)
{
	t_rec_t *r;
	if (z->n == z->cap) {
		z->cap = z->cap ? z->cap * 2 : 16;
		z->recs = realloc(z->recs, z->cap * sizeof(*z->recs));
		if (!z->recs) {
			abort();
		}
	}
	r = &z->recs[z->n++];
	memset(r, 0, sizeof(*r));
	norm(r->name, name);
	return r;
}

static void set_data(t_rec_t *r, const void *p, size_t len)
{
	r->data = malloc(len + 1);
	if (!r->data) {
		abort();
	}
	memcpy(r->data, p, len);
	r->data[len] = '\0';
	r->rr.data = r->data;
	r->rr.len = len;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10);
}

void t_zone_add(t_zone_t *z, const char *name, const char *type, const char *data)
{
	t_rec_t *r = add_rec(z, name);
	sdiag_dns_rr_t *rr = &r->rr;
	r->type = type_of(type);
	rr->type = r->type;
	rr->cls = 1;
	rr->ttl = 300;
	snprintf(rr->owner, sizeof(rr->owner), "%s", r->name);
	switch (r->type) {
	case SDIAG_DNS_T_A:
		if (inet_pton(AF_INET, data, rr->addr) != 1) {
			abort();
		}
		set_data(r, rr->addr, 4);
		break;
	case SDIAG_DNS_T_AAAA:
		if (inet_pton(AF_INET6, data, rr->addr) != 1) {
			abort();
		}
		set_data(r, rr->addr, 16);
		break;
	case SDIAG_DNS_T_MX: {
		unsigned pref;
		char host[SDIAG_DNS_NAME_MAX] = "";
		/* "0 ." or "0": a null MX (RFC 7505), the root as exchange */
		if (sscanf(data, "%u %255s", &pref, host) < 1) {
			abort();
		}
		rr->pref = (uint16_t)pref;
		norm(rr->target, host);
		break;
	}
	case SDIAG_DNS_T_PTR:
	case SDIAG_DNS_T_CNAME:
	case SDIAG_DNS_T_NS:
		norm(rr->target, data);
		break;
	case SDIAG_DNS_T_TLSA: {
		unsigned u, s, m;
		int off = 0;
		unsigned char bin[4096];  /* a full certificate (matching type 0) fits */
		size_t n = 0;
		const char *h;
		if (sscanf(data, "%u %u %u %n", &u, &s, &m, &off) != 3) {
			abort();
		}
		rr->tlsa_usage = (uint8_t)u;
		rr->tlsa_selector = (uint8_t)s;
		rr->tlsa_mtype = (uint8_t)m;
		for (h = data + off; h[0] && h[1] && n < sizeof(bin); h += 2) {
			bin[n++] = (unsigned char)(hexval((unsigned char)h[0]) * 16 + hexval((unsigned char)h[1]));
		}
		set_data(r, bin, n);
		break;
	}
	default: /* TXT, SPF, SOA */
		set_data(r, data, strlen(data));
		rr->nstrings = 1;
		break;
	}
}

void t_zone_add_txt_raw(t_zone_t *z, const char *name, const char *const *strings, const size_t *lens, size_t n)
{
	size_t i, len = 0;
	char *all;
	t_zone_add(z, name, "TXT", "");
	for (i = 0; i < n; i++) {
		len += lens[i];
	}
	all = malloc(len + 1);
	if (!all) {
		abort();
	}
	for (len = 0, i = 0; i < n; i++) {
		memcpy(all + len, strings[i], lens[i]);
		len += lens[i];
	}
	free(z->recs[z->n - 1].data);
	set_data(&z->recs[z->n - 1], all, len);
	z->recs[z->n - 1].rr.nstrings = (uint16_t)n;
	free(all);
}

void t_zone_add_txt(t_zone_t *z, const char *name, const char *const *strings, size_t n)
{
	size_t i, lens[256];
	if (n > 256) {
		abort();
	}
	for (i = 0; i < n; i++) {
		lens[i] = strlen(strings[i]);
	}
	t_zone_add_txt_raw(z, name, strings, lens, n);
}

void t_zone_fault(t_zone_t *z, const char *name, const char *type, sdiag_dns_status_t status)
{
	t_rec_t *r = add_rec(z, name);
	r->type = type ? type_of(type) : 0;
	r->fault = status;
}

void t_zone_fault_rest(t_zone_t *z, const char *name, sdiag_dns_status_t status)
{
	t_rec_t *r = add_rec(z, name);
	r->fault = status;
	r->rest = 1;
}

static int holds(const t_zone_t *z, const char *name, uint16_t type)
{
	size_t i;
	for (i = 0; i < z->n; i++) {
		const t_rec_t *r = &z->recs[i];
		if (r->fault == SDIAG_DNS_OK && strcmp(r->name, name) == 0 && (r->type == type || r->type == SDIAG_DNS_T_CNAME)) {
			return 1;
		}
	}
	return 0;
}

void t_zone_set_ad(t_zone_t *z, int ad)
{
	z->ad = ad;
}

void t_zone_defer(t_zone_t *z, int on)
{
	z->defer = on;
}

static void logq(t_zone_t *z, const char *name, uint16_t type)
{
	char tb[16], line[SDIAG_DNS_NAME_MAX + 24];
	int n = snprintf(line, sizeof(line), "%s %s\n", sdiag_dns_type_name(type, tb, sizeof(tb)), name);
	z->log = realloc(z->log, z->loglen + (size_t)n + 1);
	if (!z->log) {
		abort();
	}
	memcpy(z->log + z->loglen, line, (size_t)n + 1);
	z->loglen += (size_t)n;
	z->queries++;
}

static int exists(const t_zone_t *z, const char *name)
{
	size_t i, n = strlen(name);
	for (i = 0; i < z->n; i++) {
		const char *r = z->recs[i].name;
		size_t rn = strlen(r);
		if (z->recs[i].fault != SDIAG_DNS_OK) {
			continue;
		}
		/* the name itself, or an empty non-terminal above a record */
		if (strcmp(r, name) == 0 || (rn > n && r[rn - n - 1] == '.' && strcmp(r + rn - n, name) == 0)) {
			return 1;
		}
	}
	return 0;
}

static void answer_name(t_zone_t *z, const char *qname, uint16_t type, sdiag_dns_cb cb, void *ud)
{
	sdiag_dns_result_t res;
	sdiag_dns_msg_t msg;
	sdiag_dns_rr_t rrs[SDIAG_DNS_RR_MAX];
	char name[SDIAG_DNS_NAME_MAX];
	size_t i, hops = 0, n = 0;
	int found;

	memset(&res, 0, sizeof(res));
	memset(&msg, 0, sizeof(msg));
	res.name = qname;
	res.type = type;
	norm(name, qname);
	for (i = 0; i < z->n; i++) {
		const t_rec_t *r = &z->recs[i];
		if (r->fault != SDIAG_DNS_OK && strcmp(r->name, name) == 0 && (r->type == 0 || r->type == type) &&
			(!r->rest || !holds(z, name, type))) {
			res.status = r->fault;
			snprintf(res.why, sizeof(res.why), "%s (test zone)", sdiag_dns_status_name(r->fault));
			cb(ud, &res);
			return;
		}
	}
	msg.qr = 1;
	msg.rd = msg.ra = 1;
	msg.ad = z->ad ? 1 : 0;
	msg.qtype = type;
	msg.qclass = 1;
	snprintf(msg.qname, sizeof(msg.qname), "%s", name);
	for (;;) {
		const t_rec_t *cname = NULL;
		found = 0;
		for (i = 0; i < z->n && n < SDIAG_DNS_RR_MAX; i++) {
			const t_rec_t *r = &z->recs[i];
			if (r->fault != SDIAG_DNS_OK || strcmp(r->name, name) != 0) {
				continue;
			}
			if (r->type == type) {
				rrs[n++] = r->rr;
				found = 1;
			} else if (r->type == SDIAG_DNS_T_CNAME && !cname) {
				cname = r;
			}
		}
		if (found || !cname || hops >= SDIAG_DNS_CNAME_MAX) {
			break;
		}
		rrs[n++] = cname->rr;
		snprintf(name, sizeof(name), "%s", cname->rr.target);
		hops++;
	}
	snprintf(msg.canonical, sizeof(msg.canonical), "%s", name);
	msg.cnames = hops;
	msg.answer = rrs;
	msg.nanswer = n;
	msg.ancount = (uint16_t)n;
	if (found) {
		res.status = SDIAG_DNS_OK;
	} else if (exists(z, name)) {
		res.status = SDIAG_DNS_NODATA;
		msg.has_soa = 1;
		snprintf(res.why, sizeof(res.why), "%s has no record of that type", name);
	} else {
		res.status = SDIAG_DNS_NXDOMAIN;
		msg.rcode = SDIAG_DNS_RCODE_NXDOMAIN;
		msg.has_soa = 1;
		snprintf(res.why, sizeof(res.why), "%s does not exist (NXDOMAIN)", name);
	}
	res.msg = &msg;
	cb(ud, &res);
}

/* The answer's name lives as long as the callback, as the resolver's does
 * (dns.c frees its query after the callback): a job keeping res->name
 * beyond that is a use after free under ASan. */
static void answer(t_zone_t *z, const char *qname, uint16_t type, sdiag_dns_cb cb, void *ud)
{
	char *name = strdup(qname);
	if (!name) {
		abort();
	}
	answer_name(z, name, type, cb, ud);
	free(name);
}

static void query(void *ctx, const char *name, uint16_t type, sdiag_dns_cb cb, void *ud)
{
	t_zone_t *z = ctx;
	logq(z, name, type);
	if (!z->defer) {
		answer(z, name, type, cb, ud);
		return;
	}
	if (z->nq == z->capq) {
		z->capq = z->capq ? z->capq * 2 : 16;
		z->q = realloc(z->q, z->capq * sizeof(*z->q));
		if (!z->q) {
			abort();
		}
	}
	snprintf(z->q[z->nq].name, sizeof(z->q[z->nq].name), "%s", name);
	z->q[z->nq].type = type;
	z->q[z->nq].cb = cb;
	z->q[z->nq].ud = ud;
	z->nq++;
	if (z->nq > z->inflight_max) {
		z->inflight_max = z->nq;
	}
}

size_t t_zone_flush(t_zone_t *z)
{
	size_t done = 0;
	while (z->nq) {
		t_pending_t p = z->q[0];
		memmove(z->q, z->q + 1, (z->nq - 1) * sizeof(*z->q));
		z->nq--;
		answer(z, p.name, p.type, p.cb, p.ud);
		done++;
	}
	return done;
}

sdiag_dns_ops_t t_zone_ops(t_zone_t *z)
{
	sdiag_dns_ops_t ops;
	ops.query = query;
	ops.ctx = z;
	return ops;
}

size_t t_zone_queries(const t_zone_t *z)
{
	return z->queries;
}

const char *t_zone_log(const t_zone_t *z)
{
	return z->log ? z->log : "";
}

size_t t_zone_max_inflight(const t_zone_t *z)
{
	return z->inflight_max;
}
