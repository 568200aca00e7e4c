/* Unit tests of src/core/spf.c: macros, syntax, limits, asynchronous
 * paths, freeing mid-flight, allocation failures, walk mode, step data. */
#include "test.h"
#include "zone.h"
#include "spf.h"
#include "dnscheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct done {
	int n;
} done_t;

static void on_done(void *ud, sdiag_spf_t *s)
{
	(void)s;
	((done_t *)ud)->n++;
}

/* Evaluate at once (the zone answers inside query()). */
static sdiag_spf_t *run(t_zone_t *z, const char *ip, const char *sender, done_t *d)
{
	sdiag_spf_req_t req;
	memset(&req, 0, sizeof(req));
	req.ip = ip;
	req.sender = sender;
	req.helo = "mail.example.org";
	return sdiag_spf_start(t_zone_ops(z), &req, on_done, d);
}

static const char *vstr(const sdiag_value_t *v)
{
	return (v && v->type == SDIAG_V_STR) ? v->u.str.s : NULL;
}

static int has_warning(const sdiag_value_t *data, const char *needle)
{
	const sdiag_value_t *w = sdiag_v_get(data, "warnings");
	size_t i;
	for (i = 0; i < sdiag_v_count(w); i++) {
		if (strstr(vstr(sdiag_v_at(w, i)), needle)) {
			return 1;
		}
	}
	return 0;
}

/* Queries held by the test and let through one round at a time (the
 * answers come from the zone; the queries they lead to are held again). */
typedef struct held {
	char name[SDIAG_DNS_NAME_MAX];
	uint16_t type;
	sdiag_dns_cb cb;
	void *ud;
} held_t;

typedef struct holder {
	t_zone_t *z;
	held_t q[64];
	size_t n;
} holder_t;

static void hold_query(void *ctx, const char *name, uint16_t type, sdiag_dns_cb cb, void *ud)
{
	holder_t *h = ctx;
	if (h->n < 64) {
		snprintf(h->q[h->n].name, sizeof(h->q[h->n].name), "%s", name);
		h->q[h->n].type = type;
		h->q[h->n].cb = cb;
		h->q[h->n].ud = ud;
		h->n++;
	}
}

static size_t let_through(holder_t *h)
{
	held_t batch[64];
	sdiag_dns_ops_t zo = t_zone_ops(h->z);
	size_t i, n = h->n;
	memcpy(batch, h->q, n * sizeof(held_t));
	h->n = 0;
	for (i = 0; i < n; i++) {
		zo.query(zo.ctx, batch[i].name, batch[i].type, batch[i].cb, batch[i].ud);
	}
	return n;
}

static sdiag_spf_t *run_held(holder_t *h, const char *ip, const char *sender, done_t *d)
{
	sdiag_spf_req_t req;
	sdiag_dns_ops_t ops;
	memset(&req, 0, sizeof(req));
	req.ip = ip;
	req.sender = sender;
	ops.query = hold_query;
	ops.ctx = h;
	return sdiag_spf_start(ops, &req, on_done, d);
}

/* ---- macros: RFC 7208 7.4 ---- */

TEST(macro_rfc_examples)
{
	static const struct {
		const char *ip, *in, *out;
	} rows[] = {
		{"192.0.2.3", "%{s}", "strong-bad@email.example.com"},
		{"192.0.2.3", "%{o}", "email.example.com"},
		{"192.0.2.3", "%{d}", "email.example.com"},
		{"192.0.2.3", "%{d4}", "email.example.com"},
		{"192.0.2.3", "%{d3}", "email.example.com"},
		{"192.0.2.3", "%{d2}", "example.com"},
		{"192.0.2.3", "%{d1}", "com"},
		{"192.0.2.3", "%{dr}", "com.example.email"},
		{"192.0.2.3", "%{d2r}", "example.email"},
		{"192.0.2.3", "%{l}", "strong-bad"},
		{"192.0.2.3", "%{l-}", "strong.bad"},
		{"192.0.2.3", "%{lr}", "strong-bad"},
		{"192.0.2.3", "%{lr-}", "bad.strong"},
		{"192.0.2.3", "%{l1r-}", "strong"},
		{"192.0.2.3", "%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
		{"192.0.2.3", "%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
		{"192.0.2.3", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
		{"192.0.2.3", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"},
		{"192.0.2.3", "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"},
		{"2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}",
			"1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"},
		/* beyond the RFC's table */
		{"192.0.2.3", "%%%_%-", "% %20"},
		{"192.0.2.3", "%{S}", "strong-bad%40email.example.com"},
		{"192.0.2.3", "%{c}/%{h}/%{p}", "192.0.2.3/helo.example.org/mx.example.org"},
		{"::ffff:192.0.2.3", "%{i} %{v}", "192.0.2.3 in-addr"},
		{"2001:db8::cb01", "%{c}", "2001:db8::cb01"},
		{"192.0.2.3", "%{d9}", "email.example.com"},
		{"192.0.2.3", "%{l+-_}", "strong.bad"},
		{"192.0.2.3", "%{r}", "unknown"},
	};
	size_t i;
	sdiag_spf_req_t req;
	memset(&req, 0, sizeof(req));
	req.sender = "strong-bad@email.example.com";
	req.helo = "helo.example.org";
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].in) {
			char out[256];
			long n;
			req.ip = rows[i].ip;
			n = sdiag_spf_expand(&req, "email.example.com", "mx.example.org", rows[i].in, strlen(rows[i].in), 1, out,
				sizeof(out));
			CHECK_INT(n, (long)strlen(rows[i].out));
			CHECK_STR(out, rows[i].out);
		}
	}
}

TEST(macro_edges)
{
	sdiag_spf_req_t req;
	char out[16];
	memset(&req, 0, sizeof(req));
	req.ip = "192.0.2.3";
	req.helo = "h.example";
	/* no sender: postmaster@<helo>; no local-part: postmaster */
	req.sender = "";
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{s}", 4, 0, out, sizeof(out)), 20);
	CHECK_STR(out, "postmaster@h.ex"); /* cut to fit, the full length returned */
	req.sender = "@x.example";
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{l}", 4, 0, out, sizeof(out)), 10);
	CHECK_STR(out, "postmaster");
	req.sender = "x.example";
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{o}", 4, 0, out, sizeof(out)), 9);
	/* p without a validated name */
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{p}", 4, 0, out, sizeof(out)), 7);
	CHECK_STR(out, "unknown");
	/* c, r, t only in explanations; bad macros */
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{c}", 4, 0, out, sizeof(out)), -1);
	CHECK(sdiag_spf_expand(&req, "d.example", NULL, "%{t}", 4, 1, out, sizeof(out)) > 8);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{d0}", 5, 0, out, sizeof(out)), -1);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{x}", 4, 0, out, sizeof(out)), -1);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%{d", 3, 0, out, sizeof(out)), -1);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%", 1, 0, out, sizeof(out)), -1);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "%x", 2, 0, out, sizeof(out)), -1);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "a b", 3, 0, out, sizeof(out)), -1);
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "a b", 3, 1, out, sizeof(out)), 3);
	req.ip = "not-an-ip";
	CHECK_INT(sdiag_spf_expand(&req, "d.example", NULL, "x", 1, 0, out, sizeof(out)), -1);
}

/* ---- syntax ---- */

