/* Unit tests of the DNS-check orchestrator and its dns.mx and dns.ptr jobs, over the in-memory zone. */
#include "test.h"
#include "zone.h"
#include "dnscheck.h"

#include <stdio.h>
#include <string.h>

typedef struct fixture {
	t_zone_t *z;
	sdiag_dnscheck_t dc;
	sdiag_dnscheck_in_t in;
	sdiag_steps_t out;
} fixture_t;

static void setup(fixture_t *f, const char *domain)
{
	memset(f, 0, sizeof(*f));
	f->z = t_zone_new();
	f->in.ops = t_zone_ops(f->z);
	f->in.domain = domain;
	f->in.https_port = 443;
}

static const sdiag_step_t *run(fixture_t *f, unsigned mask)
{
	sdiag_dnscheck_start(&f->dc, &f->in, mask);
	while (t_zone_flush(f->z)) {
	}
	sdiag_dnscheck_steps(&f->dc, &f->out);
	return f->out.n ? &f->out.steps[0] : NULL;
}

static void teardown(fixture_t *f)
{
	sdiag_steps_free_data(&f->out);
	sdiag_dnscheck_free(&f->dc);
	t_zone_free(f->z);
}

static const char *str_at(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_STR ? v->u.str.s : NULL;
}

static long long int_at(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && (v->type == SDIAG_V_INT || v->type == SDIAG_V_BOOL) ? (v->type == SDIAG_V_INT ? v->u.i : v->u.b) : -1;
}

TEST(bits_and_names)
{
	CHECK_INT(sdiag_dnscheck_bit("mx"), SDIAG_DNSCHECK_MX);
	CHECK_INT(sdiag_dnscheck_bit("bimi"), SDIAG_DNSCHECK_BIMI);
	CHECK_INT(sdiag_dnscheck_bit("dane"), SDIAG_DNSCHECK_DANE);
	CHECK_INT(sdiag_dnscheck_bit("MX"), -1);
	CHECK_INT(sdiag_dnscheck_bit(""), -1);
}

TEST(mx_ok_sorted_and_resolved)
{
	fixture_t f;
	const sdiag_step_t *s;
	const sdiag_value_t *recs;
	setup(&f, "example.com");
	t_zone_add(f.z, "example.com", "MX", "20 mx2.example.com");
	t_zone_add(f.z, "example.com", "MX", "10 mx1.example.com");
	t_zone_add(f.z, "mx1.example.com", "A", "192.0.2.1");
	t_zone_add(f.z, "mx1.example.com", "AAAA", "2001:db8::1");
	t_zone_add(f.z, "mx2.example.com", "A", "192.0.2.2");
	t_zone_defer(f.z, 1);
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_STR(s->id, "dns.mx");
	CHECK_INT(s->status, SDIAG_STEP_OK);
	CHECK_CONTAINS(s->message, "2 MX hosts, lowest preference mx1.example.com");
	recs = sdiag_v_get(s->data, "records");
	CHECK_SIZE(sdiag_v_count(recs), 2);
	CHECK_STR(str_at(sdiag_v_at(recs, 0), "host"), "mx1.example.com");
	CHECK_INT(int_at(sdiag_v_at(recs, 0), "preference"), 10);
	CHECK_SIZE(sdiag_v_count(sdiag_v_get(sdiag_v_at(recs, 0), "addresses")), 2);
	CHECK_STR(sdiag_v_at(sdiag_v_get(sdiag_v_at(recs, 0), "addresses"), 1)->u.str.s, "2001:db8::1");
	CHECK_INT(int_at(s->data, "implicit"), 0);
	/* the four address look-ups were in flight together */
	CHECK_SIZE(t_zone_max_inflight(f.z), 4);
	teardown(&f);
}

TEST(mx_null)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "nomail.example");
	t_zone_add(f.z, "nomail.example", "MX", "0 .");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(s->message, "null MX");
	CHECK_CONTAINS(s->hint, "5.7.27");
	CHECK_INT(int_at(s->data, "null_mx"), 1);
	/* nothing else is looked up */
	CHECK_SIZE(t_zone_queries(f.z), 1);
	teardown(&f);
}

TEST(mx_implicit)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "a-only.example");
	t_zone_add(f.z, "a-only.example", "A", "192.0.2.9");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(s->message, "implicit MX");
	CHECK_INT(int_at(s->data, "implicit"), 1);
	teardown(&f);

	setup(&f, "nothing.example");
	t_zone_add(f.z, "nothing.example", "TXT", "v=spf1 -all");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(s->message, "no MX record and no address");
	teardown(&f);
}

TEST(mx_nxdomain_and_timeout)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "typo.example");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(s->message, "does not exist (NXDOMAIN)");
	CHECK_STR(str_at(s->data, "dns_status"), "nxdomain");
	teardown(&f);

	setup(&f, "slow.example");
	t_zone_fault(f.z, "slow.example", "MX", SDIAG_DNS_TIMEOUT);
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_STR(str_at(s->data, "dns_status"), "timeout");
	teardown(&f);
}

