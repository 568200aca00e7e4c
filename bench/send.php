<?php
/*
 * Sending benchmark: the same 10 KB RFC 5322 message, N times, through
 * smtp-source (Postfix's C load generator, the baseline), smtpdiag
 * (Client::send() on one connection, send() with a connection per message,
 * sendMany()), PHPMailer (SMTPKeepAlive, with and without TCP_NODELAY) and
 * Symfony Mailer (one EsmtpTransport), into one smtp-sink, first directly
 * (loopback, ~0 ms RTT) then through bench/delay_proxy.php (40 ms RTT).
 *
 *   php bench/send.php                 # full run, Markdown tables on stdout
 *   php bench/send.php --json          # the raw results as JSON on stdout
 *   php bench/send.php --quick         # CI smoke: small N, checks delivery only
 *   php bench/send.php --help          # every option
 *
 * Every PHP mailer runs in its own child process (proc_open of php, with
 * -d extension=... for smtpdiag) which measures its own wall time, CPU time
 * (getrusage user+sys) and peak memory around the timed messages only;
 * smtp-source runs under a small PHP wrapper that reports its rusage
 * (wait4). Progress goes to stderr. The exit status is non-zero when a
 * mailer did not deliver every message it was given (smtp-sink -c counts).
 */

declare(strict_types=1);

require_once __DIR__ . '/proxy.inc';

const FROM = 'orders@shop.example';
const TO = 'jane.doe@customer.example';
const MSG_SIZE = 10240;

if (isset($argv[1]) && str_starts_with($argv[1], '--worker=')) {
	exit(worker(substr($argv[1], 9), array_slice($argv, 2)));
}
if (isset($argv[1]) && str_starts_with($argv[1], '--dump-message=')) {
	[$msg, $parts] = make_message();
	file_put_contents(substr($argv[1], 15), $msg);
	file_put_contents(substr($argv[1], 15) . '.parts.json', json_encode($parts));
	exit(0);
}
exit(main($argv));

/* ------------------------------------------------------------------ */
/* The message                                                         */
/* ------------------------------------------------------------------ */

/**
 * A realistic order-shipped notification: multipart/alternative with a
 * quoted-printable text part and an HTML part, encoded-word subject, a line
 * that needs dot-stuffing; CRLF line endings, exactly MSG_SIZE bytes.
 * Deterministic: generated once per run, the same bytes for every mailer.
 * Returns [message, parts] where parts feed PHPMailer's composer.
 */
function make_message(): array
{
	mt_srand(20261128);
	$items = ['Trail running shoes', 'Merino wool socks (3 pairs)', 'Water bottle 750 ml', 'Head torch 400 lm',
		'Rain jacket', 'Sunglasses, polarised', 'Energy gels, 12 pack', 'First-aid kit'];
	$text = "Hello Jane,\n\nGood news: your order #100234 has shipped and is on its way.\n"
		. "You can follow the parcel with tracking number 1Z999AA10123456784.\n\n";
	$html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your order has shipped</title></head>\n"
		. "<body style=\"font-family: Arial, sans-serif; color: #222222;\">\n<p>Hello Jane,</p>\n"
		. "<p>Good news: your order <strong>#100234</strong> has shipped and is on its way.</p>\n"
		. "<table cellpadding=\"4\" cellspacing=\"0\" border=\"1\" style=\"border-collapse: collapse;\">\n"
		. "<tr><th>Item</th><th>Qty</th><th>Price</th></tr>\n";
	$lines = [];
	for ($i = 0; $i < 24; $i++) {
		$name = $items[$i % count($items)];
		$qty = mt_rand(1, 3);
		$price = sprintf('%d.%02d', mt_rand(5, 150), mt_rand(0, 99));
		$lines[] = sprintf("  %-34s x%d  EUR %7s", $name, $qty, $price);
		$html .= "<tr><td>" . htmlspecialchars($name) . "</td><td>$qty</td><td>EUR $price</td></tr>\n";
	}
	$text .= implode("\n", $lines) . "\n\n";
	$html .= "</table>\n";
	$para = 'Your parcel is handled by our carrier partner. Delivery usually takes two to four working days; '
		. 'you will receive another message when the driver is on the way. If nobody is at home, the parcel '
		. 'goes to the nearest pick-up point and waits there for seven days.';
	$text .= wordwrap($para, 72, "\n", true) . "\n.\nReturns are free within 30 days: https://shop.example/returns\n\n";
	$html .= "<p>" . htmlspecialchars($para) . "</p>\n<p>Returns are free within 30 days: "
		. "<a href=\"https://shop.example/returns\">shop.example/returns</a></p>\n";
	$textTail = "Kind regards,\nThe Example Shop team\n\n-- \nExample Shop GmbH, Beispielstra\u{df}e 1, 10115 Berlin\n";
	$htmlTail = "<p>Kind regards,<br>The Example Shop team</p>\n<p style=\"font-size: 11px; color: #888888;\">"
		. "Example Shop GmbH, Beispielstra&szlig;e 1, 10115 Berlin</p>\n</body></html>\n";
	$subject = "Your order #100234 has shipped \u{1F4E6}";
	$boundary = '=_smtpdiag_bench_100234';
	$head = "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n"
		. "From: \"Example Shop\" <" . FROM . ">\r\n"
		. "To: \"Jane Doe\" <" . TO . ">\r\n"
		. "Subject: =?UTF-8?B?" . base64_encode($subject) . "?=\r\n"
		. "Message-ID: <20261128120000.100234.4f2a@shop.example>\r\n"
		. "MIME-Version: 1.0\r\n"
		. "Content-Type: multipart/alternative; boundary=\"$boundary\"\r\n"
		. "X-Mailer: smtpdiag bench\r\n\r\n"
		. "This is a multi-part message in MIME format.\r\n";
	$build = function (string $text, string $html) use ($head, $boundary, $textTail, $htmlTail): string {
		// quoted-printable line by line: hard line breaks stay CRLF, soft ones are "=\r\n"
		$qp = fn (string $s) => implode("\r\n", array_map('quoted_printable_encode', explode("\n", $s)));
		return $head
			. "--$boundary\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
			. $qp($text . $textTail)
			. "--$boundary\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
			. $qp($html . $htmlTail)
			. "--$boundary--\r\n";
	};
	// Pad the HTML part with newsletter-style paragraphs to reach MSG_SIZE.
	$fill = ['Recommended for you: lightweight running vests, now 20% off.', 'Join our loyalty programme and collect points on every order.',
		'Follow us for trail guides, gear reviews and early access to sales.', 'Questions? Our support team answers within one working day.'];
	$i = 0;
	while (strlen($build($text, $html)) < MSG_SIZE - 120) {
		$html .= "<p style=\"margin: 0 0 8px 0;\">" . $fill[$i++ % count($fill)] . "</p>\n";
	}
	$msg = $build($text, $html);
	$short = MSG_SIZE - strlen($msg);
	if ($short > 0) {
		// the last bytes: an HTML comment of the right length before </body>
		$pad = max(0, $short - 9);
		$html .= '<!-- ' . str_repeat('.', $pad) . ' -->';
		$msg = $build($text, $html);
		while (strlen($msg) > MSG_SIZE && $pad > 0) {
			$pad--;
			$html = preg_replace('/<!-- \.* -->$/', '<!-- ' . str_repeat('.', $pad) . ' -->', $html);
			$msg = $build($text, $html);
		}
	}
	return [$msg, ['subject' => $subject, 'text' => $text . $textTail, 'html' => $html . $htmlTail]];
}

