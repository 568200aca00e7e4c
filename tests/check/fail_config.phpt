--TEST--
smtpdiag_check(): invalid configuration (unknown option, malformed DSNs, bad dns_servers) gives a config failure, not an exception
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

// Nothing may be contacted; should a bug make the check connect anyway, it
// gets a refused port rather than whatever listens on a fixed one.
$port = SmtpTestServer::refusedPort();

$cases = [
    'unknown option' => ["smtp://127.0.0.1:$port", ['bogus' => 1]],
    'no scheme' => ["127.0.0.1:$port", []],
    'other scheme' => ["http://127.0.0.1:$port", []],
    'bad port' => ['smtp://127.0.0.1:99999', []],
    'path' => ["smtp://127.0.0.1:$port/x", []],
    'bad dns_servers' => ["smtp://127.0.0.1:$port", ['dns_servers' => 'not an ip']],
    'bad dns_servers list' => ["smtp://127.0.0.1:$port", ['dns_servers' => ['127.0.0.1', 'nope']]],
];
foreach ($cases as $name => [$target, $options]) {
    echo "== $name\n";
    try {
        $r = smtpdiag_check($target, $options);
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
        continue;
    }
    check_shape($r);
    echo "{$r['status']} ", var_export($r['ok'], true), "\n";
    check_print_steps($r);
    $e = $r['error'];
    echo "error: {$e['category']} {$e['phase']} ", var_export($e['transient'], true), " {$e['message']}\n";
    var_dump($e['message'] === check_step($r, 'config')['message'], $r['transcript']);
}
?>
--EXPECTF--
== unknown option
shape ok
fail false
config fail: unknown option "bogus"
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false unknown option "bogus"
bool(true)
array(0) {
}
== no scheme
shape ok
fail false
config fail: the DSN must look like smtp://user:pass@host:587 or smtps://user:pass@host:465
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false the DSN must look like smtp://user:pass@host:587 or smtps://user:pass@host:465
bool(true)
array(0) {
}
== other scheme
shape ok
fail false
config fail: DSN scheme "http" is not smtp or smtps %s
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false DSN scheme "http" is not smtp or smtps %s
bool(true)
array(0) {
}
== bad port
shape ok
fail false
config fail: port "99999" is not a number from 1 to 65535
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false port "99999" is not a number from 1 to 65535
bool(true)
array(0) {
}
== path
shape ok
fail false
config fail: the DSN has a path; SMTP DSNs have none
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false the DSN has a path; SMTP DSNs have none
bool(true)
array(0) {
}
== bad dns_servers
shape ok
fail false
config fail: dns_servers "not an ip" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353"%s
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false dns_servers "not an ip" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353"%s
bool(true)
array(0) {
}
== bad dns_servers list
shape ok
fail false
config fail: dns_servers "127.0.0.1,nope" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353"%s
  hint: Fix the mail configuration (host, port, encryption, credentials) as the message says.
dns.host skip: not run: the configuration is invalid
tcp.connect skip: not run: the configuration is invalid
smtp.banner skip: not run: the configuration is invalid
smtp.ehlo skip: not run: the configuration is invalid
tls skip: not run: the configuration is invalid
tls.certificate skip: not run: the configuration is invalid
smtp.auth skip: not run: the configuration is invalid
smtp.mail_from skip: not run: the configuration is invalid
smtp.rcpt_to skip: not run: the configuration is invalid
smtp.data skip: not run: the configuration is invalid
error: config_invalid config false dns_servers "127.0.0.1,nope" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353"%s
bool(true)
array(0) {
}
