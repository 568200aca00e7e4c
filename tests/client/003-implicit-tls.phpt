--TEST--
Client: implicit TLS with an smtps:// DSN and with the encryption alias "ssl"
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 smtps.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('AUTH PLAIN', 'SIZE 5000')],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'valid', 'tls' => 'implicit', 'connections' => 2]);

$targets = [
    'smtps:// DSN' => [$srv->dsn('smtps'), ['cafile' => $srv->cafile, 'timeout' => 5]],
    'encryption ssl' => [$srv->dsn(), ['encryption' => 'ssl', 'cafile' => $srv->cafile, 'timeout' => 5]],
];
foreach ($targets as $name => [$dsn, $options]) {
    echo "=== $name\n";
    $c = new SmtpDiag\Client($dsn, $options);
    $c->connect();
    $info = $c->getTlsInfo();
    var_dump($info['mode'], str_starts_with($info['protocol'], 'TLSv1.'), $info['verified'], $info['certificate']['subject']);
    var_dump($c->getCapabilities());
    $c->quit();
    sdiag_print_transcript($c->getTranscript());
    unset($c);
}
sdiag_print_server($srv);
?>
--EXPECTF--
=== smtps:// DSN
string(8) "implicit"
bool(true)
bool(true)
string(12) "CN=localhost"
array(2) {
  ["AUTH"]=>
  array(1) {
    [0]=>
    string(5) "PLAIN"
  }
  ["SIZE"]=>
  string(4) "5000"
}
info connecting to 127.0.0.1:%d (encryption implicit)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
info starting TLS (implicit)
info+tls TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
server+tls 220 smtps.test.example ESMTP
client+tls EHLO [127.0.0.1]
server+tls 250-test.example greets you
server+tls 250-AUTH PLAIN
server+tls 250 SIZE 5000
client+tls QUIT
server+tls 221 bye
=== encryption ssl
string(8) "implicit"
bool(true)
bool(true)
string(12) "CN=localhost"
array(2) {
  ["AUTH"]=>
  array(1) {
    [0]=>
    string(5) "PLAIN"
  }
  ["SIZE"]=>
  string(4) "5000"
}
info connecting to 127.0.0.1:%d (encryption implicit)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
info starting TLS (implicit)
info+tls TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
server+tls 220 smtps.test.example ESMTP
client+tls EHLO [127.0.0.1]
server+tls 250-test.example greets you
server+tls 250-AUTH PLAIN
server+tls 250 SIZE 5000
client+tls QUIT
server+tls 221 bye
--- server received ---
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- CONNECTION 2 ---
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
