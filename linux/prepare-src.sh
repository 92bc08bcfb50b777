#!/bin/sh
# Unpack the pinned tarball into a git tree and apply the patch series.
#
#   prepare-src.sh TARBALL SHA256 PKGVERSION SERIES_DIR SRC_DIR
#
# SRC_DIR becomes a git repository: one commit "pristine" (tag lab-base)
# holding the tarball, then one commit per patch (git am), so developers
# edit patches as commits and export them with `make patches`.  Re-running
# after the series changed resets to lab-base and re-applies; git only
# rewrites files whose content changed, so kbuild stays incremental.
set -eu

tarball=$1 want_sha=$2 want_version=$3 series_dir=$4 src=$5
series=$series_dir/series
stamp=$src/.git/lab-applied

die() { echo "prepare-src: error: $*" >&2; exit 1; }
lab_git() {
	dir=$1; shift
	git -C "$dir" -c user.name=pidns-signal-lab -c user.email=lab@localhost \
		-c advice.detachedHead=false "$@"
}

[ -r "$tarball" ] || die "$tarball is missing: install the linux-source-6.12 package (make deps)"
[ -r "$series" ] || die "$series is missing"

if [ ! -d "$src/.git" ]; then
	have_version=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	echo "  UNPACK  $tarball ($have_version)"
	have_sha=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$have_sha" != "$want_sha" ]; then
		echo "prepare-src: warning: tarball is $have_version (sha256 $have_sha)," >&2
		echo "prepare-src: warning: the series is pinned to $want_version (sha256 $want_sha)" >&2
	fi
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	git -C "$src.tmp" init -q
	# Debian's top-level .gitignore ignores everything: add with -f.
	git -C "$src.tmp" add -A -f .
	lab_git "$src.tmp" commit -q -m "pristine $(basename "$tarball") $have_version" \
		-m "sha256 $have_sha"
	lab_git "$src.tmp" tag lab-base
	mv "$src.tmp" "$src"
	printf '%s\n%s\n' "$have_version" "$have_sha" > "$src/.git/lab-source"
fi

# The series as it stands now: its file list and contents.
want=$(cd "$series_dir" && sed -e 's/#.*//' -e '/^[[:space:]]*$/d' series |
	while read -r p; do
		[ -r "$p" ] || { echo "MISSING $p"; continue; }
		sha256sum "$p"
	done)
case "$want" in *MISSING*)
	die "series names a patch that does not exist: $(echo "$want" | sed -n 's/^MISSING //p' | head -1)";;
esac

if [ -f "$stamp" ] && [ "$(sed 1d "$stamp")" = "$want" ]; then
	exit 0
fi

# Never throw away a developer's work: only reset a tree that is exactly
# what the last apply left.
if [ -f "$stamp" ]; then
	applied_head=$(head -1 "$stamp")
	[ "$(lab_git "$src" rev-parse HEAD)" = "$applied_head" ] ||
		die "$src has commits that are not in linux/patches: run 'make patches' to export them (or 'make distclean')"
	[ -z "$(lab_git "$src" status --porcelain --untracked-files=no)" ] ||
		die "$src has uncommitted changes: commit them and run 'make patches' (or 'make distclean')"
fi

lab_git "$src" reset -q --hard lab-base
echo "$want" | while read -r _ p; do
	[ -n "$p" ] || continue
	echo "  PATCH   $p"
	if ! out=$(lab_git "$src" am -q --keep-cr "$(cd "$series_dir" && pwd)/$p" 2>&1); then
		lab_git "$src" am --abort >/dev/null 2>&1 || true
		echo "$out" | grep -E '^(error|Patch failed)' >&2 || echo "$out" >&2
		die "linux/patches/$p does not apply to $(head -1 "$src/.git/lab-source")"
	fi
done
{ lab_git "$src" rev-parse HEAD; echo "$want"; } > "$stamp"
