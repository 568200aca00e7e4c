/*
 * Integration tests: src/core/conn.c (with loop.c, resolver.c, transport.c,
 * tls.c, smtp.c, report.c) against tiny scripted servers on loopback, each
 * in a forked child. No fixed ports: the listener binds port 0.
 */
#include "test.h"
#include "conn.h"
#include "report.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* A server step: 'S' send text, 'R' read one line and report it, 'W' read
 * anything (up to 4 KiB) and discard it, 'P' pause (ms in text), 'C' close. */
typedef struct {
	char op;
	const char *text;
} step_t;

typedef struct {
	pid_t pid;
	int report;     /* read end: the lines the client sent, each + '\n' */
	uint16_t port;
} server_t;

static int read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	while (n + 1 < cap) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r <= 0) {
			break;
		}
		buf[n++] = ch;
		if (ch == '\n') {
			break;
		}
	}
	buf[n] = '\0';
	return (int)n;
}

static void run_steps(int fd, int report, const step_t *steps)
{
	size_t i;
	char buf[4096];
	for (i = 0; steps[i].op; i++) {
		switch (steps[i].op) {
			case 'S':
				(void)!write(fd, steps[i].text, strlen(steps[i].text));
				break;
			case 'R': {
				int n = read_line(fd, buf, sizeof(buf));
				if (n <= 0) {
					(void)!write(report, "<eof>\n", 6);
					return;
				}
				/* report it with CR and LF made visible */
				{
					char vis[8192];
					size_t k, o = 0;
					for (k = 0; k < (size_t)n && o + 4 < sizeof(vis); k++) {
						if (buf[k] == '\r') {
							vis[o++] = '\\', vis[o++] = 'r';
						} else if (buf[k] == '\n') {
							vis[o++] = '\\', vis[o++] = 'n';
						} else {
							vis[o++] = buf[k];
						}
					}
					vis[o++] = '\n';
					(void)!write(report, vis, o);
				}
				break;
			}
			case 'W':
				(void)!read(fd, buf, sizeof(buf));
				break;
			case 'P':
				usleep((useconds_t)atoi(steps[i].text) * 1000);
				break;
			case 'C':
				return;
		}
	}
}

/* Start a one-connection server on 127.0.0.1; steps run after accept. */
static int server_start(server_t *s, const step_t *steps)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), pfd[2], one = 1;
	memset(s, 0, sizeof(*s));
	if (lfd < 0 || pipe(pfd) != 0) {
		return -1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 4) != 0 || getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0) {
		close(lfd);
		return -1;
	}
	s->port = ntohs(sa.sin_port);
	fflush(stdout);
	s->pid = fork();
	if (s->pid < 0) {
		return -1;
	}
	if (s->pid == 0) {
		int cfd;
		alarm(20);
		close(pfd[0]);
		cfd = accept(lfd, NULL, NULL);
		close(lfd);
		if (cfd >= 0) {
			run_steps(cfd, pfd[1], steps);
			close(cfd);
		}
		close(pfd[1]);
		_exit(0);
	}
	close(lfd);
	close(pfd[1]);
	s->report = pfd[0];
	return 0;
}

/* Wait for the server and return what the client sent (static buffer). */
static const char *server_finish(server_t *s)
{
	static char got[8192];
	size_t n = 0;
	ssize_t r;
	int status;
	while (n + 1 < sizeof(got) && (r = read(s->report, got + n, sizeof(got) - 1 - n)) > 0) {
		n += (size_t)r;
	}
	got[n] = '\0';
	close(s->report);
	waitpid(s->pid, &status, 0);
	return got;
}

typedef struct {
	sdiag_config_t cfg;
	sdiag_loop_t loop;
	sdiag_resolver_t resolver;
	sdiag_conn_t conn;
	sdiag_error_t err;
} client_t;

static int client_init(client_t *c, const char *dsn)
{
	memset(c, 0, sizeof(*c));
	sdiag_config_init(&c->cfg);
	sdiag_error_clear(&c->err);
	if (sdiag_config_parse_dsn(&c->cfg, dsn, &c->err) != SDIAG_OK || sdiag_config_finalize(&c->cfg, &c->err) != SDIAG_OK) {
		t_fail(__FILE__, __LINE__, "config %s: %s", dsn, c->err.message);
		sdiag_config_free(&c->cfg);
		return -1;
	}
	sdiag_loop_init(&c->loop);
	if (sdiag_resolver_init(&c->resolver, &c->loop, NULL, c->cfg.timeout_ms, &c->err) != SDIAG_OK) {
		t_fail(__FILE__, __LINE__, "resolver: %s", c->err.message);
		sdiag_loop_free(&c->loop);
		sdiag_config_free(&c->cfg);
		return -1;
	}
	sdiag_conn_init(&c->conn, &c->cfg, &c->loop, &c->resolver);
	return 0;
}

