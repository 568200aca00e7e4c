/* MTA-STS: the TXT record and policy parsers, MX pattern matching, the
 * HTTPS fetch against a real local TLS server (a forked child), and the
 * dns.mta_sts job over the in-memory zone. */
#include "test.h"
#include "zone.h"
#include "certgen.h"
#include "https.h"
#include "mtasts.h"
#include "dnscheck.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* ---- the TXT record ---- */

TEST(record_table)
{
	static const struct {
		const char *txt;
		int is_record;
		int ok;
		const char *id_or_why;
	} rows[] = {
		{"v=STSv1; id=20160831085700Z;", 1, 0, "20160831085700Z"},
		{"v=STSv1; id=20160831085700Z", 1, 0, "20160831085700Z"},
		{"v=STSv1;id=abc", 1, 0, "abc"},
		{"v=STSv1 ;  id=abc ; ", 1, 0, "abc"},
		{"v=STSv1; id=abc; ext-1.x=v@l:ue", 1, 0, "abc"},
		{"v=STSv1; ext=1; id=A1", 1, 0, "A1"},
		{"v=STSv1; id=12345678901234567890123456789012", 1, 0, "12345678901234567890123456789012"},
		{"v=STSv1; id=123456789012345678901234567890123", 1, -1, "must be 1 to 32 letters or digits (it has 33"},
		{"v=STSv1; id=", 1, -1, "must be 1 to 32"},
		{"v=STSv1; id=2024-01-01", 1, -1, "only letters and digits (no \"-\")"},
		{"v=STSv1", 1, -1, "no id field"},
		{"v=STSv1;", 1, -1, "no id field"},
		{"v=STSv1 id=abc", 1, -1, "expected \";\" between fields"},
		{"v=STSv1; id = abc", 1, -1, "not name=value"},
		{"v=STSv1; id=a; id=b", 1, -1, "two id fields"},
		{"v=STSv1; id=a; v=STSv1", 1, -1, "second v= field"},
		{"v=STSv1; id=a; _x=1", 1, -1, "\"_x\" is not a valid field name"},
		{"v=STSv1; id=a; x=", 1, -1, "empty value"},
		{"v=STSv1; id=a; x=b=c", 1, -1, "not allowed there (0x3D)"},
		{"v=STSv10; id=a", 0, -1, "does not begin with"},
		{"v=stsv1; id=a", 0, -1, "does not begin with"},
		{" v=STSv1; id=a", 0, -1, "does not begin with"},
		{"v=spf1 -all", 0, -1, "does not begin with"},
		{"", 0, -1, "does not begin with"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].txt) {
			sdiag_mtasts_record_t rec;
			char why[256] = "";
			size_t n = strlen(rows[i].txt);
			CHECK_INT(sdiag_mtasts_is_record(rows[i].txt, n), rows[i].is_record);
			CHECK_INT(sdiag_mtasts_parse_record(rows[i].txt, n, &rec, why, sizeof(why)), rows[i].ok);
			if (rows[i].ok == 0) {
				CHECK_STR(rec.id, rows[i].id_or_why);
			} else {
				CHECK_CONTAINS(why, rows[i].id_or_why);
			}
		}
	}
}

/* ---- the policy ---- */

