--TEST--
Real MTA and real DNS: smtpdiag_check() as alice on the submission port with the DNS checks against dnsmasq serving test.example (MX to the harness host, SPF ip4:127.0.0.1 -all, a 2048-bit DKIM key, DMARC p=reject with rua, PTR of 127.0.0.1, TLS-RPT): every step ok, SPF passes for the server's address; without SPF and with p=none: dns.spf fails, dns.dmarc warns
--EXTENSIONS--
smtpdiag
openssl
--SKIPIF--
<?php
require __DIR__ . '/mta_tests.inc';
require __DIR__ . '/../inc/dnsmasq.inc';
if (($why = MtaTestServer::skipReason()) !== null) {
    die("skip $why");
}
if (!Dnsmasq::available()) {
    die('skip dnsmasq is not installed (apt-get install dnsmasq-base)');
}
?>
--FILE--
<?php
require __DIR__ . '/mta_tests.inc';
require __DIR__ . '/../inc/dnsmasq.inc';
require __DIR__ . '/../dns/dns.inc';

$domain = MtaTestServer::DOMAIN;
$host = MtaTestServer::HOSTNAME;
$dkim = 'v=DKIM1; k=rsa; p=' . dns_rsa_key(2048);
$zone = [
    "--mx-host=$domain,$host,10",
    "--host-record=$host,127.0.0.1",
    "--ptr-record=1.0.0.127.in-addr.arpa,$host",
    "--txt-record=mail2026._domainkey.$domain,$dkim",
    "--txt-record=_smtp._tls.$domain,v=TLSRPTv1; rua=mailto:tls-reports@$domain",
];
$good = [
    "--txt-record=$domain,v=spf1 ip4:127.0.0.1 -all",
    "--txt-record=_dmarc.$domain,v=DMARC1; p=reject; rua=mailto:dmarc@$domain",
];
$weak = [
    "--txt-record=_dmarc.$domain,v=DMARC1; p=none; rua=mailto:dmarc@$domain",
];

$mta = MtaTestServer::start();
$alice = $mta->address('alice');

function run(MtaTestServer $mta, Dnsmasq $dns, string $alice): array
{
    return smtpdiag_check($mta->dsn('submission', 'alice'), [
        'from' => $alice, 'cafile' => $mta->cafile, 'timeout' => 10,
        'dns' => ['mx', 'spf', 'dkim', 'dmarc', 'ptr', 'tls_rpt', 'mta_sts', 'bimi'],
        'dkim_selectors' => ['mail2026'], 'dns_servers' => $dns->servers(),
    ]);
}

function step(array $report, string $id): array
{
    foreach ($report['steps'] as $s) {
        if ($s['id'] === $id) {
            return $s;
        }
    }
    return ['status' => '(missing)', 'message' => '', 'data' => []];
}

echo "=== the full zone\n";
$dns = Dnsmasq::start([$domain, '0.0.127.in-addr.arpa'], array_merge($zone, $good));
$r = run($mta, $dns, $alice);
foreach ($r['steps'] as $s) {
    echo rtrim(sprintf("  %-16s %-4s %s", $s['id'], $s['status'], str_starts_with($s['id'], 'dns.') && $s['id'] !== 'dns.host' ? $s['message'] : '')), "\n";
}
echo '  ok: ', var_export($r['ok'], true), ', status: ', $r['status'], ', error: ', var_export($r['error'], true), "\n";
$spf = step($r, 'dns.spf')['data'];
mta_t('dns.spf evaluated for the server address 127.0.0.1: pass', ($spf['ip'] ?? null) === '127.0.0.1' && ($spf['result'] ?? null) === 'pass', json_encode($spf));
$ptr = step($r, 'dns.ptr')['data']['addresses'] ?? [];
mta_t('dns.ptr: the session\'s address 127.0.0.1 has the forward-confirmed name ' . $host,
    count($ptr) === 1 && $ptr[0]['address'] === '127.0.0.1' && $ptr[0]['fcrdns'] === $host, json_encode($ptr));
