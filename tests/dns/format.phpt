--TEST--
smtpdiag_format() of an smtpdiag_dns() report: the header names the domain ("smtpdiag dns of example.test"), not a host and port; DNS steps, hints and the error line as in a check's report; a report with neither host nor domain keeps the bare header
--EXTENSIONS--
smtpdiag
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/dns.inc';

echo "== a real report\n";
$dns = DnsTestServer::start([
    'example.test' => ['MX' => [[10, 'mx.example.test']], 'TXT' => ['v=spf1 ip4:192.0.2.0/24 -all']],
    'mx.example.test' => ['A' => ['192.0.2.25']],
    '_dmarc.example.test' => ['TXT' => ['v=DMARC1; p=none']],
]);
$r = smtpdiag_dns('example.test', ['dns' => ['mx', 'spf', 'dmarc'], 'dns_servers' => $dns->servers(), 'timeout' => 5]);
echo smtpdiag_format($r);

echo "== color\n";
echo str_replace("\e", '<ESC>', strtok(smtpdiag_format($r, ['color' => true]), "\n")), "\n";

echo "== a fixed report with a failing step, and a domain with control characters\n";
$f = [
    'ok' => false, 'status' => 'fail', 'target' => ['domain' => "bad\x1b[31m.test"], 'duration_ms' => 12.25,
    'steps' => [
        ['id' => 'dns.spf', 'status' => 'fail', 'duration_ms' => 3.0, 'message' => 'No SPF record: no "v=spf1" TXT record at bad.test',
            'hint' => 'Publish one TXT record.', 'data' => []],
        ['id' => 'dns.mta_sts', 'status' => 'skip', 'duration_ms' => 1.5, 'message' => 'no MTA-STS record (optional)', 'hint' => null, 'data' => []],
    ],
    'error' => ['category' => 'spam_or_policy', 'phase' => 'dns', 'transient' => false, 'code' => null, 'enhanced' => null,
        'message' => 'dns.spf: No SPF record: no "v=spf1" TXT record at bad.test', 'hint' => 'Publish one TXT record.'],
    'transcript' => [],
];
echo smtpdiag_format($f, ['transcript' => true]), "|\n";

echo "== host wins over domain; neither: the bare header\n";
echo strtok(smtpdiag_format(['target' => ['host' => 'mx.example.test', 'port' => 25, 'domain' => 'example.test']] + $f), "\n"), "\n";
echo strtok(smtpdiag_format(['target' => []] + $f), "\n"), "\n";
echo strtok(smtpdiag_format(['target' => ['domain' => 42]] + $f), "\n"), "\n";
?>
--EXPECTF--
== a real report
smtpdiag dns of example.test: WARN in %f ms

  [ ok ] dns.mx           %w%f ms  1 MX host, lowest preference mx.example.test
  [ ok ] dns.spf          %w%f ms  SPF record of example.test is valid (0 of 10 DNS look-ups)
  [warn] dns.dmarc        %w%f ms  _dmarc.example.test: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
         hint: %s
== color
smtpdiag dns of example.test: <ESC>[33mWARN<ESC>[0m in %f ms
== a fixed report with a failing step, and a domain with control characters
smtpdiag dns of bad\x1B[31m.test: FAIL in 12.2 ms

  [FAIL] dns.spf               3.0 ms  No SPF record: no "v=spf1" TXT record at bad.test
         hint: Publish one TXT record.
  [skip] dns.mta_sts           1.5 ms  no MTA-STS record (optional)

error: spam_or_policy (permanent): dns.spf: No SPF record: no "v=spf1" TXT record at bad.test

transcript:
|
== host wins over domain; neither: the bare header
smtpdiag check of mx.example.test:25: FAIL in 12.2 ms
smtpdiag check: FAIL in 12.2 ms
smtpdiag check: FAIL in 12.2 ms
