--TEST--
smtpdiag_check() ports: every probed port at once, told apart as refused, filtered (a black-holed port: no answer within the probe timeout), not_smtp (something else answers), open with a plaintext SMTP greeting, open with TLS from the first byte; when the configured port is blocked the step fails and its hint names the ports that answer; ports => false skips the step
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

$session = fn () => SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"], ['expect', 'EHLO'], ['send', "250-mx.test\r\n250 8BITMIME\r\n"], ['expect', 'QUIT'], ['send', "221 bye\r\n"],
]);
$refused = SmtpTestServer::refusedPort();
$blackhole = SmtpTestServer::start([], ['mode' => 'blackhole']);
$http = SmtpTestServer::start([['send', "HTTP/1.1 400 Bad Request\r\n\r\n"], ['close']]);
$tls = SmtpTestServer::start([], ['tls' => 'implicit', 'cert' => 'valid']);
$smtp = SmtpTestServer::start([['send', "220 other.test ESMTP\r\n"], ['expect', 'QUIT']]);
$names = [$refused => 'REFUSED', $blackhole->port => 'BLACKHOLE', $http->port => 'HTTP', $tls->port => 'TLS', $smtp->port => 'SMTP'];
$show = function (string $s) use (&$names): string {
    return strtr($s, array_map(fn ($n) => "<$n>", $names));
};

$srv = $session();
$r = smtpdiag_check("smtp://127.0.0.1:{$srv->port}", ['encryption' => 'none', 'connect_timeout' => 1, 'banner_timeout' => 0.5,
    'ports' => [$refused, $blackhole->port, $http->port, $tls->port, $smtp->port]]);
$step = array_values(array_filter($r['steps'], fn ($s) => $s['id'] === 'ports'))[0];
echo $show("{$step['status']}: {$step['message']}"), "\n";
foreach ($step['data']['probes'] as $p) {
    echo $show("  {$p['port']}"), " {$p['family']} {$p['state']} {$p['protocol']} ", json_encode($p['banner']), "\n";
}
echo implode(' ', array_column($r['steps'], 'id')), "\n";

// the configured port is refused: the hint names what answers instead
$tls2 = SmtpTestServer::start([], ['tls' => 'implicit', 'cert' => 'valid']);
$smtp2 = SmtpTestServer::start([['send', "220 other.test ESMTP\r\n"], ['expect', 'QUIT']]);
$names += [$tls2->port => 'TLS2', $smtp2->port => 'SMTP2'];
$r = smtpdiag_check("smtp://127.0.0.1:$refused", ['encryption' => 'none', 'banner_timeout' => 0.5, 'ports' => [$tls2->port, $smtp2->port]]);
$step = array_values(array_filter($r['steps'], fn ($s) => $s['id'] === 'ports'))[0];
echo $show("{$step['status']}: {$step['message']}\n  hint: {$step['hint']}"), "\n";

// off
$srv = $session();
$r = smtpdiag_check("smtp://127.0.0.1:{$srv->port}", ['encryption' => 'none', 'ports' => false]);
echo in_array('ports', array_column($r['steps'], 'id'), true) ? "ports step present\n" : "no ports step\n";
$r = smtpdiag_check("smtp://127.0.0.1:1", ['ports' => [0]]);
echo $r['steps'][0]['status'], ': ', $r['steps'][0]['message'], "\n";
?>
--EXPECT--
ok: <REFUSED> refused, <BLACKHOLE> filtered, <HTTP> not_smtp, <TLS> open (TLS), <SMTP> open (SMTP)
  <REFUSED> ipv4 refused none null
  <BLACKHOLE> ipv4 filtered none null
  <HTTP> ipv4 not_smtp none "HTTP\/1.1 400 Bad Request"
  <TLS> ipv4 open tls null
  <SMTP> ipv4 open smtp "220 other.test ESMTP"
config dns.host ports tcp.connect smtp.banner smtp.ehlo tls tls.certificate smtp.auth smtp.mail_from smtp.rcpt_to smtp.data
fail: <TLS2> open (TLS), <SMTP2> open (SMTP)
  hint: Port <REFUSED> does not answer from here, but <TLS2> (implicit TLS), <SMTP2> (SMTP) do: configure one of them (587 with encryption "starttls", 465 with "implicit").
no ports step
fail: option "ports" must be false or a list of at most 8 port numbers (1 to 65535)
