--TEST--
smtpdiag_check(): STARTTLS with the test CA: every step ok, report shape, JSON, step data, bytes sent
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP ready\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test greets you\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 Ready to start TLS\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250-mx.test greets you again\r\n250-SIZE 10240000\r\n250 AUTH PLAIN LOGIN\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 Bye\r\n"],
], ['cert' => 'valid']);

$r = smtpdiag_check($srv->dsn(), ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error']);
var_dump($r['target'] === ['host' => '127.0.0.1', 'port' => $srv->port, 'encryption' => 'starttls', 'username' => null]);

$json = json_encode($r, JSON_THROW_ON_ERROR);
echo substr($json, 0, (int)strpos($json, '"duration_ms"')), "\n";
$decoded = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
echo implode(',', array_keys($decoded)), "\n";
echo implode(',', array_keys($decoded['steps'][0])), "\n";
echo implode(',', array_keys($decoded['transcript'][0])), "\n";

echo "--- steps ---\n";
echo implode(' ', array_column($r['steps'], 'id')), "\n";
check_print_steps($r);

echo "--- data ---\n";
var_dump(check_step($r, 'dns.host')['data']['addresses']);

$tcp = check_step($r, 'tcp.connect')['data'];
var_dump($tcp['address'], $tcp['port'] === $srv->port, $tcp['local_address'], is_int($tcp['local_port']) && $tcp['local_port'] > 0);
var_dump(count($tcp['attempts']), $tcp['attempts'][0]['address'], $tcp['attempts'][0]['family'], $tcp['attempts'][0]['result'], $tcp['attempts'][0]['error']);

var_dump(check_step($r, 'smtp.banner')['data']);

$ehlo = check_step($r, 'smtp.ehlo')['data'];
var_dump($ehlo['helo'], $ehlo['helo_fallback'], $ehlo['starttls_offered']);
// The capabilities are those of the EHLO after STARTTLS.
var_dump($ehlo['capabilities']);

$tls = check_step($r, 'tls')['data'];
var_dump($tls['mode'], (bool)preg_match('/^TLSv1\.[23]$/', $tls['protocol']), is_string($tls['cipher']) && $tls['cipher'] !== '');

$cert = check_step($r, 'tls.certificate')['data'];
var_dump($cert['verify_peer'], $cert['verified'], $cert['certificate']['subject'], $cert['certificate']['issuer']);
var_dump(count($cert['chain']) >= 1, $cert['chain'][0]['subject'], $cert['chain'][0]['fingerprint_sha256'] === $cert['certificate']['fingerprint_sha256']);

echo "--- dialogue ---\n";
check_print_dialogue($r);

echo "--- server received ---\n";
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(2) "ok"
NULL
bool(true)
{"ok":true,"status":"ok","target":{"host":"127.0.0.1","port":%d,"encryption":"starttls","username":null},
ok,status,target,duration_ms,steps,error,transcript
id,status,duration_ms,message,hint,data
t,dir,tls,text
--- steps ---
config dns.host ports tcp.connect smtp.banner smtp.ehlo tls tls.certificate smtp.auth smtp.mail_from smtp.rcpt_to smtp.data
config ok: 127.0.0.1 port %d, encryption starttls (encryption "starttls")
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 mx.test ESMTP ready
smtp.ehlo ok: EHLO [127.0.0.1] accepted: SIZE 10240000, AUTH PLAIN LOGIN
tls ok: TLSv1.%d with %s, after STARTTLS
tls.certificate ok: verified for 127.0.0.1: CN=localhost, issued by CN=smtpdiag test CA, valid until %d-%d-%dT%d:%d:%dZ
smtp.auth skip: no credentials configured (the server offers AUTH)
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
--- data ---
array(1) {
  [0]=>
  string(9) "127.0.0.1"
}
string(9) "127.0.0.1"
bool(true)
string(9) "127.0.0.1"
bool(true)
int(1)
string(9) "127.0.0.1"
string(4) "ipv4"
string(9) "connected"
NULL
array(2) {
  ["code"]=>
  int(220)
  ["text"]=>
  string(19) "mx.test ESMTP ready"
}
string(11) "[127.0.0.1]"
bool(false)
bool(true)
array(2) {
  ["SIZE"]=>
  string(8) "10240000"
  ["AUTH"]=>
  array(2) {
    [0]=>
    string(5) "PLAIN"
    [1]=>
    string(5) "LOGIN"
  }
}
string(8) "starttls"
bool(true)
bool(true)
bool(true)
bool(true)
string(12) "CN=localhost"
string(19) "CN=smtpdiag test CA"
bool(true)
string(12) "CN=localhost"
bool(true)
--- dialogue ---
server tls=0 220 mx.test ESMTP ready
client tls=0 EHLO [127.0.0.1]
server tls=0 250-mx.test greets you
server tls=0 250-SIZE 10240000
server tls=0 250-8BITMIME
server tls=0 250 STARTTLS
client tls=0 STARTTLS
server tls=0 220 2.0.0 Ready to start TLS
client tls=1 EHLO [127.0.0.1]
server tls=1 250-mx.test greets you again
server tls=1 250-SIZE 10240000
server tls=1 250 AUTH PLAIN LOGIN
client tls=1 QUIT
server tls=1 221 2.0.0 Bye
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
