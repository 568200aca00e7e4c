--TEST--
send() on a reused connection that went away while idle: closed by the server, or a 421 before closing, or a NOOP liveness check (ping_threshold) answered 421: the next send() reconnects transparently and succeeds; a NOOP answered 250 keeps the connection
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php if (!is_readable('/proc/net/tcp')) die('skip needs /proc/net/tcp to see the server close the idle connection'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: again\r\n\r\nagain\r\n";

function txn(string $id): array
{
    return [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as $id\r\n"],
    ];
}

/**
 * Two sends; the server closes the first connection while it is idle (after
 * $waitClose, or on NOOP). With $racy the server's 421 may reach the client
 * together with the final reply of the first send: then the first send sees
 * it, otherwise the second; only the part from the reconnection on is shown.
 */
function run(string $title, array $first, array $second, array $options, bool $waitClose, bool $racy = false): void
{
    global $msg;
    echo "=== $title\n";
    $srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [$first, $second]]);
    $c = new SmtpDiag\Client($srv->dsn(), $options + ['encryption' => 'none', 'timeout' => 5]);
    $r = $c->send('s@example.com', 'r@example.net', $msg);
    echo $r->queueId, "\n";
    $t1 = sdiag_dialogue($c);
    if ($waitClose) {
        echo 'server closed the idle connection: ', var_export(sdiag_wait_server_closed($srv->port), true), "\n";
    }
    $r = $c->send('s@example.com', 'r@example.net', $msg);
    echo $r->queueId, ' attempts ', $r->attempts, ' reconnected ', var_export($r->timings['connect_ms'] > 0, true), "\n";
    $t2 = sdiag_dialogue($c);
    if ($racy) {
        echo '421 in a transcript: ', var_export(str_contains($t1 . $t2, '<-  421 4.4.2 mx.test.example Error: timeout exceeded'), true), "\n";
        $t2 = substr($t2, (int)strpos($t2, '<-  220 '));
    }
    echo $t2;
    var_dump($c->isConnected());
    $c->quit();
    unset($c);
    echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
}

$start = sdiag_session_start('PIPELINING');
$quit = [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]];

run('closed while idle', [...$start, ...txn('ONE'), ['close']], [...$start, ...txn('TWO'), ...$quit], [], true);
run('421 while idle', [...$start, ...txn('ONE'), ['send', "421 4.4.2 mx.test.example Error: timeout exceeded\r\n"], ['close']],
    [...$start, ...txn('TWO'), ...$quit], [], true, true);
run('NOOP answered 421', [...$start, ...txn('ONE'), ['expect', "NOOP\r\n"], ['send', "421 4.3.2 Service shutting down\r\n"], ['close']],
    [...$start, ...txn('TWO'), ...$quit], ['ping_threshold' => 0.000001], false);

echo "=== NOOP answered 250: same connection\n";
$srv = SmtpTestServer::start([...$start, ...txn('ONE'), ['expect', "NOOP\r\n"], ['send', "250 2.0.0 Ok\r\n"], ...txn('TWO'), ...$quit], ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'ping_threshold' => 0.000001]);
$c->send('s@example.com', 'r@example.net', $msg);
$r = $c->send('s@example.com', 'r@example.net', $msg);
echo $r->queueId, ' reconnected ', var_export($r->timings['connect_ms'] > 0, true), "\n";
echo sdiag_dialogue($c);
$c->quit();
unset($c);
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
=== closed while idle
ONE
server closed the idle connection: true
TWO attempts 1 reconnected true
=== the server closed the idle connection
=== the connection went stale: reconnecting
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 PIPELINING
 -> MAIL FROM:<s@example.com>
 -> RCPT TO:<r@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  354 go
=== message: 25 bytes
 -> .
<-  250 2.0.0 Ok: queued as TWO
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: again\r\n
\r\n
again\r\n
.\r\n
--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: again\r\n
\r\n
again\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== 421 while idle
ONE
server closed the idle connection: true
TWO attempts 1 reconnected true
421 in a transcript: true
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 PIPELINING
 -> MAIL FROM:<s@example.com>
 -> RCPT TO:<r@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  354 go
=== message: 25 bytes
 -> .
<-  250 2.0.0 Ok: queued as TWO
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: again\r\n
\r\n
again\r\n
.\r\n
--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: again\r\n
\r\n
again\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== NOOP answered 421
ONE
TWO attempts 1 reconnected true
 -> NOOP
<-  421 4.3.2 Service shutting down
%A
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 PIPELINING
 -> MAIL FROM:<s@example.com>
 -> RCPT TO:<r@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  354 go
=== message: 25 bytes
 -> .
<-  250 2.0.0 Ok: queued as TWO
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: again\r\n
\r\n
again\r\n
.\r\n
NOOP\r\n
%A--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: again\r\n
\r\n
again\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== NOOP answered 250: same connection
TWO reconnected false
 -> NOOP
<-  250 2.0.0 Ok
 -> MAIL FROM:<s@example.com>
 -> RCPT TO:<r@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  354 go
=== message: 25 bytes
 -> .
<-  250 2.0.0 Ok: queued as TWO
--- exit 0 ---
