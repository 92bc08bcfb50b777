#!/bin/sh
# run-mutants.sh: boot the mutant schema once per mutant, JOBS at a time.
#
#   run-mutants.sh RUNNER UML ROOTFS GEN OUT JOBS BOUND SELECT PROGRAMS -- UML_ARGS...
#
# GEN is what schemata wrote (mutants.list), OUT where outcomes go.
# SELECT is the mutants' numbers to run, PROGRAMS the user-space test
# programs (the mutated rule's own run first).  Each boot runs the KUnit
# suite at boot, then PROGRAMS with init's -x (the first failing case
# ends the run), and is killed after BOUND seconds.  First, mutant 0 (the
# schema kernel unmutated) must pass everything: else every mutant would
# look killed.  OUT/outcomes gets a line per mutant, tab-separated:
#
#   id  outcome  seconds  first user-space failure  first KUnit failure
#
# outcome: killed (by the user-space suites), kunit-only, survived,
# timeout; error for a boot that proves nothing (the guest did not start
# or finish, with no panic to show for it).  A kernel that panics is
# killed, the panic named.  A line already in OUT/outcomes for the same
# schema, tests and arguments (OUT/schema names them) is not run again:
# an interrupted run resumes.  With MUT_FULL=1 (every mutant selected)
# the time goes into OUT/time.txt for make bench.
set -u
runner=$1 uml=$2 rootfs=$3 gen=$4 out=$5 jobs=$6 bound=$7 select=$8 programs=$9
shift 9
[ "$1" = -- ] && shift

# What an outcome depends on: the mutant kernel and its list, init, the
# test programs, the bound and the boot's arguments.
schema=$({ cat "$uml" "$gen/mutants.list" "$rootfs/init"
	for p in $programs; do cat "$rootfs/tests/$p"; done
	echo "$programs $bound $*"; } | sha256sum | cut -c1-16)
