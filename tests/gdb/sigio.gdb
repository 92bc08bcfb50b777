# Scenario "sigio" (rule 5): a root-namespace process makes a process
# inside a pid namespace the owner of a pipe (F_SETOWN) and writes to it
# (pidns-demo 5).  f_setown() resolved the owner in the setter's
# namespace, so send_sigio_to_task() reaches a process the writer's
# namespace sees; sigio_perm() compares the credentials saved at F_SETOWN
# time, not the writer's.  Check: the owner is signalled.

lab-reset
eval "set args %s -- run /bin/pidns-demo 5", $lab_args
break send_sigio_to_task if p->thread_pid->level > 0
run
set $owner = p
printf "sigio: writer %s pid %d -> owner %s pid %d (pid %d in its namespace), F_SETSIG %d\n", $lx_current().comm, $lx_current().pid, p->comm, p->pid, p->thread_pid->numbers[p->thread_pid->level].nr, fown->signum
printf "sigio: saved at F_SETOWN: uid %u euid %u; the owner's uid %u\n", fown->uid.val, fown->euid.val, p->real_cred->uid.val
break do_send_sig_info if p == $owner
continue
printf "sigio: do_send_sig_info(sig %d, ..., %s pid %d)\n", sig, p->comm, p->pid
# Refused by sigio_perm(), the owner's first signal is the SIGKILL of its
# namespace's teardown.
if sig == 29
  echo ok sigio: the owner in a child namespace passes sigio_perm() and gets SIGIO\n
else
  printf "not ok sigio: the owner got signal %d, not SIGIO\n", sig
end
lab-finish
