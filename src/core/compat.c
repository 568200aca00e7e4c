/* smtpdiag core: platform layer. */
#include "compat.h"

#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#ifndef _WIN32
# include <fcntl.h>
# include <netinet/tcp.h>
# include <sys/time.h>
#endif

double sdiag_now_ms(void)
{
#ifdef _WIN32
	LARGE_INTEGER f, c;
	QueryPerformanceFrequency(&f);
	QueryPerformanceCounter(&c);
	return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
#else
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
#endif
}

double sdiag_wall_ms(void)
{
#ifdef _WIN32
	FILETIME ft;
	ULARGE_INTEGER u;
	GetSystemTimeAsFileTime(&ft);
	u.LowPart = ft.dwLowDateTime;
	u.HighPart = ft.dwHighDateTime;
	return (double)(u.QuadPart - 116444736000000000ULL) / 10000.0;
#else
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec * 1000.0 + (double)tv.tv_usec / 1000.0;
#endif
}

void sdiag_sleep_ms(double ms)
{
	double end = sdiag_now_ms() + ms, left;
	while ((left = end - sdiag_now_ms()) > 0) {
#ifdef _WIN32
		Sleep((DWORD)(left + 0.999));
#else
		struct timespec ts;
		ts.tv_sec = (time_t)(left / 1000.0);
		ts.tv_nsec = (long)((left - (double)ts.tv_sec * 1000.0) * 1e6);
		nanosleep(&ts, NULL);
#endif
	}
}

double sdiag_random_ms(double max)
{
	uint32_t r;
	if (max <= 0 || RAND_bytes((unsigned char *)&r, sizeof(r)) != 1) {
		return 0;
	}
	return max * ((double)r / 4294967296.0);
}

char *sdiag_strndup(const char *s, size_t n)
{
	char *r;
	if (!s) {
		return NULL;
	}
	r = sdiag_malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

char *sdiag_strdup(const char *s)
{
	return s ? sdiag_strndup(s, strlen(s)) : NULL;
}

int sdiag_b64_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

void sdiag_textf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	if (!buf || !cap) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

void sdiag_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (!size) {
		return;
	}
	if (n >= size) {
		n = size - 1;
	}
	memmove(dst, src, n);
	dst[n] = '\0';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int sdiag_strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; a++, b++, n--) {
		int d = lower((unsigned char)*a) - lower((unsigned char)*b);
		if (d || !*a) {
			return d;
		}
	}
	return 0;
}

int sdiag_strcasecmp(const char *a, const char *b)
{
	return sdiag_strncasecmp(a, b, (size_t)-1);
}

void sdiag_free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		sdiag_free(s);
	}
}

int sdiag_sock_would_block(void)
{
	int e = sdiag_sock_errno();
	return e == SDIAG_EAGAIN || e == SDIAG_EINTR
#ifdef EWOULDBLOCK
		|| e == EWOULDBLOCK
#endif
		;
}

int sdiag_socket_nonblock(sdiag_socket_t s)
{
#ifdef _WIN32
	u_long on = 1;
	return ioctlsocket(s, FIONBIO, &on) == 0 ? 0 : -1;
#else
	int fl = fcntl(s, F_GETFL, 0);
	if (fl < 0 || fcntl(s, F_SETFL, fl | O_NONBLOCK) < 0) {
		return -1;
	}
	(void)fcntl(s, F_SETFD, FD_CLOEXEC);
	return 0;
#endif
}

void sdiag_socket_nodelay(sdiag_socket_t s)
{
	int on = 1;
	(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof(on));
}

const char *sdiag_strerror(int err, char *buf, size_t len)
{
#ifdef _WIN32
	if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)err, 0, buf, (DWORD)len, NULL)) {
		snprintf(buf, len, "error %d", err);
	}
#elif defined(__GLIBC__) && defined(_GNU_SOURCE)
	const char *r = strerror_r(err, buf, len);
	if (r != buf) {
		snprintf(buf, len, "%s", r);
	}
#else
	if (strerror_r(err, buf, len) != 0) {
		snprintf(buf, len, "error %d", err);
	}
#endif
	return buf;
}

int sdiag_sockaddr_str(const struct sockaddr *sa, char *buf, size_t len, uint16_t *port)
{
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		if (port) {
			*port = ntohs(s6->sin6_port);
		}
		return inet_ntop(AF_INET6, &s6->sin6_addr, buf, (socklen_t)len) ? 0 : -1;
	}
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		if (port) {
			*port = ntohs(s4->sin_port);
		}
		return inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)len) ? 0 : -1;
	}
	snprintf(buf, len, "?");
	return -1;
}