TEST(policy_table)
{
	static const struct {
		const char *text;
		int ok;
		const char *mode_or_why;
		long max_age;
		const char *mx;     /* the patterns joined with "," */
		int not_first;
	} rows[] = {
		{"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n", 0, "enforce", 604800, "mail.example.com,*.example.net,backupmx.example.com", 0},
		{"version: STSv1\nmode: testing\nmx: MX.Example.COM\nmax_age: 86400", 0, "testing", 86400, "mx.example.com", 0},
		{"version:STSv1\nmode:none\nmax_age:0\n", 0, "none", 0, "", 0},
		{"version: STSv1  \nmode: enforce\t\nmx: a.example\nmax_age: 31557600\n\n", 0, "enforce", 31557600, "a.example", 0},
		{"mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 1\n", 0, "enforce", 1, "a.example", 1},
		{"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nfoo_bar-1.x: anything goes\n", 0, "enforce", 1, "a.example", 0},
		{"mode: enforce\nmx: a.example\nmax_age: 1\n", -1, "no \"version: STSv1\" line", 0, NULL, 0},
		{"version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", -1, "line 1: the version is \"STSv2\"; it must be STSv1", 0, NULL, 0},
		{"version: STSv1\nversion: STSv1\n", -1, "line 2: a second version line", 0, NULL, 0},
		{"version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n", -1, "line 2: the mode is \"Enforce\"", 0, NULL, 0},
		{"version: STSv1\nMode: enforce\n", -1, "line 2: the key \"Mode\" must be written in lower case", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmode: testing\n", -1, "line 3: a second mode line", 0, NULL, 0},
		{"version: STSv1\nmx: a.example\nmax_age: 1\n", -1, "no mode line", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a.example\n", -1, "no max_age line", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", -1, "line 4: max_age \"31557601\" must be", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999\n", -1, "line 4: max_age", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", -1, "line 4: max_age \"-1\"", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1 week\n", -1, "line 4: max_age \"1 week\"", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmax_age: 1\n", -1, "enforce mode has no mx line", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: mx.example.com.\nmax_age: 1\n", -1, "line 3: the mx pattern \"mx.example.com.\" ends with a dot", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 1\n", -1, "line 3: \"*.example.com\" is not a valid mx pattern (\"*\" is not allowed; a wildcard is only", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: mx*.example.com\nmax_age: 1\n", -1, "\"*\" is not allowed", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1\n", -1, "an empty label", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: -a.example\nmax_age: 1\n", -1, "\"-\" is not allowed", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: a-.example\nmax_age: 1\n", -1, "ending in \"-\"", 0, NULL, 0},
		{"version: STSv1\nmode: enforce\nmx: \nmax_age: 1\n", -1, "line 3: the mx pattern is empty", 0, NULL, 0},
		{"version: STSv1\nmode enforce\n", -1, "line 2 (\"mode enforce\") is not a \"key: value\" line", 0, NULL, 0},
		{"version: STSv1\nmode : enforce\n", -1, "line 2: \"mode \" is not a valid key", 0, NULL, 0},
		{"version: STSv1\r\r\nmode: enforce\n", -1, "line 1 holds a stray CR", 0, NULL, 0},
		{"<html><body>Not here</body></html>", -1, "line 1 (\"<html><body>Not here</body></html>\") is not a \"key: value\" line", 0, NULL, 0},
		{"", -1, "no \"version: STSv1\" line", 0, NULL, 0},
	};
	size_t i, k;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].text)) {
			sdiag_mtasts_policy_t p;
			char why[256] = "", mx[1024] = "";
			CHECK_INT(sdiag_mtasts_parse_policy(rows[i].text, strlen(rows[i].text), &p, why, sizeof(why)), rows[i].ok);
			if (rows[i].ok == 0) {
				CHECK_STR(sdiag_mtasts_mode_name(p.mode), rows[i].mode_or_why);
				CHECK_INT(p.max_age, rows[i].max_age);
				for (k = 0; k < p.nmx; k++) {
					snprintf(mx + strlen(mx), sizeof(mx) - strlen(mx), "%s%s", k ? "," : "", p.mx[k]);
				}
				CHECK_STR(mx, rows[i].mx);
				CHECK_INT(p.version_not_first, rows[i].not_first);
			} else {
				CHECK_CONTAINS(why, rows[i].mode_or_why);
			}
		}
	}
}

TEST(policy_limits)
{
	char text[4096], why[256];
	sdiag_mtasts_policy_t p;
	size_t n, i;
	n = (size_t)snprintf(text, sizeof(text), "version: STSv1\nmode: enforce\nmax_age: 1\n");
	for (i = 0; i < SDIAG_MTASTS_MX_MAX; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, "mx: mx%zu.example\n", i);
	}
	CHECK_INT(sdiag_mtasts_parse_policy(text, n, &p, why, sizeof(why)), 0);
	CHECK_SIZE(p.nmx, SDIAG_MTASTS_MX_MAX);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "mx: one-more.example\n");
	CHECK_INT(sdiag_mtasts_parse_policy(text, n, &p, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "more than 32 mx lines");
	/* a NUL inside is reported, not read past */
	CHECK_INT(sdiag_mtasts_parse_policy("version: STSv1\nmo\0de: enforce\n", 29, &p, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "line 2 holds a stray NUL byte");
}

TEST(mx_match_table)
{
	static const struct {
		const char *pattern, *host;
		int match;
	} rows[] = {
		{"mail.example.com", "mail.example.com", 1},
		{"mail.example.com", "MAIL.Example.Com", 1},
		{"mail.example.com", "mail.example.com.", 1},
		{"mail.example.com", "mail.example.co", 0},
		{"mail.example.com", "xmail.example.com", 0},
		{"mail.example.com", "example.com", 0},
		{"*.example.com", "mx1.example.com", 1},
		{"*.example.com", "MX1.EXAMPLE.COM.", 1},
		{"*.example.com", "a.b.example.com", 0},
		{"*.example.com", "example.com", 0},
		{"*.example.com", ".example.com", 0},
		{"*.example.com", "mx1.example.net", 0},
		{"*.example.com", "mx1.xexample.com", 0},
		{"*.example.com", "", 0},
		{"*.", "a.", 0},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s ~ %s", rows[i].pattern, rows[i].host) {
			CHECK_INT(sdiag_mtasts_mx_match(rows[i].pattern, rows[i].host), rows[i].match);
		}
	}
}

/* ---- a local HTTPS server: a forked child serving one connection ---- */

