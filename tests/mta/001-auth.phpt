--TEST--
Real MTA, AUTH: PLAIN, LOGIN, CRAM-MD5 and SCRAM-SHA-256 (server signature verified) against Dovecot on the submission port (STARTTLS) and the smtps port (implicit TLS); auth=auto picks SCRAM-SHA-256; payloads [redacted], no password in any transcript; wrong password -> 535 5.7.8 auth_failed; plain port: AUTH only after TLS
--EXTENSIONS--
smtpdiag
openssl
--SKIPIF--
<?php
require __DIR__ . '/mta_tests.inc';
if (($why = MtaTestServer::skipReason()) !== null) {
    die("skip $why");
}
?>
--FILE--
<?php
require __DIR__ . '/mta_tests.inc';

$mta = MtaTestServer::start();
$pw = $mta->users['alice'];
$forms = mta_secret_forms('alice', $pw);

/** Everything a client or an exception shows, as one text to search for secrets. */
function shown(SmtpDiag\Client $c, ?Throwable $e = null): string
{
    $t = $c->getTranscriptText(true) . mta_transcript_dump($c->getTranscript()) . print_r($c, true);
    if ($e !== null) {
        $t .= $e->getMessage() . $e . print_r($e->getTranscript(), true);
        if ($e instanceof SmtpDiag\SmtpDiagException) {
            $t .= $e->getHint();
        }
    }
    return $t;
}

echo "=== every mechanism, STARTTLS and implicit TLS\n";
foreach (['submission' => 'starttls', 'smtps' => 'implicit'] as $svc => $enc) {
    foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256', 'auto'] as $mech) {
        $label = "$svc auth=$mech";
        $c = new SmtpDiag\Client($mta->dsn($svc, 'alice'), mta_opts($mta, ['encryption' => $enc, 'auth' => $mech]));
        try {
            $c->connect();
        } catch (Throwable $e) {
            mta_t("$label: connect", false, mta_exc($e) . ': ' . $e->getMessage() . "\n" . $c->getTranscriptText());
            continue;
        }
        $tr = $c->getTranscript();
        $want = $mech === 'auto' ? 'SCRAM-SHA-256' : $mech;
        $tls = $c->getTlsInfo();
        mta_t("$label: TLS $enc, verified", ($tls['mode'] ?? null) === $enc && ($tls['verified'] ?? false) === true,
            json_encode($tls['mode'] ?? null));
        $info = mta_lines($tr, 'info', '/^AUTH: the server offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256; using ' . preg_quote($want, '/') . ' \(/');
        mta_t("$label: info line \"AUTH: ... using $want\"", count($info) === 1, mta_transcript_dump(mta_lines($tr, 'info', '/^AUTH/')));

        // The exchange, with the payloads that are not secret (LOGIN prompts, the CRAM-MD5 challenge) shown or masked.
        $ex = mta_auth_exchange($tr);
        $shape = [];
        $challenge = null;
        foreach ($ex as $line) {
            if ($want === 'CRAM-MD5' && preg_match('/^S: 334 ([A-Za-z0-9+\/=]+)$/', $line, $m)) {
                $challenge = base64_decode($m[1], true);
                $line = preg_match('/^<[^<>@]+@[^<>]+>$/', (string)$challenge) ? 'S: 334 <challenge>' : $line;
            }
            $shape[] = $line;
        }
        echo "$label: ", implode(' | ', $shape), "\n";
        $clientPayloads = array_filter($ex, fn (string $l): bool => str_starts_with($l, 'C: ') && !str_starts_with($l, 'C: AUTH '));
        mta_t("$label: every client AUTH payload [redacted]",
            array_unique(array_values($clientPayloads)) === ['C: [redacted]'] || ($want === 'PLAIN' && $clientPayloads === []),
            implode(' | ', $ex));
        $leaks = mta_leaks(shown($c), $forms);
        if ($challenge !== null) {
            $leaks = array_merge($leaks, mta_leaks(shown($c), [base64_encode('alice ' . hash_hmac('md5', $challenge, $pw))]));
        }
        mta_t("$label: no password (or payload) in the transcript", $leaks === [], implode(', ', $leaks));
        $c->quit();
    }
}

