// SPDX-License-Identifier: GPL-2.0
/*
 * Rule 5: SIGIO may be routed to any process in the caller's namespace or
 * a descendant one.  The same under both policies (no policy branch).
 *
 * F_SETOWN resolves the pid in the caller's namespace (find_vpid), so a
 * pid the caller cannot see fails with ESRCH.  Plain SIGIO arrives as
 * SI_KERNEL, pid 0; with F_SETSIG the signal carries POLL_IN and the fd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "probe.h"

POLICY_FIXTURE(rule5);

static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts plain_handler = { .disposition = PROBE_SIG_HANDLER };

/* A pipe whose read end raises @sig (0: plain SIGIO) at @owner on input. */
static void async_pipe(struct __test_metadata *_metadata, int pipefd[2], pid_t owner, int sig)
{
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, fcntl(pipefd[0], F_SETOWN, owner));
	ASSERT_EQ(0, fcntl(pipefd[0], F_SETSIG, sig));
	ASSERT_EQ(0, fcntl(pipefd[0], F_SETFL, O_ASYNC | O_NONBLOCK));
}

static void start_receiver(struct __test_metadata *_metadata, struct probe *cinit,
			   struct probe *receiver)
{
	probe_init(cinit, "cinit", NULL);
	probe_init(receiver, "receiver", cinit);
	ASSERT_EQ(0, probe_start(cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(cinit, receiver, &plain_handler));
}

/*
 * A write into an async pipe owned by @owner (F_SETSIG @sig, 0: plain
 * SIGIO) raises a signal; @receiver's handler reports what it got.
 */
static void raise_on_write(struct __test_metadata *_metadata, int pipefd[2],
			   struct probe *receiver, pid_t owner, int sig, siginfo_t *si)
{
	async_pipe(_metadata, pipefd, owner, sig);
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	ASSERT_TRUE(probe_record(receiver, receiver->name, si))
		TH_LOG("nothing arrived (F_SETSIG %d, owner %d)", sig, owner);
}

TEST_F(rule5, sigio_to_process_in_child_ns)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	raise_on_write(_metadata, pipefd, &receiver, receiver.pid, 0, &si);
	EXPECT_EQ(SIGIO, si.si_signo);
	EXPECT_EQ(SI_KERNEL, si.si_code);
	EXPECT_EQ(0, si.si_pid);
}

TEST_F(rule5, f_setsig_to_process_in_child_ns)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	raise_on_write(_metadata, pipefd, &receiver, receiver.pid, SIGRTMIN, &si);
	EXPECT_EQ(SIGRTMIN, si.si_signo);
	EXPECT_EQ(POLL_IN, si.si_code);
	EXPECT_EQ(pipefd[0], si.si_fd);
}

TEST_F(rule5, sigio_to_cinit_itself)
{
	struct probe cinit;
	int pipefd[2];
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	raise_on_write(_metadata, pipefd, &cinit, cinit.pid, 0, &si);
	EXPECT_EQ(SIGIO, si.si_signo);
}

/*
 * SIGIO is never a process's signal, whoever writes: plain SIGIO is
 * SEND_SIG_PRIV and F_SETSIG carries POLL_IN.  A cinit at SIG_DFL that
 * owns the pipe a root-namespace process writes into lives under both
 * policies (rule 1 is for signals processes send), with SIGIO or with
 * F_SETSIG(SIGTERM), both fatal at SIG_DFL.
 */