static void client_free(client_t *c)
{
	sdiag_conn_free(&c->conn);
	sdiag_resolver_free(&c->resolver);
	sdiag_loop_free(&c->loop);
	sdiag_config_free(&c->cfg);
}

static int has_entry(const sdiag_transcript_t *t, sdiag_dir_t dir, const char *needle)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		if (t->entries[i].dir == dir && strstr(sdiag_tentry_text(t, &t->entries[i]), needle)) {
			return 1;
		}
	}
	return 0;
}

static void dump_transcript(const sdiag_transcript_t *t)
{
	sdiag_buf_t b;
	sdiag_buf_init(&b, 1 << 20);
	if (sdiag_transcript_format(t, &b, 1) == 0 && b.data) {
		printf("%s", b.data);
	}
	sdiag_buf_free(&b);
}

static const sdiag_step_t *find_step(const sdiag_steps_t *s, const char *id)
{
	size_t i;
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->steps[i].id, id) == 0) {
			return &s->steps[i];
		}
	}
	return NULL;
}

TEST(plaintext_banner_ehlo_quit)
{
	static const step_t steps[] = {
		{'S', "220 test.example ESMTP ready\r\n"},
		{'R', NULL},
		{'S', "250-test.example greets you\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"},
		{'R', NULL},
		{'S', "221 2.0.0 Bye\r\n"},
		{'C', NULL},
	};
	server_t srv;
	client_t c;
	char dsn[128];
	const char *got;
	sdiag_steps_t rep;
	REQUIRE(server_start(&srv, steps) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?timeout=10", (unsigned)srv.port);
	if (client_init(&c, dsn) != 0) {
		server_finish(&srv);
		return;
	}
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_OK);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_NONE);
	CHECK(sdiag_conn_ready(&c.conn));
	CHECK_INT(c.conn.smtp.state, SDIAG_SMTP_READY);
	CHECK_INT(c.conn.smtp.tls_skipped, 1);
	CHECK_INT(c.conn.smtp.banner_code, 220);
	CHECK_STR(c.conn.smtp.banner, "test.example ESMTP ready");
	CHECK(c.conn.smtp.caps.size_limit == 1000);
	CHECK(sdiag_caps_find(&c.conn.smtp.caps, "8BITMIME") != NULL);
	CHECK_STR(c.conn.peer_addr, "127.0.0.1");
	CHECK_INT(c.conn.peer_port, srv.port);
	CHECK_STR(c.conn.local_addr, "127.0.0.1");
	CHECK_STR(c.conn.smtp.helo, "[127.0.0.1]");
	CHECK_SIZE(c.conn.nattempts, 1);
	CHECK(c.conn.t_connected > 0 && c.conn.t_banner >= c.conn.t_connected && c.conn.t_ehlo_done >= c.conn.t_banner && c.conn.t_ready > 0);

	/* the report of what happened */
	memset(&rep, 0, sizeof(rep));
	sdiag_report_connection(&c.conn, &rep);
	{
		const sdiag_step_t *st;
		st = find_step(&rep, "dns.host");
		CHECK(st && st->status == SDIAG_STEP_OK);
		st = find_step(&rep, "tcp.connect");
		CHECK(st && st->status == SDIAG_STEP_OK);
		st = find_step(&rep, "smtp.banner");
		CHECK(st && st->status == SDIAG_STEP_OK && strstr(st->message, "test.example ESMTP ready"));
		st = find_step(&rep, "smtp.ehlo");
		CHECK(st && st->status == SDIAG_STEP_OK && strstr(st->message, "SIZE 1000"));
		st = find_step(&rep, "tls");
		CHECK(st && st->status == SDIAG_STEP_WARN);
		st = find_step(&rep, "tls.certificate");
		CHECK(st && st->status == SDIAG_STEP_SKIP);
	}

	sdiag_conn_quit(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_OK);
	CHECK_INT(c.conn.smtp.state, SDIAG_SMTP_CLOSED);
	CHECK_INT(c.conn.state, SDIAG_CONN_DONE);
	CHECK(c.conn.fd == SDIAG_BAD_SOCKET);
	CHECK(!sdiag_conn_ready(&c.conn));

	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_INFO, "connected to 127.0.0.1 port"));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_SERVER, "220 test.example ESMTP ready"));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_CLIENT, "EHLO [127.0.0.1]"));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_SERVER, "250 8BITMIME"));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_CLIENT, "QUIT"));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_SERVER, "221 2.0.0 Bye"));
	if (t_failures()) {
		dump_transcript(&c.conn.transcript);
	}
	client_free(&c);
	got = server_finish(&srv);
	/* exactly the bytes the client sent */
	CHECK_STR(got, "EHLO [127.0.0.1]\\r\\n\nQUIT\\r\\n\n");
}