TEST(syntax_table)
{
	static const struct {
		const char *rec;
		int ok;
		const char *why;
	} rows[] = {
		{"v=spf1", 1, ""},
		{"v=spf1 -all", 1, ""},
		{"V=SPF1 +A/24//64 MX:example.com/30 -ALL", 1, ""},
		{"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.com ~all", 1, ""},
		{"v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} ?all", 1, ""},
		{"v=spf1 a:foo:bar/baz.example.com", 1, ""},
		{"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", 1, ""},
		{"v=spf1 redirect=_spf.example.com", 1, ""},
		{"v=spf1 -all exp=explain.%{d}", 1, ""},
		{"v=spf1 -all ", 1, ""},
		{"v=spf1 ptr ptr:example.com", 1, ""},
		{"v=spf10", 0, "v=spf1"},
		{"spf1 -all", 0, "v=spf1"},
		{"v=spf1 -all foo", 0, "unknown mechanism"},
		{"v=spf1 all.", 0, "invalid mechanism"},
		{"v=spf1 all:x.com", 0, "invalid mechanism"},
		{"v=spf1 -all/8", 0, "invalid mechanism"},
		{"v=spf1 a:museum", 0, "top-level label"},
		{"v=spf1 a:abc.123", 0, "top-level label"},
		{"v=spf1 a:example.-com", 0, "top-level label"},
		{"v=spf1 a:", 0, "empty domain-spec"},
		{"v=spf1 a/33", 0, "invalid mechanism"},
		{"v=spf1 a//129", 0, "invalid mechanism"},
		{"v=spf1 a/24/64", 0, "invalid mechanism"},
		{"v=spf1 a/024", 0, "invalid mechanism"},
		{"v=spf1 include:", 0, "empty domain-spec"},
		{"v=spf1 include", 0, "invalid mechanism"},
		{"v=spf1 exists", 0, "invalid mechanism"},
		{"v=spf1 ip4:1.2.3", 0, "not an IPv4"},
		{"v=spf1 ip4:1.2.3.4/33", 0, "invalid mechanism"},
		{"v=spf1 ip4:1.2.3.4:8080", 0, "not an IPv4"},
		{"v=spf1 ip6:1.2.3.4", 0, "not an IPv6"},
		{"v=spf1 ip6:::1/129", 0, "invalid mechanism"},
		{"v=spf1 ptr/24", 0, "invalid mechanism"},
		{"v=spf1 redirect=a.example redirect=b.example", 0, "more than once"},
		{"v=spf1 exp=a.example exp=b.example", 0, "more than once"},
		{"v=spf1 redirect=", 0, "empty domain-spec"},
		{"v=spf1 exists:%{c}.example.com", 0, "only in explanation"},
		{"v=spf1 exists:%{d0}.example.com", 0, "zero"},
		{"v=spf1 a:%{q}.example.com", 0, "unknown macro letter"},
		{"v=spf1 a:%{d.example.com", 0, "not closed"},
		{"v=spf1 a:100%.example.com", 0, "'%'"},
		{"v=spf1 foo=%", 0, "'%'"},
		{"v=spf1 1foo=bar", 0, "unknown mechanism"},
		{"v=spf1 a:ctrl.example.com\rptr", 0, "0x0d"},
		{"v=spf1 \x80" "a", 0, "unknown mechanism"},
		{"v=spf1\t-all", 0, "v=spf1"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].rec)) {
			char why[256];
			int r = sdiag_spf_syntax(rows[i].rec, strlen(rows[i].rec), why, sizeof(why));
			CHECK_INT(r, rows[i].ok ? 0 : -1);
			if (rows[i].ok) {
				CHECK_STR(why, "");
			} else {
				CHECK_CONTAINS(why, rows[i].why);
			}
		}
	}
	/* a NUL byte inside is an error, not the end of the record */
	CHECK_INT(sdiag_spf_syntax("v=spf1 -all\0", 12, NULL, 0), -1);
	CHECK_INT(sdiag_spf_syntax(NULL, 0, NULL, 0), -1);
}

/* ---- evaluation basics ---- */

