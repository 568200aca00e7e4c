<?php
/*
 * Check benchmark: smtpdiag_check() against the same checks done by hand,
 * with a network round-trip time added to every SMTP connection and DNS
 * answer.
 *
 *   php -d extension=modules/smtpdiag.so bench/check.php [--rtt=0,40] [--reps=5]
 *
 * Set-up (all on loopback): Postfix + Dovecot from tests/inc/mta.inc (STARTTLS
 * submission with AUTH, and plain SMTP), behind three bench/delay_proxy.php
 * (the session's port and two probed ports: submission again and plain
 * SMTP) with a one-way delay of RTT/2, and the scripted DNS
 * responder of the tests holding every reply RTT long. The check is the full
 * default one: mx.test.example resolved through that responder, the session
 * (banner, EHLO, STARTTLS, certificate, AUTH PLAIN, MAIL FROM, RCPT TO, then
 * RSET), the port probes of the two other ports, all through the proxies, and
 * the DNS checks of the sender domain test.example, served by the responder:
 * MX, SPF (evaluated for the server's address), DKIM (selector "bench", a
 * 2048-bit key), DMARC, reverse DNS of both ends, MTA-STS, TLS-RPT, DANE and
 * BIMI (the last two and MTA-STS absent: one look-up each).
 * (A probed port that is not 465 and stays silent is given 3 s to greet
 * before it is tried as implicit TLS, so the bench probes SMTP ports only.)
 *
 * Three ways to do it, each timed by wall clock, median of --reps runs:
 *   - smtpdiag_check(): one call, DNS and port probes beside the session;
 *   - the same work one part after another: its wall time plus the time of
 *     each step that ran beside the session (`ports` and every dns.* step;
 *     dns.host is on the session's path anyway). A plain sum of the step
 *     times would not do: pipelined MAIL and RCPT share one round trip but
 *     each step reports it, and RSET, QUIT and the EHLO after STARTTLS belong
 *     to no step;
 *   - what people type: dig for A and AAAA, swaks --quit-after BANNER for
 *     each probed port, swaks with --tls --auth PLAIN --quit-after RCPT for
 *     the session, then dig for each DNS record the checks read, in sequence.
 * Markdown on stdout, progress on stderr. Needs root (Postfix), postfix,
 * dovecot-core, swaks and bind9-dnsutils; makes no timing assertion.
 */

declare(strict_types=1);

require_once __DIR__ . '/proxy.inc';
require_once __DIR__ . '/../tests/inc/dns.inc';
require_once __DIR__ . '/../tests/inc/mta.inc';

const HOST = 'mx.test.example';
const DOMAIN = 'test.example';

/** An RSA public key (base64 SubjectPublicKeyInfo) for the DKIM record. */
function dkim_key(): string
{
	[$rc, $pem] = run(['sh', '-c', 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl pkey -pubout']);
	if ($rc !== 0 || !preg_match('/-----BEGIN PUBLIC KEY-----(.*)-----END PUBLIC KEY-----/s', $pem, $m)) {
		throw new RuntimeException("openssl could not make a key: $pem");
	}
	return (string)preg_replace('/\s+/', '', $m[1]);
}

/** The sender domain's records, as the DNS checks read them. */
function zone(): array
{
	return [
		HOST => ['A' => ['127.0.0.1']],
		DOMAIN => ['MX' => [[10, HOST]], 'TXT' => ['v=spf1 ip4:127.0.0.1 -all']],
		'bench._domainkey.' . DOMAIN => ['TXT' => ['v=DKIM1; k=rsa; p=' . dkim_key()]],
		'_dmarc.' . DOMAIN => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:dmarc@' . DOMAIN]],
		'_smtp._tls.' . DOMAIN => ['TXT' => ['v=TLSRPTv1; rua=mailto:tlsrpt@' . DOMAIN]],
		'1.0.0.127.in-addr.arpa' => ['PTR' => [HOST]],
	];
}

function opt(array $argv, string $name, string $default): string
{
	foreach ($argv as $a) {
		if (str_starts_with($a, "--$name=")) {
			return substr($a, strlen($name) + 3);
		}
	}
	return $default;
}

function median(array $xs): float
{
	sort($xs);
	$n = count($xs);
	return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

/** Runs a command, returns [exit status, combined output]. */
function run(array $cmd): array
{
	$p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
	$out = stream_get_contents($pipes[1]);
	fclose($pipes[1]);
	return [proc_close($p), (string)$out];
}

function main(array $argv): int
{
	if (!extension_loaded('smtpdiag')) {
		fwrite(STDERR, "load the extension: php -d extension=modules/smtpdiag.so bench/check.php\n");
		return 2;
	}
	foreach (['swaks', 'dig'] as $tool) {
		if (run(['sh', '-c', "command -v $tool"])[0] !== 0) {
			fwrite(STDERR, "$tool is missing: apt-get install -y swaks bind9-dnsutils\n");
			return 2;
		}
	}
	if (($why = MtaTestServer::skipReason()) !== null) {
		fwrite(STDERR, "cannot start Postfix and Dovecot: $why\n");
		return 2;
	}
	$rtts = array_map('floatval', explode(',', opt($argv, 'rtt', '0,40')));
	$reps = max(1, (int)opt($argv, 'reps', '5'));
	$tmp = sys_get_temp_dir();

	$mta = MtaTestServer::start();
	$user = 'alice';
	$pass = MtaTestServer::DEFAULT_USERS[$user];
	$from = $mta->address('alice');
	$to = $mta->address('bob');

	$rows = [];
	foreach ($rtts as $rtt) {
		$proxies = [];
		foreach (['submission' => 'submission', 'submission2' => 'submission', 'plain' => 'plain'] as $name => $svc) {
			$proxies[$name] = new Proxy(__DIR__ . '/delay_proxy.php', $mta->ports[$svc], $rtt / 2, 3600, $tmp);
		}
		$dns = DnsTestServer::start(zone(), $rtt, 3600);
		[$dnsHost, $dnsPort] = explode(':', $dns->servers());
		$probePorts = [$proxies['submission2']->port, $proxies['plain']->port];
		$options = ['dns_servers' => $dns->servers(), 'encryption' => 'starttls', 'cafile' => $mta->cafile,
			'peer_name' => 'localhost', 'auth' => 'PLAIN', 'from' => $from, 'to' => $to, 'ports' => $probePorts, 'timeout' => 30,
			'dkim_selectors' => ['bench'], 'helo' => HOST];
		$dsn = 'smtp://' . $user . ':' . rawurlencode($pass) . '@' . HOST . ':' . $proxies['submission']->port;

		$swaksSession = ['swaks', '--server', "127.0.0.1:{$proxies['submission']->port}", '--tls', '--tls-verify',
			'--tls-ca-path', $mta->cafile, '--auth', 'PLAIN', '--auth-user', $user, '--auth-password', $pass,
			'--from', $from, '--to', $to, '--quit-after', 'RCPT', '--helo', 'bench.test.example'];
		$manual = [
			['dig', "@$dnsHost", '-p', $dnsPort, '+tries=1', '+short', HOST, 'A'],
			['dig', "@$dnsHost", '-p', $dnsPort, '+tries=1', '+short', HOST, 'AAAA'],
			['swaks', '--server', "127.0.0.1:{$proxies['submission2']->port}", '--quit-after', 'BANNER'],
			['swaks', '--server', "127.0.0.1:{$proxies['plain']->port}", '--quit-after', 'BANNER'],
			$swaksSession,
		];
		$dig = static fn (string $name, string $type): array => ['dig', "@$dnsHost", '-p', $dnsPort, '+tries=1', '+short', $name, $type];
		foreach ([[DOMAIN, 'MX'], [HOST, 'A'], [HOST, 'AAAA'], [DOMAIN, 'TXT'], ['bench._domainkey.' . DOMAIN, 'TXT'],
			['_dmarc.' . DOMAIN, 'TXT'], ['1.0.0.127.in-addr.arpa', 'PTR'], ['_mta-sts.' . DOMAIN, 'TXT'],
			['_smtp._tls.' . DOMAIN, 'TXT'], ["_{$proxies['submission']->port}._tcp." . HOST, 'TLSA'],
			['default._bimi.' . DOMAIN, 'TXT']] as [$name, $type]) {
			$manual[] = $dig($name, $type);
		}

		$check = $seq = $byHand = [];
		$steps = [];
		for ($i = 0; $i <= $reps; $i++) {
			$t = hrtime(true);
			$r = smtpdiag_check($dsn, $options);
			$wall = (hrtime(true) - $t) / 1e6;
			if (!$r['ok'] || $r['status'] !== 'ok') {
				fwrite(STDERR, smtpdiag_format($r, ['transcript' => true]));
				throw new RuntimeException("smtpdiag_check() did not pass at RTT $rtt ms");
			}
			$t = hrtime(true);
			foreach ($manual as $cmd) {
				[$rc, $out] = run($cmd);
				if ($rc !== 0) {
					throw new RuntimeException(implode(' ', array_slice($cmd, 0, 3)) . " failed ($rc): $out");
				}
			}
			$manualWall = (hrtime(true) - $t) / 1e6;
			if ($i === 0) {
				continue; // warm-up: caches, Postfix's first smtpd
			}
			$check[] = $wall;
			$beside = array_filter($r['steps'], fn(array $s): bool => $s['id'] === 'ports' || (str_starts_with($s['id'], 'dns.') && $s['id'] !== 'dns.host'));
			$seq[] = $wall + array_sum(array_column($beside, 'duration_ms'));
			$byHand[] = $manualWall;
			foreach ($r['steps'] as $s) {
				$steps[$s['id']][] = $s['duration_ms'];
			}
			fwrite(STDERR, sprintf("rtt %g ms, run %d: check %.1f ms, sequential %.1f ms, swaks+dig %.1f ms\n", $rtt, $i, $wall, end($seq), $manualWall));
		}
		$rows[] = ['rtt' => $rtt, 'check' => median($check), 'seq' => median($seq), 'hand' => median($byHand),
			'steps' => array_map('median', $steps)];
		$dns->stop();
		foreach ($proxies as $p) {
			$p->stop();
		}
	}
	$mta->stop();

	echo "| RTT | smtpdiag_check() | the same in sequence | swaks + dig in sequence | sequence / check | swaks+dig / check |\n";
	echo "|---:|---:|---:|---:|---:|---:|\n";
	foreach ($rows as $row) {
		printf("| %g ms | %.1f ms | %.1f ms | %.1f ms | %.2f× | %.2f× |\n", $row['rtt'], $row['check'], $row['seq'], $row['hand'],
			$row['seq'] / $row['check'], $row['hand'] / $row['check']);
	}
	echo "\nMedian duration of each step (ms):\n\n| step |";
	foreach ($rows as $row) {
		printf(" RTT %g ms |", $row['rtt']);
	}
	echo "\n|---|" . str_repeat('---:|', count($rows)) . "\n";
	foreach (array_keys($rows[0]['steps']) as $id) {
		echo "| $id |";
		foreach ($rows as $row) {
			printf(" %.1f |", $row['steps'][$id] ?? 0);
		}
		echo "\n";
	}
	printf("\n%d runs per RTT after one warm-up; PHP %s, %s.\n", $reps, PHP_VERSION, php_uname('m'));
	return 0;
}

exit(main($argv));
