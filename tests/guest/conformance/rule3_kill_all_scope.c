// SPDX-License-Identifier: GPL-2.0
/*
 * Rule 3: kill(-1) from inside a namespace stays inside it and its
 * descendants.
 *
 * Both policies: the caller's namespace and its descendants are reached,
 * the parent and sibling namespaces are not, the caller itself is skipped.
 * upstream: the caller's own namespace init is skipped too (visible pid 1).
 * rfc2007: it is a target (and gets the signal only if it handles it).
 * Descendant namespaces' inits are targets under both; under rfc2007 the
 * caller is their ancestor, so a default-action signal kills them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "pidns_trace.h"
#include "probe.h"

POLICY_FIXTURE(rule3);

static const struct probe_opts plain_handler = { .disposition = PROBE_SIG_HANDLER };
static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts cinit_dfl = {
	.new_pidns = true, .disposition = PROBE_SIG_DFL,
};

/*
 * The world of one kill(-1): a parent-namespace process, namespace A (its
 * cinit, a sibling), a descendant namespace B inside A (its cinit and a
 * process), and a sibling namespace C (its cinit).  Everyone handles signals.
 */
struct world {
	struct probe outside, a_init, a_sibling, b_init, b_proc, c_init;
};

static void build_world(struct __test_metadata *_metadata, struct world *w,
			const struct probe_opts *a_init_opts, const struct probe_opts *b_init_opts)
{
	probe_init(&w->outside, "outside", NULL);
	probe_init(&w->a_init, "a_init", &w->outside);
	probe_init(&w->a_sibling, "a_sibling", &w->outside);
	probe_init(&w->b_init, "b_init", &w->outside);
	probe_init(&w->b_proc, "b_proc", &w->outside);
	probe_init(&w->c_init, "c_init", &w->outside);
	ASSERT_EQ(0, probe_start(&w->outside, &plain_handler));
	ASSERT_EQ(0, probe_start(&w->a_init, a_init_opts));
	ASSERT_EQ(0, probe_start_in(&w->a_init, &w->a_sibling, &plain_handler));
	ASSERT_EQ(0, probe_start_in(&w->a_init, &w->b_init, b_init_opts));
	ASSERT_EQ(0, probe_start_in(&w->b_init, &w->b_proc, &plain_handler));
	ASSERT_EQ(0, probe_start(&w->c_init, &cinit_handler));
}

/*
 * After a barrier with each probe that may receive, did @p get @sig?  A
 * probe that died cannot tell: that fails the test.
 */
static bool got(struct __test_metadata *_metadata, struct world *w, struct probe *p, int sig)
{
	siginfo_t si;

	ASSERT_TRUE(probe_alive(p)) TH_LOG("%s died: it cannot tell what it got", p->name);
	return !probe_no_record(&w->outside, p->name) &&
	       probe_record(&w->outside, p->name, &si) && si.si_signo == sig;
}

