// SPDX-License-Identifier: GPL-2.0
/*
 * Rule 4: a sender with no pid in the receiver's namespace shows up as
 * pid 0 (upstream) or as the kernel: pid 0, uid 0, SI_KERNEL (rfc2007).
 *
 * upstream keeps si_code (SI_USER, SI_TKILL, SI_QUEUE, SI_MESGQ) and maps
 * si_uid into the receiver's user namespace (65534 when unmapped).  A
 * visible sender keeps its pid (as the receiver sees it) under both, and
 * kernel-built SIGCHLD is never rewritten.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "policy.h"
#include "pidns_trace.h"
#include "probe.h"

POLICY_FIXTURE(rule4);

static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts plain_handler = { .disposition = PROBE_SIG_HANDLER };

/* What a process in a child namespace sees of a root-namespace sender. */
#define EXPECT_INVISIBLE_SENDER(si, upstream_code, upstream_uid) do {		\
	EXPECT_EQ(0, (si).si_pid);						\
	if (rfc2007(variant)) {							\
		EXPECT_EQ(SI_KERNEL, (si).si_code);				\
		EXPECT_EQ(0U, (si).si_uid);					\
	} else {								\
		EXPECT_EQ(upstream_code, (si).si_code);				\
		EXPECT_EQ((uid_t)(upstream_uid), (si).si_uid);			\
	}									\
} while (0)

/* A non-init process in a child namespace, with a handler. */
static void start_receiver(struct __test_metadata *_metadata, struct probe *cinit,
			   struct probe *receiver, const struct probe_opts *cinit_opts)
{
	probe_init(cinit, "cinit", NULL);
	probe_init(receiver, "receiver", cinit);
	ASSERT_EQ(0, probe_start(cinit, cinit_opts));
	ASSERT_EQ(0, probe_start_in(cinit, receiver, &plain_handler));
}

TEST_F(rule4, kill_from_parent_ns)
{
	struct probe cinit, receiver;
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, pidns_trace_start());
	ASSERT_EQ(0, kill(receiver.pid, SIGUSR1));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si)) TH_LOG("no SIGUSR1 arrived");
	EXPECT_INVISIBLE_SENDER(si, SI_USER, 0);
	EXPECT_TRUE(pidns_trace_saw(SIGUSR1, receiver.pid, "masqueraded"));
}

static int unblock_all(long arg)
{
	sigset_t none;

	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * An ancestor's tgkill(SIGSEGV) is no fault, masqueraded as the kernel's
 * or not: it is dequeued in signal order, after a lower-numbered SIGILL,
 * as under upstream, and not picked out of the queue first the way
 * dequeue_synchronous_signal() takes a real fault (si_code > SI_USER).
 */
TEST_F(rule4, masqueraded_fault_signal_waits_its_turn)
{
	struct probe cinit, receiver;
	siginfo_t first, second;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, probe_cmd(&receiver, PROBE_BLOCK, 0, SIGSEGV, NULL));
	ASSERT_EQ(0, probe_cmd(&receiver, PROBE_BLOCK, 0, SIGILL, NULL));
	ASSERT_EQ(0, syscall(SYS_tgkill, receiver.pid, receiver.pid, SIGSEGV));
	ASSERT_EQ(0, syscall(SYS_tgkill, receiver.pid, receiver.pid, SIGILL));
	ASSERT_EQ(0, probe_call(&receiver, unblock_all, 0, NULL));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &first));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &second));
	EXPECT_EQ(SIGILL, first.si_signo) TH_LOG("signal %d was dequeued first", first.si_signo);
	EXPECT_EQ(SIGSEGV, second.si_signo);
	EXPECT_INVISIBLE_SENDER(second, SI_TKILL, 0);
}

/*
 * Queue, to itself, a SIGILL with si_code SI_USER (as kill() would have
 * it) and then a SIGSEGV with SEGV_MAPERR (as a fault has it), both
 * blocked, then unblock them.
 */
