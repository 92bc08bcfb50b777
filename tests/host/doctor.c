// SPDX-License-Identifier: GPL-2.0
/*
 * doctor: can this host run ./linux?  Checked before the first boot.
 *
 *	doctor [-q] [-m MEM]
 *	doctor -f
 *
 * UML runs guest processes as host processes that it drives with ptrace,
 * keeps guest memory in a file it maps executable, and moves each guest
 * process's FP/vector state with PTRACE_{GET,SET}REGSET(NT_X86_XSTATE),
 * whose buffer the host requires to be as large as its own XSAVE area.
 * When one of these fails, the guest dies at its first user process with
 * a panic in the console log; this names the cause instead:
 *
 *	ptrace       a child can be traced (a seccomp filter, an LSM or
 *	             yama may refuse it)
 *	xstate       the host's XSAVE area, as PTRACE_GETREGSET reports it,
 *	             is accepted back by PTRACE_SETREGSET
 *	tempdir      the folder UML keeps guest memory in (TMPDIR, else
 *	             /dev/shm, else /tmp) allows PROT_EXEC mappings
 *	memory       that folder and the host have room for mem=MEM
 *
 * Without -q every check prints a line; with -q only failures do, one
 * line each.  -f prints the host's facts on one line (for make test's
 * header, so that a run from another machine can be read).  The exit
 * status is 1 if a check failed.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/magic.h>
#include <sys/ptrace.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif

/* Larger than any XSAVE area so far (AMX: 11008 bytes). */
#define XSTATE_PROBE_BYTES (64 * 1024)

struct check {
	const char *name;
	bool ok;
	char text[512];		/* what was found, or what is wrong and what to do */
};

static bool quiet;

static void report(const struct check *c)
{
	if (!c->text[0])
		return;
	if (!c->ok)
		fprintf(stderr, "doctor: %s: %s\n", c->name, c->text);
	else if (!quiet)
		printf("  ok    %-8s %s\n", c->name, c->text);
}

/* A stopped, traced child; 0 and errno set if it cannot be had. */
static pid_t traced_child(void)
{
	int status, err;
	pid_t pid = fork();

	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(100 + errno);
		raise(SIGSTOP);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	if (WIFSTOPPED(status))
		return pid;
	err = WIFEXITED(status) && WEXITSTATUS(status) > 100 ? WEXITSTATUS(status) - 100 : EIO;
	errno = err;
	return 0;
}

static void end_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The XSAVE area cpuid says the enabled features need (leaf 0xD, 0). */
static unsigned int cpuid_xsave_bytes(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		return 0;
	return b;
}

/*
 * How many bytes of XSAVE state the host hands out and takes back by
 * ptrace: what UML's FP state must be sized to.  0 if it cannot tell.
 */
static size_t ptrace_xsave_bytes(pid_t pid, struct check *c)
{
	static unsigned char buf[XSTATE_PROBE_BYTES];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	size_t size;

	if (ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &iov)) {
		snprintf(c->text, sizeof(c->text),
			 "PTRACE_GETREGSET(NT_X86_XSTATE) failed: %s; UML needs a host with XSAVE",
			 strerror(errno));
		return 0;
	}
	size = iov.iov_len;
	if (ptrace(PTRACE_SETREGSET, pid, NT_X86_XSTATE, &iov)) {
		snprintf(c->text, sizeof(c->text),
			 "the host hands out %zu bytes of XSAVE state but refuses them back (PTRACE_SETREGSET: %s)",
			 size, strerror(errno));
		return 0;
	}
	return size;
}

static void check_ptrace_and_xstate(struct check *tr, struct check *xs)
{
	pid_t pid = traced_child();
	size_t size;

	if (!pid) {
		tr->ok = false;
		snprintf(tr->text, sizeof(tr->text),
			 "a child cannot be traced (PTRACE_TRACEME: %s); UML drives its processes with ptrace: "
			 "run outside the seccomp filter, container or LSM policy that refuses it",
			 strerror(errno));
		xs->ok = false;	/* unchecked, and the cause is already named */
		return;
	}
	tr->ok = true;
	snprintf(tr->text, sizeof(tr->text), "a child can be traced");
	size = ptrace_xsave_bytes(pid, xs);
	end_child(pid);
	xs->ok = size > 0;
	if (xs->ok)
		snprintf(xs->text, sizeof(xs->text),
			 "host XSAVE area %zu bytes by ptrace (cpuid: %u), taken back by PTRACE_SETREGSET: the kernel probes the same at start-up",
			 size, cpuid_xsave_bytes());
}

/* The folder UML's create_tmp_file() keeps guest memory in. */
static const char *uml_tempdir(void)
{
	static const char *const vars[] = { "TMPDIR", "TMP", "TEMP" };
	struct statfs st;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *dir = getenv(vars[i]);

		if (dir && *dir)
			return dir;
	}
	return statfs("/dev/shm", &st) == 0 && st.f_type == TMPFS_MAGIC ? "/dev/shm" : "/tmp";
}

