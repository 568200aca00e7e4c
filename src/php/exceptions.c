/*
 * smtpdiag glue: the exception hierarchy. One function maps the core's
 * error record to the right subclass (after mongo-php-driver's phongo_error.c).
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "php_smtpdiag_int.h"

zend_class_entry *smtpdiag_ce_SmtpDiagException;
zend_class_entry *smtpdiag_ce_ConnectionException;
zend_class_entry *smtpdiag_ce_TimeoutException;
zend_class_entry *smtpdiag_ce_TlsException;
zend_class_entry *smtpdiag_ce_AuthenticationException;
zend_class_entry *smtpdiag_ce_SenderException;
zend_class_entry *smtpdiag_ce_RecipientException;
zend_class_entry *smtpdiag_ce_MessageException;
zend_class_entry *smtpdiag_ce_ProtocolException;

static zend_class_entry *class_for(const sdiag_error_t *e)
{
	switch (e->category) {
		case SDIAG_CAT_CONNECTION_TIMEOUT:
		case SDIAG_CAT_TIMEOUT:
			return smtpdiag_ce_TimeoutException;
		case SDIAG_CAT_TLS_ERROR:
		case SDIAG_CAT_TLS_CERTIFICATE:
		case SDIAG_CAT_TLS_REQUIRED:
			return smtpdiag_ce_TlsException;
		case SDIAG_CAT_PROTOCOL_ERROR:
			return smtpdiag_ce_ProtocolException;
		case SDIAG_CAT_AUTH_FAILED:
		case SDIAG_CAT_AUTH_REQUIRED:
		case SDIAG_CAT_AUTH_UNSUPPORTED:
			return smtpdiag_ce_AuthenticationException; /* also when MAIL FROM says "authentication required" */
		case SDIAG_CAT_DNS_ERROR:
		case SDIAG_CAT_CONNECTION_REFUSED:
		case SDIAG_CAT_CONNECTION_LOST:
			return smtpdiag_ce_ConnectionException;
		default:
			break;
	}
	switch (e->phase) {
		case SDIAG_PHASE_AUTH: return smtpdiag_ce_AuthenticationException;
		case SDIAG_PHASE_MAIL: return smtpdiag_ce_SenderException;
		case SDIAG_PHASE_RCPT: return smtpdiag_ce_RecipientException;
		case SDIAG_PHASE_DATA: return smtpdiag_ce_MessageException;
		case SDIAG_PHASE_STARTTLS:
		case SDIAG_PHASE_TLS: return smtpdiag_ce_TlsException;
		case SDIAG_PHASE_BANNER:
		case SDIAG_PHASE_CONNECT:
		case SDIAG_PHASE_DNS: return smtpdiag_ce_ConnectionException;
		default: return smtpdiag_ce_ProtocolException;
	}
}

void php_smtpdiag_exception(zval *out, const sdiag_error_t *err, const char *message, const sdiag_transcript_t *t)
{
	zend_class_entry *base = smtpdiag_ce_SmtpDiagException;
	zend_object *ex;
	zend_string *str;
	zval transcript;
	object_init_ex(out, class_for(err));
	ex = Z_OBJ_P(out);
	str = php_smtpdiag_text(message ? message : err->message, strlen(message ? message : err->message));
	zend_update_property_str(zend_ce_exception, ex, ZEND_STRL("message"), str);
	zend_string_release(str);
	zend_update_property_long(zend_ce_exception, ex, ZEND_STRL("code"), err->smtp_code);
	zend_update_property_string(base, ex, ZEND_STRL("category"), sdiag_category_name(err->category));
	zend_update_property_string(base, ex, ZEND_STRL("phase"), sdiag_phase_name(err->phase));
	if (err->smtp_code) {
		zend_update_property_long(base, ex, ZEND_STRL("smtpCode"), err->smtp_code);
	}
	if (err->enhanced[0]) {
		zend_update_property_string(base, ex, ZEND_STRL("enhancedStatus"), err->enhanced);
	}
	zend_update_property_bool(base, ex, ZEND_STRL("transient"), err->transient);
	str = php_smtpdiag_text(err->hint, strlen(err->hint));
	zend_update_property_str(base, ex, ZEND_STRL("hint"), str);
	zend_string_release(str);
	if (t) {
		php_smtpdiag_transcript_array(&transcript, t);
		zend_update_property(base, ex, ZEND_STRL("transcript"), &transcript);
		zval_ptr_dtor(&transcript);
	}
}

void php_smtpdiag_throw(const sdiag_error_t *err, const sdiag_transcript_t *t)
{
	zval ex;
	php_smtpdiag_exception(&ex, err, NULL, t);
	zend_throw_exception_object(&ex);
}

#define RETURN_PROP(name)                                                                                   \
	do {                                                                                                   \
		zval rv, *p;                                                                                       \
		ZEND_PARSE_PARAMETERS_NONE();                                                                      \
		p = zend_read_property(smtpdiag_ce_SmtpDiagException, Z_OBJ_P(ZEND_THIS), ZEND_STRL(name), 0, &rv); \
		RETURN_COPY_DEREF(p);                                                                              \
	} while (0)

ZEND_METHOD(SmtpDiag_SmtpDiagException, getCategory)
{
	RETURN_PROP("category");
}

ZEND_METHOD(SmtpDiag_SmtpDiagException, getPhase)
{
	RETURN_PROP("phase");
}

ZEND_METHOD(SmtpDiag_SmtpDiagException, getSmtpCode)
{
	RETURN_PROP("smtpCode");
}

ZEND_METHOD(SmtpDiag_SmtpDiagException, getEnhancedStatus)
{
	RETURN_PROP("enhancedStatus");
}

ZEND_METHOD(SmtpDiag_SmtpDiagException, isTransient)
{
	RETURN_PROP("transient");
}

ZEND_METHOD(SmtpDiag_SmtpDiagException, getHint)
{
	RETURN_PROP("hint");
}

ZEND_METHOD(SmtpDiag_SmtpDiagException, getTranscript)
{
	RETURN_PROP("transcript");
}
