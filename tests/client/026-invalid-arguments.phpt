--TEST--
Client: invalid arguments throw ValueError / TypeError from the constructor, before any byte is sent
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

// Any connection would be accepted and recorded; with timeout 1 the server
// gives up after 1 s without one.
$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
], ['timeout' => 1]);
$dsn = $srv->dsn();
$hp = "127.0.0.1:{$srv->port}";

$cases = [
    'CR LF in helo' => [$dsn, ['helo' => "client.example\r\nMAIL FROM:<x@example.com>"]],
    'LF in helo' => [$dsn, ['helo' => "client.example\nRSET"]],
    'CR LF in local_domain (array)' => [['host' => '127.0.0.1', 'port' => $srv->port, 'local_domain' => "a\r\nb"], []],
    'unknown option' => [$dsn, ['encyrption' => 'tls']],
    'unknown DSN option' => ["$dsn?encyrption=tls", []],
    'no scheme' => [$hp, []],
    'bad scheme' => ["http://$hp", []],
    'port 0' => ['smtp://127.0.0.1:0', []],
    'port 70000' => ['smtp://127.0.0.1:70000', []],
    'path' => ["$dsn/inbox", []],
    'bad %-escape in user' => ["smtp://us%zzer:pw@$hp", []],
    'bad %-escape in password' => ["smtp://user:pw%4@$hp", []],
    'encryption bogus' => [$dsn, ['encryption' => 'bogus']],
    'timeout 0' => [$dsn, ['timeout' => 0]],
    'timeout negative' => [$dsn, ['timeout' => -1.5]],
    'timeout 0 in the DSN' => ["$dsn?timeout=0", []],
    'connect_timeout 0' => [$dsn, ['connect_timeout' => 0]],
    'password without user (DSN)' => ["smtp://:S3cr3t@$hp", []],
    'host is an array' => [['host' => ['127.0.0.1'], 'port' => $srv->port], []],
    'timeout is an array' => [$dsn, ['timeout' => [1]]],
    'verify_peer is an object' => [$dsn, ['verify_peer' => new stdClass()]],
    'dsn is an int' => [25, []],
];
foreach ($cases as $name => [$target, $options]) {
    try {
        $c = new SmtpDiag\Client($target, $options);
        echo "$name: NO EXCEPTION\n";
        unset($c);
    } catch (Throwable $e) {
        echo "$name: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}

// No connection was made: the server saw nobody within its 1 s accept timeout.
var_dump($srv->received(), $srv->exitCode());
echo $srv->stderr();
?>
--EXPECTF--
CR LF in helo: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: the HELO name contains CR or LF
LF in helo: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: the HELO name contains CR or LF
CR LF in local_domain (array): ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the HELO name contains CR or LF
unknown option: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: unknown option "encyrption"
unknown DSN option: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: unknown option "encyrption"
no scheme: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN must look like smtp://user:pass@host:587 or smtps://user:pass@host:465
bad scheme: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: DSN scheme "http" is not smtp or smtps %s
port 0: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: port "0" is not a number from 1 to 65535
port 70000: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: port "70000" is not a number from 1 to 65535
path: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN has a path; SMTP DSNs have none
bad %-escape in user: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN's user name has a bad %-escape
bad %-escape in password: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN's password has a bad %-escape
encryption bogus: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: encryption "bogus" is not one of none, starttls, implicit, auto (or the aliases tls, ssl, smtps)
timeout 0: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: option "timeout" must be a number of seconds greater than 0, got "0"
timeout negative: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: option "timeout" must be a number of seconds greater than 0, got "-1.5"
timeout 0 in the DSN: ValueError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: option "timeout" must be a number of seconds greater than 0, got "0"
connect_timeout 0: ValueError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: option "connect_timeout" must be a number of seconds greater than 0, got "0"
password without user (DSN): ValueError: SmtpDiag\Client::__construct(): the configuration is invalid: a password was given without a user name
host is an array: TypeError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: option "host" must be of type string|int|float|bool, array given
timeout is an array: TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: option "timeout" must be of type string|int|float|bool, array given
verify_peer is an object: TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: option "verify_peer" must be of type string|int|float|bool, stdClass given
dsn is an int: TypeError: SmtpDiag\Client::__construct(): Argument #1 ($dsn) must be of type string|array, int given
string(0) ""
int(3)
smtp_server: no client connected within 1 s
