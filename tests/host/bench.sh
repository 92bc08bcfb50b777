#!/bin/sh
# bench.sh: the lab's speed, as figures.
#
#   bench.sh SRC KBUILD UML RUNNER UML_ARGS...
#
# Prints: boot to init to power-off (median of BOOTS boots), the whole
# in-guest suite (one boot of `init -- test`), the incremental rebuild
# after touching kernel/signal.c, and, with BENCH_COLD=1, a cold build of
# the same config in a scratch O= folder with and without ccache.
set -eu

src=$1 kbuild=$2 uml=$3 runner=$4
shift 4
boots=${BOOTS:-11}
cc="ccache gcc"
command -v ccache >/dev/null || cc=gcc

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

report() { printf '  %-52s %8.3f s\n' "$1" "$2"; }

echo "bench: $(nproc) cores, kernel $(basename "$kbuild"), $*"

times=$(i=0; while [ $i -lt "$boots" ]; do
	t0=$(now)
	"$runner" -q -t 60 -- "$uml" "$@" umid=lab-bench-$$ -- run /bin/true
	elapsed "$t0" "$(now)"
	i=$((i + 1))
done)
report "boot + init + power-off (median of $boots)" "$(echo "$times" | median)"
printf '  %-52s %8.3f s .. %.3f s\n' "  range" "$(echo "$times" | sort -n | head -1)" \
	"$(echo "$times" | sort -n | tail -1)"

t0=$(now)
touch "$src/kernel/signal.c"
make -s -C "$src" ARCH=um O="$kbuild" CC="$cc" -j"$(nproc)" linux >/dev/null
report "incremental rebuild after touching kernel/signal.c" "$(elapsed "$t0" "$(now)")"

if [ "${BENCH_COLD:-0}" = 1 ]; then
	scratch=$kbuild-bench
	# A cache of its own, so that "cold" is: the first ccache build fills
	# it, the second (same folder: ccache keys include paths) is "warm".
	export CCACHE_DIR="$scratch-ccache"
	rm -rf "$CCACHE_DIR"
	for mode in no-ccache ccache-cold ccache-warm; do
		rm -rf "$scratch" && mkdir -p "$scratch"
		cp "$kbuild/.config" "$scratch/.config"
		t0=$(now)
		if [ $mode = no-ccache ]; then
			CCACHE_DISABLE=1 make -s -C "$src" ARCH=um O="$scratch" CC="$cc" -j"$(nproc)" linux >/dev/null
		else
			make -s -C "$src" ARCH=um O="$scratch" CC="$cc" -j"$(nproc)" linux >/dev/null
		fi
		report "cold build ($mode)" "$(elapsed "$t0" "$(now)")"
	done
	rm -rf "$scratch" "$CCACHE_DIR"
fi
