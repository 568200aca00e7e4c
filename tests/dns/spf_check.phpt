--TEST--
smtpdiag_dns(): dns.spf walks the record tree (ok, +all, ptr, 9 look-ups, no record, permerrors) and evaluates it for an address (pass, fail, softfail, neutral, temperror)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$zone = [
    'good.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all', 'google-site-verification=abc']],
    '_spf.good.test' => ['TXT' => ['v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all']],
    'plusall.test' => ['TXT' => ['v=spf1 +all']],
    'ptr.test' => ['TXT' => ['v=spf1 ptr -all']],
    // a, mx, a: x5 and an include holding one more a: = 9 look-ups (the MX host's address is not counted)
    'nine.test' => ['A' => ['192.0.2.9'], 'MX' => [[10, 'mx.nine.test']],
        'TXT' => ['v=spf1 a mx a:h1.nine.test a:h2.nine.test a:h3.nine.test a:h4.nine.test a:h5.nine.test include:_i.nine.test -all']],
    '_i.nine.test' => ['TXT' => ['v=spf1 a:h6.nine.test -all']],
    'none.test' => ['TXT' => ['hello world']],
    'two.test' => ['TXT' => ['v=spf1 -all', 'v=spf1 ip4:192.0.2.1 -all']],
    'eleven.test' => ['TXT' => ['v=spf1 a:h1.nine.test a:h2.nine.test a:h3.nine.test a:h4.nine.test a:h5.nine.test a:h6.nine.test '
        . 'include:_i.eleven.test -all']],
    '_i.eleven.test' => ['TXT' => ['v=spf1 a:h7.nine.test a:h8.nine.test a:h9.nine.test a:h10.nine.test -all']],
    'syntax.test' => ['TXT' => ['v=spf1 ip4:192.0.2.300 -all']],
    'soft.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 ~all']],
    'neutral.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 ?all']],
    'temp.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 include:slow.temp.test -all']],
    'slow.temp.test' => ['fault' => 'timeout'],
];
$zone['mx.nine.test'] = ['A' => ['192.0.2.25']];
for ($i = 1; $i <= 10; $i++) {
    $zone["h$i.nine.test"] = ['A' => ["192.0.2.$i"]];
}
$dns = DnsTestServer::start($zone);
$run = static fn (string $domain, array $options = []): array =>
    smtpdiag_dns($domain, $options + ['dns' => ['spf'], 'dns_servers' => $dns->servers(), 'timeout' => 2]);

echo "-- walk mode\n";
foreach (['good.test', 'plusall.test', 'ptr.test', 'nine.test', 'none.test', 'two.test', 'eleven.test', 'syntax.test'] as $domain) {
    $r = $run($domain);
    $d = dns_step($r, 'dns.spf')['data'];
    echo "== $domain: {$r['status']}, lookups {$d['lookups']}, void {$d['void_lookups']}, includes [", implode(' ', $d['includes']), "]\n";
    dns_print_steps($r);
    foreach ($d['warnings'] as $w) {
        echo "  warning: $w\n";
    }
}
$d = dns_step($run('good.test'), 'dns.spf')['data'];
echo json_encode($d, JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT), "\n";
$r = $run('two.test');
echo $r['error']['category'], ' / ', $r['error']['phase'], ' / ', $r['error']['message'], "\n";

echo "-- with an address\n";
foreach ([['good.test', '192.0.2.10'], ['good.test', '2001:db8::25'], ['good.test', '203.0.113.5'], ['soft.test', '203.0.113.5'],
    ['neutral.test', '203.0.113.5'], ['temp.test', '203.0.113.5']] as [$domain, $ip]) {
    $r = $run($domain, ['ip' => $ip]);
    $d = dns_step($r, 'dns.spf')['data'];
    echo "== $domain $ip: {$d['result']}, matched ", json_encode($d['matched'], JSON_UNESCAPED_SLASHES), ", chain ",
        implode(' ', array_map(static fn (array $c): string => "{$c['domain']}({$c['via']}:" . ($c['result'] ?? '-') . ')', $d['chain'])), "\n";
    dns_print_steps($r);
    var_dump($d['ip'] === $ip);
}
echo $d['problem'], "\n"; // the last one: temp.test
$slow = array_filter($dns->queryLog(), static fn (array $q): bool => $q['name'] === 'slow.temp.test');
echo count($slow) > 0 ? 'slow.temp.test asked, ' . array_values($slow)[0]['rcode'] : 'slow.temp.test never asked', "\n";
?>
--EXPECT--
-- walk mode
== good.test: ok, lookups 1, void 0, includes [_spf.good.test]
dns.spf ok: SPF record of good.test is valid (1 of 10 DNS look-ups)
== plusall.test: warn, lookups 0, void 0, includes []
dns.spf warn: SPF record of plusall.test is valid (0 of 10 DNS look-ups), 1 warning: plusall.test: "+all" lets every host on the internet send as this domain
  hint: Fix the points the warnings name; each one weakens or endangers the record.
  warning: plusall.test: "+all" lets every host on the internet send as this domain
== ptr.test: warn, lookups 1, void 0, includes []
dns.spf warn: SPF record of ptr.test is valid (1 of 10 DNS look-ups), 1 warning: ptr.test: the ptr mechanism is slow and unreliable; RFC 7208 5.5 says not to use it
  hint: Fix the points the warnings name; each one weakens or endangers the record.
  warning: ptr.test: the ptr mechanism is slow and unreliable; RFC 7208 5.5 says not to use it
