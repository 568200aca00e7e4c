--TEST--
smtpdiag spf --json: the array of smtpdiag_spf() (chain entries with their depth), the exit status as for text; a look-up cut by --timeout is a temperror (exit 3) with its problem, as text and JSON
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
    'example.test' => ['TXT' => ['v=spf1 include:_spf.example.test -all']],
    '_spf.example.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 ~all']],
    'slow.test' => 'TIMEOUT',
]);
$common = ['--dns-servers=' . $dns->servers()];

[$status, $out, $err] = cli(['spf', '192.0.2.9', 'example.test', '--json', '--sender=app@example.test', '--timeout=5', ...$common]);
echo "exit $status, stderr ", json_encode($err), "\n";
$r = json_decode($out, true, 512, JSON_THROW_ON_ERROR);
var_dump(is_float($r['duration_ms']));
unset($r['duration_ms']);
var_dump($r);
$direct = smtpdiag_spf('192.0.2.9', 'example.test', 'app@example.test', '', ['dns_servers' => $dns->servers(), 'timeout' => 5]);
unset($direct['duration_ms']);
var_dump($direct === $r);

echo "== a fail as JSON: exit 3\n";
[$status, $out] = cli(['spf', '198.51.100.1', 'example.test', '--json', '--timeout=5', ...$common]);
echo "exit $status: ", json_decode($out, true)['result'], "\n";

echo "== cut by --timeout\n";
[$status, $out, $err] = cli(['spf', '192.0.2.9', 'slow.test', '--timeout=0.5', ...$common]);
echo "exit $status, stderr ", json_encode($err), "\n", $out;
[$status, $out] = cli(['spf', '192.0.2.9', 'slow.test', '--timeout=0.5', '--json', ...$common]);
$r = json_decode($out, true);
echo "exit $status: ", implode(',', array_keys($r)), " ", $r['result'], "\n";
?>
--EXPECT--
exit 0, stderr ""
bool(true)
array(10) {
  ["result"]=>
  string(4) "pass"
  ["explanation"]=>
  string(0) ""
  ["problem"]=>
  string(0) ""
  ["record"]=>
  string(37) "v=spf1 include:_spf.example.test -all"
  ["lookups"]=>
  int(1)
  ["void_lookups"]=>
  int(0)
  ["matched"]=>
  array(2) {
    ["mechanism"]=>
    string(25) "include:_spf.example.test"
    ["domain"]=>
    string(12) "example.test"
  }
  ["chain"]=>
  array(2) {
    [0]=>
    array(5) {
      ["domain"]=>
      string(12) "example.test"
      ["via"]=>
      string(10) "check_host"
      ["depth"]=>
      int(0)
      ["record"]=>
      string(37) "v=spf1 include:_spf.example.test -all"
      ["result"]=>
      string(4) "pass"
    }
    [1]=>
    array(5) {
      ["domain"]=>
      string(17) "_spf.example.test"
      ["via"]=>
      string(7) "include"
      ["depth"]=>
      int(1)
      ["record"]=>
      string(28) "v=spf1 ip4:192.0.2.0/24 ~all"
      ["result"]=>
      string(4) "pass"
    }
  }
  ["includes"]=>
  array(1) {
    [0]=>
    string(17) "_spf.example.test"
  }
  ["warnings"]=>
  array(0) {
  }
}
bool(true)
== a fail as JSON: exit 3
exit 3: fail
== cut by --timeout
exit 3, stderr ""
ip:          192.0.2.9
domain:      slow.test
result:      temperror (a DNS look-up failed: receivers may defer the mail)
problem:     the TXT look-up of slow.test failed (timeout)
look-ups:    0 of 10 DNS look-ups, 0 of 2 void look-ups
records:
  slow.test (no record) -> temperror
exit 3: result,explanation,problem,record,lookups,void_lookups,matched,chain,includes,warnings,duration_ms temperror
