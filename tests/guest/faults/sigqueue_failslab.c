// SPDX-License-Identifier: GPL-2.0
/*
 * Faults: what a receiver sees when no signal queue entry can be allocated.
 *
 * failslab fails the sigqueue cache's allocations (cache-filter and
 * /sys/kernel/slab/sigqueue/failslab; the cache must not be merged: boot
 * with slab_nomerge) made by this test process only (task-filter and
 * /proc/self/make-it-fail), one at a time (times), or the n-th of a send
 * (/proc/self/fail-nth).  Only the sanitizer kernel has FAILSLAB: make
 * test-debug runs this suite.
 *
 * upstream and rfc2007 alike: a legacy signal, or an RT signal sent by
 * kill(), still arrives, its information lost (SI_USER, pid 0, uid 0);
 * an RT signal with another si_code fails with EAGAIN and nothing
 * arrives.  rfc2007 masquerades no entry that was not queued, and an
 * ancestor's blocked SIGTERM to a namespace's init whose entry could not
 * be allocated carries no mark of its origin: it is dropped.  SIGKILL
 * needs no entry and still kills.  After each test the sender's user
 * has as many queued signals (SigQ) as before: nothing leaked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "probe.h"

#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define SIGQUEUE_FLAG	"/sys/kernel/slab/sigqueue/failslab"

/* Each test runs under both policies; every one arms failslab itself. */
POLICY_FIXTURE(faults);

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : n < 0 ? -errno : -EIO;
}

static long read_long(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/*
 * Restrict failslab to the sigqueue cache and to tasks that ask for it,
 * with nothing to inject yet (times 0): no other allocation and no other
 * process of the guest can be failed, whatever this test leaves behind.
 */
static void failslab_on_sigqueue(struct __test_metadata *_metadata)
{
	static const char *const attrs[][2] = {
		{ "times", "0" }, { "probability", "100" }, { "interval", "1" },
		{ "space", "0" }, { "verbose", "0" }, { "task-filter", "Y" },
		{ "cache-filter", "Y" },
	};
	char path[128];
	size_t i;
	int ret;

	ASSERT_EQ(0, access(FAILSLAB, F_OK))
		TH_LOG("no %s: this kernel has no CONFIG_FAILSLAB (make test-debug runs this suite)",
		       FAILSLAB);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(path, sizeof(path), FAILSLAB "%s", attrs[i][0]);
		ret = write_file(path, attrs[i][1]);
		ASSERT_EQ(0, ret) TH_LOG("%s: %s", path, strerror(-ret));
	}
	ret = write_file(SIGQUEUE_FLAG, "1");
	ASSERT_EQ(0, ret) TH_LOG("%s: %s (an alias of a merged cache refuses it: boot with slab_nomerge)",
				 SIGQUEUE_FLAG, strerror(-ret));
}

/* Fail this process's next sigqueue allocation. */
static void failslab_arm(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, write_file(FAILSLAB "times", "1"));
	ASSERT_EQ(0, write_file("/proc/self/make-it-fail", "1"));
}

/* Stop failing; how many allocations failed since failslab_arm(). */
static int failslab_disarm(void)
{
	long left = read_long(FAILSLAB "times");

	write_file("/proc/self/make-it-fail", "0");
	write_file(FAILSLAB "times", "0");
	return left < 0 ? -1 : 1 - (int)left;
}

/* The queued signals of this process's user, SigQ's first figure. */
static long queued_signals(void)
{
	char line[128];
	long queued = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigQ: %ld/", &queued) == 1)
			break;
	fclose(f);
	return queued;
}

#define EXPECT_NOTHING_LEAKED(baseline)						\
	EXPECT_EQ(baseline, queued_signals())					\
		TH_LOG("SigQ is not back at its baseline: a queue entry leaked")

/* What a signal whose queue entry could not be allocated looks like. */
#define EXPECT_INFORMATION_LOST(si) do {					\
	EXPECT_EQ(SI_USER, (si).si_code)					\
		TH_LOG("si_code %d: an entry was queued after all", (si).si_code); \
	EXPECT_EQ(0, (si).si_pid);						\
	EXPECT_EQ(0U, (si).si_uid);						\
} while (0)

static const struct probe_opts handler = { .disposition = PROBE_SIG_HANDLER };
static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts cinit_dfl = { .new_pidns = true, .disposition = PROBE_SIG_DFL };

