--TEST--
Client: DSN and Laravel array parsing: default ports and encryption, tls on 465, local_domain, %-encoded user info
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

function target(SmtpDiag\Client $c): string
{
    $d = print_r($c, true);
    preg_match_all('/\[(host|port|encryption|username|password_set)\] => (.*)/', $d, $m, PREG_SET_ORDER);
    return implode(' ', array_map(fn ($x) => "$x[1]=" . ($x[2] === '' ? "''" : $x[2]), $m));
}

echo "=== parsing only\n";
$targets = [
    'smtp://mail.example.com',
    'smtps://mail.example.com',
    'smtp://mail.example.com:465?encryption=tls',
    'smtp://mail.example.com:587?encryption=tls',
    'smtp://mail.example.com?encryption=tls',
    'smtp://mail.example.com?encryption=ssl',
    'SMTP://mail.example.com:2525',
    'smtp://u%40example.com:p%40ss%2Fw%3Ard@mail.example.com:2525',
];
foreach ($targets as $t) {
    echo $t, ' => ', target(new SmtpDiag\Client($t)), "\n";
}
$arrays = [
    ['host' => 'mail.example.com', 'port' => 465, 'encryption' => 'tls'],
    ['host' => 'mail.example.com', 'port' => 587, 'encryption' => 'tls'],
    ['host' => 'mail.example.com', 'port' => '2525', 'encryption' => null, 'username' => null, 'password' => null],
    ['transport' => 'smtp', 'scheme' => 'smtps', 'host' => 'mail.example.com'],
    ['url' => 'smtp://bob:pw@mail.example.com:2525'],
];
foreach ($arrays as $a) {
    echo json_encode($a), ' => ', target(new SmtpDiag\Client($a)), "\n";
}

echo "=== Laravel array, STARTTLS with local_domain\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('STARTTLS')],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('AUTH PLAIN')],
    ['expect', 'AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAFMzY3IzdC1QNHNz'],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'valid']);
$config = [
    'transport' => 'smtp',
    'host' => '127.0.0.1',
    'port' => $srv->port,
    'encryption' => 'tls',
    'username' => 'alice@example.com',
    'password' => 'S3cr3t-P4ss',
    'timeout' => 5,
    'local_domain' => 'my.host',
];
$c = new SmtpDiag\Client($config, ['cafile' => $srv->cafile]);
echo preg_replace('/port=\d+/', 'port=N', target($c)), "\n";
$c->connect();
var_dump($c->getTlsInfo()['mode']);
$c->quit();
unset($c);
sdiag_print_server($srv);

echo "=== %-encoded user info does not disturb host and port\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('AUTH PLAIN')],
    ['expect', 'AUTH PLAIN AHVAZXhhbXBsZS5jb20AcEBzcy93OnJk'],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
// plaintext AUTH on a test server only: allow_plaintext_auth says so explicitly
$c = new SmtpDiag\Client("smtp://u%40example.com:p%40ss%2Fw%3Ard@127.0.0.1:{$srv->port}?encryption=none&timeout=5&allow_plaintext_auth=1");
echo preg_replace('/port=\d+/', 'port=N', target($c)), "\n";
$c->connect();
$c->quit();
echo $c->getTranscript()[0]['text'] === "connecting to 127.0.0.1:{$srv->port} (encryption none)" ? "target ok\n" : "target wrong\n";
unset($c);
sdiag_print_server($srv);
?>
--EXPECT--
=== parsing only
smtp://mail.example.com => host=mail.example.com port=25 encryption=auto username='' password_set=''
smtps://mail.example.com => host=mail.example.com port=465 encryption=implicit username='' password_set=''
smtp://mail.example.com:465?encryption=tls => host=mail.example.com port=465 encryption=implicit username='' password_set=''
smtp://mail.example.com:587?encryption=tls => host=mail.example.com port=587 encryption=starttls username='' password_set=''
smtp://mail.example.com?encryption=tls => host=mail.example.com port=587 encryption=starttls username='' password_set=''
smtp://mail.example.com?encryption=ssl => host=mail.example.com port=465 encryption=implicit username='' password_set=''
SMTP://mail.example.com:2525 => host=mail.example.com port=2525 encryption=auto username='' password_set=''
smtp://u%40example.com:p%40ss%2Fw%3Ard@mail.example.com:2525 => host=mail.example.com port=2525 encryption=auto username=u@example.com password_set=1
{"host":"mail.example.com","port":465,"encryption":"tls"} => host=mail.example.com port=465 encryption=implicit username='' password_set=''
{"host":"mail.example.com","port":587,"encryption":"tls"} => host=mail.example.com port=587 encryption=starttls username='' password_set=''
{"host":"mail.example.com","port":"2525","encryption":null,"username":null,"password":null} => host=mail.example.com port=2525 encryption=auto username='' password_set=''
{"transport":"smtp","scheme":"smtps","host":"mail.example.com"} => host=mail.example.com port=465 encryption=implicit username='' password_set=''
{"url":"smtp:\/\/bob:pw@mail.example.com:2525"} => host=mail.example.com port=2525 encryption=auto username=bob password_set=1
=== Laravel array, STARTTLS with local_domain
host=127.0.0.1 port=N encryption=starttls username=alice@example.com password_set=1
string(8) "starttls"
--- server received ---
EHLO my.host
STARTTLS
--- TLS ---
EHLO my.host
AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAFMzY3IzdC1QNHNz
QUIT
--- CLOSED ---
--- server exit: 0 ---
=== %-encoded user info does not disturb host and port
host=127.0.0.1 port=N encryption=none username=u@example.com password_set=1
target ok
--- server received ---
EHLO [127.0.0.1]
AUTH PLAIN AHVAZXhhbXBsZS5jb20AcEBzcy93OnJk
QUIT
--- CLOSED ---
--- server exit: 0 ---
