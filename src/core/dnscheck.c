/* smtpdiag core: the DNS checks of a domain, run as concurrent jobs; dns.mx and dns.ptr live here. */
#include "dnscheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	void (*start)(sdiag_job_t *job);
} checks[SDIAG_DNSCHECK_JOBS] = {
	{"mx", sdiag_job_mx},
	{"spf", sdiag_job_spf},
	{"dkim", sdiag_job_dkim},
	{"dmarc", sdiag_job_dmarc},
	{"ptr", sdiag_job_ptr},
	{"mta_sts", sdiag_job_mta_sts},
	{"tls_rpt", sdiag_job_tls_rpt},
	{"dane", sdiag_job_dane},
	{"bimi", sdiag_job_bimi},
};

int sdiag_dnscheck_bit(const char *name)
{
	size_t i;
	for (i = 0; i < SDIAG_DNSCHECK_JOBS; i++) {
		if (strcmp(checks[i].name, name) == 0) {
			return 1 << i;
		}
	}
	return -1;
}

void sdiag_job_done(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
{
	va_list ap;
	if (job->done) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(job->step.message, sizeof(job->step.message), fmt, ap);
	va_end(ap);
	snprintf(job->step.hint, sizeof(job->step.hint), "%s", hint ? hint : "");
	job->step.status = st;
	job->step.duration_ms = sdiag_now_ms() - job->t0;
	job->done = 1;
	if (job->dc) {
		job->dc->ndone++;
	}
}

void sdiag_dnscheck_start(sdiag_dnscheck_t *dc, const sdiag_dnscheck_in_t *in, unsigned mask)
{
	size_t i, n = 0;
	size_t idx[SDIAG_DNSCHECK_JOBS];
	memset(dc, 0, sizeof(*dc));
	dc->in = *in;
	for (i = 0; i < SDIAG_DNSCHECK_JOBS; i++) {
		if (mask & (1u << i)) {
			sdiag_job_t *job = &dc->jobs[dc->njobs++];
			job->dc = dc;
			job->in = &dc->in;
			job->t0 = sdiag_now_ms();
			idx[n++] = i;
		}
	}
	/* every job is set up before the first starts: one may finish at once */
	for (i = 0; i < n; i++) {
		checks[idx[i]].start(&dc->jobs[i]);
	}
}

void sdiag_dnscheck_session(sdiag_dnscheck_t *dc, const sdiag_dnscheck_session_t *s)
{
	size_t i;
	for (i = 0; i < dc->njobs; i++) {
		sdiag_job_t *job = &dc->jobs[i];
		if (!job->done && job->on_session) {
			job->on_session(job, s);
		}
	}
}

int sdiag_dnscheck_finished(const sdiag_dnscheck_t *dc)
{
	return dc->ndone >= dc->njobs;
}

void sdiag_dnscheck_steps(sdiag_dnscheck_t *dc, sdiag_steps_t *out)
{
	size_t i;
	for (i = 0; i < dc->njobs; i++) {
		sdiag_job_t *job = &dc->jobs[i];
		sdiag_step_t *s;
		if (!job->done) {
			/* the overall deadline ended the check first */
			sdiag_job_done(job, SDIAG_STEP_FAIL, "The DNS servers answer too slowly: check dns_servers, or raise timeout.",
				"not finished before the deadline");
		}
		s = sdiag_steps_add(out, job->step.id ? job->step.id : "dns", job->step.status, job->step.duration_ms,
			job->step.hint, "%s", job->step.message);
		if (s) {
			s->data = job->step.data;
			job->step.data = NULL;
		}
	}
}

void sdiag_dnscheck_free(sdiag_dnscheck_t *dc)
{
	size_t i;
	for (i = 0; i < dc->njobs; i++) {
		sdiag_job_t *job = &dc->jobs[i];
		if (job->free_priv) {
			job->free_priv(job);
		}
		sdiag_v_free(job->step.data);
		job->step.data = NULL;
	}
	dc->njobs = 0;
}

/* ---- shared helpers ---- */

static sdiag_step_status_t worse(sdiag_step_status_t a, sdiag_step_status_t b)
{
	/* fail > warn > ok; skip counts as ok here */
	int ra = a == SDIAG_STEP_FAIL ? 2 : a == SDIAG_STEP_WARN ? 1 : 0;
	int rb = b == SDIAG_STEP_FAIL ? 2 : b == SDIAG_STEP_WARN ? 1 : 0;
	return rb > ra ? b : a;
}

static void addr_text(const sdiag_dns_rr_t *rr, char *out, size_t cap)
{
	if (!inet_ntop(rr->type == SDIAG_DNS_T_A ? AF_INET : AF_INET6, rr->addr, out, (socklen_t)cap)) {
		snprintf(out, cap, "?");
	}
}

/* A host name that is really an address ("192.0.2.1" as labels). */
static int looks_like_ip(const char *host)
{
	unsigned char tmp[16];
	return inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1;
}

/* Loopback, RFC 1918, link-local, CGNAT, ULA: no public reverse DNS is expected. */
static int private_ip(const char *ip)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, ip, a) == 1) {
		return a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
			(a[0] == 169 && a[1] == 254) || (a[0] == 100 && (a[1] & 0xC0) == 64);
	}
	if (inet_pton(AF_INET6, ip, a) == 1) {
		static const unsigned char loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
		return memcmp(a, loop6, 16) == 0 || (a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80);
	}
	return 0;
}

