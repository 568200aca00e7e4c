/*
 * smtpdiag core: DNS messages (RFC 1035) built and parsed by the core
 * itself, so that one parser serves every c-ares version from 1.18 on.
 *
 * The parser is bounds-checked and fuzzed (fuzz/fuzz_dnsmsg.c): it never
 * reads outside the buffer, follows compression pointers only backwards and
 * at most SDIAG_DNS_PTR_MAX times per name, and caps names at 255 octets
 * and the answer section at SDIAG_DNS_RR_MAX records.
 */
#ifndef SDIAG_DNSMSG_H
#define SDIAG_DNSMSG_H

#include <stddef.h>
#include <stdint.h>

#define SDIAG_DNS_NAME_MAX 256   /* presentation form without the final dot, plus NUL */
#define SDIAG_DNS_RR_MAX 128     /* answer records kept; more makes the message malformed */
#define SDIAG_DNS_CNAME_MAX 16   /* CNAME links followed from the question name */
#define SDIAG_DNS_PTR_MAX 64     /* compression pointers followed in one name */
#define SDIAG_DNS_QUERY_MAX 300  /* a query built by sdiag_dns_build_query() fits */

enum {
	SDIAG_DNS_T_A = 1,
	SDIAG_DNS_T_NS = 2,
	SDIAG_DNS_T_CNAME = 5,
	SDIAG_DNS_T_SOA = 6,
	SDIAG_DNS_T_PTR = 12,
	SDIAG_DNS_T_MX = 15,
	SDIAG_DNS_T_TXT = 16,
	SDIAG_DNS_T_AAAA = 28,
	SDIAG_DNS_T_OPT = 41,
	SDIAG_DNS_T_TLSA = 52,
	SDIAG_DNS_T_SPF = 99
};

enum {
	SDIAG_DNS_RCODE_NOERROR = 0,
	SDIAG_DNS_RCODE_FORMERR = 1,
	SDIAG_DNS_RCODE_SERVFAIL = 2,
	SDIAG_DNS_RCODE_NXDOMAIN = 3,
	SDIAG_DNS_RCODE_NOTIMP = 4,
	SDIAG_DNS_RCODE_REFUSED = 5
};

/* One resource record of the answer section. Names are in presentation
 * form, lower-cased, without the final dot ("" is the root); a label byte
 * outside [-_a-z0-9*] is written as \DDD, a '.' or '\' inside a label as
 * "\." / "\\". */
typedef struct sdiag_dns_rr {
	uint16_t type;
	uint16_t cls;
	uint32_t ttl;
	char owner[SDIAG_DNS_NAME_MAX];
	char target[SDIAG_DNS_NAME_MAX];  /* CNAME, PTR, MX exchange, NS; SOA mname */
	uint16_t pref;                    /* MX preference */
	uint8_t addr[16];                 /* A: 4 bytes, AAAA: 16 */
	uint8_t tlsa_usage, tlsa_selector, tlsa_mtype;
	/* TXT/SPF: the character-strings concatenated, nstrings of them;
	 * TLSA: the association data; any other type: the raw RDATA.
	 * Points into the message's arena, NUL-terminated after len bytes. */
	const unsigned char *data;
	size_t len;
	uint16_t nstrings;
} sdiag_dns_rr_t;

typedef struct sdiag_dns_msg {
	uint16_t id;
	unsigned qr : 1, aa : 1, tc : 1, rd : 1, ra : 1, ad : 1, cd : 1;
	uint8_t opcode;
	uint16_t rcode;                   /* with the EDNS extended bits when an OPT record is present */
	uint16_t qdcount, ancount, nscount, arcount;
	char qname[SDIAG_DNS_NAME_MAX];   /* the first question ("" when none) */
	uint16_t qtype, qclass;
	/* The question name after following the CNAME chain in the answer
	 * (qname when there is none); cnames is the number of links followed. */
	char canonical[SDIAG_DNS_NAME_MAX];
	size_t cnames;
	int cname_loop;                   /* the chain loops or is longer than SDIAG_DNS_CNAME_MAX */
	int has_soa;                      /* the authority section holds a SOA (a negative answer) */
	size_t nanswer;
	sdiag_dns_rr_t *answer;
	unsigned char *arena;             /* owns every rr's data */
} sdiag_dns_msg_t;

/* Parse a whole message. Returns 0, or -1 with a reason in why (-2 when
 * out of memory; the message is then freed and zeroed). Records of unknown types are kept with raw
 * data; a record whose RDATA does not fit its type makes the message
 * malformed, and so does an answer-section name too long to write out in
 * SDIAG_DNS_NAME_MAX (escapes take 4 characters an octet). Only the
 * answer section is kept; a message without answers allocates nothing. */
int sdiag_dns_parse(const unsigned char *buf, size_t len, sdiag_dns_msg_t *m, char *why, size_t whylen);
void sdiag_dns_msg_free(sdiag_dns_msg_t *m);

/* Iterate the answer records of a type owned by the canonical name:
 * start with *pos = 0; NULL when there are no more. */
const sdiag_dns_rr_t *sdiag_dns_next(const sdiag_dns_msg_t *m, uint16_t type, size_t *pos);

/* Build a query for name/type (RD set, AD set to ask for the AD bit as
 * RFC 6840 5.7 says, one EDNS0 OPT record with a 1232-byte UDP size).
 * name is in presentation form, a final dot optional ("" or "." is the
 * root); "\." and "\\" put a dot or backslash in a label, \DDD (three
 * digits, at most 255) any octet. Returns the length, or 0 when the name is
 * not a valid DNS name (a label over 63 octets, an empty label, over 255
 * octets on the wire, a bad escape) or cap is below SDIAG_DNS_QUERY_MAX. */
size_t sdiag_dns_build_query(unsigned char *out, size_t cap, uint16_t id, const char *name, uint16_t type);

/* "A", "MX", ... or "TYPE65" into a static/caller buffer. */
const char *sdiag_dns_type_name(uint16_t type, char *buf, size_t cap);

/* The reverse-lookup name of an address ("4.3.2.1.in-addr.arpa",
 * nibbles under ip6.arpa) from its text form; 0, or -1 when ip is not an
 * address. */
int sdiag_dns_reverse_name(const char *ip, char *out, size_t cap);

#endif
