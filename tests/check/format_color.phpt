--TEST--
smtpdiag_format(): ANSI colours only with color => true, around the status words only
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$r = check_fixture_report();

foreach ([[], ['color' => false], ['color' => 0], ['transcript' => true, 'timestamps' => true]] as $opts) {
    var_dump(str_contains(smtpdiag_format($r, $opts), "\e"));
}

$plain = smtpdiag_format($r, ['transcript' => true]);
$color = smtpdiag_format($r, ['color' => true, 'transcript' => true]);
// Every escape sequence is an SGR code; listed in order:
preg_match_all('/\e\[[0-9;]*m/', $color, $m);
echo implode(' ', array_map(static fn (string $s): string => substr($s, 1), $m[0])), "\n";
var_dump(substr_count($color, "\e") === count($m[0]));
// Without the codes, the coloured text is the plain text.
var_dump(preg_replace('/\e\[[0-9;]*m/', '', $color) === $plain);

// Where they go: the header status word and each step's label.
foreach (explode("\n", $color) as $line) {
    if (str_contains($line, "\e")) {
        echo str_replace("\e", '\e', $line), "\n";
    }
}

$ok = $r;
$ok['status'] = 'ok';
$ok['ok'] = true;
$ok['error'] = null;
$ok['steps'] = [];
echo str_replace("\e", '\e', smtpdiag_format($ok, ['color' => true]));
$warn = $ok;
$warn['status'] = 'warn';
echo str_replace("\e", '\e', smtpdiag_format($warn, ['color' => true]));
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
bool(false)
[31m [0m [32m [0m [32m [0m [33m [0m [32m [0m [32m [0m [32m [0m [31m [0m [2m [0m
bool(true)
bool(true)
smtpdiag check of mail.example.com:587 (starttls): \e[31mFAIL\e[0m in 1234.5 ms
  [\e[32m ok \e[0m] config                0.0 ms  mail.example.com port 587, encryption starttls (encryption "starttls")
  [\e[32m ok \e[0m] dns.host             12.3 ms  mail.example.com resolves to 2001:db8::25, 192.0.2.25
  [\e[33mwarn\e[0m] tcp.connect        1001.2 ms  connected to 192.0.2.25 port 587 after 1 failed attempts
  [\e[32m ok \e[0m] smtp.banner          20.5 ms  220 mail.example.com ESMTP
  [\e[32m ok \e[0m] smtp.ehlo             3.1 ms  EHLO [192.0.2.10] accepted: STARTTLS
  [\e[32m ok \e[0m] tls                  45.6 ms  TLSv1.3 with TLS_AES_256_GCM_SHA384, after STARTTLS
  [\e[31mFAIL\e[0m] tls.certificate       0.0 ms  the server's certificate did not verify: certificate has expired
  [\e[2mskip\e[0m] smtp.auth             0.0 ms  not reached
smtpdiag check of mail.example.com:587 (starttls): \e[32mOK\e[0m in 1234.5 ms

smtpdiag check of mail.example.com:587 (starttls): \e[33mWARN\e[0m in 1234.5 ms

