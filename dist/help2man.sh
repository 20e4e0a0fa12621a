#!/bin/sh
# dist/help2man.sh PROGRAM OUT: OUT, PROGRAM's manual page made by
# help2man from its own --help and --version, so the page never says
# anything the program's help does not. The NAME line is the help's first
# sentence; glance's page adds every subcommand's --help.
set -eu
prog=$1 out=$2
name=$(basename "$prog")
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if [ "$name" = glance ]; then
	desc="status page collector for Nagios-compatible checks"
	printf '[COMMANDS]\n' >"$tmp"
	for c in run render check-config notice maintenance; do
		printf '.SS "glance %s"\n.nf\n' "$c"
		# roff: a backslash is \e, a line may not start with . or '
		"$prog" "$c" --help | sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"
		printf '.fi\n'
	done >>"$tmp"
else
	# The sentence after the version line, up to its full stop.
	desc=$("$prog" --help | sed -n '2,4p' | tr '\n' ' ' | sed -e 's/\. .*//' -e 's/\.$//' -e 's/ *$//')
fi
# help2man refuses an empty --include file
inc=
[ -s "$tmp" ] && inc=--include=$tmp
# shellcheck disable=SC2086
help2man --no-info --section=1 --name="$desc" $inc --output="$out" "$prog"
