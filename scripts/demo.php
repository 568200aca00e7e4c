<?php
/*
 * smtpdiag demo: run the connection check and print the report as text.
 *
 *   php -d extension=modules/smtpdiag.so scripts/demo.php [DSN] [--json] [--transcript]
 *
 * Without a DSN it starts a local SMTP test server (STARTTLS, a certificate
 * from a test CA generated on the spot, AUTH) and a local DNS server
 * (tests/inc/dns.inc) holding the zone of the sender domain example.test
 * (MX, SPF, a DKIM key generated on the spot, DMARC, TLS-RPT, and the PTR of
 * 127.0.0.1), and checks that, so the whole path (banner, EHLO, STARTTLS,
 * certificate, AUTH, envelope, and the sender domain's DNS records) can be
 * seen without any setup and offline. Nothing is sent.
 *
 * The exit status is 0 when the report is ok, 1 when a step failed, 2 when
 * the demo itself could not run.
 */
declare(strict_types=1);

if (!extension_loaded('smtpdiag')) {
    fwrite(STDERR, "the smtpdiag extension is not loaded: run with -d extension=modules/smtpdiag.so\n");
    exit(2);
}

$args = array_slice($argv, 1);
$json = in_array('--json', $args, true);
$transcript = in_array('--transcript', $args, true);
$dsn = null;
foreach ($args as $a) {
    if ($a !== '' && $a[0] !== '-') {
        $dsn = $a;
    }
}

$options = [];
$server = $dns = null;
if ($dsn === null) {
    require __DIR__ . '/../tests/inc/server.inc';
    $server = SmtpTestServer::start([
        ['send', "220 mail.example.test ESMTP smtpdiag demo server\r\n"],
        ['expect', 'EHLO '],
        ['send', "250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"],
        ['expect', 'STARTTLS'],
        ['send', "220 2.0.0 Ready to start TLS\r\n"],
        ['starttls'],
        ['expect', 'EHLO '],
        ['send', "250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"],
        ['expect', 'AUTH PLAIN ' . base64_encode("\0demo\0demo-password")],
        ['send', "235 2.7.0 Authentication successful\r\n"],
        ['expect', 'MAIL FROM:<app@example.test>'],
        ['expect', 'RCPT TO:<you@example.test>'],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"],
        ['expect', 'RSET'],
        ['send', "250 2.0.0 Ok\r\n"],
        ['expect', 'QUIT'],
        ['send', "221 2.0.0 Bye\r\n"],
    ], ['cert' => 'valid']);
    require __DIR__ . '/../tests/inc/dns.inc';
    $dns = DnsTestServer::start(demo_zone(), 0.0, 60.0);
    $dsn = 'smtp://demo:demo-password@localhost:' . $server->port;
    $options = ['encryption' => 'starttls', 'cafile' => $server->cafile, 'timeout' => 10,
        'from' => 'app@example.test', 'to' => 'you@example.test',
        'dns_servers' => $dns->servers(), 'dkim_selectors' => ['demo2026']];
    fwrite(STDERR, "no DSN given: checking a local test server on port {$server->port} (STARTTLS, test CA, AUTH)\n"
        . "with a local DNS server on port {$dns->port} for example.test (MX, SPF, DKIM, DMARC, TLS-RPT, PTR)\n\n");
}

$report = smtpdiag_check($dsn, $options);
if ($json) {
    echo json_encode($report, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
} else {
    $color = function_exists('posix_isatty') && posix_isatty(STDOUT);
    echo smtpdiag_format($report, ['color' => $color, 'transcript' => $transcript]);
}
$server?->stop();
$dns?->stop();
exit($report['ok'] ? 0 : 1);

/** The DNS zone of the demo's sender domain, example.test, served to the check. */
function demo_zone(): array
{
    return [
        'example.test' => ['MX' => [[10, 'mail.example.test']], 'TXT' => ['v=spf1 ip4:127.0.0.1 -all']],
        'mail.example.test' => ['A' => ['127.0.0.1']],
        '1.0.0.127.in-addr.arpa' => ['PTR' => ['mail.example.test']],
        'demo2026._domainkey.example.test' => ['TXT' => ['v=DKIM1; k=rsa; p=' . demo_rsa_key()]],
        '_dmarc.example.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.test']],
        '_smtp._tls.example.test' => ['TXT' => ['v=TLSRPTv1; rua=mailto:tls-reports@example.test']],
    ];
}

/** A fresh 2048-bit RSA public key (base64 SubjectPublicKeyInfo) for the DKIM record. */
function demo_rsa_key(): string
{
    $pem = null;
    if (function_exists('openssl_pkey_new')) {
        $key = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_RSA, 'private_key_bits' => 2048]);
        $pem = $key ? (openssl_pkey_get_details($key)['key'] ?? null) : null;
    }
    $pem ??= shell_exec('openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl pkey -pubout 2>/dev/null');
    if (!is_string($pem) || !preg_match('/-----BEGIN PUBLIC KEY-----(.*)-----END PUBLIC KEY-----/s', $pem, $m)) {
        fwrite(STDERR, "cannot make an RSA key for the demo's DKIM record (needs the openssl extension or the openssl command)\n");
        exit(2);
    }
    return preg_replace('/\s+/', '', $m[1]);
}
