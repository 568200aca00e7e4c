--TEST--
smtpdiag_dns(): dns.dmarc on the wire: p=reject, p=none, no rua, no record, the organisational domain's record, two records, external report destinations with and without their authorisation, syntax errors
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$zone = [
    '_dmarc.reject.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:dmarc@reject.test', 'unrelated text']],
    '_dmarc.none.test' => ['TXT' => ['v=DMARC1; p=none; rua=mailto:dmarc@none.test']],
    '_dmarc.norua.test' => ['TXT' => ['v=DMARC1; p=quarantine']],
    'nodmarc.test' => ['MX' => [[10, 'mx.nodmarc.test']]],
    '_dmarc.org.test' => ['TXT' => ['v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@org.test']],
    'sub.org.test' => ['A' => ['192.0.2.1']],
    '_dmarc.two.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:a@two.test', 'v=DMARC1; p=none']],
    '_dmarc.ext.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:agg@reports.example,mailto:dmarc@ext.test']],
    'ext.test._report._dmarc.reports.example' => ['TXT' => ['v=DMARC1']],
    '_dmarc.extno.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:agg@reports.example']],
    '_dmarc.badp.test' => ['TXT' => ['v=DMARC1; p=rejected; rua=mailto:d@badp.test']],
    '_dmarc.order.test' => ['TXT' => ['p=reject; v=DMARC1; rua=mailto:d@order.test']],
    '_dmarc.nop.test' => ['TXT' => ['v=DMARC1; rua=mailto:d@nop.test']],
    '_dmarc.baduri.test' => ['TXT' => ['v=DMARC1; p=reject; rua=dmarc@baduri.test']],
    '_dmarc.pct.test' => ['TXT' => ['v=DMARC1; p=reject; pct=50; rua=mailto:d@pct.test']],
    '_dmarc.slow.test' => ['fault' => 'servfail'],
];
$dns = DnsTestServer::start($zone);
$run = static fn (string $domain): array =>
    smtpdiag_dns($domain, ['dns' => ['dmarc'], 'dns_servers' => $dns->servers(), 'timeout' => 3]);

foreach (['reject.test', 'none.test', 'norua.test', 'nodmarc.test', 'sub.org.test', 'two.test', 'ext.test', 'extno.test', 'badp.test',
    'order.test', 'nop.test', 'baduri.test', 'pct.test', 'slow.test'] as $domain) {
    $r = $run($domain);
    $d = dns_step($r, 'dns.dmarc')['data'];
    echo "== $domain: {$r['status']}, name {$d['name']}, inherited ", json_encode($d['inherited']), ', policy ', $d['policy'] ?? '-',
        ', applied ', $d['applied_policy'] ?? '-', "\n";
    dns_print_steps($r);
    foreach ($d['external'] ?? [] as $e) {
        echo '  external: ', json_encode($e, JSON_UNESCAPED_SLASHES), "\n";
    }
    foreach ($d['problems'] ?? [] as $p) {
        echo "  problem: {$p['status']}: {$p['message']}\n";
    }
}

echo "-- the data\n";
$d = dns_step($run('reject.test'), 'dns.dmarc')['data'];
echo json_encode($d, JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT), "\n";
$d = dns_step($run('nodmarc.test'), 'dns.dmarc')['data'];
echo json_encode($d, JSON_UNESCAPED_SLASHES), "\n";
$names = array_map(static fn (array $q): string => "{$q['name']} {$q['type']}", $dns->queryLog());
var_dump(in_array('_dmarc.org.test TXT', $names, true), in_array('ext.test._report._dmarc.reports.example TXT', $names, true));
?>
--EXPECT--
== reject.test: ok, name _dmarc.reject.test, inherited false, policy reject, applied reject
dns.dmarc ok: DMARC policy p=reject at _dmarc.reject.test
== none.test: warn, name _dmarc.none.test, inherited false, policy none, applied none
dns.dmarc warn: _dmarc.none.test: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
  hint: Once the aggregate reports show your own mail passing DMARC, move to p=quarantine, then p=reject.
  problem: warn: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
== norua.test: warn, name _dmarc.norua.test, inherited false, policy quarantine, applied quarantine
dns.dmarc warn: _dmarc.norua.test: no rua=: nobody receives aggregate reports, so you cannot see who sends mail as this domain or whether it passes
  hint: Add rua=mailto:<a mailbox or a DMARC report service you read>.
  problem: warn: no rua=: nobody receives aggregate reports, so you cannot see who sends mail as this domain or whether it passes
== nodmarc.test: fail, name _dmarc.nodmarc.test, inherited false, policy -, applied -
dns.dmarc fail: no DMARC record at _dmarc.nodmarc.test
  hint: Publish TXT at _dmarc.nodmarc.test: "v=DMARC1; p=none; rua=mailto:dmarc@nodmarc.test" as a start (Gmail and Yahoo require DMARC of bulk senders since 2024), then tighten p= as the reports show your mail passing.
