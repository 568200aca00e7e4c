--TEST--
smtpdiag_dns(): dns.tls_rpt (absent, valid, invalid, two records) and dns.bimi (absent, with DMARC at enforcement, with p=none, declined, invalid)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$zone = [
    'a.test' => ['MX' => [[10, 'mx.a.test']]],
    '_smtp._tls.a.test' => ['TXT' => ['v=TLSRPTv1; rua=mailto:tls@a.test,https://reports.a.test/tlsrpt']],
    'default._bimi.a.test' => ['TXT' => ['v=BIMI1; l=https://a.test/logo.svg; a=https://a.test/vmc.pem']],
    '_dmarc.a.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:d@a.test']],
    '_smtp._tls.bad.test' => ['TXT' => ['v=TLSRPTv1; rua=tls@bad.test']],
    'default._bimi.bad.test' => ['TXT' => ['v=BIMI1; l=http://bad.test/logo.svg']],
    '_dmarc.bad.test' => ['TXT' => ['v=DMARC1; p=none; rua=mailto:d@bad.test']],
    '_smtp._tls.two.test' => ['TXT' => ['v=TLSRPTv1; rua=mailto:a@two.test', 'v=TLSRPTv1; rua=mailto:b@two.test']],
    'default._bimi.two.test' => ['TXT' => ['v=BIMI1; l=https://two.test/logo.svg; a=https://two.test/vmc.pem']],
    '_dmarc.two.test' => ['TXT' => ['v=DMARC1; p=none; rua=mailto:d@two.test']],
    'default._bimi.decl.test' => ['TXT' => ['v=BIMI1; l=; a=;']],
    '_dmarc.decl.test' => ['TXT' => ['v=DMARC1; p=quarantine; rua=mailto:d@decl.test']],
    'default._bimi.nodmarc.test' => ['TXT' => ['v=BIMI1; l=https://nodmarc.test/logo.svg']],
];
$dns = DnsTestServer::start($zone);
foreach (['a.test', 'bad.test', 'two.test', 'decl.test', 'nodmarc.test', 'none.test'] as $domain) {
    $r = smtpdiag_dns($domain, ['dns' => ['tls_rpt', 'bimi'], 'dns_servers' => $dns->servers(), 'timeout' => 3]);
    echo "== $domain: {$r['status']}\n";
    dns_print_steps($r);
}
echo "-- the data\n";
$r = smtpdiag_dns('a.test', ['dns' => ['tls_rpt', 'bimi'], 'dns_servers' => $dns->servers(), 'timeout' => 3]);
echo json_encode(dns_step($r, 'dns.tls_rpt')['data'], JSON_UNESCAPED_SLASHES), "\n";
echo json_encode(dns_step($r, 'dns.bimi')['data'], JSON_UNESCAPED_SLASHES), "\n";
$r = smtpdiag_dns('bad.test', ['dns' => ['tls_rpt', 'bimi'], 'dns_servers' => $dns->servers(), 'timeout' => 3]);
echo json_encode(dns_step($r, 'dns.tls_rpt')['data'], JSON_UNESCAPED_SLASHES), "\n";
echo json_encode(dns_step($r, 'dns.bimi')['data'], JSON_UNESCAPED_SLASHES), "\n";
$r = smtpdiag_dns('none.test', ['dns' => ['tls_rpt', 'bimi'], 'dns_servers' => $dns->servers(), 'timeout' => 3]);
echo json_encode(dns_step($r, 'dns.tls_rpt')['data'], JSON_UNESCAPED_SLASHES), "\n";
echo json_encode(dns_step($r, 'dns.bimi')['data'], JSON_UNESCAPED_SLASHES), "\n";
var_dump($r['ok'], $r['error']);
?>
--EXPECT--
== a.test: ok
dns.tls_rpt ok: TLS-RPT reports for a.test go to mailto:tls@a.test and more
dns.bimi ok: BIMI record at default._bimi.a.test; DMARC is at enforcement
== bad.test: fail
dns.tls_rpt fail: _smtp._tls.bad.test: rua=: "tls@bad.test" lacks the mailto: scheme; write mailto:tls@bad.test
  hint: rua= takes mailto:address or https:// URLs, comma-separated.