static int same_ip(const char *a, const char *b)
{
	unsigned char x[16], y[16];
	if (inet_pton(AF_INET, a, x) == 1) {
		return inet_pton(AF_INET, b, y) == 1 && memcmp(x, y, 4) == 0;
	}
	return inet_pton(AF_INET6, a, x) == 1 && inet_pton(AF_INET6, b, y) == 1 && memcmp(x, y, 16) == 0;
}

static int name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la && a[la - 1] == '.') {
		la--;
	}
	if (lb && b[lb - 1] == '.') {
		lb--;
	}
	return la == lb && sdiag_strncasecmp(a, b, la) == 0;
}

/* ---- dns.mx ---- */

#define MX_HOSTS_MAX 16
#define HOST_ADDRS_MAX 8

typedef struct mx_host {
	struct mx_job *mj;
	char host[SDIAG_DNS_NAME_MAX];
	uint16_t pref;
	char cname[SDIAG_DNS_NAME_MAX];     /* where the name's CNAME chain ended, when it has one */
	char addrs[HOST_ADDRS_MAX][64];
	size_t naddrs;
	char problem[SDIAG_DNS_NAME_MAX + 128];
	int soft;                           /* the problem is a DNS failure, not a missing record */
} mx_host_t;

typedef struct mx_job {
	sdiag_job_t *job;
	mx_host_t hosts[MX_HOSTS_MAX];
	size_t n, total;                    /* kept, and published */
	int pending;
	int implicit;
} mx_job_t;

