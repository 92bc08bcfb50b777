# Scenario "rfc2007-sigterm" (rule 1 under rfc2007): booted with
# sysctl.kernel.pid_ns_signal_policy=1, a root-namespace process sends
# SIGTERM to a cinit at SIG_DFL (pidns-demo 1).  signal_from_ancestor()
# says the signal comes from an ancestor, so cinit_ignores_signal() lets
# it through, and the cinit dies.

lab-reset
eval "set args %s sysctl.kernel.pid_ns_signal_policy=1 -- run /bin/pidns-demo 1", $lab_args
# send_signal_locked() asks signal_from_ancestor() under rfc2007 only.
break signal_from_ancestor if sig == 15
run
printf "rfc2007-sigterm: sender %s pid %d, namespace level %d -> receiver's namespace level %d\n", $lx_current().comm, $lx_current().pid, sender_ns->level, receiver_ns->level
finish
if $ == 1
  echo ok rfc2007-sigterm: signal_from_ancestor() is true\n
else
  echo not ok rfc2007-sigterm: signal_from_ancestor() is false\n
end
break cinit_ignores_signal if unkillable && sig == 15
continue
printf "rfc2007-sigterm: cinit_ignores_signal(sig %d, handler %p, force %d, from_ancestor %d)\n", sig, handler, force, from_ancestor
finish
if $ == 0
  echo ok rfc2007-sigterm: cinit_ignores_signal() lets the ancestor's SIGTERM through\n
else
  echo not ok rfc2007-sigterm: cinit_ignores_signal() drops the ancestor's SIGTERM\n
end
lab-finish
