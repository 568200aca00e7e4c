--TEST--
sendText(): Date, Message-ID, From (from_name quoted, or RFC 2047 encoded when non-ASCII or special), To, Subject (RFC 2047 =?UTF-8?B?...?= when non-ASCII, lines of at most 76 characters), MIME-Version, Content-Type text/plain; charset=UTF-8, 7bit or quoted-printable: what the server received decodes back to the subject and text
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

/** The message of the $n-th DATA section of a record, dot-stuffing undone. */
function received_message(string $record, int $n): string
{
    $pos = 0;
    for ($i = 0; $i <= $n; $i++) {
        $start = strpos($record, "DATA\r\n", $pos) + 6;
        $end = strpos($record, "\r\n.\r\n", $start);
        $pos = $end + 5;
    }
    return preg_replace('/^\./m', '', substr($record, $start, $end + 2 - $start));
}

/** RFC 2047 decoding (B and Q, UTF-8 only) of an unfolded header value. */
function decode_words(string $v): string
{
    $v = preg_replace('/(\?=)\s+(=\?)/', '$1$2', $v);
    return preg_replace_callback('/=\?UTF-8\?([BQ])\?([^?]*)\?=/i', function ($m) {
        return strtoupper($m[1]) === 'B' ? base64_decode($m[2], true) : quoted_printable_decode(str_replace('_', ' ', $m[2]));
    }, $v);
}

