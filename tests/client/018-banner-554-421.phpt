--TEST--
Client: greetings 554 (permanent) and 421 (transient) fail with ConnectionException service_unavailable
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([], ['steps_per_connection' => [
    [['send', "554 5.7.1 No SMTP service here for you\r\n"]],
    [['send', "421 4.3.2 Service not available, try again later\r\n"]],
]]);

foreach (['554', '421'] as $name) {
    echo "=== $name\n";
    $c = new SmtpDiag\Client($srv->dsn(), ['timeout' => 5]);
    $e = sdiag_expect_throw(fn () => $c->connect());
    var_dump($e instanceof SmtpDiag\ConnectionException, $e->getCode(), $c->isConnected());
    sdiag_print_transcript($e->getTranscript());
    unset($c);
}
sdiag_print_server($srv);
?>
--EXPECTF--
=== 554
SmtpDiag\ConnectionException: the server refused the session in its greeting: 554 5.7.1 No SMTP service here for you
category: service_unavailable
phase: banner
code: 554
enhanced: '5.7.1'
transient: false
hint: %s
bool(true)
int(554)
bool(false)
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 554 5.7.1 No SMTP service here for you
info error: service_unavailable: the server refused the session in its greeting: 554 5.7.1 No SMTP service here for you
client QUIT
=== 421
SmtpDiag\ConnectionException: the server refused the session in its greeting: 421 4.3.2 Service not available, try again later
category: service_unavailable
phase: banner
code: 421
enhanced: '4.3.2'
transient: true
hint: %s
bool(true)
int(421)
bool(false)
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 421 4.3.2 Service not available, try again later
info error: service_unavailable: the server refused the session in its greeting: 421 4.3.2 Service not available, try again later
client QUIT
--- server received ---
QUIT
--- CLOSED ---
--- CONNECTION 2 ---
QUIT
--- CLOSED ---
--- server exit: 0 ---
