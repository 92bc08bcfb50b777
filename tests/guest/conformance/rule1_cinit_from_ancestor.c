// SPDX-License-Identifier: GPL-2.0
/*
 * Rule 1: a namespace's init looks like a normal process to ancestor
 * namespaces.
 *
 * upstream: only SIGKILL and SIGSTOP are forced from an ancestor; any
 * other signal a cinit leaves at SIG_DFL is dropped (at send time, or at
 * dequeue if it was blocked), and kill() still returns 0.
 * rfc2007: an ancestor's default-action signal acts on cinit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <mqueue.h>

#ifndef PIDFD_SIGNAL_THREAD
#define PIDFD_SIGNAL_THREAD (1UL << 0)
#endif

#include "kselftest_harness.h"
#include "policy.h"
#include "pidns_trace.h"
#include "probe.h"

POLICY_FIXTURE(rule1);

static const struct probe_opts cinit_dfl = {
	.new_pidns = true,
	.disposition = PROBE_SIG_DFL,
};

/* upstream: @cinit lives on.  rfc2007: it dies of @sig. */
#define EXPECT_FATE_FROM_ANCESTOR(cinit, sig) do {				\
	if (rfc2007(variant)) {							\
		int status = probe_fate(cinit);					\
										\
		ASSERT_NE(-1, status) TH_LOG("cinit at SIG_DFL is alive %d ms "	\
			"after signal %d from its ancestor", PROBE_TIMEOUT_MS, sig); \
		ASSERT_TRUE(WIFSIGNALED(status))				\
			TH_LOG("cinit exited with status %#x", status);		\
		EXPECT_EQ(sig, WTERMSIG(status));				\
	} else {								\
		EXPECT_TRUE(probe_alive(cinit))					\
			TH_LOG("cinit at SIG_DFL died of signal %d from its ancestor", sig); \
	}									\
} while (0)

static int start_cinit(struct probe *cinit, const struct probe_opts *opts)
{
	probe_init(cinit, "cinit", NULL);
	return probe_start(cinit, opts);
}

TEST_F(rule1, kill_sigterm)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
	/* kill() from here: a sender cinit's namespace cannot name. */
	EXPECT_TRUE(pidns_trace_saw_from(SIGTERM, cinit.pid,
					 rfc2007(variant) ? "ancestor" : "invisible",
					 rfc2007(variant) ? "from_ancestor" : "init_ignored"));
}

TEST_F(rule1, kill_sigusr1)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, kill(cinit.pid, SIGUSR1));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGUSR1);
}

TEST_F(rule1, kill_sigrtmin)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, kill(cinit.pid, SIGRTMIN));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGRTMIN);
}

TEST_F(rule1, tgkill_sigterm)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, syscall(SYS_tgkill, cinit.pid, cinit.pid, SIGTERM));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

TEST_F(rule1, sigqueue_sigrtmin)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, sigqueue(cinit.pid, SIGRTMIN, (union sigval){ .sival_int = 42 }));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGRTMIN);
	/* A siginfo with a sender cinit's namespace cannot name. */
	EXPECT_TRUE(pidns_trace_saw_from(SIGRTMIN, cinit.pid,
					 rfc2007(variant) ? "ancestor" : "invisible",
					 rfc2007(variant) ? "from_ancestor" : "init_ignored"));
}

TEST_F(rule1, pidfd_send_signal_sigterm)
{
	struct probe cinit;
	int pidfd;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	pidfd = syscall(SYS_pidfd_open, cinit.pid, 0);
	ASSERT_LE(0, pidfd);
	ASSERT_EQ(0, syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

TEST_F(rule1, sigkill_kills_under_both_policies)
{
	struct probe cinit;
	int status;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, kill(cinit.pid, SIGKILL));
	status = probe_fate(&cinit);
	ASSERT_TRUE(status != -1 && WIFSIGNALED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	/* upstream forces it (as it does SIGSTOP): rule 1 lets nothing through. */
	EXPECT_EQ(rfc2007(variant), pidns_trace_saw(SIGKILL, cinit.pid, "from_ancestor"))
		TH_LOG("rule 1 was %s for an ancestor's SIGKILL",
		       rfc2007(variant) ? "not traced" : "traced under upstream");
}

TEST_F(rule1, sigstop_stops_under_both_policies)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, kill(cinit.pid, SIGSTOP));
	EXPECT_TRUE(probe_stopped(&cinit)) TH_LOG("cinit is not in state T after SIGSTOP");
	kill(cinit.pid, SIGKILL);
}

/* The dequeue-time drop: a blocked signal is queued, and decided on unblock. */
TEST_F(rule1, blocked_sigterm_then_unblocked)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of a blocked SIGTERM");
	/* The answer to UNBLOCK may never come under rfc2007: cinit dies first. */
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
	if (!rfc2007(variant)) {
		EXPECT_TRUE(pidns_trace_saw(SIGTERM, cinit.pid, "init_dropped"))
			TH_LOG("the dequeue-time drop did not decide");
	}
}

/*
 * Every thread of cinit blocks SIGTERM: the ancestor's SIGTERM waits on
 * the shared queue, marked, and decides when one thread unblocks it.
 */
TEST_F(rule1, all_threads_block_sigterm)
{
	const struct probe_opts cinit_threads_blocking = {
		.new_pidns = true, .disposition = PROBE_SIG_DFL, .threads = true,
		.blocked = SIGTERM,
	};
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_threads_blocking));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of a SIGTERM all its threads block");
	/* The answer may never come under rfc2007: cinit dies first. */
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

/*
 * No room in cinit's signal queue (RLIMIT_SIGPENDING 0): an ancestor's
 * sigqueue(SIGTERM) is pending without a queue entry, so without the
 * mark of its origin, and is dropped under both policies (the safe side).
 */
TEST_F(rule1, sigterm_without_queue_room_is_dropped)
{
	struct probe cinit;
	struct probe_result r;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_call(&cinit, probe_no_queue_room, 0, &r));
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, sigqueue(cinit.pid, SIGTERM, (union sigval){ .sival_int = 7 }));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL));
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of a SIGTERM with no queue entry");
}

/* A core-dumping signal misses complete_signal()'s fatal fast path. */
TEST_F(rule1, sigquit_with_rlimit_core_0)
{
	struct rlimit none = { 0, 0 };
	struct probe cinit;

	ASSERT_EQ(0, setrlimit(RLIMIT_CORE, &none));
	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, kill(cinit.pid, SIGQUIT));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGQUIT);
}

/*
 * The signals the kernel raises for faults.  Sent by a process they are
 * signals like any other, and rule 1 holds for them; the kernel must
 * not take an ancestor's tgkill(SIGSEGV) for a fault of cinit's own
 * (dequeue_synchronous_signal() picks faults out of the queue first).
 */
static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS };

typedef int (*send_fn)(pid_t pid, int sig);

static int by_kill(pid_t pid, int sig)
{
	return kill(pid, sig);
}

static int by_tgkill(pid_t pid, int sig)
{
	return syscall(SYS_tgkill, pid, pid, sig);
}

static int by_tkill(pid_t pid, int sig)
{
	return syscall(SYS_tkill, pid, sig);
}

static int by_rt_tgsigqueueinfo(pid_t pid, int sig)
{
	siginfo_t si = { .si_signo = sig, .si_code = SI_QUEUE };

	return syscall(SYS_rt_tgsigqueueinfo, pid, pid, sig, &si);
}

static int by_pidfd_to_the_thread(pid_t pid, int sig)
{
	int fd = syscall(SYS_pidfd_open, pid, 0), ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_pidfd_send_signal, fd, sig, NULL, PIDFD_SIGNAL_THREAD);
	close(fd);
	return ret;
}

/* Each fault signal, by @send, to a fresh cinit at SIG_DFL. */
static void fault_signals_from_ancestor(struct __test_metadata *_metadata,
					const FIXTURE_VARIANT(rule1) *variant, send_fn send)
{
	struct rlimit none = { 0, 0 };

	ASSERT_EQ(0, setrlimit(RLIMIT_CORE, &none));
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++) {
		int sig = fault_signals[i];
		struct probe cinit;

		ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
		ASSERT_EQ(0, send(cinit.pid, sig)) TH_LOG("signal %d: errno %d", sig, errno);
		EXPECT_FATE_FROM_ANCESTOR(&cinit, sig);
		probe_stop(&cinit);
	}
}

TEST_F(rule1, kill_fault_signals)
{
	fault_signals_from_ancestor(_metadata, variant, by_kill);
}

TEST_F(rule1, tgkill_fault_signals)
{
	fault_signals_from_ancestor(_metadata, variant, by_tgkill);
}

TEST_F(rule1, tkill_fault_signals)
{
	fault_signals_from_ancestor(_metadata, variant, by_tkill);
}

