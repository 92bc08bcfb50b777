// SPDX-License-Identifier: GPL-2.0
/*
 * Probes: see probe.h.  Everything here either runs in the test process
 * (probe_init, probe_start*, probe_cmd, probe_fate, probe_record...) or in a
 * probe (probe_main and what it calls).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

struct probe_command {
	enum probe_op op;
	pid_t pid;
	int sig;
	struct probe *child;		/* PROBE_SPAWN: valid in the probe, a fork */
	struct probe_opts opts;		/* PROBE_SPAWN */
	probe_fn fn;			/* PROBE_CALL */
	long arg;			/* PROBE_CALL */
};

/* The probe this process is, for the signal handler. */
static struct probe *self;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum wait_result { WAIT_READY, WAIT_TIMEOUT, WAIT_EXITED };

/*
 * poll() @fd for input until the deadline, or until the probe behind
 * @pidfd (ignored when negative) has exited: the test holds both ends of
 * every probe's socket, so a probe's death is no hang-up on it.
 */
static enum wait_result wait_fd(int fd, int pidfd, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	struct pollfd pfd[] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
	};

	for (;;) {
		int left = deadline - now_ms();
		int n = poll(pfd, 2, left > 0 ? left : 0);

		if (n > 0 && !pfd[0].revents)
			poll(pfd, 1, 0);	/* exited: an answer sent just before? */
		if (n > 0)
			return pfd[0].revents ? WAIT_READY : WAIT_EXITED;
		if (n == 0 || errno != EINTR)
			return WAIT_TIMEOUT;
	}
}

void probe_init(struct probe *p, const char *name, const struct probe *share_events)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->pidfd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p->sock))
		abort();
	if (share_events) {
		p->events[0] = share_events->events[0];
		p->events[1] = share_events->events[1];
	} else if (pipe2(p->events, O_CLOEXEC)) {
		abort();
	}
	setsockopt(p->sock[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
}

/* --- the probe side ----------------------------------------------------- */

static void report_signal(int sig, siginfo_t *info, void *uc)
{
	struct signal_record rec = { .info = *info };
	int saved = errno;

	(void)sig;
	(void)uc;
	strncpy(rec.name, self->name, sizeof(rec.name) - 1);
	if (write(self->events[1], &rec, sizeof(rec)) != sizeof(rec))
		_exit(120);
	errno = saved;
}

static void set_disposition(enum probe_disposition disp, bool catch_sigchld)
{
	struct sigaction sa = { 0 };
	int sig;

	if (disp == PROBE_SIG_HANDLER) {
		sa.sa_sigaction = report_signal;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		/* One handler at a time: records come in the order of dequeue. */
		sigfillset(&sa.sa_mask);
	} else {
		sa.sa_handler = SIG_DFL;
	}
	for (sig = 1; sig <= SIGRTMAX; sig++) {
		/* SIGCHLD stays default unless asked: probes reap their children. */
		if (sig == SIGKILL || sig == SIGSTOP || (sig == SIGCHLD && !catch_sigchld))
			continue;
		sigaction(sig, &sa, NULL);
	}
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void answer(struct probe *p, int ret, int err)
{
	struct probe_result r = { .ret = ret, .err = err };

	if (send(p->sock[1], &r, sizeof(r), MSG_NOSIGNAL) != sizeof(r))
		_exit(121);
}

static int fork_probe(struct probe *child, const struct probe_opts *opts);

/* Run @op in a forked, non-init process of this namespace and return its answer. */
static int in_child(const struct probe_command *c, int *err)
{
	int pipefd[2];
	struct probe_result r = { -1, ECHILD };
	pid_t pid;

	if (pipe(pipefd))
		return *err = errno, -1;
	pid = fork();
	if (pid == 0) {
		/* The sender may be among the targets (kill(-1), kill(0)). */
		signal(c->sig, SIG_IGN);
		r.ret = kill(c->pid, c->sig);
		r.err = r.ret ? errno : 0;
		if (write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (pid > 0) {
		if (read(pipefd[0], &r, sizeof(r)) != sizeof(r))
			r = (struct probe_result){ -1, EPIPE };
		waitpid(pid, NULL, 0);
	}
	close(pipefd[0]);
	*err = r.err;
	return r.ret;
}

static int run(struct probe_command *c, int *err)
{
	sigset_t set;
	int ret;

	sigemptyset(&set);
	sigaddset(&set, c->sig);
	*err = 0;
	switch (c->op) {
	case PROBE_PING:
		return 0;
	case PROBE_BLOCK:
		return sigprocmask(SIG_BLOCK, &set, NULL);
	case PROBE_UNBLOCK:
		return sigprocmask(SIG_UNBLOCK, &set, NULL);
	case PROBE_KILL:
		return in_child(c, err);
	case PROBE_KILL_SELF:
		ret = kill(c->pid, c->sig);
		*err = ret ? errno : 0;
		return ret;
	case PROBE_SPAWN:
		ret = fork_probe(c->child, &c->opts);
		*err = ret < 0 ? -ret : 0;
		return ret < 0 ? -1 : ret;
	case PROBE_SETPGID:
		ret = setpgid(0, c->pid);
		*err = ret ? errno : 0;
		return ret;
	case PROBE_CALL:
		errno = 0;
		ret = c->fn(c->arg);
		*err = ret < 0 ? errno : 0;
		return ret;
	case PROBE_EXIT:
		answer(self, 0, 0);
		_exit(0);
	}
	*err = EINVAL;
	return -1;
}

/* The children this probe reaped, with how they ended, for probe_child_fate(). */
static struct { pid_t pid; int status; } reaped[16];
static int nr_reaped;

static void reap_children(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (nr_reaped == (int)(sizeof(reaped) / sizeof(reaped[0]))) {
			printf("# probe: more than %d children reaped; aborting\n", nr_reaped);
			abort();
		}
		reaped[nr_reaped].pid = pid;
		reaped[nr_reaped++].status = status;
	}
}

/* In the parent probe: how its child @pid ended, waiting for it (bounded). */
static int fate_of_child(long pid)
{
	long deadline = now_ms() + PROBE_TIMEOUT_MS;

	do {
		reap_children();
		for (int i = 0; i < nr_reaped; i++)
			if (reaped[i].pid == pid)
				return reaped[i].status;
		usleep(1000);
	} while (now_ms() < deadline);
	errno = ETIMEDOUT;
	return -1;
}

static int probe_main(struct probe *p, const struct probe_opts *opts)
{
	struct probe_command c;
	pthread_t thread;
	int err, ret;

	self = p;
	prctl(PR_SET_PDEATHSIG, opts->pdeathsig ? opts->pdeathsig : SIGKILL);
	set_disposition(opts->disposition, opts->catch_sigchld);
	if (opts->blocked) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, opts->blocked);
		sigprocmask(SIG_BLOCK, &set, NULL);	/* a thread inherits it */
	}
	if (opts->threads && pthread_create(&thread, NULL, idle_thread, NULL))
		_exit(122);
	/* Hello: SCM_CREDENTIALS tells the test our pid in its namespace. */
	answer(p, getpid(), 0);
	for (;;) {
		ssize_t n = recv(p->sock[1], &c, sizeof(c), 0);

		if (n == 0)
			_exit(0);	/* the test is gone */
		if (n != sizeof(c))
			continue;	/* EINTR: a signal was handled */
		ret = run(&c, &err);
		reap_children();
		answer(p, ret, err);
	}
}

static int probe_trampoline(void *arg)
{
	void **a = arg;

	_exit(probe_main(a[0], a[1]));
}

/* Fork (or clone into a new pid namespace) a process that runs probe_main. */
static int fork_probe(struct probe *child, const struct probe_opts *opts)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	void *args[] = { child, (void *)opts };
	int flags = SIGCHLD;
	pid_t pid;

	if (opts->new_pidns)
		flags |= CLONE_NEWPID;
	if (opts->new_userns)
		flags |= CLONE_NEWUSER;
	/*
	 * CLONE_VM is not used, so the child gets a copy of the stack: the
	 * static buffer is safe to reuse for every probe.
	 */
	pid = clone(probe_trampoline, stack + sizeof(stack), flags, args);
	return pid < 0 ? -errno : pid;
}

/* --- the test side ------------------------------------------------------ */

/* Read a probe's answer; its SCM_CREDENTIALS pid is returned in @sender. */
static int recv_answer(struct probe *p, struct probe_result *r, pid_t *sender)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;

	switch (wait_fd(p->sock[0], p->pidfd, PROBE_TIMEOUT_MS)) {
	case WAIT_TIMEOUT:
		return -ETIMEDOUT;
	case WAIT_EXITED:
		return -ESRCH;
	case WAIT_READY:
		break;
	}
	if (recvmsg(p->sock[0], &msg, 0) != sizeof(*r))
		return -EPIPE;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (sender && cm->cmsg_type == SCM_CREDENTIALS)
			*sender = ((struct ucred *)CMSG_DATA(cm))->pid;
	return 0;
}

/* Send @c and wait for the probe's answer. */
static int transact(struct probe *p, const struct probe_command *c, struct probe_result *r)
{
	struct probe_result dummy;

	if (send(p->sock[0], c, sizeof(*c), MSG_NOSIGNAL) != sizeof(*c))
		return -EPIPE;
	return recv_answer(p, r ? r : &dummy, NULL);
}

static int await_hello(struct probe *p)
{
	struct probe_result hello;
	DIR *dir;
	struct dirent *d;
	char path[64];
	int ret = recv_answer(p, &hello, &p->pid);

	if (ret)
		return ret;
	p->pidfd = syscall(SYS_pidfd_open, p->pid, 0);
	if (p->pidfd < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/task", p->pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir)))
		if (atoi(d->d_name) > 0 && atoi(d->d_name) != p->pid)
			p->tid2 = atoi(d->d_name);
	if (dir)
		closedir(dir);
	return 0;
}

int probe_start(struct probe *p, const struct probe_opts *opts)
{
	int pid = fork_probe(p, opts);

	return pid < 0 ? pid : await_hello(p);
}

int probe_start_in(struct probe *parent, struct probe *p, const struct probe_opts *opts)
{
	struct probe_command c = { .op = PROBE_SPAWN, .child = p, .opts = *opts };
	struct probe_result r;
	int ret = transact(parent, &c, &r);

	if (ret)
		return ret;
	if (r.ret < 0)
		return -r.err;
	p->pid_in_parent = r.ret;
	return await_hello(p);
}

int probe_child_fate(struct probe *parent, struct probe *child)
{
	struct probe_result r;

	if (probe_call(parent, fate_of_child, child->pid_in_parent, &r))
		return -1;
	return r.ret;
}

bool probe_exited(struct probe *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };

	return p->pidfd >= 0 && poll(&pfd, 1, PROBE_TIMEOUT_MS) > 0;
}

