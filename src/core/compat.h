/*
 * smtpdiag core: platform layer (sockets, clock, string helpers).
 * Zend-free: this header and everything under src/core never include php.h.
 */
#ifndef SDIAG_COMPAT_H
#define SDIAG_COMPAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
# ifndef WIN32_LEAN_AND_MEAN
#  define WIN32_LEAN_AND_MEAN
# endif
# include <winsock2.h>
# include <ws2tcpip.h>
typedef SOCKET sdiag_socket_t;
# define SDIAG_BAD_SOCKET INVALID_SOCKET
# define sdiag_sock_errno() WSAGetLastError()
# define SDIAG_EINPROGRESS WSAEWOULDBLOCK
# define SDIAG_EAGAIN WSAEWOULDBLOCK
# define SDIAG_EINTR WSAEINTR
# define sdiag_closesocket closesocket
# define sdiag_poll WSAPoll
typedef WSAPOLLFD sdiag_pollfd_t;
typedef long long sdiag_ssize_t;
#else
# include <sys/types.h>
# include <sys/socket.h>
# include <netinet/in.h>
# include <arpa/inet.h>
# include <errno.h>
# include <poll.h>
# include <unistd.h>
typedef int sdiag_socket_t;
# define SDIAG_BAD_SOCKET (-1)
# define sdiag_sock_errno() errno
# define SDIAG_EINPROGRESS EINPROGRESS
# define SDIAG_EAGAIN EAGAIN
# define SDIAG_EINTR EINTR
# define sdiag_closesocket close
# define sdiag_poll poll
typedef struct pollfd sdiag_pollfd_t;
typedef ssize_t sdiag_ssize_t;
#endif

#include <stdlib.h>

#ifdef SDIAG_ALLOC_HOOK
/* Core unit tests inject allocation failures through these. */
void *sdiag_test_malloc(size_t n);
void *sdiag_test_realloc(void *p, size_t n);
void *sdiag_test_calloc(size_t n, size_t m);
# define sdiag_malloc(n) sdiag_test_malloc(n)
# define sdiag_realloc(p, n) sdiag_test_realloc((p), (n))
# define sdiag_calloc(n, m) sdiag_test_calloc((n), (m))
#else
# define sdiag_malloc(n) malloc(n)
# define sdiag_realloc(p, n) realloc((p), (n))
# define sdiag_calloc(n, m) calloc((n), (m))
#endif
#define sdiag_free(p) free(p)

/* Monotonic clock in milliseconds (fractional). */
double sdiag_now_ms(void);
/* Wall clock in milliseconds since the Unix epoch. */
double sdiag_wall_ms(void);
/* Sleep (no busy waiting); interrupted sleeps resume until ms have passed. */
void sdiag_sleep_ms(double ms);
/* A uniformly random number of milliseconds in [0, max) (full jitter). */
double sdiag_random_ms(double max);

/* Duplicate a string (NULL-safe); NULL on allocation failure. */
char *sdiag_strdup(const char *s);
char *sdiag_strndup(const char *s, size_t n);
/* Copy a string into a fixed buffer, always NUL-terminated, cut to fit. */
void sdiag_strlcpy(char *dst, const char *src, size_t size);
/* The value of a base64 digit (RFC 4648 alphabet), or -1. */
int sdiag_b64_digit(unsigned char c);
/* snprintf into a fixed buffer where cutting a long text short is meant
 * (messages quoting DNS names and record text); a NULL or empty buffer is
 * left alone. */
void sdiag_textf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* ASCII case-insensitive compare, locale-independent. */
int sdiag_strcasecmp(const char *a, const char *b);
int sdiag_strncasecmp(const char *a, const char *b, size_t n);
/* Wipe and free a secret. */
void sdiag_free_secret(char *s);

/* Whether a socket call failed only because it would block (or was interrupted). */
int sdiag_sock_would_block(void);
/* Sockets: non-blocking mode, TCP_NODELAY, a readable errno text. */
int sdiag_socket_nonblock(sdiag_socket_t s);
void sdiag_socket_nodelay(sdiag_socket_t s);
const char *sdiag_strerror(int err, char *buf, size_t len);
/* "1.2.3.4" / "::1" from a sockaddr; port returned separately. */
int sdiag_sockaddr_str(const struct sockaddr *sa, char *buf, size_t len, uint16_t *port);

#endif