TEST_F(rule1, rt_tgsigqueueinfo_fault_signals)
{
	fault_signals_from_ancestor(_metadata, variant, by_rt_tgsigqueueinfo);
}

TEST_F(rule1, pidfd_thread_fault_signals)
{
	fault_signals_from_ancestor(_metadata, variant, by_pidfd_to_the_thread);
}

/*
 * A terminal's ^C is the kernel's, not the writer's: n_tty raises SIGINT
 * for the foreground process group from a kworker (flush_to_ldisc), with
 * SEND_SIG_PRIV.  Rule 1 is for signals processes send, so under both
 * policies a cinit at SIG_DFL whose terminal gets ^C lives, and one with
 * a handler gets SIGINT as the kernel's.
 */
static char pty_slave[64];	/* set before cinit is forked: it reads it */

/* In cinit: a new session, with the pty slave as its controlling tty. */
static int take_pty_as_ctty(long arg)
{
	int fd;

	(void)arg;
	if (setsid() < 0)
		return -1;
	fd = open(pty_slave, O_RDWR);
	if (fd < 0)
		return -1;
	return tcgetpgrp(fd) == getpgrp() ? 0 : (errno = ENOTTY, -1);
}

/* A cinit with @opts whose controlling terminal is a new pty; its master. */
static int start_cinit_on_pty(struct __test_metadata *_metadata, struct probe *cinit,
			      const struct probe_opts *opts)
{
	struct probe_result r;
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	ASSERT_LE(0, master) TH_LOG("posix_openpt: %s", strerror(errno));
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	snprintf(pty_slave, sizeof(pty_slave), "%s", ptsname(master));
	ASSERT_EQ(0, start_cinit(cinit, opts));
	ASSERT_EQ(0, probe_call(cinit, take_pty_as_ctty, 0, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("cinit cannot take %s as its terminal: errno %d",
				   pty_slave, r.err);
	return master;
}

TEST_F(rule1, tty_interrupt_is_kernel_generated)
{
	struct probe cinit;
	int master;

	master = start_cinit_on_pty(_metadata, &cinit, &cinit_dfl);
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(1, write(master, "\x03", 1));
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit at SIG_DFL died of its terminal's ^C");
	/* The tty's kworker raises it: the kernel's, under either policy. */
	EXPECT_TRUE(pidns_trace_wait_from(SIGINT, cinit.pid, "kernel", "init_ignored", 2000))
		TH_LOG("^C was not traced as the kernel's, ignored by cinit");
	close(master);
}

TEST_F(rule1, tty_interrupt_reaches_a_handling_cinit)
{
	const struct probe_opts cinit_handler = {
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
	};
	struct probe cinit;
	siginfo_t si;
	int master;

	master = start_cinit_on_pty(_metadata, &cinit, &cinit_handler);
	ASSERT_EQ(1, write(master, "\x03", 1));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si)) TH_LOG("no SIGINT came of ^C");
	EXPECT_EQ(SIGINT, si.si_signo);
	EXPECT_EQ(SI_KERNEL, si.si_code);
	EXPECT_EQ(0, si.si_pid);
	close(master);
}

/* A signal sent to a stopped cinit is decided when it continues. */
TEST_F(rule1, sigstop_sigterm_sigcont)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, kill(cinit.pid, SIGSTOP));
	ASSERT_TRUE(probe_stopped(&cinit));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_EQ(0, kill(cinit.pid, SIGCONT));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

/* pdeathsig: sent by the exiting parent, a process of the ancestor namespace. */
TEST_F(rule1, pdeathsig_sigterm_from_exiting_parent)
{
	const struct probe_opts cinit_pdeath_term = {
		.new_pidns = true, .disposition = PROBE_SIG_DFL, .pdeathsig = SIGTERM,
	};
	struct probe parent, cinit;

	/* cinit is re-parented to this test process when its parent exits. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	probe_init(&parent, "parent", NULL);
	probe_init(&cinit, "cinit", &parent);
	ASSERT_EQ(0, probe_start(&parent, &(struct probe_opts){ 0 }));
	ASSERT_EQ(0, probe_start_in(&parent, &cinit, &cinit_pdeath_term));
	ASSERT_EQ(0, pidns_trace_start());
	probe_cmd(&parent, PROBE_EXIT, 0, 0, NULL);
	ASSERT_NE(-1, probe_fate(&parent));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
	/* Sent without a siginfo (SEND_SIG_NOINFO), by a parent cinit cannot name. */
	EXPECT_TRUE(pidns_trace_saw_from(SIGTERM, cinit.pid,
					 rfc2007(variant) ? "ancestor" : "invisible",
					 rfc2007(variant) ? "from_ancestor" : "init_ignored"));
}

