// SPDX-License-Identifier: GPL-2.0
/*
 * runner: boot ./linux under a watchdog and leave nothing behind.
 *
 *	runner [-t SECONDS] [-l LOG] [-q] [-i] -- ./linux ARGS...
 *
 * ./linux runs in a session (and process group) of its own: on a panic UML
 * sends SIGTERM to its whole process group (kill(0, SIGTERM) in
 * arch/um/os-Linux/util.c), which must not reach make or this runner.  The
 * runner is a child subreaper, so UML's helper processes that outlive the
 * kernel are re-parented here and killed.
 *
 * The console is copied to LOG (-l) and, unless -q, to stdout.  After -t
 * SECONDS the guest is killed and the test it was running is named, from
 * the guest init's "# running" lines and the kselftest harness's "#  RUN"
 * lines.  -i is for interactive use: the console stays on this terminal,
 * there is no watchdog, and the terminal's settings are restored after
 * (UML leaves it raw when it dies).
 *
 * Before the watchdog kills a hung guest it asks the guest kernel, over
 * UML's management console, for its blocked tasks and their stacks
 * (sysrq w), and keeps what the console then prints in LOG.tasks (with
 * -l): a hang leaves something to look at.
 *
 * Exit status: the guest's, 124 if the watchdog fired, 130 if interrupted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct options {
	int timeout_s;
	const char *log;
	bool quiet;
	bool interactive;
	char **argv;
};

/* What the guest was doing, from the last console lines that said so. */
struct progress {
	char program[1024];
	char test[1024];
	char partial[1024];	/* an unfinished console line */
	size_t partial_len;
};

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Console copies are best effort: a full disk must not stop the watchdog. */
static void copy_out(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w <= 0)
			return;
		buf += w;
		n -= w;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: runner [-t SECONDS] [-l LOG] [-q] [-i] -- ./linux ARGS...\n");
	exit(2);
}

static struct options parse_options(int argc, char **argv)
{
	struct options o = { 0 };
	int c;

	while ((c = getopt(argc, argv, "+t:l:qi")) != -1) {
		switch (c) {
		case 't':
			o.timeout_s = atoi(optarg);
			break;
		case 'l':
			o.log = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'i':
			o.interactive = true;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	o.argv = argv + optind;
	return o;
}

static void remember(struct progress *p, const char *line)
{
	if (!strncmp(line, "# running ", 10)) {
		snprintf(p->program, sizeof(p->program), "%s", line + 10);
		p->test[0] = '\0';
	} else if (!strncmp(line, "#  RUN ", 7)) {
		snprintf(p->test, sizeof(p->test), "%s", line + 7 + strspn(line + 7, " "));
	}
}

/* Split console output into lines for remember(). */
static void track(struct progress *p, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || p->partial_len == sizeof(p->partial) - 1) {
			p->partial[p->partial_len] = '\0';
			remember(p, p->partial);
			p->partial_len = 0;
		} else if (buf[i] != '\r') {
			p->partial[p->partial_len++] = buf[i];
		}
	}
}

static pid_t start_guest(const struct options *o, int *console)
{
	int pipefd[2] = { -1, -1 };
	pid_t pid;

	if (!o->interactive && pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* The runner's own stderr, for an exec failure that -q would hide. */
		int err = fcntl(2, F_DUPFD_CLOEXEC, 3);

		setsid();
		if (!o->interactive) {
			int null = open("/dev/null", O_RDONLY);

			dup2(null, 0);
			dup2(pipefd[1], 1);
			dup2(pipefd[1], 2);
		}
		execv(o->argv[0], o->argv);
		dprintf(err, "runner: error: cannot run %s: %s\n", o->argv[0], strerror(errno));
		_exit(127);
	}
	if (!o->interactive)
		close(pipefd[1]);
	*console = pipefd[0];
	return pid;
}

/*
 * UML's mconsole protocol (arch/um/drivers/mconsole.h): datagrams on the
 * socket <uml_dir>/<umid>/mconsole; a request's output comes back as
 * replies until one has more == 0.
 */
#define MCONSOLE_MAGIC 0xcafebabe
#define MCONSOLE_VERSION 2
#define MCONSOLE_MAX_DATA 512

struct mconsole_request {
	uint32_t magic, version, len;
	char data[MCONSOLE_MAX_DATA];
};

struct mconsole_reply {
	uint32_t err, more, len;
	char data[MCONSOLE_MAX_DATA];
};

