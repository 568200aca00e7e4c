<?php

declare(strict_types=1);

/**
 * Self-test of tests/inc/mta.inc (MtaTestServer): starts the private
 * Postfix + Dovecot pair and checks it with PHP's own stream sockets only.
 *
 *   php tests/mta/selftest.php [-v]
 *
 * -v prints every SMTP exchange and the delivered files. The last line is
 * "N passed, N failed" (or "0 passed, 0 failed, 1 skipped" when the harness
 * cannot run here, see MtaTestServer::skipReason()); the exit status is
 * non-zero when a check failed.
 */

require_once __DIR__ . '/../inc/mta.inc';

$verbose = in_array('-v', $argv, true);

if (($why = MtaTestServer::skipReason()) !== null) {
    echo "skip: $why\n0 passed, 0 failed, 1 skipped\n";
    exit(0);
}

final class SelfTestSmtp
{
    /** @var resource */
    private $s;
    public bool $tls = false;
    /** @var list<string> */
    public array $transcript = [];

    public function __construct(
        private MtaTestServer $mta,
        public string $service,
        private bool $verbose,
    ) {
        $port = $mta->ports[$service];
        $implicit = $service === 'smtps';
        $ctx = stream_context_create(['ssl' => $this->sslOptions()]);
        $s = @stream_socket_client(($implicit ? 'tls' : 'tcp') . "://{$mta->host}:$port", $errno, $errstr, 5.0, STREAM_CLIENT_CONNECT, $ctx);
        if ($s === false) {
            throw new RuntimeException("$service: connect to port $port failed: $errstr");
        }
        stream_set_timeout($s, 15);
        $this->s = $s;
        $this->tls = $implicit;
    }

    /** @return array<string,mixed> */
    private function sslOptions(): array
    {
        // Verified against the test CA; the certificate has SAN IP:127.0.0.1.
        return [
            'cafile' => $this->mta->cafile,
            'verify_peer' => true,
            'verify_peer_name' => true,
            'peer_name' => $this->mta->host,
            'allow_self_signed' => false,
        ];
    }

    /** @return array{code:int, enh:string, lines:list<string>, text:string} */
    public function reply(): array
    {
        $lines = [];
        $code = 0;
        while (true) {
            $line = fgets($this->s, 8192);
            if ($line === false) {
                $meta = stream_get_meta_data($this->s);
                throw new RuntimeException("{$this->service}: connection closed or timed out" . ($meta['timed_out'] ? ' (timeout)' : '')
                    . ' after ' . implode(' | ', $lines));
            }
            $line = rtrim($line, "\r\n");
            $this->log("S: $line");
            if (!preg_match('/^(\d{3})([ -])(.*)$/s', $line, $m)) {
                throw new RuntimeException("{$this->service}: malformed reply line: $line");
            }
            $code = (int)$m[1];
            $lines[] = $m[3];
            if ($m[2] === ' ') {
                break;
            }
        }
        $enh = preg_match('/^(\d\.\d{1,3}\.\d{1,3})\b/', $lines[0], $e) ? $e[1] : '';
        return ['code' => $code, 'enh' => $enh, 'lines' => $lines, 'text' => implode("\n", $lines)];
    }

    public function send(string $line, ?string $logAs = null): void
    {
        $this->log('C: ' . ($logAs ?? $line));
        $this->write("$line\r\n");
    }

    public function write(string $data): void
    {
        $off = 0;
        $len = strlen($data);
        while ($off < $len) {
            $n = fwrite($this->s, substr($data, $off, 65536));
            if ($n === false || $n === 0) {
                throw new RuntimeException("{$this->service}: write failed");
            }
            $off += $n;
        }
    }

    /** @return array{code:int, enh:string, lines:list<string>, text:string} */
    public function cmd(string $line, ?string $logAs = null): array
    {
        $this->send($line, $logAs);
        return $this->reply();
    }