/* ------------------------------------------------------------------ */
/* Workers (child processes)                                           */
/* ------------------------------------------------------------------ */

function wopt(array $args): array
{
	$o = [];
	foreach ($args as $a) {
		if (preg_match('/^--([a-z-]+)=(.*)$/s', $a, $m)) {
			$o[$m[1]] = $m[2];
		} elseif (preg_match('/^--([a-z-]+)$/', $a, $m)) {
			$o[$m[1]] = true;
		}
	}
	return $o;
}

function rusage_us(): array
{
	$r = getrusage();
	return [
		'user' => $r['ru_utime.tv_sec'] * 1e6 + $r['ru_utime.tv_usec'],
		'sys' => $r['ru_stime.tv_sec'] * 1e6 + $r['ru_stime.tv_usec'],
		'maxrss_kb' => $r['ru_maxrss'],
		'nvcsw' => $r['ru_nvcsw'],
		'nivcsw' => $r['ru_nivcsw'],
	];
}

/**
 * Runs in the child: warm up (not timed: autoloading, connecting), then send
 * up to n messages, stopping early when max-seconds is reached, and print one
 * JSON line.
 */
function worker(string $kind, array $args): int
{
	$o = wopt($args);
	if ($kind === 'exec') {
		return worker_exec($args);
	}
	$port = (int)$o['port'];
	$n = (int)$o['n'];
	$warm = (int)($o['warmup'] ?? 0);
	$maxSeconds = (float)($o['max-seconds'] ?? 15);
	$msg = file_get_contents($o['msg']);
	$parts = json_decode(file_get_contents($o['parts']), true);
	$dsn = "smtp://127.0.0.1:$port";
	// ip_family 4 by default: with 0 (any), c-ares 1.18 sends A/AAAA queries for the
	// literal "127.0.0.1" to the DNS servers (see bench/README.md)
	$sdOpts = ['encryption' => 'none', 'ip_family' => (int)($o['smtpdiag-ip-family'] ?? 4)];
	$out = ['kind' => $kind, 'sent' => 0, 'warmup' => 0, 'errors' => 0, 'error' => null, 'bytes' => strlen($msg)];

	$sendOne = null;      // fn(): bool, one message
	$batch = null;        // fn(int $n, float $deadline): int, many messages (sendMany)
	$finish = function () {};
	$extra = null;

	try {
		switch ($kind) {
			case 'smtpdiag-send':
				$c = new SmtpDiag\Client($dsn, $sdOpts);
				$sendOne = fn () => $c->send(FROM, TO, $msg)->code === 250;
				$finish = fn () => $c->quit();
				break;
			case 'smtpdiag-send-conn':
				$sendOne = function () use ($dsn, $sdOpts, $msg) {
					$c = new SmtpDiag\Client($dsn, $sdOpts);
					$ok = $c->send(FROM, TO, $msg)->code === 250;
					$c->quit();
					return $ok;
				};
				break;
			case 'smtpdiag-sendMany':
				$c = new SmtpDiag\Client($dsn, $sdOpts);
				$item = ['from' => FROM, 'to' => TO, 'message' => $msg];
				$batch = function (int $n, float $deadline) use ($c, $item, &$out) {
					$gen = (function () use ($n, $deadline, $item) {
						for ($i = 0; $i < $n; $i++) {
							if ($i > 0 && hrtime(true) / 1e9 >= $deadline) {
								return;
							}
							yield $item;
						}
					})();
					$ok = 0;
					foreach ($c->sendMany($gen) as $r) {
						if ($r instanceof SmtpDiag\SendResult && $r->code === 250) {
							$ok++;
						} else {
							$out['errors']++;
							$out['error'] ??= $r instanceof Throwable ? get_class($r) . ': ' . $r->getMessage() : 'code ' . $r->code;
						}
					}
					return $ok;
				};
				$finish = fn () => $c->quit();
				break;
			case 'phpmailer':
			case 'phpmailer-nodelay':
				$auto = null;
				foreach (['/usr/share/php/PHPMailer/PHPMailer/autoload.php', '/usr/share/php/libphp-phpmailer/autoload.php',
					'/usr/share/php/PHPMailer/autoload.php'] as $f) {
					if (is_file($f)) {
						$auto = $f;
						break;
					}
				}
				if ($auto === null) {
					throw new RuntimeException('PHPMailer not found (apt-get install libphp-phpmailer)');
				}
				require $auto;
				$m = new PHPMailer\PHPMailer\PHPMailer(true);
				$m->isSMTP();
				$m->Host = '127.0.0.1';
				$m->Port = $port;
				$m->SMTPAuth = false;
				$m->SMTPSecure = '';
				$m->SMTPAutoTLS = false;
				$m->SMTPKeepAlive = true;
				$m->Timeout = 30;
				if ($kind === 'phpmailer-nodelay') {
					$m->SMTPOptions = ['socket' => ['tcp_nodelay' => true]];
				}
				$m->CharSet = 'UTF-8';
				$m->Encoding = 'quoted-printable';
				$m->XMailer = 'smtpdiag bench';
				$m->setFrom(FROM, 'Example Shop');
				$m->addAddress(TO, 'Jane Doe');
				$m->Subject = $parts['subject'];
				$m->isHTML(true);
				$m->Body = $parts['html'];
				$m->AltBody = $parts['text'];
				$sendOne = fn () => $m->send();
				$finish = fn () => $m->smtpClose();
				// what building the message costs (no network), measured after the run
				$extra = function () use ($m, &$out) {
					$k = 200;
					$a = rusage_us();
					for ($i = 0; $i < $k; $i++) {
						$m->preSend();
					}
					$b = rusage_us();
					$out['compose_cpu_us_per_msg'] = ($b['user'] + $b['sys'] - $a['user'] - $a['sys']) / $k;
					$out['bytes'] = strlen($m->getSentMIMEMessage());
				};
				break;
			case 'symfony':
			case 'symfony-nodelay':
				$auto = '/usr/share/php/Symfony/Component/Mailer/autoload.php';
				if (!is_file($auto)) {
					throw new RuntimeException('Symfony Mailer not found (apt-get install php-symfony-mailer)');
				}
				require $auto;
				$t = Symfony\Component\Mailer\Transport::fromDsn("smtp://127.0.0.1:$port?auto_tls=false");
				if ($kind === 'symfony-nodelay') {
					$stream = $t->getStream();
					$stream->setStreamOptions(array_replace_recursive($stream->getStreamOptions(), ['socket' => ['tcp_nodelay' => true]]));
				}
				$raw = new Symfony\Component\Mime\RawMessage($msg);
				$env = new Symfony\Component\Mailer\Envelope(new Symfony\Component\Mime\Address(FROM),
					[new Symfony\Component\Mime\Address(TO)]);
				$sendOne = fn () => $t->send($raw, $env) !== null;
				// SmtpTransport::stop() (QUIT) is private in Symfony 5.4, public later
				$finish = function () use ($t) {
					$stop = new ReflectionMethod(Symfony\Component\Mailer\Transport\Smtp\SmtpTransport::class, 'stop');
					$stop->setAccessible(true);
					$stop->invoke($t);
				};
				$out['transport'] = get_class($t);
				break;
			default:
				throw new RuntimeException("unknown worker $kind");
		}

		// Warm-up: autoloading, the first connection, JIT-free PHP caches.
		if ($warm > 0) {
			if ($batch) {
				$out['warmup'] = $batch($warm, INF);
			} else {
				for ($i = 0; $i < $warm; $i++) {
					$out['warmup'] += $sendOne() ? 1 : 0;
				}
			}
		}
		gc_collect_cycles();
		$memBase = memory_get_usage();
		if (function_exists('memory_reset_peak_usage')) {
			memory_reset_peak_usage();
		}

		$r0 = rusage_us();
		$t0 = hrtime(true);
		$deadline = $t0 / 1e9 + $maxSeconds;
		if ($batch) {
			$out['sent'] = $batch($n, $deadline);
		} else {
			for ($i = 0; $i < $n; $i++) {
				if ($i > 0 && hrtime(true) / 1e9 >= $deadline) {
					break;
				}
				if ($sendOne()) {
					$out['sent']++;
				} else {
					$out['errors']++;
				}
			}
		}
		$t1 = hrtime(true);
		$r1 = rusage_us();
		$out['mem_peak'] = memory_get_peak_usage();
		$out['mem_peak_real'] = memory_get_peak_usage(true);
		$out['mem_base'] = $memBase;
		$finish();
	} catch (Throwable $e) {
		$out['errors']++;
		$out['error'] = get_class($e) . ': ' . $e->getMessage();
		$t1 ??= hrtime(true);
		$r1 ??= rusage_us();
		if (!isset($t0)) {
			$t0 = $t1;
			$r0 = $r1;
		}
	}
	$out['wall_s'] = ($t1 - $t0) / 1e9;
	$out['cpu_user_us'] = $r1['user'] - $r0['user'];
	$out['cpu_sys_us'] = $r1['sys'] - $r0['sys'];
	$out['vcsw'] = $r1['nvcsw'] - $r0['nvcsw'];
	$out['ivcsw'] = $r1['nivcsw'] - $r0['nivcsw'];
	$out['maxrss_kb'] = $r1['maxrss_kb'];
	if ($extra && $out['error'] === null) {
		try {
			$extra();
		} catch (Throwable $e) {
			$out['compose_error'] = $e->getMessage();
		}
	}
	echo json_encode($out), "\n";
	return 0;
}

/** Run a command, report its wall time and its rusage (wait4 via proc_close). */
function worker_exec(array $args): int
{
	$i = array_search('--', $args, true);
	$cmd = array_slice($args, $i + 1);
	$t0 = hrtime(true);
	$p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['pipe', 'w']], $pipes);
	$err = stream_get_contents($pipes[2]);
	fclose($pipes[2]);
	$rc = proc_close($p);
	$t1 = hrtime(true);
	$r = getrusage(1);
	echo json_encode([
		'kind' => 'exec',
		'rc' => $rc,
		'stderr' => substr($err, 0, 2000),
		'wall_s' => ($t1 - $t0) / 1e9,
		'cpu_user_us' => $r['ru_utime.tv_sec'] * 1e6 + $r['ru_utime.tv_usec'],
		'cpu_sys_us' => $r['ru_stime.tv_sec'] * 1e6 + $r['ru_stime.tv_usec'],
		'maxrss_kb' => $r['ru_maxrss'],
		'vcsw' => $r['ru_nvcsw'],
		'ivcsw' => $r['ru_nivcsw'],
	]), "\n";
	return 0;
}

/* ------------------------------------------------------------------ */
/* The orchestrator                                                    */
/* ------------------------------------------------------------------ */

function say(string $s): void
{
	fwrite(STDERR, $s . "\n");
}