/* The guest's umid folder, <uml_dir>/<umid>, from its arguments. */
static bool umid_dir(char **argv, char *dir, size_t size)
{
	const char *umid = NULL, *uml_dir = NULL;

	for (; *argv; argv++) {
		if (!strncmp(*argv, "umid=", 5))
			umid = *argv + 5;
		else if (!strncmp(*argv, "uml_dir=", 8))
			uml_dir = *argv + 8;
	}
	/* A random umid, or ~/.uml: not worth guessing. */
	return umid && uml_dir && *umid && snprintf(dir, size, "%s/%s", uml_dir, umid) < (int)size;
}

static bool mconsole_socket(char **argv, struct sockaddr_un *addr)
{
	char dir[sizeof(addr->sun_path)];

	addr->sun_family = AF_UNIX;
	return umid_dir(argv, dir, sizeof(dir)) &&
	       snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/mconsole", dir) <
	       (int)sizeof(addr->sun_path);
}

/*
 * A killed guest leaves its umid folder (pid file, mconsole socket): remove
 * it if it is @guest's (a guest refused for a umid in use must not take
 * the running one's).
 */
static void remove_umid_dir(char **argv, pid_t guest)
{
	char dir[4096], path[sizeof(dir) + 258];
	struct dirent *d;
	int owner = 0;
	FILE *pid;
	DIR *f;

	if (!umid_dir(argv, dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/pid", dir);
	pid = fopen(path, "r");
	if (!pid || fscanf(pid, "%d", &owner) != 1 || owner != guest || !(f = opendir(dir))) {
		if (pid)
			fclose(pid);
		return;
	}
	fclose(pid);
	while ((d = readdir(f)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%.255s", dir, d->d_name);
			unlink(path);
		}
	closedir(f);
	rmdir(dir);
}

/*
 * The console while a dump runs: the dump comes on it (the mconsole's own
 * replies are datagrams a busy guest drops), so it is copied to the log,
 * to the dump and, unless -q, to stdout, as the main loop would.
 */
struct console_copy {
	int console, log, dump;
	bool quiet;
};

/* Copy what the console has within @wait_ms; false once it has closed. */
static bool copy_console(struct console_copy *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->console, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (c->console < 0 || poll(&pfd, 1, wait_ms) <= 0)
		return c->console >= 0;
	n = read(c->console, buf, sizeof(buf));
	if (n <= 0)
		return false;
	if (!c->quiet)
		copy_out(1, buf, n);
	if (c->log >= 0)
		copy_out(c->log, buf, n);
	copy_out(c->dump, buf, n);
	return true;
}

/* Send @cmd and wait for its last reply, copying the console meanwhile. */
static bool mconsole_command(int sock, const struct sockaddr_un *addr, const char *cmd,
			     struct console_copy *c, long deadline)
{
	struct mconsole_request req = { .magic = MCONSOLE_MAGIC, .version = MCONSOLE_VERSION };

	req.len = snprintf(req.data, sizeof(req.data), "%s", cmd);
	if (sendto(sock, &req, sizeof(req), 0, (const struct sockaddr *)addr, sizeof(*addr)) < 0)
		return false;
	while (now_ms() < deadline) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		struct mconsole_reply reply;

		copy_console(c, 0);
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		if (recv(sock, &reply, sizeof(reply), 0) < (ssize_t)offsetof(struct mconsole_reply, data))
			return false;
		if (!reply.more)
			return true;
	}
	return false;
}

/*
 * A hung guest's blocked tasks, with their stacks, before it is killed:
 * sysrq w at a console log level that lets it through "quiet", into
 * @path; false if there is no mconsole to ask.  Not sysrq t: on 6.12's
 * UML it panics in print_worker_info() on a workqueue rescuer.  (A test
 * that hangs in a sleep is dumped by the guest's init, at the test's own
 * bound.)
 */
static bool dump_tasks(char **argv, const char *path, struct console_copy *c)
{
	static const char *const cmds[] = { "sysrq 8", "sysrq w" };
	struct sockaddr_un addr, self = { .sun_family = AF_UNIX };
	long deadline = now_ms() + 10000;
	int sock;
	size_t i;

	if (!mconsole_socket(argv, &addr))
		return false;
	c->dump = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	/* Autobind (an abstract address): the guest replies to it. */
	if (c->dump < 0 || sock < 0 || bind(sock, (struct sockaddr *)&self, sizeof(sa_family_t))) {
		fprintf(stderr, "runner: no task dump: %s\n", strerror(errno));
		if (c->dump >= 0)
			close(c->dump);
		if (sock >= 0)
			close(sock);
		return false;
	}
	dprintf(c->dump, "### the guest's console after mconsole %s, %s\n", cmds[0], cmds[1]);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!mconsole_command(sock, &addr, cmds[i], c, deadline))
			break;
	/* What it printed before the last reply may still be in the pipe. */
	for (long end = now_ms() + 300; now_ms() < end && copy_console(c, 50); )
		;
	if (i < sizeof(cmds) / sizeof(cmds[0]))
		dprintf(c->dump, "\n### no answer to mconsole %s from %s within 10 s: the guest's "
			"kernel is stuck, or dropped the replies\n", cmds[i], addr.sun_path);
	close(sock);
	close(c->dump);
	return true;
}

/* Kill the guest's group and every descendant re-parented to us; reap all. */
static void kill_everything(pid_t guest)
{
	long deadline = now_ms() + 5000;

	kill(-guest, SIGKILL);
	while (now_ms() < deadline) {
		DIR *proc = opendir("/proc");
		struct dirent *d;
		bool any = false;

		while (proc && (d = readdir(proc))) {
			char path[64], buf[512];
			int pid = atoi(d->d_name), ppid = 0;
			FILE *f;

			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(buf, sizeof(buf), f) && strrchr(buf, ')'))
				sscanf(strrchr(buf, ')') + 2, "%*c %d", &ppid);
			fclose(f);
			if (ppid == getpid()) {
				kill(pid, SIGKILL);
				any = true;
			}
		}
		if (proc)
			closedir(proc);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			any = true;
		if (!any && waitpid(-1, NULL, WNOHANG) < 0)
			return;
		usleep(10000);
	}
	fprintf(stderr, "runner: warning: UML processes survived SIGKILL for 5 s\n");
}

