--TEST--
SendResult->queueId parsed from the final reply of common servers: Postfix, Exim, Gmail, Amazon SES, Sendmail, Microsoft 365; NULL when the reply carries none (including Yahoo's "250 ok dirdel"); code, enhancedStatus and reply as received
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$finals = [
    'Postfix' => "250 2.0.0 Ok: queued as 4Y1cXz3RmKz9vBq\r\n",
    'Exim' => "250 OK id=1tBcDe-000Abc-Fg\r\n",
    'Gmail' => "250 2.0.0 OK  1700000000 a1-20020a05600c3b0100b0040b2c195d0asm1234567wmq.1 - gsmtp\r\n",
    'Amazon SES' => "250 Ok 0100018c1a2b3c4d-5e6f7a8b-9c0d-1e2f-3a4b-5c6d7e8f9a0b-000000\r\n",
    'Sendmail' => "250 2.0.0 4BS0Xq1v012345 Message accepted for delivery\r\n",
    'Microsoft 365' => "250 2.6.0 <a1b2@mail.example.com> [InternalId=12345678901234, Hostname=AM0PR01MB1234.eurprd01.prod.exchangelabs.com] 9876 bytes in 0.123, 77.6 KB/sec Queued mail for delivery\r\n",
    'no id' => "250 2.0.0 Message accepted\r\n",
    'Yahoo' => "250 ok dirdel\r\n",
];

$steps = sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES');
foreach ($finals as $final) {
    array_push($steps,
        ['expect', 'MAIL FROM:'], ['expect', 'RCPT TO:'], ['expect', 'DATA'],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', $final]);
}
array_push($steps, ['expect', 'QUIT'], ['send', "221 Bye\r\n"]);
$srv = SmtpTestServer::start($steps, ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
foreach ($finals as $name => $final) {
    $r = $c->send('s@example.com', 'r@example.net', "Subject: q\r\n\r\nq\r\n");
    printf("%-20s %s | %d %s | %s\n", $name, var_export($r->queueId, true), $r->code, var_export($r->enhancedStatus, true), json_encode($r->reply, JSON_UNESCAPED_SLASHES));
}
$c->quit();
unset($c);
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();
?>
--EXPECT--
Postfix              '4Y1cXz3RmKz9vBq' | 250 '2.0.0' | "2.0.0 Ok: queued as 4Y1cXz3RmKz9vBq"
Exim                 '1tBcDe-000Abc-Fg' | 250 NULL | "OK id=1tBcDe-000Abc-Fg"
Gmail                'a1-20020a05600c3b0100b0040b2c195d0asm1234567wmq.1' | 250 '2.0.0' | "2.0.0 OK  1700000000 a1-20020a05600c3b0100b0040b2c195d0asm1234567wmq.1 - gsmtp"
Amazon SES           '0100018c1a2b3c4d-5e6f7a8b-9c0d-1e2f-3a4b-5c6d7e8f9a0b-000000' | 250 NULL | "Ok 0100018c1a2b3c4d-5e6f7a8b-9c0d-1e2f-3a4b-5c6d7e8f9a0b-000000"
Sendmail             '4BS0Xq1v012345' | 250 '2.0.0' | "2.0.0 4BS0Xq1v012345 Message accepted for delivery"
Microsoft 365        '12345678901234' | 250 '2.6.0' | "2.6.0 <a1b2@mail.example.com> [InternalId=12345678901234, Hostname=AM0PR01MB1234.eurprd01.prod.exchangelabs.com] 9876 bytes in 0.123, 77.6 KB/sec Queued mail for delivery"
no id                NULL | 250 '2.0.0' | "2.0.0 Message accepted"
Yahoo                NULL | 250 NULL | "ok dirdel"
server exit 0
