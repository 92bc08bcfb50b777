// SPDX-License-Identifier: GPL-2.0
/*
 * The policy's user interface: kernel.pid_ns_signal_policy.
 *
 * 0 (upstream) and 1 (rfc2007) are the only values; anything else is
 * EINVAL and leaves the policy as it was; a zero-byte write changes
 * nothing; only CAP_SYS_ADMIN in the initial user namespace may write it
 * (root of a user namespace that maps uid 0 passes the file mode check).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"

FIXTURE(policy_sysctl) { int saved_policy; };

FIXTURE_SETUP(policy_sysctl)
{
	self->saved_policy = policy_get();
	ASSERT_NE(POLICY_NONE, self->saved_policy)
		TH_LOG("this kernel has no %s", POLICY_SYSCTL);
}

FIXTURE_TEARDOWN_PARENT(policy_sysctl)
{
	policy_restore(self->saved_policy);
}

TEST_F(policy_sysctl, default_is_upstream)
{
	char cmdline[4096] = "";
	int fd = open("/proc/cmdline", O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, cmdline, sizeof(cmdline) - 1));
	close(fd);
	if (strstr(cmdline, "pid_ns_signal_policy"))
		SKIP(return, "the kernel command line sets the policy");
	EXPECT_EQ(POLICY_UPSTREAM, self->saved_policy);
}

TEST_F(policy_sysctl, accepts_0_and_1)
{
	ASSERT_EQ(0, policy_write("1\n", 2));
	EXPECT_EQ(POLICY_RFC2007, policy_get());
	ASSERT_EQ(0, policy_write("0", 1));
	EXPECT_EQ(POLICY_UPSTREAM, policy_get());
}

TEST_F(policy_sysctl, rejects_other_values_and_keeps_policy)
{
	static const char *const bad[] = { "2", "-1", "x", "\n", "1x", "4294967297" };

	ASSERT_EQ(0, policy_write("1", 1));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, policy_write(bad[i], strlen(bad[i])))
			TH_LOG("writing \"%s\"", bad[i][0] == '\n' ? "\\n" : bad[i]);
		EXPECT_EQ(POLICY_RFC2007, policy_get());
	}
}

TEST_F(policy_sysctl, zero_byte_write_changes_nothing)
{
	ASSERT_EQ(0, policy_write("1", 1));
	EXPECT_EQ(0, policy_write("", 0));
	EXPECT_EQ(POLICY_RFC2007, policy_get());
}

/* Root of a new user namespace (uid 0 mapped to 0) writes: EPERM. */
TEST_F(policy_sysctl, user_namespace_root_cannot_write)
{
	int status, result[2], err = 1;
	pid_t pid;

	ASSERT_EQ(0, pipe(result));
	pid = fork();
	if (pid == 0) {
		int fd;

		if (unshare(CLONE_NEWUSER))
			_exit(2);
		fd = open("/proc/self/uid_map", O_WRONLY);
		if (fd < 0 || write(fd, "0 0 1\n", 6) != 6)
			_exit(3);
		close(fd);
		err = policy_write("1", 1);
		_exit(write(result[1], &err, sizeof(err)) == sizeof(err) ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("user namespace setup step %d failed",
						 WEXITSTATUS(status));
	ASSERT_EQ((ssize_t)sizeof(err), read(result[0], &err, sizeof(err)));
	EXPECT_EQ(-EPERM, err);
	EXPECT_EQ(POLICY_UPSTREAM, policy_get());
}

TEST_HARNESS_MAIN
