--TEST--
Client: IPv6 literal DSN smtp://[::1]:port against an IPv6 server; EHLO uses the IPv6 address literal
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
$s = @stream_socket_server('tcp://[::1]:0', $errno, $errstr);
if ($s === false) {
    die("skip ::1 is not available: $errstr");
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 v6.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('SIZE 6')],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['ipv6' => true]);

echo $srv->dsn() === "smtp://[::1]:{$srv->port}" ? "dsn ok\n" : "dsn {$srv->dsn()}\n";
$c = new SmtpDiag\Client("smtp://[::1]:{$srv->port}", ['encryption' => 'none', 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected(), $c->getCapabilities());
$c->quit();
sdiag_print_transcript($c->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
dsn ok
bool(true)
array(1) {
  ["SIZE"]=>
  string(1) "6"
}
info connecting to [::1]:%d (encryption none)
info ::1 resolves to ::1
info trying ::1 port %d
info connected to ::1 port %d from ::1 port %d
server 220 v6.test.example ESMTP
client EHLO [IPv6:::1]
server 250-test.example greets you
server 250 SIZE 6
client QUIT
server 221 bye
--- server received ---
EHLO [IPv6:::1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