TEST(results_and_explanation)
{
	t_zone_t *z = t_zone_new();
	done_t d = {0};
	sdiag_spf_t *s;
	t_zone_add(z, "example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 ~all exp=exp.example.com");
	t_zone_add(z, "example.com", "TXT", "google-site-verification=abc");
	t_zone_add(z, "exp.example.com", "TXT", "%{i} is not one of %{d}'s servers; see http://%{d}/spf?s=%{S}");
	t_zone_add(z, "hard.example.com", "TXT", "v=spf1 ip6:2001:db8::/32 -all exp=exp.example.com");

	s = run(z, "192.0.2.77", "user@example.com", &d);
	REQUIRE(s != NULL);
	CHECK_INT(d.n, 1);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	CHECK_STR(sdiag_spf_explanation(s), "");
	CHECK_STR(sdiag_spf_problem(s), "");
	CHECK_INT(sdiag_spf_lookups(s), 0);
	sdiag_spf_free(s);

	s = run(z, "198.51.100.1", "user@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_SOFTFAIL);
	CHECK_STR(sdiag_spf_explanation(s), ""); /* exp is for fail only */
	sdiag_spf_free(s);

	s = run(z, "198.51.100.1", "a+b@hard.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_FAIL);
	CHECK_STR(sdiag_spf_explanation(s),
		"198.51.100.1 is not one of hard.example.com's servers; see http://hard.example.com/spf?s=a%2Bb%40hard.example.com");
	sdiag_spf_free(s);

	s = run(z, "2001:db8::1", "user@hard.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	sdiag_spf_free(s);

	/* an exp= text that expands to nothing keeps the default explanation */
	t_zone_add(z, "blank.example.com", "TXT", "v=spf1 -all exp=empty.example.com");
	t_zone_add(z, "empty.example.com", "TXT", "");
	s = run(z, "198.51.100.1", "user@blank.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_FAIL);
	CHECK(sdiag_spf_explanation(s)[0] != '\0');
	sdiag_spf_free(s);

	s = run(z, "192.0.2.1", "user@nothing.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_NONE);
	CHECK_CONTAINS(sdiag_spf_problem(s), "no SPF record");
	sdiag_spf_free(s);

	s = run(z, "192.0.2.1", "user@a..example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_NONE);
	CHECK_CONTAINS(sdiag_spf_problem(s), "not a valid domain name");
	sdiag_spf_free(s);

	s = run(z, "300.1.1.1", "user@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(sdiag_spf_problem(s), "not an IPv4 or IPv6 address");
	sdiag_spf_free(s);
	CHECK_INT(d.n, 8);
	/* only TXT is asked, never the SPF type */
	CHECK(strstr(t_zone_log(z), "SPF ") == NULL);
	t_zone_free(z);
}

TEST(dns_errors)
{
	t_zone_t *z = t_zone_new();
	done_t d = {0};
	sdiag_spf_t *s;
	t_zone_add(z, "example.com", "TXT", "v=spf1 a:down.example.com -all");
	t_zone_fault(z, "down.example.com", "A", SDIAG_DNS_SERVFAIL);
	t_zone_fault(z, "slow.example.com", NULL, SDIAG_DNS_TIMEOUT);
	t_zone_add(z, "two.example.com", "TXT", "v=spf1 -all");
	t_zone_add(z, "two.example.com", "TXT", "v=spf1 +all");

	s = run(z, "192.0.2.1", "x@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_TEMPERROR);
	CHECK_CONTAINS(sdiag_spf_problem(s), "servfail");
	sdiag_spf_free(s);
	s = run(z, "192.0.2.1", "x@slow.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_TEMPERROR);
	CHECK_CONTAINS(sdiag_spf_problem(s), "timeout");
	sdiag_spf_free(s);
	s = run(z, "192.0.2.1", "x@two.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(sdiag_spf_problem(s), "2 SPF records");
	sdiag_spf_free(s);
	t_zone_free(z);
}

/* ---- limits ---- */

static void chain_zone(t_zone_t *z, int includes)
{
	char name[64], rec[128];
	int i;
	for (i = 0; i < includes; i++) {
		snprintf(name, sizeof(name), "i%d.example.com", i);
		snprintf(rec, sizeof(rec), "v=spf1 include:i%d.example.com", i + 1);
		t_zone_add(z, name, "TXT", rec);
	}
	snprintf(name, sizeof(name), "i%d.example.com", includes);
	t_zone_add(z, name, "TXT", "v=spf1 ip4:192.0.2.1");
}

TEST(lookup_limit)
{
	done_t d = {0};
	sdiag_spf_t *s;
	t_zone_t *z = t_zone_new();
	/* i0 .. i10: ten includes, then the match */
	chain_zone(z, 10);
	s = run(z, "192.0.2.1", "x@i0.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	CHECK_INT(sdiag_spf_lookups(s), 10);
	{
		sdiag_value_t *v = sdiag_spf_data(s);
		CHECK_SIZE(sdiag_v_count(sdiag_v_get(v, "includes")), 10);
		CHECK_SIZE(sdiag_v_count(sdiag_v_get(v, "chain")), 11);
		CHECK(has_warning(v, "10 DNS look-ups of the 10 allowed"));
		sdiag_v_free(v);
	}
	sdiag_spf_free(s);
	t_zone_free(z);

	z = t_zone_new();
	chain_zone(z, 11);
	s = run(z, "192.0.2.1", "x@i0.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PERMERROR);
	CHECK_INT(sdiag_spf_lookups(s), 11);
	CHECK_CONTAINS(sdiag_spf_problem(s), "more than 10 DNS look-ups");
	sdiag_spf_free(s);
	t_zone_free(z);

	/* a, mx, ptr, exists and redirect count too; ip4/ip6/all do not */
	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT",
		"v=spf1 ip4:10.0.0.1 a a mx mx ptr exists:x.example.com a a a redirect=r.example.com");
	t_zone_add(z, "example.com", "A", "10.9.9.9");
	t_zone_add(z, "example.com", "MX", "10 example.com");
	t_zone_add(z, "x.example.com", "A", "127.0.0.2");
	t_zone_add(z, "r.example.com", "TXT", "v=spf1 a:example.com -all");
	s = run(z, "192.0.2.1", "x@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS); /* exists matched (8th) */
	CHECK_INT(sdiag_spf_lookups(s), 6);
	sdiag_spf_free(s);
	t_zone_free(z);
}

TEST(void_limit)
{
	done_t d = {0};
	sdiag_spf_t *s;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "two.example.com", "TXT", "v=spf1 a:n1.example.com mx:n2.example.com -all");
	t_zone_add(z, "three.example.com", "TXT", "v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com -all");
	t_zone_add(z, "n2.example.com", "A", "192.0.2.9"); /* exists, no MX: NODATA is void too */
	s = run(z, "192.0.2.1", "x@two.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_FAIL);
	CHECK_INT(sdiag_spf_void_lookups(s), 2);
	sdiag_spf_free(s);
	s = run(z, "192.0.2.1", "x@three.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PERMERROR);
	CHECK_INT(sdiag_spf_void_lookups(s), 3);
	CHECK_CONTAINS(sdiag_spf_problem(s), "void look-ups");
	sdiag_spf_free(s);
	t_zone_free(z);
}

TEST(mx_limit_and_concurrency)
{
	done_t d = {0};
	sdiag_spf_t *s;
	t_zone_t *z = t_zone_new();
	char host[64], addr[32];
	int i;
	t_zone_add(z, "ten.example.com", "TXT", "v=spf1 mx -all");
	t_zone_add(z, "eleven.example.com", "TXT", "v=spf1 mx -all");
	for (i = 0; i < 11; i++) {
		snprintf(host, sizeof(host), "%d mx%d.example.com", i, i);
		if (i < 10) {
			t_zone_add(z, "ten.example.com", "MX", host);
		}
		t_zone_add(z, "eleven.example.com", "MX", host);
		snprintf(host, sizeof(host), "mx%d.example.com", i);
		snprintf(addr, sizeof(addr), "192.0.2.%d", 10 + i);
		t_zone_add(z, host, "A", addr);
	}
	/* deferred: the ten hosts' A look-ups are asked at once */
	t_zone_defer(z, 1);
	s = run(z, "192.0.2.19", "x@ten.example.com", &d);
	CHECK_INT(d.n, 0);
	while (t_zone_flush(z)) {
	}
	CHECK_INT(d.n, 1);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	CHECK_SIZE(t_zone_max_inflight(z), 10);
	sdiag_spf_free(s);
	t_zone_defer(z, 0);

	s = run(z, "192.0.2.19", "x@eleven.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(sdiag_spf_problem(s), "11 MX records");
	sdiag_spf_free(s);
	t_zone_free(z);
}

TEST(ptr_and_p_macro)
{
	done_t d = {0};
	sdiag_spf_t *s;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 ptr -all exp=e.example.com");
	t_zone_add(z, "e.example.com", "TXT", "%{p} is not welcome");
	t_zone_add(z, "p.example.com", "TXT", "v=spf1 exists:%{p}.ok.example.com -all");
	t_zone_add(z, "mail.example.com.ok.example.com", "A", "127.0.0.2");
	t_zone_add(z, "1.2.0.192.in-addr.arpa", "PTR", "mail.example.com");
	t_zone_add(z, "1.2.0.192.in-addr.arpa", "PTR", "fake.example.com");
	t_zone_add(z, "mail.example.com", "A", "192.0.2.1");
	t_zone_add(z, "fake.example.com", "A", "192.0.2.99");
	t_zone_add(z, "2.2.0.192.in-addr.arpa", "PTR", "fake.example.com");
	s = run(z, "192.0.2.1", "x@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	sdiag_spf_free(s);
	s = run(z, "192.0.2.2", "x@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_FAIL);
	CHECK_STR(sdiag_spf_explanation(s), "unknown is not welcome");
	{
		sdiag_value_t *v = sdiag_spf_data(s);
		sdiag_value_t *w = sdiag_v_get(v, "warnings");
		size_t i;
		int seen = 0;
		for (i = 0; i < sdiag_v_count(w); i++) {
			seen |= strstr(vstr(sdiag_v_at(w, i)), "ptr mechanism") != NULL;
		}
		CHECK(seen);
		sdiag_v_free(v);
	}
	sdiag_spf_free(s);
	s = run(z, "192.0.2.1", "x@p.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	sdiag_spf_free(s);
	t_zone_free(z);
}

/* ---- async, freeing, allocation failures ---- */

TEST(deferred_and_free_mid_flight)
{
	done_t d = {0};
	sdiag_spf_t *s;
	holder_t h;
	t_zone_t *z = t_zone_new();
	memset(&h, 0, sizeof(h));
	h.z = z;
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com mx -all");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 a -all");
	t_zone_add(z, "a.example.com", "A", "192.0.2.200");
	t_zone_add(z, "example.com", "MX", "10 mx1.example.com");
	t_zone_add(z, "example.com", "MX", "20 mx2.example.com");
	t_zone_add(z, "mx1.example.com", "A", "192.0.2.1");
	t_zone_add(z, "mx2.example.com", "A", "192.0.2.2");
	s = run_held(&h, "192.0.2.2", "x@example.com", &d);
	REQUIRE(s != NULL);
	/* the chain of dependent look-ups: TXT, TXT, A, MX, then both hosts' A at once */
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_INT(d.n, 0);
	CHECK_SIZE(let_through(&h), 2);
	CHECK_INT(d.n, 1);
	CHECK_SIZE(h.n, 0);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	CHECK_STR(t_zone_log(z), "TXT example.com\nTXT a.example.com\nA a.example.com\nMX example.com\nA mx1.example.com\nA mx2.example.com\n");
	sdiag_spf_free(s);

	/* freed while the MX hosts' look-ups are out: no callback, no leak */
	d.n = 0;
	s = run_held(&h, "192.0.2.2", "x@example.com", &d);
	let_through(&h);
	let_through(&h);
	let_through(&h);
	let_through(&h);
	CHECK_SIZE(h.n, 2);
	sdiag_spf_free(s);
	CHECK_SIZE(let_through(&h), 2);
	CHECK_SIZE(h.n, 0);
	CHECK_INT(d.n, 0);

	/* freed before anything came back */
	s = run_held(&h, "192.0.2.2", "x@example.com", &d);
	sdiag_spf_free(s);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(h.n, 0);
	CHECK_INT(d.n, 0);

	/* the zone's own deferred mode: the two hosts were in flight together */
	t_zone_defer(z, 1);
	s = run(z, "192.0.2.2", "x@example.com", &d);
	while (t_zone_flush(z)) {
	}
	CHECK_INT(d.n, 1);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	CHECK_SIZE(t_zone_max_inflight(z), 2);
	sdiag_spf_free(s);
	t_zone_free(z);
}

static void free_in_cb(void *ud, sdiag_spf_t *s)
{
	((done_t *)ud)->n++;
	sdiag_spf_free(s);
}

TEST(free_inside_callback)
{
	done_t d = {0};
	sdiag_spf_req_t req;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 a -all");
	t_zone_add(z, "example.com", "A", "192.0.2.1");
	memset(&req, 0, sizeof(req));
	req.ip = "192.0.2.1";
	req.sender = "x@example.com";
	t_zone_defer(z, 1);
	CHECK(sdiag_spf_start(t_zone_ops(z), &req, free_in_cb, &d) != NULL);
	while (t_zone_flush(z)) {
	}
	CHECK_INT(d.n, 1);
	t_zone_free(z);
}

TEST(allocation_failures)
{
	t_zone_t *z = t_zone_new();
	unsigned long n;
	int hit = 1;
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com mx -all exp=e.example.com");
	t_zone_add(z, "e.example.com", "TXT", "no %{l} here");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 a -all");
	t_zone_add(z, "example.com", "MX", "10 mx1.example.com");
	t_zone_add(z, "mx1.example.com", "A", "192.0.2.1");
	for (n = 1; hit && n < 200; n++) {
		done_t d = {0};
		sdiag_spf_t *s;
		sdiag_value_t *v;
		t_alloc_fail_nth(n);
		s = run(z, "192.0.2.77", "x@example.com", &d);
		v = s ? sdiag_spf_data(s) : NULL;
		hit = t_alloc_hit();
		t_alloc_reset();
		if (s) {
			sdiag_spf_result_t r = sdiag_spf_result(s);
			CHECK_INT(d.n, 1);
			CHECK(r == SDIAG_SPF_FAIL || r == SDIAG_SPF_TEMPERROR);
			if (r == SDIAG_SPF_TEMPERROR) {
				CHECK_STR(sdiag_spf_problem(s), "out of memory");
			}
		}
		sdiag_v_free(v);
		sdiag_spf_free(s);
	}
	CHECK(!hit); /* every allocation was made to fail once */
	t_zone_free(z);
}

/* ---- records fetched ahead ---- */

/* Let the held queries through round by round until none is left; the
 * number of rounds that answered something. */
static int rounds(holder_t *h)
{
	int n = 0;
	while (let_through(h)) {
		n++;
	}
	return n;
}

/* The step data as one line, to compare two evaluations. */
static void flat(const sdiag_value_t *v, char *out, size_t cap)
{
	size_t i, n = strlen(out);
	if (n + 1 >= cap) {
		return;
	}
	switch (v ? v->type : SDIAG_V_NULL) {
	case SDIAG_V_INT:
		snprintf(out + n, cap - n, "%lld ", v->u.i);
		return;
	case SDIAG_V_STR:
		snprintf(out + n, cap - n, "\"%s\" ", v->u.str.s);
		return;
	case SDIAG_V_LIST:
	case SDIAG_V_MAP:
		snprintf(out + n, cap - n, "%c", v->type == SDIAG_V_MAP ? '{' : '[');
		for (i = 0; i < v->u.c.n; i++) {
			if (v->type == SDIAG_V_MAP) {
				n = strlen(out);
				snprintf(out + n, cap - n, "%s:", v->u.c.keys[i]);
			}
			flat(v->u.c.items[i], out, cap);
		}
		n = strlen(out);
		snprintf(out + n, cap - n, "%c ", v->type == SDIAG_V_MAP ? '}' : ']');
		return;
	default:
		n = strlen(out);
		snprintf(out + n, cap - n, "null ");
		return;
	}
}

/* Evaluate ip (NULL: walk mode) for x@example.com three ways: answers
 * inside query(), held round by round, the zone's deferred mode. The
 * three step data must be the same; out gets them, rounds the number of
 * held rounds. */
static sdiag_spf_result_t eval3(t_zone_t *z, const char *ip, char *out, size_t cap, int *nrounds)
{
	done_t d = {0};
	sdiag_spf_t *s;
	sdiag_value_t *v;
	holder_t *h = calloc(1, sizeof(*h));
	char *other = calloc(1, cap);
	sdiag_spf_result_t r;
	if (!h || !other) {
		abort();
	}
	out[0] = '\0';
	s = run(z, ip, "x@example.com", &d);
	if (!s) {
		abort();
	}
	CHECK_INT(d.n, 1);
	r = sdiag_spf_result(s);
	v = sdiag_spf_data(s);
	flat(v, out, cap);
	sdiag_v_free(v);
	sdiag_spf_free(s);

	h->z = z;
	s = run_held(h, ip, "x@example.com", &d);
	if (!s) {
		abort();
	}
	*nrounds = rounds(h);
	CHECK_INT(d.n, 2);
	v = sdiag_spf_data(s);
	flat(v, other, cap);
	CHECK_STR(other, out);
	sdiag_v_free(v);
	sdiag_spf_free(s);

	t_zone_defer(z, 1);
	s = run(z, ip, "x@example.com", &d);
	if (!s) {
		abort();
	}
	while (t_zone_flush(z)) {
	}
	t_zone_defer(z, 0);
	CHECK_INT(d.n, 3);
	v = sdiag_spf_data(s);
	other[0] = '\0';
	flat(v, other, cap);
	CHECK_STR(other, out);
	sdiag_v_free(v);
	sdiag_spf_free(s);
	free(other);
	free(h);
	return r;
}

static size_t count_lines(const char *log, const char *line)
{
	size_t n = 0, len = strlen(line);
	const char *p;
	for (p = log; (p = strstr(p, line)) != NULL; p += len) {
		if ((p == log || p[-1] == '\n') && p[len] == '\n') {
			n++;
		}
	}
	return n;
}

TEST(prefetch_includes_at_once)
{
	char data[4096];
	int n = 0;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com include:B.Example.COM include:c.example.com. -all");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 ip4:10.0.0.1 -all");
	t_zone_add(z, "b.example.com", "TXT", "v=spf1 ip4:10.0.0.2 ~all");
	t_zone_add(z, "c.example.com", "TXT", "v=spf1 ip4:192.0.2.3 -all");
	/* was: TXT example.com, then a, b and c one after another (4 rounds) */
	CHECK_INT(eval3(z, "192.0.2.3", data, sizeof(data), &n), SDIAG_SPF_PASS);
	CHECK_INT(n, 2);
	CHECK_CONTAINS(data, "lookups:3 void_lookups:0 matched:{mechanism:\"include:c.example.com.\" domain:\"example.com\" }");
	CHECK_CONTAINS(data, "includes:[\"a.example.com\" \"B.Example.COM\" \"c.example.com\" ]");
	/* three evaluations, each record asked once: no second query of a name in flight */
	CHECK_SIZE(t_zone_queries(z), 12);
	CHECK_SIZE(count_lines(t_zone_log(z), "TXT B.Example.COM"), 3);
	CHECK_SIZE(t_zone_max_inflight(z), 3);
	/* no match: the same */
	CHECK_INT(eval3(z, "192.0.2.99", data, sizeof(data), &n), SDIAG_SPF_FAIL);
	CHECK_INT(n, 2);
	/* walk mode */
	CHECK_INT(eval3(z, NULL, data, sizeof(data), &n), SDIAG_SPF_NEUTRAL);
	CHECK_INT(n, 2);
	t_zone_free(z);
}

TEST(prefetch_nested_level_by_level)
{
	char data[4096];
	int n = 0;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com include:b.example.com -all");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 include:a1.example.com include:a2.example.com ~all");
	t_zone_add(z, "b.example.com", "TXT", "v=spf1 ip4:10.0.0.1 include:b1.example.com ~all");
	t_zone_add(z, "a1.example.com", "TXT", "v=spf1 ip4:10.0.1.1 ~all");
	t_zone_add(z, "a2.example.com", "TXT", "v=spf1 ip4:10.0.1.2 ~all");
	t_zone_add(z, "b1.example.com", "TXT", "v=spf1 redirect=b2.example.com");
	t_zone_add(z, "b2.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all");
	/* one round per level of the tree: was 7 (one per record) */
	CHECK_INT(eval3(z, "192.0.2.3", data, sizeof(data), &n), SDIAG_SPF_PASS);
	CHECK_INT(n, 4);
	CHECK_CONTAINS(data, "lookups:6 ");
	CHECK_CONTAINS(data, "matched:{mechanism:\"include:b.example.com\" domain:\"example.com\" }");
	CHECK_CONTAINS(data, "{domain:\"b2.example.com\" via:\"redirect\" depth:3 record:\"v=spf1 ip4:192.0.2.0/24 -all\" result:\"pass\" }");
	CHECK_SIZE(t_zone_max_inflight(z), 3); /* a1, a2 and b1 */
	CHECK_SIZE(t_zone_queries(z), 21);
	t_zone_free(z);
}

TEST(prefetch_not_reached)
{
	char data[4096], before[4096];
	int n = 0;
	t_zone_t *z = t_zone_new();
	/* what a receiver that stops at ip4 sees: nothing of the includes */
	t_zone_add(z, "example.com", "TXT", "v=spf1 ip4:192.0.2.1 -all");
	CHECK_INT(eval3(z, "192.0.2.1", before, sizeof(before), &n), SDIAG_SPF_PASS);
	t_zone_free(z);

	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT",
		"v=spf1 ip4:192.0.2.1 include:none.example.com include:bad.example.com include:two.example.com include:slow.example.com -all");
	t_zone_add(z, "bad.example.com", "TXT", "v=spf1 frob -all");
	t_zone_add(z, "two.example.com", "TXT", "v=spf1 -all");
	t_zone_add(z, "two.example.com", "TXT", "v=spf1 ~all");
	t_zone_fault(z, "slow.example.com", "TXT", SDIAG_DNS_TIMEOUT);
	CHECK_INT(eval3(z, "192.0.2.1", data, sizeof(data), &n), SDIAG_SPF_PASS);
	CHECK_INT(n, 2);
	/* all four were asked, none counted */
	CHECK_SIZE(count_lines(t_zone_log(z), "TXT slow.example.com"), 3);
	CHECK_CONTAINS(data, "lookups:0 void_lookups:0 ");
	CHECK_CONTAINS(data, "includes:[] warnings:[] ");
	CHECK_CONTAINS(data, "matched:{mechanism:\"ip4:192.0.2.1\" domain:\"example.com\" } chain:[{domain:\"example.com\" via:\"check_host\"");
	CHECK_CONTAINS(data, "result:\"pass\" } ] includes:[] warnings:[] } ");
	/* the same as without the includes, the record aside */
	CHECK_CONTAINS(before, "result:\"pass\" } ] includes:[] warnings:[] } ");
	CHECK_CONTAINS(before, "lookups:0 void_lookups:0 matched:{mechanism:\"ip4:192.0.2.1\" domain:\"example.com\" }");

	/* reached, each gives what a fetch when reached gives */
	CHECK_INT(eval3(z, "192.0.2.9", data, sizeof(data), &n), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(data, "problem:\"include:none.example.com: none.example.com has no SPF record");
	t_zone_free(z);

	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 ip4:192.0.2.1 include:slow.example.com include:bad.example.com -all");
	t_zone_add(z, "bad.example.com", "TXT", "v=spf1 frob -all");
	t_zone_fault(z, "slow.example.com", "TXT", SDIAG_DNS_TIMEOUT);
	CHECK_INT(eval3(z, "192.0.2.1", data, sizeof(data), &n), SDIAG_SPF_PASS);
	/* the timed-out prefetch is the one the evaluation reaches: temperror,
	 * not the permerror of the record after it */
	CHECK_INT(eval3(z, "192.0.2.9", data, sizeof(data), &n), SDIAG_SPF_TEMPERROR);
	CHECK_INT(n, 2);
	CHECK_CONTAINS(data, "problem:\"the TXT look-up of slow.example.com failed (timeout)\"");
	CHECK_CONTAINS(data, "lookups:1 ");
	t_zone_free(z);

	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:bad.example.com include:slow.example.com -all");
	t_zone_add(z, "bad.example.com", "TXT", "v=spf1 frob -all");
	t_zone_fault(z, "slow.example.com", "TXT", SDIAG_DNS_TIMEOUT);
	CHECK_INT(eval3(z, "192.0.2.9", data, sizeof(data), &n), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(data, "problem:\"syntax error in the SPF record of bad.example.com: unknown mechanism \"frob\"\"");
	t_zone_free(z);
}

TEST(prefetch_beyond_the_limit)
{
	char data[8192], rec[1024], name[64], ip4[64];
	int i, n = 0;
	t_zone_t *z = t_zone_new();
	/* twenty includes; the address is in the eleventh's record */
	snprintf(rec, sizeof(rec), "v=spf1");
	for (i = 0; i < 20; i++) {
		size_t l = strlen(rec);
		snprintf(rec + l, sizeof(rec) - l, " include:i%d.example.com", i);
		snprintf(name, sizeof(name), "i%d.example.com", i);
		snprintf(ip4, sizeof(ip4), "v=spf1 ip4:10.0.0.%d -all", i);
		t_zone_add(z, name, "TXT", ip4);
	}
	t_zone_add(z, "example.com", "TXT", rec);
	CHECK_INT(eval3(z, "10.0.0.10", data, sizeof(data), &n), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(data, "the limit was passed at \"include:i10.example.com\" in the record of example.com");
	CHECK_CONTAINS(data, "lookups:11 ");
	CHECK(strstr(data, "i10.example.com\" via") == NULL);
	/* the tenth still passes */
	CHECK_INT(eval3(z, "10.0.0.9", data, sizeof(data), &n), SDIAG_SPF_PASS);
	CHECK_INT(n, 2);
	/* bounded: the record and 15 of its includes, per evaluation */
	CHECK_SIZE(t_zone_queries(z), 6 * 16);
	CHECK_SIZE(t_zone_max_inflight(z), 15);
	CHECK_SIZE(count_lines(t_zone_log(z), "TXT i14.example.com"), 6);
	CHECK_SIZE(count_lines(t_zone_log(z), "TXT i15.example.com"), 0);
	t_zone_free(z);

	/* a loop: the cache answers the same name again */
	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:example.com -all");
	CHECK_INT(eval3(z, "10.0.0.1", data, sizeof(data), &n), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(data, "lookups:11 ");
	CHECK_INT(n, 1);
	CHECK_SIZE(t_zone_queries(z), 3);
	t_zone_free(z);
}

TEST(prefetch_redirect_and_macros)
{
	char data[4096];
	int n = 0;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com redirect=r.example.com");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 ip4:10.0.0.1 -all");
	t_zone_add(z, "r.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all exp=e.example.com");
	t_zone_add(z, "e.example.com", "TXT", "%{i} is not %{d}'s");
	/* was 3 rounds: the record, a, r */
	CHECK_INT(eval3(z, "192.0.2.7", data, sizeof(data), &n), SDIAG_SPF_PASS);
	CHECK_INT(n, 2);
	CHECK_CONTAINS(data, "matched:{mechanism:\"ip4:192.0.2.0/24\" domain:\"r.example.com\" }");
	/* the explanation is fetched when the fail is known, not before */
	CHECK_INT(eval3(z, "198.51.100.7", data, sizeof(data), &n), SDIAG_SPF_FAIL);
	CHECK_INT(n, 3);
	CHECK_CONTAINS(data, "explanation:\"198.51.100.7 is not r.example.com's\"");
	t_zone_free(z);

	/* a target with a macro is asked when the evaluation reaches it */
	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com include:%{l}.users.example.com -all");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 ip4:10.0.0.1 -all");
	t_zone_add(z, "x.users.example.com", "TXT", "v=spf1 ip4:192.0.2.7 -all");
	CHECK_INT(eval3(z, "192.0.2.7", data, sizeof(data), &n), SDIAG_SPF_PASS);
	CHECK_INT(n, 3);
	CHECK_CONTAINS(data, "includes:[\"a.example.com\" \"x.users.example.com\" ]");
	CHECK_SIZE(count_lines(t_zone_log(z), "TXT x.users.example.com"), 3);
	CHECK(strstr(t_zone_log(z), "%") == NULL);
	t_zone_free(z);

	/* a name reached twice is asked once */
	z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com include:b.example.com -all");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 include:b.example.com ~all");
	t_zone_add(z, "b.example.com", "TXT", "v=spf1 ip4:10.0.0.1 -all");
	CHECK_INT(eval3(z, "192.0.2.7", data, sizeof(data), &n), SDIAG_SPF_FAIL);
	CHECK_CONTAINS(data, "lookups:3 ");
	CHECK_CONTAINS(data, "includes:[\"a.example.com\" \"b.example.com\" \"b.example.com\" ]");
	CHECK_SIZE(count_lines(t_zone_log(z), "TXT b.example.com"), 3);
	t_zone_free(z);
}

TEST(prefetch_free_mid_flight)
{
	done_t d = {0};
	sdiag_spf_t *s;
	holder_t h;
	unsigned long k;
	int hit = 1;
	t_zone_t *z = t_zone_new();
	memset(&h, 0, sizeof(h));
	h.z = z;
	t_zone_add(z, "example.com", "TXT", "v=spf1 include:a.example.com include:b.example.com include:c.example.com -all");
	t_zone_add(z, "a.example.com", "TXT", "v=spf1 include:a1.example.com -all");
	t_zone_add(z, "a1.example.com", "TXT", "v=spf1 ip4:10.0.0.1 -all");
	t_zone_add(z, "b.example.com", "TXT", "v=spf1 ip4:10.0.0.2 -all");
	t_zone_add(z, "c.example.com", "TXT", "v=spf1 a:c.example.com -all");
	t_zone_add(z, "c.example.com", "A", "192.0.2.3");

	/* freed while the three prefetches are out, and while a1's is */
	s = run_held(&h, "192.0.2.3", "x@example.com", &d);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(h.n, 3);
	sdiag_spf_free(s);
	CHECK_SIZE(let_through(&h), 3);
	CHECK_SIZE(h.n, 0);
	s = run_held(&h, "192.0.2.3", "x@example.com", &d);
	let_through(&h);
	let_through(&h);
	CHECK_SIZE(h.n, 1); /* a1; the evaluation waits for it */
	sdiag_spf_free(s);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_INT(d.n, 0);

	/* the whole chain: four rounds (the record; a, b, c; a1; c's A) */
	s = run_held(&h, "192.0.2.3", "x@example.com", &d);
	CHECK_INT(rounds(&h), 4);
	CHECK_INT(d.n, 1);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	sdiag_spf_free(s);

	/* the result came while a prefetch is still out: its answer is ignored */
	d.n = 0;
	t_zone_add(z, "early.example.com", "TXT", "v=spf1 ip4:192.0.2.3 include:a.example.com -all");
	s = run_held(&h, "192.0.2.3", "x@early.example.com", &d);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_INT(d.n, 1);
	CHECK_SIZE(h.n, 1);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(h.n, 0); /* not a1's */
	CHECK_INT(d.n, 1);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	sdiag_spf_free(s);
	/* or freed before it comes */
	s = run_held(&h, "192.0.2.3", "x@early.example.com", &d);
	CHECK_SIZE(let_through(&h), 1);
	sdiag_spf_free(s);
	CHECK_SIZE(let_through(&h), 1);
	CHECK_SIZE(h.n, 0);
	CHECK_INT(d.n, 2);

	/* every allocation made to fail once, answers at once and held */
	for (k = 1; hit && k < 400; k++) {
		int held;
		for (held = 0; held < 2; held++) {
			done_t e = {0};
			t_alloc_fail_nth(k);
			s = held ? run_held(&h, "192.0.2.3", "x@example.com", &e) : run(z, "192.0.2.3", "x@example.com", &e);
			rounds(&h);
			hit = t_alloc_hit();
			t_alloc_reset();
			if (s) {
				CHECK_INT(e.n, 1);
				if (sdiag_spf_result(s) != SDIAG_SPF_PASS) {
					CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_TEMPERROR);
					CHECK_STR(sdiag_spf_problem(s), "out of memory");
				}
			}
			sdiag_spf_free(s);
		}
	}
	CHECK(!hit);
	/* and freed after each round */
	for (k = 1; k <= 3; k++) {
		unsigned long r;
		done_t e = {0};
		s = run_held(&h, "192.0.2.3", "x@example.com", &e);
		for (r = 0; r < k; r++) {
			let_through(&h);
		}
		sdiag_spf_free(s);
		rounds(&h);
		CHECK_INT(e.n, 0);
	}
	t_zone_free(z);
}

/* ---- walk mode and data ---- */

TEST(walk_mode)
{
	done_t d = {0};
	sdiag_spf_t *s;
	sdiag_value_t *v, *chain, *inc;
	t_zone_t *z = t_zone_new();
	t_zone_add(z, "example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com include:spf.example.net a mx ?all");
	t_zone_add(z, "_spf.google.com", "TXT", "v=spf1 include:_netblocks.google.com ~all");
	t_zone_add(z, "_netblocks.google.com", "TXT", "v=spf1 ip4:35.190.247.0/24 ~all");
	t_zone_add(z, "spf.example.net", "TXT", "v=spf1 redirect=spf2.example.net");
	t_zone_add(z, "spf2.example.net", "TXT", "v=spf1 exists:%{i}.x.example.net -all");
	t_zone_add(z, "example.com", "A", "192.0.2.1");
	t_zone_add(z, "example.com", "MX", "10 mx.example.com");
	s = run(z, NULL, "x@example.com", &d);
	REQUIRE(s != NULL);
	CHECK_INT(d.n, 1);
	/* nothing matches (not even -all), so every branch is walked */
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_NEUTRAL);
	CHECK_INT(sdiag_spf_lookups(s), 7); /* 3 includes, redirect, exists, a, mx */
	CHECK(strstr(t_zone_log(z), "x.example.net") == NULL); /* %{i}: no IP to expand */
	CHECK(strstr(t_zone_log(z), "A mx.example.com") == NULL); /* nothing to compare */
	v = sdiag_spf_data(s);
	CHECK_STR(vstr(sdiag_v_get(v, "result")), "neutral");
	CHECK_STR(vstr(sdiag_v_get(v, "record")), "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com include:spf.example.net a mx ?all");
	CHECK_INT(sdiag_v_get(v, "lookups")->u.i, 7);
	CHECK(sdiag_v_get(v, "matched")->type == SDIAG_V_NULL);
	chain = sdiag_v_get(v, "chain");
	REQUIRE(sdiag_v_count(chain) == 5);
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 0), "via")), "check_host");
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 1), "domain")), "_spf.google.com");
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 1), "via")), "include");
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 2), "domain")), "_netblocks.google.com");
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 4), "via")), "redirect");
	/* the tree: example.com > _spf.google.com > _netblocks.google.com, example.com > spf.example.net > spf2.example.net */
	CHECK_INT(sdiag_v_get(sdiag_v_at(chain, 0), "depth")->u.i, 0);
	CHECK_INT(sdiag_v_get(sdiag_v_at(chain, 1), "depth")->u.i, 1);
	CHECK_INT(sdiag_v_get(sdiag_v_at(chain, 2), "depth")->u.i, 2);
	CHECK_INT(sdiag_v_get(sdiag_v_at(chain, 3), "depth")->u.i, 1);
	CHECK_INT(sdiag_v_get(sdiag_v_at(chain, 4), "depth")->u.i, 2);
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 4), "record")), "v=spf1 exists:%{i}.x.example.net -all");
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(chain, 4), "result")), "neutral");
	inc = sdiag_v_get(v, "includes");
	REQUIRE(sdiag_v_count(inc) == 4);
	CHECK_STR(vstr(sdiag_v_at(inc, 0)), "_spf.google.com");
	CHECK_STR(vstr(sdiag_v_at(inc, 3)), "spf2.example.net");
	CHECK_CONTAINS(vstr(sdiag_v_at(sdiag_v_get(v, "warnings"), 0)), "\"?all\"");
	sdiag_v_free(v);
	sdiag_spf_free(s);

	/* walk mode still finds a broken include */
	t_zone_add(z, "bad.example.com", "TXT", "v=spf1 include:missing.example.com -all");
	s = run(z, NULL, "x@bad.example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PERMERROR);
	CHECK_CONTAINS(sdiag_spf_problem(s), "include:missing.example.com");
	sdiag_spf_free(s);
	t_zone_free(z);
}