enum { SRV_NORMAL = 0, SRV_DRIBBLE, SRV_SILENT };

typedef struct srv {
	uint16_t port;
	pid_t pid;
	int pipe_r;            /* the request the child read */
	char req[4096];
	size_t req_len;
} srv_t;

static EVP_PKEY *k_ca, *k_host, *k_wrong, *k_other_ca;
static X509 *c_ca, *c_host, *c_wrong, *c_other_ca;
static const char *cafile, *other_cafile;
static SSL_CTX *ctx_good, *ctx_wrong_name;

static SSL_CTX *server_ctx(X509 *leaf, EVP_PKEY *key, X509 *ca)
{
	SSL_CTX *c = SSL_CTX_new(TLS_server_method());
	if (!c || SSL_CTX_use_certificate(c, leaf) != 1 || SSL_CTX_use_PrivateKey(c, key) != 1) {
		abort();
	}
	X509_up_ref(ca);
	SSL_CTX_add_extra_chain_cert(c, ca);
	return c;
}

/* The keys, certificates and CA files live for the whole binary. */
static void cleanup(void)
{
	if (cafile) {
		unlink(cafile);
		unlink(other_cafile);
	}
	SSL_CTX_free(ctx_good);
	SSL_CTX_free(ctx_wrong_name);
	X509_free(c_ca);
	X509_free(c_host);
	X509_free(c_wrong);
	X509_free(c_other_ca);
	EVP_PKEY_free(k_ca);
	EVP_PKEY_free(k_host);
	EVP_PKEY_free(k_wrong);
	EVP_PKEY_free(k_other_ca);
}

static void pki(void)
{
	if (c_ca) {
		return;
	}
	k_ca = t_key_new();
	k_host = t_key_new();
	k_wrong = t_key_new();
	k_other_ca = t_key_new();
	c_ca = t_cert_new("smtpdiag Test CA", NULL, k_ca, NULL, NULL, 1, 30);
	c_other_ca = t_cert_new("Another Test CA", NULL, k_other_ca, NULL, NULL, 1, 30);
	c_host = t_cert_new("mta-sts.example.test", "mta-sts.example.test", k_host, c_ca, k_ca, 0, 30);
	c_wrong = t_cert_new("www.example.test", "www.example.test", k_wrong, c_ca, k_ca, 0, 30);
	cafile = t_pem_tmpfile(0, &c_ca, 1);
	other_cafile = t_pem_tmpfile(1, &c_other_ca, 1);
	ctx_good = server_ctx(c_host, k_host, c_ca);
	ctx_wrong_name = server_ctx(c_wrong, k_wrong, c_ca);
	atexit(cleanup);
}

static void child(int lfd, int pipe_w, SSL_CTX *ctx, int mode, const char *resp, size_t len)
{
	int c = accept(lfd, NULL, NULL);
	char req[4096];
	size_t n = 0;
	SSL *s;
	signal(SIGPIPE, SIG_IGN);
	if (c < 0) {
		_exit(1);
	}
	if (mode == SRV_SILENT) {
		/* never answer: wait for the client to give up */
		while (read(c, req, sizeof(req)) > 0) {
		}
		_exit(0);
	}
	s = SSL_new(ctx);
	SSL_set_fd(s, c);
	if (SSL_accept(s) != 1) {
		_exit(0);
	}
	while (n < sizeof(req) - 1) {
		int r = SSL_read(s, req + n, (int)(sizeof(req) - 1 - n));
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n")) {
			break;
		}
	}
	if (write(pipe_w, req, n) != (ssize_t)n) {
		_exit(1);
	}
	close(pipe_w);
	if (mode == SRV_DRIBBLE) {
		size_t i;
		for (i = 0; i < len; i++) {
			if (SSL_write(s, resp + i, 1) != 1) {
				_exit(0);
			}
		}
	} else {
		size_t off = 0;
		while (off < len) {
			int w = SSL_write(s, resp + off, (int)(len - off));
			if (w <= 0) {
				_exit(0);
			}
			off += (size_t)w;
		}
	}
	SSL_shutdown(s);
	close(c);
	_exit(0);
}

static void srv_start(srv_t *s, SSL_CTX *ctx, int mode, const char *resp, size_t len)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), p[2];
	memset(s, 0, sizeof(*s));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 4) != 0 ||
		getsockname(lfd, (struct sockaddr *)&a, &al) != 0 || pipe(p) != 0) {
		abort();
	}
	s->port = ntohs(a.sin_port);
	fflush(stdout);
	s->pid = fork();
	if (s->pid < 0) {
		abort();
	}
	if (s->pid == 0) {
		close(p[0]);
		child(lfd, p[1], ctx, mode, resp, len);
	}
	close(p[1]);
	close(lfd);
	s->pipe_r = p[0];
}

/* Stop the child (it may be waiting for a connection that never came) and
 * collect the request it read. */
