--TEST--
Client: smtpdiag.default_timeout applies when no timeout option is given
--EXTENSIONS--
smtpdiag
--INI--
smtpdiag.default_timeout=1
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

var_dump(ini_get('smtpdiag.default_timeout'));
$srv = SmtpTestServer::start([], ['mode' => 'no_accept']);
$c = new SmtpDiag\Client($srv->dsn());
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 0.9, 1.5);
unset($c);
$srv->stop();
?>
--EXPECTF--
string(1) "1"
SmtpDiag\TimeoutException: no SMTP greeting from 127.0.0.1:%d within the timeout
category: timeout
phase: banner
code: NULL
enhanced: NULL
transient: true
hint: %s
elapsed: in range
