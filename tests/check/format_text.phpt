--TEST--
smtpdiag_format(): exact text of a fixed report, with and without transcript and timestamps; OK/WARN headers; error line with SMTP code
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$r = check_fixture_report();

echo "== default\n";
echo smtpdiag_format($r);
echo "== transcript\n";
echo smtpdiag_format($r, ['transcript' => true]);
echo "== transcript + timestamps\n";
echo smtpdiag_format($r, ['transcript' => true, 'timestamps' => true]);
echo "== same output\n";
// timestamps alone do not add the transcript; explicit false equals the default
var_dump(smtpdiag_format($r, ['timestamps' => true]) === smtpdiag_format($r));
var_dump(smtpdiag_format($r, ['color' => false, 'transcript' => false, 'timestamps' => false]) === smtpdiag_format($r));
var_dump(smtpdiag_format($r, []) === smtpdiag_format($r));

echo "== warn, no error\n";
$w = $r;
$w['ok'] = true;
$w['status'] = 'warn';
$w['duration_ms'] = 5.0;
$w['steps'] = array_slice($r['steps'], 2, 1);
$w['error'] = null;
echo smtpdiag_format($w, ['transcript' => true]), "|\n";

echo "== ok, empty transcript\n";
$o = $w;
$o['status'] = 'ok';
$o['steps'] = array_slice($r['steps'], 0, 2);
$o['transcript'] = [];
echo smtpdiag_format($o, ['transcript' => true]), "|\n";

echo "== transient error with an SMTP code\n";
$f = $r;
$f['steps'] = [['id' => 'smtp.banner', 'status' => 'fail', 'duration_ms' => 2.0,
    'message' => 'the server refused the session in its greeting: 421 4.3.2 try later', 'hint' => 'Retry later.', 'data' => []]];
$f['error'] = ['category' => 'service_unavailable', 'phase' => 'banner', 'transient' => true, 'code' => 421,
    'enhanced' => '4.3.2', 'message' => 'the server refused the session in its greeting: 421 4.3.2 try later', 'hint' => 'Retry later.'];
echo smtpdiag_format($f), "|\n";
?>
--EXPECT--
== default
smtpdiag check of mail.example.com:587 (starttls): FAIL in 1234.5 ms

  [ ok ] config                0.0 ms  mail.example.com port 587, encryption starttls (encryption "starttls")
  [ ok ] dns.host             12.3 ms  mail.example.com resolves to 2001:db8::25, 192.0.2.25
  [warn] tcp.connect        1001.2 ms  connected to 192.0.2.25 port 587 after 1 failed attempts
         hint: Some of the host's addresses do not accept connections.
  [ ok ] smtp.banner          20.5 ms  220 mail.example.com ESMTP
  [ ok ] smtp.ehlo             3.1 ms  EHLO [192.0.2.10] accepted: STARTTLS
  [ ok ] tls                  45.6 ms  TLSv1.3 with TLS_AES_256_GCM_SHA384, after STARTTLS
  [FAIL] tls.certificate       0.0 ms  the server's certificate did not verify: certificate has expired
         hint: Renew the certificate.
  [skip] smtp.auth             0.0 ms  not reached

error: tls_certificate (permanent): the server's certificate did not verify: certificate has expired
== transcript
smtpdiag check of mail.example.com:587 (starttls): FAIL in 1234.5 ms

  [ ok ] config                0.0 ms  mail.example.com port 587, encryption starttls (encryption "starttls")
  [ ok ] dns.host             12.3 ms  mail.example.com resolves to 2001:db8::25, 192.0.2.25
  [warn] tcp.connect        1001.2 ms  connected to 192.0.2.25 port 587 after 1 failed attempts
         hint: Some of the host's addresses do not accept connections.
  [ ok ] smtp.banner          20.5 ms  220 mail.example.com ESMTP
  [ ok ] smtp.ehlo             3.1 ms  EHLO [192.0.2.10] accepted: STARTTLS
  [ ok ] tls                  45.6 ms  TLSv1.3 with TLS_AES_256_GCM_SHA384, after STARTTLS
  [FAIL] tls.certificate       0.0 ms  the server's certificate did not verify: certificate has expired
         hint: Renew the certificate.
  [skip] smtp.auth             0.0 ms  not reached

