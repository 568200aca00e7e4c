/*
 * smtpdiag core: transports behind a small vtable: a plain socket and a
 * non-blocking OpenSSL session. STARTTLS swaps the plain transport for TLS
 * on the same socket.
 */
#ifndef SDIAG_TRANSPORT_H
#define SDIAG_TRANSPORT_H

#include "compat.h"
#include "error.h"

#define SDIAG_IO_AGAIN (-1)
#define SDIAG_IO_ERROR (-2)

typedef struct sdiag_transport sdiag_transport_t;

typedef struct sdiag_transport_ops {
	const char *name;
	/* > 0: bytes; 0: end of stream; SDIAG_IO_AGAIN: wait for *want
	 * (SDIAG_POLLIN / SDIAG_POLLOUT); SDIAG_IO_ERROR: err filled. */
	long (*recv)(sdiag_transport_t *t, char *buf, size_t len, short *want, sdiag_error_t *err);
	long (*send)(sdiag_transport_t *t, const char *buf, size_t len, short *want, sdiag_error_t *err);
} sdiag_transport_ops_t;

struct sdiag_transport {
	const sdiag_transport_ops_t *ops;
	sdiag_socket_t fd;
	void *impl;      /* sdiag_tls_t for TLS */
};

extern const sdiag_transport_ops_t sdiag_transport_plain;

/* Raw socket I/O used by the transports (no SIGPIPE). */
sdiag_ssize_t sdiag_sock_send(sdiag_socket_t fd, const void *buf, size_t len);
sdiag_ssize_t sdiag_sock_recv(sdiag_socket_t fd, void *buf, size_t len);

#endif