static void srv_stop(srv_t *s)
{
	ssize_t r;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	while (s->req_len < sizeof(s->req) - 1 && (r = read(s->pipe_r, s->req + s->req_len, sizeof(s->req) - 1 - s->req_len)) > 0) {
		s->req_len += (size_t)r;
	}
	s->req[s->req_len] = '\0';
	close(s->pipe_r);
}

/* ---- driving a fetch ---- */

typedef struct fetch {
	sdiag_loop_t loop;
	t_zone_t *z;
	sdiag_https_t *h;
	const sdiag_https_result_t *res;
	int calls;
} fetch_t;

static void fetch_cb(void *ud, const sdiag_https_result_t *res)
{
	fetch_t *f = ud;
	f->res = res;
	f->calls++;
}

static int fetch_done(void *ud)
{
	return ((fetch_t *)ud)->calls > 0;
}

static void fetch_run(fetch_t *f, uint16_t port, const char *ca, double timeout_ms)
{
	sdiag_https_req_t req;
	memset(&req, 0, sizeof(req));
	req.host = "mta-sts.example.test";
	req.port = port;
	req.path = SDIAG_MTASTS_PATH;
	req.user_agent = "smtpdiag/9.9";
	req.content_type = "text/plain";
	req.max_body = SDIAG_MTASTS_POLICY_MAX;
	req.timeout_ms = timeout_ms;
	req.cafile = ca;
	f->calls = 0;
	f->res = NULL;
	f->h = sdiag_https_get(&f->loop, t_zone_ops(f->z), &req, fetch_cb, f);
	CHECK(f->h != NULL);
	CHECK_INT(f->calls, 0); /* never from inside sdiag_https_get() */
	if (f->h) {
		sdiag_loop_run(&f->loop, fetch_done, f);
	}
}

static void fetch_init(fetch_t *f)
{
	memset(f, 0, sizeof(*f));
	sdiag_loop_init(&f->loop);
	f->z = t_zone_new();
	t_zone_add(f->z, "mta-sts.example.test", "A", "127.0.0.1");
}

static void fetch_free(fetch_t *f)
{
	sdiag_https_free(f->h);
	f->h = NULL;
	t_zone_free(f->z);
	sdiag_loop_free(&f->loop);
}

#define POLICY_HEAD "version: STSv1\r\n"
#define POLICY_TAIL "mode: enforce\r\nmx: mx.example.test\r\nmx: *.mail.example.test\r\nmax_age: 604800\r\n"
#define POLICY POLICY_HEAD POLICY_TAIL /* 16 + 78 = 94 bytes */