static void sigio_to_cinit_at_sig_dfl(struct __test_metadata *_metadata, int sig)
{
	const struct probe_opts cinit_dfl = { .new_pidns = true, .disposition = PROBE_SIG_DFL };
	struct probe cinit;
	int pipefd[2];

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	async_pipe(_metadata, pipefd, cinit.pid, sig);
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	EXPECT_TRUE(probe_alive(&cinit))
		TH_LOG("cinit at SIG_DFL died of the %s a root-namespace write raised",
		       sig ? "F_SETSIG signal" : "SIGIO");
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(rule5, sigio_from_ancestor_writer_to_cinit_at_sig_dfl)
{
	sigio_to_cinit_at_sig_dfl(_metadata, 0);
}

TEST_F(rule5, f_setsig_sigterm_from_ancestor_writer_to_cinit_at_sig_dfl)
{
	sigio_to_cinit_at_sig_dfl(_metadata, SIGTERM);
}

static int setown(long pid)
{
	int pipefd[2];

	if (pipe(pipefd))
		return -1;
	return fcntl(pipefd[0], F_SETOWN, (pid_t)pid);
}

TEST_F(rule5, setown_of_invisible_pid_fails)
{
	struct probe cinit;
	struct probe_result r;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	/* Our pid means nothing in cinit's namespace (it has two processes). */
	ASSERT_EQ(0, probe_call(&cinit, setown, getpid(), &r));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(ESRCH, r.err);
}

/* In cinit: an async pipe owned by @pid of its own namespace, written to. */
static int setown_and_write(long pid)
{
	int fds[2];

	if (pipe(fds) || fcntl(fds[0], F_SETOWN, (pid_t)pid) ||
	    fcntl(fds[0], F_SETFL, O_ASYNC | O_NONBLOCK))
		return -1;
	return write(fds[1], "x", 1) == 1 ? 0 : -1;
}

TEST_F(rule5, setown_from_inside_reaches_own_namespace)
{
	struct probe cinit, receiver;
	struct probe_result r;
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	/* receiver is cinit's first child: pid 2 in cinit's namespace. */
	ASSERT_EQ(0, probe_call(&cinit, setown_and_write, 2, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("F_SETOWN 2 and write from cinit: errno %d", r.err);
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si)) TH_LOG("no SIGIO reached pid 2");
	EXPECT_EQ(SIGIO, si.si_signo);
}

/* F_SETOWN -pgrp: SIGIO goes to every process of the group. */
TEST_F(rule5, sigio_to_process_group_in_child_ns)
{
	struct probe cinit, receiver;
	struct probe_result r;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	ASSERT_EQ(0, probe_cmd(&receiver, PROBE_SETPGID, 0, 0, &r));
	raise_on_write(_metadata, pipefd, &receiver, -receiver.pid, 0, &si);
	EXPECT_EQ(SIGIO, si.si_signo);
}

/*
 * F_SETOWN names a process by any of its threads' ids: SIGIO goes to the
 * process of the thread that id names, here a second thread's.
 */
TEST_F(rule5, setown_to_second_thread_signals_its_process)
{
	const struct probe_opts threaded_handler = {
		.disposition = PROBE_SIG_HANDLER, .threads = true,
	};
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	probe_init(&receiver, "receiver", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(&cinit, &receiver, &threaded_handler));
	ASSERT_NE(receiver.pid, receiver.tid2);
	raise_on_write(_metadata, pipefd, &receiver, receiver.tid2, 0, &si);
	EXPECT_EQ(SIGIO, si.si_signo);
}

TEST_F(rule5, setown_zero_and_int_min)
{
	struct f_owner_ex owner;
	int pipefd[2];

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, fcntl(pipefd[0], F_SETOWN, -getpgrp()));
	EXPECT_EQ(0, fcntl(pipefd[0], F_SETOWN, 0)) TH_LOG("F_SETOWN 0 clears the owner");
	EXPECT_EQ(0, fcntl(pipefd[0], F_GETOWN));
	/* ...and is no process group: 0 is not negative. */
	ASSERT_EQ(0, fcntl(pipefd[0], F_GETOWN_EX, &owner));
	EXPECT_EQ(F_OWNER_PID, (int)owner.type) TH_LOG("F_SETOWN 0 left owner type %d", owner.type);
	EXPECT_EQ(0, owner.pid);
	EXPECT_EQ(-1, fcntl(pipefd[0], F_SETOWN, INT_MIN));
	EXPECT_EQ(EINVAL, errno);
}

/* F_SETSIG with a signal that has codes of its own: SI_SIGIO, not POLL_IN. */
TEST_F(rule5, f_setsig_sigsegv_uses_si_sigio)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	raise_on_write(_metadata, pipefd, &receiver, receiver.pid, SIGSEGV, &si);
	EXPECT_EQ(SIGSEGV, si.si_signo);
	EXPECT_EQ(SI_SIGIO, si.si_code);
}

