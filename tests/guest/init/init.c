// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's init (pid 1 of ./linux).
 *
 *	init -- test <seconds> [-p <policy>] [-x] [-o <dir>] <program>...
 *		run each /tests/<program> with a time limit, TAP to the console
 *		and to <dir> (default /results), then power off; a program
 *		"kunit/<suite>" is the KTAP of that KUnit suite, run at boot.
 *		-p leaves out the kselftest harness variants of the other
 *		signal policy (tests without a policy variant still run).
 *		-x stops at the first failing case: make mutation asks only
 *		whether a mutant is caught, and by what (KUnit suites ran at
 *		boot and cost nothing: they are collected all the same).
 *	init -- run [-o <dir>] <program> [args...]
 *		run one program, then power off; its exit status decides
 *		<dir>/status
 *	init -- shell				an interactive busybox shell
 *
 * The kernel passes the words after "--" on its command line to init.
 * <dir>/status says how the run ended ("pass" or "fail"): UML's exit
 * code does not carry it.  Guests that share the root folder at once
 * (make coverage boots several) each write to their own <dir>.
 *
 * As the global init this process only receives signals it handles: it
 * handles the ones busybox poweroff, halt and reboot send to pid 1.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *results = "/results";
/* The policy variant -p leaves out, passed to the harness as -V. */
static const char *other_policy;
/* -x: the first failing case ends the run. */
static bool stop_at_failure;

static volatile sig_atomic_t power_off_requested;

/*
 * kernel.pid_ns_signal_policy as the kernel booted with it, put back
 * before each test program: a program killed at its time limit never
 * ran the teardown that restores it.
 */
#define POLICY_SYSCTL "/proc/sys/kernel/pid_ns_signal_policy"
static char boot_policy[8];

static void save_boot_policy(void)
{
	int fd = open(POLICY_SYSCTL, O_RDONLY);

	if (fd >= 0) {
		if (read(fd, boot_policy, sizeof(boot_policy) - 1) < 0)
			boot_policy[0] = '\0';
		close(fd);
	}
}

/* The signal:signal_pidns event stays off unless a test turns it on. */
static void trace_event_off(void)
{
	int fd = open("/sys/kernel/tracing/events/signal/signal_pidns/enable", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "0", 1) < 0)
			printf("init: warning: cannot turn signal_pidns off: %s\n", strerror(errno));
		close(fd);
	}
}

