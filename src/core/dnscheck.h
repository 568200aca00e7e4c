/*
 * smtpdiag core: the DNS checks of a domain (dns.mx, dns.spf, dns.dkim,
 * dns.dmarc, dns.ptr, dns.mta_sts, dns.tls_rpt, dns.dane, dns.bimi), each a
 * job that runs its look-ups on the event loop beside everything else and
 * ends as one report step with status, message, hint and data.
 *
 * A job asks through inputs->ops (the resolver's c-ares channel, or an
 * in-memory zone in unit tests), never blocks, and may start several
 * queries at once; the time of the DNS part is that of its longest chain of
 * dependent look-ups. Jobs that need what the SMTP session learnt (dns.ptr:
 * the addresses; dns.dane: the certificate) take it through
 * sdiag_dnscheck_session() and finish after it.
 */
#ifndef SDIAG_DNSCHECK_H
#define SDIAG_DNSCHECK_H

#include "dns.h"
#include "report.h"
#include "value.h"

enum {
	SDIAG_DNSCHECK_MX = 1 << 0,
	SDIAG_DNSCHECK_SPF = 1 << 1,
	SDIAG_DNSCHECK_DKIM = 1 << 2,
	SDIAG_DNSCHECK_DMARC = 1 << 3,
	SDIAG_DNSCHECK_PTR = 1 << 4,
	SDIAG_DNSCHECK_MTA_STS = 1 << 5,
	SDIAG_DNSCHECK_TLS_RPT = 1 << 6,
	SDIAG_DNSCHECK_DANE = 1 << 7,
	SDIAG_DNSCHECK_BIMI = 1 << 8,
	SDIAG_DNSCHECK_ALL = (1 << 9) - 1
};

#define SDIAG_DKIM_SELECTORS_MAX 32

/* What the checks are about. Strings are borrowed for the jobs' lifetime. */
typedef struct sdiag_dnscheck_in {
	sdiag_dns_ops_t ops;
	sdiag_loop_t *loop;            /* for the HTTPS fetches (MTA-STS policy) */
	const sdiag_config_t *cfg;     /* cafile/capath/verify and timeouts for those fetches */
	const char *domain;            /* the sender domain */
	const char *sender;            /* MAIL FROM for SPF ("" or NULL: postmaster@domain) */
	const char *helo;              /* the HELO name SPF and dns.ptr use, or NULL */
	const char *spf_ip;            /* the address SPF is evaluated for, or NULL: no evaluation,
	                                  only the record, its syntax and its look-up count */
	const char *smtp_host;         /* the SMTP server's name: relay SPF hint, DANE; or NULL */
	uint16_t smtp_port;
	const char *const *selectors;  /* DKIM selectors; none: a probe of common ones */
	size_t nselectors;
	uint16_t https_port;           /* port of MTA-STS / BIMI fetches: 443 unless a test sets it */
	const char *user_agent;        /* of those fetches: "smtpdiag/<version>" (the glue knows the
	                                  version); NULL: "smtpdiag" */
	int await_session;             /* sdiag_dnscheck_session() will follow (smtpdiag_check);
	                                  0: the domain alone (smtpdiag_dns), dns.ptr checks the MX hosts */
} sdiag_dnscheck_in_t;

/* What the SMTP session learnt, for dns.ptr (from the connection) and
 * dns.dane (from the whole session). */
typedef struct sdiag_dnscheck_session {
	const char *server_ip;         /* the address the session connected to */
	const char *local_ip;          /* our source address on that connection */
	const char *helo;              /* the name we send in EHLO */
	const sdiag_tls_info_t *tls;   /* the handshake (its chain carries the DANE digests),
	                                  or NULL when TLS did not run */
} sdiag_dnscheck_session_t;

struct sdiag_dnscheck;

/* One check. A job module fills step (id, status, message, hint, data)
 * and calls sdiag_job_done() exactly once. */
typedef struct sdiag_job {
	struct sdiag_dnscheck *dc;
	const sdiag_dnscheck_in_t *in;
	sdiag_step_t step;             /* step.data: a map the job fills */
	double t0;
	int done;
	int pending;                   /* queries in flight (for the module's own use) */
	void *priv;                    /* the module's state */
	/* called by sdiag_dnscheck_connected() when the TCP connection is up
	 * (tls is NULL then) and by sdiag_dnscheck_session() when the session
	 * is over; NULL when the job does not need them */
	void (*on_connected)(struct sdiag_job *job, const sdiag_dnscheck_session_t *s);
	void (*on_session)(struct sdiag_job *job, const sdiag_dnscheck_session_t *s);
	void (*free_priv)(struct sdiag_job *job);
} sdiag_job_t;

/* Finish a job: sets step.duration_ms from t0. */
void sdiag_job_done(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Each job module's entry point: set job->step.id, start its queries. */
void sdiag_job_mx(sdiag_job_t *job);
void sdiag_job_spf(sdiag_job_t *job);
void sdiag_job_dkim(sdiag_job_t *job);
void sdiag_job_dmarc(sdiag_job_t *job);
void sdiag_job_ptr(sdiag_job_t *job);
void sdiag_job_mta_sts(sdiag_job_t *job);
void sdiag_job_tls_rpt(sdiag_job_t *job);
void sdiag_job_dane(sdiag_job_t *job);
void sdiag_job_bimi(sdiag_job_t *job);

#define SDIAG_DNSCHECK_JOBS 9

typedef struct sdiag_dnscheck {
	sdiag_dnscheck_in_t in;
	sdiag_job_t jobs[SDIAG_DNSCHECK_JOBS];
	size_t njobs;
	size_t ndone;
} sdiag_dnscheck_t;

/* Start the checks in mask (SDIAG_DNSCHECK_*). */
void sdiag_dnscheck_start(sdiag_dnscheck_t *dc, const sdiag_dnscheck_in_t *in, unsigned mask);
/* Hand the connection's facts (as soon as it is up), then the whole
 * session's (when it is over, whether or not it connected), to the jobs
 * that wait for them. */
void sdiag_dnscheck_connected(sdiag_dnscheck_t *dc, const sdiag_dnscheck_session_t *s);
void sdiag_dnscheck_session(sdiag_dnscheck_t *dc, const sdiag_dnscheck_session_t *s);
int sdiag_dnscheck_finished(const sdiag_dnscheck_t *dc);
/* Move the finished steps (and their data) into out, in the order above. */
void sdiag_dnscheck_steps(sdiag_dnscheck_t *dc, sdiag_steps_t *out);
void sdiag_dnscheck_free(sdiag_dnscheck_t *dc);

/* Check names ("mx", "spf", ...) to bits; -1 for an unknown name. */
int sdiag_dnscheck_bit(const char *name);

#endif
