--TEST--
smtpdiag_check(): config warnings for port/encryption mismatches (465 with STARTTLS or none, 587 with implicit TLS, credentials without TLS)
--DESCRIPTION--
The ports are fixed (465, 587), so nothing may be contacted: the host is a
name the scripted DNS server answers with NXDOMAIN, and the check stops at
dns.host. Only the config step is under test here.
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';
require __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start([]);
$opts = ['dns_servers' => $dns->servers(), 'timeout' => 5];

$cases = [
    ['smtp://nx.smtpdiag.test:465', ['encryption' => 'starttls']],
    ['smtp://nx.smtpdiag.test:465', ['encryption' => 'none']],
    ['smtp://nx.smtpdiag.test:587', ['encryption' => 'implicit']],
    ['smtp://nx.smtpdiag.test:587', ['encryption' => 'ssl']],
    ['smtp://user:pw@nx.smtpdiag.test:2525', ['encryption' => 'none']],
    // no warning: these combinations are the normal ones
    ['smtp://nx.smtpdiag.test:465', []],
    ['smtp://nx.smtpdiag.test:465', ['encryption' => 'tls']],
    ['smtp://nx.smtpdiag.test:587', ['encryption' => 'tls']],
];
foreach ($cases as [$dsn, $extra]) {
    $r = smtpdiag_check($dsn, $extra + $opts);
    $config = check_step($r, 'config');
    echo "$dsn ", json_encode($extra), ": {$r['target']['encryption']}\n";
    echo "  config {$config['status']}: {$config['message']}\n";
    if ($config['hint'] !== null) {
        echo "  hint: {$config['hint']}\n";
    }
    echo '  dns.host ', check_step($r, 'dns.host')['status'], ', ', $r['status'], ', ', $r['error']['category'], "\n";
}
?>
--EXPECT--
smtp://nx.smtpdiag.test:465 {"encryption":"starttls"}: starttls
  config warn: port 465 normally speaks TLS from the first byte, but encryption is starttls
  hint: Use encryption "implicit" (smtps://nx.smtpdiag.test:465), or port 587 with encryption "starttls".
  dns.host fail, fail, dns_error
smtp://nx.smtpdiag.test:465 {"encryption":"none"}: none
  config warn: port 465 normally speaks TLS from the first byte, but encryption is none
  hint: Use encryption "implicit" (smtps://nx.smtpdiag.test:465), or port 587 with encryption "starttls".
  dns.host fail, fail, dns_error
smtp://nx.smtpdiag.test:587 {"encryption":"implicit"}: implicit
  config warn: port 587 normally uses STARTTLS, but encryption is implicit TLS
  hint: Use encryption "starttls" on port 587 (smtp://nx.smtpdiag.test:587), or port 465 for implicit TLS.
  dns.host fail, fail, dns_error
smtp://nx.smtpdiag.test:587 {"encryption":"ssl"}: implicit
  config warn: port 587 normally uses STARTTLS, but encryption is implicit TLS
  hint: Use encryption "starttls" on port 587 (smtp://nx.smtpdiag.test:587), or port 465 for implicit TLS.
  dns.host fail, fail, dns_error
smtp://user:pw@nx.smtpdiag.test:2525 {"encryption":"none"}: none
  config warn: credentials are configured but encryption is off: they would cross the network in plaintext
  hint: Set encryption "starttls" (port 587) or "implicit" (port 465).
  dns.host fail, fail, dns_error
smtp://nx.smtpdiag.test:465 []: implicit
  config ok: nx.smtpdiag.test port 465, encryption implicit (no encryption given: implicit TLS because the port is 465)
  dns.host fail, fail, dns_error
smtp://nx.smtpdiag.test:465 {"encryption":"tls"}: implicit
  config ok: nx.smtpdiag.test port 465, encryption implicit (encryption "tls" read as implicit TLS because the port is 465, as PHPMailer and Laravel read it)
  dns.host fail, fail, dns_error
smtp://nx.smtpdiag.test:587 {"encryption":"tls"}: starttls
  config ok: nx.smtpdiag.test port 587, encryption starttls (encryption "tls" read as STARTTLS (required), as PHPMailer and Laravel read it)
  dns.host fail, fail, dns_error
