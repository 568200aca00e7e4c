--TEST--
Client: STARTTLS with the test CA: EHLO again after TLS, getTlsInfo() fields, ~> / <~ in the text transcript
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('PIPELINING', 'STARTTLS', 'SIZE 1000')],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 Ready to start TLS\r\n"],
    ['starttls'],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('AUTH PLAIN LOGIN', 'SIZE 2000')],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
], ['cert' => 'valid']);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected());

// Capabilities are those of the EHLO after TLS, not the plaintext ones.
var_dump($c->getCapabilities());

$info = $c->getTlsInfo();
var_dump(array_keys($info));
var_dump($info['mode'], str_starts_with($info['protocol'], 'TLSv1.'), $info['cipher'] !== '', $info['cipher_bits'] >= 128);
var_dump($info['verify_peer'], $info['verified'], $info['verify_code'], $info['verify_result'], $info['discarded_bytes']);
var_dump($info['peer_name'], $info['sni']);

$cert = $info['certificate'];
var_dump(array_keys($cert));
var_dump($cert['subject'], $cert['issuer'], in_array('DNS:localhost', $cert['san'], true), $cert['san']);
var_dump((bool)preg_match('/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/D', $cert['fingerprint_sha256']));
$pem = file_get_contents(SmtpTestServer::certs()['valid']);
var_dump(strtolower(str_replace(':', '', $cert['fingerprint_sha256'])) === openssl_x509_fingerprint($pem, 'sha256'));
$parsed = openssl_x509_parse($pem);
var_dump(ltrim($cert['serial'], '0') === ltrim($parsed['serialNumberHex'], '0'));
var_dump($cert['not_after'] === gmdate('Y-m-d\TH:i:s\Z', $parsed['validTo_time_t']));
var_dump($cert['not_before'] === gmdate('Y-m-d\TH:i:s\Z', $parsed['validFrom_time_t']));
var_dump($cert['key_type'], $cert['key_bits'], $cert['signature_algorithm']);
var_dump(count($info['chain']) >= 1, $info['chain'][0] === $cert);

$c->quit();
echo "--- transcript ---\n";
sdiag_print_transcript($c->getTranscript());
echo "--- text ---\n";
echo $c->getTranscriptText();
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
bool(true)
array(2) {
  ["AUTH"]=>
  array(2) {
    [0]=>
    string(5) "PLAIN"
    [1]=>
    string(5) "LOGIN"
  }
  ["SIZE"]=>
  string(4) "2000"
}
array(13) {
  [0]=>
  string(4) "mode"
  [1]=>
  string(8) "protocol"
  [2]=>
  string(6) "cipher"
  [3]=>
  string(11) "cipher_bits"
  [4]=>
  string(3) "sni"
  [5]=>
  string(9) "peer_name"
  [6]=>
  string(11) "verify_peer"
  [7]=>
  string(8) "verified"
  [8]=>
  string(11) "verify_code"
  [9]=>
  string(13) "verify_result"
  [10]=>
  string(15) "discarded_bytes"
  [11]=>
  string(11) "certificate"
  [12]=>
  string(5) "chain"
}
string(8) "starttls"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
string(2) "ok"
int(0)
string(9) "127.0.0.1"
string(0) ""
array(10) {
  [0]=>
  string(7) "subject"
  [1]=>
  string(6) "issuer"
  [2]=>
  string(3) "san"
  [3]=>
  string(10) "not_before"
  [4]=>
  string(9) "not_after"
  [5]=>
  string(6) "serial"
  [6]=>
  string(18) "fingerprint_sha256"
  [7]=>
  string(8) "key_type"
  [8]=>
  string(8) "key_bits"
  [9]=>
  string(19) "signature_algorithm"
}
string(12) "CN=localhost"
string(19) "CN=smtpdiag test CA"
bool(true)
array(3) {
  [0]=>
  string(13) "DNS:localhost"
  [1]=>
  string(12) "IP:127.0.0.1"
  [2]=>
  string(6) "IP:::1"
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(2) "EC"
int(256)
string(17) "ecdsa-with-SHA256"
bool(true)
bool(true)
--- transcript ---
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250-PIPELINING
server 250-STARTTLS
server 250 SIZE 1000
client STARTTLS
server 220 2.0.0 Ready to start TLS
info starting TLS (STARTTLS)
info+tls TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
client+tls EHLO [127.0.0.1]
server+tls 250-test.example greets you
server+tls 250-AUTH PLAIN LOGIN
server+tls 250 SIZE 2000
client+tls QUIT
server+tls 221 2.0.0 bye
--- text ---
=== connecting to 127.0.0.1:%d (encryption starttls)
=== 127.0.0.1 resolves to 127.0.0.1
=== trying 127.0.0.1 port %d
=== connected to 127.0.0.1 port %d from 127.0.0.1 port %d
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250-STARTTLS
<-  250 SIZE 1000
 -> STARTTLS
<-  220 2.0.0 Ready to start TLS
=== starting TLS (STARTTLS)
=== TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
 ~> EHLO [127.0.0.1]
<~  250-test.example greets you
<~  250-AUTH PLAIN LOGIN
<~  250 SIZE 2000
 ~> QUIT
<~  221 2.0.0 bye
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
