/*
 * smtpdiag: SMTP diagnostics and native-speed sending for PHP.
 * Public header of the extension module.
 */
#ifndef PHP_SMTPDIAG_H
#define PHP_SMTPDIAG_H

#define PHP_SMTPDIAG_VERSION "0.1.0"
#define PHP_SMTPDIAG_EXTNAME "smtpdiag"

extern zend_module_entry smtpdiag_module_entry;
#define phpext_smtpdiag_ptr &smtpdiag_module_entry

#ifdef ZTS
# include "TSRM.h"
#endif

ZEND_BEGIN_MODULE_GLOBALS(smtpdiag)
	double default_timeout;
	char *cafile;
	char *dns_servers;
ZEND_END_MODULE_GLOBALS(smtpdiag)

ZEND_EXTERN_MODULE_GLOBALS(smtpdiag)
#define SMTPDIAG_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(smtpdiag, v)

#if defined(ZTS) && defined(COMPILE_DL_SMTPDIAG)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif
