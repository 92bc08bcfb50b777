#!/bin/sh
# tooling.sh: the lab's own tools, on bad and on made-up input, as TAP.
#
#   KUNIT_PY=kunit.py tooling.sh HOSTBIN [UML UML_ARGS...] > tooling.tap
#
# What users rely on when something is wrong: bad input is a clear
# message and a non-zero exit, never a silent pass; the runner names a
# hung test; the coverage gate fails naming an untaken edge; the summary
# counts a program that never ran, an unlisted skip and an unfinished
# guest as failures; a KCIDB document the schema rejects is shown to be
# rejected.  Only the hang checks boot a kernel (UML, given
# UML_ARGS; two short boots).  Run from the repository's top folder
# (make test does).
set -u
bin=$1
shift
uml=${1:-}
[ $# = 0 ] || shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

# check NAME STATUS TEXT COMMAND...: COMMAND exits with STATUS ("nonzero":
# any but 0) and prints TEXT (on stdout or stderr).
check() {
	name=$1 want=$2 text=$3
	shift 3
	n=$((n + 1))
	out=$("$@" 2>&1)
	rc=$?
	case $want in
	nonzero) [ "$rc" != 0 ] ;;
	*) [ "$rc" = "$want" ] ;;
	esac && printf '%s\n' "$out" | grep -qF -- "$text"
	if [ $? = 0 ]; then
		echo "ok $n $name"
	else
		echo "# wanted exit status $want and \"$text\"; got $rc and:"
		printf '%s\n' "$out" | tail -15 | sed 's/^/#   /'
		echo "not ok $n $name"
	fi
}

# make with bad arguments (the targets check before anything boots)
check make.policy_is_checked nonzero "POLICY=bogus is not a policy" \
	make -s POLICY=bogus help
check make.trace_rule_is_checked nonzero "RULE=9 is not a rule" \
	make -s trace RULE=9
check make.unknown_test_is_named 2 "TESTS='no-such' matches no test program" \
	make -s test TESTS=no-such
check make.unknown_scenario_is_named 2 "no scenario 'no-such'" \
	make -s gdb SCENARIO=no-such

# runner: a guest that hangs is killed and its test named
check runner.names_the_hung_test 124 "while running conformance/x test x.upstream.hangs" \
	"$bin/runner" -q -t 1 -- /bin/sh -c \
	'echo "# running conformance/x"; echo "#  RUN           x.upstream.hangs ..."; sleep 60'
check runner.says_why_it_cannot_start 127 "cannot run /no/such/linux" \
	"$bin/runner" -q -t 1 -- /no/such/linux

# doctor: a host UML cannot run on is named before any boot
check doctor.names_refused_ptrace 1 "doctor: ptrace: a child cannot be traced" \
	"$bin/deny-ptrace" "$bin/doctor" -q
check doctor.rejects_a_memory_size_that_is_not_one 1 "mem=lots is not a size" \
	"$bin/doctor" -q -m lots
check doctor.names_a_memory_size_that_does_not_fit 1 "does not fit in" \
	"$bin/doctor" -q -m 100000G

# benchmarks: one that cannot run says why, and prints no time
check bench.send_names_a_missing_stock_kernel 1 "no stock kernel at $tmp/no-stock" \
	sh tests/host/bench-send.sh 1 1 "$tmp/bench" "$bin" "$uml" "$tmp/no-stock"
check bench.insns_names_a_missing_kernel 1 "no kernel at $tmp/no-vmlinux" \
	sh tests/host/bench-insns.sh "$tmp/bench" "$bin/runner" "$tmp/no-vmlinux" "$tmp/no-vmlinux"

