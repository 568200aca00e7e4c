/*
 * smtpdiag: module entry, INI settings, MINIT / MSHUTDOWN / MINFO.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "zend_attributes.h"
#include "ext/spl/spl_exceptions.h"
#include "ext/standard/info.h"
#include "php_smtpdiag.h"
#include "src/php/php_smtpdiag_int.h"
#include "src/core/cloud.h"
#include "src/core/resolver.h"
#include "src/core/tls.h"
#include "stubs/smtpdiag_arginfo.h"

#include <openssl/ssl.h>

ZEND_DECLARE_MODULE_GLOBALS(smtpdiag)

static ZEND_INI_MH(OnUpdateTimeout)
{
	double d = zend_strtod(ZSTR_VAL(new_value), NULL);
	if (d <= 0 || d > 86400) {
		return FAILURE;
	}
	return OnUpdateReal(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

PHP_INI_BEGIN()
	STD_PHP_INI_ENTRY("smtpdiag.default_timeout", "30", PHP_INI_ALL, OnUpdateTimeout, default_timeout, zend_smtpdiag_globals, smtpdiag_globals)
	STD_PHP_INI_ENTRY("smtpdiag.cafile", "", PHP_INI_ALL, OnUpdateString, cafile, zend_smtpdiag_globals, smtpdiag_globals)
	STD_PHP_INI_ENTRY("smtpdiag.dns_servers", "", PHP_INI_ALL, OnUpdateString, dns_servers, zend_smtpdiag_globals, smtpdiag_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(smtpdiag)
{
#if defined(COMPILE_DL_SMTPDIAG) && defined(ZTS)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(smtpdiag_globals, 0, sizeof(*smtpdiag_globals));
}

const char *php_smtpdiag_cloud;

static PHP_MINIT_FUNCTION(smtpdiag)
{
	REGISTER_INI_ENTRIES();
	if (sdiag_resolver_library_init() != 0) {
		return FAILURE;
	}
	OPENSSL_init_ssl(0, NULL);
	/* the machine does not change clouds while PHP runs: read its DMI
	 * identity once, not on every check */
	php_smtpdiag_cloud = sdiag_cloud_detect(SDIAG_DMI_DIR);
	register_smtpdiag_symbols(module_number);
	php_smtpdiag_register_classes();
	return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(smtpdiag)
{
	UNREGISTER_INI_ENTRIES();
	/* OpenSSL is shared with other extensions: never OPENSSL_cleanup() here. */
	sdiag_resolver_library_cleanup();
	return SUCCESS;
}

static PHP_MINFO_FUNCTION(smtpdiag)
{
	php_info_print_table_start();
	php_info_print_table_row(2, "smtpdiag support", "enabled");
	php_info_print_table_row(2, "Version", PHP_SMTPDIAG_VERSION);
	php_info_print_table_row(2, "OpenSSL compiled", sdiag_tls_compiled_version());
	php_info_print_table_row(2, "OpenSSL runtime", sdiag_tls_version());
	php_info_print_table_row(2, "c-ares compiled", sdiag_resolver_compiled_version());
	php_info_print_table_row(2, "c-ares runtime", sdiag_resolver_version());
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

#if defined(COMPILE_DL_SMTPDIAG) && defined(ZTS)
ZEND_TSRMLS_CACHE_DEFINE()
#endif

zend_module_entry smtpdiag_module_entry = {
	STANDARD_MODULE_HEADER,
	PHP_SMTPDIAG_EXTNAME,
	ext_functions,
	PHP_MINIT(smtpdiag),
	PHP_MSHUTDOWN(smtpdiag),
	NULL,
	NULL,
	PHP_MINFO(smtpdiag),
	PHP_SMTPDIAG_VERSION,
	PHP_MODULE_GLOBALS(smtpdiag),
	PHP_GINIT(smtpdiag),
	NULL,
	NULL,
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_SMTPDIAG
ZEND_GET_MODULE(smtpdiag)
#endif

/* The class registrations live here because the generated arginfo defines
 * them as static functions. */
void php_smtpdiag_register_classes(void)
{
	smtpdiag_ce_Client = register_class_SmtpDiag_Client();
	php_smtpdiag_client_init_handlers(smtpdiag_ce_Client);
	smtpdiag_ce_SendResult = register_class_SmtpDiag_SendResult();
	smtpdiag_ce_SmtpDiagException = register_class_SmtpDiag_SmtpDiagException(spl_ce_RuntimeException);
	smtpdiag_ce_ConnectionException = register_class_SmtpDiag_ConnectionException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_TimeoutException = register_class_SmtpDiag_TimeoutException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_TlsException = register_class_SmtpDiag_TlsException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_AuthenticationException = register_class_SmtpDiag_AuthenticationException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_SenderException = register_class_SmtpDiag_SenderException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_RecipientException = register_class_SmtpDiag_RecipientException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_MessageException = register_class_SmtpDiag_MessageException(smtpdiag_ce_SmtpDiagException);
	smtpdiag_ce_ProtocolException = register_class_SmtpDiag_ProtocolException(smtpdiag_ce_SmtpDiagException);
}
