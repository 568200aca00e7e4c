--TEST--
Timeouts: final_timeout bounds the wait for the reply to the end of data: no reply gives a TimeoutException in phase data after final_timeout (not data_timeout or the overall timeout), "the reply to the end of the message", delivery state unknown and no retry even with retries=2; a final reply slower than data_timeout but within final_timeout is waited for
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$env = [['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data']];
$msg = "Subject: x\r\n\r\nhi\r\n";

echo "=== no reply to the dot: final_timeout 0.5 s, data_timeout 5 s\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), $env, [['wait_close']]), ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'command_timeout' => 5, 'data_timeout' => 5, 'final_timeout' => 0.5,
    'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$elapsed = sdiag_timed(fn () => $c->send('s@example.com', 'r@example.net', $msg), $e);
sdiag_print_exception($e);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected());
sdiag_check_below('elapsed', $elapsed, 0.5 + 2.0);
echo 'attempt lines: ', sdiag_count_entries($e->getTranscript(), '/^attempt /'), "\n";
echo 'connections: ', sdiag_count_entries($e->getTranscript(), '/^connecting to /'), "\n";
unset($c, $e);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== the reply to the dot comes after 1.5 s: final_timeout 5 s, data_timeout 0.5 s\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), $env,
    [['sleep', 1500], ['send', "250 2.0.0 Ok: queued as SLOW\r\n"]], sdiag_quit_steps()), ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'command_timeout' => 5, 'data_timeout' => 0.5, 'final_timeout' => 5]);
$elapsed = sdiag_timed(function () use ($c, $msg) {
    $r = $c->send('s@example.com', 'r@example.net', $msg);
    echo "queued as {$r->queueId}, attempts {$r->attempts}\n";
}, $e);
if ($e) {
    sdiag_print_exception($e);
}
$c->quit();
unset($c, $e);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
=== no reply to the dot: final_timeout 0.5 s, data_timeout 5 s
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the reply to the end of the message (data phase) (delivery state unknown: the end of data was sent but not answered; not sent again)
category: timeout
phase: data
code: NULL
enhanced: NULL
transient: false
hint: The end of the message was sent but never answered: %s
bool(true)
bool(false)
elapsed: below 2.5 s
attempt lines: 0
connections: 1
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
hi\r\n
.\r\n
--- CLOSED ---
--- exit 0 ---
=== the reply to the dot comes after 1.5 s: final_timeout 5 s, data_timeout 0.5 s
queued as SLOW, attempts 1
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
hi\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