static int queue_sigill_then_fault(long arg)
{
	siginfo_t ill = { .si_signo = SIGILL, .si_code = SI_USER };
	siginfo_t segv = { .si_signo = SIGSEGV, .si_code = SEGV_MAPERR };
	sigset_t both;

	(void)arg;
	sigemptyset(&both);
	sigaddset(&both, SIGILL);
	sigaddset(&both, SIGSEGV);
	ill.si_pid = getpid();
	ill.si_uid = getuid();
	if (sigprocmask(SIG_BLOCK, &both, NULL) ||
	    syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGILL, &ill) ||
	    syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGSEGV, &segv))
		return -1;
	return sigprocmask(SIG_UNBLOCK, &both, NULL);
}

/*
 * What dequeue_synchronous_signal() takes first: an entry with a positive
 * si_code.  SI_USER (0) is kill()'s, no fault: the SIGSEGV queued after
 * it comes out first.
 */
TEST_F(rule4, si_user_signal_is_no_fault)
{
	struct probe cinit, receiver;
	siginfo_t first, second;
	struct probe_result r;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, probe_call(&receiver, queue_sigill_then_fault, 0, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("queueing: errno %d", r.err);
	ASSERT_TRUE(probe_record(&receiver, "receiver", &first));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &second));
	EXPECT_EQ(SIGSEGV, first.si_signo) TH_LOG("signal %d was dequeued first", first.si_signo);
	EXPECT_EQ(SIGILL, second.si_signo);
}

TEST_F(rule4, tgkill_from_parent_ns)
{
	struct probe cinit, receiver;
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, syscall(SYS_tgkill, receiver.pid, receiver.pid, SIGUSR1));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_TKILL, 0);
}

TEST_F(rule4, sigqueue_from_parent_ns_keeps_value)
{
	struct probe cinit, receiver;
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, sigqueue(receiver.pid, SIGRTMIN, (union sigval){ .sival_int = 42 }));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_QUEUE, 0);
	EXPECT_EQ(42, si.si_value.sival_int) TH_LOG("si_value is left in the union");
}

/* A forged si_uid (rt_sigqueueinfo) passes under upstream, not under rfc2007. */
TEST_F(rule4, rt_sigqueueinfo_forged_uid_from_parent_ns)
{
	siginfo_t forged = { .si_signo = SIGUSR1, .si_code = SI_QUEUE };
	struct probe cinit, receiver;
	siginfo_t si;

	forged.si_pid = 777;
	forged.si_uid = 4242;
	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, syscall(SYS_rt_sigqueueinfo, receiver.pid, SIGUSR1, &forged));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_QUEUE, 4242);
}

/*
 * signalfd reports the union by the layout of si_code: an ancestor's
 * sigqueue() value arrives under upstream (SI_QUEUE), but not under
 * rfc2007 (SI_KERNEL has the kill layout): ssi_int is 0.  These run in
 * the receiver, which blocks @sig: the read keeps what it got for the
 * calls that ask.
 */
static struct signalfd_siginfo ssi;

static int read_signalfd(long sig)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, (int)sig);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	if (fd < 0 || read(fd, &ssi, sizeof(ssi)) != sizeof(ssi))
		return -1;
	close(fd);
	return 0;
}

static int ssi_code(long arg)
{
	(void)arg;
	return ssi.ssi_code;
}

static int ssi_int(long arg)
{
	(void)arg;
	return ssi.ssi_int;
}