TEST(data_matched_and_warnings)
{
	done_t d = {0};
	sdiag_spf_t *s;
	sdiag_value_t *v, *m, *w;
	t_zone_t *z = t_zone_new();
	char big[520];
	size_t i;
	int all = 0, mod = 0, size = 0;
	memset(big, 0, sizeof(big));
	strcpy(big, "v=spf1 include:inc.example.com");
	for (i = 0; i < 25; i++) {
		strcat(big, " ip4:198.51.100.1");
	}
	strcat(big, " +all default=deny");
	t_zone_add(z, "example.com", "TXT", big);
	t_zone_add(z, "inc.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all");
	s = run(z, "192.0.2.5", "x@example.com", &d);
	CHECK_INT(sdiag_spf_result(s), SDIAG_SPF_PASS);
	v = sdiag_spf_data(s);
	m = sdiag_v_get(v, "matched");
	CHECK_STR(vstr(sdiag_v_get(m, "mechanism")), "include:inc.example.com");
	CHECK_STR(vstr(sdiag_v_get(m, "domain")), "example.com");
	CHECK_STR(vstr(sdiag_v_get(sdiag_v_at(sdiag_v_get(v, "chain"), 1), "result")), "pass");
	w = sdiag_v_get(v, "warnings");
	for (i = 0; i < sdiag_v_count(w); i++) {
		const char *t = vstr(sdiag_v_at(w, i));
		all |= strstr(t, "\"+all\"") != NULL;
		mod |= strstr(t, "default=") != NULL;
		size |= strstr(t, "512-byte") != NULL;
	}
	CHECK(all);
	CHECK(mod);
	CHECK(size);
	sdiag_v_free(v);
	sdiag_spf_free(s);
	t_zone_free(z);
}