    /** EHLO; returns keyword => parameter string (keywords upper-cased). @return array<string,string> */
    public function ehlo(): array
    {
        $r = $this->cmd('EHLO client.example');
        if ($r['code'] !== 250) {
            throw new RuntimeException("{$this->service}: EHLO got {$r['code']}");
        }
        $kw = [];
        foreach (array_slice($r['lines'], 1) as $l) {
            $parts = explode(' ', $l, 2);
            $kw[strtoupper($parts[0])] = $parts[1] ?? '';
        }
        return $kw;
    }

    public function starttls(): bool
    {
        $r = $this->cmd('STARTTLS');
        if ($r['code'] !== 220) {
            return false;
        }
        foreach ($this->sslOptions() as $k => $v) {
            stream_context_set_option($this->s, 'ssl', $k, $v);
        }
        $ok = @stream_socket_enable_crypto($this->s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
        $this->log($ok ? '-- TLS established (verified against the test CA)' : '-- TLS handshake FAILED');
        $this->tls = $ok === true;
        return $this->tls;
    }

    public function cryptoInfo(): string
    {
        $meta = stream_get_meta_data($this->s);
        $c = $meta['crypto'] ?? [];
        return ($c['protocol'] ?? '?') . ' ' . ($c['cipher_name'] ?? '?');
    }

    public function quit(): void
    {
        try {
            $this->cmd('QUIT');
        } catch (Throwable) {
        }
        fclose($this->s);
    }

    private function log(string $l): void
    {
        $this->transcript[] = $l;
        if ($this->verbose) {
            echo "    [{$this->service}] ", (strlen($l) > 200 ? substr($l, 0, 200) . '...' : $l), "\n";
        }
    }
}

// --- SASL client side -------------------------------------------------------

/** @return array{code:int, enh:string, lines:list<string>, text:string} */
function authenticate(SelfTestSmtp $c, string $mech, string $user, string $pass): array
{
    switch ($mech) {
        case 'PLAIN':
            return $c->cmd('AUTH PLAIN ' . base64_encode("\0$user\0$pass"), 'AUTH PLAIN <credentials>');
        case 'LOGIN':
            $r = $c->cmd('AUTH LOGIN');
            if ($r['code'] !== 334) {
                return $r;
            }
            $r = $c->cmd(base64_encode($user));
            if ($r['code'] !== 334) {
                return $r;
            }
            return $c->cmd(base64_encode($pass), '<password>');
        case 'CRAM-MD5':
            $r = $c->cmd('AUTH CRAM-MD5');
            if ($r['code'] !== 334) {
                return $r;
            }
            $challenge = base64_decode($r['lines'][0], true);
            return $c->cmd(base64_encode($user . ' ' . hash_hmac('md5', (string)$challenge, $pass)));
        case 'SCRAM-SHA-256':
            return scramSha256($c, $user, $pass);
    }
    throw new InvalidArgumentException($mech);
}

/** RFC 5802/7677 client. @return array{code:int, enh:string, lines:list<string>, text:string} */
function scramSha256(SelfTestSmtp $c, string $user, string $pass): array
{
    $cnonce = base64_encode(random_bytes(18));
    $gs2 = 'n,,';
    $bare = 'n=' . str_replace(['=', ','], ['=3D', '=2C'], $user) . ",r=$cnonce";
    $r = $c->cmd('AUTH SCRAM-SHA-256 ' . base64_encode($gs2 . $bare));
    if ($r['code'] !== 334) {
        return $r;
    }
    $serverFirst = (string)base64_decode($r['lines'][0], true);
    $attrs = [];
    foreach (explode(',', $serverFirst) as $kv) {
        $attrs[substr($kv, 0, 1)] = substr($kv, 2);
    }
    if (!isset($attrs['r'], $attrs['s'], $attrs['i']) || !str_starts_with($attrs['r'], $cnonce)) {
        throw new RuntimeException("bad SCRAM server-first: $serverFirst");
    }
    $salted = hash_pbkdf2('sha256', $pass, (string)base64_decode($attrs['s']), (int)$attrs['i'], 32, true);
    $clientKey = hash_hmac('sha256', 'Client Key', $salted, true);
    $storedKey = hash('sha256', $clientKey, true);
    $withoutProof = 'c=' . base64_encode($gs2) . ',r=' . $attrs['r'];
    $authMessage = "$bare,$serverFirst,$withoutProof";
    $proof = $clientKey ^ hash_hmac('sha256', $authMessage, $storedKey, true);
    $r = $c->cmd(base64_encode("$withoutProof,p=" . base64_encode($proof)));
    $serverKey = hash_hmac('sha256', 'Server Key', $salted, true);
    $expectV = 'v=' . base64_encode(hash_hmac('sha256', $authMessage, $serverKey, true));
    if ($r['code'] === 334) {
        // server-final-message as a last challenge; answered with an empty line.
        $final = (string)base64_decode($r['lines'][0], true);
        if ($final !== $expectV) {
            throw new RuntimeException("SCRAM server signature mismatch: $final");
        }
        $r = $c->cmd('');
        $r['scram_server_final'] = 'verified in 334 challenge';
    } elseif ($r['code'] === 235) {
        $r['scram_server_final'] = 'not sent (235 directly)';
    }
    return $r;
}

// --- checks -----------------------------------------------------------------

$passed = 0;
$failed = 0;

function check(string $name, bool $ok, string $detail = ''): bool
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
        echo "ok   $name", ($detail !== '' ? "  ($detail)" : ''), "\n";
    } else {
        $failed++;
        echo "FAIL $name", ($detail !== '' ? "  ($detail)" : ''), "\n";
    }
    return $ok;
}