TEST(mx_cname_literal_and_unresolved)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "alias.example");
	t_zone_add(f.z, "alias.example", "MX", "10 mail.alias.example");
	t_zone_add(f.z, "mail.alias.example", "CNAME", "real.alias.example");
	t_zone_add(f.z, "real.alias.example", "A", "192.0.2.3");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(s->message, "CNAME");
	CHECK_STR(str_at(sdiag_v_at(sdiag_v_get(s->data, "records"), 0), "cname"), "real.alias.example");
	teardown(&f);

	setup(&f, "literal.example");
	t_zone_add(f.z, "literal.example", "MX", "10 192.0.2.4");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(s->message, "points at an IP address");
	teardown(&f);

	setup(&f, "half.example");
	t_zone_add(f.z, "half.example", "MX", "10 good.half.example");
	t_zone_add(f.z, "half.example", "MX", "20 gone.half.example");
	t_zone_add(f.z, "good.half.example", "A", "192.0.2.5");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(s->message, "1 of 2 MX hosts");
	CHECK_CONTAINS(s->message, "gone.half.example does not exist");
	teardown(&f);

	setup(&f, "dead.example");
	t_zone_add(f.z, "dead.example", "MX", "10 gone.dead.example");
	s = run(&f, SDIAG_DNSCHECK_MX);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(s->message, "none of the 1 MX host");
	teardown(&f);
}

static void session(fixture_t *f, const char *server, const char *local, const char *helo, const char *banner)
{
	sdiag_dnscheck_session_t s;
	memset(&s, 0, sizeof(s));
	s.server_ip = server;
	s.local_ip = local;
	s.helo = helo;
	s.banner_host = banner;
	sdiag_dnscheck_session(&f->dc, &s);
}

static const sdiag_step_t *run_ptr(fixture_t *f, const char *server, const char *local, const char *helo, const char *banner)
{
	f->in.await_session = 1;
	sdiag_dnscheck_start(&f->dc, &f->in, SDIAG_DNSCHECK_PTR);
	CHECK(!sdiag_dnscheck_finished(&f->dc));
	session(f, server, local, helo, banner);
	while (t_zone_flush(f->z)) {
	}
	CHECK(sdiag_dnscheck_finished(&f->dc));
	sdiag_dnscheck_steps(&f->dc, &f->out);
	return f->out.n ? &f->out.steps[0] : NULL;
}

TEST(ptr_confirmed)
{
	fixture_t f;
	const sdiag_step_t *s;
	const sdiag_value_t *a;
	setup(&f, "example.com");
	t_zone_add(f.z, "1.2.0.192.in-addr.arpa", "PTR", "mx.example.com");
	t_zone_add(f.z, "mx.example.com", "A", "192.0.2.1");
	t_zone_add(f.z, "7.113.51.198.in-addr.arpa", "PTR", "app.example.com");
	t_zone_add(f.z, "app.example.com", "A", "198.51.113.7");
	t_zone_defer(f.z, 1);
	s = run_ptr(&f, "192.0.2.1", "198.51.113.7", "app.example.com", "mx.example.com");
	REQUIRE(s);
	CHECK_STR(s->id, "dns.ptr");
	CHECK_INT(s->status, SDIAG_STEP_OK);
	CHECK_CONTAINS(s->message, "2 of 2 addresses");
	a = sdiag_v_at(sdiag_v_get(s->data, "addresses"), 1);
	CHECK_STR(str_at(a, "role"), "local");
	CHECK_STR(str_at(a, "fcrdns"), "app.example.com");
	CHECK_INT(int_at(a, "helo_matches"), 1);
	CHECK_INT(int_at(sdiag_v_at(sdiag_v_get(s->data, "addresses"), 0), "banner_matches"), 1);
	teardown(&f);
}