static void restore_boot_policy(void)
{
	int fd;

	if (!boot_policy[0])
		return;		/* a kernel without the sysctl */
	fd = open(POLICY_SYSCTL, O_WRONLY);
	if (fd < 0 || write(fd, boot_policy, strlen(boot_policy)) < 0)
		printf("init: warning: cannot restore %s: %s\n", POLICY_SYSCTL, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void request_power_off(int sig)
{
	(void)sig;
	power_off_requested = 1;
}

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		printf("init: warning: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void setup(void)
{
	struct sigaction sa = { .sa_handler = request_power_off };

	sigaction(SIGTERM, &sa, NULL);	/* busybox reboot */
	sigaction(SIGUSR1, &sa, NULL);	/* busybox halt */
	sigaction(SIGUSR2, &sa, NULL);	/* busybox poweroff */

	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");
	/*
	 * The kernel opened the console on the initial rootfs, before the
	 * hostfs root was mounted, and found no /dev/console there.
	 */
	if (fcntl(1, F_GETFD) < 0) {
		int fd = open("/dev/console", O_RDWR);

		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	mount_fs("tmpfs", "/tmp");
	mount_fs("debugfs", "/sys/kernel/debug");
	mount_fs("tracefs", "/sys/kernel/tracing");
	mount_fs("mqueue", "/dev/mqueue");
	mkdir("/dev/pts", 0755);
	mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
	setenv("PATH", "/bin:/tests", 1);
	setenv("HOME", "/tmp", 1);
}

static void __attribute__((noreturn)) power_off(bool passed)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", results);
	f = fopen(path, "w");

	if (f) {
		fprintf(f, "%s\n", passed ? "pass" : "fail");
		fclose(f);
	}
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reap children until @pid ends; orphans reparented to us are reaped too. */
static int reap_until(pid_t pid)
{
	int status;

	for (;;) {
		pid_t r = waitpid(-1, &status, 0);

		if (r == pid || (r < 0 && errno == ECHILD))
			return status;
	}
}

/*
 * Reap children until @pid ends, for at most @limit_ms: false if it did
 * not (a kernel that no longer delivers SIGKILL, as a mutant may be).
 */
static bool reap_within(pid_t pid, int *status, long limit_ms)
{
	long deadline = now_ms() + limit_ms;

	while (now_ms() < deadline) {
		pid_t r = waitpid(-1, status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return true;
		if (r == 0)
			usleep(10000);
	}
	return false;
}

/* UNKILLABLE: the program outlived SIGKILL, and nothing can run after it. */
enum outcome { PASSED, FAILED, TIMED_OUT, UNKILLABLE };

/* A TAP comment line, to the console and to @out. */
static void __attribute__((format(printf, 2, 3))) note(int out, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	write(1, line, n);
	write(out, line, n);
}

/*
 * What a program that ran out of time was doing: each process of its
 * group, its state and kernel stack, before init kills them.
 */
static void dump_group(pid_t pgid, int out)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;

	note(out, "# the processes of the test, at its time limit: pid (comm) state, kernel stack\n");
	while (proc && (d = readdir(proc))) {
		char path[64], stat[512], line[256], state;
		int pid = atoi(d->d_name), pgrp;
		FILE *f;
		char *p;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = pid > 0 ? fopen(path, "r") : NULL;
		if (!f)
			continue;
		p = fgets(stat, sizeof(stat), f) ? strrchr(stat, ')') : NULL;
		fclose(f);
		if (!p || sscanf(p + 1, " %c %*d %d", &state, &pgrp) != 2 || pgrp != pgid)
			continue;
		p[1] = '\0';
		note(out, "#   %s %c\n", stat, state);
		snprintf(path, sizeof(path), "/proc/%d/stack", pid);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			note(out, "#       %s", line);
		if (f)
			fclose(f);
	}
	if (proc)
		closedir(proc);
}

/* A top-level TAP "not ok" line, seen a chunk of output at a time. */
struct line_watch {
	char line[8];
	size_t len;
	bool failed;
};

static void watch_output(struct line_watch *w, const char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			w->len = 0;
			continue;
		}
		if (w->len < sizeof(w->line))
			w->line[w->len++] = buf[i];
		if (w->len == 7 && !memcmp(w->line, "not ok ", 7))
			w->failed = true;
	}
}

/*
 * Run one test program in its own process group, its output copied to the
 * console and to <results>/<name>.tap, killed with its group after @limit_s
 * (or, with -x, at its first failing case).
 */
static enum outcome run_test(const char *name, int limit_s, int *status)
{
	char path[256], log[256], buf[4096];
	long deadline = now_ms() + limit_s * 1000L;
	struct line_watch watch = { .len = 0 };
	int pipefd[2], out;
	bool exited = false;
	pid_t pid;

	snprintf(path, sizeof(path), "/tests/%s", name);
	snprintf(log, sizeof(log), "%s/%s.tap", results, name);
	*strrchr(log, '/') = '\0';
	mkdir(log, 0755);	/* results of suite/program go to <results>/suite/ */
	snprintf(log, sizeof(log), "%s/%s.tap", results, name);
	out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || pipe2(pipefd, O_CLOEXEC))
		return FAILED;

	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		chdir("/tmp");
		if (other_policy)
			execl(path, name, "-V", other_policy, (char *)NULL);
		else
			execl(path, name, (char *)NULL);
		printf("Bail out! cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	setpgid(pid, pid);

	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			if (watch.len)	/* not into the middle of its last line */
				note(out, "\n");
			dump_group(pid, out);
			break;
		}
		if (poll(&pfd, 1, left > 100 ? 100 : left) > 0) {
			n = read(pipefd[0], buf, sizeof(buf));
			if (n > 0) {
				write(1, buf, n);
				write(out, buf, n);
				watch_output(&watch, buf, n);
				if (stop_at_failure && watch.failed)
					break;
				continue;
			}
			if (n == 0 && exited)
				break;
		}
		if (!exited && waitpid(pid, status, WNOHANG) == pid)
			exited = true;
		/* Output ended or a leftover holds the pipe: done once exited. */
		if (exited && poll(&pfd, 1, 0) == 0)
			break;
	}
	kill(-pid, SIGKILL);	/* whatever the test left behind */
	if (!exited && !reap_within(pid, status, 5000)) {
		close(pipefd[0]);
		close(out);
		return UNKILLABLE;
	}
	close(pipefd[0]);
	close(out);
	if (!exited && now_ms() >= deadline)
		return TIMED_OUT;
	return WIFEXITED(*status) && WEXITSTATUS(*status) == 0 ? PASSED : FAILED;
}

/*
 * A KUnit suite ran at boot (kunit.enable=1): copy its KTAP from debugfs.
 * It passed if its own top-level result line says so.
 */
static enum outcome collect_kunit(const char *name, int *status)
{
	char path[256], log[256], line[1024];
	bool passed = false, seen = false;
	FILE *in, *out;

	snprintf(path, sizeof(path), "/sys/kernel/debug/kunit/%s/results",
		 name + strlen("kunit/"));
	snprintf(log, sizeof(log), "%s/kunit", results);
	mkdir(log, 0755);
	snprintf(log, sizeof(log), "%s/%s.tap", results, name);
	in = fopen(path, "r");
	out = fopen(log, "w");
	while (in && out && fgets(line, sizeof(line), in)) {
		fputs(line, stdout);
		fputs(line, out);
		if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7)) {
			seen = true;
			passed = line[0] == 'o';
		}
	}
	if (!in)
		printf("Bail out! no KUnit results at %s (kunit.enable=1?)\n", path);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	*status = 0;
	return seen && passed ? PASSED : FAILED;
}

