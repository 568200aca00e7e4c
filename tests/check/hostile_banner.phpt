--TEST--
smtpdiag_check(): a hostile greeting (escape sequences, invalid UTF-8): the report still encodes as JSON, smtpdiag_format() shows it escaped
--DESCRIPTION--
Servers do send non-UTF-8 greetings (Latin-1 host names, garbage). The report
is meant for logs and monitoring, so json_encode() must not fail on it; the
transcript is already stored escaped, the step messages and data must not
carry raw invalid bytes either.
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 evil.test \e[31mRED\e[0m caf\xe9 \xff ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-evil.test \e]0;pwned\x07\r\n250 SIZE 1000\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$r = smtpdiag_check($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
echo $r['status'], ' ', check_step($r, 'smtp.banner')['status'], ' ', check_step($r, 'smtp.banner')['data']['code'], "\n";

$out = smtpdiag_format($r, ['transcript' => true]);
var_dump(str_contains($out, "\e"), str_contains($out, "\x07"), (bool)preg_match('//u', $out));
foreach (explode("\n", $out) as $line) {
    if (str_contains($line, 'evil.test')) {
        echo trim($line), "\n";
    }
}

try {
    $json = json_encode($r, JSON_THROW_ON_ERROR);
    echo "json ok\n";
} catch (JsonException $e) {
    echo 'JsonException: ', $e->getMessage(), "\n";
}
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
warn ok 220
bool(false)
bool(false)
bool(true)
[ ok ] smtp.banner%s ms  220 evil.test \x1B[31mRED\x1B[0m caf\xE9 \xFF ESMTP
<-  220 evil.test \x1B[31mRED\x1B[0m caf\xE9 \xFF ESMTP
<-  250-evil.test \x1B]0;pwned\x07
json ok
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
