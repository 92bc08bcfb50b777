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
 *   - attach to their init, interrupt it and detach it with SIGTERM (the
 *     tracer's signal is from inside too);
 *   - kill(-1) and kill(0) with SIGWINCH (ignored by default, so harmless
 *     to whatever rule 3 lets it reach, in any namespace);
 *   - sigqueue() a real-time signal to the other workers of their
 *     namespace, counting each one the kernel accepts;
 *   - block and unblock signals, and fork children that exec /bin/true;
 * while this process flips kernel.pid_ns_signal_policy as often as it can
 * (every 2 ms at most).  Then
 * the invariants, one TAP line each: no init died, no worker died, every
 * accepted real-time signal was handled exactly once, nothing is left
 * unreaped, and this process never stalled.  It prints signals/s per
 * kind and policy.
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

/* Attach to our init, interrupt it, and let it go with SIGTERM. */
static long trace_init(void)
{
	int status;

	if (ptrace(PTRACE_SEIZE, 1, 0, 0))
		return -1;
	if (ptrace(PTRACE_INTERRUPT, 1, 0, 0) || waitpid(1, &status, __WALL) != 1) {
		ptrace(PTRACE_DETACH, 1, 0, 0);
		return -1;
	}
	return ptrace(PTRACE_DETACH, 1, 0, SIGTERM);
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

static void wait_for_count(volatile int *count, int n, long limit_ms)
{
	long deadline = now_ms() + limit_ms;

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
	wait_for_count(&l->done_sending, WORKERS, 5000);
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

	for (int sig = 1; sig < _NSIG; sig++)
		signal(sig, SIG_DFL);
	for (int i = 0; i < WORKERS; i++)
		if (fork() == 0)
			worker(level, i);
	if (level + 1 < depth && unshare(CLONE_NEWPID) == 0) {
		next = fork();
		if (next == 0)
			level_init(level + 1);
	}
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

static int verdicts;

static void verdict(bool ok, const char *name)
{
	printf("%s %d stress.%s\n", ok ? "ok" : "not ok", ++verdicts, name);
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

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 5;
	long start, deadline, last, gap = 0, flips = 0;
	int boot_policy = 0, status, lost = 0, dead_init = -1, dead_worker = -1;
	unsigned long accepted = 0;
	char buf[8];
	pid_t first;
	int fd;

	if (argc > 2)
		depth = atoi(argv[2]);
	if (seconds <= 0 || depth < 1 || depth > MAX_DEPTH) {
		fprintf(stderr, "usage: stress [SECONDS [DEPTH (1-%d)]]\n", MAX_DEPTH);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A group of its own: what is left in it after the teardown leaked. */
	setpgid(0, 0);
	printf("TAP version 13\n1..5\n");
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
	first = fork();
	if (first == 0)
		level_init(0);

	start = last = now_ms();
	deadline = start + seconds * 1000L;
	while (now_ms() < deadline) {
		long t = now_ms();

		if (t - last > gap)
			gap = t - last;
		last = t;
		sh->policy = !sh->policy;
		if (write_policy(sh->policy) == 0)
			flips++;
		usleep(2000);
		if (waitpid(first, &status, WNOHANG) == first) {
			sh->level[0].init_status = status;
			sh->level[0].init_died = 1;
			break;
		}
	}
	sh->stop = 1;
	for (int l = 0; l < depth; l++)
		if (!sh->level[l].init_died)
			wait_for_count(&sh->level[l].drained, WORKERS, 5000);
	for (int l = 0; l < depth; l++) {
		struct level *lv = &sh->level[l];

		if (lv->init_died && dead_init < 0)
			dead_init = l;
		if (lv->worker_died && dead_worker < 0)
			dead_worker = l;
		for (int s = 0; s < WORKERS; s++)
			for (int r = 0; r < WORKERS; r++) {
				accepted += lv->sent[s][r];
				/* A dead receiver's namespace is reported apart. */
				if (!lv->init_died && !lv->worker_died && lv->sent[s][r] != lv->received[s][r]) {
					printf("# level %d: worker %d sent worker %d %lu RT signals, %lu handled\n",
					       l, s, r, lv->sent[s][r], lv->received[s][r]);
					lost++;
				}
			}
	}
	/* The teardown: SIGKILL to the outermost init takes every namespace down. */
	sh->stop = 2;
	kill(first, SIGKILL);
	waitpid(first, NULL, 0);
	for (long t = now_ms(); leftovers() && now_ms() - t < 3000; )
		usleep(10000);
	write_policy(boot_policy);

	for (int k = 0; k < NR_KINDS; k++)
		printf("# %-18s %8.0f/s  (upstream %.0f/s, rfc2007 %.0f/s)\n", kind_name[k],
		       (sh->count[k][0] + sh->count[k][1]) * 1000.0 / (last - start + 1),
		       sh->count[k][0] * 1000.0 / (last - start + 1),
		       sh->count[k][1] * 1000.0 / (last - start + 1));
	printf("# %ld policy flips (one every %.1f ms); %lu RT signals accepted\n", flips,
	       flips ? (double)(last - start) / flips : 0.0, accepted);
	if (dead_init >= 0)
		printf("# the init of level %d died: status %#x (signal %d)\n", dead_init,
		       sh->level[dead_init].init_status, WTERMSIG(sh->level[dead_init].init_status));
	verdict(dead_init < 0, "no_init_at_sig_dfl_died_of_a_signal_from_inside");
	if (dead_worker >= 0)
		printf("# a worker of level %d died: status %#x\n", dead_worker,
		       sh->level[dead_worker].worker_status);
	verdict(dead_worker < 0, "no_worker_died");
	verdict(!lost && accepted > 0, "every_accepted_rt_signal_was_handled_once");
	printf("# %d processes left after the teardown\n", leftovers());
	verdict(!leftovers(), "nothing_left_unreaped");
	printf("# longest gap in this process's loop: %ld ms\n", gap);
	verdict(gap < 2000, "this_process_never_stalled");
	return dead_init < 0 && dead_worker < 0 && !lost && accepted && !leftovers() && gap < 2000 ?
	       0 : 1;
}
