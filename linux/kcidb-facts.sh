#!/bin/sh
# What a run's kernels were built from, as facts for tests/host/kcidb.c.
#
#   kcidb-facts.sh SRC PATCHES_DIR [NAME KBUILD CONFIG_NAME PROGRAMS]...
#
# The checkout is the unpacked tarball (its Debian version and sha256, as
# prepare-src.sh recorded them) and the series (patchset_hash as KCIDB
# defines it: the sha256 of the patches' sha256 lines, in the order of
# PATCHES_DIR/series; the cover letter is not a patch).  Its id is derived from those two hashes,
# never from the lab-base commit, which every unpack re-creates with a
# new date.  Each build is named, with the folder kbuild built it in and
# the fragments it was configured from, and the programs that ran on it
# (a name or a suite such as "coverage/"; "*" for all the others); its
# id is the checkout's, its name and its .config's hash, so an unchanged
# build keeps its id.
set -eu
die() { echo "kcidb-facts: error: $*" >&2; exit 2; }
src=$1 dir=$2
shift 2
[ -r "$src/.git/lab-source" ] || die "$src/.git/lab-source is missing: is $src unpacked (make linux)?"
[ -r "$dir/series" ] || die "$dir/series is missing"
version=$(sed -n 1p "$src/.git/lab-source")
tarball_sha=$(sed -n 2p "$src/.git/lab-source")
patches=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$dir/series" | sed "s|^|$dir/|")
patchset_hash=$(for p in $patches; do sha256sum "$p"; done | cut -c-64 | sha256sum | cut -c-64)
# The schema's hash of no patches is the empty string.
[ -n "$patches" ] || patchset_hash=
checkout_id=$(printf '%s\n%s\n' "$tarball_sha" "$patchset_hash" | sha256sum | cut -c-16)

echo "checkout id $checkout_id"
echo "checkout package linux-source-6.12"
echo "checkout version $version"
echo "checkout tarball_sha256 $tarball_sha"
echo "checkout patchset_hash $patchset_hash"
# Each subject as git log shows it (a long one is folded over lines).
for p in $patches; do
	awk '/^Subject: / { s = $0; sub(/^Subject: (\[PATCH[^]]*\] )?/, "", s); getline
		while (/^[ \t]/) { sub(/^[ \t]+/, " "); s = s $0; getline }
		print "checkout patch " s; exit }' "$p"
done
while [ $# -ge 4 ]; do
	name=$1 kbuild=$2 config=$3 programs=$4
	shift 4
	[ -r "$kbuild/.config" ] || die "$kbuild/.config is missing: build $name first"
	echo "build $name id $checkout_id:$name-$(sha256sum < "$kbuild/.config" | cut -c-12)"
	echo "build $name config_name $config"
	echo "build $name compiler $(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$kbuild/.config")"
	[ ! -r "$kbuild/.lab-build" ] || sed "s/^/build $name /" "$kbuild/.lab-build"
	[ "$programs" = "*" ] || echo "runs $programs $name"
done
[ $# = 0 ] || die "a build needs NAME KBUILD CONFIG_NAME PROGRAMS, got: $*"
