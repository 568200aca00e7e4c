--TEST--
smtpdiag_spf(): every result, the exp= explanation with macros (%{i} %{s} %{l} %{o} %{h} %{r}), the include chain, void look-ups, and the argument errors
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$zone = [
    'x.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 include:_spf.x.test ?ip4:203.0.113.0/24 ~ip4:198.18.0.0/15 -all exp=why.x.test']],
    '_spf.x.test' => ['TXT' => ['v=spf1 ip6:2001:db8::/32 include:_deep.x.test -all']],
    '_deep.x.test' => ['TXT' => ['v=spf1 ip4:198.51.100.0/24 -all']],
    'why.x.test' => ['TXT' => ['%{i} may not send for %{o} (sender %{s}, local part %{l}, helo %{h}, checked by %{r})']],
    'none.test' => ['A' => ['192.0.2.1']],
    'perm.test' => ['TXT' => ['v=spf1 include:none.test -all']],
    'void.test' => ['TXT' => ['v=spf1 a:v1.void.test a:v2.void.test ip4:192.0.2.0/24 -all']],
    'temp.test' => ['TXT' => ['v=spf1 a:slow.temp.test -all']],
    'slow.temp.test' => ['fault' => 'timeout'],
    'helo.test' => ['TXT' => ['v=spf1 -all exp=why.helo.test']],
    'why.helo.test' => ['TXT' => ['sender %{s} helo %{h}']],
];
$dns = DnsTestServer::start($zone);
$o = ['dns_servers' => $dns->servers(), 'timeout' => 2];

$cases = [
    ['192.0.2.7', 'x.test'],
    ['2001:db8::5', 'x.test'],
    ['198.51.100.9', 'x.test'],
    ['203.0.113.9', 'x.test'],
    ['198.19.1.1', 'x.test'],
    ['10.1.2.3', 'x.test'],
    ['192.0.2.1', 'none.test'],
    ['192.0.2.1', 'perm.test'],
    ['192.0.2.1', 'void.test'],
    ['192.0.2.1', 'temp.test'],
];
foreach ($cases as [$ip, $domain]) {
    $r = smtpdiag_spf($ip, $domain, "jane.doe@$domain", "client.example", $o + ['receiver' => 'mx.receiver.test']);
    $m = $r['matched'] === null ? '-' : "{$r['matched']['mechanism']} in {$r['matched']['domain']}";
    echo "$ip $domain: {$r['result']}, matched $m, lookups {$r['lookups']}, void {$r['void_lookups']}, includes [", implode(' ', $r['includes']), "]\n";
    if ($r['explanation'] !== '') {
        echo "  explanation: {$r['explanation']}\n";
    }
    if ($r['problem'] !== '') {
        echo "  problem: {$r['problem']}\n";
    }
    foreach ($r['warnings'] as $w) {
        echo "  warning: $w\n";
    }
}

echo "-- keys and the chain\n";
$r = smtpdiag_spf('198.51.100.9', 'x.test', '', '', $o);
echo implode(' ', array_keys($r)), "\n";
var_dump(is_float($r['duration_ms']) && $r['duration_ms'] >= 0, $r['record']);
foreach ($r['chain'] as $c) {
    echo "  {$c['domain']} via {$c['via']}: {$c['result']} ({$c['record']})\n";
}

echo "-- no receiver, empty sender: postmaster at the HELO name\n";
echo smtpdiag_spf('10.1.2.3', 'x.test', '', 'helo.test', $o)['explanation'], "\n";
echo smtpdiag_spf('10.1.2.3', 'helo.test', '', 'client.example', $o)['explanation'], "\n";

