#!/bin/sh
# Run one kernel build and say how it goes, without kbuild's line per file.
#
#   kbuild.sh O_DIR MAKE [ARGS...]
#
# A cold build of the lab's config compiles some six hundred objects in
# five to seven minutes on two cores; silent, that looks like a hang.
# kbuild's own "  CC      kernel/signal.o" lines are counted instead of
# shown: every 100th prints how many so far and for how long (and of
# how many, once a build in O_DIR has finished before).  Warnings, errors
# and anything else kbuild says pass through.  The last line says how
# many objects were compiled and how long it took, so a log shows how
# often each kernel was built; O_DIR/.lab-build keeps it (for
# linux/kcidb-facts.sh).  The exit status is the build's.
set -u
obj=$1
shift
name=${obj#"$PWD"/}
count_file=$obj/.lab-objects
last=$(cat "$count_file" 2>/dev/null || echo)
status=$(mktemp)
trap 'rm -f "$status"' EXIT

start=$(date +%s)
{ "$@" 2>&1; echo $? > "$status"; } | {
	n=0
	while IFS= read -r line; do
		case $line in
		"  CC "*|"  AS "*|"  CC [M] "*)
			n=$((n + 1))
			[ $((n % 100)) = 0 ] &&
				echo "  KBUILD  $n${last:+ of about $last} objects, $(($(date +%s) - start)) s"
			;;
		"  "[A-Z]*" "*) ;;	# the other quiet command lines: LD, AR, GEN, ...
		*) printf '%s\n' "$line" ;;
		esac
	done
	echo "$n" > "$status.n"
}
rc=$(cat "$status")
n=$(cat "$status.n" 2>/dev/null || echo 0)
rm -f "$status.n"
if [ "$rc" = 0 ]; then
	# A full build's count is the next one's total.
	[ "$n" -ge 100 ] && echo "$n" > "$count_file"
	if [ "$n" = 0 ]; then
		echo "  KBUILD  $name: up to date"
	else
		echo "  KBUILD  $name: $n objects compiled in $(($(date +%s) - start)) s"
		# The build behind this kernel, for its KCIDB record.
		printf 'duration %s\nobjects %s\n' $(($(date +%s) - start)) "$n" > "$obj/.lab-build"
	fi
fi
exit "$rc"
