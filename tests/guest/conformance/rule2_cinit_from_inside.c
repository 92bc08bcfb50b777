// SPDX-License-Identifier: GPL-2.0
/*
 * Rule 2: from its own and descendant namespaces a cinit gets only the
 * signals it handles.  The same under both policies.
 *
 * A signal at SIG_DFL sent from inside is dropped and kill() returns 0,
 * SIGKILL and SIGSTOP included.  A handled signal is delivered, with the
 * sender's pid as cinit sees it.  SIGCONT resumes a stopped cinit whoever
 * sends it: prepare_signal() acts before the ignore decision.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "pidns_trace.h"
#include "probe.h"

POLICY_FIXTURE(rule2);

static const struct probe_opts cinit_dfl = {
	.new_pidns = true, .disposition = PROBE_SIG_DFL,
};
static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};

/* A cinit at SIG_DFL and a second process of its namespace. */
static void start_cinit_and_inside(struct __test_metadata *_metadata,
				   struct probe *cinit, struct probe *inside)
{
	probe_init(cinit, "cinit", NULL);
	probe_init(inside, "inside", cinit);
	ASSERT_EQ(0, probe_start(cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_start_in(cinit, inside, &(struct probe_opts){ 0 }));
}

/* A process inside cinit's namespace (a child of cinit) calls kill(1, sig). */
static void kill_init_from_inside(struct __test_metadata *_metadata, int sig)
{
	struct probe_result r;
	struct probe cinit;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_KILL, 1, sig, &r));
	EXPECT_EQ(0, r.ret) TH_LOG("kill(1, %d) from inside: errno %d", sig, r.err);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit at SIG_DFL died of signal %d from inside", sig);
	EXPECT_TRUE(pidns_trace_saw_from(sig, cinit.pid, "visible", "init_ignored"))
		TH_LOG("the init rule did not decide signal %d from a visible sender", sig);
}

TEST_F(rule2, sigkill_from_inside_is_dropped)
{
	kill_init_from_inside(_metadata, SIGKILL);
}

TEST_F(rule2, sigstop_from_inside_is_dropped)
{
	kill_init_from_inside(_metadata, SIGSTOP);
}

TEST_F(rule2, sigterm_from_inside_is_dropped)
{
	kill_init_from_inside(_metadata, SIGTERM);
}

TEST_F(rule2, sigrtmin_from_inside_is_dropped)
{
	kill_init_from_inside(_metadata, SIGRTMIN);
}

TEST_F(rule2, blocked_sigterm_from_inside_then_unblocked)
{
	struct probe_result r;
	struct probe cinit;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_KILL, 1, SIGTERM, &r));
	EXPECT_EQ(0, r.ret);
	probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of SIGTERM from inside on unblock");
}

TEST_F(rule2, handled_signal_from_inside_is_delivered)
{
	struct probe_result r;
	struct probe cinit;
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_KILL, 1, SIGUSR1, &r));
	ASSERT_EQ(0, r.ret);
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si)) TH_LOG("cinit's handler never ran");
	EXPECT_EQ(SIGUSR1, si.si_signo);
	EXPECT_EQ(SI_USER, si.si_code);
	/* The sender is cinit's first child: pid 2 in the new namespace. */
	EXPECT_EQ(2, si.si_pid);
}

TEST_F(rule2, sigcont_from_inside_resumes_stopped_cinit)
{
	struct probe cinit, inside;
	struct probe_result r;

	start_cinit_and_inside(_metadata, &cinit, &inside);
	ASSERT_EQ(0, kill(cinit.pid, SIGSTOP));
	ASSERT_TRUE(probe_stopped(&cinit));
	ASSERT_EQ(0, probe_cmd(&inside, PROBE_KILL_SELF, 1, SIGCONT, &r));
	EXPECT_EQ(0, r.ret);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit did not resume on SIGCONT from inside");
}

/*
 * The SIGCHLD of a child's stop is the kernel's (a SIL_CHLD siginfo), not
 * the child's own signal: cinit, at SIG_DFL, drops it as the kernel's.
 */
