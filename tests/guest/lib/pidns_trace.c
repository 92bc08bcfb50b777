// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pidns_trace.h"

#define TRACEFS "/sys/kernel/tracing/"

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int pidns_trace_start(void)
{
	int err = write_file(TRACEFS "trace", "");

	if (!err)
		err = write_file(TRACEFS "events/signal/signal_pidns/enable", "1");
	if (!err)
		err = write_file(TRACEFS "tracing_on", "1");
	return err;
}

int pidns_trace_stop(void)
{
	return write_file(TRACEFS "events/signal/signal_pidns/enable", "0");
}

bool pidns_trace_saw_from(int sig, pid_t pid, const char *sender, const char *decision)
{
	char want_sig[32], want_pid[32], want_decision[96], line[512];
	FILE *f = fopen(TRACEFS "trace", "r");
	bool seen = false;

	snprintf(want_sig, sizeof(want_sig), " sig=%d ", sig);
	snprintf(want_pid, sizeof(want_pid), " pid=%d ", pid);
	if (sender)
		snprintf(want_decision, sizeof(want_decision), " sender=%s decision=%s\n",
			 sender, decision);
	else
		snprintf(want_decision, sizeof(want_decision), " decision=%s\n", decision);
	while (f && !seen && fgets(line, sizeof(line), f))
		seen = strstr(line, "signal_pidns:") && strstr(line, want_sig) &&
		       strstr(line, want_pid) && strstr(line, want_decision);
	if (f)
		fclose(f);
	return seen;
}

bool pidns_trace_saw(int sig, pid_t pid, const char *decision)
{
	return pidns_trace_saw_from(sig, pid, NULL, decision);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* By the clock: each look reads the whole trace, which takes a while. */
bool pidns_trace_wait_from(int sig, pid_t pid, const char *sender, const char *decision,
			   int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;

	while (now_ms() < deadline) {
		if (pidns_trace_saw_from(sig, pid, sender, decision))
			return true;
		usleep(10000);
	}
	return pidns_trace_saw_from(sig, pid, sender, decision);
}

bool pidns_trace_wait(int sig, pid_t pid, const char *decision, int timeout_ms)
{
	return pidns_trace_wait_from(sig, pid, NULL, decision, timeout_ms);
}

int pidns_trace_print(const char *indent)
{
	FILE *f = fopen(TRACEFS "trace", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || !strstr(line, "signal_pidns:"))
			continue;
		printf("%s%s", indent, line + strspn(line, " "));
		n++;
	}
	fclose(f);
	return n;
}