echo "-- errors\n";
$bad = [
    static fn () => smtpdiag_spf('192.0.2.300', 'x.test', '', '', $o),
    static fn () => smtpdiag_spf('x.test', 'x.test', '', '', $o),
    static fn () => smtpdiag_spf("192.0.2.1\0", 'x.test', '', '', $o),
    static fn () => smtpdiag_spf('192.0.2.1', "x.test\0evil", '', '', $o),
    static fn () => smtpdiag_spf('192.0.2.1', "x.test\r\n", '', '', $o),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', "a@x.test\nRCPT", '', $o),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', "helo\r", $o),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', $o + ['receiver' => "r\0"]),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', $o + ['ip' => '192.0.2.1']),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', [5 => 'x']),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', ['timeout' => 'soon']),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', ['dns_servers' => 'not an address']),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', ['receiver' => 5]),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', ['timeout' => [1]]),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', ['dns_servers' => [1]]),
    static fn () => smtpdiag_spf(['192.0.2.1'], 'x.test'),
    static fn () => smtpdiag_spf('192.0.2.1', 'x.test', '', '', 'options'),
];
foreach ($bad as $f) {
    try {
        $f();
        echo "no exception\n";
    } catch (Throwable $e) {
        // the resolver library's own words after the example vary by version
        echo get_class($e), ': ', preg_replace('/(:5353"): .*$/', '$1: ...', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
192.0.2.7 x.test: pass, matched ip4:192.0.2.0/24 in x.test, lookups 0, void 0, includes []
2001:db8::5 x.test: pass, matched include:_spf.x.test in x.test, lookups 1, void 0, includes [_spf.x.test]
198.51.100.9 x.test: pass, matched include:_spf.x.test in x.test, lookups 2, void 0, includes [_spf.x.test _deep.x.test]
203.0.113.9 x.test: neutral, matched ?ip4:203.0.113.0/24 in x.test, lookups 2, void 0, includes [_spf.x.test _deep.x.test]
198.19.1.1 x.test: softfail, matched ~ip4:198.18.0.0/15 in x.test, lookups 2, void 0, includes [_spf.x.test _deep.x.test]
10.1.2.3 x.test: fail, matched -all in x.test, lookups 2, void 0, includes [_spf.x.test _deep.x.test]
  explanation: 10.1.2.3 may not send for x.test (sender jane.doe@x.test, local part jane.doe, helo client.example, checked by mx.receiver.test)
192.0.2.1 none.test: none, matched -, lookups 0, void 0, includes []
  problem: none.test has no SPF record (no TXT record starting with "v=spf1")
192.0.2.1 perm.test: permerror, matched -, lookups 1, void 0, includes [none.test]
  problem: include:none.test: none.test has no SPF record (no TXT record starting with "v=spf1")
192.0.2.1 void.test: pass, matched ip4:192.0.2.0/24 in void.test, lookups 2, void 2, includes []
  warning: 2 look-ups found no records (void look-ups; more than 2 is a permerror)
192.0.2.1 temp.test: temperror, matched -, lookups 1, void 0, includes []
  problem: the look-up for "a:slow.temp.test" in the record of temp.test failed (timeout)
-- keys and the chain
result explanation problem record lookups void_lookups matched chain includes warnings duration_ms
bool(true)
string(102) "v=spf1 ip4:192.0.2.0/24 include:_spf.x.test ?ip4:203.0.113.0/24 ~ip4:198.18.0.0/15 -all exp=why.x.test"
  x.test via check_host: pass (v=spf1 ip4:192.0.2.0/24 include:_spf.x.test ?ip4:203.0.113.0/24 ~ip4:198.18.0.0/15 -all exp=why.x.test)
  _spf.x.test via include: pass (v=spf1 ip6:2001:db8::/32 include:_deep.x.test -all)
  _deep.x.test via include: pass (v=spf1 ip4:198.51.100.0/24 -all)
-- no receiver, empty sender: postmaster at the HELO name
10.1.2.3 may not send for helo.test (sender postmaster@helo.test, local part postmaster, helo helo.test, checked by unknown)
sender postmaster@client.example helo client.example
-- errors
ValueError: smtpdiag_spf(): Argument #1 ($ip) must be an IPv4 or IPv6 address
ValueError: smtpdiag_spf(): Argument #1 ($ip) must be an IPv4 or IPv6 address
ValueError: smtpdiag_spf(): Argument #1 ($ip) must be an IPv4 or IPv6 address
ValueError: smtpdiag_spf(): Argument #2 ($domain) must not contain NUL, CR or LF
ValueError: smtpdiag_spf(): Argument #2 ($domain) must not contain NUL, CR or LF
ValueError: smtpdiag_spf(): Argument #3 ($sender) must not contain NUL, CR or LF
ValueError: smtpdiag_spf(): Argument #4 ($helo) must not contain NUL, CR or LF
ValueError: smtpdiag_spf(): Argument #5 ($options) is invalid: option "receiver" must not contain NUL, CR or LF
ValueError: smtpdiag_spf(): Argument #5 ($options) is invalid: unknown option "ip"
ValueError: smtpdiag_spf(): Argument #5 ($options) is invalid: unknown option "(integer key)"
ValueError: smtpdiag_spf(): Argument #5 ($options) is invalid: option "timeout" must be a number of seconds greater than 0, got "soon"
ValueError: smtpdiag_spf(): Argument #5 ($options) is invalid: dns_servers "not an address" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353": ...
TypeError: smtpdiag_spf(): Argument #5 ($options) is invalid: option "receiver" must be of type string, int given
TypeError: smtpdiag_spf(): Argument #5 ($options) is invalid: option "timeout" must be of type string|int|float|bool, array given
TypeError: smtpdiag_spf(): Argument #5 ($options) is invalid: option "dns_servers" must be a list of strings
TypeError: smtpdiag_spf(): Argument #1 ($ip) must be of type string, array given
TypeError: smtpdiag_spf(): Argument #5 ($options) must be of type array, string given
