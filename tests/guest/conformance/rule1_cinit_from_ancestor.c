// SPDX-License-Identifier: GPL-2.0
/*
 * Rule 1: a namespace's init looks like a normal process to ancestor
 * namespaces.
 *
 * upstream: only SIGKILL and SIGSTOP are forced from an ancestor; any
 * other signal a cinit leaves at SIG_DFL is dropped (at send time, or at
 * dequeue if it was blocked), whoever sends it.
 * rfc2007: an ancestor's default-action signal acts on cinit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "probe.h"

POLICY_FIXTURE(rule1);

static const struct probe_opts cinit_dfl = {
	.new_pidns = true,
	.disposition = PROBE_SIG_DFL,
};

/* Under rfc2007 @cinit dies of @sig; under upstream it lives on. */
static void expect_fate(struct __test_metadata *_metadata, const FIXTURE_VARIANT(rule1) *variant,
			struct probe *cinit, int sig)
{
	int status;

	if (!rfc2007(variant)) {
		EXPECT_TRUE(probe_alive(cinit)) TH_LOG("cinit at SIG_DFL died of signal %d from its ancestor", sig);
		return;
	}
	status = probe_fate(cinit);
	ASSERT_NE(-1, status) TH_LOG("cinit at SIG_DFL still alive after signal %d from its ancestor", sig);
	ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("cinit exited (status %#x) instead of dying", status);
	EXPECT_EQ(sig, WTERMSIG(status));
}

TEST_F(rule1, kill_sigterm_from_parent_ns)
{
	struct probe cinit;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_dfl));
	ASSERT_EQ(0, kill(cinit.pid, SIGTERM));
	expect_fate(_metadata, variant, &cinit, SIGTERM);
}

TEST_HARNESS_MAIN
