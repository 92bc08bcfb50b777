# Scenario "init-ignore" (rule 2): a process inside a pid namespace sends
# SIGKILL to its init, which is at SIG_DFL (pidns-demo 2).
# sig_task_ignored() asks cinit_ignores_signal(), which says: ignore.

lab-reset
eval "set args %s -- run /bin/pidns-demo 2", $lab_args
break cinit_ignores_signal if unkillable && sig == 9
run
printf "init-ignore: sender %s pid %d -> a namespace init, sig %d, handler %p, force %d, from_ancestor %d\n", $lx_current().comm, $lx_current().pid, sig, handler, force, from_ancestor
finish
if $ == 1
  echo ok init-ignore: cinit_ignores_signal() returns true for SIGKILL at SIG_DFL from inside\n
else
  echo not ok init-ignore: cinit_ignores_signal() returns false for SIGKILL from inside\n
end
lab-finish