function free_port(): int
{
	$s = stream_socket_server('tcp://127.0.0.1:0');
	$name = stream_socket_get_name($s, false);
	fclose($s);
	return (int)substr($name, strrpos($name, ':') + 1);
}

function wait_port(int $port, float $timeout = 5.0): bool
{
	$end = microtime(true) + $timeout;
	while (microtime(true) < $end) {
		$s = @stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 0.2);
		if ($s) {
			fclose($s);
			return true;
		}
		usleep(20000);
	}
	return false;
}

final class Sink
{
	public $proc;
	public int $port;
	public string $log;

	public function __construct(string $tmp)
	{
		$this->log = "$tmp/smtp-sink.out";
		for ($try = 0; $try < 5; $try++) {
			$this->port = free_port();
			// -c: counters (sess, quit, mesg) on stdout, updated at every end of data;
			// -u nobody: required when started as root; backlog 256.
			$cmd = ['/usr/sbin/smtp-sink', '-c', '127.0.0.1:' . $this->port, '256'];
			if (function_exists('posix_geteuid') && posix_geteuid() === 0) {
				array_splice($cmd, 1, 0, ['-u', 'nobody']);
			}
			$this->proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $this->log, 'w'],
				2 => ['file', "$tmp/smtp-sink.err", 'w']], $pipes);
			if ($this->proc && wait_port($this->port)) {
				// the probe connection counted as a session: settle before the first read
				usleep(50000);
				return;
			}
			$this->stop();
		}
		throw new RuntimeException('smtp-sink did not start: ' . @file_get_contents("$tmp/smtp-sink.err"));
	}

	/** CPU time smtp-sink has used so far, in ns (/proc/PID/schedstat), or null. */
	public function cpuNs(): ?int
	{
		$st = $this->proc ? proc_get_status($this->proc) : null;
		$line = $st ? @file_get_contents('/proc/' . $st['pid'] . '/schedstat') : false;
		return $line ? (int)explode(' ', trim($line))[0] : null;
	}

	/** The last "mesg=N" counter smtp-sink printed. */
	public function count(): int
	{
		clearstatcache(true, $this->log);
		$size = @filesize($this->log) ?: 0;
		$f = fopen($this->log, 'r');
		fseek($f, max(0, $size - 4096));
		$tail = (string)stream_get_contents($f);
		fclose($f);
		return preg_match_all('/mesg=(\d+)/', $tail, $m) ? (int)end($m[1]) : 0;
	}

	/** Wait until the counter reaches at least $want, or settles. */
	public function settle(int $want, float $timeout = 3.0): int
	{
		$end = microtime(true) + $timeout;
		$c = $this->count();
		while ($c < $want && microtime(true) < $end) {
			usleep(10000);
			$c = $this->count();
		}
		return $c;
	}

	public function stop(): void
	{
		if ($this->proc) {
			$st = proc_get_status($this->proc);
			if ($st['running']) {
				posix_kill($st['pid'], SIGTERM);
			}
			proc_close($this->proc);
			$this->proc = null;
		}
	}
}

function usage(): void
{
	echo <<<TXT
usage: php bench/send.php [options]

  --quick            small N, one repetition: a smoke test (< 60 s) that only
                     checks that every mailer delivered every message
  --json             print the raw results as JSON instead of Markdown
  --json-file=PATH   also write the raw JSON to PATH
  --n=N              messages per run at 0 ms RTT for the fast mailers (default 2000;
                     the connection-per-message ones get 40% of it)
  --n-rtt=N          messages per run through the delay proxy (default 60)
  --reps=R           repetitions at 0 ms RTT (default 15)
  --reps-rtt=R       repetitions through the delay proxy (default 3)
  --max-seconds=S    time cap of one PHP mailer run at 0 ms RTT (default 3)
  --max-seconds-rtt=S  the same through the delay proxy (default 8)
  --rtt-ms=MS        round-trip time of the delay proxy (default 40)
  --only=a,b         run these mailers only (names as in the tables)
  --no-rtt           skip the delay-proxy scenario
  --no-local         skip the 0 ms scenario
  --strace           after the timed runs, run each smtpdiag mailer once more
                     under strace -c -f and add the syscall summary
  --report=FILE      print the Markdown tables of a saved JSON run (--json-file)
  --dump-message=F   write the test message to F (and the parts PHPMailer builds
                     it from to F.parts.json) and exit; must be the first argument
  --smtpdiag-ip-family=F  smtpdiag's ip_family option, 4 (default) or 0: with 0,
                     c-ares 1.18 sends DNS queries for the literal 127.0.0.1 to
                     the machine's DNS servers at every connect (not loopback
                     traffic; see bench/README.md)
  --so=PATH          smtpdiag.so to load (default: modules/smtpdiag.so, copied
                     at start so a rebuild during the run does not mix builds)

TXT;
}

/** @return array<string, array> mailer name => definition */
function mailers(): array
{
	// n: share of --n (or --n-rtt); php: runs as a PHP worker; ext: loads smtpdiag
	return [
		'smtp-source' => ['exec' => true, 'conn' => false, 'n' => 1.0,
			'desc' => 'smtp-source -d -s 1: one session, one message after another (the baseline)'],
		'smtp-source-conn' => ['exec' => true, 'conn' => true, 'n' => 0.4,
			'desc' => 'smtp-source -s 1 without -d: a connection per message'],
		'smtpdiag-send' => ['php' => true, 'ext' => true, 'n' => 1.0,
			'desc' => 'smtpdiag Client::send(), one reused connection'],
		'smtpdiag-send-conn' => ['php' => true, 'ext' => true, 'n' => 0.4,
			'desc' => 'smtpdiag: new Client, send(), quit() per message'],
		'smtpdiag-sendMany' => ['php' => true, 'ext' => true, 'n' => 1.0,
			'desc' => 'smtpdiag Client::sendMany(), one call, one connection'],
		'phpmailer' => ['php' => true, 'ext' => false, 'n' => 1.0,
			'desc' => 'PHPMailer SMTP, SMTPKeepAlive = true (builds the MIME message itself)'],
		'phpmailer-nodelay' => ['php' => true, 'ext' => false, 'n' => 1.0,
			'desc' => "PHPMailer as above, SMTPOptions ['socket' => ['tcp_nodelay' => true]]"],
		'symfony' => ['php' => true, 'ext' => false, 'n' => 1.0,
			'desc' => 'Symfony Mailer EsmtpTransport (fromDsn), RawMessage + Envelope, default options '
				. '(it reconnects every 100 messages: restart_threshold)'],
		'symfony-nodelay' => ['php' => true, 'ext' => false, 'n' => 1.0,
			'desc' => "Symfony Mailer as above, stream option ['socket' => ['tcp_nodelay' => true]]"],
	];
}