# gate: a made-up source file, rule list and tracefiles
mkdir -p "$tmp/src" "$tmp/out"
printf 'int f(int x)\n{\n\tif (x)\n\t\treturn 1;\n\treturn 0;\n}\n' > "$tmp/src/f.c"
echo "1  f  f.c  branches" > "$tmp/rules.list"
: > "$tmp/none.list"
echo "f  +2  0,1  an edge no input takes" > "$tmp/why.list"
# info NAME TAKEN0 TAKEN1 [TEST-NAME]: a tracefile for f() with its two edges
info() {
	{
		[ -z "${4:-}" ] || echo "TN:$4"
		printf 'SF:%s/src/f.c\nFN:1,f\nFNDA:1,f\nDA:3,1\nDA:4,1\nDA:5,1\n' "$tmp"
		printf 'BRDA:3,0,0,%s\nBRDA:3,0,1,%s\nend_of_record\n' "$2" "$3"
	} >> "$tmp/$1.info"
}
info covered 1 1
info untaken 1 0
info two_names 1 0 upstream
info two_names 0 1 rfc2007
printf 'SF:%s/src/f.c\nend_of_record\n' "$tmp" > "$tmp/empty.info"
gate() { "$bin/gate" "$tmp/src" "$tmp/rules.list" "$1" "$tmp/out" "$tmp/$2.info"; }
check gate.passes_when_every_edge_is_taken 0 "gate: pass" gate "$tmp/none.list" covered
check gate.names_an_untaken_edge 1 "untaken edge 0,1 at line 3 (+2): if (x)" \
	gate "$tmp/none.list" untaken
check gate.accepts_a_listed_exclusion 0 "gate: pass" gate "$tmp/why.list" untaken
check gate.sums_the_test_names_of_a_tracefile 0 "gate: pass" gate "$tmp/none.list" two_names
check gate.fails_on_a_function_not_in_the_data 1 "f is not in the data" \
	gate "$tmp/none.list" empty
check gate.fails_a_stale_exclusion 1 "explains no untaken edge" \
	gate "$tmp/why.list" covered
for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "f  +2  0,$i  why $i"; done > "$tmp/long.list"
check gate.rejects_more_than_ten_exclusions 2 "more than 10 exclusions" \
	gate "$tmp/long.list" covered
echo "f  +2  0,1" > "$tmp/nowhy.list"
check gate.rejects_an_exclusion_without_its_reason 2 "not \"function +offset block,edge why\"" \
	gate "$tmp/nowhy.list" untaken
sed 's/^BRDA:3,0,1,0$/BRDA:3,0,one,0/' "$tmp/untaken.info" > "$tmp/garbled.info"
check gate.rejects_a_record_it_cannot_parse 2 "cannot parse \"BRDA:3,0,one,0\"" \
	gate "$tmp/none.list" garbled
# rules NAME TEXT: a rules list of its own for one check
rules() { printf '%s\n' "$2" > "$tmp/$1.rules"; }
gate_rules() { "$bin/gate" "$tmp/src" "$tmp/$1.rules" "$tmp/none.list" "$tmp/out" "$tmp/$2.info"; }
rules noneed "1  f  f.c"
check gate.rejects_a_rule_without_what_it_must_cover 2 "not \"rule function file" \
	gate_rules noneed covered
rules drift "1  f  f.c  branches:+1"
check gate.fails_an_offset_on_a_line_without_branches 1 "no branches at +1" \
	gate_rules drift covered
rules offset "1  f  f.c  branches:+2"
check gate.gates_the_line_an_offset_names 1 "untaken edge 0,1 at line 3 (+2)" \
	gate_rules offset untaken
sed 's/^DA:4,1$/DA:4,0/' "$tmp/covered.info" > "$tmp/unrun.info"
rules lines "1  f  f.c  lines:+3"
check gate.gates_the_lines_an_offset_names 1 "line 4 never ran" gate_rules lines unrun
rules other_line "1  f  f.c  lines:+4"
check gate.takes_only_the_lines_named 0 "gate: pass" gate_rules other_line unrun
sed 's/^FN:1,f$/FN:1,f\nFN:7,g/' "$tmp/covered.info" > "$tmp/two.info"
rules past_end "1  f  f.c  lines:+7"
check gate.fails_an_offset_past_its_function 1 "+7 is past the end of f (line 6)" \
	gate_rules past_end two
rules lines_drift "1  f  f.c  lines:+1"
check gate.fails_a_lines_offset_on_a_line_without_code 1 "no code at +1" \
	gate_rules lines_drift covered

# mutation: schemata's mutants of a made-up g(), compiled and run on the
# host; the report's gate
mkdir -p "$tmp/mut/in" "$tmp/mut/src"
printf '#include <stdbool.h>\nbool g(int x, int y)\n{\n\tif (x > 0 && !y)\n\t\treturn true;\n\treturn false;\n}\n' \
	> "$tmp/mut/in/g.c"
