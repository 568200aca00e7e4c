--TEST--
send() DSN options: dsn_notify (string or list), dsn_ret, dsn_envid, dsn_orcpt become NOTIFY=, RET=, ENVID=, ORCPT=rfc822;<xtext> only when the server offers DSN; invalid values are a ValueError/TypeError before connecting
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: dsn\r\n\r\nd\r\n";
$dsn = ['dsn_notify' => ['success', 'FAILURE'], 'dsn_ret' => 'HDRS', 'dsn_envid' => 'QQ314159', 'dsn_orcpt' => true];
$to = ['a+b=c@example.net', 'plain@example.net'];

function txn(string $mail, string ...$rcpts): array
{
    $steps = [['expect', "$mail\r\n"]];
    foreach ($rcpts as $r) {
        $steps[] = ['expect', "$r\r\n"];
    }
    return array_merge($steps, [
        ['send', "250 2.1.0 Ok\r\n" . str_repeat("250 2.1.5 Ok\r\n", count($rcpts))],
        ['expect', "DATA\r\n"], ['send', "354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as D\r\n"],
    ]);
}

echo "=== DSN offered\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', 'SIZE 1000', 'DSN'),
    txn('MAIL FROM:<s@example.com> SIZE=19 RET=HDRS ENVID=QQ314159',
        'RCPT TO:<a+b=c@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bb+3Dc@example.net',
        'RCPT TO:<plain@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;plain@example.net'),
    txn('MAIL FROM:<s@example.com> SIZE=19 RET=FULL', 'RCPT TO:<a+b=c@example.net> NOTIFY=NEVER', 'RCPT TO:<plain@example.net> NOTIFY=NEVER'),
    txn('MAIL FROM:<s@example.com> SIZE=19', 'RCPT TO:<a+b=c@example.net> NOTIFY=DELAY', 'RCPT TO:<plain@example.net> NOTIFY=DELAY'),
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
echo $c->send('s@example.com', $to, $msg, $dsn)->queueId, "\n";
echo $c->send('s@example.com', $to, $msg, ['dsn_notify' => 'never', 'dsn_ret' => 'full', 'dsn_orcpt' => false])->queueId, "\n";
echo $c->send('s@example.com', $to, $msg, ['dsn_notify' => ['DELAY']])->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines(preg_replace('/DATA\r\n.*?\r\n\.\r\n/s', "DATA\r\n", $srv->received())), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== DSN not offered: no parameters\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', 'SIZE 1000'),
    txn('MAIL FROM:<s@example.com> SIZE=19', 'RCPT TO:<a+b=c@example.net>', 'RCPT TO:<plain@example.net>'),
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
echo $c->send('s@example.com', $to, $msg, $dsn)->queueId, "\n";
$c->quit();
unset($c);
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== invalid values (nothing listens: a connection attempt would be a ConnectionException)\n";
$c = new SmtpDiag\Client('smtp://127.0.0.1:' . SmtpTestServer::refusedPort(), ['encryption' => 'none', 'timeout' => 5]);
foreach ([
    ['dsn_notify' => ['NEVER', 'SUCCESS']],
    ['dsn_notify' => 'BOUNCE'],
    ['dsn_notify' => 'SUCCESS,FAILURE,'],
    ['dsn_notify' => 5],
    ['dsn_notify' => [['SUCCESS']]],
    ['dsn_ret' => 'ALL'],
    ['dsn_envid' => 'has space'],
    ['dsn_envid' => 'a+b'],
    ['dsn_envid' => ''],
    ['dsn_envid' => str_repeat('e', 101)],
] as $options) {
    try {
        $c->send('s@example.com', 'r@example.net', $msg, $options);
        echo "NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo json_encode($options), ' => ', get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
=== DSN offered
D
D
D
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com> SIZE=19 RET=HDRS ENVID=QQ314159\r\n
RCPT TO:<a+b=c@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bb+3Dc@example.net\r\n
RCPT TO:<plain@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;plain@example.net\r\n
DATA\r\n
MAIL FROM:<s@example.com> SIZE=19 RET=FULL\r\n
RCPT TO:<a+b=c@example.net> NOTIFY=NEVER\r\n
RCPT TO:<plain@example.net> NOTIFY=NEVER\r\n
DATA\r\n
MAIL FROM:<s@example.com> SIZE=19\r\n
RCPT TO:<a+b=c@example.net> NOTIFY=DELAY\r\n
RCPT TO:<plain@example.net> NOTIFY=DELAY\r\n
DATA\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== DSN not offered: no parameters
D
--- exit 0 ---
=== invalid values (nothing listens: a connection attempt would be a ConnectionException)
{"dsn_notify":["NEVER","SUCCESS"]} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_notify" cannot combine NEVER with other values (RFC 3461)
{"dsn_notify":"BOUNCE"} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_notify" takes NEVER, or SUCCESS, FAILURE and DELAY
{"dsn_notify":"SUCCESS,FAILURE,"} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_notify" takes NEVER, or SUCCESS, FAILURE and DELAY
{"dsn_notify":5} => TypeError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_notify" must be a string or a list of strings
{"dsn_notify":[["SUCCESS"]]} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_notify" takes NEVER, or SUCCESS, FAILURE and DELAY
{"dsn_ret":"ALL"} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_ret" must be "FULL" or "HDRS"
{"dsn_envid":"has space"} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_envid" must be printable ASCII without spaces, "+" or "="
{"dsn_envid":"a+b"} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_envid" must be printable ASCII without spaces, "+" or "="
{"dsn_envid":""} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_envid" must be a string of 1 to 100 characters
{"dsn_envid":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"} => ValueError: SmtpDiag\Client::send(): Argument #4 ($options) option "dsn_envid" must be a string of 1 to 100 characters