static void mx_finish(mx_job_t *mj)
{
	sdiag_job_t *job = mj->job;
	sdiag_value_t *list = sdiag_v_put_list(job->step.data, "records");
	size_t i, good = 0, cnamed = 0;
	const mx_host_t *bad = NULL, *literal = NULL;
	for (i = 0; i < mj->n; i++) {
		const mx_host_t *h = &mj->hosts[i];
		sdiag_value_t *m = sdiag_v_push_map(list), *al;
		size_t k;
		sdiag_v_put_int(m, "preference", h->pref);
		sdiag_v_put_str(m, "host", h->host);
		al = sdiag_v_put_list(m, "addresses");
		for (k = 0; k < h->naddrs; k++) {
			sdiag_v_push_str(al, h->addrs[k]);
		}
		sdiag_v_put_str(m, "cname", h->cname[0] ? h->cname : NULL);
		sdiag_v_put_str(m, "problem", h->problem[0] ? h->problem : NULL);
		if (looks_like_ip(h->host)) {
			literal = literal ? literal : h;
		} else if (h->naddrs) {
			good++;
		} else if (!bad) {
			bad = h;
		}
		cnamed += h->cname[0] != 0;
	}
	sdiag_v_put_bool(job->step.data, "implicit", mj->implicit);
	sdiag_v_put_bool(job->step.data, "null_mx", 0);
	if (mj->implicit) {
		if (!good) {
			sdiag_job_done(job, SDIAG_STEP_FAIL, "Publish an MX record for the domain (e.g. \"10 mail.<domain>\"), or the one your mail provider gives you.",
				"%s has no MX record and no address: it cannot receive mail (bounces and replies to it are lost)", job->in->domain);
		} else {
			sdiag_job_done(job, SDIAG_STEP_WARN, "Publish an MX record even when the mail server is the domain's own host; some senders refuse the A fallback.",
				"%s has no MX record; mail to it falls back to its address record (implicit MX, RFC 5321 5.1)", job->in->domain);
		}
		return;
	}
	if (literal) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, "An MX record must name a host, not an address: publish \"mail.<domain>\" with an A record for the address.",
			"the MX record %s points at an IP address, which is not allowed (RFC 7505, RFC 5321 5.1)", literal->host);
	} else if (!good) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, bad && bad->soft ? "The MX hosts could not be resolved: check the DNS servers (dns_servers)." :
			"Give every MX host an A and/or AAAA record, or point the MX at your provider's host.",
			"none of the %zu MX host%s of %s resolves to an address (%s)", mj->n, mj->n == 1 ? "" : "s", job->in->domain,
			bad ? bad->problem : "no address");
	} else if (bad) {
		sdiag_job_done(job, SDIAG_STEP_WARN, "Remove the MX record of the host that does not resolve, or give it an address.",
			"%zu of %zu MX hosts of %s resolve; %s", good, mj->n, job->in->domain, bad->problem);
	} else if (cnamed) {
		sdiag_job_done(job, SDIAG_STEP_WARN, "Point the MX record at the canonical name (the CNAME's target) instead (RFC 2181 10.3).",
			"an MX host of %s is an alias (CNAME), which RFC 5321 5.1 does not allow", job->in->domain);
	} else {
		sdiag_job_done(job, SDIAG_STEP_OK, NULL, "%zu MX host%s, lowest preference %s", mj->n, mj->n == 1 ? "" : "s", mj->hosts[0].host);
	}
}

static void mx_addr_done(mx_job_t *mj);

static void mx_addr_cb(void *ud, const sdiag_dns_result_t *res)
{
	mx_host_t *h = ud;
	mx_job_t *mj = h->mj;
	if (res->status == SDIAG_DNS_OK) {
		size_t pos = 0;
		const sdiag_dns_rr_t *rr;
		while ((rr = sdiag_dns_next(res->msg, res->type, &pos)) && h->naddrs < HOST_ADDRS_MAX) {
			addr_text(rr, h->addrs[h->naddrs++], sizeof(h->addrs[0]));
		}
		if (res->msg->cnames) {
			snprintf(h->cname, sizeof(h->cname), "%s", res->msg->canonical);
		}
	} else if (res->status != SDIAG_DNS_NODATA && !h->problem[0]) {
		sdiag_strlcpy(h->problem, res->why, sizeof(h->problem));
		h->soft = res->status != SDIAG_DNS_NXDOMAIN;
	}
	mx_addr_done(mj);
}

static void mx_addr_done(mx_job_t *mj)
{
	if (--mj->pending == 0) {
		size_t i;
		for (i = 0; i < mj->n; i++) {
			mx_host_t *x = &mj->hosts[i];
			if (!x->naddrs && !x->problem[0]) {
				snprintf(x->problem, sizeof(x->problem), "%s has no A or AAAA record", x->host);
			}
		}
		mx_finish(mj);
	}
}

static void mx_resolve_hosts(mx_job_t *mj)
{
	size_t i;
	sdiag_job_t *job = mj->job;
	mj->pending = (int)(2 * mj->n) + 1; /* +1 held until every query is issued */
	for (i = 0; i < mj->n; i++) {
		mx_host_t *h = &mj->hosts[i];
		if (looks_like_ip(h->host)) {
			/* nothing to resolve: the finish reports it */
			snprintf(h->problem, sizeof(h->problem), "%s is an address, not a host name", h->host);
			mj->pending -= 2;
			continue;
		}
		job->in->ops.query(job->in->ops.ctx, h->host, SDIAG_DNS_T_A, mx_addr_cb, h);
		job->in->ops.query(job->in->ops.ctx, h->host, SDIAG_DNS_T_AAAA, mx_addr_cb, h);
	}
	mx_addr_done(mj);
}

static int mx_cmp(const void *a, const void *b)
{
	const mx_host_t *x = a, *y = b;
	if (x->pref != y->pref) {
		return x->pref < y->pref ? -1 : 1;
	}
	return strcmp(x->host, y->host);
}