dns.bimi fail: default._bimi.bad.test: l=http://bad.test/logo.svg: the logo must be an https:// URL
  hint: Mailbox providers fetch BIMI files over HTTPS only; use an https:// URL.
== two.test: fail
dns.tls_rpt fail: 2 TLS-RPT records at _smtp._tls.two.test: senders then ignore them all (RFC 8460 3)
  hint: Keep one v=TLSRPTv1 record at _smtp._tls.two.test, with every destination in its rua=.
dns.bimi warn: default._bimi.two.test: BIMI needs DMARC at enforcement, but _dmarc.two.test says p=none: mailbox providers show no logo
  hint: Move DMARC to p=quarantine with pct=100, or p=reject, and drop sp=none.
== decl.test: ok
dns.tls_rpt skip: no TLS-RPT record at _smtp._tls.decl.test (optional; recommended with MTA-STS or DANE)
  hint: To learn when senders fail to reach you over TLS, publish TXT at _smtp._tls.decl.test: "v=TLSRPTv1; rua=mailto:tls-reports@decl.test".
dns.bimi ok: BIMI record at default._bimi.decl.test declines a logo
== nodmarc.test: warn
dns.tls_rpt skip: no TLS-RPT record at _smtp._tls.nodmarc.test (optional; recommended with MTA-STS or DANE)
  hint: To learn when senders fail to reach you over TLS, publish TXT at _smtp._tls.nodmarc.test: "v=TLSRPTv1; rua=mailto:tls-reports@nodmarc.test".
dns.bimi warn: default._bimi.nodmarc.test: BIMI needs DMARC at enforcement, and nodmarc.test has no usable DMARC policy: no logo is shown
  hint: Publish a DMARC record with p=quarantine (pct=100) or p=reject first.
== none.test: ok
dns.tls_rpt skip: no TLS-RPT record at _smtp._tls.none.test (optional; recommended with MTA-STS or DANE)
  hint: To learn when senders fail to reach you over TLS, publish TXT at _smtp._tls.none.test: "v=TLSRPTv1; rua=mailto:tls-reports@none.test".
dns.bimi skip: no BIMI record at default._bimi.none.test (optional)
-- the data
{"name":"_smtp._tls.a.test","record":"v=TLSRPTv1; rua=mailto:tls@a.test,https://reports.a.test/tlsrpt","rua":["mailto:tls@a.test","https://reports.a.test/tlsrpt"],"problems":[]}
{"name":"default._bimi.a.test","record":"v=BIMI1; l=https://a.test/logo.svg; a=https://a.test/vmc.pem","dmarc_policy":"reject","dmarc_enforced":true,"logo":"https://a.test/logo.svg","authority":"https://a.test/vmc.pem","declined":false,"problems":[]}
{"name":"_smtp._tls.bad.test","record":"v=TLSRPTv1; rua=tls@bad.test","rua":[],"problems":[{"status":"fail","message":"rua=: \"tls@bad.test\" lacks the mailto: scheme; write mailto:tls@bad.test","hint":"rua= takes mailto:address or https:// URLs, comma-separated"},{"status":"fail","message":"rua= holds no valid URI, so no report can be sent","hint":"publish one TXT record at _smtp._tls.<domain>: v=TLSRPTv1; rua=mailto:tls-reports@<domain> (https:// URLs work too)"}]}
{"name":"default._bimi.bad.test","record":"v=BIMI1; l=http://bad.test/logo.svg","dmarc_policy":"none","dmarc_enforced":false,"logo":null,"authority":null,"declined":false,"problems":[{"status":"fail","message":"l=http://bad.test/logo.svg: the logo must be an https:// URL","hint":"mailbox providers fetch BIMI files over HTTPS only; use an https:// URL"}]}
{"name":"_smtp._tls.none.test","record":null}
{"name":"default._bimi.none.test","record":null,"dmarc_policy":null,"dmarc_enforced":false,"logo":null,"authority":null}
bool(true)
NULL
