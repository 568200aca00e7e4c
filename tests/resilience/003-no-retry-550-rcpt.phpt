--TEST--
Retries: a permanent 550 to RCPT TO is not retried even with retries=3: one MAIL FROM, a RecipientException that is not transient, RSET, the connection stays usable
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<nobody@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown\r\n554 5.5.1 Error: no valid recipients\r\n"],
    // a retry would send MAIL FROM here instead
    ['expect', "RSET\r\n"], ['send', "250 2.0.0 Ok\r\n"],
], sdiag_quit_steps()), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 3, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$e = sdiag_expect_throw(fn () => $c->send('s@example.com', 'nobody@example.net', "Subject: x\r\n\r\nhi\r\n"));
var_dump($e instanceof SmtpDiag\RecipientException);
echo 'attempt lines: ', sdiag_count_entries($e->getTranscript(), '/^attempt /'), "\n";
var_dump($c->isConnected());
$c->quit();
unset($c, $e);
$record = $srv->received();
echo 'MAIL FROM received: ', sdiag_count_lines($record, 'MAIL FROM:<s@example.com>'), "\n";
echo "--- server received ---\n", sdiag_show_lines($record), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
SmtpDiag\RecipientException: 1 of 1 recipients were rejected: <nobody@example.net> 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: %s
bool(true)
attempt lines: 0
bool(true)
MAIL FROM received: 1
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<nobody@example.net>\r\n
DATA\r\n
RSET\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
