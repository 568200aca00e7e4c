--TEST--
Every category a server can produce, from a scripted server at the phase where real servers send it: the exception's class, category, transient flag, SMTP code and enhanced code come from the classifier through the real session (greeting, AUTH, MAIL, RCPT, end of data)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

// phase => where the reply is given; each scenario is one connection of one server
$scenarios = [
    ['service_unavailable', 'greeting', "421 4.3.2 Service not available, closing transmission channel"],
    ['auth_failed', 'auth', "535 5.7.8 Error: authentication failed: authentication failure"],
    ['auth_unsupported', 'auth', "504 5.5.4 Unrecognized authentication type"],
    ['auth_required', 'mail', "530 5.7.0 Authentication required"],
    ['tls_required', 'mail', "530 5.7.0 Must issue a STARTTLS command first"],
    ['sender_rejected', 'mail', "553 5.7.1 <a@example.com>: Sender address rejected: not owned by user alice"],
    ['syntax_error', 'mail', "501 5.5.4 Syntax: MAIL FROM:<address>"],
    ['relay_denied', 'rcpt', "554 5.7.1 <b@example.net>: Relay access denied"],
    ['mailbox_unavailable', 'rcpt', "550 5.1.1 <b@example.net>: Recipient address rejected: User unknown in local recipient table"],
    ['mailbox_name_invalid', 'rcpt', "553 5.1.3 <b@example.net>: Recipient address rejected: bad address syntax"],
    ['mailbox_full', 'rcpt', "552 5.2.2 <b@example.net>: mailbox full"],
    ['greylisted', 'rcpt', "450 4.2.0 <b@example.net>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html"],
    ['rate_limited', 'final', "550 5.4.5 Daily user sending quota exceeded. https://support.google.com/mail/?p=ReachedLimit a1-20020a17090a - gsmtp"],
    ['spam_or_policy', 'final', "554 5.7.1 Message rejected as spam by Content Filtering."],
    ['message_too_large', 'final', "552 5.3.4 Error: message file too big"],
    ['temporary_local_error', 'final', "451 4.3.0 Error: queue file write error"],
];

function steps(string $phase, string $reply): array
{
    $s = [['send', "220 mx.example.net ESMTP\r\n"], ['expect', 'EHLO ']];
    if ($phase === 'greeting') {
        return [['send', "$reply\r\n"], ['expect', "QUIT\r\n"]];
    }
    $s[] = ['send', "250-mx.example.net\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"];
    if ($phase === 'auth') {
        return array_merge($s, [['expect', 'AUTH PLAIN '], ['send', "$reply\r\n"], ['expect', "QUIT\r\n"]]);
    }
    $s[] = ['expect', "MAIL FROM:<a@example.com>\r\n"];
    if ($phase === 'mail') {
        return array_merge($s, [['send', "$reply\r\n"], ['expect', "QUIT\r\n"], ['send', "221 bye\r\n"]]);
    }
    $s = array_merge($s, [['send', "250 2.1.0 Ok\r\n"], ['expect', "RCPT TO:<b@example.net>\r\n"]]);
    if ($phase === 'rcpt') {
        return array_merge($s, [['send', "$reply\r\n"], ['expect', "RSET\r\n"], ['send', "250 2.0.0 Ok\r\n"], ['expect', "QUIT\r\n"], ['send', "221 bye\r\n"]]);
    }
    return array_merge($s, [['send', "250 2.1.5 Ok\r\n"], ['expect', "DATA\r\n"], ['send', "354 go\r\n"], ['expect_data'],
        ['send', "$reply\r\n"], ['expect', "QUIT\r\n"], ['send', "221 bye\r\n"]]);
}

$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => array_map(fn ($s) => steps($s[1], $s[2]), $scenarios)]);
foreach ($scenarios as [$category, $phase, $reply]) {
    $auth = $phase === 'auth' ? ['username' => 'alice', 'password' => 'secret-pw', 'allow_plaintext_auth' => true] : [];
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5] + $auth);
    try {
        $c->send('a@example.com', 'b@example.net', "Subject: t\r\n\r\nx\r\n");
        echo "$category: NO EXCEPTION\n";
    } catch (SmtpDiag\SmtpDiagException $e) {
        printf("%-22s %-26s %-22s %-9s %s %s%s\n", $category, substr(strrchr(get_class($e), '\\'), 1), $e->getCategory(),
            $e->isTransient() ? 'transient' : 'permanent', $e->getSmtpCode(), $e->getEnhancedStatus(),
            $e->getCategory() === $category && $e->getHint() !== '' ? '' : '  <-- MISMATCH');
    }
    if ($c->isConnected()) {
        $c->quit();
    }
    unset($c);
}
echo '--- server exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
service_unavailable    ConnectionException        service_unavailable    transient 421 4.3.2
auth_failed            AuthenticationException    auth_failed            permanent 535 5.7.8
auth_unsupported       AuthenticationException    auth_unsupported       permanent 504 5.5.4
auth_required          AuthenticationException    auth_required          permanent 530 5.7.0
tls_required           TlsException               tls_required           permanent 530 5.7.0
sender_rejected        SenderException            sender_rejected        permanent 553 5.7.1
syntax_error           SenderException            syntax_error           permanent 501 5.5.4
relay_denied           RecipientException         relay_denied           permanent 554 5.7.1
mailbox_unavailable    RecipientException         mailbox_unavailable    permanent 550 5.1.1
mailbox_name_invalid   RecipientException         mailbox_name_invalid   permanent 553 5.1.3
mailbox_full           RecipientException         mailbox_full           permanent 552 5.2.2
greylisted             RecipientException         greylisted             transient 450 4.2.0
rate_limited           MessageException           rate_limited           transient 550 5.4.5
spam_or_policy         MessageException           spam_or_policy         permanent 554 5.7.1
message_too_large      MessageException           message_too_large      permanent 552 5.3.4
temporary_local_error  MessageException           temporary_local_error  transient 451 4.3.0
--- server exit 0 ---