/* A process of this namespace, with a handler. */
static void start_receiver(struct __test_metadata *_metadata, struct probe *receiver)
{
	probe_init(receiver, "receiver", NULL);
	ASSERT_EQ(0, probe_start(receiver, &handler));
}

/* A non-init process in a child namespace, with a handler. */
static void start_receiver_in_child_ns(struct __test_metadata *_metadata, struct probe *cinit,
				       struct probe *receiver)
{
	probe_init(cinit, "cinit", NULL);
	probe_init(receiver, "receiver", cinit);
	ASSERT_EQ(0, probe_start(cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(cinit, receiver, &handler));
}

/* kill(@sig) with its entry failed: it arrives, its information lost. */
static void kill_arrives_without_entry(struct __test_metadata *_metadata,
				       struct probe *receiver, int sig)
{
	siginfo_t si;

	failslab_arm(_metadata);
	ASSERT_EQ(0, kill(receiver->pid, sig));
	ASSERT_EQ(1, failslab_disarm()) TH_LOG("kill() allocated no queue entry to fail");
	ASSERT_TRUE(probe_record(receiver, "receiver", &si));
	EXPECT_EQ(sig, si.si_signo);
	EXPECT_INFORMATION_LOST(si);
}

/* sigqueue()'s value cannot be lost silently: EAGAIN, and nothing comes. */
static void sigqueue_gets_eagain(struct __test_metadata *_metadata, struct probe *receiver)
{
	int ret, err;

	failslab_arm(_metadata);
	ret = sigqueue(receiver->pid, SIGRTMIN, (union sigval){ .sival_int = 7 });
	err = errno;
	ASSERT_EQ(1, failslab_disarm());
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EAGAIN, err);
	ASSERT_TRUE(probe_alive(receiver));
	EXPECT_TRUE(probe_no_record(receiver, "receiver"));
}

/* A sender the receiver can name: without an entry it cannot tell. */
TEST_F(faults, legacy_signal_arrives_without_entry)
{
	long baseline = queued_signals();
	struct probe receiver;

	failslab_on_sigqueue(_metadata);
	start_receiver(_metadata, &receiver);
	kill_arrives_without_entry(_metadata, &receiver, SIGUSR1);
	EXPECT_NOTHING_LEAKED(baseline);
}

/* An RT signal from kill() is SI_USER: it may lose its information too. */
TEST_F(faults, rt_signal_by_kill_arrives_without_entry)
{
	long baseline = queued_signals();
	struct probe receiver;

	failslab_on_sigqueue(_metadata);
	start_receiver(_metadata, &receiver);
	kill_arrives_without_entry(_metadata, &receiver, SIGRTMIN);
	EXPECT_NOTHING_LEAKED(baseline);
}

TEST_F(faults, rt_sigqueue_gets_eagain)
{
	long baseline = queued_signals();
	struct probe receiver;

	failslab_on_sigqueue(_metadata);
	start_receiver(_metadata, &receiver);
	sigqueue_gets_eagain(_metadata, &receiver);
	EXPECT_NOTHING_LEAKED(baseline);
}

/*
 * From an ancestor: rfc2007 rewrites the sender as the kernel (SI_KERNEL),
 * but an entry that was never queued shows nothing of that rewrite.
 */
TEST_F(faults, legacy_signal_from_ancestor_shows_no_masquerade)
{
	long baseline = queued_signals();
	struct probe cinit, receiver;

	failslab_on_sigqueue(_metadata);
	start_receiver_in_child_ns(_metadata, &cinit, &receiver);
	kill_arrives_without_entry(_metadata, &receiver, SIGUSR1);
	EXPECT_NOTHING_LEAKED(baseline);
}

/* The rewritten siginfo is an RT signal's with SI_KERNEL: EAGAIN. */
TEST_F(faults, rt_sigqueue_from_ancestor_gets_eagain)
{
	long baseline = queued_signals();
	struct probe cinit, receiver;

	failslab_on_sigqueue(_metadata);
	start_receiver_in_child_ns(_metadata, &cinit, &receiver);
	sigqueue_gets_eagain(_metadata, &receiver);
	EXPECT_NOTHING_LEAKED(baseline);
}

