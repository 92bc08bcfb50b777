/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probes: processes a test places in pid namespaces and drives by command.
 *
 * A probe is a forked process, optionally the init of a new pid namespace
 * (a "cinit").  The test talks to it over a SOCK_SEQPACKET socket pair:
 * each command is answered once the probe has run it, so an answer is a
 * barrier: any signal the probe received before it has been handled (or
 * acted on) by then.  Signals a probe catches are reported as records on a
 * pipe shared by all probes of a test, tagged with the probe's name.
 *
 * Sockets and the record pipe must exist before any probe that will hold
 * them is forked, so a test calls probe_init() for every probe first.
 */
#ifndef PROBE_H
#define PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Every wait in the suite is bounded by this, in milliseconds. */
#define PROBE_TIMEOUT_MS 3000

enum probe_disposition {
	PROBE_SIG_DFL,		/* every catchable signal at SIG_DFL */
	PROBE_SIG_HANDLER,	/* an SA_SIGINFO handler that reports a record */
};

struct probe_opts {
	bool new_pidns;			/* be the init of a new pid namespace */
	bool new_userns;		/* ...in a new user namespace, root mapped to nobody */
	enum probe_disposition disposition;
	int pdeathsig;			/* PR_SET_PDEATHSIG; SIGKILL when 0 */
	bool threads;			/* start a second thread (probe_thread_tid) */
	int blocked;			/* a signal every thread blocks from the start */
	bool catch_sigchld;		/* the handler reports SIGCHLD too */
};

struct probe {
	const char *name;	/* tag of the records it reports */
	pid_t pid;		/* its pid as the test process sees it, 0 if none */
	pid_t pid_in_parent;	/* as the probe that spawned it sees it (probe_start_in) */
	pid_t tid2;		/* the second thread's tid, as the test sees it */
	int sock[2];		/* [0] the test's end, [1] the probe's end */
	int pidfd;		/* readable once it has exited; -1 before its hello */
	int events[2];		/* the shared record pipe (copied from the first probe) */
};

struct signal_record {
	char name[16];		/* which probe caught it */
	siginfo_t info;		/* exactly what the handler was given */
};

/* Commands a probe runs; each answers with the return value and errno. */
enum probe_op {
	PROBE_PING,
	PROBE_BLOCK,		/* sigprocmask(SIG_BLOCK, {sig}) */
	PROBE_UNBLOCK,		/* sigprocmask(SIG_UNBLOCK, {sig}) */
	PROBE_KILL,		/* a forked child of the probe calls kill(pid, sig) */
	PROBE_KILL_SELF,	/* the probe itself calls kill(pid, sig) */
	PROBE_SPAWN,		/* fork the probe given by index into its namespace */
	PROBE_SETPGID,		/* setpgid(0, pid) */
	PROBE_CALL,		/* the probe calls fn(arg): see probe_call() */
	PROBE_EXIT,
};

struct probe_result {
	int ret;
	int err;
};

void probe_init(struct probe *p, const char *name, const struct probe *share_events);
int probe_start(struct probe *p, const struct probe_opts *opts);
int probe_start_in(struct probe *parent, struct probe *p, const struct probe_opts *opts);
int probe_cmd(struct probe *p, enum probe_op op, pid_t pid, int sig, struct probe_result *r);
bool probe_alive(struct probe *p);

/*
 * Run @fn(@arg) inside the probe: probes are forks of the test, so the
 * function pointer is valid there.  @fn returns -1 with errno set on error.
 */
typedef int (*probe_fn)(long arg);
int probe_call(struct probe *p, probe_fn fn, long arg, struct probe_result *r);
/* For probe_call(): leave the probe no room to queue signals (RLIMIT_SIGPENDING 0). */
int probe_no_queue_room(long unused);

/*
 * The fate of a probe that is the test's own child: how it ended (or, to
 * its tracer, its next ptrace stop), within PROBE_TIMEOUT_MS.  Returns the
 * wait status, or -1 if nothing happened.
 */
int probe_fate(struct probe *p);
/*
 * The same for a probe spawned by another (probe_start_in): how @child
 * ended, as its parent probe reaped it.
 */
int probe_child_fate(struct probe *parent, struct probe *child);
/* True once @p has exited (its pidfd says so), within the timeout. */
bool probe_exited(struct probe *p);
/*
 * True once @p no longer blocks @sig (SigBlk in /proc), within the
 * timeout: sigtimedwait() unblocks what it waits for while it waits.
 */
bool probe_unblocks(struct probe *p, int sig);
/* Same for a probe that should have stopped: true once it is in state T. */
bool probe_stopped(struct probe *p);

/* The next record caught by @name, or false if none came within the timeout. */
bool probe_record(struct probe *p, const char *name, siginfo_t *info);
/* True if @name caught nothing: call after a barrier (a command answered). */
bool probe_no_record(struct probe *p, const char *name);

void probe_stop(struct probe *p);

#endif