TEST(helo_option_and_starttls_required)
{
	static const step_t steps[] = {
		{'S', "220 plain.example ESMTP\r\n"},
		{'R', NULL},
		{'S', "250-plain.example\r\n250 AUTH PLAIN LOGIN\r\n"},
		{'R', NULL},
		{'C', NULL},
	};
	server_t srv;
	client_t c;
	char dsn[160];
	const char *got;
	REQUIRE(server_start(&srv, steps) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?encryption=starttls&local_domain=client.test&timeout=10", (unsigned)srv.port);
	if (client_init(&c, dsn) != 0) {
		server_finish(&srv);
		return;
	}
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_TLS_REQUIRED);
	CHECK_INT(c.conn.err.phase, SDIAG_PHASE_STARTTLS);
	CHECK(!sdiag_conn_ready(&c.conn));
	CHECK(c.conn.fd == SDIAG_BAD_SOCKET);
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_INFO, "error: tls_required"));
	client_free(&c);
	got = server_finish(&srv);
	/* EHLO with the configured name, then only QUIT: no plaintext AUTH */
	CHECK_STR(got, "EHLO client.test\\r\\n\nQUIT\\r\\n\n");
}

TEST(server_drops_after_banner)
{
	static const step_t steps[] = {
		{'S', "220 flaky.example ESMTP\r\n"},
		{'R', NULL},
		{'C', NULL},
	};
	server_t srv;
	client_t c;
	char dsn[128];
	REQUIRE(server_start(&srv, steps) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?timeout=10&encryption=none", (unsigned)srv.port);
	if (client_init(&c, dsn) != 0) {
		server_finish(&srv);
		return;
	}
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_CONNECTION_LOST);
	CHECK_INT(c.conn.err.phase, SDIAG_PHASE_EHLO);
	CHECK_INT(c.conn.err.transient, 1);
	client_free(&c);
	server_finish(&srv);
}

TEST(banner_554_through_the_driver)
{
	static const step_t steps[] = {
		{'S', "554 5.7.1 No SMTP service for you\r\n"},
		{'P', "200"},
		{'C', NULL},
	};
	server_t srv;
	client_t c;
	char dsn[128];
	sdiag_steps_t rep;
	const sdiag_step_t *st;
	REQUIRE(server_start(&srv, steps) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?timeout=10", (unsigned)srv.port);
	if (client_init(&c, dsn) != 0) {
		server_finish(&srv);
		return;
	}
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_SERVICE_UNAVAILABLE);
	CHECK_INT(c.conn.err.phase, SDIAG_PHASE_BANNER);
	CHECK_INT(c.conn.err.smtp_code, 554);
	memset(&rep, 0, sizeof(rep));
	sdiag_report_connection(&c.conn, &rep);
	st = find_step(&rep, "smtp.banner");
	CHECK(st && st->status == SDIAG_STEP_FAIL);
	st = find_step(&rep, "smtp.ehlo");
	CHECK(st && st->status == SDIAG_STEP_SKIP);
	client_free(&c);
	server_finish(&srv);
}

TEST(implicit_tls_against_plaintext_server)
{
	static const step_t steps[] = {
		{'S', "220 plain.example ESMTP\r\n"},
		{'W', NULL},
		{'P', "300"},
		{'C', NULL},
	};
	server_t srv;
	client_t c;
	char dsn[128];
	REQUIRE(server_start(&srv, steps) == 0);
	snprintf(dsn, sizeof(dsn), "smtps://127.0.0.1:%u?timeout=10", (unsigned)srv.port);
	if (client_init(&c, dsn) != 0) {
		server_finish(&srv);
		return;
	}
	CHECK_INT(c.cfg.encryption, SDIAG_ENC_IMPLICIT);
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_TLS_ERROR);
	CHECK_INT(c.conn.err.phase, SDIAG_PHASE_TLS);
	CHECK_CONTAINS(c.conn.err.message, "plaintext SMTP");
	CHECK_CONTAINS(c.conn.err.message, "220 plain.example ESMTP");
	CHECK_CONTAINS(c.conn.err.hint, "starttls");
	client_free(&c);
	server_finish(&srv);
}

