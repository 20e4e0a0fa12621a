/* glance's net-snmp module (snmp.so): the SNMP session calls of snmp.h,
 * loaded by the plugin only when an SNMP mode runs (snmpmod.h says why).
 * Only SNMPMOD_ENTRY is exported; everything else is hidden, so the
 * module's copies of the strbuf helpers never meet the plugin's. */
#include "snmpmod.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "strbuf.h"

struct snmpc_session {
	void *sessp;    /* net-snmp single-session handle */
	char peer[300]; /* "127.0.0.1:1161", for messages */
	int version;
	int retries;
};

/* The plugin's deadline and -v level, given to SNMPMOD_ENTRY. */
static const struct snmpmod_host *snmpmod_host;

/* net-snmp keeps library state per process: it is set up once and torn
 * down at exit (setting it up again after snmp_shutdown() leaks). */
static bool snmpc_lib_ready;

static int
snmpc_log_cb(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	(void)major, (void)minor, (void)client;
	if (m != NULL && m->msg != NULL)
		snmpmod_host->debug(2, "net-snmp: %.*s", (int)strcspn(m->msg, "\n"), m->msg);
	return 0;
}

static void
snmpc_lib_shutdown(void)
{
	snmp_shutdown("glance");
}

/* No snmp.conf, no persistent state, no MIB files (OIDs are numeric): a
 * plugin's behaviour must follow from its command line and auth file
 * alone. (net-snmp still makes its empty cert_indexes directory under
 * /var/lib/snmp when it can, as snmpget does.) */
static void
snmpc_lib_init(void)
{
	if (snmpc_lib_ready)
		return;
	snmpc_lib_ready = true;
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD,
	                       1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE,
	                       1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	netsnmp_set_mib_directory("");
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, snmpc_log_cb,
	                       NULL);
	snmp_enable_calllog();
	init_snmp("glance");
	atexit(snmpc_lib_shutdown);
}

/* Gives the next request the time left, split over its tries, so the
 * library's own retransmissions can never outlast the deadline. */
static long
snmpc_try_us(int retries)
{
	long ms = snmpmod_host->remaining_ms();
	if (ms > 60000)
		ms = 60000;
	long us = ms * 1000 / (retries + 1);
	return us < 1000 ? 1000 : us;
}

static enum snmpc_status
snmpc_map_liberr(int liberr)
{
	switch (liberr) {
	case SNMPERR_TIMEOUT: return SNMPC_ERR_TIMEOUT;
	case SNMPERR_UNKNOWN_USER_NAME:
	case SNMPERR_AUTHENTICATION_FAILURE:
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
	case SNMPERR_DECRYPTION_ERR:
	case SNMPERR_USM_AUTHENTICATIONFAILURE:
	case SNMPERR_USM_UNKNOWNSECURITYNAME:
	case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
	case SNMPERR_USM_DECRYPTIONERROR:
	case SNMPERR_USM_GENERICERROR: return SNMPC_ERR_AUTH;
	case SNMPERR_BAD_ADDRESS: return SNMPC_ERR_OPEN;
	default: return SNMPC_ERR_PROTO;
	}
}

static void
snmpc_timeout_msg(const char *peer, int version, char *err, size_t errlen)
{
	snprintf(err, errlen, "no response from %s within %g s (%s)", peer,
	         snmpmod_host->seconds(),
	         version == 3 ? "agent down or filtered"
	                      : "agent down, wrong community or filtered");
}

static enum snmpc_status
snmpc_lib_error(void *sessp, netsnmp_session *plain, const char *peer, int version, char *err,
                size_t errlen)
{
	int liberr = 0, syserr = 0;
	char *msg = NULL;

	/* (errno, snmp_errno, text): the library error is the second */
	if (sessp != NULL)
		snmp_sess_error(sessp, &syserr, &liberr, &msg);
	else
		snmp_error(plain, &syserr, &liberr, &msg);
	enum snmpc_status st = snmpc_map_liberr(liberr);
	if (st == SNMPC_ERR_TIMEOUT)
		snmpc_timeout_msg(peer, version, err, errlen);
	else if (st == SNMPC_ERR_AUTH)
		snprintf(err, errlen,
		         "%s refused the credentials: %s (wrong v3 user, "
		         "passphrase or security level?)",
		         peer, msg ? msg : "unknown");
	else
		snprintf(err, errlen, "%s: %s", peer, msg ? msg : "unknown SNMP error");
	free(msg);
	return st;
}

