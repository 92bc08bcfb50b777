#!/bin/sh
# bench-send.sh: kill(2)'s path timed in the kernel, patched against
# stock and rfc2007 against upstream.
#
#   bench-send.sh BOOTS BLOCKS OUT HOSTBIN PATCHED STOCK UML_ARGS...
#
# Alternates BOOTS boots of each kernel, each running signal-send-bench
# (tests/guest/bench/signal_send.c) for BLOCKS blocks.  Per case:
#   - ns per send: the median over boots of each boot's median block,
#     for the patched kernel at upstream, at rfc2007, and for stock;
#   - patched / stock at upstream: a pair per boot of each kernel in turn;
#   - rfc2007 / upstream: a pair per block of the patched boots (the two
#     policies of a block ran one after the other);
# each as the median ratio with a bootstrap 95 % interval (bench-ratio).
# Writes OUT/results.json, OUT/growth.txt (ns per send against namespace
# depth and against kill(-1)'s process count) and OUT/growth.png.  A boot
# whose benchmark did not finish fails the whole run: no time is printed
# from a partial one.
set -eu
boots=$1 blocks=$2 out=$3 bin=$4 patched=$5 stock=$6
shift 6
die() { echo "bench-send: error: $*" >&2; exit 1; }
[ -x "$stock" ] || die "no stock kernel at $stock (make stock-kbuild)"
mkdir -p "$out"
raw=$out/raw
: > "$raw"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
cores=$(nproc)
echo "  BENCH   kill(2) in the kernel: $boots boots of each kernel, $blocks blocks each; $cpu, $cores cores"

i=0
while [ "$i" -lt "$boots" ]; do
	for k in patched stock; do
		eval uml=\$$k
		"$bin/runner" -q -t 600 -l "$out/console.$k" -- "$uml" "$@" umid=lab-bench-send-$$ \
			-- run /bin/signal-send-bench "$blocks" >/dev/null ||
			die "the $k kernel's boot $i ended badly: $out/console.$k"
		tr -d '\r' < "$out/console.$k" > "$out/console.$k.txt"
		grep -q '^# signal-send-bench: done' "$out/console.$k.txt" ||
			die "the benchmark did not finish on the $k kernel (boot $i): $out/console.$k"
		awk -v i="$i" -v k="$k" '$1 == "send" { print i, k, $2, $3, $4 }' \
			"$out/console.$k.txt" >> "$raw"
	done
	i=$((i + 1))
done