TEST(result_names)
{
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_NONE), "none");
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_NEUTRAL), "neutral");
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_PASS), "pass");
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_FAIL), "fail");
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_SOFTFAIL), "softfail");
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_TEMPERROR), "temperror");
	CHECK_STR(sdiag_spf_result_name(SDIAG_SPF_PERMERROR), "permerror");
	CHECK_STR(sdiag_spf_result_name((sdiag_spf_result_t)99), "?");
}

/* ---- the dns.spf job ---- */

static void job_zone(t_zone_t *z)
{
	t_zone_add(z, "example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com -all");
	t_zone_add(z, "_spf.google.com", "TXT", "v=spf1 ip4:35.190.247.0/24 ~all");
	t_zone_add(z, "soft.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 ~all");
	t_zone_add(z, "plus.example.com", "TXT", "v=spf1 +all");
	t_zone_add(z, "broken.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 foo -all");
	t_zone_fault(z, "down.example.com", NULL, SDIAG_DNS_SERVFAIL);
	t_zone_add(z, "clean.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all");
}

static void run_job(t_zone_t *z, const char *domain, const char *ip, const char *host, sdiag_job_t *job,
	sdiag_dnscheck_in_t *in)
{
	memset(in, 0, sizeof(*in));
	memset(job, 0, sizeof(*job));
	in->ops = t_zone_ops(z);
	in->domain = domain;
	in->spf_ip = ip;
	in->smtp_host = host;
	in->helo = "client.example.net";
	job->in = in;
	sdiag_job_spf(job);
	while (t_zone_flush(z)) {
	}
}

