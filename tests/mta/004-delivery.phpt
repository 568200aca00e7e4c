--TEST--
Real MTA, delivery: a message with CRLF, bare LF, bare CR, leading dots, a lone "." line and 8-bit UTF-8 (BODY=8BITMIME) arrives byte for byte as normalised (every line ending a line break, dot-stuffing undone); sendText() with a non-ASCII subject and text decodes back to the input
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
$alice = $mta->address('alice');
$c = new SmtpDiag\Client($mta->dsn('submission', 'alice'), mta_opts($mta));

echo "=== line endings, dots, 8-bit\n";
$body = "CRLF line\r\n"
    . "bare LF line\n"
    . "bare CR line\r"
    . ".leading dot (CRLF)\r\n"
    . ".leading dot (LF)\n"
    . ".leading dot (CR)\r"
    . "..two leading dots\r\n"
    . ".\r\n"                       // a line that is just "."
    . "after a lone dot (LF)\n"
    . ".\n"
    . "after a lone dot (CR)\r"
    . ".\r"
    . "after a lone dot (CR) again\r\n"
    . " .space then dot\r\n"
    . "Grüße aus Köln, naïve café — ✓ 日本語\r\n"
    . "Latin-1 looking bytes in UTF-8: \xC3\xA9\xC3\xA0\xC3\xBF\n"
    . "LF then CR\n\r"
    . "CR CR LF\r\r\n"
    . "\r\n"                        // an empty line
    . "trailing spaces and tab \t \r\n"
    . "last line, no line ending";
$msg = "From: <$alice>\r\nTo: <$alice>\r\nSubject: bytes\r\nMIME-Version: 1.0\r\n"
    . "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" . $body;

// Expected: every CRLF, bare CR and bare LF is one line break (Postfix stores
// LF only), the message ends with one, dot-stuffing is undone by the server.
$expected = preg_replace('/\r\n|\r|\n/', "\n", $msg);
if (!str_ends_with($expected, "\n")) {
    $expected .= "\n";
}

try {
    $r = $c->send($alice, $alice, $msg);
    echo 'sent: ', $r->code, ' ', $r->enhancedStatus, "\n";
    $mail = mta_lines($c->getTranscript(), 'client', '/^MAIL FROM:/');
    mta_t('MAIL FROM declares BODY=8BITMIME', count($mail) === 1 && str_contains($mail[0]['text'], ' BODY=8BITMIME'),
        $mail[0]['text'] ?? '(no MAIL FROM)');
    $got = $mta->waitForMail('alice', 1, 10.0);
    $d = mta_split_delivered($got[0]);
    mta_t('Postfix prepended Return-Path, X-Original-To, Delivered-To, Received', $d['names'] === ['Return-Path', 'X-Original-To', 'Delivered-To', 'Received'],
        implode(', ', $d['names']));
    mta_t('Received: names the queue id of the 250 reply',
        is_string($r->queueId) && str_contains($d['added'], "with ESMTPSA id {$r->queueId}\n"), $d['added']);
    if (!mta_t('the rest is the message as normalised, byte for byte', $d['rest'] === $expected, 'got ' . strlen($d['rest']) . ' bytes, expected ' . strlen($expected))) {
        $g = explode("\n", $d['rest']);
        $x = explode("\n", $expected);
        for ($i = 0; $i < max(count($g), count($x)); $i++) {
            if (($g[$i] ?? null) !== ($x[$i] ?? null)) {
                echo "  first difference at line $i:\n  got:      ", mta_show($g[$i] ?? '(none)'), "\n  expected: ", mta_show($x[$i] ?? '(none)'), "\n";
                break;
            }
        }
    }
    mta_t('no CR stored', !str_contains($got[0], "\r"));
} catch (Throwable $e) {
    mta_t('send', false, mta_exc($e) . ': ' . $e->getMessage());
}
$mta->clearMail('alice');

