# A private Postfix instance for integration tests (bash, source after
# lib.sh). It runs as root from its own config directory, listens only on
# 127.0.0.1, keeps its queue, data and log under the test's $T, and
# delivers every accepted message to discard(8), so nothing leaves it.
#
#   pf_setup DIR PORT   write DIR/main.cf and DIR/master.cf
#   postconf -c DIR -e 'name = value'   adjust before starting
#   pf_start DIR        check, start, wait for the port (returns 1 on failure)
#   pf_stop DIR         stop it (also done when the test exits)
#   pf_cert DIR NAME DAYS   make DIR/cert.pem + DIR/key.pem (self-signed,
#                       SAN NAME, valid DAYS days) and enable STARTTLS
#
# Restrictions set up by pf_setup, for tests of rejections:
#   RCPT rejected@example.test     550 5.1.1 (permanent)
#   RCPT busy@example.test         450 4.2.1 (temporary)
#   HELO/EHLO names under .local   554 5.7.1 Helo command rejected: Go away,
#                                  bad guy (.local) -- reported at RCPT time
#   MAIL FROM:<spammer@bad.test>   554 5.7.1 Sender address rejected

_pf_dirs=()

pf_setup() {
	local d=$1 port=$2 base
	base=$(dirname "$d")/$(basename "$d").var
	mkdir -p "$d" "$base/spool" "$base/data"
	# The daemons run as postfix: they must reach their directories.
	chown postfix "$base/data"
	chmod 755 "$(dirname "$d")"
	cat >"$d/main.cf" <<-EOF
		compatibility_level = 3.6
		queue_directory = $base/spool
		data_directory = $base/data
		maillog_file = $base/maillog
		maillog_file_prefixes = $base
		mail_owner = postfix
		setgid_group = postdrop
		inet_interfaces = 127.0.0.1
		inet_protocols = ipv4
		myhostname = mail.example.test
		mydomain = example.test
		myorigin = example.test
		mydestination = example.test
		mynetworks = 127.0.0.0/8
		smtpd_banner = \$myhostname ESMTP glance-test
		biff = no
		alias_maps =
		alias_database =
		local_recipient_maps =
		default_transport = discard:test
		local_transport = discard:test
		smtpd_peername_lookup = no
		smtp_dns_support_level = disabled
		smtpd_helo_required = yes
		smtpd_helo_restrictions = check_helo_access texthash:$d/helo_access
		smtpd_sender_restrictions = check_sender_access texthash:$d/sender_access
		smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
		smtpd_recipient_restrictions = check_recipient_access texthash:$d/rcpt_access
		smtpd_tls_security_level =
	EOF
	printf 'local REJECT Go away, bad guy (.local)\n' >"$d/helo_access"
	printf 'spammer@bad.test REJECT Sender address rejected\n' >"$d/sender_access"
	printf '%s\n' 'rejected@example.test 550 5.1.1 User unknown in local recipient table' \
		'busy@example.test 450 4.2.1 Mailbox busy, try again later' >"$d/rcpt_access"
	# The services smtpd needs to accept, queue and discard a message,
	# after the layout of Postfix's own master.cf; none chrooted.
	cat >"$d/master.cf" <<-EOF
		127.0.0.1:$port inet n - n - - smtpd
		pickup    unix  n       -       n       60      1       pickup
		cleanup   unix  n       -       n       -       0       cleanup
		qmgr      unix  n       -       n       300     1       qmgr
		tlsmgr    unix  -       -       n       1000?   1       tlsmgr
		rewrite   unix  -       -       n       -       -       trivial-rewrite
		bounce    unix  -       -       n       -       0       bounce
		defer     unix  -       -       n       -       0       bounce
		trace     unix  -       -       n       -       0       bounce
		verify    unix  -       -       n       -       1       verify
		flush     unix  n       -       n       1000?   0       flush
		proxymap  unix  -       -       n       -       -       proxymap
		showq     unix  n       -       n       -       -       showq
		error     unix  -       -       n       -       -       error
		retry     unix  -       -       n       -       -       error
		discard   unix  -       -       n       -       -       discard
		anvil     unix  -       -       n       -       1       anvil
		scache    unix  -       -       n       -       1       scache
		postlog   unix-dgram n  -       n       -       1       postlogd
	EOF
}

pf_cert() {
	local d=$1 name=$2 days=$3
	openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$days" \
		-subj "/CN=$name" -addext "subjectAltName=DNS:$name" \
		-keyout "$d/key.pem" -out "$d/cert.pem" 2>/dev/null || return 1
	postconf -c "$d" -e "smtpd_tls_cert_file = $d/cert.pem" \
		"smtpd_tls_key_file = $d/key.pem" "smtpd_tls_security_level = may"
}

pf_start() {
	local d=$1 port pidf
	port=$(sed -n 's/^127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$d/master.cf" | head -n 1)
	pidf=$(postconf -c "$d" -h queue_directory)/pid/master.pid
	postfix -c "$d" check >"$d/check.log" 2>&1 || { sed 's/^/# /' "$d/check.log"; return 1; }
	if ! postfix -c "$d" start >"$d/start.log" 2>&1; then
		sed 's/^/# /' "$d/start.log" "$(dirname "$d")/$(basename "$d").var/maillog" 2>/dev/null
		return 1
	fi
	_pf_dirs+=("$d")
	wait_for 5 test -s "$pidf"
	[ -s "$pidf" ] && track "$(tr -d ' ' <"$pidf")"
	wait_port "$port" 10
}

pf_stop() {
	local d=$1 pidf pid
	pidf=$(postconf -c "$d" -h queue_directory)/pid/master.pid
	pid=$(tr -d ' ' <"$pidf" 2>/dev/null)
	postfix -c "$d" stop >/dev/null 2>&1
	if [ -n "$pid" ]; then
		wait_for 3 gone "$pid" || kill -9 "$pid" 2>/dev/null
	fi
	return 0
}

_pf_cleanup() {
	local d
	for d in "${_pf_dirs[@]}"; do pf_stop "$d"; done
	_cleanup
}
trap _pf_cleanup EXIT