/** Parse and check a received message; print its headers with variable parts replaced. */
function inspect(string $message, string $subject, string $text, string $sender): void
{
    [$head, $body] = explode("\r\n\r\n", $message, 2);
    $long = [];
    foreach (explode("\r\n", $head) as $line) {
        if (strlen($line) > (str_contains($line, '=?') ? 76 : 78)) {
            $long[] = $line;
        }
    }
    foreach (explode("\r\n", $body) as $line) {
        if (strlen($line) > 76) {
            $long[] = $line;
        }
    }
    $headers = [];
    foreach (preg_split('/\r\n(?![ \t])/', $head) as $field) {
        [$name, $value] = explode(':', $field, 2);
        $headers[] = [$name, ltrim($value, ' ')];
    }
    echo 'header names: ', implode(', ', array_column($headers, 0)), "\n";
    $h = array_column($headers, 1, 0);
    $date = strtotime($h['Date']);
    echo 'Date: ', preg_match('/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/D', $h['Date']) ? 'RFC 5322' : 'BAD ' . $h['Date'],
        $date !== false && abs($date - time()) < 600 ? ', now' : ', NOT NOW', "\n";
    $domain = substr($sender, strrpos($sender, '@') + 1);
    echo 'Message-ID: ', preg_match('/^<[0-9a-f]{32}@' . preg_quote($domain, '/') . '>$/D', $h['Message-ID']) ? "<32 hex digits@$domain>" : 'BAD ' . $h['Message-ID'], "\n";
    echo 'From: ', sdiag_show($h['From']), ' => ', decode_words(preg_replace('/\r\n[ \t]/', ' ', $h['From'])), "\n";
    echo 'To: ', sdiag_show($h['To']), "\n";
    $decodedSubject = decode_words(preg_replace('/\r\n[ \t]/', ' ', $h['Subject']));
    echo 'Subject: ', sdiag_show($h['Subject']), ' => ', $decodedSubject === $subject ? 'round-trips' : 'DIFFERS: ' . $decodedSubject, "\n";
    foreach (['MIME-Version', 'Content-Type', 'Content-Transfer-Encoding'] as $name) {
        echo "$name: {$h[$name]}\n";
    }
    echo 'User-Agent: ', preg_match('/^smtpdiag\/\d+\.\d+\.\d+\S*$/', $h['User-Agent'] ?? '') ? 'smtpdiag/<version>' : 'BAD', "\n";
    $decodedBody = $h['Content-Transfer-Encoding'] === 'quoted-printable' ? quoted_printable_decode($body) : $body;
    $expectedBody = preg_replace('/\r\n|\r|\n/', "\r\n", $text);
    echo 'body: ', $decodedBody === $expectedBody || $decodedBody === $expectedBody . "\r\n" ? 'round-trips' : 'DIFFERS: ' . sdiag_show($decodedBody), "\n";
    echo '7-bit: ', var_export(!preg_match('/[\x80-\xff]/', $message), true), ', lines too long: ', json_encode($long, JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}

$cases = [
    'ASCII' => ['alice@example.com', ['bob@example.net', 'carol@example.org'], 'Quarterly report', "Hello Bob,\n\nsee the attached figures.\n-- \nAlice", ['from_name' => 'Alice Example']],
    'UTF-8' => ['juergen@example.com', 'zoe@example.net',
        "Grüße aus Köln – Einladung zum Jahresabschlussessen am 12. Dezember 🎉 東京",
        "Liebe Zoë,\r\nwir laden herzlich ein: Café, Crème brûlée & Glühwein.\r\n.\r\n" . str_repeat('Sehr lange Zeile ohne Umbruch äöü ', 5) . "\r\nLeerzeichen am Ende   \r\n= Gleichheitszeichen\r\nEnde",
        ['from_name' => 'Jürgen Groß']],
    'UTF-8 addresses' => ['jürgen@bücher.example', 'zoë@example.net', 'Grüße', "Zoë\n", ['from_name' => 'Jürgen']],
    'special from_name' => ['bob@example.com', 'r@example.net', 'Hi', "short\n", ['from_name' => 'Bob "the builder" \\o/']],
    'no from_name' => ['n@example.com', 'r@example.net', '', '', []],
];

$steps = sdiag_session_start('PIPELINING', '8BITMIME', 'SMTPUTF8', 'SIZE 100000');
foreach ($cases as [$from, $to]) {
    $steps[] = ['expect', 'MAIL FROM:'];
    foreach ((array)$to as $t) {
        $steps[] = ['expect', 'RCPT TO:'];
    }
    array_push($steps, ['send', "250 Ok\r\n" . str_repeat("250 Ok\r\n", count((array)$to))], ['expect', 'DATA'], ['send', "354 go\r\n"],
        ['expect_data'], ['send', "250 Ok: queued as T\r\n"]);
}
array_push($steps, ['expect', 'QUIT'], ['send', "221 Bye\r\n"]);
$srv = SmtpTestServer::start($steps, ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
foreach ($cases as $name => [$from, $to, $subject, $text, $options]) {
    $r = $c->sendText($from, $to, $subject, $text, $options);
    $sizes[] = $r->size;
    echo "$name: {$r->queueId}\n";
}
$c->quit();
unset($c);
$record = $srv->received();
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();
preg_match_all('/^(MAIL FROM:.*?) SIZE=(\d+)(.*)\r$/m', $record, $mails, PREG_SET_ORDER);
foreach ($mails as $i => $m) {
    echo sdiag_show($m[1] . ' SIZE=<n>' . $m[3]), $m[2] === (string)$sizes[$i] ? ' (= SendResult->size)' : " (SendResult->size {$sizes[$i]})", "\n";
}
$i = 0;
foreach ($cases as $name => [$from, $to, $subject, $text]) {
    echo "=== $name\n";
    inspect(received_message($record, $i++), $subject, $text, $from);
}
?>
--EXPECTF--
ASCII: T
UTF-8: T
UTF-8 addresses: T
special from_name: T
no from_name: T
server exit 0
MAIL FROM:<alice@example.com> SIZE=<n> (= SendResult->size)
MAIL FROM:<juergen@example.com> SIZE=<n> (= SendResult->size)
MAIL FROM:<j\303\274rgen@b\303\274cher.example> SIZE=<n> BODY=8BITMIME SMTPUTF8 (= SendResult->size)
MAIL FROM:<bob@example.com> SIZE=<n> (= SendResult->size)
MAIL FROM:<n@example.com> SIZE=<n> (= SendResult->size)
=== ASCII
header names: Date, Message-ID, From, To, Subject, MIME-Version, Content-Type, Content-Transfer-Encoding, User-Agent
Date: RFC 5322, now
Message-ID: <32 hex digits@example.com>
From: "Alice Example" <alice@example.com> => "Alice Example" <alice@example.com>
To: bob@example.net, carol@example.org
Subject: Quarterly report => round-trips
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit
User-Agent: smtpdiag/<version>
body: round-trips
7-bit: true, lines too long: []
=== UTF-8
header names: Date, Message-ID, From, To, Subject, MIME-Version, Content-Type, Content-Transfer-Encoding, User-Agent
Date: RFC 5322, now
Message-ID: <32 hex digits@example.com>
From: =?UTF-8?B?SsO8cmdlbiBHcm/Dnw==?= <juergen@example.com> => Jürgen Groß <juergen@example.com>
To: zoe@example.net
Subject: =?UTF-8?B?%s?= => round-trips
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable
User-Agent: smtpdiag/<version>
body: round-trips
7-bit: true, lines too long: []
=== UTF-8 addresses
header names: Date, Message-ID, From, To, Subject, MIME-Version, Content-Type, Content-Transfer-Encoding, User-Agent
Date: RFC 5322, now
Message-ID: <32 hex digits@bücher.example>
From: =?UTF-8?B?SsO8cmdlbg==?= <j\303\274rgen@b\303\274cher.example> => Jürgen <jürgen@bücher.example>
To: zo\303\253@example.net
Subject: =?UTF-8?B?R3LDvMOfZQ==?= => round-trips
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable
User-Agent: smtpdiag/<version>
body: round-trips
7-bit: false, lines too long: []
=== special from_name
header names: Date, Message-ID, From, To, Subject, MIME-Version, Content-Type, Content-Transfer-Encoding, User-Agent
Date: RFC 5322, now
Message-ID: <32 hex digits@example.com>
From: =?UTF-8?B?Qm9iICJ0aGUgYnVpbGRlciIgXG8v?= <bob@example.com> => Bob "the builder" \o/ <bob@example.com>
To: r@example.net
Subject: Hi => round-trips
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit
User-Agent: smtpdiag/<version>
body: round-trips
7-bit: true, lines too long: []
=== no from_name
header names: Date, Message-ID, From, To, Subject, MIME-Version, Content-Type, Content-Transfer-Encoding, User-Agent
Date: RFC 5322, now
Message-ID: <32 hex digits@example.com>
From: n@example.com => n@example.com
To: r@example.net
Subject:  => round-trips
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit
User-Agent: smtpdiag/<version>
body: round-trips
7-bit: true, lines too long: []