TEST(job_statuses)
{
	static const struct {
		const char *domain, *ip, *host;
		sdiag_step_status_t st;
		const char *msg, *hint;
	} rows[] = {
		{"nothing.example.com", "192.0.2.1", NULL, SDIAG_STEP_FAIL, "No SPF record", "v=spf1 include:<your provider> -all"},
		{"nothing.example.com", NULL, "smtp.gmail.com", SDIAG_STEP_FAIL, "No SPF record", "v=spf1 include:_spf.google.com -all"},
		{"broken.example.com", "192.0.2.1", NULL, SDIAG_STEP_FAIL, "permerror", "broken SPF record"},
		{"down.example.com", "192.0.2.1", NULL, SDIAG_STEP_WARN, "temperror", "DNS look-up failed"},
		{"example.com", "192.0.2.1", NULL, SDIAG_STEP_OK, "SPF pass: 192.0.2.1 may send for example.com (matched \"ip4:192.0.2.0/24\"", ""},
		{"example.com", "35.190.247.9", NULL, SDIAG_STEP_OK, "matched \"include:_spf.google.com\"", ""},
		{"example.com", "198.51.100.7", NULL, SDIAG_STEP_FAIL, "SPF fail: the record of example.com does not authorise 198.51.100.7 (matched \"-all\")",
			"Add \"ip4:198.51.100.7\""},
		{"example.com", "2001:db8::7", NULL, SDIAG_STEP_FAIL, "2001:db8::7", "Add \"ip6:2001:db8::7\""},
		{"soft.example.com", "198.51.100.7", NULL, SDIAG_STEP_WARN, "SPF softfail", "ip4:198.51.100.7"},
		{"clean.example.com", NULL, NULL, SDIAG_STEP_OK, "SPF record of clean.example.com is valid (0 of 10 DNS look-ups)", ""},
		{"plus.example.com", NULL, NULL, SDIAG_STEP_WARN, "\"+all\" lets every host", "warnings"},
		/* relays: the record includes Google's SPF, not Microsoft's */
		{"example.com", NULL, "smtp.gmail.com", SDIAG_STEP_OK, "is valid (1 of 10", ""},
		{"example.com", NULL, "smtp.office365.com", SDIAG_STEP_WARN, "does not include spf.protection.outlook.com",
			"smtp.office365.com relays your mail: add \"include:spf.protection.outlook.com\" to the SPF record of example.com."},
		{"example.com", "192.0.2.1", "smtp.office365.com", SDIAG_STEP_WARN, "SPF pass for 192.0.2.1", "include:spf.protection.outlook.com"},
		{"clean.example.com", "198.51.100.7", "email-smtp.eu-west-1.amazonaws.com", SDIAG_STEP_FAIL, "SPF fail",
			"add \"include:amazonses.com\""},
	};
	size_t i;
	t_zone_t *z = t_zone_new();
	job_zone(z);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s %s %s", rows[i].domain, rows[i].ip ? rows[i].ip : "walk", rows[i].host ? rows[i].host : "-") {
			sdiag_job_t job;
			sdiag_dnscheck_in_t in;
			t_zone_defer(z, (int)(i & 1)); /* every other row with answers held back */
			run_job(z, rows[i].domain, rows[i].ip, rows[i].host, &job, &in);
			CHECK_INT(job.done, 1);
			CHECK_STR(job.step.id, "dns.spf");
			CHECK_INT(job.step.status, rows[i].st);
			CHECK_CONTAINS(job.step.message, rows[i].msg);
			if (rows[i].hint[0]) {
				CHECK_CONTAINS(job.step.hint, rows[i].hint);
			} else {
				CHECK_STR(job.step.hint, "");
			}
			CHECK(job.step.data != NULL && job.step.data->type == SDIAG_V_MAP);
			if (job.free_priv) {
				job.free_priv(&job);
			}
			sdiag_v_free(job.step.data);
		}
	}
	t_zone_defer(z, 0);
	t_zone_free(z);
}

