--TEST--
Client: dumps never show the password; serialize, unserialize and clone are refused; constructor args are SensitiveParameter
--EXTENSIONS--
smtpdiag
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
const PW = 'S3cr3t-P4ss';

$clients = [
    'DSN' => new SmtpDiag\Client('smtp://alice:' . PW . '@127.0.0.1:2525', ['timeout' => 3]),
    'options' => new SmtpDiag\Client('smtp://alice@127.0.0.1:2525', ['password' => PW]),
    'Laravel array' => new SmtpDiag\Client(['host' => '127.0.0.1', 'port' => 2525, 'username' => 'alice', 'password' => PW]),
];

foreach ($clients as $name => $c) {
    echo "=== $name\n";
    ob_start();
    var_dump($c);
    print_r($c);
    echo "\n";
    var_export($c);
    echo "\n", json_encode($c), "\n";
    debug_zval_dump($c);
    var_dump((array)$c, get_object_vars($c));
    $out = ob_get_clean();
    var_dump(str_contains($out, PW), str_contains($out, 'S3cr3t'));
    if ($name === 'DSN') {
        echo $out;
    }
}

$c = $clients['DSN'];
foreach ([
    'serialize' => fn () => serialize($c),
    'unserialize' => fn () => unserialize('O:15:"SmtpDiag\\Client":0:{}'),
    'clone' => fn () => clone $c,
] as $what => $fn) {
    try {
        $fn();
        echo "$what: NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}

echo "=== exception thrown from the constructor\n";
try {
    new SmtpDiag\Client('smtp://alice:' . PW . '@127.0.0.1:2525', ['password' => PW, 'no_such_option' => 1]);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
    $trace = $e->getTrace();
    var_dump(count($trace[0]['args']));
    var_dump($trace[0]['args'][0] instanceof SensitiveParameterValue, $trace[0]['args'][1] instanceof SensitiveParameterValue);
    echo $e->getTraceAsString(), "\n";
    var_dump(str_contains($e->getTraceAsString(), PW), str_contains((string)$e, PW), str_contains(print_r($e, true), PW));
}
?>
--EXPECTF--
=== DSN
bool(false)
bool(false)
object(SmtpDiag\Client)#%d (6) {
  ["host"]=>
  string(9) "127.0.0.1"
  ["port"]=>
  int(2525)
  ["encryption"]=>
  string(4) "auto"
  ["username"]=>
  string(5) "alice"
  ["password_set"]=>
  bool(true)
  ["connected"]=>
  bool(false)
}
SmtpDiag\Client Object
(
    [host] => 127.0.0.1
    [port] => 2525
    [encryption] => auto
    [username] => alice
    [password_set] => 1
    [connected] => 
)

\SmtpDiag\Client::__set_state(array(
))
{}
object(SmtpDiag\Client)#%d (6) refcount(%d){
  ["host"]=>
  string(9) "127.0.0.1" %s
  ["port"]=>
  int(2525)
  ["encryption"]=>
  string(4) "auto" %s
  ["username"]=>
  string(5) "alice" %s
  ["password_set"]=>
  bool(true)
  ["connected"]=>
  bool(false)
}
array(0) {
}
array(0) {
}
=== options
bool(false)
bool(false)
=== Laravel array
bool(false)
bool(false)
serialize: Exception: Serialization of 'SmtpDiag\Client' is not allowed
unserialize: Exception: Unserialization of 'SmtpDiag\Client' is not allowed
clone: Error: Trying to clone an uncloneable object of class SmtpDiag\Client
=== exception thrown from the constructor
SmtpDiag\Client::__construct(): Argument #2 ($options) is invalid: unknown option "no_such_option"
int(2)
bool(true)
bool(true)
#0 %s(%d): SmtpDiag\Client->__construct(Object(SensitiveParameterValue), Object(SensitiveParameterValue))
#1 {main}
bool(false)
bool(false)
bool(false)
