--TEST--
smtpdiag_check(): dns.dane matches the TLSA records of _PORT._tcp.<host> against the certificate the STARTTLS session saw: a match with and without DNSSEC (AD), a wrong hash, no TLSA record, an IP address as host
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';
require_once __DIR__ . '/../inc/server.inc';

function starttls_server(): SmtpTestServer
{
    return SmtpTestServer::start([
        ['send', "220 mail.example.test ESMTP\r\n"],
        ['expect', 'EHLO '],
        ['send', "250-mail.example.test\r\n250 STARTTLS\r\n"],
        ['expect', 'STARTTLS'],
        ['send', "220 2.0.0 go ahead\r\n"],
        ['starttls'],
        ['expect', 'EHLO '],
        ['send', "250 mail.example.test\r\n"],
        ['expect', 'MAIL FROM:<app@example.test>'],
        ['send', "250 2.1.0 ok\r\n"],
        ['expect', 'RSET'],
        ['send', "250 2.0.0 ok\r\n"],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ], ['cert' => 'valid']);
}

// SHA-256 of the DER SubjectPublicKeyInfo of the server's certificate (TLSA 3 1 1), by the openssl tool
$pem = escapeshellarg(SmtpTestServer::certs()['valid']);
$spki = shell_exec("openssl x509 -in $pem -pubkey -noout 2>/dev/null | openssl pkey -pubin -outform DER 2>/dev/null");
$spki256 = hash('sha256', (string)$spki);
$dgst = shell_exec("openssl x509 -in $pem -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r");
var_dump(strlen((string)$spki) > 40, str_starts_with((string)$dgst, $spki256));
$certDer = base64_decode(preg_replace('/-----[^-]+-----|\s+/', '', explode('-----END CERTIFICATE-----', file_get_contents(SmtpTestServer::certs()['valid']))[0]));
$cert256 = hash('sha256', $certDer);

function run_dane(string $title, ?array $tlsa, bool $ad, string $host = 'mail.example.test'): array
{
    global $spki256, $cert256;
    $srv = starttls_server();
    $zone = ['mail.example.test' => ['A' => ['127.0.0.1'], 'AD' => $ad]];
    if ($tlsa !== null) {
        $zone["_{$srv->port}._tcp.mail.example.test"] = ['TLSA' => $tlsa, 'AD' => $ad];
    }
    $dns = DnsTestServer::start($zone);
    $r = smtpdiag_check("smtp://$host:{$srv->port}", ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'peer_name' => 'localhost',
        'from' => 'app@example.test', 'dns' => ['dane'], 'ports' => false, 'dns_servers' => $dns->servers(), 'timeout' => 5]);
    echo "== $title: {$r['status']}, server exit {$srv->exitCode()}\n";
    $s = dns_step($r, 'dns.dane');
    // the certificates are made afresh for each run: their hashes are named
    $names = [(string)$srv->port => 'PORT', $spki256 => 'SPKI256', $cert256 => 'CERT256',
        substr($spki256, 0, 16) => 'SPKI256-16', substr($cert256, 0, 16) => 'CERT256-16'];
    echo strtr("{$s['id']} {$s['status']}: {$s['message']}\n" . ($s['hint'] !== null ? "  hint: {$s['hint']}\n" : ''), $names);
    $q = array_values(array_filter($dns->queryLog(), static fn (array $e): bool => $e['type'] === 'TLSA'));
    echo '  TLSA asked: ', count($q), "\n";
    return $s['data'];
}

$d = run_dane('3 1 1 match, DNSSEC-validated', [[3, 1, 1, $spki256]], true);
var_dump($d['ad'], $d['leaf_spki_sha256'] === $spki256, $d['leaf_cert_sha256'] === $cert256, $d['records'][0]['matched'], $d['records'][0]['usable'], $d['records'][0]['why']);
echo implode(' ', array_keys($d)), "\n", implode(' ', array_keys($d['records'][0])), "\n";
$d = run_dane('3 0 1 match (the whole certificate), no AD', [[3, 0, 1, $cert256]], false);
var_dump($d['ad'], $d['records'][0]['matched']);
$d = run_dane('wrong hash', [[3, 1, 1, str_repeat('ab', 32)]], true);
var_dump($d['records'][0]['matched'], $d['records'][0]['data']);
$d = run_dane('PKIX-TA usage only', [[0, 1, 1, $spki256]], true);
echo strtr(json_encode($d['records'][0]), [$spki256 => 'SPKI256']), "\n";
$d = run_dane('no TLSA record', null, true);
echo preg_replace('/_\d+\._tcp/', '_PORT._tcp', json_encode($d)), "\n";
$d = run_dane('an IP address as host', [[3, 1, 1, $spki256]], true, '127.0.0.1');
echo json_encode($d), "\n";
?>
--EXPECT--
bool(true)
bool(true)
== 3 1 1 match, DNSSEC-validated: ok, server exit 0
dns.dane ok: TLSA record 3 1 1 SPKI256-16... at _PORT._tcp.mail.example.test matches the server's certificate (DNSSEC-validated)
  TLSA asked: 1
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(43) "matches the server's certificate at depth 0"
name ad records leaf_spki_sha256 leaf_cert_sha256 matched_record
usage selector mtype data usable matched why
== 3 0 1 match (the whole certificate), no AD: warn, server exit 0
dns.dane warn: TLSA record 3 0 1 CERT256-16... matches the server's certificate, but TLSA records are not DNSSEC-validated by the resolver (AD bit not set): DANE senders will ignore them if the zone is unsigned
  hint: Sign the zone with DNSSEC (and publish its DS record at the parent), and check that the resolver validates: DANE applies only to DNSSEC-validated TLSA records.
  TLSA asked: 1
bool(false)
bool(true)
== wrong hash: fail, server exit 0
dns.dane fail: none of the 1 TLSA records at _PORT._tcp.mail.example.test matches: the server presented a certificate with public key (SPKI) SHA-256 SPKI256, certificate SHA-256 CERT256; senders using DANE will not deliver
  hint: Publish "_PORT._tcp.mail.example.test. IN TLSA 3 1 1 SPKI256" (the public key mail.example.test presents now) and remove the records that match nothing; when rotating keys, publish the new record a TTL before switching.
  TLSA asked: 1
bool(false)
string(64) "abababababababababababababababababababababababababababababababab"
== PKIX-TA usage only: fail, server exit 0
dns.dane fail: none of the 1 TLSA records at _PORT._tcp.mail.example.test matches: the server presented a certificate with public key (SPKI) SHA-256 SPKI256, certificate SHA-256 CERT256; senders using DANE will not deliver
  hint: Publish "_PORT._tcp.mail.example.test. IN TLSA 3 1 1 SPKI256" (the public key mail.example.test presents now) and remove the records that match nothing; when rotating keys, publish the new record a TTL before switching.
  TLSA asked: 1
{"usage":0,"selector":1,"mtype":1,"data":"SPKI256","usable":true,"matched":false,"why":"matches the server's own certificate, but PKIX-TA must match a CA certificate above it: publish it with usage 3 (DANE-EE)","note":"SMTP senders ignore usages 0 and 1 (RFC 7672 3.1.3)"}
== no TLSA record: ok, server exit 0
dns.dane skip: no TLSA records: DANE is not used
  TLSA asked: 1
{"name":"_PORT._tcp.mail.example.test","ad":true}
== an IP address as host: ok, server exit 0
dns.dane skip: the SMTP host is an IP address: DANE TLSA records belong to host names
  TLSA asked: 0
[]
