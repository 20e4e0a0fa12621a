# Test PKI for the TLS tests (sourced after lib.sh): a private root and
# intermediate CA made with openssl in $T/pki, and leaves with chosen
# dates, names, keys and signature hashes, all signed by `openssl ca` so
# any validity window can be written down exactly.
#
#   pki_init                      root + intermediate (EC P-256, SHA-256)
#   pki_leaf NAME [opts...]       $T/pki/NAME.pem, NAME.key, NAME.extra.pem
#                                 (the intermediate the server sends, if any)
#     --san SAN         subjectAltName (default DNS:localhost,IP:127.0.0.1)
#     --days N          valid from one hour ago until N days (+10 min) from now
#     --start YYYYMMDDHHMMSSZ --end YYYYMMDDHHMMSSZ   explicit window
#     --rsa BITS        an RSA key instead of EC P-256
#     --md sha1         signature hash (default sha256)
#     --self            self-signed instead of signed by the intermediate
#     --ext 'LINE'      one more extension line (AIA, TLS feature ...)
#     --ca CA           signed by CA: root, or a pki_subca name
#   pki_subca NAME DAYS           another intermediate, valid for DAYS
#   pki_root NAME                 an untrusted root CA
#   serve_tls NAME PORT [s_server args...]   openssl s_server on loopback

P=$T/pki

_pki_cnf() {
	# $1 = CA directory
	mkdir -p "$1"
	cat >"$1/ca.cnf" <<EOF
[ca]
default_ca = this
[this]
dir = $1
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
policy = any
unique_subject = no
default_md = sha256
copy_extensions = none
[any]
commonName = supplied
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
	mkdir -p "$1/new"
	: >"$1/index.txt"
	echo 1000 >"$1/serial"
}

pki_init() {
	mkdir -p "$P/root" "$P/int"
	_pki_cnf "$P/root"
	_pki_cnf "$P/int"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
		-subj "/CN=Glance Test Root" -days 3650 -keyout "$P/root/key.pem" \
		-out "$P/root/cert.pem" -addext "basicConstraints=critical,CA:true" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || return 1
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=Glance Test Intermediate" -keyout "$P/int/key.pem" \
		-out "$P/int/req.pem" 2>/dev/null || return 1
	openssl ca -batch -config "$P/root/ca.cnf" -cert "$P/root/cert.pem" \
		-keyfile "$P/root/key.pem" -md sha256 -days 3000 -extensions v3_ca \
		-extfile "$P/root/ca.cnf" -notext -in "$P/int/req.pem" \
		-out "$P/int/cert.pem" 2>/dev/null || return 1
	cp "$P/root/cert.pem" "$P/ca.pem"
}

pki_subca() {
	local d=$P/$1
	_pki_cnf "$d"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=Glance Test $1" -keyout "$d/key.pem" -out "$d/req.pem" 2>/dev/null &&
		openssl ca -batch -config "$P/root/ca.cnf" -cert "$P/root/cert.pem" \
			-keyfile "$P/root/key.pem" -md sha256 -startdate "$(_pki_date -3600)" \
			-enddate "$(_pki_date $(($2 * 86400 + 600)))" -extensions v3_ca \
			-extfile "$P/root/ca.cnf" -notext -in "$d/req.pem" -out "$d/cert.pem" 2>/dev/null
}