TEST_F(rule4, signalfd_of_sigqueue_from_parent_ns)
{
	struct probe_result r, code, value;
	struct probe cinit, receiver;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, probe_cmd(&receiver, PROBE_BLOCK, 0, SIGRTMIN, NULL));
	ASSERT_EQ(0, sigqueue(receiver.pid, SIGRTMIN, (union sigval){ .sival_int = 42 }));
	ASSERT_EQ(0, probe_call(&receiver, read_signalfd, SIGRTMIN, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("no signal to read: errno %d", r.err);
	ASSERT_EQ(0, probe_call(&receiver, ssi_code, 0, &code));
	ASSERT_EQ(0, probe_call(&receiver, ssi_int, 0, &value));
	if (rfc2007(variant)) {
		EXPECT_EQ(SI_KERNEL, code.ret);
		EXPECT_EQ(0, value.ret) TH_LOG("signalfd has no value for an SI_KERNEL signal");
	} else {
		EXPECT_EQ(SI_QUEUE, code.ret);
		EXPECT_EQ(42, value.ret);
	}
}

/*
 * pdeathsig is sent by the parent as it exits (SEND_SIG_NOINFO): a parent
 * in the root namespace is an invisible sender to its cinit child.
 */
TEST_F(rule4, pdeathsig_from_parent_ns)
{
	const struct probe_opts cinit_pdeath = {
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER, .pdeathsig = SIGUSR1,
	};
	struct probe parent, cinit;
	siginfo_t si;

	/* cinit is re-parented to this test process when its parent exits. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	probe_init(&parent, "parent", NULL);
	probe_init(&cinit, "cinit", &parent);
	ASSERT_EQ(0, probe_start(&parent, &(struct probe_opts){ 0 }));
	ASSERT_EQ(0, probe_start_in(&parent, &cinit, &cinit_pdeath));
	probe_cmd(&parent, PROBE_EXIT, 0, 0, NULL);
	ASSERT_NE(-1, probe_fate(&parent));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si)) TH_LOG("no pdeathsig arrived");
	EXPECT_EQ(SIGUSR1, si.si_signo);
	EXPECT_INVISIBLE_SENDER(si, SI_USER, 0);
}

/*
 * The other way round, a process inside cannot name one of the parent
 * namespace: its parent is pid 0 to it, and kill, tgkill and sigqueue of
 * a root-namespace pid find nothing.  Under both policies.
 */
static pid_t root_pid;

static int name_the_parent_namespace(long arg)
{
	(void)arg;
	if (getppid() != 0)
		return errno = EEXIST, -1;
	if (kill(root_pid, SIGUSR1) == 0 || errno != ESRCH)
		return -1;
	if (syscall(SYS_tgkill, root_pid, root_pid, SIGUSR1) == 0 || errno != ESRCH)
		return -1;
	if (sigqueue(root_pid, SIGUSR1, (union sigval){ 0 }) == 0 || errno != ESRCH)
		return -1;
	return 0;
}

TEST_F(rule4, inside_cannot_name_the_parent_namespace)
{
	struct probe cinit;
	struct probe_result r;

	root_pid = getpid();	/* before cinit is forked: it reads it */
	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_call(&cinit, name_the_parent_namespace, 0, &r));
	EXPECT_EQ(0, r.ret) TH_LOG("errno %d (EEXIST: getppid() was not 0)", r.err);
}

TEST_F(rule4, kill_to_cinit_with_handler)
{
	struct probe cinit;
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, kill(cinit.pid, SIGUSR1));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_USER, 0);
}

/* Root in a user namespace with no uid map: the sender's uid is unmapped. */
TEST_F(rule4, kill_across_unmapped_user_ns)
{
	const struct probe_opts cinit_userns = {
		.new_pidns = true, .new_userns = true, .disposition = PROBE_SIG_HANDLER,
	};
	struct probe cinit;
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_userns));
	ASSERT_EQ(0, kill(cinit.pid, SIGUSR1));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_USER, 65534);
}

/*
 * A visible sender: cinit signals its own process group, which it shares
 * with its parent in the root namespace.  (getppid() is 0 across the
 * boundary, so kill(getppid(), ...) would be kill(0, ...) by accident.)
 *
 * 6.12 does not translate a visible sender's pid: si_pid is filled in the
 * sender's namespace (prepare_kill_siginfo: task_tgid_vnr) and only the
 * invisible case is rewritten, so the parent sees 1, not cinit's pid in
 * its own namespace.  Neither policy changes that.
 */