int main(int argc, char **argv)
{
	struct options o = parse_options(argc, argv);
	struct sigaction sa = { .sa_handler = on_interrupt };
	struct progress progress = { 0 };
	struct termios saved_tty;
	bool have_tty = o.interactive && tcgetattr(0, &saved_tty) == 0;
	long deadline = o.timeout_s ? now_ms() + o.timeout_s * 1000L : 0;
	int console, status = 0, log = -1;
	char tasks[4096] = "";
	bool exited = false, timed_out = false;
	pid_t guest;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (o.log) {
		log = open(o.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (log < 0) {
			fprintf(stderr, "runner: error: cannot write %s: %s\n", o.log, strerror(errno));
			return 2;
		}
	}
	guest = start_guest(&o, &console);
	if (guest < 0) {
		fprintf(stderr, "runner: error: cannot start %s: %s\n", o.argv[0], strerror(errno));
		return 2;
	}

	while (!exited && !interrupted) {
		struct pollfd pfd = { .fd = console, .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (deadline && now_ms() >= deadline) {
			timed_out = true;
			if (log >= 0) {
				struct console_copy c = { console, log, -1, o.quiet };

				snprintf(tasks, sizeof(tasks), "%s.tasks", o.log);
				if (!dump_tasks(o.argv, tasks, &c))
					tasks[0] = '\0';
			}
			break;
		}
		if (console >= 0 && poll(&pfd, 1, 50) > 0) {
			n = read(console, buf, sizeof(buf));
			if (n > 0) {
				if (!o.quiet)
					copy_out(1, buf, n);
				if (log >= 0)
					copy_out(log, buf, n);
				track(&progress, buf, n);
			} else {
				close(console);
				console = -1;
			}
		} else if (console < 0) {
			usleep(50000);
		}
		if (waitpid(guest, &status, WNOHANG) == guest)
			exited = true;
	}
	kill_everything(guest);
	remove_umid_dir(o.argv, guest);
	if (have_tty)
		tcsetattr(0, TCSANOW, &saved_tty);

	if (timed_out) {
		fprintf(stderr, "runner: error: guest hung: killed after %d s while running %s%s%s%s%s\n",
			o.timeout_s, progress.program[0] ? progress.program : "(boot, before any test)",
			progress.test[0] ? " test " : "", progress.test,
			tasks[0] ? "; blocked tasks: " : "", tasks);
		return 124;
	}
	if (interrupted) {
		fprintf(stderr, "runner: interrupted: guest killed\n");
		return 130;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