== sub.org.test: ok, name _dmarc.org.test, inherited true, policy reject, applied quarantine
dns.dmarc ok: DMARC policy p=quarantine at _dmarc.org.test (the organisational domain's, inherited)
  problem: note: sub.org.test has no DMARC record of its own; the organisational domain's record at _dmarc.org.test applies (its sp=, or p=)
== two.test: fail, name _dmarc.two.test, inherited false, policy -, applied -
dns.dmarc fail: 2 DMARC records at _dmarc.two.test: receivers apply no policy at all (RFC 7489 6.6.3)
  hint: Merge them into one TXT record at _dmarc.two.test.
== ext.test: ok, name _dmarc.ext.test, inherited false, policy reject, applied reject
dns.dmarc ok: DMARC policy p=reject at _dmarc.ext.test
  external: {"destination":"reports.example","name":"ext.test._report._dmarc.reports.example","authorised":true,"dns":"ok"}
== extno.test: warn, name _dmarc.extno.test, inherited false, policy reject, applied reject
dns.dmarc warn: _dmarc.extno.test: reports.example has not agreed to receive DMARC reports for extno.test: no v=DMARC1 record at extno.test._report._dmarc.reports.example (RFC 7489 7.1), so receivers do not send them
  hint: Ask the operator of reports.example to publish TXT "v=DMARC1" at extno.test._report._dmarc.reports.example, or send the reports to an address at extno.test.
  external: {"destination":"reports.example","name":"extno.test._report._dmarc.reports.example","authorised":false,"dns":"nxdomain"}
  problem: warn: reports.example has not agreed to receive DMARC reports for extno.test: no v=DMARC1 record at extno.test._report._dmarc.reports.example (RFC 7489 7.1), so receivers do not send them
== badp.test: fail, name _dmarc.badp.test, inherited false, policy invalid, applied none
dns.dmarc fail: _dmarc.badp.test: p=rejected is not none, quarantine or reject
  hint: Set p=none, p=quarantine or p=reject.
  problem: fail: p=rejected is not none, quarantine or reject
  problem: warn: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
== order.test: fail, name _dmarc.order.test, inherited false, policy -, applied -
dns.dmarc fail: the TXT record at _dmarc.order.test names v=DMARC1 but does not begin with it: receivers ignore it and apply no DMARC policy
  hint: Start the record with the version tag: "v=DMARC1; p=..." (the tags after it may come in any order).
== nop.test: warn, name _dmarc.nop.test, inherited false, policy -, applied none
dns.dmarc warn: _dmarc.nop.test: the record has no p= tag; because rua= is valid, receivers act as if p=none (RFC 7489 6.6.3)
  hint: Add p=none (monitoring), p=quarantine or p=reject right after v=DMARC1.
  problem: warn: the record has no p= tag; because rua= is valid, receivers act as if p=none (RFC 7489 6.6.3)
  problem: warn: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
== baduri.test: fail, name _dmarc.baduri.test, inherited false, policy reject, applied reject
dns.dmarc fail: _dmarc.baduri.test: rua=: "dmarc@baduri.test" lacks the mailto: scheme; write mailto:dmarc@baduri.test
  hint: Report URIs are mailto:address (optionally with a size limit such as !10m), comma-separated, e.g. rua=mailto:dmarc@example.com,mailto:dmarc@provider.example.
  problem: fail: rua=: "dmarc@baduri.test" lacks the mailto: scheme; write mailto:dmarc@baduri.test
  problem: warn: no rua=: nobody receives aggregate reports, so you cannot see who sends mail as this domain or whether it passes
== pct.test: warn, name _dmarc.pct.test, inherited false, policy reject, applied reject
dns.dmarc warn: _dmarc.pct.test: pct=50: p=reject applies to 50% of the failing mail; the rest gets the next weaker policy
  hint: Raise pct to 100 (or drop pct=, 100 is the default) once the reports are clean.
  problem: warn: pct=50: p=reject applies to 50% of the failing mail; the rest gets the next weaker policy
== slow.test: warn, name _dmarc.slow.test, inherited false, policy -, applied -
dns.dmarc warn: the look-up of TXT _dmarc.slow.test failed: the DNS server failed to answer _dmarc.slow.test TXT (SERVFAIL)
  hint: Receivers get the same failure and apply no DMARC policy (temperror); check that every name server of slow.test answers for _dmarc.slow.test.
-- the data
{
    "domain": "reject.test",
    "org_domain": "reject.test",
    "name": "_dmarc.reject.test",
    "inherited": false,
    "record": "v=DMARC1; p=reject; rua=mailto:dmarc@reject.test",
    "policy": "reject",
    "subdomain_policy": "reject",
    "applied_policy": "reject",
    "np": null,
    "pct": 100,
    "rua": [
        "mailto:dmarc@reject.test"
    ],
    "ruf": [],
    "adkim": "r",
    "aspf": "r",
    "fo": "0",
    "external": [],
    "problems": []
}
{"domain":"nodmarc.test","org_domain":"nodmarc.test","name":"_dmarc.nodmarc.test","inherited":false,"record":null,"records":0}
bool(true)
bool(true)
