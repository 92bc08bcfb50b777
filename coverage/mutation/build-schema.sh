#!/bin/sh
# build-schema.sh: write the mutant schema into the scratch tree and build it.
#
#   build-schema.sh SCHEMATA SRC RULES SCRATCH GEN NOT_COMPILED -- KBUILD_COMMAND...
#
# Runs schemata on the pristine SRC, copies each file it writes into the
# SCRATCH tree only where it changed (so that kbuild rebuilds nothing for
# an unchanged schema), then KBUILD_COMMAND.  A build error inside a
# mutant's copy (GEN/lines.map says whose) puts that mutant into
# NOT_COMPILED and the schema is built again without it; an error
# anywhere else is a real one, and fails.
set -u
schemata=$1 src=$2 rules=$3 scratch=$4 gen=$5 not_compiled=$6
shift 6
[ "$1" = -- ] && shift
out=$gen.out
log=$gen.build.log

: > "$not_compiled"
round=0
while :; do
	rm -rf "$gen" "$out"
	"$schemata" -s "$not_compiled" "$src" "$rules" "$out" "$gen" || exit 1
	for f in $(cat "$gen/files"); do
		cmp -s "$out/$f" "$scratch/$f" || cp "$out/$f" "$scratch/$f"
	done
	rm -rf "$out"
	if "$@" > "$log" 2>&1; then
		grep '^  KBUILD  [^0-9]' "$log"
		# Mutants make code compilers warn about (a || b && c): counted, not shown.
		n=$(grep -c 'warning:' "$log")
		[ "$n" = 0 ] || echo "  KBUILD  $n compiler warnings in the mutants' copies: $log"
		exit 0
	fi
	# file:line: error: ... inside a mutant's copy
	bad=$(sed -n 's|^\([^ :]*\.c\):\([0-9]*\):[0-9]*: error:.*|\1 \2|p' "$log" |
		while read -r file line; do
			awk -v f="$file" -v l="$line" '(f == $1 || substr(f, length(f) - length($1)) == "/" $1) &&
				l >= $2 && l <= $3 { print $4 }' "$gen/lines.map"
		done | sort -un)
	if [ -z "$bad" ] || [ $round = 3 ]; then
		tail -n 30 "$log" >&2
		echo "mutation: error: the mutant kernel does not build, and not because of a mutant: $log" >&2
		exit 1
	fi
	for n in $bad; do
		id=$(awk -v n="$n" '$1 == n { print $2 }' "$gen/mutants.list")
		echo "  NOBUILD $id"
		echo "$id" >> "$not_compiled"
	done
	round=$((round + 1))
done
