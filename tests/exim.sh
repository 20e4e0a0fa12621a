# Debian's Exim for tests (bash, source after lib.sh). exim4 cannot be
# installed beside postfix, but its binary runs from a private directory:
# the .debs are fetched with apt-get download once, kept under the build
# directory, and unpacked into the test's own $T each run (never under the
# build directory: make reads every *.d file there, and a package's
# /etc/init.d would be one).
#
#   ex_fetch        sets EXIM to the unpacked exim4 binary, or returns 1
#                   with the reason in EX_WHY
#   ex_setup DIR    writes DIR/exim.conf with its spool under DIR; Exim
#                   queues only (no delivery is attempted)
#   ex_user         in a private mount namespace (unshare -m), adds the
#                   Debian-exim user Debian's build names to /etc/passwd
#                   and /etc/group by bind-mounting copies
#   exim_q ARGS...  runs the private Exim with its config

EX_UID=64999

ex_fetch() {
	local cache=$B/exim-cache f
	EXIM=$T/exim-root/usr/sbin/exim4
	if ! ls "$cache"/exim4-daemon-light_*.deb "$cache"/exim4-base_*.deb >/dev/null 2>&1; then
		mkdir -p "$cache" || { EX_WHY="cannot create $cache"; return 1; }
		if ! (cd "$cache" && apt-get download exim4-daemon-light exim4-base \
			>"$cache/download.log" 2>&1); then
			EX_WHY="apt-get download exim4-daemon-light exim4-base failed: $(tail -n 1 "$cache/download.log")"
			return 1
		fi
	fi
	for f in "$cache"/*.deb; do
		dpkg-deb -x "$f" "$T/exim-root" || { EX_WHY="dpkg-deb -x $f failed"; return 1; }
	done
	if ldd "$EXIM" | grep -q 'not found'; then
		EX_WHY="exim4 needs libraries that are not installed: $(ldd "$EXIM" | grep 'not found' | tr -s ' \t\n' ' ')"
		return 1
	fi
	return 0
}

ex_user() {
	cp /etc/passwd "$T/passwd" && cp /etc/group "$T/group" || return 1
	echo "Debian-exim:x:$EX_UID:$EX_UID:Exim:/nonexistent:/usr/sbin/nologin" >>"$T/passwd"
	echo "Debian-exim:x:$EX_UID:" >>"$T/group"
	mount --bind "$T/passwd" /etc/passwd && mount --bind "$T/group" /etc/group
}

ex_setup() {
	local d=$1
	mkdir -p "$d/spool"
	chown "$EX_UID:$EX_UID" "$d/spool"
	# Exim runs as Debian-exim and as the test user: both must reach it.
	chmod 755 "$(dirname "$d")" "$d"
	cat >"$d/exim.conf" <<-EOF
		spool_directory = $d/spool
		log_file_path = $d/spool/%slog
		primary_hostname = mail.example.test
		exim_user = Debian-exim
		exim_group = Debian-exim
		keep_environment =
		queue_only = true
		begin routers
		begin transports
	EOF
	EX_CONF=$d/exim.conf
}

exim_q() {
	"$EXIM" -C "$EX_CONF" "$@"
}