/** @param array{code:int, enh:string, lines:list<string>, text:string} $r */
function replyIs(array $r, int $code, string $enh = ''): bool
{
    return $r['code'] === $code && ($enh === '' || $r['enh'] === $enh);
}

/** @param array{code:int, enh:string, lines:list<string>, text:string} $r */
function show(array $r): string
{
    return $r['code'] . ' ' . str_replace("\n", ' / ', $r['text']);
}

/** Dot-stuff a CRLF message and terminate it. */
function dataBlock(string $msg): string
{
    return preg_replace('/^\./m', '..', $msg) . ".\r\n";
}

function message(string $to, string $tag): string
{
    $lines = [
        'From: Selftest Sender <sender@client.example>',
        "To: <$to>",
        "Subject: smtpdiag MTA selftest $tag",
        "Message-ID: <$tag." . bin2hex(random_bytes(4)) . '@client.example>',
        'Date: ' . date(DATE_RFC2822),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Hello,',
        '.a line with a leading dot',
        '.',
        '..two dots',
        'UTF-8: Grüße aus Köln, naïve café — ✓ 日本語 ',
        "tab\tand trailing spaces   ",
        '',
        str_repeat('long-line-', 80),
        'last line',
    ];
    return implode("\r\n", $lines) . "\r\n";
}

