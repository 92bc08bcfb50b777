# gdb set-up for the lab's UML kernel, sourced by `make gdb` and `make gdb-check`.
# gdb runs build/kernel/vmlinux (not build/linux: gdb auto-loads
# vmlinux-gdb.py, the kernel's lx-* helpers, by the file's name).

set pagination off
set confirm off
set print pretty off

# UML runs on host signals (arch/um/os-Linux/signal.c, 6.12): faults of its
# own address space (SIGSEGV, SIGBUS, SIGILL, SIGFPE), its interrupts
# (SIGIO), terminal resizes (SIGWINCH), its timer (SIGALRM) and the
# time-travel/IPI kick (SIGUSR1).  They are not bugs: pass them silently.
# SIGTRAP stays gdb's own.
handle SIGSEGV nostop noprint pass
handle SIGBUS nostop noprint pass
handle SIGILL nostop noprint pass
handle SIGFPE nostop noprint pass
handle SIGIO nostop noprint pass
handle SIGWINCH nostop noprint pass
handle SIGALRM nostop noprint pass
handle SIGUSR1 nostop noprint pass

# Each scenario starts from here: no breakpoints but the one on panic.
define lab-reset
  delete
  break panic
end

# Each scenario ends here: the guest runs on to its power-off.  Without
# the delete, a breakpoint hit again (say, in the namespace's teardown)
# would leave it stopped, to be killed by the next scenario's run.
define lab-finish
  delete
  continue
end

# A kernel panic reaches gdb as the SIGTERM UML sends its process group:
# stop at the panic itself instead.
lab-reset

