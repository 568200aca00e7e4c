/* smtpdiag core: DNS queries of any type through the resolver's c-ares channel. */
#include "dns.h"

#include <ares.h>
#include <stdio.h>
#include <string.h>

typedef struct dns_query {
	sdiag_dns_cb cb;
	void *ud;
	uint16_t type;
	double t0;
	/* the question as dnsmsg.c writes it: what the answer's must be */
	char qname[SDIAG_DNS_NAME_MAX];
	char name[];  /* as asked, whole */
} dns_query_t;

const char *sdiag_dns_status_name(sdiag_dns_status_t s)
{
	switch (s) {
	case SDIAG_DNS_OK: return "ok";
	case SDIAG_DNS_NODATA: return "nodata";
	case SDIAG_DNS_NXDOMAIN: return "nxdomain";
	case SDIAG_DNS_SERVFAIL: return "servfail";
	case SDIAG_DNS_REFUSED: return "refused";
	case SDIAG_DNS_TIMEOUT: return "timeout";
	case SDIAG_DNS_TRUNCATED: return "truncated";
	case SDIAG_DNS_MALFORMED: return "malformed";
	case SDIAG_DNS_BADNAME: return "badname";
	case SDIAG_DNS_ERROR: return "error";
	}
	return "error";
}

static int same_question(const sdiag_dns_msg_t *m, const dns_query_t *q)
{
	return m->qdcount == 1 && m->qtype == q->type && m->qclass == 1 && strcmp(m->qname, q->qname) == 0;
}

/* The outcome of a parsed answer. */
static sdiag_dns_status_t classify(const sdiag_dns_msg_t *m, sdiag_dns_result_t *res)
{
	size_t pos = 0;
	char tb[16];
	const char *tn = sdiag_dns_type_name(res->type, tb, sizeof(tb));
	if (m->tc) {
		snprintf(res->why, sizeof(res->why), "the answer for %s %s was truncated and no complete answer came over TCP", res->name, tn);
		return SDIAG_DNS_TRUNCATED;
	}
	switch (m->rcode) {
	case SDIAG_DNS_RCODE_NOERROR:
		break;
	case SDIAG_DNS_RCODE_NXDOMAIN:
		snprintf(res->why, sizeof(res->why), "%s does not exist (NXDOMAIN)", m->cnames ? m->canonical : res->name);
		return SDIAG_DNS_NXDOMAIN;
	case SDIAG_DNS_RCODE_SERVFAIL:
		snprintf(res->why, sizeof(res->why), "the DNS server failed to answer %s %s (SERVFAIL)", res->name, tn);
		return SDIAG_DNS_SERVFAIL;
	default:
		snprintf(res->why, sizeof(res->why), "the DNS server refused %s %s (rcode %u)", res->name, tn, (unsigned)m->rcode);
		return SDIAG_DNS_REFUSED;
	}
	if (m->cname_loop) {
		snprintf(res->why, sizeof(res->why), "the CNAME chain of %s loops or is longer than %d links", res->name, SDIAG_DNS_CNAME_MAX);
		return SDIAG_DNS_MALFORMED;
	}
	if (sdiag_dns_next(m, res->type, &pos)) {
		return SDIAG_DNS_OK;
	}
	snprintf(res->why, sizeof(res->why), "%s has no %s record", m->cnames ? m->canonical : res->name, tn);
	return SDIAG_DNS_NODATA;
}

static sdiag_dns_status_t from_ares(int status, sdiag_dns_result_t *res)
{
	char tb[16];
	const char *tn = sdiag_dns_type_name(res->type, tb, sizeof(tb));
	switch (status) {
	case ARES_ETIMEOUT:
		snprintf(res->why, sizeof(res->why), "no DNS server answered %s %s in time", res->name, tn);
		return SDIAG_DNS_TIMEOUT;
	case ARES_ESERVFAIL:
		snprintf(res->why, sizeof(res->why), "the DNS server failed to answer %s %s (SERVFAIL)", res->name, tn);
		return SDIAG_DNS_SERVFAIL;
	case ARES_ENOTFOUND:
		snprintf(res->why, sizeof(res->why), "%s does not exist (NXDOMAIN)", res->name);
		return SDIAG_DNS_NXDOMAIN;
	case ARES_ENODATA:
		snprintf(res->why, sizeof(res->why), "%s has no %s record", res->name, tn);
		return SDIAG_DNS_NODATA;
	case ARES_EREFUSED:
	case ARES_ENOTIMP:
	case ARES_EFORMERR:
		snprintf(res->why, sizeof(res->why), "the DNS server refused %s %s (%s)", res->name, tn, ares_strerror(status));
		return SDIAG_DNS_REFUSED;
	case ARES_ECONNREFUSED:
		/* nothing listens there (ICMP port unreachable), or the TCP retry of
		 * a truncated answer was refused or dropped */
		snprintf(res->why, sizeof(res->why), "the DNS server refused the query for %s %s (connection refused: is a DNS server listening at that address and port, over UDP and TCP?)",
			res->name, tn);
		return SDIAG_DNS_REFUSED;
	case ARES_EBADRESP:
		snprintf(res->why, sizeof(res->why), "the DNS server sent a malformed answer for %s %s", res->name, tn);
		return SDIAG_DNS_MALFORMED;
	case ARES_EBADNAME:
		snprintf(res->why, sizeof(res->why), "%s is not a valid DNS name", res->name);
		return SDIAG_DNS_BADNAME;
	case ARES_ENOMEM:
		snprintf(res->why, sizeof(res->why), "out of memory while looking up %s %s", res->name, tn);
		return SDIAG_DNS_ERROR;
	case ARES_EDESTRUCTION:
	case ARES_ECANCELLED:
		snprintf(res->why, sizeof(res->why), "the look-up of %s %s was cancelled", res->name, tn);
		return SDIAG_DNS_ERROR;
	default:
		snprintf(res->why, sizeof(res->why), "the look-up of %s %s failed: %s", res->name, tn, ares_strerror(status));
		return SDIAG_DNS_ERROR;
	}
}