TEST(https_table)
{
	static char oversized_eof[80000], oversized_chunked[80000];
	static const struct {
		const char *label;
		SSL_CTX **ctx;
		int mode;
		const char *resp;
		int ca_other;
		double timeout;
		sdiag_https_error_t want;
		int status;
		const char *body_or_why;
	} rows[] = {
		{"200 text/plain with Content-Length", &ctx_good, SRV_NORMAL,
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 94\r\n\r\n" POLICY, 0, 5000, SDIAG_HTTPS_OK, 200, POLICY},
		{"200 chunked, byte by byte", &ctx_good, SRV_DRIBBLE,
			"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\ncontent-type: TEXT/PLAIN\r\n\r\n"
			"10;ext=1\r\n" POLICY_HEAD "\r\n4E \r\n" POLICY_TAIL "\r\n0\r\nX-Trailer: 1\r\n\r\n",
			0, 5000, SDIAG_HTTPS_OK, 200, POLICY},
		{"200 until the end of the stream, LF only", &ctx_good, SRV_NORMAL,
			"HTTP/1.0 200 OK\nContent-Type: text/plain\n\n" POLICY, 0, 5000, SDIAG_HTTPS_OK, 200, POLICY},
		{"404", &ctx_good, SRV_NORMAL, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\nnot found", 0, 5000,
			SDIAG_HTTPS_E_STATUS, 404, "https://mta-sts.example.test:%u/.well-known/mta-sts.txt answered 404 Not Found"},
		{"301 redirect", &ctx_good, SRV_NORMAL, "HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.example.test/\r\nContent-Length: 0\r\n\r\n", 0, 5000,
			SDIAG_HTTPS_E_REDIRECT, 301, "answered 301 Moved Permanently with a redirect to https://www.example.test/; redirects are not followed"},
		{"text/html", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\n<p/>", 0, 5000,
			SDIAG_HTTPS_E_TYPE, 200, "was served as \"text/html\", not text/plain"},
		{"no Content-Type", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 0, 5000,
			SDIAG_HTTPS_E_TYPE, 200, "without a Content-Type header"},
		{"Content-Length over 64 KiB", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 65537\r\n\r\n", 0, 5000,
			SDIAG_HTTPS_E_TOO_LARGE, 200, "is 65537 bytes (Content-Length), more than the 65536 allowed"},
		{"unbounded body over 64 KiB", &ctx_good, SRV_NORMAL, oversized_eof, 0, 5000, SDIAG_HTTPS_E_TOO_LARGE, 200, "is larger than 65536 bytes"},
		{"chunked body over 64 KiB", &ctx_good, SRV_NORMAL, oversized_chunked, 0, 5000, SDIAG_HTTPS_E_TOO_LARGE, 200, "is larger than 65536 bytes"},
		{"cut short", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nversion", 0, 5000,
			SDIAG_HTTPS_E_PROTOCOL, 200, "closed the connection after 7 of the 100 bytes"},
		{"chunked cut short", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", 0, 5000,
			SDIAG_HTTPS_E_PROTOCOL, 200, "before the end of its chunked body"},
		{"bad chunk size", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, 5000,
			SDIAG_HTTPS_E_PROTOCOL, 200, "invalid chunk size line \"zz\""},
		{"gzip transfer coding", &ctx_good, SRV_NORMAL, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 0, 5000,
			SDIAG_HTTPS_E_PROTOCOL, 200, "Transfer-Encoding other than chunked"},
		{"not HTTP", &ctx_good, SRV_NORMAL, "220 mail.example.test ESMTP\r\n\r\n", 0, 5000,
			SDIAG_HTTPS_E_PROTOCOL, 0, "did not answer with an HTTP/1.x status line (got \"220 mail.example.test ESMTP\")"},
		{"silence", &ctx_good, SRV_SILENT, "", 0, 300, SDIAG_HTTPS_E_TIMEOUT, 0, "the TLS handshake with mta-sts.example.test (127.0.0.1:%u) did not complete within 300 ms"},
		{"certificate for another name", &ctx_wrong_name, SRV_NORMAL, "", 0, 5000, SDIAG_HTTPS_E_CERT, 0,
			"the certificate of mta-sts.example.test did not verify: hostname mismatch (it names DNS:www.example.test)"},
		{"certificate from an untrusted CA", &ctx_good, SRV_NORMAL, "", 1, 5000, SDIAG_HTTPS_E_CERT, 0,
			"certificate in certificate chain (it names DNS:mta-sts.example.test)"},
	};
	size_t i;
	pki();
	CHECK_SIZE(strlen(POLICY_HEAD), 0x10);
	CHECK_SIZE(strlen(POLICY_TAIL), 0x4E);
	if (!oversized_eof[0]) {
		size_t n = (size_t)snprintf(oversized_eof, sizeof(oversized_eof), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
		memset(oversized_eof + n, 'x', 70000);
		n = (size_t)snprintf(oversized_chunked, sizeof(oversized_chunked), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
		for (i = 0; i < 70; i++) {
			n += (size_t)snprintf(oversized_chunked + n, sizeof(oversized_chunked) - n, "3e8\r\n%01000d\r\n", 0);
		}
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].label) {
			fetch_t f;
			srv_t s;
			char want[512], exp_req[512];
			fetch_init(&f);
			srv_start(&s, *rows[i].ctx, rows[i].mode, rows[i].resp, strlen(rows[i].resp));
			fetch_run(&f, s.port, rows[i].ca_other ? other_cafile : cafile, rows[i].timeout);
			srv_stop(&s);
			if (f.res) {
				CHECK_INT(f.calls, 1);
				CHECK_STR(sdiag_https_error_name(f.res->error), sdiag_https_error_name(rows[i].want));
				CHECK_INT(f.res->status, rows[i].status);
				snprintf(want, sizeof(want), rows[i].body_or_why, (unsigned)s.port);
				if (rows[i].want == SDIAG_HTTPS_OK) {
					CHECK_MEM(f.res->body, f.res->body_len, want, strlen(want));
					CHECK_INT(f.res->tls.verified, 1);
					CHECK_CONTAINS(f.res->tls.protocol, "TLS");
					CHECK_STR(f.res->address, "127.0.0.1");
				} else {
					CHECK_CONTAINS(f.res->why, want);
				}
				if (rows[i].want != SDIAG_HTTPS_E_CERT && rows[i].mode != SRV_SILENT) {
					snprintf(exp_req, sizeof(exp_req), "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test:%u\r\nUser-Agent: smtpdiag/9.9\r\nAccept: text/plain\r\nConnection: close\r\n\r\n", (unsigned)s.port);
					CHECK_STR(s.req, exp_req);
				} else {
					CHECK_SIZE(s.req_len, 0);
				}
			} else {
				CHECK(f.res != NULL);
			}
			fetch_free(&f);
		}
	}
}

TEST(https_dns_and_connect_failures)
{
	fetch_t f;
	srv_t s;
	int fd;
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	uint16_t closed_port;
	pki();

	/* no address at all */
	memset(&f, 0, sizeof(f));
	sdiag_loop_init(&f.loop);
	f.z = t_zone_new();
	t_zone_add(f.z, "mta-sts.example.test", "TXT", "a name without addresses");
	fetch_run(&f, 443, cafile, 1000);
	REQUIRE(f.res != NULL);
	CHECK_INT(f.res->error, SDIAG_HTTPS_E_DNS);
	CHECK_STR(f.res->why, "mta-sts.example.test has no A or AAAA record");
	fetch_free(&f);

	memset(&f, 0, sizeof(f));
	sdiag_loop_init(&f.loop);
	f.z = t_zone_new();
	fetch_run(&f, 443, cafile, 1000);
	REQUIRE(f.res != NULL);
	CHECK_STR(f.res->why, "mta-sts.example.test does not exist (NXDOMAIN)");
	fetch_free(&f);

	memset(&f, 0, sizeof(f));
	sdiag_loop_init(&f.loop);
	f.z = t_zone_new();
	t_zone_fault(f.z, "mta-sts.example.test", NULL, SDIAG_DNS_SERVFAIL);
	fetch_run(&f, 443, cafile, 1000);
	REQUIRE(f.res != NULL);
	CHECK_INT(f.res->error, SDIAG_HTTPS_E_DNS);
	CHECK_CONTAINS(f.res->why, "the address look-up of mta-sts.example.test failed: servfail");
	fetch_free(&f);

	/* a port nobody listens on: a socket bound and closed again */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && getsockname(fd, (struct sockaddr *)&a, &al) == 0);
	closed_port = ntohs(a.sin_port);
	close(fd);
	fetch_init(&f);
	fetch_run(&f, closed_port, cafile, 1000);
	REQUIRE(f.res != NULL);
	CHECK_INT(f.res->error, SDIAG_HTTPS_E_CONNECT);
	CHECK_CONTAINS(f.res->why, "cannot connect to mta-sts.example.test: 127.0.0.1:");
	CHECK_CONTAINS(f.res->why, "refused");
	fetch_free(&f);

	/* IPv6 first, refused (nothing listens on ::1), then IPv4 answers */
	fetch_init(&f);
	t_zone_add(f.z, "mta-sts.example.test", "AAAA", "::1");
	{
		static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
		srv_start(&s, ctx_good, SRV_NORMAL, ok, sizeof(ok) - 1);
	}
	fetch_run(&f, s.port, cafile, 5000);
	srv_stop(&s);
	REQUIRE(f.res != NULL);
	CHECK_STR(f.res->why, "");
	CHECK_MEM(f.res->body, f.res->body_len, "ok", 2);
	CHECK_INT(f.res->error, SDIAG_HTTPS_OK);
	CHECK_STR(f.res->address, "127.0.0.1");
	CHECK_STR(t_zone_log(f.z), "AAAA mta-sts.example.test\nA mta-sts.example.test\n");
	fetch_free(&f);
}