function run_one(string $name, array $def, int $port, int $n, float $cap, array $cfg): array
{
	$self = __FILE__;
	$t0 = hrtime(true);
	if (!empty($def['exec'])) {
		$cmd = ['/usr/sbin/smtp-source', '-s', '1', '-m', (string)$n, '-F', $cfg['msg_lf'], '-f', FROM, '-t', TO];
		if (!$def['conn']) {
			array_splice($cmd, 1, 0, ['-d']);
		}
		$cmd[] = "127.0.0.1:$port";
		$argv = [PHP_BINARY, '-n', $self, '--worker=exec', '--', ...$cmd];
		$warm = 0;
	} else {
		$argv = [PHP_BINARY];
		if ($def['ext']) {
			$argv[] = '-d';
			$argv[] = 'extension=' . $cfg['so'];
		}
		$warm = $cfg['warmup'];
		array_push($argv, $self, "--worker=$name", "--port=$port", "--n=$n", "--warmup=$warm", '--smtpdiag-ip-family=' . $cfg['smtpdiag_ip_family'],
			'--max-seconds=' . $cap, '--msg=' . $cfg['msg_crlf'], '--parts=' . $cfg['parts']);
	}
	$p = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
	$out = stream_get_contents($pipes[1]);
	$err = stream_get_contents($pipes[2]);
	fclose($pipes[1]);
	fclose($pipes[2]);
	$rc = proc_close($p);
	$t1 = hrtime(true);
	$r = json_decode(trim((string)$out), true);
	if (!is_array($r)) {
		return ['name' => $name, 'sent' => 0, 'warmup' => 0, 'errors' => 1, 'wall_s' => 0, 'cpu_user_us' => 0, 'cpu_sys_us' => 0,
			'error' => "worker failed (rc $rc): " . trim($err . ' ' . $out)];
	}
	$r['name'] = $name;
	$r['process_wall_s'] = ($t1 - $t0) / 1e9;
	if (!empty($def['exec'])) {
		$r['sent'] = $r['rc'] === 0 ? $n : 0;
		$r['warmup'] = 0;
		$r['errors'] = $r['rc'] === 0 ? 0 : 1;
		$r['error'] = $r['rc'] === 0 ? null : 'smtp-source exit ' . $r['rc'] . ': ' . $r['stderr'];
		$r['bytes'] = $cfg['msg_bytes'];
	}
	if (trim($err) !== '') {
		$r['stderr'] = substr(trim($err), 0, 2000);
	}
	return $r;
}

function stats(array $xs): array
{
	$xs = array_values(array_filter($xs, fn ($x) => $x !== null && is_finite((float)$x)));
	$n = count($xs);
	if ($n === 0) {
		return ['n' => 0, 'median' => null, 'min' => null, 'max' => null, 'mean' => null, 'sd' => null, 'cv' => null];
	}
	sort($xs);
	$mean = array_sum($xs) / $n;
	$var = 0.0;
	foreach ($xs as $x) {
		$var += ($x - $mean) ** 2;
	}
	$sd = $n > 1 ? sqrt($var / ($n - 1)) : 0.0;
	$med = $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
	return ['n' => $n, 'median' => $med, 'min' => $xs[0], 'max' => $xs[$n - 1], 'mean' => $mean, 'sd' => $sd,
		'cv' => $mean != 0 ? $sd / $mean : null];
}

/** Per repetition: this mailer's figure over smtp-source's in the same repetition (run close in time). */
function paired(array $runs, array $base, callable $f): array
{
	$xs = [];
	foreach ($runs as $i => $r) {
		$b = $base[$i] ?? null;
		if ($b && $r['sent'] > 0 && $b['sent'] > 0 && $r['wall_s'] > 0 && $b['wall_s'] > 0) {
			$xs[] = $f($r) / $f($b);
		}
	}
	return stats($xs);
}

function summarize(array $runs, ?float $rttMs, ?array $base = null): array
{
	$rate = $cpu = $rtt = $mem = $rss = $wallMsg = $sinkCpu = [];
	$delivered = true;
	$sent = 0;
	$errs = [];
	foreach ($runs as $r) {
		$delivered = $delivered && $r['delivered_ok'];
		$sent += $r['sent'];
		if (!empty($r['error'])) {
			$errs[] = $r['error'];
		}
		if ($r['sent'] <= 0 || $r['wall_s'] <= 0) {
			continue;
		}
		$rate[] = $r['sent'] / $r['wall_s'];
		$cpu[] = ($r['cpu_user_us'] + $r['cpu_sys_us']) / $r['sent'];
		$wallMsg[] = $r['wall_s'] / $r['sent'] * 1000;
		if ($rttMs) {
			$rtt[] = ($r['wall_s'] / $r['sent']) / ($rttMs / 1000);
		}
		$mem[] = $r['mem_peak'] ?? null;
		$sinkCpu[] = $r['sink_cpu_us_per_msg'] ?? null;
		$rss[] = $r['maxrss_kb'] ?? null;
	}
	return [
		'runs' => count($runs),
		'messages_per_run' => stats(array_map(fn ($r) => $r['sent'], $runs)),
		'messages_total' => $sent,
		'msgs_per_s' => stats($rate),
		'cpu_us_per_msg' => stats($cpu),
		'ms_per_msg' => stats($wallMsg),
		'sink_cpu_us_per_msg' => stats($sinkCpu),
		'rtt_per_msg' => $rttMs ? stats($rtt) : null,
		'mem_peak' => stats($mem),
		'maxrss_kb' => stats($rss),
		'rate_ratio' => $base ? paired($runs, $base, fn ($r) => $r['sent'] / $r['wall_s']) : null,
		'cpu_ratio' => $base ? paired($runs, $base, fn ($r) => ($r['cpu_user_us'] + $r['cpu_sys_us']) / $r['sent']) : null,
		'delivered_ok' => $delivered,
		'errors' => array_values(array_unique($errs)),
	];
}

