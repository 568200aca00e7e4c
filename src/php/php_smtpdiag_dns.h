/*
 * smtpdiag glue: the DNS checks' options and results, shared by
 * smtpdiag_dns(), smtpdiag_spf() and smtpdiag_check().
 */
#ifndef PHP_SMTPDIAG_DNS_H
#define PHP_SMTPDIAG_DNS_H

#include "php.h"
#include "../core/dnscheck.h"

typedef struct php_smtpdiag_dns_opts {
	unsigned mask;                                  /* SDIAG_DNSCHECK_* to run */
	char *selectors[SDIAG_DKIM_SELECTORS_MAX];      /* emalloc'd */
	size_t nselectors;
	uint16_t https_port;
} php_smtpdiag_dns_opts;

/* The options "dns" (bool, or a list of check names), "dkim_selectors" (a
 * list, or a comma-separated string) and "https_port"; mask starts as defaults. */
zend_result php_smtpdiag_dns_opts_parse(HashTable *options, php_smtpdiag_dns_opts *o, unsigned defaults, sdiag_error_t *err);
void php_smtpdiag_dns_opts_free(php_smtpdiag_dns_opts *o);

/* Run the loop until the checks end or the deadline (sdiag_now_ms() time) passes. */
void php_smtpdiag_dns_wait(sdiag_loop_t *loop, sdiag_dnscheck_t *dc, double deadline);
/* Append the checks' steps to steps (a PHP list); the first failing one
 * becomes *first when that is still empty. */
void php_smtpdiag_dns_steps(zval *steps, sdiag_dnscheck_t *dc, sdiag_error_t *first);
/* A core value tree as PHP values (strings made safe for terminals). */
void php_smtpdiag_value_zval(zval *out, const sdiag_value_t *v);

#endif