echo "1  g  g.c  branches" > "$tmp/mut/rules.list"
"$bin/schemata" "$tmp/mut/in" "$tmp/mut/rules.list" "$tmp/mut/src" "$tmp/mut/gen" >/dev/null
check schemata.names_each_mutant 0 "g+2.negate g+2.rel g+2.andor g+2.not g+3.negate g+4.negate g.true g.false" \
	awk '{ printf "%s%s", (NR > 1 ? " " : ""), $2 }' "$tmp/mut/gen/mutants.list"
check schemata.writes_a_patch_per_mutant 0 "+	if (x >= 0 && !y)" cat "$tmp/mut/gen/diffs/g+2.rel.diff"
# g(0, 0) is false, and true once x > 0 becomes x >= 0 (mutant 2)
printf '#include <stdbool.h>\n#include <stdio.h>\nbool g(int x, int y);\nextern int pidns_mutant;\n%s\n' \
	'int main(int c, char **v) { (void)c; pidns_mutant = v[1][0] - 48; printf("g(0,0)=%d\n", g(0, 0)); return 0; }' \
	> "$tmp/mut/main.c"
gcc -D'core_param(a,b,c,d)=' -o "$tmp/mut/g" "$tmp/mut/src/g.c" "$tmp/mut/main.c" 2>"$tmp/mut/cc.log"
check schemata.mutant_0_is_the_original 0 "g(0,0)=0" "$tmp/mut/g" 0
check schemata.selects_the_mutant_booted 0 "g(0,0)=1" "$tmp/mut/g" 2
: > "$tmp/mut/none"
awk '{ printf "%s\t%s\t1.0\t%s\t-\n", $2, $2 == "g+2.rel" ? "survived" : "killed", \
	$2 == "g+2.rel" ? "-" : "x: y" }' "$tmp/mut/gen/mutants.list" > "$tmp/mut/outcomes"
report() { "$bin/mutation-report" "$tmp/mut/gen" "$tmp/mut/outcomes" "$tmp/mut/none" "$tmp/mut/$1" \
	"$tmp/mut/report.json"; }
check mutation.fails_on_a_survivor 1 "g+2.rel (rule 1): survived" report none
awk '$2 == "g+2.rel" { print $2, $6, "no input reaches it" }' "$tmp/mut/gen/mutants.list" \
	> "$tmp/mut/equiv"
check mutation.does_not_count_a_listed_equivalent 0 "100.0%" report equiv
printf '%s\n' "checkout id c0ffee" "checkout package p" "checkout version 1" "checkout tarball_sha256 00" \
	"checkout patchset_hash $(printf '' | sha256sum | cut -c-64)" "build mutation id c0ffee:m-1" \
	> "$tmp/mut/facts"
mutants_kcidb() {
	"$bin/mutation-report" -k "$tmp/mut/r.ktap" "$tmp/mut/gen" "$tmp/mut/outcomes" "$tmp/mut/none" \
		"$tmp/mut/$1" "$tmp/mut/report.json" >/dev/null
	"$bin/kcidb" lab "$tmp/mut/facts" "$tmp/mut/r.ktap" > "$tmp/mut/kcidb.json" &&
		sh tests/host/kcidb-validate.sh tests/host/kcidb/kcidb.v5.3.schema.json "$tmp/mut/kcidb.json" &&
		cat "$tmp/mut/kcidb.json"
}
check mutation.sends_a_survivor_to_kcidb_as_a_failure 0 '"path": "mutation.rule1.g_2.rel", "status": "FAIL"' \
	mutants_kcidb none
check mutation.sends_an_equivalent_to_kcidb_as_a_skip 0 '"path": "mutation.rule1.g_2.rel", "status": "SKIP"' \
	mutants_kcidb equiv
echo "g+9.rel 0123456789abcdef what it was" > "$tmp/mut/gone"
check mutation.fails_on_an_equivalent_no_longer_generated 2 "g+9.rel is no longer generated" \
	report gone
echo "g+2.rel 0123456789abcdef what it was" > "$tmp/mut/moved"
check mutation.fails_on_an_equivalent_whose_code_moved 2 "g+2.rel now changes other code" \
	report moved
sed 's/^g.true	killed	1.0	x: y/g.true	error	1.0	the guest did not finish/' "$tmp/mut/outcomes" \
	> "$tmp/mut/outcomes.error"
check mutation.fails_on_a_boot_that_ended_in_error 1 "1 boots ended in error" \
	"$bin/mutation-report" "$tmp/mut/gen" "$tmp/mut/outcomes.error" "$tmp/mut/none" \
	"$tmp/mut/equiv" "$tmp/mut/report.json"
echo "g.true" > "$tmp/mut/g.true.nobuild"
check mutation.rejects_an_outcome_for_a_mutant_that_did_not_compile 2 "g.true has an outcome" \
	"$bin/mutation-report" "$tmp/mut/gen" "$tmp/mut/outcomes" "$tmp/mut/g.true.nobuild" \
	"$tmp/mut/equiv" "$tmp/mut/report.json"
sed -i '/^g.false	/d' "$tmp/mut/outcomes"
check mutation.fails_on_a_mutant_that_did_not_run 2 "have no outcome" report none
# build-schema.sh: a mutant the compiler refuses (here -Werror=parentheses
# on "a || b && c") is named and left out, and the schema built again
mkdir -p "$tmp/nb/in" "$tmp/nb/src"
printf '#include <stdbool.h>\nbool h(int x, int y)\n{\n\treturn x > 0 && y && x < 9;\n}\n' \
	> "$tmp/nb/in/h.c"
echo "1  h  h.c  branches" > "$tmp/nb/rules.list"
cp "$tmp/nb/in/h.c" "$tmp/nb/src/h.c"
check mutation.leaves_out_a_mutant_that_does_not_compile 0 "NOBUILD h+2.andor.1" \
	sh coverage/mutation/build-schema.sh "$bin/schemata" "$tmp/nb/in" "$tmp/nb/rules.list" \
	"$tmp/nb/src" "$tmp/nb/gen" "$tmp/nb/not-compiled" -- \
	gcc -D'core_param(a,b,c,d)=' -Werror=parentheses -c "$tmp/nb/src/h.c" -o "$tmp/nb/h.o"
check mutation.lists_what_did_not_compile 0 "h+2.andor.1" cat "$tmp/nb/not-compiled"
check make.mutation_rule_is_checked nonzero "RULE=9 is not a rule" make -s mutation RULE=9

# summary and count.sh: a made-up guest results folder written as KTAP
# and counted by kunit.py; PLAN defaults to the one case, TRAILING puts
# it last (as tooling.sh's own TAP does), NOPLAN leaves it out, DURATION
# times the program.
results() {
	rm -rf "$tmp/r" && mkdir -p "$tmp/r/suite"
	printf 'TAP version 13\n1..1\n# duration_s %s\n%s\n' "${DURATION:-1.5}" "$1" > "$tmp/r/summary.tap"
	if [ -n "${TRAILING:-}" ]; then
		printf 'TAP version 13\n%s\n1..%s\n' "$2" "${PLAN:-1}" > "$tmp/r/suite/prog.tap"
	elif [ -n "${NOPLAN:-}" ]; then
		printf 'TAP version 13\n%s\n' "$2" > "$tmp/r/suite/prog.tap"
	elif [ -n "$2" ]; then
		printf 'TAP version 13\n1..%s\n%s\n' "${PLAN:-1}" "$2" > "$tmp/r/suite/prog.tap"
	fi
	[ "$3" = finished ] && echo pass > "$tmp/r/status"
	return 0
}
echo "suite/prog:t.expected   why it cannot run here" > "$tmp/skips.list"
summary() {
	"$bin/summary" -s "$tmp/skips.list" -o "$tmp/r.ktap" "$tmp/r" suite/prog
	[ $? -lt 2 ] && sh tests/host/count.sh "$KUNIT_PY" "$tmp/r.ktap"
}
results "ok 1 suite/prog" "ok 1 t.fine" finished
check summary.counts_a_pass 0 "1 passed, 0 failed, 0 skipped" summary
results "ok 1 suite/prog" "ok 1 t.expected # SKIP no kcmp" finished
check summary.counts_a_listed_skip_as_a_skip 0 "0 passed, 0 failed, 1 skipped" summary
results "ok 1 suite/prog" "ok 1 t.other # SKIP no kcmp" finished
check summary.fails_an_unlisted_skip 1 "a skip not listed" summary
results "ok 0 suite/other" "" finished
check summary.fails_a_program_that_never_ran 1 "suite/prog: did not run" summary
results "ok 1 suite/prog" "ok 1 t.fine" unfinished
check summary.fails_a_guest_that_did_not_finish 1 "did not finish the run" summary
PLAN=3 results "ok 1 suite/prog" "ok 1 t.fine" finished
check summary.counts_the_cases_a_plan_lost_as_crashed 1 "1 passed, 2 failed, 0 skipped" summary
results "not ok 1 suite/prog # TIMEOUT after 2 s" "ok 1 t.fine" finished
check summary.fails_a_program_that_hung_after_its_cases 1 "0 passed, 1 failed" summary
results "ok 1 suite/prog" "ok 1 t.known # XFAIL not yet" finished
check summary.fails_an_expected_failure 1 "the lab expects no failure" summary
TRAILING=1 results "ok 1 suite/prog" "ok 1 t.fine" finished
check summary.takes_a_plan_given_last 0 "1 passed, 0 failed, 0 skipped" summary
results "ok 1 suite/prog" "not ok 1 t.other # SKIP no kcmp" finished
check summary.fails_a_skip_that_says_not_ok 1 "0 passed, 1 failed, 0 skipped" summary
results "ok 1 suite/prog" "$(printf '    KTAP version 1\n    # Subtest: sub\n    1..1\n    ok 1 a\nnot ok 1 sub')" finished
check summary.fails_a_subtest_that_failed_with_no_failing_case 1 "a subtest failed, none of its cases did" summary
NOPLAN=1 results "not ok 1 suite/prog # exit status 1" "$(printf 'ok 1 t.fine\nnot ok 2 # error')" finished
check summary.counts_a_nameless_failure_without_a_plan 1 "1 passed, 1 failed, 0 skipped" summary
echo "suite/other:t.expected   why" > "$tmp/skips.list"
results "ok 1 suite/prog" "ok 1 t.expected # SKIP no kcmp" finished
check summary.keys_expected_skips_by_program 1 "a skip not listed" summary
results "ok 1 suite/prog" "ok 1 t.fine" finished
check summary.totals_guest_and_host_apart 0 "guest total               1 passed" summary
PLAN=0 results "ok 1 suite/prog" "PASS (an older selftest, no TAP)" finished
check summary.counts_a_program_without_tap_by_its_exit 0 "1 passed, 0 failed" summary

# kcidb: the made-up run as a KCIDB document, checked against the schema
schema=tests/host/kcidb/kcidb.v5.3.schema.json
printf '%s\n' "checkout id c0ffee" "checkout package linux-source-6.12" "checkout version 1" \
	"checkout tarball_sha256 00" "checkout patchset_hash $(printf '' | sha256sum | cut -c-64)" \
	"checkout patch a: b" "build main id c0ffee:main-1" > "$tmp/facts"
kcidb() {
	"$bin/summary" -o "$tmp/r.ktap" "$tmp/r" suite/prog >/dev/null
	"$bin/kcidb" "${2:-lab}" "$tmp/facts" "$tmp/r.ktap" > "$tmp/$1.json" &&
		sh tests/host/kcidb-validate.sh $schema "$tmp/$1.json" && cat "$tmp/$1.json"
}
ids() { grep -o '"id": "[^"]*"' "$tmp/$1.json"; }
results "ok 1 suite/prog" "ok 1 rule1.upstream.kill" finished
check kcidb.writes_a_valid_document 0 '"path": "suite.prog.rule1.kill.upstream", "status": "PASS"' kcidb one
DURATION=9.25 results "ok 1 suite/prog" "ok 1 rule1.upstream.kill" finished
check kcidb.writes_a_programs_duration 0 '"duration": 9.250' kcidb two
same_ids() { [ -n "$(ids one)" ] && [ "$(ids one)" = "$(ids two)" ] && echo "ids alike"; }
check kcidb.ids_are_the_same_across_runs 0 "ids alike" same_ids
results "not ok 1 suite/prog # TIMEOUT after 2 s" "ok 1 t.fine" finished
check kcidb.writes_a_hang_as_error_with_its_bound 0 '"status": "ERROR", "duration": 1.500, "log_excerpt": "# TAP version 13\n# 1..1\n# ok 1 t.fine\n", "misc": {"timeout_s": 2}' \
	kcidb hang
results "ok 1 suite/prog" "ok 1 prog" finished
check kcidb.keeps_a_case_named_as_its_program_apart 0 '"path": "suite.prog.prog", "status": "PASS"' kcidb same
results "ok 0 suite/other" "" finished
check kcidb.writes_a_program_that_never_ran_as_miss 0 '"path": "suite.prog", "status": "MISS"' kcidb miss
check kcidb.refuses_a_bad_origin 2 "'Not-an-origin' is not a KCIDB origin" kcidb bad Not-an-origin
check make.kcidb_origin_is_checked nonzero "KCIDB_ORIGIN=x-y is not a KCIDB origin" \
	make -s help KCIDB_ORIGIN=x-y
broken() { sed "$1" "$tmp/one.json" > "$tmp/broken.json"; sh tests/host/kcidb-validate.sh $schema "$tmp/broken.json"; }
check kcidb.schema_rejects_a_bad_status 1 "'OK' is not one of" broken 's/"status": "PASS"/"status": "OK"/'
check kcidb.schema_rejects_a_bad_origin 1 "'Lab' does not match" broken 's/"origin": "lab"/"origin": "Lab"/g'
check kcidb.schema_rejects_a_bad_path 1 "'suite..prog' does not match" broken 's/"path": "suite.prog"/"path": "suite..prog"/'
check kcidb.schema_rejects_a_test_without_a_build 1 "'build_id' is a required property" \
	broken 's/"build_id": "[^"]*", //'

# sanitizer-reports.sh: a report in a console log is named with its test
printf '# running conformance/x\n#  RUN           x.upstream.y ...\nBUG: KASAN: slab-use-after-free in f+0x1\n' \
	> "$tmp/kasan.log"
check sanitizers.names_a_report_and_its_test 1 "report while running conformance/x test x.upstream.y" \
	sh tests/host/sanitizer-reports.sh "$tmp/kasan.log"
printf '# running stress/stress\n[   12.5] WARNING: inconsistent lock state\n' > "$tmp/lockdep.log"
check sanitizers.finds_any_lockdep_report 1 "report while running stress/stress:" \
	sh tests/host/sanitizer-reports.sh "$tmp/lockdep.log"
check sanitizers.passes_a_clean_log 0 "" sh tests/host/sanitizer-reports.sh "$tmp/covered.info"
check sanitizers.refuses_a_missing_log 2 "cannot read" sh tests/host/sanitizer-reports.sh "$tmp/no-such.log"

# hangs leave something to look at: init dumps a test's processes at its
# time limit (hang/cat reads the console, forever), the runner asks a hung
# guest's kernel for its blocked tasks
if [ -n "$uml" ]; then
	rootfs=$(printf '%s\n' "$@" | sed -n 's/^rootflags=//p')
	hung_test() {
		"$bin/runner" -q -t 60 -- "$uml" "$@" umid=lab-hang-init-$$ -- \
			test 2 -o /results/hang-$$ hang/cat >/dev/null 2>&1
		cat "$rootfs/results/hang-$$/hang/cat.tap"
	}
	hung_guest() {
		"$bin/runner" -q -t 8 -l "$tmp/hung.log" -- "$uml" "$@" umid=lab-hang-runner-$$ -- \
			run /bin/sleep 100 2>"$tmp/hung.err"
		rc=$?
		cat "$tmp/hung.err" "$tmp/hung.log.tasks"
		return $rc
	}
	check init.dumps_a_test_at_its_time_limit 0 "(cat) S" hung_test "$@"
	rm -rf "$rootfs/results/hang-$$"
	check runner.dumps_a_hung_guests_blocked_tasks 124 "sysrq: Show Blocked State" \
		hung_guest "$@"
fi

echo "1..$n"
