<?php

declare(strict_types=1);

/*
 * Self-test of the phpt SMTP test harness (tests/inc): certs.inc,
 * smtp_server.php and server.inc, using PHP's own stream_socket_client as
 * the client. Run: php tests/harness/selftest.php [filter]
 * Prints "N passed, N failed" and exits 1 if anything failed.
 */

require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/selftest.inc';



/**
 * Call $fn collecting PHP warnings instead of printing them.
 * @return array{0:mixed,1:string} result, warnings joined
 */
function quietly(callable $fn): array
{
    $messages = [];
    set_error_handler(static function (int $no, string $msg) use (&$messages): bool {
        $messages[] = $msg;
        return true;
    });
    try {
        $result = $fn();
    } finally {
        restore_error_handler();
    }
    return [$result, implode("\n", $messages)];
}

/** @return resource a connected client (tcp://, or tls:// for implicit TLS) */
function client(SmtpTestServer $srv, string $transport = 'tcp', array $ssl = [])
{
    $ctx = stream_context_create(['ssl' => $ssl]);
    $c = stream_socket_client($srv->dsn($transport), $errno, $errstr, 2, STREAM_CLIENT_CONNECT, $ctx);
    if ($c === false) {
        throw new RuntimeException("connect failed: $errstr");
    }
    stream_set_timeout($c, 5);
    return $c;
}

/** @param resource $c */
function line($c): string
{
    return (string)fgets($c, 70000);
}

/** Client side of STARTTLS; returns [ok, warnings]. @param resource $c */
function clientTls($c, ?string $cafile, string $peerName = 'localhost'): array
{
    stream_context_set_option($c, ['ssl' => [
        'cafile' => $cafile,
        'peer_name' => $peerName,
        'verify_peer' => true,
        'verify_peer_name' => true,
    ]]);
    return quietly(fn () => stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_CLIENT));
}

function verifySsl(): array
{
    return ['cafile' => SmtpTestServer::caFile(), 'peer_name' => 'localhost', 'verify_peer' => true, 'verify_peer_name' => true];
}


// ---- certificates -------------------------------------------------------------

test('certs: generated, verified, cached', function (): void {
    $dir = sys_get_temp_dir() . '/smtpdiag-selftest-certs-' . getmypid();
    try {
        $paths = SmtpTestCerts::make($dir);
        same('names', ['ca', 'valid', 'expired', 'self_signed', 'wrong_name', 'mta_sts'], array_keys($paths));
        $ca = file_get_contents($paths['ca']);
        $info = fn (string $n) => openssl_x509_parse(file_get_contents($paths[$n]));
        same('CA CN', 'smtpdiag test CA', $info('ca')['subject']['CN']);
        check('CA is a CA', str_contains($info('ca')['extensions']['basicConstraints'], 'CA:TRUE'));
        $san = 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1';
        foreach (['valid', 'expired', 'self_signed'] as $n) {
            same("$n CN", 'localhost', $info($n)['subject']['CN']);
            same("$n SAN", $san, $info($n)['extensions']['subjectAltName']);
        }
        same('wrong_name CN', 'wrong.example', $info('wrong_name')['subject']['CN']);
        same('wrong_name SAN', 'DNS:wrong.example', $info('wrong_name')['extensions']['subjectAltName']);
        same('mta_sts CN', 'mta-sts.example.test', $info('mta_sts')['subject']['CN']);
        same('mta_sts SAN', 'DNS:mta-sts.example.test', $info('mta_sts')['extensions']['subjectAltName']);
        check('expired validTo in the past', $info('expired')['validTo_time_t'] < time());
        check('expired validFrom < validTo', $info('expired')['validFrom_time_t'] < $info('expired')['validTo_time_t']);
        $purpose = fn (string $n) => openssl_x509_checkpurpose(file_get_contents($paths[$n]), X509_PURPOSE_SSL_SERVER, [$paths['ca']]);
        same('valid verifies', true, $purpose('valid'));
        same('wrong_name chain verifies', true, $purpose('wrong_name'));
        same('mta_sts verifies', true, $purpose('mta_sts'));
        same('expired does not verify', false, $purpose('expired'));
        same('self_signed does not verify', false, $purpose('self_signed'));
        foreach (['valid', 'expired', 'self_signed', 'wrong_name', 'mta_sts'] as $n) {
            $pem = file_get_contents($paths[$n]);
            check("$n holds its key", openssl_x509_check_private_key($pem, $pem));
        }
        $before = array_map('file_get_contents', $paths);
        same('cache reused', $before, array_map('file_get_contents', SmtpTestCerts::make($dir)));
        same('ca unchanged', $ca, file_get_contents($paths['ca']));
    } finally {
        array_map('unlink', glob("$dir/*") ?: []);
        @unlink("$dir/.certs.lock");
        @rmdir($dir);
    }
});

