# Scenario "masquerade" (rule 4): a root-namespace process sends SIGUSR1 to
# a cinit that handles it.  The sender has no pid in the cinit's namespace,
# so send_signal_locked() calls masquerade_sender() on the siginfo.
# Expect: si_pid is the sender's pid before the masquerade and 0 after.

set args $lab_uml_args -- run /bin/pidns-demo 4
break masquerade_sender
run
# Stopped on entry: the siginfo as the sender filled it in.
set $info = info
up
printf "masquerade: sender %s pid %d -> target %s pid %d (pid %d in its namespace)\n", $lx_current().comm, $lx_current().pid, t->comm, t->pid, t->thread_pid->numbers[t->thread_pid->level].nr
printf "masquerade: policy %d\n", pid_ns_signal_policy
printf "masquerade: before si_signo %d si_code %d si_pid %d si_uid %u\n", $info->si_signo, $info->si_code, $info->_sifields._kill._pid, $info->_sifields._kill._uid
down
finish
printf "masquerade: after  si_signo %d si_code %d si_pid %d si_uid %u\n", $info->si_signo, $info->si_code, $info->_sifields._kill._pid, $info->_sifields._kill._uid
if $info->_sifields._kill._pid == 0
  echo ok masquerade: si_pid is 0 after the masquerade\n
else
  echo not ok masquerade: si_pid is not 0 after the masquerade\n
end
delete
continue
