dnl config.m4 for extension smtpdiag

PHP_ARG_ENABLE([smtpdiag],
  [whether to enable smtpdiag support],
  [AS_HELP_STRING([--enable-smtpdiag], [Enable smtpdiag support])],
  [no])

PHP_ARG_ENABLE([smtpdiag-dev],
  [whether to build smtpdiag with developer warnings as errors],
  [AS_HELP_STRING([--enable-smtpdiag-dev], [smtpdiag: build with -Wall -Wextra -Werror])],
  [no],
  [no])

if test "$PHP_SMTPDIAG" != "no"; then
  dnl OpenSSL, the way ext/openssl finds it (pkg-config, PHP_OPENSSL_DIR)
  PHP_SETUP_OPENSSL([SMTPDIAG_SHARED_LIBADD],
    [AC_DEFINE([HAVE_SMTPDIAG_OPENSSL], [1], [Have OpenSSL])],
    [AC_MSG_ERROR([smtpdiag needs OpenSSL 1.1.1 or later])])

  dnl c-ares 1.18 or later
  PKG_CHECK_MODULES([CARES], [libcares >= 1.18.0], [], [
    AC_MSG_ERROR([smtpdiag needs c-ares 1.18 or later (Debian/Ubuntu: apt-get install libc-ares-dev; macOS: brew install c-ares)])
  ])
  PHP_EVAL_INCLINE([$CARES_CFLAGS])
  PHP_EVAL_LIBLINE([$CARES_LIBS], [SMTPDIAG_SHARED_LIBADD])

  SMTPDIAG_CORE_SOURCES="src/core/bimi.c src/core/buf.c src/core/classify.c src/core/cloud.c src/core/compat.c src/core/conn.c src/core/dane.c src/core/dkim.c src/core/dmarc.c src/core/dns.c src/core/dnscheck.c src/core/dnsmsg.c src/core/ehlo.c src/core/error.c src/core/https.c src/core/loop.c src/core/msg.c src/core/mtasts.c src/core/mtasts_job.c src/core/probe.c src/core/reply.c src/core/report.c src/core/resolver.c src/core/sasl.c src/core/settings.c src/core/smtp.c src/core/spf.c src/core/taglist.c src/core/tls.c src/core/tlsrpt.c src/core/transcript.c src/core/transport.c src/core/txn.c src/core/value.c"
  SMTPDIAG_GLUE_SOURCES="src/php/check.c src/php/classify.c src/php/client.c src/php/dns.c src/php/exceptions.c src/php/logger.c src/php/options.c src/php/send.c"

  SMTPDIAG_CFLAGS="-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -D_GNU_SOURCE"
  if test "$PHP_SMTPDIAG_DEV" != "no"; then
    SMTPDIAG_CFLAGS="$SMTPDIAG_CFLAGS -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare"
  fi

  PHP_NEW_EXTENSION([smtpdiag], [smtpdiag.c $SMTPDIAG_CORE_SOURCES $SMTPDIAG_GLUE_SOURCES], [$ext_shared],, [$SMTPDIAG_CFLAGS])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/php])
  PHP_ADD_INCLUDE([$ext_srcdir])
  PHP_SUBST([SMTPDIAG_SHARED_LIBADD])
  PHP_ADD_EXTENSION_DEP([smtpdiag], [spl])
fi
