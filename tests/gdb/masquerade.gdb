# Scenario "masquerade" (rule 4): a root-namespace process sends SIGUSR1 to
# a cinit that handles it (pidns-demo 4).  The sender has no pid in the
# cinit's namespace, so send_signal_locked() calls masquerade_sender().
# Checks: si_pid is the sender's pid before the masquerade, 0 after.

lab-reset
eval "set args %s -- run /bin/pidns-demo 4", $lab_args
break masquerade_sender
run
set $info = info
up
printf "masquerade: sender %s pid %d -> target %s pid %d (pid %d in its namespace), policy %d\n", $lx_current().comm, $lx_current().pid, t->comm, t->pid, t->thread_pid->numbers[t->thread_pid->level].nr, pid_ns_signal_policy
printf "masquerade: before: si_signo %d si_code %d si_pid %d si_uid %u\n", $info->si_signo, $info->si_code, $info->_sifields._kill._pid, $info->_sifields._kill._uid
if $info->_sifields._kill._pid == $lx_current().pid
  echo ok masquerade: before, si_pid is the sender's pid in the root namespace\n
else
  echo not ok masquerade: before, si_pid is not the sender's pid\n
end
down
finish
printf "masquerade: after:  si_signo %d si_code %d si_pid %d si_uid %u\n", $info->si_signo, $info->si_code, $info->_sifields._kill._pid, $info->_sifields._kill._uid
if $info->_sifields._kill._pid == 0
  echo ok masquerade: after, si_pid is 0\n
else
  echo not ok masquerade: after, si_pid is not 0\n
end
lab-finish