static int
snmpc_auth_oid(const char *name, const oid **p, size_t *len)
{
	static const struct {
		const char *name;
		const oid *oid;
	} tab[] = {
	        {"MD5", usmHMACMD5AuthProtocol},
	        {"SHA", usmHMACSHA1AuthProtocol},
	        {"SHA1", usmHMACSHA1AuthProtocol},
	        {"SHA224", usmHMAC128SHA224AuthProtocol},
	        {"SHA256", usmHMAC192SHA256AuthProtocol},
	        {"SHA384", usmHMAC256SHA384AuthProtocol},
	        {"SHA512", usmHMAC384SHA512AuthProtocol},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcasecmp(name, tab[i].name) == 0) {
			*p = tab[i].oid;
			*len = USM_AUTH_PROTO_MD5_LEN; /* all are 10 sub-identifiers */
			return 0;
		}
	return -1;
}

static int
snmpc_priv_oid(const char *name, const oid **p, size_t *len)
{
	if (strcasecmp(name, "DES") == 0) {
		*p = usmDESPrivProtocol;
		*len = USM_PRIV_PROTO_DES_LEN;
	} else if (strcasecmp(name, "AES") == 0 || strcasecmp(name, "AES128") == 0) {
		*p = usmAESPrivProtocol;
		*len = USM_PRIV_PROTO_AES_LEN;
	} else if (strcasecmp(name, "AES192") == 0) {
		*p = usmAES192PrivProtocol;
		*len = sizeof usmAES192PrivProtocol / sizeof(oid);
	} else if (strcasecmp(name, "AES256") == 0) {
		*p = usmAES256PrivProtocol;
		*len = sizeof usmAES256PrivProtocol / sizeof(oid);
	} else {
		return -1;
	}
	return 0;
}

/* Localisable keys (RFC 3414 2.6) from the passphrases; USM requires at
 * least 8 characters, which we check so the message can say so. */
