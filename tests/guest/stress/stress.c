// SPDX-License-Identifier: GPL-2.0
/*
 * stress: the signal rules under load, across nested pid namespaces.
 *
 *	stress [SECONDS [DEPTH]]	(default 5 s, depth 8: make test's run)
 *
 * A chain of DEPTH nested pid namespaces, each with an init at SIG_DFL (no
 * handler: only rule 2 keeps it alive) and WORKERS processes.  For SECONDS
 * the workers of every namespace at once
 *   - send their own init signals that kill by default (kill, tgkill,
 *     sigqueue, pidfd_send_signal);
 *   - attach to their init and detach it from its SIGSTOP with SIGTERM
 *     in its place (the tracer's signal is from inside too);
 *   - kill(-1) and kill(0) with SIGWINCH (ignored by default, so harmless
 *     to whatever rule 3 lets it reach, in any namespace);
 *   - sigqueue() a real-time signal to the other workers of their
 *     namespace, counting each one the kernel accepts;
 *   - block and unblock signals, and fork children that exec /bin/true;
 * while this process flips kernel.pid_ns_signal_policy as often as it can
 * (every 2 ms at most).  Then the invariants, one TAP line each: every
 * level was built and answered at the end, no init died, no worker died,
 * every accepted real-time signal was handled exactly once, nothing is
 * left unreaped, and this process never stalled while the policy
 * flipped.  It prints signals/s per kind and policy.  (A -V option, which
 * init gives a program under make test POLICY=, is ignored: the policy
 * flips here.)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 32
#define WORKERS 3
/* The longest this process may go without running: a stalled guest. */
#define STALL_MS 5000
#define POLICY_SYSCTL "/proc/sys/kernel/pid_ns_signal_policy"
#define RT_SIG (SIGRTMIN + 1)

enum kind { KILL, TGKILL, SIGQUEUE, PIDFD, PTRACE, KILL_ALL, KILL_PGRP, RT, NR_KINDS };
static const char *const kind_name[NR_KINDS] = {
	"kill", "tgkill", "sigqueue", "pidfd_send_signal", "ptrace detach",
	"kill(-1)", "kill(0)", "sigqueue RT",
};

/* What every process of the run sees: mapped before the first fork. */
struct shared {
	volatile int stop;		/* workers stop sending */
	volatile int policy;		/* the policy last set */
	struct level {
		volatile pid_t worker[WORKERS];	/* pids in the level's namespace */
		volatile int init_died, init_status;	/* seen by its parent */
		volatile int worker_died, worker_status;
		volatile int built;		/* its init forked all it should */
		volatile int tracer_stuck;	/* a tracer found no SIGSTOP stop */
		volatile int done_sending, drained;	/* workers, counted */
		unsigned long sent[WORKERS][WORKERS];	/* RT accepted, sender x target */
		unsigned long received[WORKERS][WORKERS];
	} level[MAX_DEPTH];
	unsigned long count[NR_KINDS][2];	/* accepted sends, per policy */
};

static struct shared *sh;
static int depth = 8;
static int my_level, my_index;	/* a worker's */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void counted(enum kind k, long ret)
{
	if (ret == 0)
		__atomic_fetch_add(&sh->count[k][sh->policy & 1], 1, __ATOMIC_RELAXED);
}

/* A worker's handler: who sent it (si_value), to whom (us). */
static void on_rt(int sig, siginfo_t *si, void *uc)
{
	int from = si->si_value.sival_int;

	(void)sig;
	(void)uc;
	if (from >= 0 && from < WORKERS)
		__atomic_fetch_add(&sh->level[my_level].received[from][my_index], 1,
				   __ATOMIC_RELAXED);
}