TEST_F(rule3, reaches_own_and_descendant_namespaces_only)
{
	struct probe_result r;
	struct world w;

	build_world(_metadata, &w, &cinit_handler, &cinit_handler);
	ASSERT_EQ(0, pidns_trace_start());
	/* A forked child of a_init: a non-init process of namespace A. */
	ASSERT_EQ(0, probe_cmd(&w.a_init, PROBE_KILL, -1, SIGUSR1, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("kill(-1) from inside A: errno %d", r.err);
	EXPECT_TRUE(got(_metadata, &w, &w.a_sibling, SIGUSR1)) TH_LOG("A's other process missed it");
	EXPECT_TRUE(got(_metadata, &w, &w.b_init, SIGUSR1)) TH_LOG("descendant B's init missed it");
	EXPECT_TRUE(got(_metadata, &w, &w.b_proc, SIGUSR1)) TH_LOG("descendant B's process missed it");
	EXPECT_FALSE(got(_metadata, &w, &w.outside, SIGUSR1)) TH_LOG("the parent namespace got it");
	EXPECT_FALSE(got(_metadata, &w, &w.c_init, SIGUSR1)) TH_LOG("sibling namespace C got it");
	EXPECT_EQ(rfc2007(variant), got(_metadata, &w, &w.a_init, SIGUSR1))
		TH_LOG("A's own init (with a handler): %s",
		       rfc2007(variant) ? "missed it" : "got it");
	/* Rule 3 is traced for the caller's own namespace init only. */
	EXPECT_FALSE(pidns_trace_saw(SIGUSR1, w.a_sibling.pid, "kill_all_included"))
		TH_LOG("rule 3 was traced for a process that is no namespace's init");
}

TEST_F(rule3, descendant_init_at_sig_dfl)
{
	struct probe_result r;
	struct world w;

	build_world(_metadata, &w, &cinit_handler, &cinit_dfl);
	ASSERT_EQ(0, probe_cmd(&w.a_init, PROBE_KILL, -1, SIGTERM, &r));
	ASSERT_EQ(0, r.ret);
	if (rfc2007(variant)) {
		int status = probe_child_fate(&w.a_init, &w.b_init);

		ASSERT_TRUE(status != -1 && WIFSIGNALED(status))
			TH_LOG("B's init at SIG_DFL lives on A's kill(-1, SIGTERM) (status %#x)",
			       status);
		EXPECT_EQ(SIGTERM, WTERMSIG(status));
		/* Its death tears down B: b_proc dies with it. */
		EXPECT_TRUE(probe_exited(&w.b_proc)) TH_LOG("B outlived its init");
	} else {
		EXPECT_TRUE(probe_alive(&w.b_init))
			TH_LOG("B's init at SIG_DFL died of A's kill(-1, SIGTERM)");
		EXPECT_TRUE(got(_metadata, &w, &w.b_proc, SIGTERM)) TH_LOG("B's process missed it");
	}
}

TEST_F(rule3, only_own_init_left)
{
	struct probe_result r;
	struct probe a_init;

	probe_init(&a_init, "a_init", NULL);
	ASSERT_EQ(0, probe_start(&a_init, &cinit_dfl));
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, probe_cmd(&a_init, PROBE_KILL, -1, SIGUSR1, &r));
	EXPECT_TRUE(pidns_trace_saw(SIGUSR1, a_init.pid,
				    rfc2007(variant) ? "kill_all_included" : "kill_all_skipped"));
	if (rfc2007(variant)) {
		EXPECT_EQ(0, r.ret) TH_LOG("own init is a target: kill(-1) should find it");
	} else {
		EXPECT_EQ(-1, r.ret);
		EXPECT_EQ(ESRCH, r.err) TH_LOG("own init is skipped: no target, ESRCH");
	}
	EXPECT_TRUE(probe_alive(&a_init)) TH_LOG("A's init at SIG_DFL died of its own namespace's kill(-1)");
}

TEST_F(rule3, cinit_alone_gets_esrch)
{
	struct probe_result r;
	struct probe a_init;

	probe_init(&a_init, "a_init", NULL);
	ASSERT_EQ(0, probe_start(&a_init, &cinit_dfl));
	ASSERT_EQ(0, probe_cmd(&a_init, PROBE_KILL_SELF, -1, SIGUSR1, &r));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(ESRCH, r.err) TH_LOG("the caller is always skipped");
}

TEST_F(rule3, kill_int_min_is_esrch)
{
	errno = 0;
	EXPECT_EQ(-1, kill(INT_MIN, SIGUSR1));
	EXPECT_EQ(ESRCH, errno);
}

/*
 * kill(0) inside a namespace is the process group rule, not rule 3.  (A
 * cinit's own group has pgid 1 in its namespace: kill(-1) cannot name it,
 * only kill(0) from a member can.)
 */
TEST_F(rule3, kill_zero_reaches_own_process_group)
{
	struct probe_result r;
	struct probe a_init, a_sibling;

	probe_init(&a_init, "a_init", NULL);
	probe_init(&a_sibling, "a_sibling", &a_init);
	ASSERT_EQ(0, probe_start(&a_init, &cinit_handler));
	ASSERT_EQ(0, probe_cmd(&a_init, PROBE_SETPGID, 0, 0, &r));
	ASSERT_EQ(0, probe_start_in(&a_init, &a_sibling, &plain_handler));
	ASSERT_EQ(0, probe_cmd(&a_sibling, PROBE_KILL_SELF, 0, SIGUSR2, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("kill(0) from a_sibling: errno %d", r.err);
	ASSERT_TRUE(probe_alive(&a_init));
	EXPECT_FALSE(probe_no_record(&a_init, "a_init")) TH_LOG("a_init (handled) got nothing");
}

/*
 * Nesting to the maximum depth: 32 namespaces below the root.  kill(-1)
 * from each level's init reaches every deeper level, never a shallower.
 */
#define MAX_DEPTH 32

static int unshare_pid_ns(long unused)
{
	return unshare(CLONE_NEWPID);
}

TEST_F(rule3, nesting_to_max_depth)
{
	static struct probe level[MAX_DEPTH];
	static char names[MAX_DEPTH][8];
	struct probe_result r;
	int i, j;

	for (i = 0; i < MAX_DEPTH; i++) {
		snprintf(names[i], sizeof(names[i]), "L%d", i + 1);
		probe_init(&level[i], names[i], i ? &level[0] : NULL);
	}
	ASSERT_EQ(0, probe_start(&level[0], &cinit_handler));
	for (i = 1; i < MAX_DEPTH; i++)
		ASSERT_EQ(0, probe_start_in(&level[i - 1], &level[i], &cinit_handler))
			TH_LOG("level %d", i + 1);
	/* A 33rd level cannot be created. */
	ASSERT_EQ(0, probe_call(&level[MAX_DEPTH - 1], unshare_pid_ns, 0, &r));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(ENOSPC, r.err) TH_LOG("a 33rd nested pid namespace: errno %d", r.err);

	for (i = 0; i < MAX_DEPTH; i += 7) {
		ASSERT_EQ(0, probe_cmd(&level[i], PROBE_KILL, -1, SIGUSR1, &r));
		ASSERT_EQ(0, r.ret) TH_LOG("kill(-1) at level %d: errno %d", i + 1, r.err);
		for (j = 0; j < MAX_DEPTH; j++) {
			bool want = j > i || (j == i && rfc2007(variant));
			bool got;
			siginfo_t si;

			ASSERT_TRUE(probe_alive(&level[j]));
			got = !probe_no_record(&level[0], names[j]);
			EXPECT_EQ(want, got)
				TH_LOG("kill(-1) from level %d, level %d's init", i + 1, j + 1);
			if (got)	/* take it: the next level's kill(-1) must bring its own */
				probe_record(&level[0], names[j], &si);
		}
	}
}

/* From the root namespace kill(-1) never reaches the global init. */
TEST_F(rule3, signal_zero_to_all_from_root_namespace)
{
	EXPECT_EQ(0, kill(-1, 0));
}

/*
 * Targets the caller may not signal are counted but do not fail the call:
 * an unprivileged caller whose every target is root's still gets 0.
 */
static int kill_all_unprivileged(long unused)
{
	if (setresuid(1001, 1001, 1001))
		return -1;
	return kill(-1, 0);
}

TEST_F(rule3, unprivileged_kill_all_counts_eperm_targets)
{
	struct probe caller;
	struct probe_result r;

	probe_init(&caller, "caller", NULL);
	ASSERT_EQ(0, probe_start(&caller, &plain_handler));
	ASSERT_EQ(0, probe_call(&caller, kill_all_unprivileged, 0, &r));
	EXPECT_EQ(0, r.ret) TH_LOG("kill(-1, 0) as uid 1001: errno %d", r.err);
}

TEST_HARNESS_MAIN
