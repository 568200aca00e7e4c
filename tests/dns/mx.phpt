--TEST--
smtpdiag_dns(): dns.mx over a real DNS exchange: ordered hosts, null MX, implicit MX, an MX at an alias, NXDOMAIN
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$zone = [
    'good.test' => ['MX' => [[20, 'mx2.good.test'], [10, 'mx1.good.test']]],
    'mx1.good.test' => ['A' => ['192.0.2.1'], 'AAAA' => ['2001:db8::1']],
    'mx2.good.test' => ['A' => ['192.0.2.2']],
    'nullmx.test' => ['MX' => [[0, '.']]],
    'aonly.test' => ['A' => ['192.0.2.3']],
    'alias.test' => ['MX' => [[10, 'mail.alias.test']]],
    'mail.alias.test' => ['CNAME' => ['real.alias.test']],
    'real.alias.test' => ['A' => ['192.0.2.4']],
];
foreach (['good.test', 'nullmx.test', 'aonly.test', 'alias.test', 'typo.test'] as $domain) {
    $r = dns_run($zone, $domain, ['mx']);
    echo "== $domain: ", $r['status'], "\n";
    dns_print_steps($r);
}
$r = dns_run($zone, 'good.test', ['mx']);
$d = dns_step($r, 'dns.mx')['data'];
echo json_encode($d['records']), "\n";
var_dump($r['error']);
$r = dns_run($zone, 'nullmx.test', ['mx']);
echo $r['error']['category'], ' ', $r['error']['phase'], "\n";
?>
--EXPECT--
== good.test: ok
dns.mx ok: 2 MX hosts, lowest preference mx1.good.test
== nullmx.test: fail
dns.mx fail: nullmx.test publishes a null MX (RFC 7505): it accepts no mail
  hint: Remove the null MX ("0 .") if the domain sends mail, and publish its real MX: receivers may reject senders whose domain takes no mail (550 5.7.27).
== aonly.test: warn
dns.mx warn: aonly.test has no MX record; mail to it falls back to its address record (implicit MX, RFC 5321 5.1)
  hint: Publish an MX record even when the mail server is the domain's own host; some senders refuse the A fallback.
== alias.test: warn
dns.mx warn: an MX host of alias.test is an alias (CNAME), which RFC 5321 5.1 does not allow
  hint: Point the MX record at the canonical name (the CNAME's target) instead (RFC 2181 10.3).
== typo.test: fail
dns.mx fail: the domain typo.test does not exist (NXDOMAIN)
  hint: Check the sender domain for typos: mail from a domain that does not exist is rejected (550 5.1.8 / 5.7.1).
[{"preference":10,"host":"mx1.good.test","addresses":["192.0.2.1","2001:db8::1"],"cname":null,"problem":null},{"preference":20,"host":"mx2.good.test","addresses":["192.0.2.2"],"cname":null,"problem":null}]
NULL
spam_or_policy dns
