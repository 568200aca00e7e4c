<?php
/*
 * smtpdiag demo: run the connection check and print the report as text.
 *
 *   php -d extension=modules/smtpdiag.so scripts/demo.php [DSN] [--json] [--transcript]
 *
 * Without a DSN it starts a local SMTP test server (STARTTLS, a certificate
 * from a test CA generated on the spot, AUTH) and checks that, so the whole
 * path (banner, EHLO, STARTTLS, certificate, AUTH, envelope) can be seen
 * without any setup. Nothing is sent.
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
$server = null;
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
    $dsn = 'smtp://demo:demo-password@localhost:' . $server->port;
    $options = ['encryption' => 'starttls', 'cafile' => $server->cafile, 'timeout' => 10,
        'from' => 'app@example.test', 'to' => 'you@example.test'];
    fwrite(STDERR, "no DSN given: checking a local test server on port {$server->port} (STARTTLS, test CA, AUTH)\n\n");
}

$report = smtpdiag_check($dsn, $options);
if ($json) {
    echo json_encode($report, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
} else {
    $color = function_exists('posix_isatty') && posix_isatty(STDOUT);
    echo smtpdiag_format($report, ['color' => $color, 'transcript' => $transcript]);
}
$server?->stop();
exit($report['ok'] ? 0 : 1);
