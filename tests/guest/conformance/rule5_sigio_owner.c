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
#include <signal.h>
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

TEST_F(rule5, sigio_to_process_in_child_ns)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver);
	async_pipe(_metadata, pipefd, receiver.pid, 0);
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si)) TH_LOG("no SIGIO arrived");
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
	async_pipe(_metadata, pipefd, receiver.pid, SIGRTMIN);
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si)) TH_LOG("no SIGRTMIN arrived");
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
	async_pipe(_metadata, pipefd, cinit.pid, 0);
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si)) TH_LOG("a handled SIGIO did not reach cinit");
	EXPECT_EQ(SIGIO, si.si_signo);
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

TEST_F(rule5, setown_from_inside_reaches_own_namespace)
{
	struct probe cinit, receiver;
	struct probe_result r;

	start_receiver(_metadata, &cinit, &receiver);
	/* receiver is cinit's first child: pid 2 in cinit's namespace. */
	ASSERT_EQ(0, probe_call(&cinit, setown, 2, &r));
	EXPECT_EQ(0, r.ret) TH_LOG("F_SETOWN 2 from cinit: errno %d", r.err);
}

TEST_HARNESS_MAIN
