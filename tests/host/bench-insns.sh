#!/bin/sh
# bench-insns.sh: instructions per kill(2) send, patched against stock.
#
#   bench-insns.sh OUT RUNNER PATCHED_VMLINUX STOCK_VMLINUX UML_ARGS...
#
# Boots each kernel once under gdb (tests/host/bench-insns.gdb), which
# steps through two sends per case and policy of signal-send-bench and
# prints every instruction.  Unlike a time, the count is exact and the
# same from boot to boot: it says how much work the patched path adds to
# stock's, and where (the functions whose counts differ).  Writes
# OUT/insns.txt (the table and, per case, the functions that differ) and
# OUT/insns.json.  A boot that did not finish, or a case without its
# counts, fails the run.
set -eu
out=$1 runner=$2 patched=$3 stock=$4
shift 4
die() { echo "bench-insns: error: $*" >&2; exit 1; }
for v in "$patched" "$stock"; do
	[ -f "$v" ] || die "no kernel at $v (make kbuild stock-kbuild)"
done
mkdir -p "$out"
here=$(dirname "$0")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "  BENCH   instructions per kill(2), stepped by gdb; $cpu"

# $1 name, $2 vmlinux, $3 1 if it has the policy: OUT/insns.NAME, one
# line a counted send, "CASE POLICY SEND COUNT FUNCTION=COUNT...".
count() {
	log=$out/insns.$1.log
	"$runner" -q -t 900 -l "$log" -- "$(command -v gdb)" -batch -nx -q \
		-x "$here/../gdb/lab.gdb" -ex "set \$lab_has_policy = $3" \
		-ex "set args $* -- run /bin/signal-send-bench 1 10 100" \
		-x "$here/bench-insns.gdb" "$2" >/dev/null ||
		die "the $1 kernel's gdb session ended badly: $log"
	tr -d '\r' < "$log" | grep -q '^# signal-send-bench: done' ||
		die "the benchmark did not finish under gdb on the $1 kernel: $log"
	tr -d '\r' < "$log" | awk '
	function policy(p) { return p == -1 ? "stock" : p == 0 ? "upstream" : "rfc2007" }
	/^# case / { case_of[$5 " " $7] = $3 }
	/^insns-begin / { key = $2 " " $3; pol = policy($4); n = 0; split("", fn); on = 1; next }
	on && /^=> / { n++; f = $0; sub(/^[^<]*</, "", f); sub(/[+>].*/, "", f); fn[f]++; next }
	/^insns-end/ { on = 0; line[++lines] = key; pl[lines] = pol; cnt[lines] = n
		s = ""; for (f in fn) s = s " " f "=" fn[f]; fns[lines] = s
		sends[key, pol]++; no[lines] = sends[key, pol] }
	END { for (i = 1; i <= lines; i++) {
		if (!(line[i] in case_of)) { print "no case for pid/sig " line[i] > "/dev/stderr"; exit 1 }
		print case_of[line[i]], pl[i], no[i], cnt[i] fns[i] } }' > "$out/insns.$1" ||
		die "could not read the counts of the $1 kernel: $log"
	[ -s "$out/insns.$1" ] || die "no counts from the $1 kernel: $log"
}
count patched "$patched" 1 "$@"
count stock "$stock" 0 "$@"

# The second send of each case and policy: the first may still refill a
# cache.  Both are kept in OUT/insns.*; a difference is reported.
awk '
	{ k = $2; if ($3 == 1) first[$1, k] = $4; else { n[$1, k] = $4; row[$1, k] = $0 } }
	!($1 in seen) { seen[$1] = 1; order[++cases] = $1 }
	END {
		printf "  %-22s %8s %8s %8s  %-16s %s\n", "case", "stock", "upstream", "rfc2007",
			"upstream-stock", "rfc2007-upstream"
		for (i = 1; i <= cases; i++) { c = order[i]
			s = n[c, "stock"]; u = n[c, "upstream"]; r = n[c, "rfc2007"]
			printf "  %-22s %8d %8d %8d  %+6d (%+5.2f%%)  %+6d (%+5.2f%%)\n", c, s, u, r,
				u - s, 100 * (u - s) / s, r - u, 100 * (r - u) / u
			for (k in first) { split(k, p, SUBSEP)
				if (p[1] == c && first[k] != n[c, p[2]])
					printf "  %-22s note: %s first send %d, second %d\n", "", p[2], first[k], n[c, p[2]] } }
		print ""
		print "  functions whose instructions differ, upstream against stock:"
		for (i = 1; i <= cases; i++) { c = order[i]
			split("", d); line = ""
			m = split(row[c, "stock"], a, " "); for (j = 5; j <= m; j++) { split(a[j], q, "="); d[q[1]] -= q[2] }
			m = split(row[c, "upstream"], a, " "); for (j = 5; j <= m; j++) { split(a[j], q, "="); d[q[1]] += q[2] }
			for (f in d) if (d[f]) line = line sprintf(" %s %+d", f, d[f])
			printf "  %-22s%s\n", c, line == "" ? " none" : line } }
' "$out/insns.patched" "$out/insns.stock" > "$out/insns.txt"
cat "$out/insns.txt"
awk -v cpu="$cpu" 'BEGIN { printf "{\n  \"machine\": {\"cpu\": \"%s\"},\n  \"sends\": [\n", cpu }
	{ printf "%s    {\"case\": \"%s\", \"path\": \"%s\", \"send\": %d, \"instructions\": %d}",
		sep, $1, $2, $3, $4; sep = ",\n" }
	END { printf "\n  ]\n}\n" }' "$out/insns.patched" "$out/insns.stock" > "$out/insns.json"
echo "  RESULTS $out/insns.txt, $out/insns.json"