function fmt_num(?float $x, int $dec = 0): string
{
	return $x === null ? '–' : number_format($x, $dec, '.', ',');
}

function fmt_rate(array $s, int $dec = 0): string
{
	if (!$s || $s['median'] === null) {
		return '–';
	}
	$r = fmt_num($s['median'], $dec);
	if ($s['n'] > 1) {
		$r .= ' (' . fmt_num($s['min'], $dec) . '–' . fmt_num($s['max'], $dec) . ', cv ' . fmt_num($s['cv'] * 100, 0) . '%)';
	}
	return $r;
}

function fmt_ratio(array $s): string
{
	if ($s['median'] === null) {
		return '–';
	}
	return $s['n'] > 1 ? sprintf('%.2f (%.2f–%.2f)', $s['median'], $s['min'], $s['max']) : sprintf('%.2f', $s['median']);
}

function fmt_bytes(?float $b): string
{
	if ($b === null) {
		return '–';
	}
	return $b >= 1048576 ? sprintf('%.1f MiB', $b / 1048576) : sprintf('%.0f KiB', $b / 1024);
}

function markdown(array $res): string
{
	$o = "# smtpdiag sending benchmark\n\n";
	$e = $res['env'];
	$o .= sprintf("%s, PHP %s, %d cores (load average %s at start, %s at end), smtpdiag.so %s (git %s%s), message %d bytes, %s.\n\n",
		$e['date'], $e['php'], $e['cores'], $e['load_start'], $e['load_end'], $e['so_sha1'], $e['git_head'],
		$e['git_dirty'] ? ', work tree modified' : '', $e['message_bytes'], $e['quick'] ? 'QUICK mode (numbers not meaningful)' : 'full run');
	foreach ($res['scenarios'] as $sc) {
		$rtt = $sc['rtt_ms'];
		$o .= sprintf("## %s\n\n", $rtt ? "Through the delay proxy: {$rtt} ms RTT" : 'Loopback, no added delay (~0 ms RTT)');
		$o .= sprintf("%d repetition(s), mailers interleaved (the order rotates each repetition); msgs/run is what one run sent; "
			. "figures are the median over runs (min–max, coefficient of variation); the × smtp-source columns are the median "
			. "(min–max) of per-repetition ratios against the smtp-source run of the same repetition.\n\n", $sc['reps']);
		$o .= "| mailer | msgs/run | msgs/s | × smtp-source | CPU µs/msg | CPU × smtp-source | ms/msg | RTT/msg | PHP peak mem | max RSS | sink CPU µs/msg | delivered |\n";
		$o .= "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n";
		foreach ($sc['summary'] as $name => $s) {
			$rateRatio = $s['rate_ratio'] ? fmt_ratio($s['rate_ratio']) : '–';
			$cpuRatio = $s['cpu_ratio'] ? fmt_ratio($s['cpu_ratio']) : '–';
			$o .= sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				$name,
				fmt_num($s['messages_per_run']['median']),
				fmt_rate($s['msgs_per_s'], $rtt ? 1 : 0),
				$rateRatio,
				fmt_rate($s['cpu_us_per_msg']),
				$cpuRatio,
				fmt_num($s['ms_per_msg']['median'], $rtt ? 1 : 3),
				$rtt ? fmt_rate($s['rtt_per_msg'], 2) : '–',
				$s['mem_peak']['median'] !== null ? fmt_bytes($s['mem_peak']['max']) : '–',
				$s['maxrss_kb']['median'] !== null ? fmt_bytes($s['maxrss_kb']['max'] * 1024) : '–',
				fmt_num($s['sink_cpu_us_per_msg']['median']),
				$s['delivered_ok'] ? 'yes' : '**NO**');
		}
		$o .= "\n";
		foreach ($sc['runs'] as $name => $runs) {
			$compose = array_filter(array_map(fn ($r) => $r['compose_cpu_us_per_msg'] ?? null, $runs), fn ($x) => $x !== null);
			if ($compose) {
				$o .= sprintf("- %s: building the MIME message alone (preSend(), no network) takes %s CPU µs/msg of the above; its messages are %d bytes.\n",
					$name, fmt_num(stats($compose)['median']), end($runs)['bytes'] ?? 0);
			}
		}
		foreach ($sc['summary'] as $name => $s) {
			foreach ($s['errors'] as $err) {
				$o .= "- $name: error: `" . str_replace('`', "'", $err) . "`\n";
			}
		}
		$o .= "\n";
	}
	$o .= "Mailers:\n\n";
	foreach (mailers() as $name => $d) {
		$o .= "- `$name`: {$d['desc']}\n";
	}
	if (!empty($res['notes'])) {
		$o .= "\nNotes:\n\n";
		foreach ($res['notes'] as $n) {
			$o .= "- $n\n";
		}
	}
	if (!empty($res['strace'])) {
		$o .= "\n## strace -c -f of the smtpdiag children (one extra run each, not timed)\n\n";
		foreach ($res['strace'] as $name => $txt) {
			$o .= "### $name\n\n```\n$txt\n```\n\n";
		}
	}
	return $o;
}

