--TEST--
smtpdiag_spf(): the RFC 7208 conformance suite (openspf / pyspf), every scenario served by the scripted DNS responder
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
require __DIR__ . '/spf_suite.inc';
$why = spf_suite_unavailable();
if ($why !== null) {
    die("skip $why");
}
?>
--FILE--
<?php
require __DIR__ . '/spf_suite.inc';
require __DIR__ . '/../inc/dns.inc';

$scenarios = spf_suite_load();
$passed = $failed = 0;
foreach ($scenarios as $scenario) {
    $dns = DnsTestServer::start(spf_suite_zone($scenario['zone']), 0.0, 120.0);
    foreach ($scenario['tests'] as $name => $t) {
        $r = smtpdiag_spf($t['host'], spf_suite_domain($t), $t['mailfrom'], $t['helo'], [
            'dns_servers' => $dns->servers(),
            'timeout' => 1.5,
            'receiver' => 'receiver.example',
        ]);
        $why = spf_suite_verdict($t, $r);
        if ($why === null) {
            $passed++;
        } else {
            $failed++;
            echo "FAIL {$scenario['description']} / $name: $why\n";
        }
    }
    $dns->stop();
}
echo "$passed passed, $failed failed\n";
?>
--EXPECT--
201 passed, 0 failed