TEST(silent_server_times_out)
{
	static const step_t steps[] = {
		{'P', "3000"},
		{'C', NULL},
	};
	server_t srv;
	client_t c;
	char dsn[128];
	double start;
	REQUIRE(server_start(&srv, steps) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?timeout=1", (unsigned)srv.port);
	if (client_init(&c, dsn) != 0) {
		server_finish(&srv);
		return;
	}
	start = sdiag_now_ms();
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_TIMEOUT);
	CHECK_INT(c.conn.err.phase, SDIAG_PHASE_BANNER);
	CHECK_CONTAINS(c.conn.err.message, "no SMTP greeting");
	CHECK_INT(c.conn.probe_tls, 0);
	/* within the deadline, not long after */
	CHECK(sdiag_now_ms() - start < 2500);
	client_free(&c);
	server_finish(&srv);
}

TEST(refused_port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	client_t c;
	char dsn[128];
	sdiag_steps_t rep;
	const sdiag_step_t *st;
	REQUIRE(fd >= 0);
	/* bound, never listening: connecting to it is refused, and no one else gets the port meanwhile */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	REQUIRE(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?timeout=5", (unsigned)ntohs(sa.sin_port));
	if (client_init(&c, dsn) != 0) {
		close(fd);
		return;
	}
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_CONNECTION_REFUSED);
	CHECK_INT(c.conn.err.phase, SDIAG_PHASE_CONNECT);
	CHECK_INT(c.conn.err.transient, 1);
	CHECK_INT(c.conn.err.sys_errno, ECONNREFUSED);
	CHECK_SIZE(c.conn.nattempts, 1);
	CHECK_INT(c.conn.attempts[0].result, SDIAG_CAT_CONNECTION_REFUSED);
	CHECK_STR(c.conn.attempts[0].addr, "127.0.0.1");
	CHECK(!sdiag_conn_ready(&c.conn));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_INFO, "127.0.0.1 resolves to 127.0.0.1"));
	CHECK(has_entry(&c.conn.transcript, SDIAG_DIR_INFO, "failed"));
	memset(&rep, 0, sizeof(rep));
	sdiag_report_connection(&c.conn, &rep);
	st = find_step(&rep, "dns.host");
	CHECK(st && st->status == SDIAG_STEP_OK);
	st = find_step(&rep, "tcp.connect");
	CHECK(st && st->status == SDIAG_STEP_FAIL);
	st = find_step(&rep, "smtp.banner");
	CHECK(st && st->status == SDIAG_STEP_SKIP);
	/* quitting a connection that never opened is harmless */
	sdiag_conn_quit(&c.conn);
	CHECK_INT(c.conn.state, SDIAG_CONN_DONE);
	client_free(&c);
	close(fd);
}

TEST(reopen_after_failure)
{
	/* the same conn object can be opened again */
	static const step_t steps[] = {
		{'S', "220 again.example ESMTP\r\n"},
		{'R', NULL},
		{'S', "250 again.example\r\n"},
		{'R', NULL},
		{'S', "221 bye\r\n"},
		{'C', NULL},
	};
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	server_t srv;
	client_t c;
	char dsn[128];
	REQUIRE(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	REQUIRE(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	snprintf(dsn, sizeof(dsn), "smtp://127.0.0.1:%u?timeout=5&encryption=none", (unsigned)ntohs(sa.sin_port));
	if (client_init(&c, dsn) != 0) {
		close(fd);
		return;
	}
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_ERR);
	close(fd);
	REQUIRE(server_start(&srv, steps) == 0);
	c.cfg.port = srv.port;
	sdiag_conn_open(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_OK);
	CHECK_INT(c.conn.err.category, SDIAG_CAT_NONE);
	CHECK(sdiag_conn_ready(&c.conn));
	sdiag_conn_quit(&c.conn);
	CHECK_INT(sdiag_conn_wait(&c.conn), SDIAG_OK);
	client_free(&c);
	server_finish(&srv);
}

int main(int argc, char **argv)
{
	static const t_case_t cases[] = {
		T(plaintext_banner_ehlo_quit),
		T(helo_option_and_starttls_required),
		T(server_drops_after_banner),
		T(banner_554_through_the_driver),
		T(implicit_tls_against_plaintext_server),
		T(silent_server_times_out),
		T(refused_port),
		T(reopen_after_failure),
	};
	int r;
	signal(SIGPIPE, SIG_IGN);
	sdiag_resolver_library_init();
	r = t_run("conn", cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	sdiag_resolver_library_cleanup();
	return r;
}
