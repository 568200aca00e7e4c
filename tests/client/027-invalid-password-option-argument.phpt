--TEST--
Client: a password given in $options without any user name is blamed on Argument #2 ($options)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
try {
    new SmtpDiag\Client('smtp://127.0.0.1:2525', ['password' => 'S3cr3t-P4ss']);
    echo "NO EXCEPTION\n";
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
// with the user name in the DSN and the password in the options it is valid
$c = new SmtpDiag\Client('smtp://alice@127.0.0.1:2525', ['password' => 'S3cr3t-P4ss']);
echo "ok\n";
?>
--EXPECT--
SmtpDiag\Client::__construct(): the configuration is invalid: a password was given without a user name
ok
