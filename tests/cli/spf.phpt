--TEST--
smtpdiag spf IP DOMAIN: the result, its meaning, the explanation of a fail (exp=), the problem of a permerror/none/temperror, the matched mechanism, the look-ups, the include/redirect tree indented by depth, warnings; exit 0 pass, 1 neutral/softfail/none, 3 fail/permerror/temperror; --sender and --helo reach the macros; --quiet
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag')) {
    die('skip scripts/smtpdiag is not in this tree');
}
?>
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/cli.inc';
require_once __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start([
    'example.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 include:_spf.example.test redirect=_r.example.test', 'not spf']],
    '_spf.example.test' => ['TXT' => ['v=spf1 ip4:198.51.100.1 include:_inner.example.test ~all']],
    '_inner.example.test' => ['TXT' => ['v=spf1 ip4:203.0.113.7 -all']],
    '_r.example.test' => ['TXT' => ['v=spf1 exp=exp.example.test -all']],
    'exp.example.test' => ['TXT' => ['%{i} is not a server of %{o} (sender %{s}, HELO %{h})']],
    'soft.test' => ['TXT' => ['v=spf1 ip4:192.0.2.1 ~all']],
    'neutral.test' => ['TXT' => ['v=spf1 ip4:192.0.2.1 ?all']],
    'broken.test' => ['TXT' => ['v=spf1 include:nowhere.test -all']],
    'syntax.test' => ['TXT' => ['v=spf1 ip4:192.0.2.300 -all']],
    'servfail.test' => ['fault' => 'servfail'],
    'nospf.test' => ['MX' => [[10, 'mx.nospf.test']]],
]);
$common = ['--dns-servers=' . $dns->servers(), '--timeout=5'];

function run(array $args): void
{
    global $common;
    [$status, $out, $err] = cli(['spf', ...$args, ...$common]);
    echo "exit $status", $err === '' ? '' : ', stderr ' . json_encode($err), "\n", $out;
}

echo "== pass, three records deep\n";
run(['203.0.113.7', 'example.test']);
echo "== fail with the explanation (exp= of the redirect target), --sender and --helo in its macros\n";
run(['203.0.113.9', 'example.test', '--sender=app@example.test', '--helo=client.example.test']);
echo "== softfail, neutral: exit 1\n";
run(['203.0.113.9', 'soft.test', '-q']);
run(['203.0.113.9', 'neutral.test']);
echo "== none: exit 1\n";
run(['203.0.113.9', 'nospf.test']);
echo "== permerror: an include without a record, a bad address in the record\n";
run(['203.0.113.9', 'broken.test']);
run(['2001:db8::1', 'syntax.test']);
echo "== temperror: SERVFAIL\n";
run(['203.0.113.9', 'servfail.test']);
echo "== --quiet: the exit status alone\n";
foreach (['203.0.113.7', '203.0.113.9'] as $ip) {
    [$status, $out, $err] = cli(['spf', $ip, 'example.test', '--quiet', ...$common]);
    echo "$ip: exit $status, ", json_encode($out . $err), "\n";
}
?>
--EXPECT--
== pass, three records deep
exit 0
ip:          203.0.113.7
domain:      example.test
result:      pass (the address is authorised to send for the domain)
matched:     "include:_spf.example.test" in example.test
look-ups:    2 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  example.test "v=spf1 ip4:192.0.2.0/24 include:_spf.example.test redirect=_r.example.test" -> pass
    include:_spf.example.test "v=spf1 ip4:198.51.100.1 include:_inner.example.test ~all" -> pass
      include:_inner.example.test "v=spf1 ip4:203.0.113.7 -all" -> pass
== fail with the explanation (exp= of the redirect target), --sender and --helo in its macros
exit 3
ip:          203.0.113.9
domain:      example.test
sender:      app@example.test
helo:        client.example.test
result:      fail (the address is not authorised: receivers may reject the mail)
explanation: 203.0.113.9 is not a server of example.test (sender app@example.test, HELO client.example.test)
matched:     "-all" in _r.example.test
look-ups:    3 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  example.test "v=spf1 ip4:192.0.2.0/24 include:_spf.example.test redirect=_r.example.test" -> fail
    include:_spf.example.test "v=spf1 ip4:198.51.100.1 include:_inner.example.test ~all" -> softfail
      include:_inner.example.test "v=spf1 ip4:203.0.113.7 -all" -> fail
    redirect=_r.example.test "v=spf1 exp=exp.example.test -all" -> fail
== softfail, neutral: exit 1
exit 1
exit 1
ip:          203.0.113.9
domain:      neutral.test
result:      neutral (the domain makes no assertion about the address)
matched:     "?all" in neutral.test
look-ups:    0 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  neutral.test "v=spf1 ip4:192.0.2.1 ?all" -> neutral
warnings:
  - neutral.test: "?all" gives neutral for any host: it protects nothing
== none: exit 1
exit 1
ip:          203.0.113.9
domain:      nospf.test
result:      none (no SPF record: no assertion)
problem:     nospf.test has no SPF record (no TXT record starting with "v=spf1")
look-ups:    0 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  nospf.test (no record) -> none
== permerror: an include without a record, a bad address in the record
exit 3
ip:          203.0.113.9
domain:      broken.test
result:      permerror (the domain's SPF records are broken: receivers treat this as no authorisation)
problem:     include:nowhere.test: nowhere.test has no SPF record (no TXT record starting with "v=spf1")
look-ups:    1 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  broken.test "v=spf1 include:nowhere.test -all" -> permerror
    include:nowhere.test (no record) -> none
exit 3
ip:          2001:db8::1
domain:      syntax.test
result:      permerror (the domain's SPF records are broken: receivers treat this as no authorisation)
problem:     syntax error in the SPF record of syntax.test: "ip4:192.0.2.300": not an IPv4 address
look-ups:    0 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  syntax.test "v=spf1 ip4:192.0.2.300 -all" -> permerror
== temperror: SERVFAIL
exit 3
ip:          203.0.113.9
domain:      servfail.test
result:      temperror (a DNS look-up failed: receivers may defer the mail)
problem:     the TXT look-up of servfail.test failed (servfail)
look-ups:    0 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  servfail.test (no record) -> temperror
== --quiet: the exit status alone
203.0.113.7: exit 0, ""
203.0.113.9: exit 3, ""