TEST_F(rule4, visible_sender_in_child_ns_reports_its_own_view)
{
	struct probe parent, cinit;
	struct probe_result r;
	siginfo_t si;

	probe_init(&parent, "parent", NULL);
	probe_init(&cinit, "cinit", &parent);
	ASSERT_EQ(0, probe_start(&parent, &plain_handler));
	ASSERT_EQ(0, probe_cmd(&parent, PROBE_SETPGID, 0, 0, &r));
	ASSERT_EQ(0, probe_start_in(&parent, &cinit, &cinit_handler));
	ASSERT_EQ(0, probe_cmd(&cinit, PROBE_KILL_SELF, 0, SIGUSR1, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("kill(0) errno %d", r.err);
	ASSERT_TRUE(probe_record(&parent, "parent", &si));
	EXPECT_EQ(1, si.si_pid) TH_LOG("cinit's pid in its own namespace (it is %d here)", cinit.pid);
	EXPECT_EQ(SI_USER, si.si_code);
	EXPECT_EQ(0U, si.si_uid);
}

static siginfo_t sigchld_info;
static volatile sig_atomic_t sigchld_seen;

static void catch_sigchld(int sig, siginfo_t *si, void *uc)
{
	sigchld_info = *si;
	sigchld_seen = 1;
}

static void catch_sigchld_of(struct __test_metadata *_metadata)
{
	struct sigaction sa = { .sa_sigaction = catch_sigchld, .sa_flags = SA_SIGINFO };

	sigchld_seen = 0;
	ASSERT_EQ(0, sigaction(SIGCHLD, &sa, NULL));
}

static bool await_sigchld(void)
{
	for (int ms = 0; ms < PROBE_TIMEOUT_MS && !sigchld_seen; ms++)
		usleep(1000);
	return sigchld_seen;
}

/* Kernel-built SIGCHLD is never masqueraded: the parent sees cinit's pid. */
TEST_F(rule4, sigchld_when_cinit_exits)
{
	struct probe cinit;

	catch_sigchld_of(_metadata);
	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	probe_cmd(&cinit, PROBE_EXIT, 0, 0, NULL);
	ASSERT_TRUE(await_sigchld()) TH_LOG("no SIGCHLD for cinit's exit");
	EXPECT_EQ(CLD_EXITED, sigchld_info.si_code);
	EXPECT_EQ(cinit.pid, sigchld_info.si_pid);
}

/* A SIGCHLD a process sends with kill() is SI_USER: rewritten like any other. */
TEST_F(rule4, sigchld_sent_by_kill_from_parent_ns)
{
	const struct probe_opts cinit_catching_sigchld = {
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER, .catch_sigchld = true,
	};
	struct probe cinit;
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_catching_sigchld));
	ASSERT_EQ(0, kill(cinit.pid, SIGCHLD));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si)) TH_LOG("no SIGCHLD arrived");
	EXPECT_EQ(SIGCHLD, si.si_signo);
	EXPECT_INVISIBLE_SENDER(si, SI_USER, 0);
}

/*
 * No room in the receiver's queue: a legacy signal is pending without a
 * siginfo, and the handler gets SI_USER with pid and uid 0, under both
 * policies: rule 4 rewrites a queued copy, and there is none.
 */
TEST_F(rule4, sigqueue_without_queue_room_arrives_as_si_user)
{
	struct probe cinit, receiver;
	struct probe_result r;
	siginfo_t si;

	start_receiver(_metadata, &cinit, &receiver, &cinit_handler);
	ASSERT_EQ(0, probe_call(&receiver, probe_no_queue_room, 0, &r));
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(0, sigqueue(receiver.pid, SIGUSR1, (union sigval){ .sival_int = 7 }));
	ASSERT_TRUE(probe_record(&receiver, "receiver", &si));
	EXPECT_EQ(SI_USER, si.si_code) TH_LOG("si_code %d: a queue entry was made after all",
					      si.si_code);
	EXPECT_EQ(0, si.si_pid);
	EXPECT_EQ(0U, si.si_uid);
}