/* SIGNAL_UNKILLABLE is per process: a signal to any thread acts on the group. */
TEST_F(rule1, tgkill_sigterm_to_second_thread)
{
	const struct probe_opts cinit_threaded = {
		.new_pidns = true, .disposition = PROBE_SIG_DFL, .threads = true,
	};
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_threaded));
	ASSERT_NE(0, cinit.tid2) TH_LOG("cinit's second thread not found in /proc");
	ASSERT_EQ(0, syscall(SYS_tgkill, cinit.pid, cinit.tid2, SIGTERM));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

/*
 * legacy_queue() keeps only the first of two identical non-RT signals:
 * the first queued decides.  Inside first, then the ancestor: cinit lives.
 */
TEST_F(rule1, duplicate_sigterm_inside_first)
{
	struct probe_result r;
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_KILL, 1, SIGTERM, &r));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("the inside SIGTERM was queued first");
}

/* The ancestor first, then inside: the ancestor's entry decides. */
TEST_F(rule1, duplicate_sigterm_ancestor_first)
{
	struct probe_result r;
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_KILL, 1, SIGTERM, &r));
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

/*
 * The origin is decided when the signal is sent and kept with the queue
 * entry: switching the policy while it is pending changes nothing.
 */
TEST_F(rule1, policy_switch_while_pending)
{
	struct probe cinit;
	int other = rfc2007(variant) ? POLICY_UPSTREAM : POLICY_RFC2007;
	char value[2] = { '0' + other, 0 };

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_EQ(0, policy_write(value, 1));
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

/*
 * A sender in a sibling namespace is invisible to cinit but not its
 * ancestor: it reaches cinit, and a cinit nested below it, through their
 * shared process group (kill(0, ...)) and is treated as inside under both
 * policies.
 */
TEST_F(rule1, sibling_namespace_through_process_group)
{
	struct probe parent, cinit, nested, sibling;
	struct probe_result r;
	siginfo_t si;

	probe_init(&parent, "parent", NULL);
	probe_init(&cinit, "cinit", &parent);
	probe_init(&nested, "nested", &parent);
	probe_init(&sibling, "sibling", &parent);
	ASSERT_EQ(0, probe_start(&parent, &(struct probe_opts){ .disposition = PROBE_SIG_HANDLER }));
	ASSERT_EQ(0, probe_cmd(&parent, PROBE_SETPGID, 0, 0, &r));
	ASSERT_EQ(0, probe_start_in(&parent, &cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_start_in(&cinit, &nested, &cinit_dfl));
	ASSERT_EQ(0, probe_start_in(&parent, &sibling, &(struct probe_opts){
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER }));
	ASSERT_EQ(0, probe_cmd(&sibling, PROBE_KILL_SELF, 0, SIGTERM, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("kill(0, SIGTERM) from the sibling namespace: errno %d", r.err);
	/* The group got it: the parent, which handles it, saw it. */
	ASSERT_TRUE(probe_record(&parent, "parent", &si)) TH_LOG("kill(0) reached nobody");
	EXPECT_EQ(SIGTERM, si.si_signo);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("a sibling namespace's SIGTERM killed cinit");
	EXPECT_TRUE(probe_alive(&nested)) TH_LOG("a sibling namespace's SIGTERM killed a nested cinit");
}

/* Kernel-generated signals keep upstream behaviour: the global init is safe. */
TEST_F(rule1, global_init_ignores_sigkill)
{
	ASSERT_EQ(0, kill(1, SIGKILL));
	ASSERT_EQ(0, kill(1, 0)) TH_LOG("the global init is gone");
}

/*
 * A job-control stop from an ancestor: under rfc2007 it passes the init
 * rule, then the orphaned process group rule decides.  cinit here stays in
 * its creator's process group, which is not orphaned: it stops.
 */
TEST_F(rule1, sigtstp_in_creators_process_group)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(getpgrp(), getpgid(cinit.pid));
	ASSERT_EQ(0, kill(cinit.pid, SIGTSTP));
	if (rfc2007(variant)) {
		EXPECT_TRUE(probe_stopped(&cinit)) TH_LOG("cinit did not stop on SIGTSTP");
	} else {
		EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit did not ignore SIGTSTP");
	}
	kill(cinit.pid, SIGKILL);
}

/* The dequeue-time rule for a real-time signal (not kernel-only). */
TEST_F(rule1, blocked_sigrtmin_then_unblocked)
{
	struct probe cinit;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGRTMIN, NULL));
	ASSERT_EQ(0, sigqueue(cinit.pid, SIGRTMIN, (union sigval){ .sival_int = 1 }));
	ASSERT_TRUE(probe_alive(&cinit));
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGRTMIN, NULL);
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGRTMIN);
}