TEST(https_cancel)
{
	fetch_t f;
	srv_t s;
	sdiag_https_req_t req;
	pki();
	/* freed while the TLS handshake waits: no callback, nothing leaks */
	fetch_init(&f);
	srv_start(&s, ctx_good, SRV_SILENT, "", 0);
	memset(&req, 0, sizeof(req));
	req.host = "mta-sts.example.test";
	req.port = s.port;
	req.path = "/";
	req.max_body = 100;
	req.timeout_ms = 5000;
	req.cafile = cafile;
	f.h = sdiag_https_get(&f.loop, t_zone_ops(f.z), &req, fetch_cb, &f);
	REQUIRE(f.h != NULL);
	sdiag_loop_run_once(&f.loop);
	sdiag_https_free(f.h);
	f.h = NULL;
	CHECK_INT(f.calls, 0);
	srv_stop(&s);
	fetch_free(&f);

	/* freed before its DNS answers came: they are absorbed */
	fetch_init(&f);
	t_zone_defer(f.z, 1);
	f.h = sdiag_https_get(&f.loop, t_zone_ops(f.z), &req, fetch_cb, &f);
	REQUIRE(f.h != NULL);
	sdiag_https_free(f.h);
	f.h = NULL;
	CHECK_SIZE(t_zone_flush(f.z), 2);
	CHECK_INT(f.calls, 0);
	fetch_free(&f);

	/* a path that would break the request line is refused before any query */
	fetch_init(&f);
	req.path = "/x\r\nHost: evil";
	f.h = sdiag_https_get(&f.loop, t_zone_ops(f.z), &req, fetch_cb, &f);
	REQUIRE(f.h != NULL);
	sdiag_loop_run(&f.loop, fetch_done, &f);
	REQUIRE(f.res != NULL);
	CHECK_INT(f.res->error, SDIAG_HTTPS_E_LOCAL);
	CHECK_SIZE(t_zone_queries(f.z), 0);
	fetch_free(&f);
}

/* ---- the job ---- */