$mta = null;
try {
    $t0 = microtime(true);
    $mta = MtaTestServer::start();
    $startup = microtime(true) - $t0;
    check('harness starts', true, sprintf('%.2f s; phases: %s', $startup,
        implode(', ', array_map(fn ($k, $v) => sprintf('%s %.3f', $k, $v), array_keys($mta->timings), $mta->timings))));
    echo '     ports: ', json_encode($mta->ports), "\n";
    echo '     dsn: ', $mta->dsn('submission', 'alice'), "\n";
    check('dsn() %-encodes userinfo', $mta->dsn('smtps', 'bob') === "smtp://bob:Bob-Pass-2@127.0.0.1:{$mta->ports['smtps']}"
        && $mta->dsn('relay') === "smtp://127.0.0.1:{$mta->ports['relay']}");

    $alice = $mta->users['alice'];
    $bob = $mta->users['bob'];
    $sent = ['alice' => [], 'bob' => []];

    // --- banners --------------------------------------------------------
    foreach (MtaTestServer::SERVICES as $svc) {
        $c = new SelfTestSmtp($mta, $svc, $verbose);
        $r = $c->reply();
        check("$svc: 220 banner" . ($svc === 'smtps' ? ' inside implicit TLS (CA-verified)' : ''),
            replyIs($r, 220) && str_contains($r['text'], MtaTestServer::HOSTNAME), show($r));
        $c->quit();
    }

    // --- submission -----------------------------------------------------
    $c = new SelfTestSmtp($mta, 'submission', $verbose);
    $c->reply();
    $kw = $c->ehlo();
    check('submission: STARTTLS offered before TLS', isset($kw['STARTTLS']));
    check('submission: no AUTH before TLS', !isset($kw['AUTH']), 'EHLO: ' . implode(' ', array_keys($kw)));
    $r = $c->cmd('MAIL FROM:<sender@client.example>');
    check('submission: MAIL before STARTTLS refused (encrypt)', replyIs($r, 530, '5.7.0'), show($r));
    check('submission: STARTTLS handshake verified against CA', $c->starttls(), $c->cryptoInfo());
    $kw = $c->ehlo();
    $mechs = preg_split('/\s+/', strtoupper($kw['AUTH'] ?? ''), -1, PREG_SPLIT_NO_EMPTY);
    $want = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'];
    check('submission: AUTH after TLS offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256',
        array_diff($want, $mechs) === [], 'AUTH ' . ($kw['AUTH'] ?? '(none)'));
    check('submission: STARTTLS not offered again after TLS', !isset($kw['STARTTLS']));
    check('submission: SIZE advertised = message_size_limit', ($kw['SIZE'] ?? null) === (string)MtaTestServer::DEFAULT_SIZE_LIMIT,
        'SIZE ' . ($kw['SIZE'] ?? '(none)'));
    $r = authenticate($c, 'PLAIN', 'alice', 'wrong-password');
    check('submission: AUTH PLAIN wrong password -> 535 5.7.8', replyIs($r, 535, '5.7.8'), show($r));
    $r = authenticate($c, 'PLAIN', 'alice', $alice);
    check('submission: AUTH PLAIN right password -> 235', replyIs($r, 235, '2.7.0'), show($r));
    $r = $c->cmd('MAIL FROM:<sender@client.example> SIZE=' . (MtaTestServer::DEFAULT_SIZE_LIMIT + 1));
    check('submission: MAIL SIZE= over the limit -> 552 5.3.4', replyIs($r, 552, '5.3.4'), show($r));
    // Postfix quirk: the rejected SIZE= value sticks to the session, so the
    // next MAIL without SIZE= is refused the same way until RSET.
    $r = $c->cmd('MAIL FROM:<sender@client.example>');
    check('submission: (Postfix quirk) next MAIL without SIZE= still 552 before RSET', replyIs($r, 552, '5.3.4'), show($r));
    $c->cmd('RSET');
    $r = $c->cmd('MAIL FROM:<sender@client.example>');
    check('submission: MAIL FROM after RSET -> 250', replyIs($r, 250), show($r));
    $r = $c->cmd('RCPT TO:<nobody@test.example>');
    check('submission: RCPT unknown user -> 550 5.1.1', replyIs($r, 550, '5.1.1'), show($r));
    $r = $c->cmd('RCPT TO:<alice@test.example>');
    check('submission: RCPT alice -> 250', replyIs($r, 250), show($r));
    $r = $c->cmd('DATA');
    check('submission: DATA -> 354', replyIs($r, 354), show($r));
    $msg = message('alice@test.example', 'submission');
    $c->write(dataBlock($msg));
    $r = $c->reply();
    check('submission: message accepted -> 250', replyIs($r, 250), show($r));
    $sent['alice'][] = $msg;
    $c->quit();

    // --- every SASL mechanism, right and wrong password -------------------
    foreach ($want as $mech) {
        foreach ([true, false] as $right) {
            $c = new SelfTestSmtp($mta, 'submission', $verbose);
            $c->reply();
            $c->ehlo();
            $c->starttls();
            $c->ehlo();
            $r = authenticate($c, $mech, 'bob', $right ? $bob : 'Bob-Pass-X');
            if ($right) {
                check("submission: AUTH $mech bob -> 235", replyIs($r, 235), show($r) . (isset($r['scram_server_final']) ? '; server-final ' . $r['scram_server_final'] : ''));
            } else {
                check("submission: AUTH $mech wrong password -> 535 5.7.8", replyIs($r, 535, '5.7.8'), show($r));
            }
            $c->quit();
        }
    }

    // --- smtps ----------------------------------------------------------
    $c = new SelfTestSmtp($mta, 'smtps', $verbose);
    $r = $c->reply();
    $kw = $c->ehlo();
    check('smtps: AUTH offered, STARTTLS not offered', isset($kw['AUTH']) && !isset($kw['STARTTLS']), $c->cryptoInfo() . '; AUTH ' . ($kw['AUTH'] ?? '(none)'));
    $r = authenticate($c, 'LOGIN', 'bob', $bob);
    check('smtps: AUTH LOGIN bob -> 235', replyIs($r, 235), show($r));
    $c->cmd('MAIL FROM:<sender@client.example>');
    $r = $c->cmd('RCPT TO:<x@elsewhere.example>');
    check('smtps: authenticated relay to elsewhere.example -> 250 (then discarded)', replyIs($r, 250), show($r));
    $r = $c->cmd('RCPT TO:<bob@test.example>');
    check('smtps: RCPT bob -> 250', replyIs($r, 250), show($r));
    $c->cmd('DATA');
    $msg = message('bob@test.example', 'smtps');
    $c->write(dataBlock($msg));
    $r = $c->reply();
    check('smtps: message accepted -> 250', replyIs($r, 250), show($r));
    $sent['bob'][] = $msg;
    $c->quit();

    // --- plain ----------------------------------------------------------
    $c = new SelfTestSmtp($mta, 'plain', $verbose);
    $c->reply();
    $kw = $c->ehlo();
    check('plain: STARTTLS offered', isset($kw['STARTTLS']));
    check('plain: no AUTH before TLS (smtpd_tls_auth_only)', !isset($kw['AUTH']), 'EHLO: ' . implode(' ', array_keys($kw)));
    $r = authenticate($c, 'PLAIN', 'alice', $alice);
    check('plain: AUTH before TLS refused', $r['code'] >= 500, show($r));
    $r = $c->cmd('MAIL FROM:<sender@client.example>');
    check('plain: MAIL without TLS allowed (may)', replyIs($r, 250), show($r));
    $c->cmd('RSET');
    check('plain: STARTTLS handshake', $c->starttls(), $c->cryptoInfo());
    $kw = $c->ehlo();
    check('plain: AUTH offered after TLS', isset($kw['AUTH']), 'AUTH ' . ($kw['AUTH'] ?? '(none)'));
    $r = authenticate($c, 'CRAM-MD5', 'alice', $alice);
    check('plain: AUTH CRAM-MD5 after TLS -> 235', replyIs($r, 235), show($r));
    $c->quit();

    // --- relay ----------------------------------------------------------
    $c = new SelfTestSmtp($mta, 'relay', $verbose);
    $c->reply();
    $kw = $c->ehlo();
    check('relay: STARTTLS offered, AUTH not offered', isset($kw['STARTTLS']) && !isset($kw['AUTH']), 'EHLO: ' . implode(' ', array_keys($kw)));
    $c->cmd('MAIL FROM:<sender@client.example>');
    $r = $c->cmd('RCPT TO:<x@elsewhere.example>');
    check('relay: unauthenticated RCPT x@elsewhere.example -> 554 5.7.1 Relay access denied',
        replyIs($r, 554, '5.7.1') && str_contains($r['text'], 'Relay access denied'), show($r));
    $r = $c->cmd('RCPT TO:<nobody@test.example>');
    check('relay: RCPT nobody@test.example -> 550 5.1.1', replyIs($r, 550, '5.1.1'), show($r));
    $r = $c->cmd('RCPT TO:<alice@test.example>');
    check('relay: RCPT alice@test.example (local domain) -> 250 without AUTH', replyIs($r, 250), show($r));
    $c->cmd('DATA');
    $msg = message('alice@test.example', 'relay');
    $c->write(dataBlock($msg));
    $r = $c->reply();
    check('relay: message accepted -> 250', replyIs($r, 250), show($r));
    $sent['alice'][] = $msg;
    // A bare message: Postfix must not add Message-Id/Date/From or rewrite "To: bob".
    $c->cmd('MAIL FROM:<sender@client.example>');
    $c->cmd('RCPT TO:<alice@test.example>');
    $c->cmd('DATA');
    $msg = "Subject: bare\r\nTo: bob\r\n\r\nno Date, no Message-ID, no From\r\n.\r\nlast line\r\n";
    $c->write(dataBlock($msg));
    $r = $c->reply();
    check('relay: second message in the same session accepted -> 250', replyIs($r, 250), show($r));
    $sent['alice'][] = $msg;
    $c->quit();

    // --- nosize ---------------------------------------------------------
    $c = new SelfTestSmtp($mta, 'nosize', $verbose);
    $c->reply();
    $c->ehlo();
    $c->starttls();
    $kw = $c->ehlo();
    check('nosize: SIZE not advertised, AUTH offered', !isset($kw['SIZE']) && isset($kw['AUTH']), 'EHLO: ' . implode(' ', array_keys($kw)));
    $r = authenticate($c, 'SCRAM-SHA-256', 'alice', $alice);
    check('nosize: AUTH SCRAM-SHA-256 -> 235', replyIs($r, 235), show($r));
    $c->cmd('MAIL FROM:<sender@client.example>');
    $r = $c->cmd('RCPT TO:<alice@test.example>');
    $c->cmd('DATA');
    $line = str_repeat('x', 998) . "\r\n";
    $big = "Subject: too big\r\n\r\n" . str_repeat($line, intdiv(MtaTestServer::DEFAULT_SIZE_LIMIT, 1000) + 100);
    $t = microtime(true);
    $c->write(dataBlock($big));
    $r = $c->reply();
    check('nosize: message over message_size_limit -> 552 5.3.4 at end of DATA', replyIs($r, 552, '5.3.4'),
        show($r) . sprintf('; %d bytes in %.2f s', strlen($big), microtime(true) - $t));
    $c->quit();

    // --- delivery -------------------------------------------------------
    foreach ($sent as $user => $msgs) {
        $t = microtime(true);
        $got = $mta->waitForMail($user, count($msgs), 10.0);
        check("waitForMail('$user', " . count($msgs) . ')', count($got) === count($msgs),
            sprintf('%d file(s) after %.2f s', count($got), microtime(true) - $t));
        foreach ($msgs as $i => $msg) {
            $expect = str_replace("\r\n", "\n", $msg);
            // Delivery order need not be the sending order: match by content.
            $file = '';
            foreach ($got as $f) {
                if (str_ends_with($f, "\n" . $expect)) {
                    $file = $f;
                }
            }
            // Postfix prepends exactly four header fields (Received: is folded
            // over tab-indented lines); everything after them must be ours.
            $names = [];
            $pos = 0;
            while (count($names) < 4 && preg_match('/\G([A-Za-z-]+):[^\n]*\n(?:[ \t][^\n]*\n)*/', $file, $m, 0, $pos)) {
                $names[] = $m[1];
                $pos += strlen($m[0]);
            }
            $added = substr($file, 0, $pos);
            check("delivered #$i to $user: the message as sent, byte-for-byte after Postfix's 4 headers (CRLF stored as LF)",
                substr($file, $pos) === $expect,
                sprintf('%d bytes sent, %d stored, %d bytes prepended', strlen($msg), strlen($file), strlen($added)));
            check("delivered #$i to $user: no CR anywhere, ends with one LF", !str_contains($file, "\r") && str_ends_with($file, "last line\n"));
            if (str_contains($msg, 'leading dot')) {
                check("delivered #$i to $user: leading dots un-stuffed, UTF-8 intact",
                    str_contains($file, "\n.a line with a leading dot\n.\n..two dots\n") && str_contains($file, 'Grüße aus Köln, naïve café — ✓ 日本語 '));
            }
            check("delivered #$i to $user: Postfix prepended Return-Path, X-Original-To, Delivered-To, Received",
                $names === ['Return-Path', 'X-Original-To', 'Delivered-To', 'Received']
                && str_starts_with($added, "Return-Path: <sender@client.example>\nX-Original-To: $user@test.example\nDelivered-To: $user@test.example\nReceived: from client.example (unknown [127.0.0.1])\n"),
                'added: ' . implode(', ', $names));
            if ($verbose) {
                echo "---- delivered file ($user #$i), Postfix's part ----\n$added---- (then the message as sent, LF line ends)\n";
            }
        }
    }

    // --- logs -----------------------------------------------------------
    $log = $mta->mailLog();
    check('mailLog(): Postfix log written without syslog', str_contains($log, 'postfix/master') && str_contains($log, 'status=sent (delivered to maildir)'),
        strlen($log) . ' bytes');
    check('Dovecot log shows auth activity', str_contains($mta->dovecotLog(), 'auth'), strlen($mta->dovecotLog()) . ' bytes');

    check('mailLog(): authenticated relay was discarded, not sent',
        (bool)preg_match('/to=<x@elsewhere\.example>, relay=none.*status=sent \(outbound mail disabled/', $log));

    // --- options, and a second instance running beside the first ----------
    $odd = 'p:ss w@rd/%+ü';
    $mta2 = MtaTestServer::start(['users' => ['carol' => $odd], 'mynetworks' => true, 'message_size_limit' => 50000]);
    check('second instance beside the first: own ports', array_intersect($mta2->ports, $mta->ports) === [],
        sprintf('%.2f s', $mta2->startupSeconds));
    check("options: dsn() %-encodes 'p:ss w@rd/%+ü'",
        $mta2->dsn('smtps', 'carol') === "smtp://carol:p%3Ass%20w%40rd%2F%25%2B%C3%BC@127.0.0.1:{$mta2->ports['smtps']}",
        $mta2->dsn('smtps', 'carol'));
    foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'] as $mech) {
        $c = new SelfTestSmtp($mta2, 'smtps', $verbose);
        $c->reply();
        $kw = $c->ehlo();
        if ($mech === 'PLAIN') {
            check('options: message_size_limit=50000 -> SIZE 50000', ($kw['SIZE'] ?? '') === '50000', 'SIZE ' . ($kw['SIZE'] ?? '(none)'));
        }
        $r = authenticate($c, $mech, 'carol', $odd);
        check("options: users=[carol => odd password] AUTH $mech -> 235", replyIs($r, 235), show($r));
        $c->quit();
    }
    $c = new SelfTestSmtp($mta2, 'relay', $verbose);
    $c->reply();
    $c->ehlo();
    $c->cmd('MAIL FROM:<sender@client.example>');
    $r = $c->cmd('RCPT TO:<x@elsewhere.example>');
    check('options: mynetworks=true -> unauthenticated relay from 127.0.0.1 allowed', replyIs($r, 250), show($r));
    $r = $c->cmd('RCPT TO:<alice@test.example>');
    check('options: alice not a user of this instance -> 550 5.1.1', replyIs($r, 550, '5.1.1'), show($r));
    $c->quit();
    $dir2 = $mta2->dir;
    $mta2->stop();
    check('second instance stopped, first still up', !is_dir($dir2) && !processesFor($dir2)
        && (new SelfTestSmtp($mta, 'relay', false))->reply()['code'] === 220);

    $dir = $mta->dir;
    $t = microtime(true);
    $mta->stop();
    check('stop(): removes the directory, no processes left', !is_dir($dir) && !processesFor($dir), sprintf('%.3f s', microtime(true) - $t));
} catch (Throwable $e) {
    check('no exception', false, get_class($e) . ': ' . $e->getMessage());
    if ($mta !== null && $verbose) {
        echo $mta->mailLog(), $mta->dovecotLog();
    }
}

function processesFor(string $dir): bool
{
    foreach (glob('/proc/[0-9]*/cmdline') ?: [] as $f) {
        if (str_contains((string)@file_get_contents($f), basename($dir))) {
            $stat = (string)@file_get_contents(dirname($f) . '/stat');
            if (!preg_match('/^\d+ \(.*\) Z/s', $stat)) {
                return true;
            }
        }
    }
    return false;
}

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