TEST_F(rule2, sigchld_of_a_stop_is_the_kernels)
{
	struct probe cinit, inside;

	start_cinit_and_inside(_metadata, &cinit, &inside);
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, kill(inside.pid, SIGSTOP));
	EXPECT_TRUE(pidns_trace_wait_from(SIGCHLD, cinit.pid, "kernel", "init_ignored", 2000))
		TH_LOG("the init rule did not drop the stop's SIGCHLD as the kernel's");
	kill(inside.pid, SIGCONT);
}

/* A synchronous fault is forced: an untraced cinit dies of it. */
static int fault(long arg)
{
	(void)arg;
	return *(volatile int *)0;
}

TEST_F(rule2, sigsegv_fault_kills_cinit)
{
	struct probe cinit;
	int status;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	probe_call(&cinit, fault, 0, NULL);
	status = probe_fate(&cinit);
	ASSERT_TRUE(status != -1 && WIFSIGNALED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
}

/*
 * A traced cinit: signals are not ignored at send time (sig_ignored()),
 * they stop cinit for its tracer, which decides.  The same under both.
 */
TEST_F(rule2, traced_cinit_reports_signal_to_tracer)
{
	struct probe cinit, inside;
	struct probe_result r;
	int status;

	start_cinit_and_inside(_metadata, &cinit, &inside);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, cinit.pid, 0, 0));
	ASSERT_EQ(0, probe_cmd(&inside, PROBE_KILL_SELF, 1, SIGTERM, &r));
	ASSERT_EQ(0, r.ret);
	status = probe_fate(&cinit);
	ASSERT_TRUE(WIFSTOPPED(status)) TH_LOG("the tracer saw no stop (status %#x)", status);
	EXPECT_EQ(SIGTERM, WSTOPSIG(status));
	/* The tracer suppresses it: cinit goes on. */
	ASSERT_EQ(0, ptrace(PTRACE_CONT, cinit.pid, 0, 0));
	EXPECT_TRUE(probe_alive(&cinit));
	ptrace(PTRACE_DETACH, cinit.pid, 0, 0);
}

/*
 * A tracer inside cinit's namespace (the probe "inside", a child of
 * cinit) decides which signal cinit gets when it resumes it: that signal
 * comes from inside, whoever sent the one it replaced, and rule 2 drops
 * it at SIG_DFL.  These run in the tracer, on pid 1.
 */

/* Wait for cinit's next stop: the signal it stopped for. */
static int next_stop(long arg)
{
	int status;

	(void)arg;
	if (waitpid(1, &status, __WALL) != 1)
		return -1;
	if (!WIFSTOPPED(status)) {
		errno = ECHILD;
		return -1;
	}
	return WSTOPSIG(status);
}

/* Attach to cinit (seize it and interrupt it if @seize) and wait for the stop. */
static int trace_init(long seize)
{
	if (seize ? ptrace(PTRACE_SEIZE, 1, 0, 0) || ptrace(PTRACE_INTERRUPT, 1, 0, 0) :
		    ptrace(PTRACE_ATTACH, 1, 0, 0))
		return -1;
	return next_stop(0);
}

static int resume_init_with(long sig)
{
	return ptrace(PTRACE_CONT, 1, 0, sig);
}

static int detach_init_with(long sig)
{
	return ptrace(PTRACE_DETACH, 1, 0, sig);
}

/* Label the stopped signal @sig with PTRACE_SETSIGINFO, and resume with it. */
static int relabel_and_resume(long sig)
{
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, 1, 0, &si))
		return -1;
	si.si_signo = sig;
	if (ptrace(PTRACE_SETSIGINFO, 1, 0, &si))
		return -1;
	return ptrace(PTRACE_CONT, 1, 0, sig);
}

/* cinit seized by a tracer inside, running; then an ancestor's SIGUSR1 stops it. */
static void stop_on_ancestor_sigusr1(struct __test_metadata *_metadata, struct probe *cinit,
				     struct probe *inside)
{
	struct probe_result r;