error: tls_certificate (permanent): the server's certificate did not verify: certificate has expired

transcript:
=== connecting to mail.example.com:587 (encryption starttls)
<-  220 mail.example.com ESMTP
 -> EHLO [192.0.2.10]
<-  250 STARTTLS
 -> STARTTLS
<-  220 go ahead
=== TLS established: TLSv1.3, TLS_AES_256_GCM_SHA384
 ~> EHLO [192.0.2.10]
<~  250 mail.example.com
== transcript + timestamps
smtpdiag check of mail.example.com:587 (starttls): FAIL in 1234.5 ms

  [ ok ] config                0.0 ms  mail.example.com port 587, encryption starttls (encryption "starttls")
  [ ok ] dns.host             12.3 ms  mail.example.com resolves to 2001:db8::25, 192.0.2.25
  [warn] tcp.connect        1001.2 ms  connected to 192.0.2.25 port 587 after 1 failed attempts
         hint: Some of the host's addresses do not accept connections.
  [ ok ] smtp.banner          20.5 ms  220 mail.example.com ESMTP
  [ ok ] smtp.ehlo             3.1 ms  EHLO [192.0.2.10] accepted: STARTTLS
  [ ok ] tls                  45.6 ms  TLSv1.3 with TLS_AES_256_GCM_SHA384, after STARTTLS
  [FAIL] tls.certificate       0.0 ms  the server's certificate did not verify: certificate has expired
         hint: Renew the certificate.
  [skip] smtp.auth             0.0 ms  not reached

error: tls_certificate (permanent): the server's certificate did not verify: certificate has expired

transcript:
[    0.125] === connecting to mail.example.com:587 (encryption starttls)
[ 1013.500] <-  220 mail.example.com ESMTP
[ 1014.250]  -> EHLO [192.0.2.10]
[ 1016.000] <-  250 STARTTLS
[ 1016.500]  -> STARTTLS
[ 1018.000] <-  220 go ahead
[ 1065.750] === TLS established: TLSv1.3, TLS_AES_256_GCM_SHA384
[ 1066.000]  ~> EHLO [192.0.2.10]
[ 1070.000] <~  250 mail.example.com
== same output
bool(true)
bool(true)
bool(true)
== warn, no error
smtpdiag check of mail.example.com:587 (starttls): WARN in 5.0 ms

  [warn] tcp.connect        1001.2 ms  connected to 192.0.2.25 port 587 after 1 failed attempts
         hint: Some of the host's addresses do not accept connections.

transcript:
=== connecting to mail.example.com:587 (encryption starttls)
<-  220 mail.example.com ESMTP
 -> EHLO [192.0.2.10]
<-  250 STARTTLS
 -> STARTTLS
<-  220 go ahead
=== TLS established: TLSv1.3, TLS_AES_256_GCM_SHA384
 ~> EHLO [192.0.2.10]
<~  250 mail.example.com
|
== ok, empty transcript
smtpdiag check of mail.example.com:587 (starttls): OK in 5.0 ms

  [ ok ] config                0.0 ms  mail.example.com port 587, encryption starttls (encryption "starttls")
  [ ok ] dns.host             12.3 ms  mail.example.com resolves to 2001:db8::25, 192.0.2.25

transcript:
|
== transient error with an SMTP code
smtpdiag check of mail.example.com:587 (starttls): FAIL in 1234.5 ms

  [FAIL] smtp.banner           2.0 ms  the server refused the session in its greeting: 421 4.3.2 try later
         hint: Retry later.

error: service_unavailable (transient, SMTP 421): the server refused the session in its greeting: 421 4.3.2 try later
|