echo "=== sendText()\n";
$subject = 'Grüße aus Köln — Prüfung ✓ 日本語, a long subject that has to be encoded and folded over more than one line';
$text = "Hallo Alice,\n"
    . "Umlaute: äöü ÄÖÜ ß, Symbole: € ✓ — and an equals sign = here\n"
    . "a line with trailing space \n"
    . ".a line with a leading dot\n"
    . ".\n"
    . str_repeat('lang ', 30) . "ende\n"
    . "Windows line end\r\n"
    . "old Mac line end\r"
    . "last line ✓\n";
try {
    $r = $c->sendText($alice, $alice, $subject, $text);
    echo 'sent: ', $r->code, ' ', $r->enhancedStatus, "\n";
    $got = $mta->waitForMail('alice', 1, 10.0);
    $d = mta_split_delivered($got[0]);
    [$head, $rawBody] = mta_head_body($d['rest']);
    $rawSubject = (string)mta_header($head, 'Subject');
    mta_t('Subject is ASCII (encoded words)', preg_match('/^[\x20-\x7e]+$/', $rawSubject) === 1, $rawSubject);
    mta_t('Subject decodes to the input', mta_mime_decode($rawSubject) === $subject,
        mta_mime_decode($rawSubject) . ' (' . (function_exists('iconv_mime_decode') ? 'iconv' : 'own decoder') . ')');
    foreach (['From' => $alice, 'To' => $alice, 'MIME-Version' => '1.0'] as $name => $value) {
        mta_t("$name: $value", mta_header($head, $name) === $value, (string)mta_header($head, $name));
    }
    mta_t('Content-Type: text/plain, charset UTF-8',
        preg_match('/^text\/plain;\s*charset="?UTF-8"?$/i', (string)mta_header($head, 'Content-Type')) === 1, (string)mta_header($head, 'Content-Type'));
    mta_t('Date and Message-ID present', mta_header($head, 'Date') !== null
        && preg_match('/^<[^<>@\s]+@[^<>@\s]+>$/', (string)mta_header($head, 'Message-ID')) === 1, $head);
    $cte = strtolower((string)mta_header($head, 'Content-Transfer-Encoding'));
    echo "Content-Transfer-Encoding: $cte\n";
    mta_t('the body is 7-bit ASCII with lines of at most 76 characters',
        preg_match('/[^\x09\x0a\x20-\x7e]/', $rawBody) === 0 && max(array_map('strlen', explode("\n", $rawBody))) <= 76, $rawBody);
    $decoded = match ($cte) {
        'quoted-printable' => quoted_printable_decode($rawBody),
        'base64' => (string)base64_decode($rawBody),
        default => $rawBody,
    };
    $want = preg_replace('/\r\n|\r|\n/', "\n", $text);
    if (!mta_t('the body decodes to the text (line ends as line breaks)', $decoded === $want, '')) {
        echo '  got:      ', mta_show($decoded), "\n  expected: ", mta_show($want), "\n";
    }
} catch (Throwable $e) {
    mta_t('sendText', false, mta_exc($e) . ': ' . $e->getMessage());
}
$c->quit();
$mta->stop();
echo "done\n";
?>
--EXPECT--
=== line endings, dots, 8-bit
sent: 250 2.0.0
ok: MAIL FROM declares BODY=8BITMIME
ok: Postfix prepended Return-Path, X-Original-To, Delivered-To, Received
ok: Received: names the queue id of the 250 reply
ok: the rest is the message as normalised, byte for byte
ok: no CR stored
=== sendText()
sent: 250 2.0.0
ok: Subject is ASCII (encoded words)
ok: Subject decodes to the input
ok: From: alice@test.example
ok: To: alice@test.example
ok: MIME-Version: 1.0
ok: Content-Type: text/plain, charset UTF-8
ok: Date and Message-ID present
Content-Transfer-Encoding: quoted-printable
ok: the body is 7-bit ASCII with lines of at most 76 characters
ok: the body decodes to the text (line ends as line breaks)
done
