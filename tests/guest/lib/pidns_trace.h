/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which rule decided: the signal:signal_pidns trace event, read through
 * tracefs (mounted at /sys/kernel/tracing by the guest init).
 *
 *	ASSERT_EQ(0, pidns_trace_start());
 *	kill(cinit.pid, SIGTERM);
 *	EXPECT_TRUE(pidns_trace_saw(SIGTERM, cinit.pid, "init_ignored"));
 *
 * The trace buffer is global: tests run one at a time in the guest.  The
 * event is off unless a test turns it on, so that the code under test is
 * the one that runs untraced: pidns_trace_stop() turns it off again (the
 * policy fixture's teardown calls it, and the guest init before each
 * program, for one that was killed).
 */
#ifndef PIDNS_TRACE_H
#define PIDNS_TRACE_H

#include <stdbool.h>
#include <sys/types.h>

/* Clear the buffer and enable the event: 0 or -errno. */
int pidns_trace_start(void);
/* Disable the event: 0 or -errno. */
int pidns_trace_stop(void);
/* Did the event report @decision for @sig to @pid (the test's view)? */
bool pidns_trace_saw(int sig, pid_t pid, const char *decision);
/* The same, waiting for it up to @timeout_ms: for a signal the kernel raises. */
bool pidns_trace_wait(int sig, pid_t pid, const char *decision, int timeout_ms);
/*
 * Both, and the event named @sender as the sender ("visible", "invisible",
 * "ancestor", "kernel" or "unknown").
 */
bool pidns_trace_saw_from(int sig, pid_t pid, const char *sender, const char *decision);
bool pidns_trace_wait_from(int sig, pid_t pid, const char *sender, const char *decision,
			   int timeout_ms);
/*
 * Print the event's lines since pidns_trace_start(), each after @indent:
 * the number printed, or -errno.
 */
int pidns_trace_print(const char *indent);

#endif