/*
 * A real-time F_SETSIG that cannot be queued (the receiver's
 * RLIMIT_SIGPENDING is 0) falls back to plain SIGIO.
 */
TEST_F(rule5, f_setsig_queue_full_falls_back_to_sigio)
{
	struct probe cinit, receiver;
	struct probe_result r;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	ASSERT_EQ(0, probe_call(&receiver, probe_no_queue_room, 0, &r));
	ASSERT_EQ(0, r.ret);
	raise_on_write(_metadata, pipefd, &receiver, receiver.pid, SIGRTMIN, &si);
	EXPECT_EQ(SIGIO, si.si_signo) TH_LOG("got signal %d", si.si_signo);
}

/* F_SETSIG SIGIO names the default signal: it still carries POLL_IN. */
TEST_F(rule5, f_setsig_sigio_carries_poll_in)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	raise_on_write(_metadata, pipefd, &receiver, receiver.pid, SIGIO, &si);
	EXPECT_EQ(SIGIO, si.si_signo);
	EXPECT_EQ(POLL_IN, si.si_code);
}

/*
 * No owner: a write into an async pipe raises nothing and fails nothing.
 * Given an owner, the same pipe does raise SIGIO (the control).
 */
TEST_F(rule5, no_owner_raises_nothing)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	async_pipe(_metadata, pipefd, 0, 0);
	EXPECT_EQ(1, write(pipefd[1], "x", 1));
	ASSERT_TRUE(probe_alive(&receiver));
	EXPECT_TRUE(probe_no_record(&cinit, "receiver"));
	EXPECT_TRUE(probe_no_record(&cinit, "cinit"));
	ASSERT_EQ(0, fcntl(pipefd[0], F_SETOWN, receiver.pid));
	EXPECT_EQ(1, write(pipefd[1], "x", 1));
	EXPECT_TRUE(probe_record(&receiver, "receiver", &si)) TH_LOG("the pipe raises nothing at all");
}

/*
 * An owner that is gone: F_SETOWN holds its struct pid, which names no
 * task any more, so a write raises nothing, not even at the pid's next
 * user in the namespace (cinit forks one after).
 */
TEST_F(rule5, owner_gone_raises_nothing)
{
	struct probe cinit, receiver, next;
	int pipefd[2];
	siginfo_t si;

	/* Every probe's socket exists before cinit, which forks them, is. */
	probe_init(&cinit, "cinit", NULL);
	probe_init(&receiver, "receiver", &cinit);
	probe_init(&next, "next", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(&cinit, &receiver, &plain_handler));
	raise_on_write(_metadata, pipefd, &receiver, receiver.pid, 0, &si);
	probe_cmd(&receiver, PROBE_EXIT, 0, 0, NULL);
	ASSERT_TRUE(probe_exited(&receiver)) TH_LOG("the owner did not exit");
	ASSERT_TRUE(probe_alive(&cinit));	/* and cinit has reaped it */
	ASSERT_EQ(0, probe_start_in(&cinit, &next, &plain_handler));
	EXPECT_EQ(1, write(pipefd[1], "x", 1));
	ASSERT_TRUE(probe_alive(&next));
	EXPECT_TRUE(probe_no_record(&cinit, "next")) TH_LOG("the owner's successor got SIGIO");
	EXPECT_TRUE(probe_no_record(&cinit, "cinit"));
}

/* SIGIO to a process group of several processes: each gets it. */
TEST_F(rule5, sigio_to_each_member_of_group)
{
	struct probe cinit, first, second;
	struct probe_result r;
	int pipefd[2];
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	probe_init(&first, "first", &cinit);
	probe_init(&second, "second", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(&cinit, &first, &plain_handler));
	ASSERT_EQ(0, probe_cmd(&first, PROBE_SETPGID, 0, 0, &r));
	ASSERT_EQ(0, probe_start_in(&first, &second, &plain_handler));
	async_pipe(_metadata, pipefd, -first.pid, 0);
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	EXPECT_TRUE(probe_record(&cinit, "first", &si));
	EXPECT_TRUE(probe_record(&cinit, "second", &si));
}

TEST_HARNESS_MAIN
