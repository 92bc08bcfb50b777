#!/bin/sh
# check.sh: the kernel's static analyzers on the C files the lab's own
# patches touch, counting only what the series adds.
#
#   check.sh SRC BASE_SRC OUT CONFIG PATCH...
#
# Each C file that a PATCH (not a backport: those keep upstream's code as
# it is, as for checkpatch) touches and CONFIG builds is checked twice:
# in SRC, the patched tree, and in BASE_SRC, the same tree without the
# series.  Each tree is built in its own O= folder under OUT with CONFIG:
#   sparse      kbuild's C=2 (the checker on every file named)
#   W=1         the compiler's extra warnings, in the same build
#   kernel-doc  scripts/kernel-doc -none
#   coccinelle  scripts/coccicheck MODE=report, one make per object
# A finding is the tool's message with the text of its line in place of
# the line and column, so that code the series moves is not new; nor is
# one on a line the series rewrote if the base has the same message on
# a line the series took away.  What is left is new.  Each new one is printed as the
# tool said it and fails the check.  The result is kept in OUT and given
# again while the tree's series, CONFIG and this script are unchanged.
set -u
src=$1 base=$2 out=$3 config=$4
shift 4

# The series as the tree has it now, edits not yet exported included.
key=$({ cat "$0" "$config" "$@"; git -C "$src" diff lab-base; } | sha256sum | cut -c1-16)
if [ -f "$out/result" ] && [ "$(cat "$out/key" 2>/dev/null)" = "$key" ]; then
	sed 's/^/  CHECK   (unchanged) /' "$out/result"
	exit "$(cat "$out/status")"
fi
rm -f "$out/key" "$out/result" "$out/status"
mkdir -p "$out"

files=
for p in "$@"; do
	grep -Eq '^commit [0-9a-f]{40} upstream\.$' "$p" && continue
	files="$files $(sed -n 's|^diff --git a/\(.*\.c\) b/.*|\1|p' "$p")"
done
objs=
for f in $(echo $files | tr ' ' '\n' | sort -u); do
	# Built in this config (kbuild made its object for build/kernel)?
	[ -f "$(dirname "$config")/${f%.c}.o" ] && objs="$objs ${f%.c}.o"
done
[ -n "$objs" ] || { echo "check: error: the patches touch no C file this config builds" >&2; exit 2; }

# findings TREE: every tool's findings on the files, one per line, as
# "tool<TAB>normalised<TAB>as said" in $out/TREE.findings.
findings() {
	tree=$1 dir=$2 o=$out/$1
	mkdir -p "$o"
	cp "$config" "$o/.config"
	make -C "$dir" ARCH=um O="$o" --no-print-directory olddefconfig >/dev/null 2>&1 || {
		echo "check: error: $dir: make olddefconfig failed" >&2; return 1; }
	present=
	for obj in $objs; do
		[ -f "$dir/${obj%.o}.c" ] && present="$present $obj"
	done
	[ -n "$present" ] || { : > "$out/$tree.findings"; return 0; }
	# W=1 warns only about what it compiles: compile them again.
	for obj in $present; do rm -f "$o/$obj"; done
	make -C "$dir" ARCH=um O="$o" --no-print-directory -s -k -j"$(nproc)" \
		W=1 C=2 $present > "$o/build.log" 2>&1 || {
		echo "check: error: $dir: the build failed: $o/build.log" >&2; return 1; }
	grep -E '^[^ ]+:[0-9]+:([0-9]+:)? (warning|error):' "$o/build.log" |
		sed 's/^/compile+sparse\t/' > "$o/raw"
	for obj in $present; do
		(cd "$dir" && perl scripts/kernel-doc -none "${obj%.o}.c") 2>&1 | sed 's/^/kernel-doc\t/'
	done >> "$o/raw"
	: > "$o/cocci.log"
	for obj in $present; do
		make -C "$dir" ARCH=um O="$o" --no-print-directory -s C=2 CHECK="$dir/scripts/coccicheck" \
			MODE=report "$obj" >> "$o/cocci.log" 2>&1 || {
			echo "check: error: $dir: coccicheck failed on $obj: $o/cocci.log" >&2; return 1; }
	done
	grep -E '^[^ ]+:[0-9]+' "$o/cocci.log" | sed 's/^/coccinelle\t/' >> "$o/raw"
	# Paths relative to the tree; the line and column numbers give way
	# to the text of the line, which moves with the code.
	sed -e "s|$dir/||g" -e "s|$o/||g" "$o/raw" | awk -F '\t' -v dir="$dir" '
	function text(file, n,   l, i) {
		if (!(file in loaded)) {
			loaded[file]
			for (i = 1; (getline l < (dir "/" file)) > 0; i++)
				src[file, i] = l
			close(dir "/" file)
		}
		l = src[file, n]
		gsub(/^[ \t]+|[ \t]+$/, "", l)
		return l
	}
	{
		norm = $2
		if (match(norm, /^[^: ]+:[0-9]+/)) {
			split(substr(norm, 1, RLENGTH), at, ":")
			sub(/:[0-9]+(:[0-9]+)?(-[0-9]+)?:/, ":", norm)
			norm = norm " | " text(at[1], at[2])
		}
		print $1 "\t" norm "\t" $2
	}' > "$out/$tree.findings"
}

# The two trees at once (Coccinelle runs one file at a time); the base's
# findings are kept while it, CONFIG and this script are the same.
base_key=$({ cat "$0" "$config"; echo $objs; git -C "$base" rev-parse HEAD^{tree}; } |
	sha256sum | cut -c1-16)
findings patched "$src" & patched=$!
if [ "$(cat "$out/base.key" 2>/dev/null)" != "$base_key" ]; then
	rm -f "$out/base.key"
	findings base "$base" || { wait $patched; exit 2; }
	echo "$base_key" > "$out/base.key"
fi
wait $patched || exit 2

# The patched tree's findings that the base has not: matched first with
# the text of their line, then, for a line the series rewrote, by the
# message alone.
new=$(awk -F '\t' '
	function message(norm) { sub(/ \| .*/, "", norm); return norm }
	FILENAME == ARGV[1] { seen[$1 FS $2]++; next }
	seen[$1 FS $2]-- > 0 { next }
	{ left[++n] = $0 }
	END {
		for (k in seen)
			if (seen[k] > 0)
				base_only[message(k)] += seen[k]
		for (i = 1; i <= n; i++) {
			split(left[i], f, FS)
			if (base_only[f[1] FS message(f[2])]-- > 0)
				continue
			print f[1] ": " f[3]
		}
	}' "$out/base.findings" "$out/patched.findings")
{
	for tool in compile+sparse kernel-doc coccinelle; do
		n=$(grep -c "^$tool	" "$out/patched.findings")
		b=$(grep -c "^$tool	" "$out/base.findings")
		a=$(echo "$new" | grep -c "^$tool: ")
		echo "$tool on$objs: $n findings, $b without the series, $a new"
	done
	[ -z "$new" ] || echo "$new" | sed 's/^/new: /'
} > "$out/result"
sed 's/^/  CHECK   /' "$out/result"
status=0
[ -z "$new" ] || { status=1; echo "check: error: the series adds findings (above); $out/*/build.log" >&2; }
echo $status > "$out/status"
echo "$key" > "$out/key"
exit $status
