# Scenario "kill-all" (rule 3): a process inside a pid namespace calls
# kill(-1, SIGUSR1) (pidns-demo 3).  kill_something_info() asks
# kill_all_includes() for each process; the namespace's own init has
# visible pid 1, and under the upstream policy it is skipped.

lab-reset
eval "set args %s -- run /bin/pidns-demo 3", $lab_args
break kill_all_includes if visible_pid == 1 && !global_init
run
printf "kill-all: caller %s pid %d, candidate with visible pid %d, policy %d\n", $lx_current().comm, $lx_current().pid, visible_pid, policy
finish
if $ == 0
  echo ok kill-all: upstream skips the caller's own namespace init\n
else
  echo not ok kill-all: upstream includes the caller's own namespace init\n
end
lab-finish