static enum snmpc_status
snmpc_v3_keys(netsnmp_session *ss, const struct snmpc_opts *o, char *err, size_t errlen)
{
	const oid *ap, *pp;
	size_t alen, plen;
	const char *aname = o->auth_proto ? o->auth_proto : "SHA";
	const char *pname = o->priv_proto ? o->priv_proto : "AES";

	if (snmpc_auth_oid(aname, &ap, &alen) != 0) {
		snprintf(err, errlen,
		         "unknown SNMPv3 auth protocol '%s' (MD5, SHA, SHA224, "
		         "SHA256, SHA384, SHA512)",
		         aname);
		return SNMPC_ERR_CONFIG;
	}
	if (snmpc_priv_oid(pname, &pp, &plen) != 0) {
		snprintf(err, errlen,
		         "unknown SNMPv3 privacy protocol '%s' (DES, AES, "
		         "AES192, AES256)",
		         pname);
		return SNMPC_ERR_CONFIG;
	}
	ss->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	if (o->auth_pass == NULL && o->priv_pass != NULL) {
		snprintf(err, errlen, "an SNMPv3 privacy passphrase needs an auth passphrase");
		return SNMPC_ERR_CONFIG;
	}
	if (o->auth_pass == NULL)
		return SNMPC_OK;
	if (strlen(o->auth_pass) < 8 || (o->priv_pass && strlen(o->priv_pass) < 8)) {
		snprintf(err, errlen, "SNMPv3 passphrases must have at least 8 characters");
		return SNMPC_ERR_CONFIG;
	}
	ss->securityAuthProto = snmp_duplicate_objid(ap, alen);
	ss->securityAuthProtoLen = alen;
	ss->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (ss->securityAuthProto == NULL ||
	    generate_Ku(ap, (u_int)alen, (const u_char *)o->auth_pass, strlen(o->auth_pass),
	                ss->securityAuthKey, &ss->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot derive the SNMPv3 auth key");
		return SNMPC_ERR_CONFIG;
	}
	ss->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (o->priv_pass == NULL)
		return SNMPC_OK;
	ss->securityPrivProto = snmp_duplicate_objid(pp, plen);
	ss->securityPrivProtoLen = plen;
	ss->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (ss->securityPrivProto == NULL ||
	    generate_Ku(ap, (u_int)alen, (const u_char *)o->priv_pass, strlen(o->priv_pass),
	                ss->securityPrivKey, &ss->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot derive the SNMPv3 privacy key");
		return SNMPC_ERR_CONFIG;
	}
	ss->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	return SNMPC_OK;
}

/* "host:port", with IPv6 literals as "udp6:[addr]:port" for net-snmp. */
static void
snmpc_peername(const struct snmpc_opts *o, char *buf, size_t len)
{
	struct in6_addr a6;
	unsigned port = o->port ? o->port : 161;

	if (inet_pton(AF_INET6, o->host, &a6) == 1)
		snprintf(buf, len, "udp6:[%s]:%u", o->host, port);
	else
		snprintf(buf, len, "%s:%u", o->host, port);
}

static enum snmpc_status
snmpc_fill_session(netsnmp_session *ss, const struct snmpc_opts *o, char *err, size_t errlen)
{
	if (o->version == 3) {
		if (o->user == NULL || o->user[0] == '\0') {
			snprintf(err, errlen, "SNMPv3 needs a user name");
			return SNMPC_ERR_CONFIG;
		}
		ss->version = SNMP_VERSION_3;
		ss->securityName = xstrdup(o->user);
		ss->securityNameLen = strlen(o->user);
		if (o->context) {
			ss->contextName = xstrdup(o->context);
			ss->contextNameLen = strlen(o->context);
		}
		return snmpc_v3_keys(ss, o, err, errlen);
	}
	if (o->version != 0 && o->version != 2) {
		snprintf(err, errlen, "SNMP version must be 2c or 3");
		return SNMPC_ERR_CONFIG;
	}
	const char *c = o->community ? o->community : "public";
	ss->version = SNMP_VERSION_2c;
	ss->community = (u_char *)xstrdup(c);
	ss->community_len = strlen(c);
	return SNMPC_OK;
}

/* snmp_sess_open() copies what it needs; our copies go here. */
static void
snmpc_free_template(netsnmp_session *ss)
{
	free(ss->securityName);
	free(ss->contextName);
	free(ss->securityAuthProto);
	free(ss->securityPrivProto);
	if (ss->community) {
		explicit_bzero(ss->community, ss->community_len);
		free(ss->community);
	}
	explicit_bzero(ss->securityAuthKey, sizeof ss->securityAuthKey);
	explicit_bzero(ss->securityPrivKey, sizeof ss->securityPrivKey);
}

static enum snmpc_status
snmpmod_open(struct snmpc_session **out, const struct snmpc_opts *o, char *err, size_t errlen)
{
	netsnmp_session ss;
	struct snmpc_session *s = xcalloc(1, sizeof *s);

	*out = NULL;
	snmpc_lib_init();
	snmp_sess_init(&ss);
	snmpc_peername(o, s->peer, sizeof s->peer);
	s->version = o->version == 3 ? 3 : 2;
	s->retries = o->retries < 0 ? 1 : o->retries;
	enum snmpc_status st = snmpc_fill_session(&ss, o, err, errlen);
	if (st == SNMPC_OK) {
		ss.peername = s->peer;
		ss.retries = s->retries;
		ss.timeout = snmpc_try_us(s->retries);
		s->sessp = snmp_sess_open(&ss);
		if (s->sessp == NULL)
			st = snmpc_lib_error(NULL, &ss, s->peer, s->version, err, errlen);
		if (st == SNMPC_ERR_PROTO)
			st = SNMPC_ERR_OPEN;
	}
	snmpc_free_template(&ss);
	if (st != SNMPC_OK) {
		free(s);
		return st;
	}
	*out = s;
	return SNMPC_OK;
}

/* Sends one request and waits within the deadline. The library owns
 * and frees pdu; *resp is the caller's on SNMPC_OK. */
static enum snmpc_status
snmpc_request(struct snmpc_session *s, netsnmp_pdu *pdu, netsnmp_pdu **resp, char *err,
              size_t errlen)
{
	*resp = NULL;
	if (snmpmod_host->remaining_ms() == 0) {
		snmp_free_pdu(pdu);
		snmpc_timeout_msg(s->peer, s->version, err, errlen);
		return SNMPC_ERR_TIMEOUT;
	}
	netsnmp_session *ss = snmp_sess_session(s->sessp);
	ss->timeout = snmpc_try_us(s->retries);
	ss->retries = s->retries;
	int rc = snmp_sess_synch_response(s->sessp, pdu, resp);
	if (rc == STAT_TIMEOUT) {
		snmpc_timeout_msg(s->peer, s->version, err, errlen);
		return SNMPC_ERR_TIMEOUT;
	}
	if (rc != STAT_SUCCESS || *resp == NULL) {
		if (*resp)
			snmp_free_pdu(*resp);
		*resp = NULL;
		return snmpc_lib_error(s->sessp, NULL, s->peer, s->version, err, errlen);
	}
	if ((*resp)->errstat != SNMP_ERR_NOERROR) {
		snprintf(err, errlen, "%s answered: %s", s->peer,
		         snmp_errstring((int)(*resp)->errstat));
		enum snmpc_status st = (*resp)->errstat == SNMP_ERR_NOSUCHNAME
		                               ? SNMPC_ERR_NOSUCH
		                               : SNMPC_ERR_AGENT;
		snmp_free_pdu(*resp);
		*resp = NULL;
		return st;
	}
	return SNMPC_OK;
}

static void
snmpc_oid_text(struct strbuf *sb, const oid *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sb_appendf(sb, i ? ".%lu" : "%lu", (unsigned long)name[i]);
}

/* Copies one varbind's value into v (typed, owned by v). */
static void
snmpc_convert(const netsnmp_variable_list *vb, struct snmpc_value *v)
{
	struct strbuf sb = STRBUF_INIT;

	memset(v, 0, sizeof *v);
	switch (vb->type) {
	case ASN_INTEGER:
		v->type = SNMPC_INT;
		v->i = (int32_t)*vb->val.integer;
		break;
	case ASN_GAUGE:
	case ASN_COUNTER:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		v->type = SNMPC_UINT;
		v->u = (uint32_t)*vb->val.integer;
		break;
	case ASN_COUNTER64:
		v->type = SNMPC_COUNTER64;
		v->u = ((uint64_t)(uint32_t)vb->val.counter64->high << 32) |
		       (uint32_t)vb->val.counter64->low;
		break;
	case ASN_OCTET_STR:
		v->type = SNMPC_STRING;
		v->str = xmalloc(vb->val_len + 1);
		memcpy(v->str, vb->val.string, vb->val_len);
		v->str[vb->val_len] = '\0';
		v->len = vb->val_len;
		break;
	case ASN_OBJECT_ID:
		v->type = SNMPC_OID;
		snmpc_oid_text(&sb, vb->val.objid, vb->val_len / sizeof(oid));
		v->len = sb.len;
		v->str = sb.buf ? sb_detach(&sb) : xstrdup("");
		break;
	case ASN_IPADDRESS:
		v->type = SNMPC_IPADDR;
		if (vb->val_len == 4)
			sb_appendf(&sb, "%u.%u.%u.%u", vb->val.string[0], vb->val.string[1],
			           vb->val.string[2], vb->val.string[3]);
		v->len = sb.len;
		v->str = sb.buf ? sb_detach(&sb) : xstrdup("");
		break;
	default:
		v->type = SNMPC_NONE; /* NULL and the v2 exceptions */
		break;
	}
}

static int
snmpc_parse_oid(const char *text, oid *name, size_t *len, char *err, size_t errlen)
{
	if (read_objid(text, name, len) == 0) {
		snprintf(err, errlen, "bad OID '%s'", text);
		return -1;
	}
	return 0;
}

static enum snmpc_status
snmpmod_get(struct snmpc_session *s, const char *oidtext, struct snmpc_value *v, char *err,
            size_t errlen)
{
	oid name[MAX_OID_LEN];
	size_t len = MAX_OID_LEN;
	netsnmp_pdu *resp;

	memset(v, 0, sizeof *v);
	if (snmpc_parse_oid(oidtext, name, &len, err, errlen) != 0)
		return SNMPC_ERR_CONFIG;
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
	if (pdu == NULL || snmp_add_null_var(pdu, name, len) == NULL) {
		snmp_free_pdu(pdu);
		snprintf(err, errlen, "cannot build an SNMP request");
		return SNMPC_ERR_PROTO;
	}
	enum snmpc_status st = snmpc_request(s, pdu, &resp, err, errlen);
	if (st != SNMPC_OK)
		return st;
	if (resp->variables == NULL) {
		snprintf(err, errlen, "%s sent an empty answer for %s", s->peer, oidtext);
		st = SNMPC_ERR_PROTO;
	} else {
		snmpc_convert(resp->variables, v);
		if (v->type == SNMPC_NONE && resp->variables->type != ASN_NULL) {
			snprintf(err, errlen, "%s has no object %s", s->peer, oidtext);
			st = SNMPC_ERR_NOSUCH;
		}
	}
	snmp_free_pdu(resp);
	return st;
}

static void
snmpc_column_push(struct snmpc_column *c, const struct snmpc_value *v)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = *v;
}

/* Adds the varbinds of one GETBULK answer that lie under the column.
 * Returns 1 to continue from *next, 0 at the end of the column, -1 when
 * the agent does not move forward (a broken agent must not loop us). */
static int
snmpc_walk_take(const netsnmp_variable_list *vb, const oid *col, size_t col_len, oid *next,
                size_t *next_len, struct snmpc_column *out, size_t max_rows)
{
	if (vb == NULL)
		return 0; /* an empty answer ends the walk rather than repeating it */
	for (; vb != NULL; vb = vb->next_variable) {
		if (vb->type == SNMP_ENDOFMIBVIEW || vb->name_length <= col_len ||
		    snmp_oidtree_compare(col, col_len, vb->name, vb->name_length) != 0)
			return 0;
		if (snmp_oid_compare(vb->name, vb->name_length, next, *next_len) <= 0)
			return -1;
		struct snmpc_value v;
		snmpc_convert(vb, &v);
		size_t il = vb->name_length - col_len;
		v.index_len = il < 16 ? il : 16;
		for (size_t i = 0; i < v.index_len; i++)
			v.index[i] = (uint32_t)vb->name[col_len + i];
		snmpc_column_push(out, &v);
		memcpy(next, vb->name, vb->name_length * sizeof(oid));
		*next_len = vb->name_length;
		if (out->n >= max_rows)
			return 0;
	}
	return 1;
}

static enum snmpc_status
snmpmod_walk(struct snmpc_session *s, const char *column, size_t max_rows,
             struct snmpc_column *out, char *err, size_t errlen)
{
	oid col[MAX_OID_LEN], next[MAX_OID_LEN];
	size_t col_len = MAX_OID_LEN;
	enum snmpc_status st = SNMPC_OK;

	memset(out, 0, sizeof *out);
	if (snmpc_parse_oid(column, col, &col_len, err, errlen) != 0)
		return SNMPC_ERR_CONFIG;
	memcpy(next, col, col_len * sizeof(oid));
	size_t next_len = col_len;
	for (int more = 1; more == 1;) {
		netsnmp_pdu *resp, *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		if (pdu == NULL || snmp_add_null_var(pdu, next, next_len) == NULL) {
			snmp_free_pdu(pdu);
			snprintf(err, errlen, "cannot build an SNMP request");
			return SNMPC_ERR_PROTO;
		}
		pdu->non_repeaters = 0;
		pdu->max_repetitions = 25;
		st = snmpc_request(s, pdu, &resp, err, errlen);
		if (st != SNMPC_OK)
			break;
		more = snmpc_walk_take(resp->variables, col, col_len, next, &next_len, out,
		                       max_rows);
		snmp_free_pdu(resp);
		if (more < 0) {
			snprintf(err, errlen, "%s returned OIDs out of order under %s", s->peer,
			         column);
			st = SNMPC_ERR_PROTO;
		}
	}
	if (st == SNMPC_OK && out->n == 0) {
		snprintf(err, errlen, "%s has no instances of %s", s->peer, column);
		st = SNMPC_ERR_NOSUCH;
	}
	return st;
}

static void
snmpmod_close(struct snmpc_session *s)
{
	if (s == NULL)
		return;
	if (s->sessp)
		snmp_sess_close(s->sessp);
	free(s);
}

static const char *
snmpmod_peer(const struct snmpc_session *s)
{
	return s->peer;
}

static const struct snmpmod_ops snmpmod_ops = {
        .abi = SNMPMOD_ABI,
        .open = snmpmod_open,
        .get = snmpmod_get,
        .walk = snmpmod_walk,
        .peer = snmpmod_peer,
        .close = snmpmod_close,
};

const struct snmpmod_ops *
glance_snmp_module(unsigned abi, const struct snmpmod_host *host)
{
	if (abi != SNMPMOD_ABI || host == NULL)
		return NULL;
	snmpmod_host = host;
	return &snmpmod_ops;
}
