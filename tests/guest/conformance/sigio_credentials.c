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
#define UID_C 1003

POLICY_FIXTURE(sigio_credentials);

static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts plain = { .disposition = PROBE_SIG_HANDLER };

/* Real, effective and saved uid: sigio_perm() compares each of them. */
struct ids {
	uid_t real, effective, saved;
};

#define SAME(uid) ((struct ids){ uid, uid, uid })

/* In a probe: setresuid() to @packed, three 16-bit uids (see pack()). */
static int become(long packed)
{
	return setresuid(packed & 0xffff, (packed >> 16) & 0xffff, (packed >> 32) & 0xffff);
}

static long pack(struct ids id)
{
	return (long)id.real | (long)id.effective << 16 | (long)id.saved << 32;
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
 * The target (@target's ids) in a child namespace; the owner process
 * (@owner's) calls F_SETOWN; the writer (uid @writer_uid) writes.
 * Returns whether SIGIO reached the target.
 */
static bool sigio_arrives(struct __test_metadata *_metadata, struct ids target,
			  struct ids owner, uid_t writer_uid)
{
	struct probe cinit, targetp, ownerp, writer;
	struct probe_result r;

	ASSERT_EQ(0, pipe(pipefd));
	probe_init(&cinit, "cinit", NULL);
	probe_init(&targetp, "target", &cinit);
	probe_init(&ownerp, "owner", &cinit);
	probe_init(&writer, "writer", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start_in(&cinit, &targetp, &plain));
	ASSERT_EQ(0, probe_start(&ownerp, &plain));
	ASSERT_EQ(0, probe_start(&writer, &plain));
	ASSERT_EQ(0, probe_call(&targetp, become, pack(target), &r));
	ASSERT_EQ(0, probe_call(&ownerp, become, pack(owner), &r));
	ASSERT_EQ(0, probe_call(&writer, become, pack(SAME(writer_uid)), &r));
	ASSERT_EQ(0, probe_call(&ownerp, setown_async, targetp.pid, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("F_SETOWN by uid %d: errno %d", owner.real, r.err);
	ASSERT_EQ(0, probe_call(&writer, write_pipe, 0, &r));
	ASSERT_EQ(1, r.ret) TH_LOG("write by uid %d: errno %d", writer_uid, r.err);
	ASSERT_TRUE(probe_alive(&targetp));
	return !probe_no_record(&targetp, "target");
}

TEST_F(sigio_credentials, owner_a_target_b_root_writes_no_signal)
{
	EXPECT_FALSE(sigio_arrives(_metadata, SAME(UID_B), SAME(UID_A), 0))
		TH_LOG("SIGIO arrived: the writer's (root's) credentials were used");
}

TEST_F(sigio_credentials, owner_a_target_b_target_writes_no_signal)
{
	EXPECT_FALSE(sigio_arrives(_metadata, SAME(UID_B), SAME(UID_A), UID_B))
		TH_LOG("SIGIO arrived: the writer's (the target's own) credentials were used");
}

TEST_F(sigio_credentials, owner_b_target_b_a_writes_signal)
{
	EXPECT_TRUE(sigio_arrives(_metadata, SAME(UID_B), SAME(UID_B), UID_A))
		TH_LOG("no SIGIO although the owner's uid matches the target's");
}

TEST_F(sigio_credentials, owner_root_target_b_a_writes_signal)
{
	EXPECT_TRUE(sigio_arrives(_metadata, SAME(UID_B), SAME(0), UID_A))
		TH_LOG("no SIGIO although root set the owner");
}

/*
 * Each of sigio_perm()'s conditions alone: the owner's effective uid is
 * root, or the target's saved or real uid; or the owner's real uid is
 * the target's saved or real uid.  All the other pairs differ.
 */
TEST_F(sigio_credentials, owner_euid_root_alone_signals)
{
	EXPECT_TRUE(sigio_arrives(_metadata, SAME(UID_B), (struct ids){ UID_A, 0, UID_A }, UID_A));
}

TEST_F(sigio_credentials, owner_euid_is_target_suid_signals)
{
	EXPECT_TRUE(sigio_arrives(_metadata, (struct ids){ UID_B, UID_B, UID_C },
				  (struct ids){ UID_A, UID_C, UID_A }, UID_A));
}

TEST_F(sigio_credentials, owner_euid_is_target_uid_signals)
{
	EXPECT_TRUE(sigio_arrives(_metadata, (struct ids){ UID_B, UID_C, UID_C },
				  (struct ids){ UID_A, UID_B, UID_A }, UID_A));
}

TEST_F(sigio_credentials, owner_uid_is_target_suid_signals)
{
	EXPECT_TRUE(sigio_arrives(_metadata, (struct ids){ UID_B, UID_B, UID_C },
				  (struct ids){ UID_C, UID_A, UID_A }, UID_A));
}

TEST_F(sigio_credentials, owner_uid_is_target_uid_signals)
{
	EXPECT_TRUE(sigio_arrives(_metadata, (struct ids){ UID_B, UID_C, UID_C },
				  (struct ids){ UID_B, UID_A, UID_A }, UID_A));
}

/* The owner's saved uid and the target's effective uid never count. */
TEST_F(sigio_credentials, saved_and_effective_uids_alone_do_not_signal)
{
	EXPECT_FALSE(sigio_arrives(_metadata, (struct ids){ UID_B, UID_C, UID_B },
				   (struct ids){ UID_A, UID_A, UID_C }, UID_A))
		TH_LOG("SIGIO arrived: the owner's saved or the target's effective uid counted");
}

TEST_HARNESS_MAIN
