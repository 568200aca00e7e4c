--TEST--
Client: plaintext connect and QUIT: bytes sent, transcript, capabilities, isConnected, idempotent connect()
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP ready\r\n"],
    ['expect', 'EHLO'],
    ['send', "250-mx.test.example greets you\r\n"
        . "250-SIZE 10485760\r\n"
        . "250-PIPELINING\r\n"
        . "250-AUTH PLAIN LOGIN\r\n"
        . "250-AUTH=LOGIN XOAUTH2\r\n"
        . "250-ENHANCEDSTATUSCODES\r\n"
        . "250 8BITMIME\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
var_dump($c->isConnected());
var_dump($c->getCapabilities());
var_dump($c->getTlsInfo());

$c->connect();
var_dump($c->isConnected());
$count = count($c->getTranscript());

// A second connect() on a ready connection does nothing at all.
$c->connect();
var_dump($c->isConnected(), count($c->getTranscript()) === $count);

var_dump($c->getCapabilities());
var_dump($c->getTlsInfo());

echo "--- transcript ---\n";
sdiag_print_transcript($c->getTranscript());

$c->quit();
var_dump($c->isConnected());
echo "--- transcript text after quit ---\n";
echo $c->getTranscriptText();
echo "--- with timestamps (last two lines) ---\n";
$lines = explode("\n", rtrim($c->getTranscriptText(true), "\n"));
echo implode("\n", array_slice($lines, -2)), "\n";

unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
bool(false)
array(0) {
}
NULL
bool(true)
bool(true)
bool(true)
array(5) {
  ["SIZE"]=>
  string(8) "10485760"
  ["PIPELINING"]=>
  bool(true)
  ["AUTH"]=>
  array(3) {
    [0]=>
    string(5) "PLAIN"
    [1]=>
    string(5) "LOGIN"
    [2]=>
    string(7) "XOAUTH2"
  }
  ["ENHANCEDSTATUSCODES"]=>
  bool(true)
  ["8BITMIME"]=>
  bool(true)
}
NULL
--- transcript ---
info connecting to 127.0.0.1:%d (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP ready
client EHLO [127.0.0.1]
server 250-mx.test.example greets you
server 250-SIZE 10485760
server 250-PIPELINING
server 250-AUTH PLAIN LOGIN
server 250-AUTH=LOGIN XOAUTH2
server 250-ENHANCEDSTATUSCODES
server 250 8BITMIME
bool(false)
--- transcript text after quit ---
=== connecting to 127.0.0.1:%d (encryption none)
=== 127.0.0.1 resolves to 127.0.0.1
=== trying 127.0.0.1 port %d
=== connected to 127.0.0.1 port %d from 127.0.0.1 port %d
<-  220 mx.test.example ESMTP ready
 -> EHLO [127.0.0.1]
<-  250-mx.test.example greets you
<-  250-SIZE 10485760
<-  250-PIPELINING
<-  250-AUTH PLAIN LOGIN
<-  250-AUTH=LOGIN XOAUTH2
<-  250-ENHANCEDSTATUSCODES
<-  250 8BITMIME
 -> QUIT
<-  221 2.0.0 bye
--- with timestamps (last two lines) ---
[%w%f]  -> QUIT
[%w%f] <-  221 2.0.0 bye
--- server received ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