TEST(job_data)
{
	sdiag_job_t job;
	sdiag_dnscheck_in_t in;
	sdiag_value_t *d, *v;
	t_zone_t *z = t_zone_new();
	job_zone(z);
	run_job(z, "example.com", "192.0.2.1", "smtp-relay.gmail.com", &job, &in);
	d = job.step.data;
	REQUIRE(d != NULL);
	CHECK_STR(vstr(sdiag_v_get(d, "result")), "pass");
	CHECK_STR(vstr(sdiag_v_get(d, "ip")), "192.0.2.1");
	CHECK_STR(vstr(sdiag_v_get(d, "relay")), "gmail");
	v = sdiag_v_get(d, "relay_authorised");
	CHECK(v && v->type == SDIAG_V_BOOL && v->u.b == 1); /* named in an include the evaluation did not reach */
	CHECK_STR(vstr(sdiag_v_get(d, "record")), "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com -all");
	CHECK(sdiag_v_get(d, "chain") != NULL && sdiag_v_get(d, "warnings") != NULL);
	job.free_priv(&job);
	sdiag_v_free(job.step.data);

	run_job(z, "clean.example.com", NULL, NULL, &job, &in);
	d = job.step.data;
	CHECK(sdiag_v_get(d, "ip")->type == SDIAG_V_NULL);
	CHECK(sdiag_v_get(d, "relay")->type == SDIAG_V_NULL);
	CHECK(sdiag_v_get(d, "relay_authorised")->type == SDIAG_V_NULL);
	job.free_priv(&job);
	sdiag_v_free(job.step.data);

	/* the job freed with look-ups still out */
	t_zone_defer(z, 1);
	memset(&in, 0, sizeof(in));
	memset(&job, 0, sizeof(job));
	in.ops = t_zone_ops(z);
	in.domain = "example.com";
	in.spf_ip = "192.0.2.1";
	job.in = &in;
	sdiag_job_spf(&job);
	CHECK_INT(job.done, 0);
	job.free_priv(&job);
	sdiag_v_free(job.step.data);
	while (t_zone_flush(z)) {
	}
	CHECK_INT(job.done, 0);
	t_zone_free(z);
}

TEST_MAIN("spf", T(macro_rfc_examples), T(macro_edges), T(syntax_table), T(results_and_explanation), T(dns_errors),
	T(lookup_limit), T(void_limit), T(mx_limit_and_concurrency), T(ptr_and_p_macro), T(deferred_and_free_mid_flight),
	T(free_inside_callback), T(allocation_failures), T(prefetch_includes_at_once), T(prefetch_nested_level_by_level),
	T(prefetch_not_reached), T(prefetch_beyond_the_limit), T(prefetch_redirect_and_macros), T(prefetch_free_mid_flight), T(walk_mode), T(data_matched_and_warnings), T(result_names),
	T(job_statuses), T(job_data))