== nine.test: warn, lookups 9, void 0, includes [_i.nine.test]
dns.spf warn: SPF record of nine.test is valid (9 of 10 DNS look-ups), 1 warning: 9 DNS look-ups of the 10 allowed: one more include or a/mx/ptr/exists term breaks SPF (permerror)
  hint: Fix the points the warnings name; each one weakens or endangers the record.
  warning: 9 DNS look-ups of the 10 allowed: one more include or a/mx/ptr/exists term breaks SPF (permerror)
== none.test: fail, lookups 0, void 0, includes []
dns.spf fail: No SPF record: none.test has no SPF record (no TXT record starting with "v=spf1")
  hint: Publish one TXT record at none.test: "v=spf1 include:<your provider> -all" (with the include your mail provider documents, plus ip4:/ip6: for servers of your own).
== two.test: fail, lookups 0, void 0, includes []
dns.spf fail: SPF of two.test is broken (permerror): two.test has 2 SPF records; there must be exactly one (RFC 7208 4.5)
  hint: Receivers treat a broken SPF record as no authorisation at all: fix the record named in the message (one "v=spf1" TXT record per domain; every include must have a record).
== eleven.test: fail, lookups 11, void 0, includes [_i.eleven.test]
dns.spf fail: SPF of eleven.test is broken (permerror): more than 10 DNS look-ups (include, a, mx, ptr, exists, redirect); the limit was passed at "a:h10.nine.test" in the record of _i.eleven.test
  hint: Receivers stop after 10 DNS look-ups and treat the record as broken: drop includes you no longer use, or replace some with their ip4:/ip6: ranges.
== syntax.test: fail, lookups 0, void 0, includes []
dns.spf fail: SPF of syntax.test is broken (permerror): syntax error in the SPF record of syntax.test: "ip4:192.0.2.300": not an IPv4 address
  hint: Receivers treat a broken SPF record as no authorisation at all: fix the record named in the message (one "v=spf1" TXT record per domain; every include must have a record).
{
    "result": null,
    "explanation": "",
    "problem": "",
    "record": "v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all",
    "lookups": 1,
    "void_lookups": 0,
    "matched": null,
    "chain": [
        {
            "domain": "good.test",
            "via": "check_host",
            "depth": 0,
            "record": "v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all",
            "result": "neutral"
        },
        {
            "domain": "_spf.good.test",
            "via": "include",
            "depth": 1,
            "record": "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all",
            "result": "neutral"
        }
    ],
    "includes": [
        "_spf.good.test"
    ],
    "warnings": [],
    "ip": null,
    "relay": null,
    "relay_authorised": null
}
spam_or_policy / dns / dns.spf: SPF of two.test is broken (permerror): two.test has 2 SPF records; there must be exactly one (RFC 7208 4.5)
-- with an address
== good.test 192.0.2.10: pass, matched {"mechanism":"ip4:192.0.2.0/24","domain":"good.test"}, chain good.test(check_host:pass)
dns.spf ok: SPF pass: 192.0.2.10 may send for good.test (matched "ip4:192.0.2.0/24" in the record of good.test)
bool(true)
== good.test 2001:db8::25: pass, matched {"mechanism":"include:_spf.good.test","domain":"good.test"}, chain good.test(check_host:pass) _spf.good.test(include:pass)
dns.spf ok: SPF pass: 2001:db8::25 may send for good.test (matched "include:_spf.good.test" in the record of good.test)
bool(true)
== good.test 203.0.113.5: fail, matched {"mechanism":"-all","domain":"good.test"}, chain good.test(check_host:fail) _spf.good.test(include:fail)
dns.spf fail: SPF fail: the record of good.test does not authorise 203.0.113.5 (matched "-all"): receivers may reject the mail
  hint: Add "ip4:203.0.113.5" to the SPF record of good.test, or the include of the provider that sends for you.
bool(true)
== soft.test 203.0.113.5: softfail, matched {"mechanism":"~all","domain":"soft.test"}, chain soft.test(check_host:softfail)
dns.spf warn: SPF softfail: the record of soft.test does not authorise 203.0.113.5 (matched "~all"): the mail is suspect to receivers
  hint: Add "ip4:203.0.113.5" to the SPF record of soft.test, or the include of the provider that sends for you.
bool(true)
== neutral.test 203.0.113.5: neutral, matched {"mechanism":"?all","domain":"neutral.test"}, chain neutral.test(check_host:neutral)
dns.spf warn: SPF neutral: the record of neutral.test does not authorise 203.0.113.5 (matched "?all"): the mail is suspect to receivers
  hint: Add "ip4:203.0.113.5" to the SPF record of neutral.test, or the include of the provider that sends for you.
bool(true)
== temp.test 203.0.113.5: temperror, matched null, chain temp.test(check_host:temperror) slow.temp.test(include:temperror)
dns.spf warn: SPF of temp.test could not be evaluated (temperror): the TXT look-up of slow.temp.test failed (timeout)
  hint: A DNS look-up failed or timed out, so receivers defer or accept without SPF: check the name servers of the domains named in the message.
bool(true)
the TXT look-up of slow.temp.test failed (timeout)
slow.temp.test asked, NOREPLY
