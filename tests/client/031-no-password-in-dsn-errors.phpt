--TEST--
Client: a DSN whose password holds an unescaped "/", "?" or "#" is refused with a hint to percent-encode, quoting nothing of it; an unescaped "@" works; DSN errors never echo the password
--EXTENSIONS--
smtpdiag
--FILE--
<?php
// RFC 3986 reserves "/", "?" and "#": unescaped in a password they end the
// authority early, so what follows cannot be read. The error says what to do
// and quotes nothing, since any of it may be part of the password.
foreach (['/', '?', '#'] as $ch) {
    try {
        new SmtpDiag\Client("smtp://alice:S3cr3t{$ch}P4ss@127.0.0.1:2525");
        echo "$ch: NO EXCEPTION\n";
    } catch (ValueError $e) {
        echo "$ch: ", $e->getMessage(), "\n";
        var_dump(str_contains($e->getMessage(), 'S3cr3t') || str_contains($e->getMessage(), 'P4ss'));
    }
}
// percent-encoded, they work; an unescaped "@" works too (the last "@" of the authority counts)
foreach (['S3cr3t%2FP4ss', 'S3cr3t@P4ss'] as $pass) {
    $c = new SmtpDiag\Client("smtp://alice:{$pass}@127.0.0.1:2525?encryption=none");
    $d = print_r($c, true);
    echo preg_replace('/\s+/', ' ', trim(substr($d, strpos($d, '(') + 1, -1))), "\n";
    var_dump(str_contains($d, 'S3cr3t'));
}
// errors in the rest of the DSN never quote the user information
foreach (["smtp://alice:S3cr3t@127.0.0.1:99999", "smtp://alice:S3cr3t@", "smtp://alice:S3cr3t%zzP4ss@host"] as $dsn) {
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
/: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN cannot be read: its user name or password seems to contain "/", "?" or "#"; percent-encode them in a DSN (%2F, %3F, %23, and %40 for "@")
bool(false)
?: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN cannot be read: its user name or password seems to contain "/", "?" or "#"; percent-encode them in a DSN (%2F, %3F, %23, and %40 for "@")
bool(false)
#: SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN cannot be read: its user name or password seems to contain "/", "?" or "#"; percent-encode them in a DSN (%2F, %3F, %23, and %40 for "@")
bool(false)
[host] => 127.0.0.1 [port] => 2525 [encryption] => none [username] => alice [password_set] => 1 [connected] => )
bool(false)
[host] => 127.0.0.1 [port] => 2525 [encryption] => none [username] => alice [password_set] => 1 [connected] => )
bool(false)
SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: port "99999" is not a number from 1 to 65535
bool(false)
SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN has no host
bool(false)
SmtpDiag\Client::__construct(): Argument #1 ($dsn) is invalid: the DSN's password has a bad %-escape
bool(false)
