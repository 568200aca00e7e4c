--TEST--
Client: peer_name "wrong.example" makes the wrong_name certificate verify (SNI and name check use it)
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('STARTTLS')],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('SIZE 42')],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'wrong_name']);

$c = new SmtpDiag\Client($srv->dsn(), [
    'encryption' => 'starttls', 'cafile' => $srv->cafile, 'peer_name' => 'wrong.example', 'timeout' => 5,
]);
$c->connect();
$info = $c->getTlsInfo();
var_dump($info['verify_peer'], $info['verified'], $info['verify_code'], $info['verify_result']);
var_dump($info['peer_name'], $info['sni'], $info['certificate']['subject'], $info['certificate']['san']);
$c->quit();
sdiag_print_transcript($c->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
bool(true)
bool(true)
int(0)
string(2) "ok"
string(13) "wrong.example"
string(13) "wrong.example"
string(16) "CN=wrong.example"
array(1) {
  [0]=>
  string(17) "DNS:wrong.example"
}
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250 STARTTLS
client STARTTLS
server 220 2.0.0 go ahead
info starting TLS (STARTTLS)
info+tls TLS established: TLSv1.%d, %s; certificate: CN=wrong.example (verified)
client+tls EHLO [127.0.0.1]
server+tls 250-test.example greets you
server+tls 250 SIZE 42
client+tls QUIT
server+tls 221 bye
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
