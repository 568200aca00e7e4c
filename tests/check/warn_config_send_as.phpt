--TEST--
smtpdiag_check(): config warns when the sender is not the authenticated account at a mailbox provider that rejects or rewrites that (Microsoft 365, Gmail, Yahoo), and not for relays, the same address in other case, a user name that is not an address, or no sender
--DESCRIPTION--
The hosts are the providers' real names, so nothing may be contacted: the
scripted DNS server answers every name with NXDOMAIN and the check stops at
dns.host. Only the config step is under test here.
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';
require __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start([]);
$opts = ['dns_servers' => $dns->servers(), 'timeout' => 5, 'ports' => false];

$cases = [
    ['smtp://app%40contoso.example:pw@smtp.office365.com:587', 'billing@contoso.example'],
    ['smtp://me%40gmail.com:pw@smtp.gmail.com:587', 'noreply@shop.example'],
    ['smtps://me%40yahoo.com:pw@smtp.mail.yahoo.com:465', 'other@yahoo.com'],
    // no warning
    ['smtp://App%40Contoso.example:pw@smtp.office365.com:587', 'app@contoso.example'],
    ['smtp://apikey:pw@smtp.sendgrid.net:587', 'noreply@shop.example'],
    ['smtp://user%40shop.example:pw@mail.shop.example:587', 'noreply@shop.example'],
    ['smtp://me%40gmail.com:pw@smtp.gmail.com:587', null],
];
foreach ($cases as [$dsn, $from]) {
    $r = smtpdiag_check($dsn, ['from' => $from] + $opts);
    $config = check_step($r, 'config');
    echo $config['data']['username'], ' from ', $from ?? 'none', " via {$config['data']['host']}\n";
    echo "  config {$config['status']}: {$config['message']}\n";
    if ($config['hint'] !== null) {
        echo "  hint: {$config['hint']}\n";
    }
    echo '  dns.host ', check_step($r, 'dns.host')['status'], "\n";
}
?>
--EXPECT--
app@contoso.example from billing@contoso.example via smtp.office365.com
  config warn: the sender billing@contoso.example is not the account app@contoso.example
  hint: Microsoft 365 rejects it (554 5.7.60 SendAsDenied) unless the account has Send As rights on that mailbox: send from the account's own address, or have an admin grant Send As.
  dns.host fail
me@gmail.com from noreply@shop.example via smtp.gmail.com
  config warn: the sender noreply@shop.example is not the account me@gmail.com
  hint: Gmail rewrites the From to the account's address unless the address is added and verified under Settings, Accounts, "Send mail as".
  dns.host fail
me@yahoo.com from other@yahoo.com via smtp.mail.yahoo.com
  config warn: the sender other@yahoo.com is not the account me@yahoo.com
  hint: This provider rejects a From that is not the account's address or one of its verified aliases: send from the account's address, or add the address as an alias.
  dns.host fail
App@Contoso.example from app@contoso.example via smtp.office365.com
  config ok: smtp.office365.com port 587, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
  dns.host fail
apikey from noreply@shop.example via smtp.sendgrid.net
  config ok: smtp.sendgrid.net port 587, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
  dns.host fail
user@shop.example from noreply@shop.example via mail.shop.example
  config ok: mail.shop.example port 587, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
  dns.host fail
me@gmail.com from none via smtp.gmail.com
  config ok: smtp.gmail.com port 587, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
  dns.host fail