// ---- plaintext dialogue -----------------------------------------------------------

test('plain: full dialogue, record, case-insensitive expect', function (): void {
    $srv = SmtpTestServer::start([
        ['send', "220 test ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', "250-test\r\n250 PIPELINING\r\n"],
        ['expect', 'MAIL FROM:'],
        ['expect', 'RCPT TO:'],
        ['expect', 'DATA'],
        ['send', "250 ok\r\n250 ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', "250 queued\r\n"],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
        ['close'],
    ]);
    same('host', '127.0.0.1', $srv->host);
    check('port', $srv->port > 0);
    same('cafile without cert', null, $srv->cafile);
    same('dsn', "smtp://127.0.0.1:{$srv->port}", $srv->dsn());
    same('dsn userinfo', "smtps://u%40x:p@127.0.0.1:{$srv->port}", $srv->dsn('smtps', 'u%40x:p'));
    $c = client($srv);
    same('banner', "220 test ESMTP\r\n", line($c));
    fwrite($c, "ehlo client\r\n");
    same('ehlo 1', "250-test\r\n", line($c));
    same('ehlo 2', "250 PIPELINING\r\n", line($c));
    // Pipelined in one write: the server splits the lines itself.
    fwrite($c, "MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n");
    same('mail', "250 ok\r\n", line($c));
    same('rcpt', "250 ok\r\n", line($c));
    same('data', "354 go\r\n", line($c));
    $body = "Subject: t\r\n\r\n..dot\r\n.x\r\n.\r\n";
    fwrite($c, $body);
    same('queued', "250 queued\r\n", line($c));
    fwrite($c, "QUIT\r\n");
    same('quit', "221 bye\r\n", line($c));
    same('server closed', '', (string)fread($c, 10));
    check('eof', feof($c));
    fclose($c);
    same('record', "ehlo client\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n{$body}QUIT\r\n", $srv->received());
    same('exit', 0, $srv->exitCode());
    same('stderr', '', $srv->stderr());
});

test('plain: expect mismatch replies 500 and exits 3', function (): void {
    $srv = SmtpTestServer::start([['send', "220 hi\r\n"], ['expect', 'EHLO'], ['send', "250 no\r\n"]]);
    $c = client($srv);
    line($c);
    fwrite($c, "HELO old\r\n");
    same('500 line', "500 5.5.2 smtp_server expected EHLO got HELO old\r\n", line($c));
    fclose($c);
    same('exit', 3, $srv->exitCode());
    check('stderr', str_contains($srv->stderr(), 'expected "EHLO" got "HELO old"'), $srv->stderr());
    same('record', "HELO old\r\n", $srv->received());
});

test('plain: EOF during expect exits 3', function (): void {
    $srv = SmtpTestServer::start([['send', "220 hi\r\n"], ['expect', 'EHLO']]);
    $c = client($srv);
    line($c);
    fclose($c);
    same('exit', 3, $srv->exitCode());
    check('stderr', str_contains($srv->stderr(), 'got "<EOF>"'), $srv->stderr());
    same('record', "--- CLOSED ---\n", $srv->received());
});

test('plain: server read timeout exits 3 (option timeout)', function (): void {
    $srv = SmtpTestServer::start([['send', "220 hi\r\n"], ['expect', 'EHLO']], ['timeout' => 0.3]);
    $c = client($srv);
    line($c);
    same('500 on timeout', "500 5.5.2 smtp_server expected EHLO got <timeout>\r\n", line($c));
    fclose($c);
    same('exit', 3, $srv->exitCode());
});

test('plain: no client connecting exits 3 (option timeout)', function (): void {
    $srv = SmtpTestServer::start([['send', "220 hi\r\n"]], ['timeout' => 0.2]);
    same('exit', 3, $srv->exitCode());
    check('stderr', str_contains($srv->stderr(), 'no client connected'), $srv->stderr());
});

test('plain: 8-bit bytes are sent and recorded exactly', function (): void {
    $bytes = "220 \xff\xfe\x00\x80 hi\r\n";
    $srv = SmtpTestServer::start([['send', $bytes], ['expect', "X \xe9"], ['send', "250 \xc3\r\n"]]);
    $c = client($srv);
    same('binary banner', $bytes, line($c));
    fwrite($c, "x \xe9\xff\r\n");
    same('binary reply', "250 \xc3\r\n", line($c));
    fclose($c);
    same('exit', 0, $srv->exitCode());
    same('record', "x \xe9\xff\r\n--- CLOSED ---\n", $srv->received());
});

test('plain: read_any and wait_close', function (): void {
    $srv = SmtpTestServer::start([
        ['send', "220 hi\r\n"],
        ['read_any'],
        ['send', "250 got it\r\n"],
        ['wait_close'],
    ]);
    $c = client($srv);
    line($c);
    fwrite($c, 'partial');   // no LF: only read_any can consume this
    same('after read_any', "250 got it\r\n", line($c));
    fwrite($c, "tail\r\n");
    fclose($c);
    $t = microtime(true);
    same('record', "partialtail\r\n--- CLOSED ---\n", $srv->received());
    check('exits at once after EOF', microtime(true) - $t < 2);
    same('exit', 0, $srv->exitCode());
});

test('plain: sleep and slow', function (): void {
    $srv = SmtpTestServer::start([['sleep', 150], ['slow', "220 slow\r\n", 15], ['expect', 'QUIT']]);
    $t = microtime(true);
    $c = client($srv);
    $reads = 0;
    $got = '';
    while (!str_contains($got, "\n") && !feof($c)) {
        $got .= (string)fread($c, 100);
        $reads++;
    }
    $elapsed = microtime(true) - $t;
    same('slow bytes', "220 slow\r\n", $got);
    check('delay honoured', $elapsed >= 0.15 + 9 * 0.015 - 0.01, $elapsed);
    check('arrived in pieces', $reads >= 2, $reads);
    fwrite($c, "QUIT\r\n");
    fclose($c);
    same('exit', 0, $srv->exitCode());
});

test('plain: close gives EOF, reset gives ECONNRESET', function (): void {
    $srv = SmtpTestServer::start([['send', "220 hi\r\n"], ['expect', 'QUIT'], ['reset']]);
    $c = client($srv);
    line($c);
    fwrite($c, "QUIT\r\n");
    // fread() returns false for a read error (ECONNRESET), '' for a clean EOF.
    [$data] = quietly(fn () => fread($c, 100));
    same('read error (RST)', false, $data);
    fclose($c);
    same('exit', 0, $srv->exitCode());
    same('stderr', '', $srv->stderr());

    $srv = SmtpTestServer::start([['send', "220 hi\r\n"], ['close']]);
    $c = client($srv);
    line($c);
    [$data, $warn] = quietly(fn () => fread($c, 100));
    same('clean EOF', '', $data);
    same('no warning', '', $warn);
    check('feof', feof($c));
    fclose($c);
    same('exit', 0, $srv->exitCode());
});

// ---- multiple connections --------------------------------------------------------

test('connections: same steps twice, markers', function (): void {
    $srv = SmtpTestServer::start(
        [['send', "220 hi\r\n"], ['expect', 'QUIT'], ['send', "221 bye\r\n"]],
        ['connections' => 2]
    );
    for ($i = 1; $i <= 2; $i++) {
        $c = client($srv);
        same("banner $i", "220 hi\r\n", line($c));
        fwrite($c, "QUIT $i\r\n");
        same("bye $i", "221 bye\r\n", line($c));
        fclose($c);
    }
    same('record', "QUIT 1\r\n--- CLOSED ---\n--- CONNECTION 2 ---\nQUIT 2\r\n--- CLOSED ---\n", $srv->received());
    same('exit', 0, $srv->exitCode());
});

test('connections: steps_per_connection', function (): void {
    $srv = SmtpTestServer::start([], ['steps_per_connection' => [
        [['send', "421 busy\r\n"], ['close']],
        [['send', "220 ok\r\n"], ['expect', 'QUIT'], ['send', "221 bye\r\n"]],
    ]]);
    $c = client($srv);
    same('first', "421 busy\r\n", line($c));
    same('first closed', '', (string)fread($c, 10));
    fclose($c);
    $c = client($srv);
    same('second', "220 ok\r\n", line($c));
    fwrite($c, "QUIT\r\n");
    same('bye', "221 bye\r\n", line($c));
    fclose($c);
    same('record', "--- CONNECTION 2 ---\nQUIT\r\n--- CLOSED ---\n", $srv->received());
    same('exit', 0, $srv->exitCode());
});

// ---- TLS ---------------------------------------------------------------------------

/** Steps of a STARTTLS dialogue up to the handshake. */
function starttlsSteps(array $after): array
{
    return [
        ['send', "220 hi\r\n"],
        ['expect', 'EHLO'],
        ['send', "250-hi\r\n250 STARTTLS\r\n"],
        ['expect', 'STARTTLS'],
        ['send', "220 go ahead\r\n"],
        ['starttls'],
        ...$after,
    ];
}

/** @param resource $c */
function clientToStarttls($c): void
{
    line($c);
    fwrite($c, "EHLO c\r\n");
    line($c);
    line($c);
    fwrite($c, "STARTTLS\r\n");
    same('220 go ahead', "220 go ahead\r\n", line($c));
}

test('starttls: valid cert verifies, record inside TLS', function (): void {
    $srv = SmtpTestServer::start(starttlsSteps([
        ['expect', 'EHLO'],
        ['send', "250 AUTH PLAIN\r\n"],
        ['expect', 'AUTH PLAIN'],
        ['send', "235 ok\r\n"],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ]), ['cert' => 'valid']);
    same('cafile', SmtpTestServer::caFile(), $srv->cafile);
    $c = client($srv);
    clientToStarttls($c);
    [$ok, $warn] = clientTls($c, $srv->cafile);
    same('handshake', true, $ok);
    same('no warning', '', $warn);
    fwrite($c, "EHLO again\r\n");
    same('ehlo in tls', "250 AUTH PLAIN\r\n", line($c));
    fwrite($c, "AUTH PLAIN AGFAYg==\r\n");
    same('auth', "235 ok\r\n", line($c));
    fwrite($c, "QUIT\r\n");
    same('bye', "221 bye\r\n", line($c));
    fclose($c);
    same('record', "EHLO c\r\nSTARTTLS\r\n--- TLS ---\nEHLO again\r\nAUTH PLAIN AGFAYg==\r\nQUIT\r\n--- CLOSED ---\n", $srv->received());
    same('exit', 0, $srv->exitCode());
    same('stderr', '', $srv->stderr());
});

foreach (['expired', 'self_signed'] as $cert) {
    test("starttls: $cert cert fails verification", function () use ($cert): void {
        $srv = SmtpTestServer::start(starttlsSteps([['expect', 'QUIT']]), ['cert' => $cert]);
        $c = client($srv);
        clientToStarttls($c);
        [$ok, $warn] = clientTls($c, $srv->cafile);
        same('handshake fails', false, $ok);
        check('client reason', str_contains($warn, 'certificate verify failed'), $warn);
        fclose($c);
        same('record', "EHLO c\r\nSTARTTLS\r\n--- TLS FAILED ---\n", $srv->received());
        same('exit', 0, $srv->exitCode());
        check('stderr', str_contains($srv->stderr(), 'TLS handshake failed'), $srv->stderr());
    });
}

test('starttls: wrong_name cert fails name verification', function (): void {
    // PHP checks the peer name after the handshake, so the server sees a
    // completed handshake and then the client closing (an OpenSSL client
    // with X509_VERIFY_PARAM_set1_host would abort the handshake instead).
    $srv = SmtpTestServer::start(starttlsSteps([['wait_close']]), ['cert' => 'wrong_name']);
    $c = client($srv);
    clientToStarttls($c);
    [$ok, $warn] = clientTls($c, $srv->cafile);
    same('handshake fails', false, $ok);
    check('client reason', str_contains($warn, 'did not match expected'), $warn);
    fclose($c);
    check('record', in_array($srv->received(), [
        "EHLO c\r\nSTARTTLS\r\n--- TLS ---\n--- CLOSED ---\n",
        "EHLO c\r\nSTARTTLS\r\n--- TLS FAILED ---\n",
    ], true), $srv->received());
    same('exit', 0, $srv->exitCode());
});

test('starttls: pipelined plaintext is recorded, then discarded', function (): void {
    $srv = SmtpTestServer::start(
        [['send', "220 hi\r\n"], ['expect', 'STARTTLS'], ['send', "220 go\r\n"], ['starttls'], ['expect', 'EHLO'], ['send', "250 ok\r\n"]],
        ['cert' => 'valid']
    );
    $c = client($srv);
    line($c);
    fwrite($c, "STARTTLS\r\nEHLO injected\r\n");
    line($c);
    [$ok] = clientTls($c, $srv->cafile);
    same('handshake', true, $ok);
    fwrite($c, "EHLO real\r\n");
    same('reply', "250 ok\r\n", line($c));
    fclose($c);
    same('record', "STARTTLS\r\nEHLO injected\r\n--- TLS ---\nEHLO real\r\n--- CLOSED ---\n", $srv->received());
    same('exit', 0, $srv->exitCode());
    check('stderr', str_contains($srv->stderr(), 'discarding 15 bytes'), $srv->stderr());
});

test('implicit tls: valid, then a rejected second connection', function (): void {
    $srv = SmtpTestServer::start(
        [['send', "220 tls\r\n"], ['expect', 'QUIT'], ['send', "221 bye\r\n"]],
        ['tls' => 'implicit', 'cert' => 'valid', 'connections' => 2]
    );
    $c = client($srv, 'tls', verifySsl());
    same('banner over tls', "220 tls\r\n", line($c));
    fwrite($c, "QUIT\r\n");
    same('bye', "221 bye\r\n", line($c));
    fclose($c);
    // Second connection: the client does not trust the CA (system store only).
    [$c, $warn] = quietly(fn () => stream_socket_client($srv->dsn('tls'), $errno, $errstr, 2, STREAM_CLIENT_CONNECT,
        stream_context_create(['ssl' => ['peer_name' => 'localhost', 'cafile' => SmtpTestServer::certs()['self_signed']]])));
    same('untrusted connect fails', false, $c);
    check('reason', str_contains($warn, 'certificate verify failed'), $warn);
    same('record', "--- TLS ---\nQUIT\r\n--- CLOSED ---\n--- CONNECTION 2 ---\n--- TLS FAILED ---\n", $srv->received());
    same('exit', 0, $srv->exitCode());
});

test('implicit tls: reset gives ECONNRESET, not close_notify', function (): void {
    $srv = SmtpTestServer::start(
        [['send', "220 tls\r\n"], ['expect', 'QUIT'], ['send', "421 going\r\n"], ['reset']],
        ['tls' => 'implicit', 'cert' => 'valid']
    );
    $c = client($srv, 'tls', verifySsl());
    line($c);
    fwrite($c, "QUIT\r\n");
    same('data sent before the reset arrives', "421 going\r\n", line($c));
    [$data, $warn] = quietly(fn () => fread($c, 100));
    check('no data', $data === '' || $data === false, $data);
    check('reset seen by the TLS client', str_contains($warn, 'Connection reset by peer'), $warn);
    fclose($c);
    same('exit', 0, $srv->exitCode());
    same('stderr', '', $srv->stderr());
});

// ---- IPv6 ------------------------------------------------------------------------------

test('ipv6: listen on ::1, STARTTLS with IP SAN', function (): void {
    $srv = SmtpTestServer::start(starttlsSteps([['expect', 'QUIT'], ['send', "221 bye\r\n"]]), ['ipv6' => true, 'cert' => 'valid']);
    same('host', '::1', $srv->host);
    same('dsn', "smtp://[::1]:{$srv->port}", $srv->dsn());
    $c = client($srv);
    clientToStarttls($c);
    [$ok, $warn] = clientTls($c, $srv->cafile, '::1');
    check('handshake with peer_name ::1', $ok === true, $warn);
    fwrite($c, "QUIT\r\n");
    same('bye', "221 bye\r\n", line($c));
    fclose($c);
    same('exit', 0, $srv->exitCode());
});

// ---- failure modes -----------------------------------------------------------------

test('mode no_accept: connect succeeds, no banner', function (): void {
    $srv = SmtpTestServer::start([], ['mode' => 'no_accept']);
    $c = client($srv);
    $r = [$c];
    $w = $e = null;
    same('nothing readable within 0.2 s', 0, stream_select($r, $w, $e, 0, 200000));
    fclose($c);
    $srv->stop();
    same('stopped', -1, $srv->exitCode());
});

foreach ([false, true] as $ipv6) {
    $name = $ipv6 ? 'mode blackhole (ipv6): connect times out' : 'mode blackhole: connect times out';
    test($name, function () use ($ipv6): void {
        $srv = SmtpTestServer::start([], ['mode' => 'blackhole', 'ipv6' => $ipv6]);
        $t = microtime(true);
        [$c] = quietly(function () use ($srv, &$errno, &$errstr) {
            return stream_socket_client($srv->dsn('tcp'), $errno, $errstr, 0.3);
        });
        $elapsed = microtime(true) - $t;
        same('connect fails', false, $c);
        check('timed out (ETIMEDOUT)', $errno === 110 && $elapsed >= 0.29, [$errno, $errstr, $elapsed]);
        $srv->stop();
    });
}

test('mode refuse and refusedPort(): connection refused', function (): void {
    $srv = SmtpTestServer::start([], ['mode' => 'refuse']);
    foreach ([$srv->port => '127.0.0.1', SmtpTestServer::refusedPort() => '127.0.0.1', SmtpTestServer::refusedPort(true) => '[::1]'] as $port => $host) {
        [$c] = quietly(function () use ($host, $port, &$errno, &$errstr) {
            return stream_socket_client("tcp://$host:$port", $errno, $errstr, 2);
        });
        check("refused $host:$port", $c === false && $errno === 111, [$errno, $errstr]);
    }
    same('exit', 0, $srv->exitCode());
    same('received', '', $srv->received());
});

test('start() fails loudly on a bad script', function (): void {
    foreach ([
        [[['bogus']], [], 'unknown op'],
        [[['close'], ['send', 'x']], [], 'must be the last step'],
        [[['starttls']], [], 'readable "cert"'],
        [[['sleep', 'x']], [], 'non-negative number'],
    ] as [$steps, $options, $message]) {
        try {
            SmtpTestServer::start($steps, $options);
            check("rejected: $message", false);
        } catch (RuntimeException $e) {
            check("rejected: $message", str_contains($e->getMessage(), $message), $e->getMessage());
        }
    }
});

finish();
