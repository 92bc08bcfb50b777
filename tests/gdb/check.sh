#!/bin/sh
# check.sh: turn a gdb-check log into TAP.
#
#   check.sh LOG SCENARIO_SCRIPT... > scenarios.tap
#
# Every `echo ok ...` in a scenario script is one check; gdb prints it
# (or its `not ok` twin) when the scenario reaches it.  A check that never
# printed (a breakpoint never hit, a script error) is a failure, named.
set -eu
log=$1
shift
echo "TAP version 13"
echo "1..$(grep -h '^ *echo ok ' "$@" | wc -l)"
n=0
for script in "$@"; do
	name=$(basename "$script" .gdb)
	grep '^ *echo ok ' "$script" | sed -e 's/^ *echo ok //' -e 's/\\n$//' |
	while IFS= read -r check; do
		n=$((n + 1))
		if grep -qxF "ok $check" "$log"; then
			echo "ok $n gdb.$check"
		else
			# The not-ok twin says what gdb saw instead; else nothing came.
			seen=$(grep "^not ok $name: " "$log" | head -1)
			echo "# ${seen:-$name: the check was never reached (breakpoint not hit?)}"
			echo "not ok $n gdb.$check"
		fi
	done
	n=$((n + $(grep -c '^ *echo ok ' "$script")))
done