echo "=== wrong password\n";
foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256', 'auto'] as $mech) {
    $bad = 'Wrong-Pass-9';
    $c = new SmtpDiag\Client("smtp://alice:$bad@{$mta->host}:{$mta->ports['submission']}",
        mta_opts($mta, ['encryption' => 'starttls', 'auth' => $mech]));
    $e = mta_throws("wrong password $mech", fn () => $c->connect());
    if ($e === null) {
        continue;
    }
    echo "$mech: ", mta_exc($e), "\n";
    $leaks = mta_leaks(shown($c, $e), array_merge(mta_secret_forms('alice', $bad), $forms));
    mta_t("$mech: wrong password not shown", $leaks === [], implode(', ', $leaks));
}

echo "=== SCRAM-SHA-256: the server's signature is checked (proxy to the smtps port)\n";
foreach (['pass', 'tamper'] as $mode) {
    [$port, $finish] = mta_scram_proxy($mta, $mode);
    $c = new SmtpDiag\Client('smtp://alice:' . rawurlencode($pw) . "@127.0.0.1:$port",
        ['encryption' => 'none', 'auth' => 'SCRAM-SHA-256', 'allow_plaintext_auth' => true, 'timeout' => 10]);
    $e = null;
    try {
        $c->connect();
        echo "$mode: authenticated\n";
        $c->quit();
    } catch (Throwable $e) {
        echo "$mode: ", mta_exc($e), "\n";
        mta_t("$mode: the message names the signature", str_contains($e->getMessage(), 'signature'), $e->getMessage());
        mta_t("$mode: not connected afterwards", $c->isConnected() === false);
    }
    $shown = shown($c, $e);
    unset($c, $e);
    $report = $finish();
    mta_t("$mode: proxy saw the SCRAM server-final message",
        in_array($mode === 'pass' ? 'server-final relayed' : 'server-final tampered', $report, true), implode(' / ', $report));
    mta_t("$mode: no password shown", mta_leaks($shown, $forms) === []);
}

echo "=== plain port: STARTTLS offered, AUTH only after TLS\n";
$c = new SmtpDiag\Client($mta->dsn('plain', 'alice'), mta_opts($mta, ['encryption' => 'none']));
$e = mta_throws('encryption none', fn () => $c->connect());
if ($e !== null) {
    echo 'none: ', mta_exc($e), "\n";
    mta_t('none: the hint mentions encryption', stripos($e->getHint(), 'encryption') !== false, $e->getHint());
    mta_t('none: no AUTH command sent', mta_lines($c->getTranscript(), 'client', '/^AUTH/i') === [],
        $c->getTranscriptText());
    mta_t('none: no password shown', mta_leaks(shown($c, $e), $forms) === []);
}
unset($c, $e);
$c = new SmtpDiag\Client($mta->dsn('plain', 'alice'), mta_opts($mta, ['encryption' => 'auto']));
try {
    $c->connect();
    $tr = $c->getTranscript();
    $cmds = array_map(fn (array $e): string => explode(' ', $e['text'])[0], mta_lines($tr, 'client', '/^[A-Z]/'));
    echo 'auto: ', implode(' ', $cmds), ' -> ', ($c->getTlsInfo()['mode'] ?? 'no TLS'), "\n";
    mta_t('auto: AUTH inside TLS with SCRAM-SHA-256',
        count(mta_lines($tr, 'info', '/^AUTH: .*; using SCRAM-SHA-256 \(/')) === 1
        && (mta_lines($tr, 'client', '/^AUTH SCRAM-SHA-256/')[0]['tls'] ?? false) === true
        && (mta_lines($tr, 'server', '/^235 /')[0]['tls'] ?? false) === true,
        $c->getTranscriptText());
    $c->quit();
} catch (Throwable $e) {
    mta_t('auto: connect', false, mta_exc($e) . "\n" . $c->getTranscriptText());
}
unset($c);

