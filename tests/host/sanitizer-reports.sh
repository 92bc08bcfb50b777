#!/bin/sh
# sanitizer-reports.sh: the sanitizer reports in a guest's console log.
#
#   sanitizer-reports.sh CONSOLE_LOG
#
# Prints each KASAN, lockdep, RCU, UBSAN, atomic-sleep, list-corruption or
# WARN report with its first lines and the test that was running when it
# appeared (init's "# running" and the harness's "#  RUN" lines); exits 1
# if there is any, 0 if none, 2 if the log cannot be read.
set -u
[ -r "$1" ] || { echo "sanitizer-reports: error: cannot read $1" >&2; exit 2; }
tr -d '\r' < "$1" | awk '
	/^# running / { program = $3; test = "" }
	/^#  RUN / { test = $3 }
	# A kernel report opens with one of these at the start of a line:
	# BUG:/WARNING: (KASAN, lockdep, WARN(), sleeping in atomic context),
	# UBSAN:, or a hung-task or RCU stall notice.
	/^(\[ *[0-9.]+\] )?(BUG|WARNING|UBSAN): |^(\[ *[0-9.]+\] )?INFO: (task .* blocked|rcu_[a-z]* (self-)?detected|trying to register non-static key)|list_(add|del) corruption|kernel BUG at/ {
		printf "report while running %s%s%s:\n", program ? program : "(boot)", test ? " test " : "", test
		show = 6
		found++
	}
	show > 0 { print "    " $0; show-- }
	END { exit found ? 1 : 0 }'
