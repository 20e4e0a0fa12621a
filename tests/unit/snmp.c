/* The SNMP module's offline parts (common/snmp.c): auth files, settings
 * errors caught before any packet is sent, the error texts, and loading
 * the net-snmp module (snmp.so: a missing one is an error naming it). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snmp.h"
#include "tap.h"

static char dir[512];

static const char *
write_file(const char *name, const char *text, mode_t mode)
{
	static char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	if (fp == NULL)
		return path;
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
	return path;
}

static void
test_auth_file(void)
{
	struct snmpc_opts o;
	char err[300];
	const char *p;

	memset(&o, 0, sizeof o);
	p = write_file("v3",
	               "# comment\n\nversion = 3\nuser=monuser\n  auth-protocol = SHA256 \n"
	               "auth-password = a pass with spaces\r\npriv-password=privpass123\n"
	               "context = ctx\n",
	               0600);
	ok(snmpc_read_auth_file(p, &o, err, sizeof err) == 0, "a 0600 auth file is read");
	is_int(o.version, 3, "version = 3");
	is_str(o.user, "monuser", "user without spaces around '='");
	is_str(o.auth_proto, "SHA256", "surrounding blanks are trimmed");
	is_str(o.auth_pass, "a pass with spaces", "inner spaces kept, CR dropped");
	is_str(o.priv_pass, "privpass123", "priv-password");
	is_str(o.context, "ctx", "context");
	ok(o.community == NULL && o.priv_proto == NULL, "keys not in the file stay unset");
	snmpc_opts_free(&o);
	ok(o.user == NULL && o.auth_pass == NULL, "snmpc_opts_free clears every field");

	p = write_file("open", "community = s3cret\n", 0644);
	ok(snmpc_read_auth_file(p, &o, err, sizeof err) == -1 && strstr(err, "chmod 600"),
	   "a world-readable auth file is refused (%s)", err);
	p = write_file("group", "community = s3cret\n", 0640);
	ok(snmpc_read_auth_file(p, &o, err, sizeof err) == -1,
	   "a group-readable file is refused");
	p = write_file("badkey", "community = x\npassword = y\n", 0600);
	ok(snmpc_read_auth_file(p, &o, err, sizeof err) == -1 && strstr(err, "line 2") &&
	           strstr(err, "unknown key 'password'"),
	   "an unknown key names its line (%s)", err);
	snmpc_opts_free(&o);
	p = write_file("badver", "version = 1\n", 0600);
	ok(snmpc_read_auth_file(p, &o, err, sizeof err) == -1, "version 1 is refused");
	ok(snmpc_read_auth_file(dir, &o, err, sizeof err) == -1, "a directory is refused");
	snmpc_opts_free(&o);
}

/* A module that is not there: SNMPC_ERR_MODULE and its path in the
 * message; then the build's own, three directories above this program
 * (BUILD/tests/unit/snmp: BUILD/snmp.so), unless the caller named one. */
static void
test_module(void)
{
	struct snmpc_session *s = NULL;
	struct snmpc_opts o;
	char err[300], missing[600], exe[512], want[700];
	const char *given = getenv("GLANCE_SNMP_MODULE");

	memset(&o, 0, sizeof o);
	snmpc_opts_set(&o.host, "127.0.0.1");
	snprintf(missing, sizeof missing, "%s/none.so", dir);
	setenv("GLANCE_SNMP_MODULE", missing, 1);
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_MODULE, "a missing module");
	snprintf(want, sizeof want,
	         "cannot load the SNMP module %s: cannot open shared object file: "
	         "No such file or directory",
	         missing);
	is_str(err, want, "the message names the module's path");
	ok(s == NULL, "no session without the module");
	is_str(snmpc_strerror(SNMPC_ERR_MODULE), "SNMP module unavailable", "module text");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	for (int up = 0; up < 3; up++)
		*(strrchr(exe, '/') ? strrchr(exe, '/') : exe) = '\0';
	snprintf(want, sizeof want, "%s/snmp.so", exe);
	setenv("GLANCE_SNMP_MODULE", given && *given ? given : want, 1);
	snmpc_opts_free(&o);
}

/* Settings errors come back before anything is sent: no agent needed. */
static void
test_open_config(void)
{
	struct snmpc_session *s;
	struct snmpc_opts o;
	char err[300];

	memset(&o, 0, sizeof o);
	snmpc_opts_set(&o.host, "127.0.0.1");
	o.version = 3;
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_CONFIG, "v3 without a user");
	ok(s == NULL, "no session on failure");
	snmpc_opts_set(&o.user, "u");
	snmpc_opts_set(&o.priv_pass, "privpass123");
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_CONFIG, "privacy without auth");
	is_str(err, "an SNMPv3 privacy passphrase needs an auth passphrase", "says why");
	snmpc_opts_set(&o.priv_pass, NULL);
	snmpc_opts_set(&o.auth_pass, "short");
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_CONFIG,
	       "a 5-character passphrase");
	is_str(err, "SNMPv3 passphrases must have at least 8 characters", "says why");
	snmpc_opts_set(&o.auth_pass, "longenough");
	snmpc_opts_set(&o.auth_proto, "SHA3");
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_CONFIG,
	       "an unknown auth protocol");
	ok(strstr(err, "'SHA3'") != NULL, "names it (%s)", err);
	snmpc_opts_set(&o.auth_proto, NULL);
	snmpc_opts_set(&o.priv_proto, "BLOWFISH");
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_CONFIG,
	       "an unknown privacy protocol");
	o.version = 1;
	is_int(snmpc_open(&s, &o, err, sizeof err), SNMPC_ERR_CONFIG, "SNMPv1 is not offered");
	snmpc_opts_free(&o);
}

static void
test_strerror(void)
{
	is_str(snmpc_strerror(SNMPC_ERR_TIMEOUT), "timeout", "timeout text");
	is_str(snmpc_strerror(SNMPC_ERR_AUTH), "authentication failure", "auth text");
	is_str(snmpc_strerror(SNMPC_ERR_NOSUCH), "no such object", "nosuch text");
	is_str(snmpc_strerror((enum snmpc_status)99), "SNMP error", "out of range");
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/glance-snmp-unit.XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_auth_file();
	test_module();
	test_open_config();
	test_strerror();
	const char *names[] = {"v3", "open", "group", "badkey", "badver"};
	for (size_t i = 0; i < 5; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return done_testing();
}
