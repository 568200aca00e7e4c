--TEST--
phpinfo() shows the smtpdiag section with OpenSSL and c-ares versions and the INI settings
--EXTENSIONS--
smtpdiag
--INI--
smtpdiag.default_timeout=12.5
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();

$start = strpos($info, "\nsmtpdiag\n");
var_dump($start !== false);
$section = substr($info, $start + 1);
// the section ends with its INI directives table
$section = substr($section, 0, strpos($section, 'smtpdiag.dns_servers'));
$section .= strtok(substr($info, strpos($info, 'smtpdiag.dns_servers')), "\n") . "\n";
echo $section;
var_dump(str_contains($section, 'Version => ' . SMTPDIAG_VERSION . "\n"));
?>
--EXPECTF--
bool(true)
smtpdiag

smtpdiag support => enabled
Version => %s
OpenSSL compiled => OpenSSL %d.%d.%s
OpenSSL runtime => OpenSSL %d.%d.%s
c-ares compiled => %d.%d.%d
c-ares runtime => %d.%d.%d

Directive => Local Value => Master Value
smtpdiag.cafile => no value => no value
smtpdiag.default_timeout => 12.5 => 12.5
smtpdiag.dns_servers => no value => no value
bool(true)