static void mx_cb(void *ud, const sdiag_dns_result_t *res)
{
	mx_job_t *mj = ud;
	sdiag_job_t *job = mj->job;
	const sdiag_dns_rr_t *rr;
	size_t pos = 0;
	if (res->status == SDIAG_DNS_NODATA) {
		mj->implicit = 1;
		mj->n = 1;
		mj->hosts[0].mj = mj;
		snprintf(mj->hosts[0].host, sizeof(mj->hosts[0].host), "%s", job->in->domain);
		mx_resolve_hosts(mj);
		return;
	}
	if (res->status == SDIAG_DNS_NXDOMAIN) {
		sdiag_v_put_str(job->step.data, "dns_status", "nxdomain");
		sdiag_job_done(job, SDIAG_STEP_FAIL, "Check the sender domain for typos: mail from a domain that does not exist is rejected (550 5.1.8 / 5.7.1).",
			"the domain %s does not exist (NXDOMAIN)", job->in->domain);
		return;
	}
	if (res->status != SDIAG_DNS_OK) {
		sdiag_v_put_str(job->step.data, "dns_status", sdiag_dns_status_name(res->status));
		sdiag_job_done(job, SDIAG_STEP_WARN, "Retry, or check the domain's name servers and dns_servers.", "cannot look up the MX records: %s", res->why);
		return;
	}
	while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_MX, &pos))) {
		mj->total++;
		if (mj->n < MX_HOSTS_MAX) {
			mx_host_t *h = &mj->hosts[mj->n++];
			h->mj = mj;
			h->pref = rr->pref;
			snprintf(h->host, sizeof(h->host), "%s", rr->target);
		}
	}
	qsort(mj->hosts, mj->n, sizeof(mj->hosts[0]), mx_cmp);
	sdiag_v_put_int(job->step.data, "count", (long long)mj->total);
	if (mj->total == 1 && mj->hosts[0].host[0] == '\0') {
		sdiag_value_t *list = sdiag_v_put_list(job->step.data, "records");
		sdiag_value_t *m = sdiag_v_push_map(list);
		sdiag_v_put_int(m, "preference", mj->hosts[0].pref);
		sdiag_v_put_str(m, "host", ".");
		sdiag_v_put_bool(job->step.data, "implicit", 0);
		sdiag_v_put_bool(job->step.data, "null_mx", 1);
		sdiag_job_done(job, SDIAG_STEP_FAIL, "Remove the null MX (\"0 .\") if the domain sends mail, and publish its real MX: receivers may reject senders whose domain takes no mail (550 5.7.27).",
			"%s publishes a null MX (RFC 7505): it accepts no mail", job->in->domain);
		return;
	}
	for (pos = 0; pos < mj->n; pos++) {
		if (mj->hosts[pos].host[0] == '\0') {
			snprintf(mj->hosts[pos].host, sizeof(mj->hosts[pos].host), ".");
			snprintf(mj->hosts[pos].problem, sizeof(mj->hosts[pos].problem), "a null MX (\".\") beside other MX records is invalid (RFC 7505 3)");
		}
	}
	mx_resolve_hosts(mj);
}

static void mx_free(sdiag_job_t *job)
{
	sdiag_free(job->priv);
	job->priv = NULL;
}

void sdiag_job_mx(sdiag_job_t *job)
{
	mx_job_t *mj = sdiag_calloc(1, sizeof(*mj));
	job->step.id = "dns.mx";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	if (!mj) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	mj->job = job;
	job->priv = mj;
	job->free_priv = mx_free;
	sdiag_v_put_str(job->step.data, "domain", job->in->domain);
	job->in->ops.query(job->in->ops.ctx, job->in->domain, SDIAG_DNS_T_MX, mx_cb, mj);
}

/* ---- dns.ptr ---- */

#define PTR_NAMES_MAX 10
#define PTR_ADDRS_MAX 8

typedef struct ptr_fwd {
	struct ptr_addr *a;
	size_t i;
} ptr_fwd_t;

