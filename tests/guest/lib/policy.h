/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The signal policy as a kselftest VARIANT: every test of a rule runs once
 * under each policy, and states what a process observes under each.
 *
 *	POLICY_FIXTURE(rule1);
 *	TEST_F(rule1, sigterm_from_ancestor) {
 *		...
 *		if (rfc2007(variant)) ... else ...
 *	}
 *
 * Setup sets kernel.pid_ns_signal_policy and fails the test unless it
 * reads back as the variant's: a test must not pass under the other
 * policy.  The teardown runs in the parent (FIXTURE_TEARDOWN_PARENT)
 * because the harness SIGKILLs the process group of a test that timed
 * out, and a teardown in the test's own process would never run (and
 * the guest's init restores the boot value before each program, for a
 * program that was killed).  The teardown turns the trace event off too
 * (pidns_trace.h).  On a kernel without the sysctl, "upstream"
 * runs as upstream and says so; "rfc2007" fails in setup.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stdbool.h>

#include "pidns_trace.h"

#define POLICY_SYSCTL "/proc/sys/kernel/pid_ns_signal_policy"

enum policy {
	POLICY_UPSTREAM = 0,
	POLICY_RFC2007 = 1,
	POLICY_NONE = -1,	/* the kernel has no such sysctl */
};

/* The current policy, or POLICY_NONE. */
int policy_get(void);
/* Write @value (any string) to the sysctl: 0 or -errno. */
int policy_write(const char *value, size_t len);
/* Select @want for a test; returns what to restore afterwards. */
int policy_enter(enum policy want);
/* Is @want in effect (upstream also on a kernel without the sysctl)? */
bool policy_in_effect(enum policy want);
void policy_restore(int saved);

#define POLICY_FIXTURE(rule)						\
	FIXTURE(rule) { int saved_policy; };				\
	FIXTURE_VARIANT(rule) { enum policy policy; };			\
	FIXTURE_VARIANT_ADD(rule, upstream) { .policy = POLICY_UPSTREAM }; \
	FIXTURE_VARIANT_ADD(rule, rfc2007) { .policy = POLICY_RFC2007 }; \
	FIXTURE_SETUP(rule)						\
	{								\
		self->saved_policy = policy_enter(variant->policy);	\
		ASSERT_TRUE(policy_in_effect(variant->policy))		\
			TH_LOG("%s reads %d, not the variant's %d",	\
			       POLICY_SYSCTL, policy_get(),		\
			       variant->policy);			\
	}								\
	FIXTURE_TEARDOWN_PARENT(rule)					\
	{								\
		policy_restore(self->saved_policy);			\
		pidns_trace_stop();					\
	}

#define rfc2007(variant) ((variant)->policy == POLICY_RFC2007)

#endif