/*
 * Kernel-generated signals keep upstream behaviour under both policies: a
 * cinit's own interval timer raises SIGALRM from the timer interrupt, with
 * no sender, and a cinit at SIG_DFL ignores it.
 */
static int arm_itimer(long usec)
{
	struct itimerval it = { .it_value = { .tv_usec = usec } };

	return setitimer(ITIMER_REAL, &it, NULL);
}

TEST_F(rule1, own_timer_signal_is_kernel_generated)
{
	struct probe cinit;
	struct probe_result r;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, probe_call(&cinit, arm_itimer, 1000, &r));
	ASSERT_EQ(0, r.ret);
	/* The timer fired once the init rule has decided its signal. */
	EXPECT_TRUE(pidns_trace_wait(SIGALRM, cinit.pid, "init_ignored", PROBE_TIMEOUT_MS));
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit at SIG_DFL died of its own SIGALRM");
}

/* A real-time signal to the global init is ignored like any other. */
TEST_F(rule1, global_init_ignores_sigrtmin)
{
	ASSERT_EQ(0, sigqueue(1, SIGRTMIN, (union sigval){ .sival_int = 0 }));
	ASSERT_EQ(0, kill(1, 0)) TH_LOG("the global init is gone");
}

/*
 * A blocked signal is never ignored at send time, and sigtimedwait()
 * takes it without get_signal(): a cinit can wait for SIGTERM from its
 * ancestor even at SIG_DFL, under both policies.
 */
static int wait_for_sigterm(long unused)
{
	struct timespec limit = { .tv_sec = PROBE_TIMEOUT_MS / 1000 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	return sigtimedwait(&set, NULL, &limit);
}

TEST_F(rule1, sigtimedwait_takes_queued_ancestor_sigterm)
{
	struct probe cinit;
	struct probe_result r;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_EQ(0, probe_call(&cinit, wait_for_sigterm, 0, &r));
	EXPECT_EQ(SIGTERM, r.ret) TH_LOG("sigtimedwait: errno %d", r.err);
	EXPECT_TRUE(probe_alive(&cinit));
}

/*
 * Sent while cinit waits: sigtimedwait() has unblocked SIGTERM for the
 * wait, and real_blocked keeps it from being ignored.
 */
TEST_F(rule1, sigtimedwait_takes_ancestor_sigterm_while_waiting)
{
	struct probe cinit;
	struct probe_result r;
	pid_t sender;
	int status;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	/* A child of this test, in the root namespace, sends once cinit waits. */
	sender = fork();
	if (sender == 0)
		_exit(probe_unblocks(&cinit, SIGTERM) && kill(cinit.pid, SIGTERM) == 0 ? 0 : 1);
	ASSERT_EQ(0, probe_call(&cinit, wait_for_sigterm, 0, &r));
	EXPECT_EQ(SIGTERM, r.ret) TH_LOG("sigtimedwait: errno %d", r.err);
	ASSERT_EQ(sender, waitpid(sender, &status, 0));
	EXPECT_EQ(0, status) TH_LOG("the sender did not see cinit waiting");
	EXPECT_TRUE(probe_alive(&cinit));
}

/* mq_notify's signal, raised by mq_send() from the root namespace. */
static int notify_sigterm(long mqd)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGTERM };

	return mq_notify((mqd_t)mqd, &ev);
}

