# bench-insns.gdb: kill(2)'s path, one instruction at a time.
#
# Sourced after tests/gdb/lab.gdb by tests/host/bench-insns.sh, which sets
# the arguments (the guest runs signal-send-bench with LOOPS 10) and
# $lab_has_policy (1 on a kernel with kernel.pid_ns_signal_policy).
#
# Each write to /sys/kernel/debug/signal_send_bench (bench_write) makes
# 10 / 10 + 1 = 2 warm-up sends, then the timed ones: the first two of
# those are stepped through with stepi, from sys_kill's first instruction
# to its return, and each instruction is printed as x/i shows it, between
# "insns-begin PID SIG POLICY" and "insns-end" (POLICY -1: stock).  The
# signal handlers gdb passes on are stepped over, not into; under
# time-travel=inf-cpu the timer raises none anyway.

break bench_write
run
while $_isvoid($_exitcode)
  break *sys_kill
  set $lab_kill = $bpnum
  ignore $lab_kill 2
  continue
  set $lab_send = 0
  while $lab_send < 2
    if $lab_has_policy
      set $lab_policy = pid_ns_signal_policy
    else
      set $lab_policy = -1
    end
    printf "insns-begin %d %d %d\n", $rdi, $rsi, $lab_policy
    set $lab_entry_sp = $sp
    while $sp <= $lab_entry_sp
      x/i $pc
      stepi
    end
    printf "insns-end\n"
    set $lab_send = $lab_send + 1
    if $lab_send < 2
      continue
    end
  end
  delete $lab_kill
  continue
end
