--TEST--
smtpdiag dns --json: the report of smtpdiag_dns() as JSON (target {domain}, the default checks: all but dane, no transcript), the same exit status as the text; the same report as smtpdiag_dns() gives
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
    'example.test' => ['MX' => [[10, 'mx.example.test']], 'TXT' => ['v=spf1 ip4:192.0.2.0/24 -all']],
    'mx.example.test' => ['A' => ['192.0.2.25']],
    '_dmarc.example.test' => ['TXT' => ['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test']],
]);
$common = ['--dns-servers=' . $dns->servers(), '--timeout=5'];

[$status, $out, $err] = cli(['dns', 'example.test', '--json', '--dkim-selector=mail', '--color=always', ...$common]);
echo "exit $status, stderr ", json_encode($err), "\n";
var_dump(str_contains($out, "\e"), str_starts_with($out, "{\n    \"ok\": false,\n"));
$r = json_decode($out, true, 512, JSON_THROW_ON_ERROR);
echo implode(',', array_keys($r)), "\n";
var_dump($r['ok'], $r['status'], $r['target'], is_float($r['duration_ms']), $r['transcript']);
foreach ($r['steps'] as $s) {
    printf("%-12s %-5s %s\n", $s['id'], $s['status'], implode(',', array_keys($s)));
}
echo $r['error']['category'], ' ', $r['error']['message'], "\n";

echo "== the same as smtpdiag_dns(), the same exit status as the text\n";
$direct = smtpdiag_dns('example.test', ['dkim_selectors' => ['mail'], 'dns_servers' => $dns->servers(), 'timeout' => 5]);
$strip = static function (array $r): array {
    unset($r['duration_ms']);
    foreach ($r['steps'] as &$s) {
        unset($s['duration_ms']);
    }
    return $r;
};
var_dump($strip($direct) === $strip($r));
echo cli(['dns', 'example.test', '--dkim-selector=mail', ...$common])[0], "\n";

echo "== --dns=mx,dane: dane runs when asked\n";
[$status, $out] = cli(['dns', 'example.test', '--json', '--dns=mx,dane', ...$common]);
echo "exit $status: ", implode(',', array_map(static fn (array $s): string => $s['id'] . ' ' . $s['status'], json_decode($out, true)['steps'])), "\n";
?>
--EXPECTF--
exit 3, stderr ""
bool(false)
bool(true)
ok,status,target,duration_ms,steps,error,transcript
bool(false)
string(4) "fail"
array(1) {
  ["domain"]=>
  string(12) "example.test"
}
bool(true)
array(0) {
}
dns.mx       ok    id,status,duration_ms,message,hint,data
dns.spf      ok    id,status,duration_ms,message,hint,data
dns.dkim     fail  id,status,duration_ms,message,hint,data
dns.dmarc    ok    id,status,duration_ms,message,hint,data
dns.ptr      warn  id,status,duration_ms,message,hint,data
dns.mta_sts  skip  id,status,duration_ms,message,hint,data
dns.tls_rpt  skip  id,status,duration_ms,message,hint,data
dns.bimi     skip  id,status,duration_ms,message,hint,data
spam_or_policy dns.dkim: mail._domainkey.example.test: no DKIM key at mail._domainkey.example.test (the name does not exist)
== the same as smtpdiag_dns(), the same exit status as the text
bool(true)
3
== --dns=mx,dane: dane runs when asked
exit 0: dns.mx ok,dns.dane skip
