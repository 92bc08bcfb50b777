// SPDX-License-Identifier: GPL-2.0
/*
 * signal-send-bench: kill(2)'s path timed in the kernel, per case and
 * policy, for `make bench-send`.
 *
 *	signal-send-bench [BLOCKS [LOOPS [PROCESSES]]]
 *
 * Each case places a receiver that blocks the signal (the test suite's
 * probes), then times LOOPS sends to it BLOCKS times through
 * /sys/kernel/debug/signal_send_bench (lib/signal_send_bench.c: the
 * sends run in the kernel, in this process's context, so this process in
 * the root namespace is the sender).  On a kernel with
 * kernel.pid_ns_signal_policy each block times upstream and rfc2007 in
 * turn, the first one alternating; on one without, "stock".  kill(-1)
 * is timed over 100, 1000 and 5000 processes, as far as PROCESSES (5000;
 * give the guest mem=1G for that many).  Each case starts with a line
 * "# case CASE pid PID sig SIG" (what `make bench-insns` joins its
 * instruction counts on), then one line a block and policy: "send CASE
 * POLICY NS_PER_SEND"; "# signal-send-bench: done" is the last line.  A
 * case that cannot be set up or timed ends the run with status 1 and
 * without that line: no short time is ever printed for it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

#define BENCH_FILE	"/sys/kernel/debug/signal_send_bench"
#define POLICY_FILE	"/proc/sys/kernel/pid_ns_signal_policy"
#define MAX_DEPTH	32

static int blocks = 30, loops = 20000, max_processes = 5000;

static void die(const char *what)
{
	fprintf(stderr, "signal-send-bench: error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

/* Nanoseconds per send of @n sends of @sig to @pid. */
static double time_sends(pid_t pid, int sig, int n)
{
	char cmd[48], out[64];
	unsigned long long ns;
	unsigned int done;
	int fd;
	ssize_t len;

	snprintf(cmd, sizeof(cmd), "%d %d %d", pid, sig, n);
	write_file(BENCH_FILE, cmd);
	fd = open(BENCH_FILE, O_RDONLY);
	len = fd < 0 ? -1 : read(fd, out, sizeof(out) - 1);
	if (len <= 0)
		die(BENCH_FILE);
	close(fd);
	out[len] = '\0';
	if (sscanf(out, "loops %u ns %llu", &done, &ns) != 2 || done != (unsigned int)n || !ns) {
		errno = EPROTO;
		die(BENCH_FILE);
	}
	return (double)ns / n;
}

static bool has_policy(void)
{
	return access(POLICY_FILE, F_OK) == 0;
}

/* BLOCKS blocks of @n sends of @sig to @pid, each under every policy. */
static void run_case(const char *name, pid_t pid, int sig, int n)
{
	static const char *const policies[] = { "upstream", "rfc2007" };

	printf("# case %s pid %d sig %d\n", name, pid, sig);
	for (int b = 0; b < blocks; b++) {
		if (!has_policy()) {
			printf("send %s stock %.1f\n", name, time_sends(pid, sig, n));
			continue;
		}
		for (int k = 0; k < 2; k++) {
			int p = (b + k) % 2;

			write_file(POLICY_FILE, p ? "1" : "0");
			printf("send %s %s %.1f\n", name, policies[p], time_sends(pid, sig, n));
		}
	}
	if (has_policy())
		write_file(POLICY_FILE, "0");
}

/* A receiver in the root namespace, this process's own. */
static void same_namespace(int sig, const char *name)
{
	const struct probe_opts opts = { .blocked = sig };
	struct probe p;

	probe_init(&p, "same", NULL);
	if (probe_start(&p, &opts))
		die("starting a receiver");
	run_case(name, p.pid, sig, loops);
	probe_stop(&p);
}

/* A receiver that is no init, @depth namespaces down. */
static void nested(int depth, int sig, const char *kind)
{
	const struct probe_opts cinit = { .new_pidns = true };
	const struct probe_opts leaf = { .blocked = sig };
	struct probe chain[MAX_DEPTH + 1];
	char name[32];
	int i;

	for (i = 0; i <= depth; i++)
		probe_init(&chain[i], "chain", i ? &chain[0] : NULL);
	if (probe_start(&chain[0], &cinit))
		die("starting a namespace's init");
	for (i = 1; i < depth; i++)
		if (probe_start_in(&chain[i - 1], &chain[i], &cinit))
			die("starting a nested namespace's init");
	if (probe_start_in(&chain[depth - 1], &chain[depth], &leaf))
		die("starting the nested receiver");
	snprintf(name, sizeof(name), "depth%d_%s", depth, kind);
	run_case(name, chain[depth].pid, sig, loops);
	for (i = depth; i >= 0; i--)
		probe_stop(&chain[i]);
}

/* A namespace's init that handles the signal (and blocks it). */
static void cinit_with_handler(void)
{
	const struct probe_opts opts = {
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER, .blocked = SIGUSR1,
	};
	struct probe p;

	probe_init(&p, "cinit", NULL);
	if (probe_start(&p, &opts))
		die("starting a namespace's init");
	run_case("cinit_handler_legacy", p.pid, SIGUSR1, loops);
	probe_stop(&p);
}

/* kill(-1) over @n processes that block SIGUSR1. */
static void kill_all(int n)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	sigset_t set, old;
	char name[32];
	int i;

	if (!pids)
		die("calloc");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0)
			for (;;)
				pause();
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	snprintf(name, sizeof(name), "kill_all_%d", n);
	/* Each send walks every process: keep a block near 20 ms. */
	run_case(name, -1, SIGUSR1, loops / n > 10 ? loops / n : 10);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
}

int main(int argc, char **argv)
{
	static const int depths[] = { 1, 8, 32 };
	static const int processes[] = { 100, 1000, 5000 };

	if (argc > 1)
		blocks = atoi(argv[1]);
	if (argc > 2)
		loops = atoi(argv[2]);
	if (argc > 3)
		max_processes = atoi(argv[3]);
	if (blocks < 1 || loops < 10 || max_processes < processes[0]) {
		fprintf(stderr, "usage: signal-send-bench [BLOCKS >= 1 [LOOPS >= 10 [PROCESSES >= %d]]]\n",
			processes[0]);
		return 2;
	}
	/* A line at a time: the console interleaves it with the kernel's. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(BENCH_FILE, W_OK))
		die(BENCH_FILE " (debugfs, CONFIG_SIGNAL_SEND_BENCH)");
	printf("# signal-send-bench: %d blocks of %d sends, policy %s\n", blocks, loops,
	       has_policy() ? "upstream and rfc2007 in turn" : "stock");
	same_namespace(SIGUSR1, "same_ns_legacy");
	same_namespace(SIGRTMIN, "same_ns_rt");
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		nested(depths[d], SIGUSR1, "legacy");
		nested(depths[d], SIGRTMIN, "rt");
	}
	cinit_with_handler();
	for (size_t n = 0; n < sizeof(processes) / sizeof(processes[0]); n++)
		if (processes[n] <= max_processes)
			kill_all(processes[n]);
	printf("# signal-send-bench: done\n");
	return 0;
}