static int write_policy(int value)
{
	int fd = open(POLICY_SYSCTL, O_WRONLY);
	int ok = fd >= 0 && write(fd, value ? "1" : "0", 1) == 1;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/*
 * Attach to our init and, at the stop for the SIGSTOP that attaching sent,
 * detach it with SIGTERM in its place.  Signals that stop it first are
 * passed on as they came.  Every wait is bounded: a tracer that sees no
 * SIGSTOP stop in 2 s says so (and the init stays traced).
 */
static long trace_init(void)
{
	long deadline = now_ms() + 2000;
	int status;

	if (ptrace(PTRACE_ATTACH, 1, 0, 0))
		return -1;
	while (now_ms() < deadline) {
		pid_t r = waitpid(1, &status, WNOHANG | __WALL);

		if (r == 0) {
			usleep(1000);
			continue;
		}
		if (r != 1 || !WIFSTOPPED(status))
			return -1;
		if (WSTOPSIG(status) == SIGSTOP)
			return ptrace(PTRACE_DETACH, 1, 0, SIGTERM);
		ptrace(PTRACE_CONT, 1, 0, WSTOPSIG(status));
	}
	sh->level[my_level].tracer_stuck = 1;
	return -1;
}

static void one_action(unsigned int *seed, int pidfd)
{
	static const int fatal[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM };
	int sig = fatal[rand_r(seed) % (sizeof(fatal) / sizeof(fatal[0]))];
	struct level *l = &sh->level[my_level];
	union sigval v = { .sival_int = my_index };
	int target = rand_r(seed) % WORKERS;
	sigset_t set;
	pid_t child;

	switch (rand_r(seed) % 11) {
	case 0:
		counted(KILL, kill(1, sig));
		break;
	case 1:
		counted(TGKILL, syscall(SYS_tgkill, 1, 1, sig));
		break;
	case 2:
		counted(SIGQUEUE, sigqueue(1, sig, v));
		break;
	case 3:
		counted(PIDFD, pidfd >= 0 ? syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) : -1);
		break;
	case 4:
		if (my_index == 0)	/* one tracer a namespace */
			counted(PTRACE, trace_init());
		break;
	case 5:
		counted(KILL_ALL, kill(-1, SIGWINCH));
		break;
	case 6:
		counted(KILL_PGRP, kill(0, SIGWINCH));
		break;
	case 7:
	case 8:
		if (target != my_index && l->worker[target] && !sigqueue(l->worker[target], RT_SIG, v)) {
			__atomic_fetch_add(&l->sent[my_index][target], 1, __ATOMIC_RELAXED);
			counted(RT, 0);
		}
		break;
	case 9:
		sigemptyset(&set);
		sigaddset(&set, RT_SIG);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sched_yield();
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		break;
	case 10:
		child = fork();
		if (child == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (child > 0)
			waitpid(child, NULL, 0);
		break;
	}
}

static void wait_for_count(volatile int *count, int n, long deadline)
{
	while (*count < n && now_ms() < deadline)
		usleep(1000);
}

static void __attribute__((noreturn)) worker(int level, int index)
{
	struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO | SA_RESTART };
	unsigned int seed = level * 31 + index;
	struct level *l = &sh->level[level];
	int pidfd = syscall(SYS_pidfd_open, 1, 0);
	sigset_t none;

	my_level = level;
	my_index = index;
	sigaction(RT_SIG, &sa, NULL);
	l->worker[index] = getpid();
	while (!sh->stop)
		one_action(&seed, pidfd);
	/* Once no one sends, take what is still queued: then it is counted. */
	__atomic_fetch_add(&l->done_sending, 1, __ATOMIC_SEQ_CST);
	wait_for_count(&l->done_sending, WORKERS, now_ms() + 5000);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	__atomic_fetch_add(&l->drained, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();	/* until the teardown's SIGKILL */
}

/*
 * The init of level @level's namespace: its workers, then the next
 * level's init; then it reaps, noting a death that was not the teardown's.
 */
static void __attribute__((noreturn)) level_init(int level)
{
	pid_t next = 0;
	int built = 1;

	for (int sig = 1; sig < _NSIG; sig++)
		signal(sig, SIG_DFL);

	for (int i = 0; i < WORKERS; i++) {
		pid_t w = fork();

		if (w == 0)
			worker(level, i);
		built &= w > 0;
	}
	if (level + 1 < depth) {
		next = unshare(CLONE_NEWPID) ? -1 : fork();
		if (next == 0)
			level_init(level + 1);
		built &= next > 0;
	}
	sh->level[level].built = built;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL);

		if (pid < 0 && errno == ECHILD)
			pause();
		if (pid <= 0 || sh->stop > 1)
			continue;
		if (pid == next && (WIFSIGNALED(status) || WIFEXITED(status))) {
			sh->level[level + 1].init_status = status;
			sh->level[level + 1].init_died = 1;
		} else if (pid != next && (WIFSIGNALED(status) || WIFEXITED(status))) {
			for (int i = 0; i < WORKERS; i++)
				if (sh->level[level].worker[i] == pid) {
					sh->level[level].worker_status = status;
					sh->level[level].worker_died = 1;
				}
		}
	}
}