TEST(ptr_missing_mismatch_and_helo)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "example.com");
	s = run_ptr(&f, "192.0.2.1", NULL, NULL, NULL);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(s->message, "server address 192.0.2.1 has no reverse DNS");
	CHECK_CONTAINS(s->hint, "PTR");
	teardown(&f);

	setup(&f, "example.com");
	t_zone_add(f.z, "1.2.0.192.in-addr.arpa", "PTR", "liar.example.com");
	t_zone_add(f.z, "liar.example.com", "A", "192.0.2.99");
	s = run_ptr(&f, "192.0.2.1", NULL, NULL, NULL);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(s->message, "does not resolve back");
	teardown(&f);

	setup(&f, "example.com");
	t_zone_add(f.z, "7.113.51.198.in-addr.arpa", "PTR", "app.example.com");
	t_zone_add(f.z, "app.example.com", "A", "198.51.113.7");
	s = run_ptr(&f, NULL, "198.51.113.7", "localhost.localdomain", NULL);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_CONTAINS(s->message, "HELO name localhost.localdomain does not match");
	CHECK_CONTAINS(s->hint, "app.example.com");
	teardown(&f);

	/* the server's greeting name is a PTR name that does not resolve back:
	 * told as the server's, not as a HELO name */
	setup(&f, "example.com");
	t_zone_add(f.z, "1.2.0.192.in-addr.arpa", "PTR", "mx.example.com");
	t_zone_add(f.z, "1.2.0.192.in-addr.arpa", "PTR", "old.example.com");
	t_zone_add(f.z, "mx.example.com", "A", "192.0.2.1");
	t_zone_add(f.z, "old.example.com", "A", "192.0.2.77");
	s = run_ptr(&f, "192.0.2.1", NULL, NULL, "old.example.com");
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_WARN);
	CHECK_STR(s->message, "server address 192.0.2.1: its PTR names old.example.com, which does not resolve back to it (the forward-confirmed name is mx.example.com)");
	CHECK_STR(s->hint, "Give old.example.com an A/AAAA record for 192.0.2.1, or drop that PTR record.");
	teardown(&f);
}

TEST(ptr_private_and_ipv6)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "example.com");
	t_zone_add(f.z, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "PTR", "v6.example.com");
	t_zone_add(f.z, "v6.example.com", "AAAA", "2001:db8::1");
	s = run_ptr(&f, "2001:db8::1", "10.0.0.5", "[10.0.0.5]", NULL);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_OK);
	CHECK_CONTAINS(s->message, "1 of 2 addresses");
	CHECK_INT(int_at(sdiag_v_at(sdiag_v_get(s->data, "addresses"), 1), "private"), 1);
	teardown(&f);

	setup(&f, "example.com");
	s = run_ptr(&f, NULL, NULL, NULL, NULL);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_SKIP);
	teardown(&f);
}

TEST(ptr_of_mx_hosts)
{
	fixture_t f;
	const sdiag_step_t *s;
	setup(&f, "example.com");
	t_zone_add(f.z, "example.com", "MX", "10 mx.example.com");
	t_zone_add(f.z, "mx.example.com", "A", "192.0.2.1");
	t_zone_add(f.z, "1.2.0.192.in-addr.arpa", "PTR", "mx.example.com");
	t_zone_defer(f.z, 1);
	s = run(&f, SDIAG_DNSCHECK_PTR);
	REQUIRE(s);
	CHECK_INT(s->status, SDIAG_STEP_OK);
	CHECK_STR(str_at(sdiag_v_at(sdiag_v_get(s->data, "addresses"), 0), "role"), "mx mx.example.com");
	CHECK_STR(str_at(sdiag_v_at(sdiag_v_get(s->data, "addresses"), 0), "fcrdns"), "mx.example.com");
	teardown(&f);
}

TEST(unfinished_jobs_fail_at_the_deadline)
{
	fixture_t f;
	setup(&f, "example.com");
	t_zone_defer(f.z, 1);
	sdiag_dnscheck_start(&f.dc, &f.in, SDIAG_DNSCHECK_MX);
	CHECK(!sdiag_dnscheck_finished(&f.dc));
	sdiag_dnscheck_steps(&f.dc, &f.out);
	REQUIRE(f.out.n == 1);
	CHECK_INT(f.out.steps[0].status, SDIAG_STEP_FAIL);
	CHECK_CONTAINS(f.out.steps[0].message, "not finished before the deadline");
	/* the late answer lands in a finished job and changes nothing */
	while (t_zone_flush(f.z)) {
	}
	CHECK_INT(f.out.steps[0].status, SDIAG_STEP_FAIL);
	teardown(&f);
}

TEST(out_of_memory)
{
	unsigned long n;
	for (n = 1; n < 40; n++) {
		fixture_t f;
		setup(&f, "example.com");
		t_zone_add(f.z, "example.com", "MX", "10 mx.example.com");
		t_zone_add(f.z, "mx.example.com", "A", "192.0.2.1");
		t_alloc_fail_nth(n);
		run(&f, SDIAG_DNSCHECK_MX);
		t_alloc_reset();
		CHECK(sdiag_dnscheck_finished(&f.dc));
		teardown(&f);
	}
}

TEST_MAIN("dnscheck", T(bits_and_names), T(mx_ok_sorted_and_resolved), T(mx_null), T(mx_implicit), T(mx_nxdomain_and_timeout),
	T(mx_cname_literal_and_unresolved), T(ptr_confirmed), T(ptr_missing_mismatch_and_helo), T(ptr_private_and_ipv6), T(ptr_of_mx_hosts),
	T(unfinished_jobs_fail_at_the_deadline), T(out_of_memory))
