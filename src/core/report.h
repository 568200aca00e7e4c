/*
 * smtpdiag core: the steps of a health-check report, derived from what a
 * connection went through (sdiag_conn_t). The glue adds each step's data.
 */
#ifndef SDIAG_REPORT_H
#define SDIAG_REPORT_H

#include "conn.h"
#include "value.h"

typedef enum sdiag_step_status { SDIAG_STEP_OK = 0, SDIAG_STEP_WARN, SDIAG_STEP_FAIL, SDIAG_STEP_SKIP } sdiag_step_status_t;

#define SDIAG_STEPS_MAX 32

typedef struct sdiag_step {
	const char *id;            /* "tcp.connect", ... (static strings) */
	sdiag_step_status_t status;
	double duration_ms;
	char message[SDIAG_MSG_MAX];
	char hint[SDIAG_HINT_MAX]; /* "" when none */
	sdiag_value_t *data;       /* a map the step owns (steps the core builds whole), or NULL */
} sdiag_step_t;

typedef struct sdiag_steps {
	size_t n;
	sdiag_step_t steps[SDIAG_STEPS_MAX];
} sdiag_steps_t;

const char *sdiag_step_status_name(sdiag_step_status_t s);
sdiag_step_t *sdiag_steps_add(sdiag_steps_t *s, const char *id, sdiag_step_status_t st, double ms, const char *hint, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 6, 7)))
#endif
	;
/* Free every step's data. */
void sdiag_steps_free_data(sdiag_steps_t *s);
/* Append the connection steps: dns.host, tcp.connect, smtp.banner, smtp.ehlo,
 * tls, tls.certificate, in the order the session ran them. */
void sdiag_report_connection(const sdiag_conn_t *c, sdiag_steps_t *out);

#endif