typedef struct ptr_addr {
	struct ptr_job *pj;
	char role[SDIAG_DNS_NAME_MAX + 8];   /* "server", "local", "mx mx1.example.com" */
	char ip[64];
	int priv;
	sdiag_dns_status_t st;
	char why[256];
	char names[PTR_NAMES_MAX][SDIAG_DNS_NAME_MAX];
	int confirmed[PTR_NAMES_MAX];
	ptr_fwd_t fwd[PTR_NAMES_MAX];
	size_t nnames;
	const char *match_name;              /* HELO / banner name to compare (match), or NULL */
	char match[SDIAG_DNS_NAME_MAX];      /* a copy: an answer's name lasts only its callback */
} ptr_addr_t;

typedef struct ptr_job {
	sdiag_job_t *job;
	ptr_addr_t addrs[PTR_ADDRS_MAX];
	size_t n;
	int pending;
	int started;                         /* every query of the current phase issued */
	char helo[SDIAG_DNS_NAME_MAX];
	char banner[SDIAG_DNS_NAME_MAX];
	/* mx mode (smtpdiag_dns): the domain's MX hosts' addresses */
	char mx_hosts[4][SDIAG_DNS_NAME_MAX];
	size_t nmx;
} ptr_job_t;

static void ptr_finish(ptr_job_t *pj)
{
	sdiag_job_t *job = pj->job;
	sdiag_value_t *list = sdiag_v_put_list(job->step.data, "addresses");
	sdiag_step_status_t st = SDIAG_STEP_OK;
	char msg[SDIAG_MSG_MAX] = "", hint[SDIAG_HINT_MAX] = "";
	size_t i, k;
	for (i = 0; i < pj->n; i++) {
		ptr_addr_t *a = &pj->addrs[i];
		sdiag_value_t *m = sdiag_v_push_map(list), *names = NULL;
		const char *confirmed = NULL;
		sdiag_step_status_t ast = SDIAG_STEP_OK;
		int matches = -1;
		sdiag_v_put_str(m, "role", a->role);
		sdiag_v_put_str(m, "address", a->ip);
		sdiag_v_put_bool(m, "private", a->priv);
		sdiag_v_put_str(m, "dns_status", sdiag_dns_status_name(a->st));
		names = sdiag_v_put_list(m, "names");
		for (k = 0; k < a->nnames; k++) {
			sdiag_value_t *n = sdiag_v_push_map(names);
			sdiag_v_put_str(n, "name", a->names[k]);
			sdiag_v_put_bool(n, "forward_confirmed", a->confirmed[k]);
			if (a->confirmed[k] && !confirmed) {
				confirmed = a->names[k];
			}
			if (a->match_name && a->match_name[0] && name_eq(a->match_name, a->names[k])) {
				matches = a->confirmed[k] ? 1 : 0;
			}
		}
		sdiag_v_put_str(m, "fcrdns", confirmed);
		if (a->match_name && a->match_name[0]) {
			sdiag_v_put_str(m, strcmp(a->role, "local") == 0 ? "helo" : "banner_name", a->match_name);
			sdiag_v_put_bool(m, strcmp(a->role, "local") == 0 ? "helo_matches" : "banner_matches", matches == 1);
		}
		if (a->st == SDIAG_DNS_NXDOMAIN || a->st == SDIAG_DNS_NODATA) {
			if (!a->priv) {
				ast = SDIAG_STEP_WARN;
				if (!msg[0] || st != SDIAG_STEP_WARN) {
					snprintf(msg, sizeof(msg), "%s address %s has no reverse DNS (PTR) record", a->role, a->ip);
					snprintf(hint, sizeof(hint), "Ask whoever owns %s (the hosting or ISP) to set its PTR to the host's name, and give that name an A/AAAA record back to %s: receivers score or reject mail from addresses without forward-confirmed reverse DNS.", a->ip, a->ip);
				}
			}
		} else if (a->st != SDIAG_DNS_OK) {
			ast = SDIAG_STEP_WARN;
			if (!msg[0]) {
				snprintf(msg, sizeof(msg), "reverse DNS of %s address %s: %s", a->role, a->ip, a->why);
				snprintf(hint, sizeof(hint), "The reverse zone's name servers do not answer properly; retry, or ask the address owner.");
			}
		} else if (!confirmed) {
			ast = SDIAG_STEP_WARN;
			snprintf(msg, sizeof(msg), "%s address %s has a PTR (%s) that does not resolve back to it: reverse DNS is not forward-confirmed",
				a->role, a->ip, a->nnames ? a->names[0] : "?");
			snprintf(hint, sizeof(hint), "Give %s an A/AAAA record for %s, or change the PTR to a name that has one.", a->nnames ? a->names[0] : "the PTR name", a->ip);
		} else if (matches == 0 || (matches == -1 && a->match_name && a->match_name[0] && strcmp(a->role, "local") == 0 && !a->priv)) {
			ast = SDIAG_STEP_WARN;
			snprintf(msg, sizeof(msg), "the HELO name %s does not match the reverse DNS of %s (%s)", a->match_name, a->ip, confirmed);
			snprintf(hint, sizeof(hint), "Set the client's helo option (EHLO name) to %s, the forward-confirmed name of its address.", confirmed);
		}
		sdiag_v_put_str(m, "status", sdiag_step_status_name(ast));
		st = worse(st, ast);
	}
	if (st == SDIAG_STEP_OK) {
		size_t conf = 0;
		for (i = 0; i < pj->n; i++) {
			for (k = 0; k < pj->addrs[i].nnames; k++) {
				if (pj->addrs[i].confirmed[k]) {
					conf++;
					break;
				}
			}
		}
		snprintf(msg, sizeof(msg), pj->n == 0 ? "no address to check" : "%zu of %zu address%s with forward-confirmed reverse DNS%s", conf, pj->n,
			pj->n == 1 ? "" : "es", conf < pj->n ? " (the others are private)" : "");
	}
	sdiag_job_done(job, st, hint[0] ? hint : NULL, "%s", msg);
}

