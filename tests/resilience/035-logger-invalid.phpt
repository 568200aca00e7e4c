--TEST--
logger: an invalid logger (a string that is not a callable, an object without log(), an integer, an array that is not a callable) is a TypeError from the Client constructor, before anything is contacted; smtpdiag_check() reports it as a config failure without throwing; null means no logger; an invokable object and a callable string are accepted
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

final class NoLogMethod
{
    public function info($message, array $context = []): void
    {
    }
}

final class Invokable
{
    public int $calls = 0;

    public function __invoke($level, $message, array $context = []): void
    {
        $this->calls++;
    }
}

// nothing may be contacted: a refused port, should a bug connect anyway
$port = SmtpTestServer::refusedPort();
$dsn = "smtp://127.0.0.1:$port";
$invalid = [
    'a string' => 'not a logger',
    'an object without log()' => new NoLogMethod(),
    'stdClass' => new stdClass(),
    'an integer' => 42,
    'an array' => ['not', 'callable'],
];
foreach ($invalid as $what => $logger) {
    echo "== $what\n";
    try {
        new SmtpDiag\Client($dsn, ['encryption' => 'none', 'logger' => $logger]);
        echo "NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    try {
        $r = smtpdiag_check($dsn, ['encryption' => 'none', 'timeout' => 2, 'logger' => $logger]);
        $config = $r['steps'][0];
        echo "check: {$r['status']}, {$config['id']} {$config['status']}: {$config['message']}\n";
        echo "  error: {$r['error']['category']} {$r['error']['phase']}\n";
        echo '  nothing contacted: ', var_export($r['transcript'] === [] && $r['steps'][1]['status'] === 'skip', true), "\n";
    } catch (Throwable $e) {
        echo 'check threw ', get_class($e), ': ', $e->getMessage(), "\n";
    }
}

echo "== null, an invokable object, a callable string\n";
foreach (['null' => null, 'invokable' => new Invokable(), 'callable string' => 'var_dump'] as $what => $logger) {
    try {
        $c = new SmtpDiag\Client($dsn, ['encryption' => 'none', 'logger' => $logger]);
        echo "$what: accepted\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
== a string
TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) option "logger" must be a PSR-3 logger (an object with a log() method) or a callable, string given
check: fail, config fail: option "logger" must be a PSR-3 logger (an object with a log() method) or a callable
  error: config_invalid config
  nothing contacted: true
== an object without log()
TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) option "logger" must be a PSR-3 logger (an object with a log() method) or a callable, NoLogMethod given
check: fail, config fail: option "logger" must be a PSR-3 logger (an object with a log() method) or a callable
  error: config_invalid config
  nothing contacted: true
== stdClass
TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) option "logger" must be a PSR-3 logger (an object with a log() method) or a callable, stdClass given
check: fail, config fail: option "logger" must be a PSR-3 logger (an object with a log() method) or a callable
  error: config_invalid config
  nothing contacted: true
== an integer
TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) option "logger" must be a PSR-3 logger (an object with a log() method) or a callable, int given
check: fail, config fail: option "logger" must be a PSR-3 logger (an object with a log() method) or a callable
  error: config_invalid config
  nothing contacted: true
== an array
TypeError: SmtpDiag\Client::__construct(): Argument #2 ($options) option "logger" must be a PSR-3 logger (an object with a log() method) or a callable, array given
check: fail, config fail: option "logger" must be a PSR-3 logger (an object with a log() method) or a callable
  error: config_invalid config
  nothing contacted: true
== null, an invokable object, a callable string
null: accepted
invokable: accepted
callable string: accepted
