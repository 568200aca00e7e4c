--TEST--
smtpdiag_dns(): DNS failures told apart on the wire: timeout, SERVFAIL, REFUSED, a malformed answer, truncation (TCP retry), NXDOMAIN and no data
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$big = [];
for ($i = 1; $i <= 12; $i++) {
    $big[] = [$i, "mx$i.big.test"];
}
$zone = [
    'slow.test' => ['fault' => 'timeout'],
    'broken.test' => ['fault' => 'servfail'],
    'closed.test' => ['fault' => 'refused'],
    'garbled.test' => ['fault' => 'malformed'],
    'big.test' => ['MX' => $big, 'fault' => ['MX' => 'truncate']],
    'nodata.test' => ['TXT' => ['hello']],
];
for ($i = 1; $i <= 12; $i++) {
    $zone["mx$i.big.test"] = ['A' => ["192.0.2.$i"]];
}
$dns = DnsTestServer::start($zone);
foreach (['slow.test', 'broken.test', 'closed.test', 'garbled.test', 'big.test', 'nodata.test', 'none.test'] as $domain) {
    $r = smtpdiag_dns($domain, ['dns' => ['mx'], 'dns_servers' => $dns->servers(), 'timeout' => 1.5]);
    $s = dns_step($r, 'dns.mx');
    echo "$domain: {$s['status']} ", $s['data']['dns_status'] ?? '-', ' ', $s['data']['count'] ?? '-', "\n";
    echo "  {$s['message']}\n";
}
$log = array_filter($dns->queryLog(), static fn (array $q): bool => $q['name'] === 'big.test');
echo implode(' ', array_map(static fn (array $q): string => $q['transport'] . ($q['tc'] ? '+TC' : ''), $log)), "\n";
?>
--EXPECTF--
slow.test: warn timeout -
  cannot look up the MX records: no DNS server answered slow.test MX in time
broken.test: warn servfail -
  cannot look up the MX records: the DNS server failed to answer broken.test MX (SERVFAIL)
closed.test: warn refused -
  cannot look up the MX records: the DNS server refused closed.test MX (%s)
garbled.test: warn malformed -
  cannot look up the MX records: %s
big.test: ok - 12
  12 MX hosts, lowest preference mx1.big.test
nodata.test: fail - -
  nodata.test has no MX record and no address: it cannot receive mail (bounces and replies to it are lost)
none.test: fail nxdomain -
  the domain none.test does not exist (NXDOMAIN)
udp+TC tcp
