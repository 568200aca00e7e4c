--TEST--
send(): a 3 MB message with mixed line endings, dot lines everywhere and a 300 KB line is streamed in several chunks and arrives exactly normalised and dot-stuffed (no stuffing inside a line at a chunk boundary, none missed at the start of a line)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

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

mt_srand(20240501);
$eols = ["\n", "\r\n", "\r"];
$m = "Subject: big\r\n\r\n";
while (strlen($m) < 1500000) {
    $len = mt_rand(0, 120);
    $line = $len ? str_repeat(chr(mt_rand(0x61, 0x7a)), $len) : '';
    if (mt_rand(0, 3) === 0) {
        $line = str_repeat('.', mt_rand(1, 3)) . $line;
    }
    $m .= $line . $eols[mt_rand(0, 2)];
}
// one 300 KB line with a dot every 1000 bytes: never at the start of a line
$m .= 'L' . str_repeat(str_repeat('y', 999) . '.', 300) . "\r\n";
while (strlen($m) < 3000000) {
    $m .= (mt_rand(0, 1) ? '.' : '') . str_repeat('z', mt_rand(0, 80)) . $eols[mt_rand(0, 2)];
}
$m .= '.';   // a final dot line without a line ending
$expected = encode($m);
$size = strlen(preg_replace('/\r\n|\r|\n/', "\r\n", $m)) + 2;
printf("message %d bytes, %d on the wire, size %d\n", strlen($m) > 3000000, strlen($expected) > strlen($m), $size > 3000000);

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'SIZE 10000000', '8BITMIME'), [
    ['expect', "MAIL FROM:<big@example.com> SIZE=$size\r\n"],
    ['expect', "RCPT TO:<r@example.net>\r\n"],
    ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as BIG\r\n"],
    ['expect', "QUIT\r\n"],
    ['send', "221 Bye\r\n"],
]), ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 20]);
$r = $c->send('big@example.com', 'r@example.net', $m);
var_dump($r->queueId, $r->size === $size);
$c->quit();
unset($c);
$record = $srv->received();
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();
$start = strpos($record, "DATA\r\n") + 6;
$end = strpos($record, "QUIT\r\n", $start);
$wire = substr($record, $start, $end - $start);
var_dump(strlen($wire) === strlen($expected), md5($wire) === md5($expected));
if ($wire !== $expected) {
    $i = strspn($wire ^ $expected, "\0");
    echo 'first difference at ', $i, ': ', sdiag_show(substr($wire, max(0, $i - 20), 60)), ' vs ', sdiag_show(substr($expected, max(0, $i - 20), 60)), "\n";
}
?>
--EXPECT--
message 1 bytes, 1 on the wire, size 1
string(3) "BIG"
bool(true)
server exit 0
bool(true)
bool(true)