$banner = (string)(step($r, 'smtp.banner')['data']['text'] ?? '');
mta_t('dns.ptr: the name in Postfix\'s banner is that name', strtok($banner, ' ') === ($ptr[0]['fcrdns'] ?? null), $banner);
$sel = step($r, 'dns.dkim')['data']['selectors'][0] ?? [];
mta_t('dns.dkim: the whole 410-byte record of mail2026 (over 255 bytes)', ($sel['record'] ?? null) === $dkim && ($sel['bits'] ?? null) === 2048, json_encode($sel));
$mx = step($r, 'dns.mx')['data']['records'][0] ?? [];
mta_t("dns.mx: $host at 127.0.0.1", ($mx['host'] ?? null) === $host && ($mx['addresses'] ?? null) === ['127.0.0.1'], json_encode($mx));
mta_t('the session itself ran: smtp.auth ok as alice', step($r, 'smtp.auth')['status'] === 'ok');
mta_t('dnsmasq was asked the TXT of _dmarc and the PTR of 127.0.0.1',
    str_contains($dns->log(), "query[TXT] _dmarc.$domain from 127.0.0.1") && str_contains($dns->log(), 'query[PTR] 1.0.0.127.in-addr.arpa from 127.0.0.1'), $dns->log());
$dns->stop();

echo "=== no SPF, DMARC p=none\n";
$dns = Dnsmasq::start([$domain, '0.0.127.in-addr.arpa'], array_merge($zone, $weak));
$r = run($mta, $dns, $alice);
foreach ($r['steps'] as $s) {
    if (str_starts_with($s['id'], 'dns.') && $s['id'] !== 'dns.host') {
        printf("  %-16s %-4s %s\n", $s['id'], $s['status'], $s['message']);
    }
}
echo '  ok: ', var_export($r['ok'], true), ', status: ', $r['status'], ', error: ', $r['error']['category'], ' ', $r['error']['phase'], "\n";
mta_t('the SMTP steps are still ok', step($r, 'smtp.auth')['status'] === 'ok' && step($r, 'tls')['status'] === 'ok');
$dns->stop();
$mta->stop();
echo "done\n";
?>
--EXPECT--
=== the full zone
  config           ok
  dns.host         ok
  ports            ok
  tcp.connect      ok
  smtp.banner      ok
  smtp.ehlo        ok
  tls              ok
  tls.certificate  ok
  smtp.auth        ok
  smtp.mail_from   ok
  smtp.rcpt_to     skip
  smtp.data        skip
  dns.mx           ok   1 MX host, lowest preference mx.test.example
  dns.spf          ok   SPF pass: 127.0.0.1 may send for test.example (matched "ip4:127.0.0.1" in the record of test.example)
  dns.dkim         ok   DKIM key at test.example: mail2026 (rsa 2048 bits)
  dns.dmarc        ok   DMARC policy p=reject at _dmarc.test.example
  dns.ptr          ok   1 of 1 address with forward-confirmed reverse DNS
  dns.mta_sts      skip no MTA-STS record (optional)
  dns.tls_rpt      ok   TLS-RPT reports for test.example go to mailto:tls-reports@test.example
  dns.bimi         skip no BIMI record at default._bimi.test.example (optional)
  ok: true, status: ok, error: NULL
ok: dns.spf evaluated for the server address 127.0.0.1: pass
ok: dns.ptr: the session's address 127.0.0.1 has the forward-confirmed name mx.test.example
ok: dns.ptr: the name in Postfix's banner is that name
ok: dns.dkim: the whole 410-byte record of mail2026 (over 255 bytes)
ok: dns.mx: mx.test.example at 127.0.0.1
ok: the session itself ran: smtp.auth ok as alice
ok: dnsmasq was asked the TXT of _dmarc and the PTR of 127.0.0.1
=== no SPF, DMARC p=none
  dns.mx           ok   1 MX host, lowest preference mx.test.example
  dns.spf          fail No SPF record: test.example has no SPF record (no TXT record starting with "v=spf1")
  dns.dkim         ok   DKIM key at test.example: mail2026 (rsa 2048 bits)
  dns.dmarc        warn _dmarc.test.example: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
  dns.ptr          ok   1 of 1 address with forward-confirmed reverse DNS
  dns.mta_sts      skip no MTA-STS record (optional)
  dns.tls_rpt      ok   TLS-RPT reports for test.example go to mailto:tls-reports@test.example
  dns.bimi         skip no BIMI record at default._bimi.test.example (optional)
  ok: false, status: fail, error: spam_or_policy dns
ok: the SMTP steps are still ok
done