	start_cinit_and_inside(_metadata, cinit, inside);
	ASSERT_EQ(0, probe_call(inside, trace_init, 1, &r));
	ASSERT_LT(0, r.ret) TH_LOG("seize: errno %d", r.err);
	ASSERT_EQ(0, probe_call(inside, resume_init_with, 0, &r));
	ASSERT_EQ(0, kill(cinit->pid, SIGUSR1));
	ASSERT_EQ(0, probe_call(inside, next_stop, 0, &r));
	ASSERT_EQ(SIGUSR1, r.ret) TH_LOG("the tracer saw no SIGUSR1 stop: errno %d", r.err);
}

/*
 * cinit attached (PTRACE_ATTACH) by a tracer inside, which @resume()s it
 * with SIGTERM, @how: cinit lives.
 */
static void resumed_with_sigterm_from_inside(struct __test_metadata *_metadata,
					     probe_fn resume, const char *how)
{
	struct probe cinit, inside;
	struct probe_result r;

	start_cinit_and_inside(_metadata, &cinit, &inside);
	ASSERT_EQ(0, probe_call(&inside, trace_init, 0, &r));
	ASSERT_EQ(SIGSTOP, r.ret) TH_LOG("attach: errno %d", r.err);
	ASSERT_EQ(0, probe_call(&inside, resume, SIGTERM, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("%s: errno %d", how, r.err);
	EXPECT_TRUE(probe_alive(&cinit))
		TH_LOG("cinit died of the SIGTERM its tracer inside %s it with", how);
}

/*
 * The kernel's SIGKILL is no signal from inside: when a namespace's init
 * dies, the kernel kills what is left in it, the init of a namespace
 * nested in it too.
 */
TEST_F(rule2, parent_namespace_teardown_kills_nested_init)
{
	/* Not killed by its parent's death first: the teardown must do it. */
	const struct probe_opts nested_dfl = {
		.new_pidns = true, .disposition = PROBE_SIG_DFL, .pdeathsig = SIGWINCH,
	};
	struct probe outer, nested;

	probe_init(&outer, "outer", NULL);
	probe_init(&nested, "nested", NULL);
	ASSERT_EQ(0, probe_start(&outer, &cinit_dfl));
	ASSERT_EQ(0, probe_start_in(&outer, &nested, &nested_dfl));
	ASSERT_EQ(0, kill(outer.pid, SIGKILL));
	EXPECT_TRUE(probe_exited(&nested)) TH_LOG("a nested init outlived its namespace's teardown");
}

TEST_F(rule2, inside_tracer_detaches_with_sigterm)
{
	resumed_with_sigterm_from_inside(_metadata, detach_init_with, "detached");
}

TEST_F(rule2, inside_tracer_resumes_with_sigterm)
{
	resumed_with_sigterm_from_inside(_metadata, resume_init_with, "resumed");
}

/*
 * An ancestor's SIGUSR1 stops cinit for its tracer inside, which turns it
 * into SIGTERM, siginfo and all: the SIGTERM is the tracer's, not the
 * ancestor's, and is dropped.
 */
TEST_F(rule2, inside_tracer_relabels_ancestor_signal_as_sigterm)
{
	struct probe cinit, inside;
	struct probe_result r;

	stop_on_ancestor_sigusr1(_metadata, &cinit, &inside);
	ASSERT_EQ(0, probe_call(&inside, relabel_and_resume, SIGTERM, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("relabel and resume: errno %d", r.err);
	EXPECT_TRUE(probe_alive(&cinit))
		TH_LOG("cinit died of the SIGTERM its tracer inside made of an ancestor's SIGUSR1");
}

/*
 * The same tracer passes the ancestor's SIGUSR1 on as it is: it stays
 * the ancestor's signal (rule 1).
 */
TEST_F(rule2, inside_tracer_passes_ancestor_signal_on)
{
	struct probe cinit, inside;

	stop_on_ancestor_sigusr1(_metadata, &cinit, &inside);
	/* Under rfc2007 cinit dies of it, and takes the tracer with it: no answer. */
	probe_call(&inside, resume_init_with, SIGUSR1, NULL);
	if (rfc2007(variant)) {
		int status = probe_fate(&cinit);

		ASSERT_TRUE(status != -1 && WIFSIGNALED(status))
			TH_LOG("cinit lives on the ancestor's SIGUSR1 its tracer passed on (status %#x)",
			       status);
		EXPECT_EQ(SIGUSR1, WTERMSIG(status));
	} else {
		EXPECT_TRUE(probe_alive(&cinit));
	}
}

/* SIGKILL to a traced cinit from inside: not reported, and dropped. */
TEST_F(rule2, traced_cinit_sigkill_from_inside_is_dropped)
{
	struct probe cinit, inside;
	struct probe_result r;

	start_cinit_and_inside(_metadata, &cinit, &inside);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, cinit.pid, 0, 0));
	ASSERT_EQ(0, probe_cmd(&inside, PROBE_KILL_SELF, 1, SIGKILL, &r));
	ASSERT_EQ(0, r.ret);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("a traced cinit died of SIGKILL from inside");
	ptrace(PTRACE_DETACH, cinit.pid, 0, 0);
}

/* tgkill() to cinit's second thread from inside: dropped like kill(). */
static int tgkill_second_thread(long sig)
{
	/* cinit's second thread was its namespace's second task: tid 2. */
	return syscall(SYS_tgkill, 1, 2, (int)sig);
}

TEST_F(rule2, tgkill_second_thread_from_inside_is_dropped)
{
	const struct probe_opts cinit_threaded = {
		.new_pidns = true, .disposition = PROBE_SIG_DFL, .threads = true,
	};
	struct probe cinit, inside;
	struct probe_result r;

	probe_init(&cinit, "cinit", NULL);
	probe_init(&inside, "inside", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_threaded));
	ASSERT_EQ(0, probe_start_in(&cinit, &inside, &(struct probe_opts){ 0 }));
	ASSERT_EQ(0, probe_call(&inside, tgkill_second_thread, SIGTERM, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("tgkill(1, 2) from inside: errno %d", r.err);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of SIGTERM to its thread from inside");
}

/*
 * pidfd_send_signal() from inside: at SIG_DFL the signal is dropped and the
 * call returns 0; a siginfo with si_code >= 0 (here SI_KERNEL) is refused
 * with EPERM, so a process cannot pass itself off as the kernel.
 */
static int pidfd_signal_init(long with_kernel_code)
{
	siginfo_t info = { .si_signo = SIGTERM, .si_code = SI_KERNEL };
	int fd = syscall(SYS_pidfd_open, 1, 0);

	if (fd < 0)
		return -1;
	return syscall(SYS_pidfd_send_signal, fd, SIGTERM, with_kernel_code ? &info : NULL, 0);
}

TEST_F(rule2, pidfd_send_signal_from_inside)
{
	struct probe cinit, inside;
	struct probe_result r;

	start_cinit_and_inside(_metadata, &cinit, &inside);
	ASSERT_EQ(0, probe_call(&inside, pidfd_signal_init, 0, &r));
	EXPECT_EQ(0, r.ret) TH_LOG("errno %d", r.err);
	ASSERT_EQ(0, probe_call(&inside, pidfd_signal_init, 1, &r));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EPERM, r.err);
	EXPECT_TRUE(probe_alive(&cinit));
}

/* A pidfd of an ancestor-namespace process, used from a deeper namespace. */
static int pidfd;

static int pidfd_signal(long sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, (int)sig, NULL, 0);
}

TEST_F(rule2, pidfd_send_signal_from_deeper_namespace_is_einval)
{
	struct probe target, cinit;
	struct probe_result r;

	probe_init(&target, "target", NULL);
	probe_init(&cinit, "cinit", &target);
	ASSERT_EQ(0, probe_start(&target, &(struct probe_opts){ .disposition = PROBE_SIG_HANDLER }));
	pidfd = syscall(SYS_pidfd_open, target.pid, 0);
	ASSERT_LE(0, pidfd);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_call(&cinit, pidfd_signal, SIGUSR1, &r));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINVAL, r.err);
	EXPECT_TRUE(probe_alive(&target));
	EXPECT_TRUE(probe_no_record(&target, "target"));
}

TEST_HARNESS_MAIN
