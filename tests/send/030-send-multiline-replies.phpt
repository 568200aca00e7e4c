--TEST--
Multi-line replies in send() results: SendResult->reply and the accepted/rejected entries keep the lines joined with "\n" (as smtpdiag_classify() does), exception messages join them with " / " (as for every other reply); other control characters are escaped
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: m\r\n\r\nm\r\n";
$rcptNo = "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550 5.1.1 double-checking the recipient's email address for typos.\r\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), [
    ['expect', 'MAIL FROM:'], ['expect', 'RCPT TO:<ok@example.net>'], ['expect', 'RCPT TO:<no@example.net>'],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n$rcptNo"],
    ['expect', 'RSET'], ['send', "250 2.0.0 Ok\r\n"],
    ['expect', 'MAIL FROM:'], ['expect', 'RCPT TO:<ok@example.net>'], ['expect', 'RCPT TO:<no@example.net>'], ['expect', 'DATA'],
    ['send', "250 2.1.0 Ok\r\n250-2.1.5 Ok\r\n250 2.1.5 \x1B[31mred\x1B[0m\r\n{$rcptNo}354 go\r\n"],
    ['expect_data'],
    ['send', "250-2.0.0 Ok\r\n250 2.0.0 queued as MULTI\r\n"],
    ['expect', 'QUIT'], ['send', "221 Bye\r\n"],
]), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);

$e = sdiag_expect_throw(fn () => $c->send('s@example.com', ['ok@example.net', 'no@example.net'], $msg));
$r = $c->send('s@example.com', ['ok@example.net', 'no@example.net'], $msg, ['partial' => true]);
var_dump($r->reply, $r->queueId, $r->accepted[0]['reply'], $r->rejected[0]['reply']);
$c->quit();
unset($c);
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();
var_dump(smtpdiag_classify("250-2.0.0 Ok\r\n250 2.0.0 queued as MULTI\r\n")['text']);
?>
--EXPECT--
SmtpDiag\RecipientException: 1 of 2 recipients were rejected; nothing was sent (set partial to deliver to the accepted ones): <no@example.net> 550 5.1.1 The email account that you tried to reach does not exist. Please try / 5.1.1 double-checking the recipient's email address for typos.
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: The recipient mailbox does not exist or does not accept mail: check the address.
string(30) "2.0.0 Ok
2.0.0 queued as MULTI"
string(5) "MULTI"
string(33) "2.1.5 Ok
2.1.5 \x1B[31mred\x1B[0m"
string(137) "5.1.1 The email account that you tried to reach does not exist. Please try
5.1.1 double-checking the recipient's email address for typos."
server exit 0
string(30) "2.0.0 Ok
2.0.0 queued as MULTI"