# $1 kernel, $2 policy, $3 case: one median block per boot, "boot ns".
per_boot() {
	awk -v k="$1" -v p="$2" -v c="$3" '$2 == k && $4 == p && $3 == c { print $1, $5 }' "$raw" |
		sort -k1,1n -k2,2g | awk '
		{ v[$1, ++n[$1]] = $2 } END { for (b in n) { m = n[b]
			print b, (m % 2) ? v[b, (m + 1) / 2] : (v[b, m / 2] + v[b, m / 2 + 1]) / 2 } }' |
		sort -n
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cases=$(awk '{ print $3 }' "$raw" | awk '!seen[$0]++')
printf '  %-22s %9s %9s %9s  %-24s %-24s\n' case "stock ns" "upstream" "rfc2007" \
	"upstream/stock [95% CI]" "rfc2007/upstream [95% CI]"
{
	echo "{"
	echo "  \"machine\": {\"cpu\": \"$cpu\", \"cores\": $cores, \"host_kernel\": \"$(uname -r)\"},"
	echo "  \"boots\": $boots, \"blocks\": $blocks,"
	echo "  \"cases\": ["
} > "$out/results.json"
sep=
: > "$out/table"
for c in $cases; do
	stock_ns=$(per_boot stock stock "$c" | awk '{ print $2 }' | median)
	up_ns=$(per_boot patched upstream "$c" | awk '{ print $2 }' | median)
	rfc_ns=$(per_boot patched rfc2007 "$c" | awk '{ print $2 }' | median)
	per_boot stock stock "$c" > "$out/pairs.stock"
	per_boot patched upstream "$c" > "$out/pairs.patched"
	a=$(join "$out/pairs.stock" "$out/pairs.patched" | awk '{ print $2, $3 }' | "$bin/bench-ratio") ||
		die "case $c: too few boots for a ratio"
	b=$(awk -v c="$c" '$2 == "patched" && $3 == c { v[$1, $4, ++n[$1, $4]] = $5 }
		END { for (k in n) { split(k, p, SUBSEP); if (p[2] != "upstream") continue
			for (j = 1; j <= n[k]; j++) print v[p[1], "upstream", j], v[p[1], "rfc2007", j] } }' \
		"$raw" | "$bin/bench-ratio") || die "case $c: too few blocks for a ratio"
	set -- $a $b
	echo "$c $stock_ns $up_ns $rfc_ns" >> "$out/table"
	printf '  %-22s %9.1f %9.1f %9.1f  %.4f [%.4f, %.4f]  %.4f [%.4f, %.4f]\n' "$c" \
		"$stock_ns" "$up_ns" "$rfc_ns" "$1" "$2" "$3" "$5" "$6" "$7"
	printf '%s    {"case": "%s", "ns_per_send": {"stock": %s, "patched": %s, "rfc2007": %s},\n' \
		"$sep" "$c" "$stock_ns" "$up_ns" "$rfc_ns" >> "$out/results.json"
	printf '     "patched_vs_stock": {"ratio": %s, "ci_low": %s, "ci_high": %s, "pairs": %s},\n' \
		"$1" "$2" "$3" "$4" >> "$out/results.json"
	printf '     "rfc2007_vs_upstream": {"ratio": %s, "ci_low": %s, "ci_high": %s, "pairs": %s}}' \
		"$5" "$6" "$7" "$8" >> "$out/results.json"
	sep=",
"
done
printf '\n  ]\n}\n' >> "$out/results.json"

# Growth: ns per send against depth (legacy and RT), and kill(-1) against
# the number of processes, one row a point, one column a kernel/policy.
ns_of() { awk -v c="$1" -v col="$2" '$1 == c { print $col }' "$out/table"; }
{
	echo "# ns per send; stock, patched at upstream, patched at rfc2007 ($cpu, $cores cores)"
	echo "# depth  legacy: stock upstream rfc2007   rt: stock upstream rfc2007"
	for d in 1 8 32; do
		echo "$d $(ns_of depth${d}_legacy 2) $(ns_of depth${d}_legacy 3) $(ns_of depth${d}_legacy 4)" \
			"$(ns_of depth${d}_rt 2) $(ns_of depth${d}_rt 3) $(ns_of depth${d}_rt 4)"
	done
	printf '\n\n# processes  kill(-1): stock upstream rfc2007\n'
	for n in 100 1000 5000; do
		echo "$n $(ns_of kill_all_$n 2) $(ns_of kill_all_$n 3) $(ns_of kill_all_$n 4)"
	done
} > "$out/growth.txt"
sed -n '1,6p' "$out/growth.txt" | sed 's/^/  /'
gnuplot <<EOT || die "gnuplot could not draw $out/growth.png"
set terminal pngcairo size 1000,420 noenhanced
set output "$out/growth.png"
set multiplot layout 1,2 title "kill(2) in the kernel: $cpu, $cores cores"
set xlabel "pid namespace depth of the receiver"
set ylabel "ns per send (and flush)"
set logscale x 2
set key top left
plot for [c=2:4] "$out/growth.txt" index 0 using 1:c with linespoints \
	title word("stock upstream rfc2007", c - 1)." (legacy)", \
	for [c=5:7] "$out/growth.txt" index 0 using 1:c with linespoints dashtype 2 \
	title word("stock upstream rfc2007", c - 4)." (RT)"
set xlabel "processes kill(-1) walks"
set logscale x 10
plot for [c=2:4] "$out/growth.txt" index 1 using 1:c with linespoints \
	title word("stock upstream rfc2007", c - 1)
unset multiplot
EOT
echo "  RESULTS $out/results.json, $out/growth.txt, $out/growth.png"