// Postfix's record of the plain-port sessions: the first one never authenticated.
$s = mta_sessions_settled($mta, 'plain');
$ours = array_slice($s['disconnects'], -2);
mta_t('Postfix log (plain): no AUTH in the unencrypted session, AUTH after STARTTLS in the second',
    count($ours) === 2 && !str_contains($ours[0], 'auth=') && !str_contains($ours[0], 'starttls=')
    && str_contains($ours[1], 'starttls=1') && str_contains($ours[1], 'auth=1'), implode("\n", $ours));
// Postfix's view of the sessions on the two AUTH ports.
$sub = mta_sessions_settled($mta, 'submission');
$ok = count(array_filter($sub['disconnects'], fn (string $l): bool => str_contains($l, ' auth=1 ')));
$failed = count(array_filter($sub['disconnects'], fn (string $l): bool => str_contains($l, ' auth=0/1 ')));
mta_t('Postfix log (submission): 5 sessions authenticated, 5 refused', $ok === 5 && $failed === 5, implode("\n", $sub['disconnects']));
$log = $mta->mailLog();
$fails = [];
foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'] as $mech) {
    $fails[] = $mech . ' x' . substr_count($log, "SASL $mech authentication failed");
}
echo 'Postfix log, failed AUTH by mechanism: ', implode(', ', $fails), "\n";
$smtps = mta_sessions_settled($mta, 'smtps');
$ok = count(array_filter($smtps['disconnects'], fn (string $l): bool => str_contains($l, ' auth=1 ')));
mta_t('Postfix log (smtps): 5 direct sessions and 1 through the proxy authenticated', $ok === 6, implode("\n", $smtps['disconnects']));
$mta->stop();
echo "done\n";
?>
--EXPECT--
=== every mechanism, STARTTLS and implicit TLS
ok: submission auth=PLAIN: TLS starttls, verified
ok: submission auth=PLAIN: info line "AUTH: ... using PLAIN"
submission auth=PLAIN: C: AUTH PLAIN [redacted] | S: 235 2.7.0 Authentication successful
ok: submission auth=PLAIN: every client AUTH payload [redacted]
ok: submission auth=PLAIN: no password (or payload) in the transcript
ok: submission auth=LOGIN: TLS starttls, verified
ok: submission auth=LOGIN: info line "AUTH: ... using LOGIN"
submission auth=LOGIN: C: AUTH LOGIN | S: 334 VXNlcm5hbWU6 | C: [redacted] | S: 334 UGFzc3dvcmQ6 | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: submission auth=LOGIN: every client AUTH payload [redacted]
ok: submission auth=LOGIN: no password (or payload) in the transcript
ok: submission auth=CRAM-MD5: TLS starttls, verified
ok: submission auth=CRAM-MD5: info line "AUTH: ... using CRAM-MD5"
submission auth=CRAM-MD5: C: AUTH CRAM-MD5 | S: 334 <challenge> | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: submission auth=CRAM-MD5: every client AUTH payload [redacted]
ok: submission auth=CRAM-MD5: no password (or payload) in the transcript
ok: submission auth=SCRAM-SHA-256: TLS starttls, verified
ok: submission auth=SCRAM-SHA-256: info line "AUTH: ... using SCRAM-SHA-256"
submission auth=SCRAM-SHA-256: C: AUTH SCRAM-SHA-256 [redacted] | S: 334 [redacted] | C: [redacted] | S: 334 [redacted] | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: submission auth=SCRAM-SHA-256: every client AUTH payload [redacted]
ok: submission auth=SCRAM-SHA-256: no password (or payload) in the transcript
ok: submission auth=auto: TLS starttls, verified
ok: submission auth=auto: info line "AUTH: ... using SCRAM-SHA-256"
submission auth=auto: C: AUTH SCRAM-SHA-256 [redacted] | S: 334 [redacted] | C: [redacted] | S: 334 [redacted] | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: submission auth=auto: every client AUTH payload [redacted]
ok: submission auth=auto: no password (or payload) in the transcript
ok: smtps auth=PLAIN: TLS implicit, verified
ok: smtps auth=PLAIN: info line "AUTH: ... using PLAIN"
smtps auth=PLAIN: C: AUTH PLAIN [redacted] | S: 235 2.7.0 Authentication successful
ok: smtps auth=PLAIN: every client AUTH payload [redacted]
ok: smtps auth=PLAIN: no password (or payload) in the transcript
ok: smtps auth=LOGIN: TLS implicit, verified
ok: smtps auth=LOGIN: info line "AUTH: ... using LOGIN"
smtps auth=LOGIN: C: AUTH LOGIN | S: 334 VXNlcm5hbWU6 | C: [redacted] | S: 334 UGFzc3dvcmQ6 | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: smtps auth=LOGIN: every client AUTH payload [redacted]
ok: smtps auth=LOGIN: no password (or payload) in the transcript
ok: smtps auth=CRAM-MD5: TLS implicit, verified
ok: smtps auth=CRAM-MD5: info line "AUTH: ... using CRAM-MD5"
smtps auth=CRAM-MD5: C: AUTH CRAM-MD5 | S: 334 <challenge> | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: smtps auth=CRAM-MD5: every client AUTH payload [redacted]
ok: smtps auth=CRAM-MD5: no password (or payload) in the transcript
ok: smtps auth=SCRAM-SHA-256: TLS implicit, verified
ok: smtps auth=SCRAM-SHA-256: info line "AUTH: ... using SCRAM-SHA-256"
smtps auth=SCRAM-SHA-256: C: AUTH SCRAM-SHA-256 [redacted] | S: 334 [redacted] | C: [redacted] | S: 334 [redacted] | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: smtps auth=SCRAM-SHA-256: every client AUTH payload [redacted]
ok: smtps auth=SCRAM-SHA-256: no password (or payload) in the transcript
ok: smtps auth=auto: TLS implicit, verified
ok: smtps auth=auto: info line "AUTH: ... using SCRAM-SHA-256"
smtps auth=auto: C: AUTH SCRAM-SHA-256 [redacted] | S: 334 [redacted] | C: [redacted] | S: 334 [redacted] | C: [redacted] | S: 235 2.7.0 Authentication successful
ok: smtps auth=auto: every client AUTH payload [redacted]
ok: smtps auth=auto: no password (or payload) in the transcript
=== wrong password
PLAIN: SmtpDiag\AuthenticationException category=auth_failed code=535 enhanced='5.7.8' transient=false phase=auth
ok: PLAIN: wrong password not shown
LOGIN: SmtpDiag\AuthenticationException category=auth_failed code=535 enhanced='5.7.8' transient=false phase=auth
ok: LOGIN: wrong password not shown
CRAM-MD5: SmtpDiag\AuthenticationException category=auth_failed code=535 enhanced='5.7.8' transient=false phase=auth
ok: CRAM-MD5: wrong password not shown
SCRAM-SHA-256: SmtpDiag\AuthenticationException category=auth_failed code=535 enhanced='5.7.8' transient=false phase=auth
ok: SCRAM-SHA-256: wrong password not shown
auto: SmtpDiag\AuthenticationException category=auth_failed code=535 enhanced='5.7.8' transient=false phase=auth
ok: auto: wrong password not shown
=== SCRAM-SHA-256: the server's signature is checked (proxy to the smtps port)
pass: authenticated
ok: pass: proxy saw the SCRAM server-final message
ok: pass: no password shown
tamper: SmtpDiag\AuthenticationException category=auth_failed code=NULL enhanced=NULL transient=false phase=auth
ok: tamper: the message names the signature
ok: tamper: not connected afterwards
ok: tamper: proxy saw the SCRAM server-final message
ok: tamper: no password shown
=== plain port: STARTTLS offered, AUTH only after TLS
none: SmtpDiag\AuthenticationException category=auth_unsupported code=NULL enhanced=NULL transient=false phase=auth
ok: none: the hint mentions encryption
ok: none: no AUTH command sent
ok: none: no password shown
auto: EHLO STARTTLS EHLO AUTH -> starttls
ok: auto: AUTH inside TLS with SCRAM-SHA-256
ok: Postfix log (plain): no AUTH in the unencrypted session, AUTH after STARTTLS in the second
ok: Postfix log (submission): 5 sessions authenticated, 5 refused
Postfix log, failed AUTH by mechanism: PLAIN x1, LOGIN x1, CRAM-MD5 x1, SCRAM-SHA-256 x2
ok: Postfix log (smtps): 5 direct sessions and 1 through the proxy authenticated
done