typedef struct jobrun {
	sdiag_loop_t loop;
	t_zone_t *z;
	sdiag_config_t cfg;
	sdiag_dnscheck_in_t in;
	sdiag_job_t job;
} jobrun_t;

static int job_done(void *ud)
{
	return ((jobrun_t *)ud)->job.done > 0;
}

static void job_init(jobrun_t *r)
{
	memset(r, 0, sizeof(*r));
	sdiag_loop_init(&r->loop);
	r->z = t_zone_new();
	sdiag_config_init(&r->cfg);
	r->cfg.timeout_ms = 5000;
}

static void job_run(jobrun_t *r, uint16_t port)
{
	r->cfg.cafile = (char *)cafile;
	r->in.ops = t_zone_ops(r->z);
	r->in.loop = &r->loop;
	r->in.cfg = &r->cfg;
	r->in.domain = "example.test";
	r->in.https_port = port;
	r->in.user_agent = "smtpdiag/9.9";
	r->job.in = &r->in;
	r->job.t0 = sdiag_now_ms();
	sdiag_job_mta_sts(&r->job);
	if (!r->job.done) {
		sdiag_loop_run(&r->loop, job_done, r);
	}
}

static void job_end(jobrun_t *r)
{
	if (r->job.free_priv) {
		r->job.free_priv(&r->job);
	}
	sdiag_v_free(r->job.step.data);
	t_zone_free(r->z);
	sdiag_loop_free(&r->loop);
}

static const char *str_at(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_STR ? v->u.str.s : NULL;
}

static long long int_at(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_INT ? v->u.i : -1;
}

TEST(job_dns_only_table)
{
	static const struct {
		const char *label;
		const char *txt1, *txt2;
		int servfail;
		sdiag_step_status_t want;
		const char *msg, *hint;
	} rows[] = {
		{"no record", NULL, NULL, 0, SDIAG_STEP_SKIP, "no MTA-STS record (optional)", ""},
		{"lookup fails", NULL, NULL, 1, SDIAG_STEP_WARN, "the TXT look-up of _mta-sts.example.test failed: servfail", "check the domain's DNS servers"},
		{"no v=STSv1", "google-site-verification=x", NULL, 0, SDIAG_STEP_WARN, "_mta-sts.example.test has 1 TXT record but none begins with v=STSv1", "\"v=STSv1;\""},
		{"two records", "v=STSv1; id=1", "v=STSv1; id=2", 0, SDIAG_STEP_FAIL, "_mta-sts.example.test has 2 MTA-STS records: senders ignore MTA-STS", "Delete every v=STSv1 TXT record at _mta-sts but one"},
		{"bad id", "v=STSv1; id=2024-01", NULL, 0, SDIAG_STEP_FAIL, "the MTA-STS record of example.test is invalid: the id \"2024-01\" may hold only letters and digits", "v=STSv1; id=<1 to 32 letters or digits>"},
		{"no policy host", "v=STSv1; id=1", "other", 0, SDIAG_STEP_FAIL, "the MTA-STS policy cannot be fetched: mta-sts.example.test does not exist (NXDOMAIN)", "Publish an A (and/or AAAA) record for mta-sts.example.test"},
	};
	size_t i;
	pki();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].label) {
			jobrun_t r;
			job_init(&r);
			t_zone_add(r.z, "example.test", "MX", "10 mx.example.test");
			if (rows[i].txt1) {
				t_zone_add(r.z, "_mta-sts.example.test", "TXT", rows[i].txt1);
			}
			if (rows[i].txt2) {
				t_zone_add(r.z, "_mta-sts.example.test", "TXT", rows[i].txt2);
			}
			if (rows[i].servfail) {
				t_zone_fault(r.z, "_mta-sts.example.test", "TXT", SDIAG_DNS_SERVFAIL);
			}
			job_run(&r, 443);
			CHECK_INT(r.job.done, 1);
			CHECK_STR(r.job.step.id, "dns.mta_sts");
			CHECK_INT(r.job.step.status, rows[i].want);
			CHECK_CONTAINS(r.job.step.message, rows[i].msg);
			CHECK_CONTAINS(r.job.step.hint, rows[i].hint);
			job_end(&r);
		}
	}
}

