--TEST--
smtpdiag_check() with Happy Eyeballs (RFC 8305): the host has an IPv6 address that never answers (a black hole on [::1]) and an IPv4 one that works on the same port: IPv6 is tried first, IPv4 starts 250 ms later and wins, the IPv6 attempt is cancelled instead of waiting out connect_timeout, and tcp.connect warns and names the winner
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (@stream_socket_server('tcp://[::1]:0') === false) {
    die('skip no IPv6 loopback');
}
?>
--FILE--
<?php
require __DIR__ . '/check.inc';
require __DIR__ . '/../inc/dns.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"], ['expect', 'EHLO '], ['send', "250 mx.test\r\n"], ['expect', 'QUIT'], ['send', "221 bye\r\n"],
]);
// the same port number on [::1], black-holed: its SYNs are dropped
$hole = SmtpTestServer::start([], ['mode' => 'blackhole', 'ipv6' => true, 'port' => $srv->port]);
$dns = DnsTestServer::start(['mail.he.test' => ['AAAA' => ['::1'], 'A' => ['127.0.0.1']]]);

$r = smtpdiag_check("smtp://mail.he.test:{$srv->port}", [
    'dns_servers' => $dns->servers(), 'encryption' => 'none', 'connect_timeout' => 20, 'timeout' => 30, 'ports' => false,
]);
$step = check_step($r, 'tcp.connect');
echo "{$step['status']}: ", preg_replace('/port \d+/', 'port P', $step['message']), "\n";
echo "  hint: {$step['hint']}\n";
foreach ($step['data']['attempts'] as $a) {
    echo "  {$a['address']} {$a['family']} {$a['result']}\n";
}
echo $step['data']['address'], ' ', $r['status'], "\n";
?>
--EXPECT--
warn: connected to 127.0.0.1 port P; 1 slower attempt cancelled
  hint: An address of the host did not answer in time, so another one was used (Happy Eyeballs): check this machine's IPv6 (or IPv4) connectivity and the host's DNS records.
  ::1 ipv6 cancelled
  127.0.0.1 ipv4 connected
127.0.0.1 warn
