--TEST--
send(): every line ending (LF, CR, CRLF) goes out as CRLF and lines starting with "." are dot-stuffed, so no bare "\n.\n", "\r.\n", "\n.\r\n" or "\r.\r" in a message can end DATA early (SMTP smuggling); exact bytes on the wire
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

/** Reference encoder: CRLF normalisation, dot-stuffing, terminator. */
function encode(string $m): string
{
    $lines = preg_split('/\r\n|\r|\n/', $m);
    $last = array_pop($lines);
    if ($last !== '') {
        $lines[] = $last;
    }
    $out = '';
    foreach ($lines as $l) {
        $out .= ($l !== '' && $l[0] === '.' ? '.' : '') . $l . "\r\n";
    }
    return $out . ".\r\n";
}

/** The DATA sections of a record: from after "DATA\r\n" up to and including the first end-of-data. */
function data_sections(string $record): array
{
    $out = [];
    $pos = 0;
    while (($d = strpos($record, "DATA\r\n", $pos)) !== false) {
        $start = $d + 6;
        if (substr($record, $start, 3) === ".\r\n") {
            $end = $start + 3;
        } else {
            $e = strpos($record, "\r\n.\r\n", $start);
            $end = $e === false ? strlen($record) : $e + 5;
        }
        $out[] = substr($record, $start, $end - $start);
        $pos = $end;
    }
    return $out;
}

$messages = [
    "a\nb\r\nc\rd\n.\n..x\r\n.\r\nend",
    "Subject: smuggle LF\n\nhi\n.\nMAIL FROM:<evil@example.com>\nRCPT TO:<victim@example.net>\n",
    "Subject: smuggle CR\r\n\r\nhi\r.\r\nMAIL FROM:<evil@example.com>\r\n",
    "Subject: smuggle mixed\r\n\r\nhi\r\n.\nQUIT\r\n",
    "Subject: smuggle CR CR\r\n\r\nhi\r.\rNOOP\r\n",
    "Subject: smuggle LF CRLF\r\n\r\nhi\n.\r\nNOOP\r\n",
    '',
    '.',
    "\r\n",
    "\n\n",
    "\r\r\n",
    "..\r\n...",
    "no newline at the end\r",
    ". leading dot line\r\n.\r\n.\r\n",
];

$steps = sdiag_session_start('PIPELINING', 'SIZE 100000');
foreach ($messages as $i => $m) {
    array_push($steps,
        ['expect', 'MAIL FROM:<s@example.com> SIZE='],
        ['expect', "RCPT TO:<r@example.net>\r\n"],
        ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as M$i\r\n"]);
}
array_push($steps, ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]);
$srv = SmtpTestServer::start($steps, ['timeout' => 5]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$sizes = [];
foreach ($messages as $i => $m) {
    $r = $c->send('s@example.com', 'r@example.net', $m);
    $sizes[] = $r->size;
    if ($r->queueId !== "M$i") {
        echo "message $i: queue id ", var_export($r->queueId, true), "\n";
    }
}
$c->quit();
unset($c);
$record = $srv->received();
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();

preg_match_all('/^MAIL FROM:<s@example\.com> SIZE=(\d+)\r\n/m', $record, $declared);
$sections = data_sections($record);
echo count($sections), " DATA sections\n";
foreach ($messages as $i => $m) {
    $wire = $sections[$i] ?? '(missing)';
    $expected = encode($m);
    // RFC 1870: the size is the message with CRLF line endings, before dot-stuffing.
    $size = strlen($expected) - 3 - substr_count("\r\n" . $expected, "\r\n.") + 1;
    $clean = !preg_match('/\r(?!\n)|(?<!\r)\n/', $wire);
    printf("%2d %-60s %s%s, SIZE=%s (%s), result size %d\n", $i, sdiag_show($m), $wire === $expected ? 'exact' : 'MISMATCH: ' . sdiag_show($wire),
        $clean ? '' : ' (bare CR or LF)', $declared[1][$i] ?? '?', ($declared[1][$i] ?? '') === (string)$size ? 'ok' : "expected $size", $sizes[$i]);
}
echo "--- the first message on the wire ---\n", sdiag_show($sections[0]), "\n";
?>
--EXPECT--
server exit 0
14 DATA sections
 0 a\nb\r\nc\rd\n.\n..x\r\n.\r\nend                             exact, SIZE=28 (ok), result size 28
 1 Subject: smuggle LF\n\nhi\n.\nMAIL FROM:<evil@example.com>\nRCPT TO:<victim@example.net>\n exact, SIZE=90 (ok), result size 90
 2 Subject: smuggle CR\r\n\r\nhi\r.\r\nMAIL FROM:<evil@example.com>\r\n exact, SIZE=60 (ok), result size 60
 3 Subject: smuggle mixed\r\n\r\nhi\r\n.\nQUIT\r\n              exact, SIZE=39 (ok), result size 39
 4 Subject: smuggle CR CR\r\n\r\nhi\r.\rNOOP\r\n                exact, SIZE=39 (ok), result size 39
 5 Subject: smuggle LF CRLF\r\n\r\nhi\n.\r\nNOOP\r\n            exact, SIZE=41 (ok), result size 41
 6                                                              exact, SIZE=0 (ok), result size 0
 7 .                                                            exact, SIZE=3 (ok), result size 3
 8 \r\n                                                         exact, SIZE=2 (ok), result size 2
 9 \n\n                                                         exact, SIZE=4 (ok), result size 4
10 \r\r\n                                                       exact, SIZE=4 (ok), result size 4
11 ..\r\n...                                                    exact, SIZE=9 (ok), result size 9
12 no newline at the end\r                                      exact, SIZE=23 (ok), result size 23
13 . leading dot line\r\n.\r\n.\r\n                             exact, SIZE=26 (ok), result size 26
--- the first message on the wire ---
a\r\nb\r\nc\r\nd\r\n..\r\n...x\r\n..\r\nend\r\n.\r\n