TEST(job_with_server_table)
{
	static const struct {
		const char *label;
		SSL_CTX **ctx;
		const char *policy;
		const char *mx2;
		sdiag_step_status_t want;
		const char *msg, *hint, *mode;
	} rows[] = {
		{"enforce, every MX matches", &ctx_good, POLICY, "5 a.mail.example.test", SDIAG_STEP_OK,
			"MTA-STS policy in enforce mode (max_age 604800 s) matches every MX host (2)", "", "enforce"},
		{"enforce, one MX not covered", &ctx_good, POLICY, "20 backup.example.test", SDIAG_STEP_FAIL,
			"MX host backup.example.test is not matched by any mx pattern of the enforce policy: senders enforcing MTA-STS refuse to deliver there",
			"Add the line \"mx: backup.example.test\"", "enforce"},
		{"testing, two MX not covered", &ctx_good, "version: STSv1\nmode: testing\nmx: other.example.test\nmax_age: 86400\n", "20 b.mail.example.test", SDIAG_STEP_WARN,
			"MX hosts mx.example.test, b.mail.example.test are not matched by any mx pattern of the testing policy", "Add one \"mx: <host>\" line for each of mx.example.test, b.mail.example.test", "testing"},
		{"mode none", &ctx_good, "version: STSv1\nmode: none\nmax_age: 86400\n", NULL, SDIAG_STEP_WARN,
			"the MTA-STS policy is in mode none: senders do not apply it", "Use \"mode: testing\"", "none"},
		{"invalid policy", &ctx_good, "version: STSv1\nmode: enforce\nmax_age: 86400\n", NULL, SDIAG_STEP_FAIL,
			"the MTA-STS policy at https://mta-sts.example.test:", "Write the policy as lines", NULL},
		{"certificate for another name", &ctx_wrong_name, POLICY, NULL, SDIAG_STEP_FAIL,
			"the MTA-STS policy cannot be fetched: the certificate of mta-sts.example.test did not verify: hostname mismatch",
			"The policy host needs a valid certificate for mta-sts.example.test", NULL},
	};
	size_t i;
	pki();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].label) {
			jobrun_t r;
			srv_t s;
			char resp[1024];
			int n = snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s", strlen(rows[i].policy), rows[i].policy);
			const sdiag_value_t *hosts;
			job_init(&r);
			t_zone_add(r.z, "example.test", "MX", "10 mx.example.test");
			if (rows[i].mx2) {
				t_zone_add(r.z, "example.test", "MX", rows[i].mx2);
			}
			t_zone_add(r.z, "_mta-sts.example.test", "TXT", "v=STSv1; id=20240101T000000");
			t_zone_add(r.z, "mta-sts.example.test", "A", "127.0.0.1");
			srv_start(&s, *rows[i].ctx, SRV_NORMAL, resp, (size_t)n);
			job_run(&r, s.port);
			srv_stop(&s);
			CHECK_INT(r.job.done, 1);
			CHECK_INT(r.job.step.status, rows[i].want);
			CHECK_CONTAINS(r.job.step.message, rows[i].msg);
			CHECK_CONTAINS(r.job.step.hint, rows[i].hint);
			CHECK_STR(str_at(r.job.step.data, "record"), "v=STSv1; id=20240101T000000");
			CHECK_STR(str_at(r.job.step.data, "id"), "20240101T000000");
			CHECK_STR(str_at(r.job.step.data, "policy_url"), "https://mta-sts.example.test/.well-known/mta-sts.txt");
			CHECK_STR(str_at(r.job.step.data, "mode"), rows[i].mode);
			if (rows[i].mode) {
				CHECK_INT(int_at(r.job.step.data, "http_status"), 200);
				CHECK(sdiag_v_get(sdiag_v_get(r.job.step.data, "tls"), "verified")->u.b == 1);
			}
			hosts = sdiag_v_get(r.job.step.data, "mx_hosts");
			if (rows[i].mode && strcmp(rows[i].mode, "none") != 0) {
				CHECK_SIZE(sdiag_v_count(hosts), 2);
				CHECK_STR(str_at(sdiag_v_at(hosts, 0), "host"), "mx.example.test");
			}
			job_end(&r);
		}
	}
}

TEST(job_allocation_failures)
{
	unsigned long n;
	char resp[512];
	int len = snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s", strlen(POLICY), POLICY);
	pki();
	for (n = 1; n < 400; n++) {
		jobrun_t r;
		srv_t s;
		int hit;
		job_init(&r);
		t_zone_add(r.z, "example.test", "MX", "10 mx.example.test");
		t_zone_add(r.z, "_mta-sts.example.test", "TXT", "v=STSv1; id=1");
		t_zone_add(r.z, "mta-sts.example.test", "A", "127.0.0.1");
		srv_start(&s, ctx_good, SRV_NORMAL, resp, (size_t)len);
		t_alloc_fail_nth(n);
		job_run(&r, s.port);
		hit = t_alloc_hit();
		t_alloc_reset();
		srv_stop(&s);
		CHECK_INT(r.job.done, 1);
		if (!hit) {
			CHECK_INT(r.job.step.status, SDIAG_STEP_OK);
		}
		job_end(&r);
		if (!hit) {
			break;
		}
	}
	CHECK(n > 5);
}

TEST_MAIN("mtasts",
	T(record_table),
	T(policy_table),
	T(policy_limits),
	T(mx_match_table),
	T(https_table),
	T(https_dns_and_connect_failures),
	T(https_cancel),
	T(job_dns_only_table),
	T(job_with_server_table),
	T(job_allocation_failures))