static void ptr_fwd_cb(void *ud, const sdiag_dns_result_t *res)
{
	ptr_fwd_t *f = ud;
	ptr_addr_t *a = f->a;
	ptr_job_t *pj = a->pj;
	if (res->status == SDIAG_DNS_OK) {
		size_t pos = 0;
		const sdiag_dns_rr_t *rr;
		while ((rr = sdiag_dns_next(res->msg, res->type, &pos))) {
			char text[64];
			addr_text(rr, text, sizeof(text));
			if (same_ip(text, a->ip)) {
				a->confirmed[f->i] = 1;
			}
		}
	}
	if (--pj->pending == 0 && pj->started) {
		ptr_finish(pj);
	}
}

static void ptr_cb(void *ud, const sdiag_dns_result_t *res)
{
	ptr_addr_t *a = ud;
	ptr_job_t *pj = a->pj;
	sdiag_job_t *job = pj->job;
	a->st = res->status;
	sdiag_strlcpy(a->why, res->why, sizeof(a->why));
	if (res->status == SDIAG_DNS_OK) {
		size_t pos = 0, i;
		const sdiag_dns_rr_t *rr;
		uint16_t type = strchr(a->ip, ':') ? SDIAG_DNS_T_AAAA : SDIAG_DNS_T_A;
		while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_PTR, &pos)) && a->nnames < PTR_NAMES_MAX) {
			snprintf(a->names[a->nnames++], SDIAG_DNS_NAME_MAX, "%s", rr->target);
		}
		pj->pending += (int)a->nnames;
		for (i = 0; i < a->nnames; i++) {
			a->fwd[i].a = a;
			a->fwd[i].i = i;
			job->in->ops.query(job->in->ops.ctx, a->names[i], type, ptr_fwd_cb, &a->fwd[i]);
		}
	}
	if (--pj->pending == 0 && pj->started) {
		ptr_finish(pj);
	}
}

static void ptr_add(ptr_job_t *pj, const char *role, const char *ip, const char *match)
{
	ptr_addr_t *a;
	size_t i;
	if (!ip || !ip[0] || pj->n >= PTR_ADDRS_MAX) {
		return;
	}
	for (i = 0; i < pj->n; i++) {
		if (same_ip(pj->addrs[i].ip, ip)) {
			return;
		}
	}
	a = &pj->addrs[pj->n++];
	a->pj = pj;
	snprintf(a->role, sizeof(a->role), "%s", role);
	snprintf(a->ip, sizeof(a->ip), "%s", ip);
	a->priv = private_ip(ip);
	if (match) {
		snprintf(a->match, sizeof(a->match), "%s", match);
		a->match_name = a->match;
	}
}

