--TEST--
smtpdiag dns DOMAIN: the domain's DNS checks as text (the header names the domain); exit 0 when they pass, also with warnings, 1 for warnings with --strict, 3 when a dns.* step fails; --dkim-selector, --ip and --sender reach the checks; --quiet prints nothing; --color
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag')) {
    die('skip scripts/smtpdiag is not in this tree');
}
?>
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/cli.inc';
require_once __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start([
    'ok.example.test' => ['MX' => [[10, 'mx.ok.example.test']], 'TXT' => ['v=spf1 ip4:192.0.2.0/24 -all']],
    'mx.ok.example.test' => ['A' => ['192.0.2.25']],
    '_dmarc.ok.example.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:dmarc@ok.example.test']],
    'warn.example.test' => ['MX' => [[10, 'mx.ok.example.test']], 'TXT' => ['v=spf1 ip4:192.0.2.0/24 -all']],
    '_dmarc.warn.example.test' => ['TXT' => ['v=DMARC1; p=none']],
    'fail.example.test' => ['MX' => [[10, 'mx.ok.example.test']]],
    // the local part of the sender and the HELO name in a macro: pass only when both reach the evaluation
    'macro.example.test' => ['TXT' => ['v=spf1 exists:%{l}.%{h}.allowed.example.test -all']],
    'app.client.example.test.allowed.example.test' => ['A' => ['127.0.0.2']],
    '_dmarc.fail.example.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:dmarc@fail.example.test']],
]);
$common = ['--dns-servers=' . $dns->servers(), '--timeout=5'];

/** Run smtpdiag dns; print the exit status, stderr when there is any, and stdout. */
function run(array $args): void
{
    global $common;
    [$status, $out, $err] = cli(['dns', ...$args, ...$common]);
    echo "exit $status", $err === '' ? '' : ', stderr ' . json_encode($err), "\n", $out;
}

echo "== ok\n";
run(['ok.example.test', '--dns=mx,spf,dmarc']);
echo "== ok, --strict\n";
run(['ok.example.test', '--dns=mx,spf,dmarc', '--strict', '--quiet']);

echo "== a warning: exit 0, with --strict 1\n";
run(['warn.example.test', '--dns=spf,dmarc']);
run(['warn.example.test', '--dns=spf,dmarc', '--strict', '-q']);

echo "== no SPF record: exit 3, with or without --strict, also with --quiet\n";
run(['fail.example.test', '--dns=mx,spf,dmarc']);
run(['fail.example.test', '--dns=mx,spf,dmarc', '--strict', '--quiet']);

echo "== --ip, --sender and --helo: SPF evaluated for the address\n";
run(['ok.example.test', '--dns=spf', '--ip=192.0.2.7']);
run(['ok.example.test', '--dns=spf', '--ip=198.51.100.7']);
run(['macro.example.test', '--dns=spf', '--ip=198.51.100.7', '--sender=app@macro.example.test', '--helo=client.example.test']);
echo cli(['dns', 'macro.example.test', '--dns=spf', '--ip=198.51.100.7', '--sender=bob@macro.example.test', '--helo=client.example.test', '-q', ...$common])[0], "\n";
echo cli(['dns', 'macro.example.test', '--dns=spf', '--ip=198.51.100.7', '--sender=app@macro.example.test', '--helo=other.example.test', '-q', ...$common])[0], "\n";

echo "== --dkim-selector, repeatable and a comma list: each selector is looked up\n";
run(['ok.example.test', '--dns=dkim', '--dkim-selector=sel1,sel2', '--dkim-selector', 'sel3']);
echo implode("\n", array_filter($dns->queries(), static fn (string $q): bool => str_contains($q, '_domainkey'))), "\n";
echo "the hint names the option of the command line:\n";
[, $out] = cli(['dns', 'ok.example.test', '--dns=dkim', ...$common]);
echo preg_match('/^ +hint: (Give the selector .*)$/m', $out, $m) ? $m[1] : $out, "\n";

