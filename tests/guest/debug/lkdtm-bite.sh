#!/bin/sh
# lkdtm-bite: provoke each bug named through the kernel's LKDTM, so that
# make test-debug can see the sanitizer kernel report it.
for t in "$@"; do
	echo "$t" > /sys/kernel/debug/provoke-crash/DIRECT
done
