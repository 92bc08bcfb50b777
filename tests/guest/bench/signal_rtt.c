// SPDX-License-Identifier: GPL-2.0
/*
 * signal-rtt: the round trip of a signal, in the paths the pid namespace
 * patches touch, for `make bench`.
 *
 *	signal-rtt ITERATIONS
 *
 * Prints one line per path: its name and the mean nanoseconds of one
 * round trip (send, the receiver's SA_SIGINFO handler runs and reports
 * back through a pipe, the sender reads the report).  The receivers are
 * the test suite's probes.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Mean ns per round trip of @n signals to @p, or -1 if one got lost. */
static long long round_trip(struct probe *p, struct probe *events, int n, bool queue)
{
	long long t0 = now_ns();
	siginfo_t si;

	for (int i = 0; i < n; i++) {
		if (queue)
			sigqueue(p->pid, SIGUSR1, (union sigval){ .sival_int = i });
		else
			kill(p->pid, SIGUSR1);
		if (!probe_record(events, p->name, &si))
			return -1;
	}
	return (now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
	const struct probe_opts handler = { .disposition = PROBE_SIG_HANDLER };
	const struct probe_opts cinit_handler = {
		.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
	};
	struct probe same, cinit, inside;
	int n = argc > 1 ? atoi(argv[1]) : 2000;

	probe_init(&same, "same", NULL);
	probe_init(&cinit, "cinit", &same);
	probe_init(&inside, "inside", &same);
	if (probe_start(&same, &handler) || probe_start(&cinit, &cinit_handler) ||
	    probe_start_in(&cinit, &inside, &handler)) {
		fprintf(stderr, "signal-rtt: cannot start the receivers\n");
		return 1;
	}
	printf("same_ns_kill %lld\n", round_trip(&same, &same, n, false));
	printf("same_ns_sigqueue %lld\n", round_trip(&same, &same, n, true));
	printf("root_to_child_ns_process %lld\n", round_trip(&inside, &same, n, false));
	printf("root_to_cinit_with_handler %lld\n", round_trip(&cinit, &same, n, false));
	return 0;
}
