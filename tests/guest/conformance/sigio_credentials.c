// SPDX-License-Identifier: GPL-2.0
/*
 * Whose credentials decide SIGIO: the ones saved at F_SETOWN time
 * (sigio_perm() in fs/fcntl.c, as fcntl(2) says), not the writer's.
 *
 * The 2007 RFC claimed SIGIO is sent "on behalf of the process that caused
 * the event"; these tests show that claim is wrong for 6.12, so no policy
 * changes it.  The target lives in a child pid namespace, as in rule 5.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "probe.h"

#define UID_A 1001
#define UID_B 1002

POLICY_FIXTURE(sigio_credentials);

static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts plain = { .disposition = PROBE_SIG_HANDLER };

static int become(long uid)
{
	return setresuid(uid, uid, uid);
}

/* The pipe shared by every process of a test: fds are inherited. */
static int pipefd[2];

static int setown_async(long pid)
{
	if (fcntl(pipefd[0], F_SETOWN, (pid_t)pid))
		return -1;
	return fcntl(pipefd[0], F_SETFL, O_ASYNC | O_NONBLOCK);
}

static int write_pipe(long unused)
{
	return write(pipefd[1], "x", 1);
}

/*
 * The target (uid @target_uid) in a child namespace; the owner process (uid
 * @owner_uid) calls F_SETOWN; the writer (uid @writer_uid) writes.
 * Returns whether SIGIO reached the target.
 */
static bool sigio_arrives(struct __test_metadata *_metadata, uid_t target_uid,
			  uid_t owner_uid, uid_t writer_uid)
{
	struct probe cinit, target, owner, writer;
	struct probe_result r;

	ASSERT_EQ(0, pipe(pipefd));
	probe_init(&cinit, "cinit", NULL);
	probe_init(&target, "target", &cinit);
	probe_init(&owner, "owner", &cinit);
	probe_init(&writer, "writer", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(&cinit, &target, &plain));
	ASSERT_EQ(0, probe_start(&owner, &plain));
	ASSERT_EQ(0, probe_start(&writer, &plain));
	ASSERT_EQ(0, probe_call(&target, become, target_uid, &r));
	ASSERT_EQ(0, probe_call(&owner, become, owner_uid, &r));
	ASSERT_EQ(0, probe_call(&writer, become, writer_uid, &r));
	ASSERT_EQ(0, probe_call(&owner, setown_async, target.pid, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("F_SETOWN by uid %d: errno %d", owner_uid, r.err);
	ASSERT_EQ(0, probe_call(&writer, write_pipe, 0, &r));
	ASSERT_EQ(1, r.ret) TH_LOG("write by uid %d: errno %d", writer_uid, r.err);
	ASSERT_TRUE(probe_alive(&target));
	return !probe_no_record(&target, "target");
}

TEST_F(sigio_credentials, owner_a_target_b_root_writes_no_signal)
{
	EXPECT_FALSE(sigio_arrives(_metadata, UID_B, UID_A, 0))
		TH_LOG("SIGIO arrived: the writer's (root's) credentials were used");
}

TEST_F(sigio_credentials, owner_a_target_b_target_writes_no_signal)
{
	EXPECT_FALSE(sigio_arrives(_metadata, UID_B, UID_A, UID_B))
		TH_LOG("SIGIO arrived: the writer's (the target's own) credentials were used");
}

TEST_F(sigio_credentials, owner_b_target_b_a_writes_signal)
{
	EXPECT_TRUE(sigio_arrives(_metadata, UID_B, UID_B, UID_A))
		TH_LOG("no SIGIO although the owner's uid matches the target's");
}

TEST_F(sigio_credentials, owner_root_target_b_a_writes_signal)
{
	EXPECT_TRUE(sigio_arrives(_metadata, UID_B, 0, UID_A))
		TH_LOG("no SIGIO although root set the owner");
}

TEST_HARNESS_MAIN