function main(array $argv): int
{
	$opt = getopt('', ['quick', 'json', 'json-file:', 'n:', 'n-rtt:', 'reps:', 'reps-rtt:', 'max-seconds:', 'max-seconds-rtt:', 'rtt-ms:',
		'only:', 'no-rtt', 'no-local', 'strace', 'so:', 'smtpdiag-ip-family:', 'report:', 'help']);
	if (isset($opt['help'])) {
		usage();
		return 0;
	}
	if (isset($opt['report'])) {
		// re-render the tables of a saved --json/--json-file run
		$res = json_decode((string)file_get_contents((string)$opt['report']), true);
		if (!is_array($res) || !isset($res['scenarios'])) {
			say("{$opt['report']}: not a JSON file of this benchmark");
			return 2;
		}
		foreach ($res['scenarios'] as &$sc) {
			foreach ($sc['runs'] as $name => $runs) {
				$sc['summary'][$name] = summarize($runs, $sc['rtt_ms'], $sc['runs']['smtp-source'] ?? null);
			}
		}
		unset($sc);
		echo markdown($res);
		return 0;
	}
	$quick = isset($opt['quick']);
	$root = dirname(__DIR__);
	$cfg = [
		'n' => (int)($opt['n'] ?? ($quick ? 100 : 2000)),
		'n_rtt' => (int)($opt['n-rtt'] ?? ($quick ? 8 : 60)),
		'reps' => (int)($opt['reps'] ?? ($quick ? 1 : 15)),
		'reps_rtt' => (int)($opt['reps-rtt'] ?? ($quick ? 1 : 3)),
		'max_seconds' => (float)($opt['max-seconds'] ?? ($quick ? 2 : 3)),
		'max_seconds_rtt' => (float)($opt['max-seconds-rtt'] ?? ($quick ? 2 : 8)),
		'rtt_ms' => (float)($opt['rtt-ms'] ?? 40),
		'warmup' => $quick ? 3 : 20,
		'smtpdiag_ip_family' => (int)($opt['smtpdiag-ip-family'] ?? 4),
	];
	if (!in_array($cfg['smtpdiag_ip_family'], [0, 4], true)) {
		say('--smtpdiag-ip-family must be 4 or 0');
		return 2;
	}
	$only = isset($opt['only']) ? array_map('trim', explode(',', (string)$opt['only'])) : null;
	$all = mailers();
	$names = array_keys($all);
	if ($only) {
		$bad = array_diff($only, $names);
		if ($bad) {
			say('unknown mailer(s): ' . implode(', ', $bad) . '; known: ' . implode(', ', $names));
			return 2;
		}
		$names = array_values(array_intersect($names, $only));
	}

	foreach (['/usr/sbin/smtp-sink', '/usr/sbin/smtp-source'] as $bin) {
		if (!is_executable($bin)) {
			say("$bin not found: apt-get install postfix");
			return 2;
		}
	}
	$srcSo = (string)($opt['so'] ?? "$root/modules/smtpdiag.so");
	if (!is_file($srcSo)) {
		say("$srcSo not found: build first (bash scripts/build.sh)");
		return 2;
	}

	$tmp = sys_get_temp_dir() . '/smtpdiag-bench-' . getmypid();
	@mkdir($tmp, 0755, true);
	$so = "$tmp/smtpdiag.so";
	copy($srcSo, $so);
	$cfg['so'] = $so;
	[$msg, $parts] = make_message();
	$cfg['msg_crlf'] = "$tmp/message.eml";
	$cfg['msg_lf'] = "$tmp/message.lf.txt";     // smtp-source -F appends CRLF to each line
	$cfg['parts'] = "$tmp/parts.json";
	$cfg['msg_bytes'] = strlen($msg);
	file_put_contents($cfg['msg_crlf'], $msg);
	file_put_contents($cfg['msg_lf'], str_replace("\r\n", "\n", $msg));
	file_put_contents($cfg['parts'], json_encode($parts));

	$git = fn (string $c) => trim((string)shell_exec('git -C ' . escapeshellarg($root) . " $c 2>/dev/null"));
	$res = [
		'env' => [
			'date' => gmdate('Y-m-d H:i') . ' UTC',
			'php' => PHP_VERSION,
			'cores' => (int)trim((string)shell_exec('nproc')),
			'uname' => php_uname('r'),
			'load_start' => implode(' ', array_map(fn ($x) => sprintf('%.2f', $x), sys_getloadavg())),
			'so' => $srcSo,
			'so_sha1' => substr(sha1_file($so), 0, 12),
			'git_head' => $git('rev-parse --short HEAD'),
			'git_dirty' => $git('status --porcelain -- src') !== '',
			'message_bytes' => strlen($msg),
			'quick' => $quick,
			'config' => $cfg,
		],
		'scenarios' => [],
		'notes' => [],
	];
	// check that the extension loads before spending minutes
	$chk = shell_exec(escapeshellarg(PHP_BINARY) . ' -d extension=' . escapeshellarg($so)
		. ' -r ' . escapeshellarg('echo class_exists("SmtpDiag\\\\Client") ? "ok" : "no";') . ' 2>&1');
	if (trim((string)$chk) !== 'ok') {
		say("smtpdiag.so does not load: $chk");
		return 2;
	}

	$sink = new Sink($tmp);
	say("smtp-sink on 127.0.0.1:{$sink->port}, message " . strlen($msg) . " bytes, tmp $tmp");
	$fail = false;
	$scenarios = [];
	if (!isset($opt['no-local'])) {
		$scenarios[] = ['rtt_ms' => null, 'n' => $cfg['n'], 'reps' => $cfg['reps'], 'cap' => $cfg['max_seconds']];
	}
	if (!isset($opt['no-rtt'])) {
		$scenarios[] = ['rtt_ms' => $cfg['rtt_ms'], 'n' => $cfg['n_rtt'], 'reps' => $cfg['reps_rtt'], 'cap' => $cfg['max_seconds_rtt']];
	}

	try {
		foreach ($scenarios as $sc) {
			$proxy = null;
			$port = $sink->port;
			if ($sc['rtt_ms']) {
				$proxy = new Proxy(__DIR__ . '/delay_proxy.php', $sink->port, $sc['rtt_ms'] / 2, 3600, $tmp);
				$port = $proxy->port;
				say("delay proxy on 127.0.0.1:$port, {$sc['rtt_ms']} ms RTT");
			}
			$runs = array_fill_keys($names, []);
			for ($rep = 0; $rep < $sc['reps']; $rep++) {
				// rotate the order so no mailer always runs first or after the same one
				$order = $names;
				for ($k = 0; $k < $rep % count($order); $k++) {
					$order[] = array_shift($order);
				}
				foreach ($order as $name) {
					$def = $all[$name];
					$n = max(1, (int)round($sc['n'] * $def['n']));
					$before = $sink->count();
					$sinkCpu0 = $sink->cpuNs();
					$r = run_one($name, $def, $port, $n, $sc['cap'], $cfg);
					$want = $r['sent'] + $r['warmup'];
					$after = $sink->settle($before + $want);
					$sinkCpu1 = $sink->cpuNs();
					// smtp-sink's CPU for the whole child run (warm-up included), per message it received
					$r['sink_cpu_us_per_msg'] = ($sinkCpu0 !== null && $sinkCpu1 !== null && $after > $before)
						? ($sinkCpu1 - $sinkCpu0) / 1000 / ($after - $before) : null;
					$r['sink_counted'] = $after - $before;
					$r['delivered_ok'] = $r['errors'] === 0 && $r['sent'] > 0 && $r['sink_counted'] === $want;
					$fail = $fail || !$r['delivered_ok'];
					$runs[$name][] = $r;
					say(sprintf('  %s%-20s rep %d: %5d msgs in %6.3f s = %8.1f msgs/s, %7.1f CPU µs/msg, sink +%d%s',
						$sc['rtt_ms'] ? "[{$sc['rtt_ms']} ms] " : '', $name, $rep + 1, $r['sent'], $r['wall_s'],
						$r['wall_s'] > 0 ? $r['sent'] / $r['wall_s'] : 0,
						$r['sent'] ? ($r['cpu_user_us'] + $r['cpu_sys_us']) / $r['sent'] : 0,
						$r['sink_counted'], $r['delivered_ok'] ? '' : '  DELIVERY MISMATCH ' . ($r['error'] ?? '')));
				}
			}
			$proxy?->stop();
			$summary = [];
			foreach ($names as $name) {
				$summary[$name] = summarize($runs[$name], $sc['rtt_ms'], $runs['smtp-source'] ?? null);
			}
			$res['scenarios'][] = ['rtt_ms' => $sc['rtt_ms'], 'reps' => $sc['reps'], 'n' => $sc['n'],
				'summary' => $summary, 'runs' => $runs];
		}

		if (isset($opt['strace'])) {
			foreach (array_filter($names, fn ($x) => str_starts_with($x, 'smtpdiag')) as $name) {
				$n = max(1, (int)round($cfg['n'] * $all[$name]['n']));
				$f = "$tmp/strace.$name.txt";
				$cmd = ['strace', '-c', '-f', '-o', $f, PHP_BINARY, '-d', "extension=$so", __FILE__, "--worker=$name",
					"--port={$sink->port}", "--n=$n", '--warmup=0', '--max-seconds=' . $cfg['max_seconds'], '--smtpdiag-ip-family=' . $cfg['smtpdiag_ip_family'],
					"--msg={$cfg['msg_crlf']}", "--parts={$cfg['parts']}"];
				$before = $sink->count();
				$p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
				$out = json_decode(trim(stream_get_contents($pipes[1])), true);
				stream_get_contents($pipes[2]);
				proc_close($p);
				$sink->settle($before + ($out['sent'] ?? 0));
				$res['strace'][$name] = "messages: " . ($out['sent'] ?? '?') . " (plus PHP start-up)\n"
					. trim((string)@file_get_contents($f));
			}
		}
	} finally {
		$sink->stop();
	}

	$res['env']['load_end'] = implode(' ', array_map(fn ($x) => sprintf('%.2f', $x), sys_getloadavg()));
	$res['notes'][] = 'CPU is user+sys time of the sending process only (getrusage in the PHP child around the timed '
		. 'messages, after a warm-up of ' . $cfg['warmup'] . ' messages; wait4 rusage of the whole smtp-source process). '
		. 'smtp-sink and the delay proxy run on the same 2 cores and are not counted.';
	$res['notes'][] = 'PHP runs are capped at ' . $cfg['max_seconds'] . ' s each at 0 ms and ' . $cfg['max_seconds_rtt']
		. ' s through the proxy (msgs/run shows what was sent); smtp-source '
		. 'always sends its -m count. Ratios are against smtp-source with one session (-d).';
	$res['notes'][] = 'PHPMailer builds its own MIME message from the same subject, text and HTML (about the same size); '
		. 'the other mailers send the pre-built message bytes.';
	$res['notes'][] = 'RTT/msg = (wall time per message) / RTT; at 0 ms it is not meaningful.';
	$res['notes'][] = 'sink CPU µs/msg: smtp-sink\'s on-CPU time (/proc/PID/schedstat) over the whole child run, per message it '
		. 'received: the server side of the same work, which shares the 2 cores with the sender.';
	$res['notes'][] = "smtpdiag clients use ['encryption' => 'none', 'ip_family' => {$cfg['smtpdiag_ip_family']}].";

	$md = markdown($res);
	$json = json_encode($res, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PARTIAL_OUTPUT_ON_ERROR);
	if (isset($opt['json-file'])) {
		file_put_contents((string)$opt['json-file'], $json . "\n");
	}
	echo isset($opt['json']) ? $json . "\n" : $md;

	foreach ($res['scenarios'] as $sc) {
		foreach ($sc['summary'] as $name => $s) {
			if (!$s['delivered_ok']) {
				say("FAIL: $name did not deliver every message" . ($sc['rtt_ms'] ? " at {$sc['rtt_ms']} ms RTT" : '')
					. ($s['errors'] ? ': ' . $s['errors'][0] : ''));
			}
		}
	}
	say($fail ? 'bench: some mailers did not deliver all their messages' : 'bench: every mailer delivered every message');
	foreach (glob("$tmp/*") as $f) {
		@unlink($f);
	}
	@rmdir($tmp);
	return $fail ? 1 : 0;
}