static bool run_tests(int limit_s, int count, char **names)
{
	bool all_passed = true;
	int i, status = 0;
	char path[256];
	FILE *summary;

	snprintf(path, sizeof(path), "%s/summary.tap", results);
	summary = fopen(path, "w");

	save_boot_policy();
	printf("TAP version 13\n1..%d\n", count);
	if (summary)
		fprintf(summary, "TAP version 13\n1..%d\n", count);
	for (i = 0; i < count; i++) {
		char line[512];
		enum outcome o;
		long start_ms;

		printf("# running %s\n", names[i]);
		fflush(stdout);
		restore_boot_policy();
		trace_event_off();
		start_ms = now_ms();
		if (!strncmp(names[i], "kunit/", 6))
			o = collect_kunit(names[i], &status);
		else
			o = run_test(names[i], limit_s, &status);
		if (o == PASSED)
			snprintf(line, sizeof(line), "ok %d %s", i + 1, names[i]);
		else if (o == TIMED_OUT)
			snprintf(line, sizeof(line), "not ok %d %s # TIMEOUT after %d s",
				 i + 1, names[i], limit_s);
		else if (o == UNKILLABLE)
			snprintf(line, sizeof(line), "not ok %d %s # does not die of SIGKILL",
				 i + 1, names[i]);
		else if (WIFSIGNALED(status))
			snprintf(line, sizeof(line), "not ok %d %s # killed by signal %d",
				 i + 1, names[i], WTERMSIG(status));
		else
			snprintf(line, sizeof(line), "not ok %d %s # exit status %d",
				 i + 1, names[i], WEXITSTATUS(status));
		all_passed &= o == PASSED;
		printf("%s\n", line);
		fflush(stdout);
		if (summary) {
			/* KTAP has no duration field: a diagnostic line before the result. */
			fprintf(summary, "# duration_s %.3f\n%s\n", (now_ms() - start_ms) / 1000.0, line);
			fflush(summary);
		}
		if (power_off_requested)
			break;
		if (o == UNKILLABLE ||
		    (stop_at_failure && o != PASSED && strncmp(names[i], "kunit/", 6)))
			break;
	}
	if (summary)
		fclose(summary);
	return all_passed;
}

static bool run_program(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		printf("init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	status = reap_until(pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void run_shell(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* cttyhack opens the tty behind /dev/console: job control works. */
		setsid();
		execl("/bin/cttyhack", "cttyhack", "/bin/sh", "-l", (char *)NULL);
		_exit(127);
	}
	while (!power_off_requested) {
		int status;
		pid_t r = waitpid(-1, &status, 0);

		if (r == pid || (r < 0 && errno == ECHILD))
			break;
	}
}

/*
 * init -- test's options; the index of the first program (argc if none:
 * an empty run, "1..0"), or -1.
 */
static int parse_test_options(int argc, char **argv)
{
	int i;

	for (i = 3; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-x")) {
			stop_at_failure = true;
			i--;
		} else if (!strcmp(argv[i], "-o"))
			results = argv[i + 1];
		else if (!strcmp(argv[i], "-p") && !strcmp(argv[i + 1], "upstream"))
			other_policy = "rfc2007";
		else if (!strcmp(argv[i], "-p") && !strcmp(argv[i + 1], "rfc2007"))
			other_policy = "upstream";
		else
			return -1;
	}
	return i == argc || argv[i][0] != '-' ? i : -1;
}

int main(int argc, char **argv)
{
	bool test = argc >= 3 && !strcmp(argv[1], "test");
	bool run = argc >= 3 && !strcmp(argv[1], "run");
	int first = test ? parse_test_options(argc, argv) : -1;
	char **program = argv + 2;

	if (run && !strcmp(argv[2], "-o")) {
		run = argc >= 5;	/* else the usage below */
		results = argc >= 5 ? argv[3] : results;
		program = argv + 4;
	}

	if (getpid() != 1) {
		fprintf(stderr, "init: must run as pid 1 of ./linux\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	mkdir(results, 0755);
	if (first > 0)
		power_off(run_tests(atoi(argv[2]), argc - first, argv + first));
	if (run)
		power_off(run_program(program));
	if (argc == 2 && !strcmp(argv[1], "shell")) {
		run_shell();
		power_off(true);
	}
	printf("init: usage: init -- test SECONDS [-p upstream|rfc2007] [-x] [-o DIR] PROGRAM...\n"
	       "            | run [-o DIR] PROGRAM [ARG...] | shell\n");
	power_off(false);
}