static int verdicts, failed;

static void verdict(bool ok, const char *name)
{
	printf("%s %d stress.%s\n", ok ? "ok" : "not ok", ++verdicts, name);
	failed += !ok;
}

/* Other processes of our group: what the teardown must have reaped. */
static int leftovers(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	int n = 0;

	while (proc && (d = readdir(proc))) {
		int pid = atoi(d->d_name);

		if (pid > 0 && pid != getpid() && getpgid(pid) == getpgrp())
			n++;
	}
	if (proc)
		closedir(proc);
	return n;
}

/* Level 0's init, as we reap it: a death before the teardown is noted. */
static void reap_first(pid_t first, int options)
{
	int status;

	if (!sh->level[0].init_died && waitpid(first, &status, options) == first) {
		sh->level[0].init_status = status;
		sh->level[0].init_died = 1;
	}
}

int main(int argc, char **argv)
{
	long start, deadline, last, gap = 0, flips = 0;
	int seconds = 5, boot_policy, lost = 0, dead_init = -1, dead_worker = -1;
	int unbuilt = -1, undrained = -1, stuck = -1, left, status;
	unsigned long accepted = 0;
	char buf[8];
	pid_t first;
	int fd;

	if (argc > 2 && !strcmp(argv[1], "-V")) {	/* init's policy filter */
		argv += 2;
		argc -= 2;
	}
	if (argc > 1)
		seconds = atoi(argv[1]);
	if (argc > 2)
		depth = atoi(argv[2]);
	if (seconds <= 0 || depth < 1 || depth > MAX_DEPTH) {
		fprintf(stderr, "usage: stress [SECONDS [DEPTH (1-%d)]]\n", MAX_DEPTH);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A group of its own: what is left in it after the teardown leaked. */
	setpgid(0, 0);
	printf("TAP version 13\n1..7\n");
	printf("# %d nested pid namespaces, %d workers each, %d s, the policy flipping\n",
	       depth, WORKERS, seconds);
	fd = open(POLICY_SYSCTL, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0) {
		printf("Bail out! no %s: %s\n", POLICY_SYSCTL, strerror(errno));
		return 1;
	}
	close(fd);
	boot_policy = buf[0] == '1';
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || unshare(CLONE_NEWPID)) {
		printf("Bail out! set-up: %s\n", strerror(errno));
		return 1;
	}
	sh->policy = boot_policy;
	first = fork();
	if (first < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		return 1;
	}
	if (first == 0)
		level_init(0);

	start = last = now_ms();
	deadline = start + seconds * 1000L;
	while (now_ms() < deadline && !sh->level[0].init_died) {
		long t = now_ms();

		if (t - last > gap)
			gap = t - last;
		last = t;
		/* Workers count by the policy set, so set it only once written. */
		if (write_policy(!sh->policy) == 0) {
			sh->policy = !sh->policy;
			flips++;
		}
		usleep(2000);
		reap_first(first, WNOHANG);
	}
	sh->stop = 1;
	/* One bound for the drain of every level; a dead init's levels do not answer. */
	deadline = now_ms() + 10000;
	for (int l = 0; l < depth; l++) {
		bool gone = false;

		for (int up = 0; up <= l; up++)
			gone |= sh->level[up].init_died;
		if (!gone)
			wait_for_count(&sh->level[l].drained, WORKERS, deadline);
	}
	reap_first(first, WNOHANG);
	for (int l = 0; l < depth; l++) {
		struct level *lv = &sh->level[l];
		bool workers = true;

		for (int i = 0; i < WORKERS; i++)
			workers &= lv->worker[i] != 0;
		if ((!lv->built || !workers) && unbuilt < 0)
			unbuilt = l;
		if (lv->drained < WORKERS && undrained < 0)
			undrained = l;
		if (lv->init_died && dead_init < 0)
			dead_init = l;
		if (lv->worker_died && dead_worker < 0)
			dead_worker = l;
		if (lv->tracer_stuck && stuck < 0)
			stuck = l;
		for (int s = 0; s < WORKERS; s++)
			for (int r = 0; r < WORKERS; r++) {
				accepted += lv->sent[s][r];
				if (lv->sent[s][r] != lv->received[s][r]) {
					printf("# level %d: worker %d sent worker %d %lu RT signals, %lu handled\n",
					       l, s, r, lv->sent[s][r], lv->received[s][r]);
					lost++;
				}
			}
	}
	/* The teardown: SIGKILL to the outermost init takes every namespace down. */
	sh->stop = 2;
	kill(first, SIGKILL);
	if (!sh->level[0].init_died)
		waitpid(first, &status, 0);
	for (long t = now_ms(); leftovers() && now_ms() - t < 3000; )
		usleep(10000);
	left = leftovers();
	write_policy(boot_policy);

	for (int k = 0; k < NR_KINDS; k++)
		printf("# %-18s %8.0f/s  (upstream %.0f/s, rfc2007 %.0f/s)\n", kind_name[k],
		       (sh->count[k][0] + sh->count[k][1]) * 1000.0 / (last - start + 1),
		       sh->count[k][0] * 1000.0 / (last - start + 1),
		       sh->count[k][1] * 1000.0 / (last - start + 1));
	printf("# %ld policy flips (one every %.1f ms); %lu RT signals accepted\n", flips,
	       flips ? (double)(last - start) / flips : 0.0, accepted);
	if (unbuilt >= 0)
		printf("# level %d was not built whole\n", unbuilt);
	if (undrained >= 0)
		printf("# level %d's workers did not all answer at the end\n", undrained);
	if (stuck >= 0)
		printf("# a tracer at level %d saw no SIGSTOP stop in 2 s\n", stuck);
	verdict(unbuilt < 0 && undrained < 0 && stuck < 0, "every_level_built_and_answering");
	if (dead_init >= 0)
		printf("# the init of level %d died: status %#x (signal %d)\n", dead_init,
		       sh->level[dead_init].init_status, WTERMSIG(sh->level[dead_init].init_status));
	verdict(dead_init < 0, "no_init_at_sig_dfl_died_of_a_signal_from_inside");
	if (dead_worker >= 0)
		printf("# a worker of level %d died: status %#x\n", dead_worker,
		       sh->level[dead_worker].worker_status);
	verdict(dead_worker < 0, "no_worker_died");
	verdict(!lost && accepted > 0, "every_accepted_rt_signal_was_handled_once");
	printf("# %d processes left after the teardown\n", left);
	verdict(!left, "nothing_left_unreaped");
	verdict(flips > 0, "the_policy_flipped");
	printf("# longest gap in this process's loop: %ld ms\n", gap);
	verdict(gap < STALL_MS, "this_process_never_stalled");
	return failed ? 1 : 0;
}