/*
 * rfc2007 lets an ancestor's blocked SIGTERM kill cinit by the mark on its
 * queue entry (rule1's sigterm_blocked_by_all_threads).  Without an entry
 * there is no mark: cinit drops it on unblocking, the safe side.
 */
TEST_F(faults, blocked_sigterm_to_cinit_without_entry_is_dropped)
{
	long baseline = queued_signals();
	struct probe cinit;
	int unblocked;

	failslab_on_sigqueue(_metadata);
	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_BLOCK, 0, SIGTERM, NULL));
	failslab_arm(_metadata);
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	ASSERT_EQ(1, failslab_disarm());
	/* Had the SIGTERM acted, cinit would die before it answers. */
	unblocked = probe_cmd(&cinit, PROBE_UNBLOCK, 0, SIGTERM, NULL);
	EXPECT_TRUE(probe_alive(&cinit)) TH_LOG("cinit died of a SIGTERM that had no queue entry");
	EXPECT_EQ(0, unblocked);
	EXPECT_NOTHING_LEAKED(baseline);
}

/* SIGKILL takes no queue entry: failslab cannot stop it. */
TEST_F(faults, sigkill_to_cinit_still_kills)
{
	long baseline = queued_signals();
	struct probe cinit;
	int status;

	failslab_on_sigqueue(_metadata);
	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	failslab_arm(_metadata);
	ASSERT_EQ(0, kill(cinit.pid, SIGKILL));
	EXPECT_EQ(0, failslab_disarm()) TH_LOG("SIGKILL allocated a queue entry");
	status = probe_fate(&cinit);
	ASSERT_NE(-1, status) TH_LOG("cinit is alive %d ms after SIGKILL", PROBE_TIMEOUT_MS);
	ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("cinit exited with status %#x", status);
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	EXPECT_NOTHING_LEAKED(baseline);
}

#define GROUP_SIZE 4

/*
 * A process group of GROUP_SIZE receivers, signalled at once: fail-nth=n
 * fails the n-th of its GROUP_SIZE allocations, for every n, and the
 * n past the last fails none.  Exactly that one receiver loses the
 * information; the others see this process as the sender.
 */
TEST_F(faults, fail_nth_sweep_over_group_kill)
{
	long baseline = queued_signals();
	struct probe receivers[GROUP_SIZE];
	char name[GROUP_SIZE][16], nth[16];
	int n, i;

	failslab_on_sigqueue(_metadata);
	for (i = 0; i < GROUP_SIZE; i++) {
		snprintf(name[i], sizeof(name[i]), "receiver%d", i);
		probe_init(&receivers[i], name[i], i ? &receivers[0] : NULL);
	}
	for (i = 0; i < GROUP_SIZE; i++) {
		ASSERT_EQ(0, probe_start(&receivers[i], &handler));
		ASSERT_EQ(0, probe_cmd(&receivers[i], PROBE_SETPGID, receivers[0].pid, 0, NULL));
	}
	for (n = 1; n <= GROUP_SIZE + 1; n++) {
		int lost = 0, named = 0;
		long left;

		snprintf(nth, sizeof(nth), "%d", n);
		ASSERT_EQ(0, write_file("/proc/self/fail-nth", nth));
		ASSERT_EQ(0, kill(-receivers[0].pid, SIGUSR1));
		left = read_long("/proc/self/fail-nth");
		ASSERT_EQ(0, write_file("/proc/self/fail-nth", "0"));
		/* What is left of n: 0 once the n-th allocation was failed. */
		EXPECT_EQ(n <= GROUP_SIZE ? 0 : 1, left) TH_LOG("fail-nth %d: %ld left", n, left);
		for (i = 0; i < GROUP_SIZE; i++) {
			siginfo_t si;

			ASSERT_TRUE(probe_record(&receivers[0], name[i], &si))
				TH_LOG("fail-nth %d: %s got no SIGUSR1", n, name[i]);
			if (si.si_code == SI_USER && si.si_pid == 0 && si.si_uid == 0)
				lost++;
			else if (si.si_code == SI_USER && si.si_pid == getpid())
				named++;
		}
		EXPECT_EQ(n <= GROUP_SIZE ? 1 : 0, lost) TH_LOG("fail-nth %d", n);
		EXPECT_EQ(GROUP_SIZE - lost, named) TH_LOG("fail-nth %d", n);
	}
	EXPECT_NOTHING_LEAKED(baseline);
}

TEST_HARNESS_MAIN
