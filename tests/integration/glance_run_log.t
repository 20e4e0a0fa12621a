#!/bin/bash
# What `glance run` says on stderr (a service's log) without -v: one line
# when it starts (config, checks, store, site), one per HARD state change,
# one per render; -q says nothing but errors; -v adds every result.
. "$(dirname "$0")/../lib.sh"

G=$B/glance
MP=/usr/lib/nagios/plugins
[ -x "$MP/check_dummy" ] || skip_all "check_dummy (monitoring-plugins-basic) is not installed"
mkdir -p "$T/bin"
# a check whose state is the number in $T/state
printf '#!/bin/sh\ns=$(cat "%s/state")\necho "FLIP $s"\nexit "$s"\n' "$T" >"$T/bin/flip"
chmod +x "$T/bin/flip"
echo 0 >"$T/state"
cat >"$T/g.conf" <<CONF
[site]
output = public
state = glance.db
path = $T/bin:$MP
render_every = 1
[defaults]
interval = 2
retry = 1
attempts = 1
timeout = 1
[system A]
ping = ok
[check A/ok]
command = check_dummy 0 fine
[check A/flip]
command = flip
CONF
START="glance: run --once $T/g.conf: 2 checks on 1 system, store $T/glance.db, site $T/public"

run "$G" run --once -c "$T/g.conf"
is "$rc" 0 "run --once: exit 0"
is "$(head -n 1 "$T/stderr")" "$START" "run --once: the first line says what it runs"
is "$(sed -n '2,3p' "$T/stderr" | sort)" "glance: A/flip: now OK (HARD): FLIP 0
glance: A/ok: now OK (HARD): OK: fine" "run --once: each first HARD state, one line each"
is "$(sed -n '4,$p' "$T/stderr")" "glance: rendered $T/public" "run --once: one line for the render"

echo 2 >"$T/state"
run "$G" run --once -c "$T/g.conf"
is "$(sed -n '2,$p' "$T/stderr")" "glance: A/flip: now CRITICAL (HARD): FLIP 2
glance: rendered $T/public" "run --once again: only the change, then the render"

run "$G" run --once -q -c "$T/g.conf"
is "$rc:$(cat "$T/stderr")" "0:" "-q: nothing on stderr"

run "$G" run --once -v -c "$T/g.conf"
is "$(grep -c ' SOFT \| HARD [0-9]' "$T/stderr")" 2 "-v: a line for every result"

# The loop: the start line, then a change and a render within seconds.
"$G" run -c "$T/g.conf" 2>"$T/loop.err" &
pid=$!
track "$pid"
echo 1 >"$T/state"
for _ in $(seq 1 100); do
	grep -q 'now WARNING' "$T/loop.err" && grep -q 'rendered' "$T/loop.err" && break
	sleep 0.1
done
is "$(head -n 1 "$T/loop.err")" "${START/run --once/run}" "run: the first line says what it runs"
like "$(cat "$T/loop.err")" $'\nglance: A/flip: now WARNING \\(HARD\\): FLIP 1(\n|$)' "run: the state change is logged"
like "$(cat "$T/loop.err")" $'\nglance: rendered '"$T/public"$'(\n|$)' "run: each render is logged"
kill "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
ok "$(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0)" "glance run stopped by its PID"
done_testing
