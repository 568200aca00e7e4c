/* smtpdiag core: plain socket transport. */
#include "transport.h"
#include "loop.h"

#include <string.h>

#ifndef MSG_NOSIGNAL
# define MSG_NOSIGNAL 0
#endif

sdiag_ssize_t sdiag_sock_send(sdiag_socket_t fd, const void *buf, size_t len)
{
#ifdef _WIN32
	return send(fd, (const char *)buf, (int)(len > 0x7fffffff ? 0x7fffffff : len), 0);
#else
	return send(fd, buf, len, MSG_NOSIGNAL);
#endif
}

sdiag_ssize_t sdiag_sock_recv(sdiag_socket_t fd, void *buf, size_t len)
{
#ifdef _WIN32
	return recv(fd, (char *)buf, (int)(len > 0x7fffffff ? 0x7fffffff : len), 0);
#else
	return recv(fd, buf, len, 0);
#endif
}

static long io_error(int e, sdiag_error_t *err, const char *what)
{
	char buf[128];
	sdiag_error_set(err, SDIAG_CAT_CONNECTION_LOST, SDIAG_PHASE_NONE, "%s failed: %s", what, sdiag_strerror(e, buf, sizeof(buf)));
	err->sys_errno = e;
	return SDIAG_IO_ERROR;
}

static long plain_recv(sdiag_transport_t *t, char *buf, size_t len, short *want, sdiag_error_t *err)
{
	for (;;) {
		sdiag_ssize_t n = sdiag_sock_recv(t->fd, buf, len);
		if (n >= 0) {
			return (long)n;
		}
		if (sdiag_sock_errno() == SDIAG_EINTR) {
			continue;
		}
		if (sdiag_sock_would_block()) {
			*want = SDIAG_POLLIN;
			return SDIAG_IO_AGAIN;
		}
		return io_error(sdiag_sock_errno(), err, "receiving");
	}
}

static long plain_send(sdiag_transport_t *t, const char *buf, size_t len, short *want, sdiag_error_t *err)
{
	for (;;) {
		sdiag_ssize_t n = sdiag_sock_send(t->fd, buf, len);
		if (n >= 0) {
			return (long)n;
		}
		if (sdiag_sock_errno() == SDIAG_EINTR) {
			continue;
		}
		if (sdiag_sock_would_block()) {
			*want = SDIAG_POLLOUT;
			return SDIAG_IO_AGAIN;
		}
		return io_error(sdiag_sock_errno(), err, "sending");
	}
}

const sdiag_transport_ops_t sdiag_transport_plain = {"plain", plain_recv, plain_send};