TEST_F(rule1, mq_notify_sigterm_from_ancestor)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct probe cinit;
	struct probe_result r;
	mqd_t mqd;

	mq_unlink("/rule1");
	mqd = mq_open("/rule1", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_NE((mqd_t)-1, mqd);
	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_call(&cinit, notify_sigterm, mqd, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("mq_notify: errno %d", r.err);
	ASSERT_EQ(0, mq_send(mqd, "x", 1, 0));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
	mq_close(mqd);
	mq_unlink("/rule1");
}

/*
 * mq_send() through the IPC namespace cinit shares with a sibling pid
 * namespace: the sender is invisible but no ancestor, so rule 1 treats
 * it as from inside: a cinit at SIG_DFL lives under both policies.
 */
static mqd_t shared_mqd;

static int send_to_shared_queue(long unused)
{
	return mq_send(shared_mqd, "x", 1, 0);
}

TEST_F(rule1, mq_send_from_sibling_namespace)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct probe cinit, sibling;
	struct probe_result r;

	mq_unlink("/rule1-sibling");
	shared_mqd = mq_open("/rule1-sibling", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_NE((mqd_t)-1, shared_mqd);
	probe_init(&cinit, "cinit", NULL);
	probe_init(&sibling, "sibling", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_start(&sibling, &(struct probe_opts){
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER }));
	ASSERT_EQ(0, probe_call(&cinit, notify_sigterm, shared_mqd, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("mq_notify: errno %d", r.err);
	ASSERT_EQ(0, probe_call(&sibling, send_to_shared_queue, 0, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("mq_send from the sibling: errno %d", r.err);
	EXPECT_TRUE(probe_alive(&cinit))
		TH_LOG("cinit died of SIGTERM from a sibling namespace's mq_send");
	mq_close(shared_mqd);
	mq_unlink("/rule1-sibling");
}

/*
 * A cinit that called setsid() is alone in an orphaned process group: a
 * job-control stop does nothing there, even when rfc2007 lets it through.
 */
static int new_session(long unused)
{
	return setsid() < 0 ? -1 : 0;
}

TEST_F(rule1, sigtstp_to_orphaned_cinit)
{
	struct probe cinit;
	struct probe_result r;

	ASSERT_EQ(0, start_cinit(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_call(&cinit, new_session, 0, &r));
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, kill(cinit.pid, SIGTSTP));
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("an orphaned cinit stopped on SIGTSTP");
	/* Under rfc2007 rule 1 let it through: the orphaned group's rule stopped it. */
	EXPECT_TRUE(pidns_trace_saw(SIGTSTP, cinit.pid,
				    rfc2007(variant) ? "from_ancestor" : "init_ignored"));
}

/*
 * A tracer that re-blocks an ancestor's signal it passes on: ptrace_signal()
 * requeues it, and the queue entry keeps its origin, so rule 1 decides
 * again when cinit unblocks it.
 */
/* cinit at SIG_DFL, seized by this process, stopped for our @sig. */
static void seize_and_stop_on(struct __test_metadata *_metadata, struct probe *cinit, int sig)
{
	int status;

	ASSERT_EQ(0, start_cinit(cinit, &cinit_dfl));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, cinit->pid, 0, 0));
	ASSERT_EQ(0, kill(cinit->pid, sig));
	status = probe_fate(cinit);
	ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == sig)
		TH_LOG("the tracer saw no stop for signal %d (status %#x)", sig, status);
}

TEST_F(rule1, traced_requeue_keeps_origin)
{
	/* The kernel's sigset, as PTRACE_SETSIGMASK takes it. */
	uint64_t block = 1ULL << (SIGTERM - 1);
	struct probe cinit;
	int status;

	seize_and_stop_on(_metadata, &cinit, SIGTERM);
	ASSERT_EQ(0, ptrace(PTRACE_SETSIGMASK, cinit.pid, sizeof(block), &block));
	ASSERT_EQ(0, ptrace(PTRACE_CONT, cinit.pid, 0, SIGTERM));
	/* Stop it again to detach: the requeued SIGTERM stays pending, blocked. */
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, cinit.pid, 0, 0));
	status = probe_fate(&cinit);
	ASSERT_TRUE(WIFSTOPPED(status)) TH_LOG("no stop after PTRACE_INTERRUPT (status %#x)", status);
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, cinit.pid, 0, 0));
	ASSERT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of a blocked, requeued SIGTERM");
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

/*
 * A tracer here resumes cinit with SIGTERM in place of the signal it
 * stopped for: the SIGTERM is the tracer's, and the tracer is an
 * ancestor's process (rule 1), even as it detaches.
 */
TEST_F(rule1, ancestor_tracer_substitutes_sigterm)
{
	struct probe cinit;

	/* Ignored by default, but a tracee stops for it. */
	seize_and_stop_on(_metadata, &cinit, SIGWINCH);
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, cinit.pid, 0, SIGTERM));
	EXPECT_FATE_FROM_ANCESTOR(&cinit, SIGTERM);
}

TEST_HARNESS_MAIN
