#!/bin/sh
# count.sh: count a run with the kernel's own KTAP parser, and say so last.
#
#   count.sh KUNIT_PY KTAP
#
# kunit.py parse (tools/testing/kunit, the tree's) reads the run's KTAP
# (tests/host/summary.c wrote it) and counts every case once; a case a
# plan promised and the output lost counts as crashed, a document it
# cannot follow as an error.  Its log goes next to KTAP (.parse.log).
# The last line is its count: "N passed, N failed, N skipped", failed
# being failed and crashed, then ", N errors" if it found any.  The exit
# status is 1 if anything failed or erred, 2 if kunit.py could not count.
set -u
kunit=$1 ktap=$2
log=${ktap%.ktap}.parse.log
[ -r "$ktap" ] || { echo "count: error: cannot read $ktap" >&2; exit 2; }
# Bounded: a document kunit.py cannot follow can make it loop.
timeout 120 /usr/bin/python3 "$kunit" parse "$ktap" > "$log" 2>&1
line=$(sed -n 's/.*Testing complete\. //p' "$log" | tail -1)
[ -n "$line" ] || { echo "count: error: kunit.py parse did not count $ktap (see $log)" >&2; exit 2; }
n() { v=$(printf '%s\n' "$line" | sed -n "s/.* $1: \([0-9]*\).*/\1/p"); echo "${v:-0}"; }
passed=$(n passed) failed=$(($(n failed) + $(n crashed))) skipped=$(n skipped) errors=$(n errors)
grep -F '[ERROR]' "$log" | sed 's/^\[[0-9:]*\] /  kunit.py  /'
echo "  kunit.py  $line"
more=
[ "$errors" = 0 ] || more=", $errors errors"
echo "$passed passed, $failed failed, $skipped skipped$more"
[ "$failed" = 0 ] && [ "$errors" = 0 ]
