#!/bin/sh
# bench-rtt.sh: the signal round trip, patched against stock.
#
#   bench-rtt.sh BOOTS RUNNER PATCHED STOCK UML_ARGS...
#
# Alternates BOOTS boots of each kernel running /bin/signal-rtt; per path,
# prints the median ratio patched/stock of the paired boots and a
# distribution-free 95% confidence interval for it (order statistics of
# the paired ratios; for 10 pairs, the 2nd and 9th: 97.9%).
set -eu
boots=$1 runner=$2 patched=$3 stock=$4
shift 4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

i=0
while [ $i -lt "$boots" ]; do
	for k in patched stock; do
		eval uml=\$$k
		"$runner" -q -t 120 -l "$out/console" -- "$uml" "$@" umid=lab-rtt-$$ \
			-- run /bin/signal-rtt 2000
		grep -E '^[a-z_]+ [0-9]+' "$out/console" | tr -d '\r' |
			sed "s/^/$i $k /" >> "$out/all"
	done
	i=$((i + 1))
done

printf '  %-28s %12s %12s %8s  %s\n' "signal round trip" "stock ns" "patched ns" "ratio" "95% CI"
for path in $(awk '{ print $3 }' "$out/all" | sort -u); do
	awk -v p="$path" '$3 == p { v[$1, $2] = $4; n = $1 + 1 }
		END { for (i = 0; i < n; i++) print v[i, "stock"], v[i, "patched"], v[i, "patched"] / v[i, "stock"] }' \
		"$out/all" | sort -k3 -n > "$out/ratios"
	n=$(wc -l < "$out/ratios")
	lo=$(( (n + 9) / 10 )); [ $lo -lt 1 ] && lo=1
	hi=$(( n + 1 - lo ))
	awk -v n="$n" -v lo="$lo" -v hi="$hi" -v p="$path" '
		{ s[NR] = $1; q[NR] = $2; r[NR] = $3 }
		END {
			m = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
			for (i = 1; i <= n; i++) { ss += s[i]; qq += q[i] }
			printf "  %-28s %12.0f %12.0f %8.4f  [%.4f, %.4f]%s\n", p, ss / n, qq / n, m, r[lo], r[hi],
				(r[hi] <= 1.01) ? "" : (r[lo] > 1.01 ? "  slower" : "  inconclusive at 1%")
		}' "$out/ratios"
done