/* A cinit of ours, stopped by SIGSTOP: its SIGCHLD in sigchld_info. */
static void stop_cinit(struct __test_metadata *_metadata, struct probe *cinit)
{
	catch_sigchld_of(_metadata);
	probe_init(cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(cinit, &cinit_handler));
	ASSERT_EQ(0, kill(cinit->pid, SIGSTOP));
	ASSERT_TRUE(await_sigchld()) TH_LOG("no SIGCHLD for cinit's stop");
}

TEST_F(rule4, sigchld_cld_continued)
{
	struct probe cinit;

	stop_cinit(_metadata, &cinit);
	catch_sigchld_of(_metadata);
	ASSERT_EQ(0, kill(cinit.pid, SIGCONT));
	ASSERT_TRUE(await_sigchld()) TH_LOG("no SIGCHLD for cinit's continue");
	EXPECT_EQ(CLD_CONTINUED, sigchld_info.si_code);
	EXPECT_EQ(cinit.pid, sigchld_info.si_pid);
	EXPECT_EQ(0U, sigchld_info.si_uid);
}

TEST_F(rule4, sigchld_cld_stopped)
{
	struct probe cinit;

	stop_cinit(_metadata, &cinit);
	EXPECT_EQ(CLD_STOPPED, sigchld_info.si_code);
	EXPECT_EQ(cinit.pid, sigchld_info.si_pid);
	kill(cinit.pid, SIGKILL);
}

/* mq_notify registered by cinit, mq_send from the root namespace. */
static int notify_sigusr1(long mqd)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };

	return mq_notify((mqd_t)mqd, &ev);
}

TEST_F(rule4, mq_notify_from_parent_ns)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct probe cinit;
	struct probe_result r;
	siginfo_t si;
	mqd_t mqd;

	mq_unlink("/rule4");
	mqd = mq_open("/rule4", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_NE((mqd_t)-1, mqd) TH_LOG("mq_open: %s", strerror(errno));
	probe_init(&cinit, "cinit", NULL);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_call(&cinit, notify_sigusr1, mqd, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("mq_notify: errno %d", r.err);
	ASSERT_EQ(0, mq_send(mqd, "x", 1, 0));
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_MESGQ, 0);
	mq_close(mqd);
	mq_unlink("/rule4");
}

/*
 * mq_send() from a sibling pid namespace, through the shared IPC
 * namespace: the sender is invisible to cinit (no ancestor), and rule 4
 * applies as to any invisible sender.
 */
static mqd_t shared_mqd;

static int send_to_shared_queue(long unused)
{
	return mq_send(shared_mqd, "x", 1, 0);
}

TEST_F(rule4, mq_notify_from_sibling_ns)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct probe cinit, sibling;
	struct probe_result r;
	siginfo_t si;

	mq_unlink("/rule4-sibling");
	shared_mqd = mq_open("/rule4-sibling", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_NE((mqd_t)-1, shared_mqd) TH_LOG("mq_open: %s", strerror(errno));
	probe_init(&cinit, "cinit", NULL);
	probe_init(&sibling, "sibling", &cinit);
	ASSERT_EQ(0, probe_start(&cinit, &cinit_handler));
	ASSERT_EQ(0, probe_start(&sibling, &cinit_handler));
	ASSERT_EQ(0, probe_call(&cinit, notify_sigusr1, shared_mqd, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("mq_notify: errno %d", r.err);
	ASSERT_EQ(0, probe_call(&sibling, send_to_shared_queue, 0, &r));
	ASSERT_EQ(0, r.ret) TH_LOG("mq_send from the sibling: errno %d", r.err);
	ASSERT_TRUE(probe_record(&cinit, "cinit", &si));
	EXPECT_INVISIBLE_SENDER(si, SI_MESGQ, 0);
	mq_close(shared_mqd);
	mq_unlink("/rule4-sibling");
}

TEST_HARNESS_MAIN
