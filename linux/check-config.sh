#!/bin/sh
# Fail when a symbol a fragment asks for is not in the final .config.
#   check-config.sh .config fragment...
set -eu
config=$1; shift
status=0
for frag in "$@"; do
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)/\1=\2/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1=n/p' "$frag" |
	while IFS='=' read -r sym want; do
		got=$(sed -n -e "s/^$sym=\(.*\)/\1/p" -e "s/^# $sym is not set/n/p" "$config")
		[ -n "$got" ] || got=n
		if [ "$got" != "$want" ]; then
			echo "check-config: error: $frag asks for $sym=$want, the kernel has $sym=$got (a dependency is missing or it does not exist)" >&2
			exit 1
		fi
	done || status=1
done
exit $status