# pki_root NAME: another self-signed CA, in no trust store of the tests.
pki_root() {
	local d=$P/$1
	_pki_cnf "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
		-subj "/CN=Glance Test $1" -days 3650 -keyout "$d/key.pem" -out "$d/cert.pem" \
		-addext "basicConstraints=critical,CA:true" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

_pki_date() {
	# now + $1 seconds as YYYYMMDDHHMMSSZ
	date -u -d "@$(($(date +%s) + $1))" +%Y%m%d%H%M%SZ
}

pki_leaf() {
	local name=$1 san="DNS:localhost,IP:127.0.0.1" days=365 start="" end="" \
		rsa="" md=sha256 self="" ca=int ext=""
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--san) san=$2; shift ;;
		--days) days=$2; shift ;;
		--start) start=$2; shift ;;
		--end) end=$2; shift ;;
		--rsa) rsa=$2; shift ;;
		--md) md=$2; shift ;;
		--self) self=1 ;;
		--ca) ca=$2; shift ;;
		--ext) ext="$ext$2"$'\n'; shift ;;
		esac
		shift
	done
	[ -n "$start" ] || start=$(_pki_date -3600)
	[ -n "$end" ] || end=$(_pki_date $((days * 86400 + 600)))
	local keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	[ -n "$rsa" ] && keyopt=(-newkey "rsa:$rsa")
	printf '[leaf]\nbasicConstraints = CA:false\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\nsubjectKeyIdentifier = hash\n%s' \
		"$san" "$ext" >"$P/$name.ext"
	printf 'authorityKeyIdentifier = keyid:always\n' >>"$P/$name.ext"
	local cn=${san#*:}
	cn=${cn%%,*}
	openssl req -new "${keyopt[@]}" -nodes -subj "/CN=$cn" -keyout "$P/$name.key" \
		-out "$P/$name.req" 2>/dev/null || return 1
	if [ -n "$self" ]; then
		_pki_cnf "$P/self-$name"
		openssl ca -batch -selfsign -config "$P/self-$name/ca.cnf" -keyfile "$P/$name.key" \
			-md "$md" -startdate "$start" -enddate "$end" -extensions leaf \
			-extfile "$P/$name.ext" -notext -in "$P/$name.req" -out "$P/$name.pem" \
			2>"$P/$name.err" || return 1
		: >"$P/$name.extra.pem"
		return 0
	fi
	openssl ca -batch -config "$P/$ca/ca.cnf" -cert "$P/$ca/cert.pem" -keyfile "$P/$ca/key.pem" \
		-md "$md" -startdate "$start" -enddate "$end" -extensions leaf \
		-extfile "$P/$name.ext" -notext -in "$P/$name.req" -out "$P/$name.pem" \
		2>"$P/$name.err" || return 1
	if [ "$ca" = root ]; then
		: >"$P/$name.extra.pem"
	else
		cp "$P/$ca/cert.pem" "$P/$name.extra.pem"
	fi
}

# serve_tls NAME PORT [extra s_server args]: serves NAME's chain on
# 127.0.0.1:PORT until the test ends. SECLEVEL=0 so the server can load
# the weak certificates the tests want the plugin to report.
serve_tls() {
	local name=$1 port=$2 chain=()
	shift 2
	[ -s "$P/$name.extra.pem" ] && chain=(-cert_chain "$P/$name.extra.pem")
	openssl s_server -quiet -www -accept "127.0.0.1:$port" -cert "$P/$name.pem" \
		-key "$P/$name.key" "${chain[@]}" \
		-cipher 'DEFAULT:@SECLEVEL=0' "$@" </dev/null >"$T/s_server-$name.log" 2>&1 &
	track $!
	wait_port "$port" 10
}

# pki_revoke NAME: marks NAME revoked in the intermediate's index.
pki_revoke() {
	openssl ca -config "$P/int/ca.cnf" -cert "$P/int/cert.pem" -keyfile "$P/int/key.pem" \
		-revoke "$P/$1.pem" -crl_reason keyCompromise 2>/dev/null
}

# pki_staple NAME: $P/NAME.ocsp.der, the intermediate's OCSP answer for
# NAME made offline, for s_server -status_file.
pki_staple() {
	openssl ocsp -issuer "$P/int/cert.pem" -cert "$P/$1.pem" -no_nonce \
		-reqout "$P/$1.req.der" >/dev/null 2>&1 &&
		openssl ocsp -index "$P/int/index.txt" -CA "$P/int/cert.pem" \
			-rsigner "$P/int/cert.pem" -rkey "$P/int/key.pem" -reqin "$P/$1.req.der" \
			-respout "$P/$1.ocsp.der" -nmin 60 >/dev/null 2>&1
}

# serve_ocsp PORT [--hang]: the loopback OCSP responder for the intermediate.
serve_ocsp() {
	local port=$1
	shift
	python3 "$SRC/tests/integration/ocsp-responder.py" "$port" --index "$P/int/index.txt" \
		--ca "$P/int/cert.pem" --key "$P/int/key.pem" "$@" >"$T/ocsp-$port.log" 2>&1 &
	track $!
	wait_port "$port" 10
}
