--TEST--
Client: a DSN whose password holds an unescaped "/", "?", "#" or "@" is read correctly, and DSN errors never echo the password
--EXTENSIONS--
smtpdiag
--FILE--
<?php
// Users often paste passwords without %-encoding them: the last "@" ends the
// user information, so "/", "?", "#" and "@" in a password are kept.
foreach (['/', '?', '#', '@'] as $ch) {
    $c = new SmtpDiag\Client("smtp://alice:S3cr3t{$ch}P4ss@127.0.0.1:2525?encryption=none");
    $d = print_r($c, true);
    echo "$ch: ", preg_replace('/\s+/', ' ', trim(substr($d, strpos($d, '(') + 1, -1))), "\n";
    var_dump(str_contains($d, 'S3cr3t'));
}
// errors in the rest of the DSN never quote the user information
foreach (["smtp://alice:S3cr3t/P4ss@127.0.0.1:99999", "smtp://alice:S3cr3t?P4ss@", "smtp://alice:S3cr3t%zzP4ss@host"] as $dsn) {
    try {
        new SmtpDiag\Client($dsn);
        echo "NO EXCEPTION\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
        var_dump(str_contains($e->getMessage(), 'S3cr3t') || str_contains($e->getMessage(), 'P4ss'));
    }
}
?>
--EXPECT--
/: [host] => 127.0.0.1 [port] => 2525 [encryption] => none [username] => alice [password_set] => 1 [connected] => )
bool(false)
?: [host] => 127.0.0.1 [port] => 2525 [encryption] => none [username] => alice [password_set] => 1 [connected] => )
bool(false)
#: [host] => 127.0.0.1 [port] => 2525 [encryption] => none [username] => alice [password_set] => 1 [connected] => )
bool(false)
@: [host] => 127.0.0.1 [port] => 2525 [encryption] => none [username] => alice [password_set] => 1 [connected] => )
bool(false)
SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: port "99999" is not a number from 1 to 65535
bool(false)
SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN has no host
bool(false)
SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN's password has a bad %-escape
bool(false)