echo "== --color=always\n";
[$status, $out] = cli(['dns', 'fail.example.test', '--dns=spf', '--color=always', ...$common]);
echo "exit $status\n", str_replace("\e", '<ESC>', $out);
?>
--EXPECTF--
== ok
exit 0
smtpdiag dns of ok.example.test: OK in %f ms

  [ ok ] dns.mx           %w%f ms  1 MX host, lowest preference mx.ok.example.test
  [ ok ] dns.spf          %w%f ms  SPF record of ok.example.test is valid (0 of 10 DNS look-ups)
  [ ok ] dns.dmarc        %w%f ms  DMARC policy p=reject at _dmarc.ok.example.test
== ok, --strict
exit 0
== a warning: exit 0, with --strict 1
exit 0
smtpdiag dns of warn.example.test: WARN in %f ms

  [ ok ] dns.spf          %w%f ms  SPF record of warn.example.test is valid (0 of 10 DNS look-ups)
  [warn] dns.dmarc        %w%f ms  _dmarc.warn.example.test: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
         hint: %s
exit 1
== no SPF record: exit 3, with or without --strict, also with --quiet
exit 3
smtpdiag dns of fail.example.test: FAIL in %f ms

  [ ok ] dns.mx           %w%f ms  1 MX host, lowest preference mx.ok.example.test
  [FAIL] dns.spf          %w%f ms  No SPF record: fail.example.test has no SPF record (no TXT record starting with "v=spf1")
         hint: Publish one TXT record at fail.example.test: "v=spf1 include:<your provider> -all" (with the include your mail provider documents, plus ip4:/ip6: for servers of your own).
  [ ok ] dns.dmarc        %w%f ms  DMARC policy p=reject at _dmarc.fail.example.test

error: spam_or_policy (permanent): dns.spf: No SPF record: fail.example.test has no SPF record (no TXT record starting with "v=spf1")
exit 3
== --ip, --sender and --helo: SPF evaluated for the address
exit 0
smtpdiag dns of ok.example.test: OK in %f ms

  [ ok ] dns.spf          %w%f ms  SPF pass: 192.0.2.7 may send for ok.example.test (matched "ip4:192.0.2.0/24" in the record of ok.example.test)
exit 3
smtpdiag dns of ok.example.test: FAIL in %f ms

  [FAIL] dns.spf          %w%f ms  SPF fail: the record of ok.example.test does not authorise 198.51.100.7 (matched "-all"): receivers may reject the mail
         hint: Add "ip4:198.51.100.7" to the SPF record of ok.example.test, or the include of the provider that sends for you.

error: spam_or_policy (permanent): dns.spf: SPF fail: the record of ok.example.test does not authorise 198.51.100.7 (matched "-all"): receivers may reject the mail
exit 0
smtpdiag dns of macro.example.test: OK in %f ms

  [ ok ] dns.spf          %w%f ms  SPF pass: 198.51.100.7 may send for macro.example.test (matched "exists:%{l}.%{h}.allowed.example.test" in the record of macro.example.test)
3
3
== --dkim-selector, repeatable and a comma list: each selector is looked up
exit 3
smtpdiag dns of ok.example.test: FAIL in %f ms

  [FAIL] dns.dkim         %w%f ms  sel1._domainkey.ok.example.test: no DKIM key at sel1._domainkey.ok.example.test (the name does not exist) (and 2 more selectors with problems)
         hint: %s

error: spam_or_policy (permanent): dns.dkim: %s
sel1._domainkey.ok.example.test TXT -> NXDOMAIN
sel2._domainkey.ok.example.test TXT -> NXDOMAIN
sel3._domainkey.ok.example.test TXT -> NXDOMAIN
the hint names the option of the command line:
Give the selector your provider uses (option dkim_selectors, or --dkim-selector on the command line); it is in the s= tag of a DKIM-Signature header of a sent message (or your provider's DKIM setup page).
== --color=always
exit 3
smtpdiag dns of fail.example.test: <ESC>[31mFAIL<ESC>[0m in %f ms

  [<ESC>[31mFAIL<ESC>[0m] dns.spf          %w%f ms  No SPF record: %s
         hint: %s

error: spam_or_policy (permanent): dns.spf: %s
