--TEST--
Timeouts: command_timeout on MAIL FROM and on RCPT TO (pipelined, and one command at a time): a server that stops answering gives a TimeoutException in phase mail / rcpt naming the reply awaited, after command_timeout rather than the 5 s timeout, data_timeout or final_timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$opts = ['encryption' => 'none', 'timeout' => 5, 'command_timeout' => 0.5, 'banner_timeout' => 5, 'data_timeout' => 5, 'final_timeout' => 5];
$cases = [
    'no reply to MAIL FROM, pipelined' => [['PIPELINING'], [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"], ['wait_close']]],
    'no reply to RCPT TO, pipelined' => [['PIPELINING'], [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n"], ['wait_close']]],
    'no reply to MAIL FROM, no PIPELINING' => [['8BITMIME'], [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['wait_close']]],
    'no reply to RCPT TO, no PIPELINING' => [['8BITMIME'], [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['send', "250 2.1.0 Ok\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['wait_close']]],
];
foreach ($cases as $title => [$ext, $steps]) {
    echo "=== $title\n";
    $srv = SmtpTestServer::start(array_merge(sdiag_session_start(...$ext), $steps), ['timeout' => 10]);
    $c = new SmtpDiag\Client($srv->dsn(), $opts);
    $c->connect();
    $elapsed = sdiag_timed(fn () => $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n"), $e);
    echo get_class($e), ': ', $e->getMessage(), "\n";
    echo 'phase: ', $e->getPhase(), ', category: ', $e->getCategory(), ', transient: ', var_export($e->isTransient(), true), "\n";
    var_dump($c->isConnected());
    sdiag_check_below('elapsed', $elapsed, 0.5 + 2.0);
    unset($c, $e);
    echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
}
?>
--EXPECT--
=== no reply to MAIL FROM, pipelined
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the reply to MAIL FROM (mail phase)
phase: mail, category: timeout, transient: true
bool(false)
elapsed: below 2.5 s
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
--- CLOSED ---
--- exit 0 ---
=== no reply to RCPT TO, pipelined
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the reply to RCPT TO (rcpt phase)
phase: rcpt, category: timeout, transient: true
bool(false)
elapsed: below 2.5 s
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
--- CLOSED ---
--- exit 0 ---
=== no reply to MAIL FROM, no PIPELINING
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the reply to MAIL FROM (mail phase)
phase: mail, category: timeout, transient: true
bool(false)
elapsed: below 2.5 s
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
--- CLOSED ---
--- exit 0 ---
=== no reply to RCPT TO, no PIPELINING
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the reply to RCPT TO (rcpt phase)
phase: rcpt, category: timeout, transient: true
bool(false)
elapsed: below 2.5 s
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
--- CLOSED ---
--- exit 0 ---
