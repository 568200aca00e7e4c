/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 763117be027d3deaa579b84598557d7ec72b1552 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpdiag_check, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, target, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpdiag_dns, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, domain, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpdiag_spf, 0, 2, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, ip, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, domain, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, sender, IS_STRING, 0, "\"\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, helo, IS_STRING, 0, "\"\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpdiag_classify, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, reply, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpdiag_format, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, report, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_SmtpDiag_Client___construct, 0, 0, 1)
	ZEND_ARG_TYPE_MASK(0, dsn, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_Client_connect, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_SmtpDiag_Client_quit arginfo_class_SmtpDiag_Client_connect

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_Client_isConnected, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_Client_getCapabilities, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_Client_getTlsInfo, 0, 0, IS_ARRAY, 1)
ZEND_END_ARG_INFO()

#define arginfo_class_SmtpDiag_Client_getTranscript arginfo_class_SmtpDiag_Client_getCapabilities

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_Client_getTranscriptText, 0, 0, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timestamps, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SmtpDiag_Client_send, 0, 3, SmtpDiag\\SendResult, 0)
	ZEND_ARG_TYPE_INFO(0, from, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, to, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO(0, message, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SmtpDiag_Client_sendText, 0, 4, SmtpDiag\\SendResult, 0)
	ZEND_ARG_TYPE_INFO(0, from, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, to, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO(0, subject, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, text, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_Client_sendMany, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, messages, Traversable, MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_SmtpDiag_SendResult___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_SmtpDiagException_getCategory, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_SmtpDiag_SmtpDiagException_getPhase arginfo_class_SmtpDiag_SmtpDiagException_getCategory

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_SmtpDiagException_getSmtpCode, 0, 0, IS_LONG, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SmtpDiag_SmtpDiagException_getEnhancedStatus, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

#define arginfo_class_SmtpDiag_SmtpDiagException_isTransient arginfo_class_SmtpDiag_Client_isConnected

#define arginfo_class_SmtpDiag_SmtpDiagException_getHint arginfo_class_SmtpDiag_SmtpDiagException_getCategory

#define arginfo_class_SmtpDiag_SmtpDiagException_getTranscript arginfo_class_SmtpDiag_Client_getCapabilities


ZEND_FUNCTION(smtpdiag_check);
ZEND_FUNCTION(smtpdiag_dns);
ZEND_FUNCTION(smtpdiag_spf);
ZEND_FUNCTION(smtpdiag_classify);
ZEND_FUNCTION(smtpdiag_format);
ZEND_METHOD(SmtpDiag_Client, __construct);
ZEND_METHOD(SmtpDiag_Client, connect);
ZEND_METHOD(SmtpDiag_Client, quit);
ZEND_METHOD(SmtpDiag_Client, isConnected);
ZEND_METHOD(SmtpDiag_Client, getCapabilities);
ZEND_METHOD(SmtpDiag_Client, getTlsInfo);
ZEND_METHOD(SmtpDiag_Client, getTranscript);
ZEND_METHOD(SmtpDiag_Client, getTranscriptText);
ZEND_METHOD(SmtpDiag_Client, send);
ZEND_METHOD(SmtpDiag_Client, sendText);
ZEND_METHOD(SmtpDiag_Client, sendMany);
ZEND_METHOD(SmtpDiag_SendResult, __construct);
ZEND_METHOD(SmtpDiag_SmtpDiagException, getCategory);
ZEND_METHOD(SmtpDiag_SmtpDiagException, getPhase);
ZEND_METHOD(SmtpDiag_SmtpDiagException, getSmtpCode);
ZEND_METHOD(SmtpDiag_SmtpDiagException, getEnhancedStatus);
ZEND_METHOD(SmtpDiag_SmtpDiagException, isTransient);
ZEND_METHOD(SmtpDiag_SmtpDiagException, getHint);
ZEND_METHOD(SmtpDiag_SmtpDiagException, getTranscript);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(smtpdiag_check, arginfo_smtpdiag_check)
	ZEND_FE(smtpdiag_dns, arginfo_smtpdiag_dns)
	ZEND_FE(smtpdiag_spf, arginfo_smtpdiag_spf)
	ZEND_FE(smtpdiag_classify, arginfo_smtpdiag_classify)
	ZEND_FE(smtpdiag_format, arginfo_smtpdiag_format)
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_Client_methods[] = {
	ZEND_ME(SmtpDiag_Client, __construct, arginfo_class_SmtpDiag_Client___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, connect, arginfo_class_SmtpDiag_Client_connect, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, quit, arginfo_class_SmtpDiag_Client_quit, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, isConnected, arginfo_class_SmtpDiag_Client_isConnected, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, getCapabilities, arginfo_class_SmtpDiag_Client_getCapabilities, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, getTlsInfo, arginfo_class_SmtpDiag_Client_getTlsInfo, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, getTranscript, arginfo_class_SmtpDiag_Client_getTranscript, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, getTranscriptText, arginfo_class_SmtpDiag_Client_getTranscriptText, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, send, arginfo_class_SmtpDiag_Client_send, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, sendText, arginfo_class_SmtpDiag_Client_sendText, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_Client, sendMany, arginfo_class_SmtpDiag_Client_sendMany, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_SendResult_methods[] = {
	ZEND_ME(SmtpDiag_SendResult, __construct, arginfo_class_SmtpDiag_SendResult___construct, ZEND_ACC_PRIVATE)
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_SmtpDiagException_methods[] = {
	ZEND_ME(SmtpDiag_SmtpDiagException, getCategory, arginfo_class_SmtpDiag_SmtpDiagException_getCategory, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_SmtpDiagException, getPhase, arginfo_class_SmtpDiag_SmtpDiagException_getPhase, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_SmtpDiagException, getSmtpCode, arginfo_class_SmtpDiag_SmtpDiagException_getSmtpCode, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_SmtpDiagException, getEnhancedStatus, arginfo_class_SmtpDiag_SmtpDiagException_getEnhancedStatus, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_SmtpDiagException, isTransient, arginfo_class_SmtpDiag_SmtpDiagException_isTransient, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_SmtpDiagException, getHint, arginfo_class_SmtpDiag_SmtpDiagException_getHint, ZEND_ACC_PUBLIC)
	ZEND_ME(SmtpDiag_SmtpDiagException, getTranscript, arginfo_class_SmtpDiag_SmtpDiagException_getTranscript, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_ConnectionException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_TimeoutException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_TlsException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_AuthenticationException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_SenderException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_RecipientException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_MessageException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SmtpDiag_ProtocolException_methods[] = {
	ZEND_FE_END
};

static void register_smtpdiag_symbols(int module_number)
{
	REGISTER_STRING_CONSTANT("SMTPDIAG_VERSION", PHP_SMTPDIAG_VERSION, CONST_PERSISTENT);


	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "smtpdiag_check", sizeof("smtpdiag_check") - 1), 0, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "smtpdiag_check", sizeof("smtpdiag_check") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
}

static zend_class_entry *register_class_SmtpDiag_Client(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "Client", class_SmtpDiag_Client_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 0, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_SendResult(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "SendResult", class_SmtpDiag_SendResult_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE|ZEND_ACC_READONLY_CLASS;

	zval property_accepted_default_value;
	ZVAL_UNDEF(&property_accepted_default_value);
	zend_string *property_accepted_name = zend_string_init("accepted", sizeof("accepted") - 1, 1);
	zend_declare_typed_property(class_entry, property_accepted_name, &property_accepted_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_accepted_name);

	zval property_rejected_default_value;
	ZVAL_UNDEF(&property_rejected_default_value);
	zend_string *property_rejected_name = zend_string_init("rejected", sizeof("rejected") - 1, 1);
	zend_declare_typed_property(class_entry, property_rejected_name, &property_rejected_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_rejected_name);

	zval property_code_default_value;
	ZVAL_UNDEF(&property_code_default_value);
	zend_string *property_code_name = zend_string_init("code", sizeof("code") - 1, 1);
	zend_declare_typed_property(class_entry, property_code_name, &property_code_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_code_name);

	zval property_enhancedStatus_default_value;
	ZVAL_UNDEF(&property_enhancedStatus_default_value);
	zend_string *property_enhancedStatus_name = zend_string_init("enhancedStatus", sizeof("enhancedStatus") - 1, 1);
	zend_declare_typed_property(class_entry, property_enhancedStatus_name, &property_enhancedStatus_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_enhancedStatus_name);

	zval property_reply_default_value;
	ZVAL_UNDEF(&property_reply_default_value);
	zend_string *property_reply_name = zend_string_init("reply", sizeof("reply") - 1, 1);
	zend_declare_typed_property(class_entry, property_reply_name, &property_reply_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_reply_name);

	zval property_queueId_default_value;
	ZVAL_UNDEF(&property_queueId_default_value);
	zend_string *property_queueId_name = zend_string_init("queueId", sizeof("queueId") - 1, 1);
	zend_declare_typed_property(class_entry, property_queueId_name, &property_queueId_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_queueId_name);

	zval property_size_default_value;
	ZVAL_UNDEF(&property_size_default_value);
	zend_string *property_size_name = zend_string_init("size", sizeof("size") - 1, 1);
	zend_declare_typed_property(class_entry, property_size_name, &property_size_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_size_name);

	zval property_attempts_default_value;
	ZVAL_UNDEF(&property_attempts_default_value);
	zend_string *property_attempts_name = zend_string_init("attempts", sizeof("attempts") - 1, 1);
	zend_declare_typed_property(class_entry, property_attempts_name, &property_attempts_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_attempts_name);

	zval property_timings_default_value;
	ZVAL_UNDEF(&property_timings_default_value);
	zend_string *property_timings_name = zend_string_init("timings", sizeof("timings") - 1, 1);
	zend_declare_typed_property(class_entry, property_timings_name, &property_timings_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_timings_name);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_SmtpDiagException(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "SmtpDiagException", class_SmtpDiag_SmtpDiagException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	zval property_category_default_value;
	zend_string *property_category_default_value_str = zend_string_init("other", strlen("other"), 1);
	ZVAL_STR(&property_category_default_value, property_category_default_value_str);
	zend_string *property_category_name = zend_string_init("category", sizeof("category") - 1, 1);
	zend_declare_typed_property(class_entry, property_category_name, &property_category_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_category_name);

	zval property_phase_default_value;
	zend_string *property_phase_default_value_str = zend_string_init("none", strlen("none"), 1);
	ZVAL_STR(&property_phase_default_value, property_phase_default_value_str);
	zend_string *property_phase_name = zend_string_init("phase", sizeof("phase") - 1, 1);
	zend_declare_typed_property(class_entry, property_phase_name, &property_phase_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_phase_name);

	zval property_smtpCode_default_value;
	ZVAL_NULL(&property_smtpCode_default_value);
	zend_string *property_smtpCode_name = zend_string_init("smtpCode", sizeof("smtpCode") - 1, 1);
	zend_declare_typed_property(class_entry, property_smtpCode_name, &property_smtpCode_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG|MAY_BE_NULL));
	zend_string_release(property_smtpCode_name);

	zval property_enhancedStatus_default_value;
	ZVAL_NULL(&property_enhancedStatus_default_value);
	zend_string *property_enhancedStatus_name = zend_string_init("enhancedStatus", sizeof("enhancedStatus") - 1, 1);
	zend_declare_typed_property(class_entry, property_enhancedStatus_name, &property_enhancedStatus_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_enhancedStatus_name);

	zval property_transient_default_value;
	ZVAL_FALSE(&property_transient_default_value);
	zend_string *property_transient_name = zend_string_init("transient", sizeof("transient") - 1, 1);
	zend_declare_typed_property(class_entry, property_transient_name, &property_transient_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_BOOL));
	zend_string_release(property_transient_name);

	zval property_hint_default_value;
	ZVAL_EMPTY_STRING(&property_hint_default_value);
	zend_string *property_hint_name = zend_string_init("hint", sizeof("hint") - 1, 1);
	zend_declare_typed_property(class_entry, property_hint_name, &property_hint_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_hint_name);

	zval property_transcript_default_value;
	ZVAL_EMPTY_ARRAY(&property_transcript_default_value);
	zend_string *property_transcript_name = zend_string_init("transcript", sizeof("transcript") - 1, 1);
	zend_declare_typed_property(class_entry, property_transcript_name, &property_transcript_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_transcript_name);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_ConnectionException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "ConnectionException", class_SmtpDiag_ConnectionException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_TimeoutException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "TimeoutException", class_SmtpDiag_TimeoutException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_TlsException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "TlsException", class_SmtpDiag_TlsException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_AuthenticationException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "AuthenticationException", class_SmtpDiag_AuthenticationException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_SenderException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "SenderException", class_SmtpDiag_SenderException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_RecipientException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "RecipientException", class_SmtpDiag_RecipientException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_MessageException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "MessageException", class_SmtpDiag_MessageException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}

static zend_class_entry *register_class_SmtpDiag_ProtocolException(zend_class_entry *class_entry_SmtpDiag_SmtpDiagException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "SmtpDiag", "ProtocolException", class_SmtpDiag_ProtocolException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SmtpDiag_SmtpDiagException);

	return class_entry;
}