static void on_answer(void *ud, int status, const unsigned char *abuf, size_t alen)
{
	dns_query_t *q = ud;
	sdiag_dns_result_t res;
	sdiag_dns_msg_t msg;
	int parsed = 0;
	memset(&res, 0, sizeof(res));
	res.name = q->name;
	res.type = q->type;
	res.ms = sdiag_now_ms() - q->t0;
	if (abuf && alen > 0 && status != ARES_EDESTRUCTION && status != ARES_ECANCELLED) {
		char why[96];
		int rc = sdiag_dns_parse(abuf, alen, &msg, why, sizeof(why));
		if (rc == 0) {
			parsed = 1;
			/* c-ares drops answers to other questions itself; this keeps
			 * the promise that msg is the answer to what was asked */
			if (!msg.qr || !same_question(&msg, q)) {
				res.status = SDIAG_DNS_MALFORMED;
				snprintf(res.why, sizeof(res.why), "the answer for %s does not match the question", q->name);
			} else {
				res.msg = &msg;
				res.status = classify(&msg, &res);
			}
		} else if (rc == -2) {
			res.status = SDIAG_DNS_ERROR;
			snprintf(res.why, sizeof(res.why), "out of memory while reading the answer for %s", q->name);
		} else {
			res.status = SDIAG_DNS_MALFORMED;
			snprintf(res.why, sizeof(res.why), "the DNS server sent a malformed answer for %s: %s", q->name, why);
		}
	} else {
		res.status = from_ares(status, &res);
	}
	q->cb(q->ud, &res);
	if (parsed) {
		sdiag_dns_msg_free(&msg);
	}
	sdiag_free(q);
}

static void fail_now(const char *name, uint16_t type, sdiag_dns_status_t st, const char *why, sdiag_dns_cb cb, void *ud)
{
	sdiag_dns_result_t res;
	memset(&res, 0, sizeof(res));
	res.name = name;
	res.type = type;
	res.status = st;
	snprintf(res.why, sizeof(res.why), "%s", why);
	cb(ud, &res);
}

void sdiag_dns_query(sdiag_resolver_t *r, const char *name, uint16_t type, sdiag_dns_cb cb, void *ud)
{
	unsigned char buf[SDIAG_DNS_QUERY_MAX];
	size_t len = sdiag_dns_build_query(buf, sizeof(buf), 0, name, type), n = strlen(name);
	sdiag_dns_msg_t own;
	char qname[SDIAG_DNS_NAME_MAX];
	dns_query_t *q;
	if (len == 0) {
		char why[SDIAG_DNS_NAME_MAX + 64];
		snprintf(why, sizeof(why), "\"%.200s\" is not a valid DNS name", name);
		fail_now(name, type, SDIAG_DNS_BADNAME, why, cb, ud);
		return;
	}
	/* the question in the parser's own form, to compare the answer's
	 * with; a query has no answers, so this needs no memory and fails only
	 * when escapes make the name too long to write out */
	if (sdiag_dns_parse(buf, len, &own, NULL, 0) != 0) {
		fail_now(name, type, SDIAG_DNS_BADNAME, "the name is longer than 255 characters once its escapes are written out", cb, ud);
		return;
	}
	memcpy(qname, own.qname, sizeof(qname));
	sdiag_dns_msg_free(&own);
	if (!r->channel) {
		fail_now(name, type, SDIAG_DNS_ERROR, "the resolver is not running", cb, ud);
		return;
	}
	if (!(q = sdiag_calloc(1, sizeof(*q) + n + 1))) {
		fail_now(name, type, SDIAG_DNS_ERROR, "out of memory", cb, ud);
		return;
	}
	memcpy(q->qname, qname, sizeof(q->qname));
	q->cb = cb;
	q->ud = ud;
	q->type = type;
	q->t0 = sdiag_now_ms();
	memcpy(q->name, name, n + 1);
	sdiag_resolver_send(r, buf, len, on_answer, q);
}


static void ops_query(void *ctx, const char *name, uint16_t type, sdiag_dns_cb cb, void *ud)
{
	sdiag_dns_query(ctx, name, type, cb, ud);
}

sdiag_dns_ops_t sdiag_dns_resolver_ops(sdiag_resolver_t *r)
{
	sdiag_dns_ops_t ops;
	ops.query = ops_query;
	ops.ctx = r;
	return ops;
}