int probe_cmd(struct probe *p, enum probe_op op, pid_t pid, int sig, struct probe_result *r)
{
	struct probe_command c = { .op = op, .pid = pid, .sig = sig };

	return transact(p, &c, r);
}

int probe_call(struct probe *p, probe_fn fn, long arg, struct probe_result *r)
{
	struct probe_command c = { .op = PROBE_CALL, .fn = fn, .arg = arg };

	return transact(p, &c, r);
}

int probe_no_queue_room(long unused)
{
	struct rlimit none = { 0, 0 };

	(void)unused;
	return setrlimit(RLIMIT_SIGPENDING, &none);
}

bool probe_alive(struct probe *p)
{
	return probe_cmd(p, PROBE_PING, 0, 0, NULL) == 0;
}

int probe_fate(struct probe *p)
{
	long deadline = now_ms() + PROBE_TIMEOUT_MS;
	int status;

	do {
		pid_t r = waitpid(p->pid, &status, WNOHANG | __WALL);

		if (r == p->pid)
			return status;
		if (r < 0)
			return -1;
		usleep(1000);
	} while (now_ms() < deadline);
	return -1;
}

/* Poll /proc/<pid>/status until the line @field satisfies @ok, bounded. */
static bool status_becomes(pid_t pid, const char *field, bool (*ok)(const char *, int), int arg)
{
	long deadline = now_ms() + PROBE_TIMEOUT_MS;
	char path[64], buf[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	do {
		bool seen = false;

		f = fopen(path, "r");
		if (!f)
			return false;
		while (!seen && fgets(buf, sizeof(buf), f))
			seen = !strncmp(buf, field, strlen(field));
		fclose(f);
		if (seen && ok(buf + strlen(field) + strspn(buf + strlen(field), " \t"), arg))
			return true;
		usleep(1000);
	} while (now_ms() < deadline);
	return false;
}

static bool mask_lacks(const char *hex, int sig)
{
	return !((strtoull(hex, NULL, 16) >> (sig - 1)) & 1);
}

bool probe_unblocks(struct probe *p, int sig)
{
	return status_becomes(p->pid, "SigBlk:", mask_lacks, sig);
}

static bool state_is(const char *state, int c)
{
	return *state == c;
}

bool probe_stopped(struct probe *p)
{
	return status_becomes(p->pid, "State:", state_is, 'T');
}

/* Records read while looking for another probe's, in arrival order. */
static struct signal_record held[32];
static int nr_held;

/* Keep @rec for later; a test that overflows the list is wrong, not lucky. */
static void hold(const struct signal_record *rec)
{
	if (nr_held == (int)(sizeof(held) / sizeof(held[0]))) {
		printf("# probe: more than %d signal records unread; aborting\n", nr_held);
		abort();
	}
	held[nr_held++] = *rec;
}

bool probe_record(struct probe *p, const char *name, siginfo_t *info)
{
	struct signal_record rec;
	int i;

	for (i = 0; i < nr_held; i++) {
		if (strcmp(held[i].name, name))
			continue;
		*info = held[i].info;
		memmove(&held[i], &held[i + 1], (--nr_held - i) * sizeof(held[0]));
		return true;
	}
	while (wait_fd(p->events[0], -1, PROBE_TIMEOUT_MS) == WAIT_READY) {
		if (read(p->events[0], &rec, sizeof(rec)) != sizeof(rec))
			return false;
		if (!strcmp(rec.name, name)) {
			*info = rec.info;
			return true;
		}
		hold(&rec);
	}
	return false;
}

bool probe_no_record(struct probe *p, const char *name)
{
	struct signal_record rec;

	while (wait_fd(p->events[0], -1, 0) == WAIT_READY &&
	       read(p->events[0], &rec, sizeof(rec)) == sizeof(rec))
		hold(&rec);
	for (int i = 0; i < nr_held; i++)
		if (!strcmp(held[i].name, name))
			return false;
	return true;
}

void probe_stop(struct probe *p)
{
	if (p->pid > 0)
		probe_cmd(p, PROBE_EXIT, 0, 0, NULL);
}