static void check_tempdir(const char *dir, struct check *c)
{
	char path[4096];
	void *addr;
	int fd;

	snprintf(path, sizeof(path), "%s/lab-doctor-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		snprintf(c->text, sizeof(c->text), "cannot create a file in %s: %s", dir, strerror(errno));
		return;
	}
	unlink(path);
	if (ftruncate(fd, 4096)) {
		snprintf(c->text, sizeof(c->text), "cannot size a file in %s: %s", dir, strerror(errno));
		close(fd);
		return;
	}
	addr = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	if (addr == MAP_FAILED) {
		snprintf(c->text, sizeof(c->text),
			 "%s refuses PROT_EXEC mappings (%s): remount it without noexec, or set TMPDIR to a tmpfs that allows exec",
			 dir, strerror(errno));
		return;
	}
	munmap(addr, 4096);
	c->ok = true;
	snprintf(c->text, sizeof(c->text), "guest memory goes to %s, which allows PROT_EXEC", dir);
}

/* "256M" and the like, as mem= takes it; 0 if it is not a size. */
static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		end++;
	}
	return *end ? 0 : v;
}

static unsigned long long mem_available(void)
{
	unsigned long long kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

static void check_memory(const char *dir, const char *mem, struct check *c)
{
	unsigned long long want = parse_size(mem), room, avail = mem_available();
	struct statvfs st;

	if (!want) {
		snprintf(c->text, sizeof(c->text), "mem=%s is not a size (e.g. 256M)", mem);
		return;
	}
	if (statvfs(dir, &st)) {
		snprintf(c->text, sizeof(c->text), "cannot read the free space of %s: %s", dir, strerror(errno));
		return;
	}
	room = (unsigned long long)st.f_bavail * st.f_frsize;
	if (room < want) {
		snprintf(c->text, sizeof(c->text),
			 "mem=%s does not fit in %s (%llu MiB free): free space there, or give a smaller UML_MEM",
			 mem, dir, room >> 20);
		return;
	}
	if (avail && avail < want) {
		snprintf(c->text, sizeof(c->text),
			 "mem=%s is more than the host has available (%llu MiB): give a smaller UML_MEM",
			 mem, avail >> 20);
		return;
	}
	c->ok = true;
	snprintf(c->text, sizeof(c->text), "mem=%s fits (%s: %llu MiB free; host: %llu MiB available)",
		 mem, dir, room >> 20, avail >> 20);
}

static void cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, len, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && v) {
			v[strcspn(v, "\n")] = '\0';
			snprintf(buf, len, "%s", v + 2);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* The state components the host's XCR0 enables, by their usual names. */
static void xfeatures(char *buf, size_t len)
{
	static const char *const names[] = {
		"x87", "SSE", "AVX", "MPX-BNDREGS", "MPX-BNDCSR", "AVX-512-opmask",
		"AVX-512-ZMM_Hi256", "AVX-512-Hi16_ZMM", "PT", "PKRU", "PASID",
		"CET-U", "CET-S", "HDC", "UINTR", "LBR", "HWP", "AMX-TILECFG", "AMX-TILEDATA",
	};
	unsigned int a, b, c, d, lo, hi;
	size_t used = 0, i;

	buf[0] = '\0';
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (lo & (1u << i))
			used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? " " : "", names[i]);
}

static int print_facts(void)
{
	char model[256], features[512];
	struct utsname u;
	struct check xs = { .name = "xstate" };
	pid_t pid = traced_child();
	size_t size = pid ? ptrace_xsave_bytes(pid, &xs) : 0;

	if (pid)
		end_child(pid);
	cpu_model(model, sizeof(model));
	xfeatures(features, sizeof(features));
	uname(&u);
	printf("host: %s, %ld cores, Linux %s; XSAVE %zu bytes by ptrace, %u by cpuid (%s)\n",
	       model, sysconf(_SC_NPROCESSORS_ONLN), u.release, size, cpuid_xsave_bytes(), features);
	return 0;
}

int main(int argc, char **argv)
{
	struct check tr = { .name = "ptrace" }, xs = { .name = "xstate" };
	struct check td = { .name = "tempdir" }, mem = { .name = "memory" };
	const char *mem_arg = "256M", *dir;
	int opt;

	while ((opt = getopt(argc, argv, "qfm:")) != -1) {
		switch (opt) {
		case 'q':
			quiet = true;
			break;
		case 'f':
			return print_facts();
		case 'm':
			mem_arg = optarg;
			break;
		default:
			fprintf(stderr, "usage: doctor [-q] [-m MEM] | -f\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: doctor [-q] [-m MEM] | -f\n");
		return 2;
	}

	check_ptrace_and_xstate(&tr, &xs);
	dir = uml_tempdir();
	check_tempdir(dir, &td);
	check_memory(dir, mem_arg, &mem);
	report(&tr);
	report(&xs);
	report(&td);
	report(&mem);
	return tr.ok && xs.ok && td.ok && mem.ok ? 0 : 1;
}
