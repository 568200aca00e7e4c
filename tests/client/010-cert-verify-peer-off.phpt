--TEST--
Client: verify_peer=false connects despite expired / self-signed / wrong-name certificates, and reports why they do not verify
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$steps = [
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
];

foreach (['expired', 'self_signed', 'wrong_name'] as $cert) {
    echo "=== $cert\n";
    $srv = SmtpTestServer::start($steps, ['cert' => $cert]);
    $c = new SmtpDiag\Client($srv->dsn(), [
        'encryption' => 'starttls', 'cafile' => $srv->cafile, 'verify_peer' => false, 'timeout' => 5,
    ]);
    $c->connect();
    $info = $c->getTlsInfo();
    var_dump($c->isConnected(), $info['verify_peer'], $info['verified'], $info['verify_code'] !== 0, $info['verify_result']);
    var_dump($c->getCapabilities());
    $c->quit();
    foreach ($c->getTranscript() as $entry) {
        if (str_starts_with($entry['text'], 'TLS established')) {
            echo $entry['text'], "\n";
        }
    }
    unset($c);
    sdiag_print_server($srv);
}
?>
--EXPECTF--
=== expired
bool(true)
bool(false)
bool(false)
bool(true)
string(23) "certificate has expired"
array(1) {
  ["SIZE"]=>
  string(2) "42"
}
TLS established: TLSv1.%d, %s; certificate: CN=localhost (certificate has expired)
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
=== self_signed
bool(true)
bool(false)
bool(false)
bool(true)
string(23) "self-signed certificate"
array(1) {
  ["SIZE"]=>
  string(2) "42"
}
TLS established: TLSv1.%d, %s; certificate: CN=localhost (self-signed certificate)
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
=== wrong_name
bool(true)
bool(false)
bool(false)
bool(true)
string(19) "IP address mismatch"
array(1) {
  ["SIZE"]=>
  string(2) "42"
}
TLS established: TLSv1.%d, %s; certificate: CN=wrong.example (IP address mismatch)
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