/* Look up every address's PTR (and then each name's address) at once. */
static void ptr_run(ptr_job_t *pj)
{
	size_t i, n = pj->n;
	sdiag_job_t *job = pj->job;
	pj->started = 0;
	pj->pending = (int)n + 1; /* +1 held until every query is issued */
	for (i = 0; i < n; i++) {
		char rname[SDIAG_DNS_NAME_MAX];
		if (sdiag_dns_reverse_name(pj->addrs[i].ip, rname, sizeof(rname)) != 0) {
			pj->addrs[i].st = SDIAG_DNS_BADNAME;
			pj->pending--;
			continue;
		}
		job->in->ops.query(job->in->ops.ctx, rname, SDIAG_DNS_T_PTR, ptr_cb, &pj->addrs[i]);
	}
	pj->started = 1;
	if (--pj->pending == 0) {
		ptr_finish(pj);
	}
}

static void ptr_session(sdiag_job_t *job, const sdiag_dnscheck_session_t *s)
{
	ptr_job_t *pj = job->priv;
	snprintf(pj->helo, sizeof(pj->helo), "%s", s->helo ? s->helo : "");
	snprintf(pj->banner, sizeof(pj->banner), "%s", s->banner_host ? s->banner_host : "");
	ptr_add(pj, "server", s->server_ip, pj->banner);
	ptr_add(pj, "local", s->local_ip, pj->helo);
	if (pj->n == 0) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "not run: the SMTP session did not connect");
		return;
	}
	ptr_run(pj);
}

/* mx mode: the MX hosts, then their addresses, then reverse DNS. */
static void ptr_mx_addr_cb(void *ud, const sdiag_dns_result_t *res)
{
	ptr_job_t *pj = ud;
	if (res->status == SDIAG_DNS_OK) {
		size_t pos = 0;
		const sdiag_dns_rr_t *rr;
		char role[SDIAG_DNS_NAME_MAX + 8], ip[64];
		snprintf(role, sizeof(role), "mx %s", res->name);
		while ((rr = sdiag_dns_next(res->msg, res->type, &pos))) {
			addr_text(rr, ip, sizeof(ip));
			ptr_add(pj, role, ip, res->name);
		}
	}
	if (--pj->pending == 0 && pj->started) {
		ptr_run(pj);
	}
}

static void ptr_mx_cb(void *ud, const sdiag_dns_result_t *res)
{
	ptr_job_t *pj = ud;
	sdiag_job_t *job = pj->job;
	size_t pos = 0, i;
	const sdiag_dns_rr_t *rr;
	if (res->status == SDIAG_DNS_OK) {
		while ((rr = sdiag_dns_next(res->msg, SDIAG_DNS_T_MX, &pos)) && pj->nmx < 4) {
			if (rr->target[0]) {
				snprintf(pj->mx_hosts[pj->nmx++], SDIAG_DNS_NAME_MAX, "%s", rr->target);
			}
		}
	}
	if (pj->nmx == 0) {
		sdiag_job_done(job, SDIAG_STEP_SKIP, NULL, "not run: %s has no MX host to check", job->in->domain);
		return;
	}
	pj->started = 0;
	pj->pending = (int)(2 * pj->nmx) + 1;
	for (i = 0; i < pj->nmx; i++) {
		job->in->ops.query(job->in->ops.ctx, pj->mx_hosts[i], SDIAG_DNS_T_A, ptr_mx_addr_cb, pj);
		job->in->ops.query(job->in->ops.ctx, pj->mx_hosts[i], SDIAG_DNS_T_AAAA, ptr_mx_addr_cb, pj);
	}
	pj->started = 1;
	if (--pj->pending == 0) {
		ptr_run(pj);
	}
}

static void ptr_free(sdiag_job_t *job)
{
	sdiag_free(job->priv);
	job->priv = NULL;
}

void sdiag_job_ptr(sdiag_job_t *job)
{
	ptr_job_t *pj = sdiag_calloc(1, sizeof(*pj));
	job->step.id = "dns.ptr";
	job->step.data = sdiag_v_new(SDIAG_V_MAP);
	if (!pj) {
		sdiag_job_done(job, SDIAG_STEP_FAIL, NULL, "out of memory");
		return;
	}
	pj->job = job;
	job->priv = pj;
	job->free_priv = ptr_free;
	if (job->in->await_session) {
		job->on_session = ptr_session;
		return;
	}
	job->in->ops.query(job->in->ops.ctx, job->in->domain, SDIAG_DNS_T_MX, ptr_mx_cb, pj);
}