mkdir -p "$out/console"
if [ "$(cat "$out/schema" 2>/dev/null)" != "$schema" ]; then
	rm -rf "$out/outcomes" "$out/console"/*
	echo "$schema" > "$out/schema"
fi
touch "$out/outcomes"
before=$(wc -l < "$out/outcomes")

id_of() { awk -v n="$1" '$1 == n { print $2 }' "$gen/mutants.list"; }
has_outcome() { awk -F'\t' -v id="$1" '$1 == id { found = 1 } END { exit !found }' "$out/outcomes"; }

todo=
for n in $select; do
	has_outcome "$(id_of "$n")" || todo="$todo $n"
done
total=$(echo $todo | wc -w)
resumed=$(( $(echo $select | wc -w) - total ))
[ "$resumed" -gt 0 ] &&
	echo "  RESUME  $resumed mutants already run for these tests (rm $out/outcomes to start over)"
[ "$total" = 0 ] && exit 0
start=$(date +%s)

# The first "not ok" case of the first failing program, or its verdict.
first_user_failure() {
	awk '/^not ok / && $4 !~ /^kunit\// { print $4; exit }' "$1/summary.tap" 2>/dev/null |
	while read -r prog; do
		case=$(awk '/^not ok [0-9]+ / { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' \
			"$1/$prog.tap" 2>/dev/null)
		verdict=$(awk -v p="$prog" '$4 == p { sub(/.*# /, ""); print; exit }' "$1/summary.tap")
		echo "$prog: ${case:-$verdict}"
	done
}

first_kunit_failure() {
	awk '/^ +not ok [0-9]+ / { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' \
		"$1/kunit/signal_pidns.tap" 2>/dev/null
}

# boot N ID RULE [UML_ARGS...]: one boot with pidns_mutant=N; sets rc,
# secs, user, kunit and outcome.
boot() {
	n=$1 id=$2 rule=$3
	shift 3
	res=$rootfs/results/mut-$n
	log=$out/console/$id.log
	# The mutated rule's own program first: it is the likeliest to fail.
	first=$(echo $programs | tr ' ' '\n' | grep "/rule${rule}_")
	rest=$(echo $programs | tr ' ' '\n' | grep -v "/rule${rule}_")
	rm -rf "$res"; mkdir -p "$res"
	t0=$(date +%s.%N)
	"$runner" -q -t "$bound" -l "$log" -- "$uml" "$@" kunit.enable=1 pidns_mutant="$n" \
		umid=lab-mut-$n-$$ -- test 60 -x -o /results/mut-$n kunit/signal_pidns $first $rest \
		2>"$log.err" &
	echo $! > "$out/runner.$w"
	wait $!
	rc=$?
	rm -f "$out/runner.$w"
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	user=$(first_user_failure "$res") kunit=$(first_kunit_failure "$res")
	panic=$(grep -m1 -E 'Kernel panic|BUG:|Oops|general protection' "$log" | tr -d '\r' | cut -c1-120)
	if [ $rc = 124 ]; then
		outcome=timeout user=$(grep -m1 'runner:' "$log.err")
	elif [ ! -e "$res/status" ] && [ -n "$panic" ]; then
		outcome=killed user="crash: $panic"
	elif [ ! -e "$res/status" ]; then
		outcome=error user="the guest did not finish (runner status $rc): $(grep -v '^ *$' \
			"$log.err" "$log" 2>/dev/null | tail -n 1 | tr -d '\r' | cut -c1-120)"
	elif [ -n "$user" ]; then
		outcome=killed
	elif [ -n "$kunit" ]; then
		outcome=kunit-only
	elif grep -qx pass "$res/status"; then
		outcome=survived
	else
		outcome=error user="failed, but not by a test: $(grep -m1 '^not ok' "$res/summary.tap")"
	fi
	rm -rf "$res"
}

# Ctrl-C or a kill: stop the workers and their runners (each takes its
# guest down), then us.
workers=
stop() {
	for p in $workers; do
		kill -TERM "$p" 2>/dev/null
	done
	for f in "$out"/runner.*; do
		[ -e "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	wait
	rm -f "$out"/runner.*
	echo "mutation: interrupted; make mutation again resumes" >&2
	exit 130
}
trap stop INT TERM

# Mutant 0 is the original: it must pass, or no outcome means anything.
if [ "$(cat "$out/control" 2>/dev/null)" != "$schema" ]; then
	w=control
	boot 0 unmutated 0 "$@"
	[ $rc = 130 ] && exit 130
	if [ "$outcome" != survived ]; then
		echo "mutation: error: the schema kernel fails unmutated (pidns_mutant=0): $outcome" \
			"${user:-$kunit}; console: $out/console/unmutated.log" >&2
		exit 1
	fi
	echo "$schema" > "$out/control"
	printf '  CONTROL pidns_mutant=0 passes every test (%.1f s)\n' "$secs"
fi

run_one() {
	n=$1
	shift
	boot "$n" "$(id_of "$n")" "$(awk -v n="$n" '$1 == n { print $3 }' "$gen/mutants.list")" "$@"
	[ $rc = 130 ] && return 130
	printf '%s\t%s\t%.1f\t%s\t%s\n' "$id" "$outcome" "$secs" "${user:--}" "${kunit:--}" \
		>> "$out/outcomes"
	finished=$(( $(wc -l < "$out/outcomes") - before ))
	elapsed=$(( $(date +%s) - start ))
	printf '  %3d/%d  %-52s rule %s  %-10s %5.1f s  (%d s left)\n' "$finished" "$total" "$id" \
		"$rule" "$outcome" "$secs" $(( elapsed * (total - finished) / finished ))
}


w=0
while [ $w -lt "$jobs" ]; do
	(
		i=0
		for n in $todo; do
			[ $((i % jobs)) = $w ] && { run_one "$n" "$@" || exit 130; }
			i=$((i + 1))
		done
	) &
	workers="$workers $!"
	w=$((w + 1))
done
rc=0
for p in $workers; do
	wait "$p" || rc=$?
done
[ $rc = 0 ] || exit $rc
# The figure make bench quotes: a run that booted every mutant.
secs=$(( $(date +%s) - start ))
line="  TIME    $total mutants booted in $secs s ($(echo "scale=1; $secs / $total" | bc) s a mutant, $jobs guests at once)"
echo "$line"
[ "$resumed" = 0 ] && [ "${MUT_FULL:-}" = 1 ] && echo "$line" > "$out/time.txt"
exit 0
