// SPDX-License-Identifier: GPL-2.0
/*
 * pidns-demo: the five rules in action, as a table.
 *
 *	pidns-demo		every experiment, under each policy
 *	pidns-demo RULE		one experiment (1-5), under the current policy:
 *				the scenarios gdb steps through (tests/gdb/)
 *	pidns-demo -t [RULE]	every experiment (or one), under each
 *				policy, each followed by the kernel's
 *				decisions, as the signal:signal_pidns trace
 *				event reported them
 *
 * Runs in the guest's root namespace (make run).  Exits 1 if an
 * experiment could not be set up: what it observed is then meaningless.  Each rule is one small
 * experiment built from the test suite's probes; the table shows what the
 * processes observed, under each policy the kernel offers (one column if
 * the kernel has no kernel.pid_ns_signal_policy).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pidns_trace.h"
#include "policy.h"
#include "probe.h"

#define CELL 40

static const struct probe_opts cinit_dfl = { .new_pidns = true };
static const struct probe_opts cinit_handler = {
	.new_pidns = true, .disposition = PROBE_SIG_HANDLER,
};
static const struct probe_opts plain_handler = { .disposition = PROBE_SIG_HANDLER };

static const char *code_name(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	}
	return "other";
}

/* The fate of a cinit after a signal: "lives" or "killed by SIGxxx". */
static void fate(struct probe *cinit, char *out)
{
	int status;

	if (probe_alive(cinit)) {
		strcpy(out, "cinit lives");
		probe_stop(cinit);
		waitpid(cinit->pid, NULL, 0);
		return;
	}
	status = probe_fate(cinit);
	if (status != -1 && WIFSIGNALED(status))
		sprintf(out, "cinit killed by %s", sigabbrev_np(WTERMSIG(status)));
	else
		strcpy(out, "cinit gone");
}

static int rule1(char *out)
{
	struct probe cinit;

	probe_init(&cinit, "cinit", NULL);
	if (probe_start(&cinit, &cinit_dfl) || kill(cinit.pid, SIGTERM)) {
		sprintf(out, "setup failed: %s", strerror(errno));
		return -1;
	}
	fate(&cinit, out);
	return 0;
}

static int rule2(char *out)
{
	struct probe cinit;
	struct probe_result r;

	probe_init(&cinit, "cinit", NULL);
	if (probe_start(&cinit, &cinit_dfl) || probe_cmd(&cinit, PROBE_KILL, 1, SIGKILL, &r)) {
		strcpy(out, "setup failed");
		return -1;
	}
	fate(&cinit, out);
	return 0;
}

static int rule3(char *out)
{
	struct probe cinit, sibling;
	struct probe_result r;
	bool sibling_got, cinit_got;
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	probe_init(&sibling, "sibling", &cinit);
	if (probe_start(&cinit, &cinit_handler) ||
	    probe_start_in(&cinit, &sibling, &plain_handler) ||
	    probe_cmd(&cinit, PROBE_KILL, -1, SIGUSR1, &r)) {
		strcpy(out, "setup failed");
		return -1;
	}
	probe_alive(&sibling);
	probe_alive(&cinit);
	sibling_got = !probe_no_record(&cinit, "sibling");
	cinit_got = !probe_no_record(&cinit, "cinit");
	sprintf(out, "sibling %s, cinit %s", sibling_got ? "got it" : "missed",
		cinit_got ? "ran its handler" : "missed");
	/* Take the records, so that the next experiment starts with none. */
	if (sibling_got)
		probe_record(&cinit, "sibling", &si);
	if (cinit_got)
		probe_record(&cinit, "cinit", &si);
	probe_stop(&cinit);
	waitpid(cinit.pid, NULL, 0);
	return 0;
}

static int rule4(char *out)
{
	struct probe cinit;
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	if (probe_start(&cinit, &cinit_handler) || kill(cinit.pid, SIGUSR1)) {
		strcpy(out, "setup failed");
		return -1;
	}
	if (probe_record(&cinit, "cinit", &si))
		sprintf(out, "si_pid %d si_uid %d %s", si.si_pid, si.si_uid, code_name(si.si_code));
	else
		strcpy(out, "no signal");
	probe_stop(&cinit);
	waitpid(cinit.pid, NULL, 0);
	return 0;
}

static int rule5(char *out)
{
	struct probe cinit, receiver;
	int pipefd[2];
	siginfo_t si;

	probe_init(&cinit, "cinit", NULL);
	probe_init(&receiver, "receiver", &cinit);
	if (pipe(pipefd) || probe_start(&cinit, &cinit_handler) ||
	    probe_start_in(&cinit, &receiver, &plain_handler) ||
	    fcntl(pipefd[0], F_SETOWN, receiver.pid) ||
	    fcntl(pipefd[0], F_SETFL, O_ASYNC) || write(pipefd[1], "x", 1) != 1) {
		strcpy(out, "setup failed");
		return -1;
	}
	if (probe_record(&cinit, "receiver", &si))
		sprintf(out, "%s arrived, %s", si.si_signo == SIGIO ? "IO" : sigabbrev_np(si.si_signo),
			code_name(si.si_code));
	else
		strcpy(out, "nothing arrived");
	close(pipefd[0]);
	close(pipefd[1]);
	probe_stop(&cinit);
	waitpid(cinit.pid, NULL, 0);
	return 0;
}

static const struct experiment {
	const char *rule;
	const char *action;
	int (*run)(char *out);	/* what was observed into @out; -1: set-up failed */
} experiments[] = {
	{ "1 ancestor -> cinit", "root ns: kill(cinit, SIGTERM), SIG_DFL", rule1 },
	{ "2 inside -> cinit", "ns child: kill(1, SIGKILL), SIG_DFL", rule2 },
	{ "3 kill(-1) scope", "ns child: kill(-1, SIGUSR1)", rule3 },
	{ "4 masquerade", "root ns: kill(cinit, SIGUSR1), handler", rule4 },
	{ "5 SIGIO owner", "root ns: F_SETOWN ns process, write", rule5 },
};

/* The experiment a RULE argument names, or NULL with a message. */
static const struct experiment *experiment_for(const char *rule)
{
	int i = atoi(rule) - 1;

	if (i < 0 || i >= 5) {
		fprintf(stderr, "pidns-demo: no experiment \"%s\": give 1 to 5\n", rule);
		return NULL;
	}
	return &experiments[i];
}

static int run_one(const char *rule)
{
	const struct experiment *e = experiment_for(rule);
	char cell[CELL * 2];
	bool failed;

	if (!e)
		return 2;
	failed = e->run(cell) < 0;
	printf("%s: %s: %s\n", e->rule, e->action, cell);
	return failed;
}

static const char *const policy_names[] = { "upstream", "rfc2007" };

/* Each experiment (or the one @rule names) under each policy, traced. */
static int run_traced(const char *rule)
{
	const struct experiment *only = rule ? experiment_for(rule) : NULL;
	int saved = policy_get();
	char cell[CELL * 2];
	bool failed = false;
	int i, c, n, err = 0;

	if (rule && !only)
		return 2;
	if (saved == POLICY_NONE) {
		fprintf(stderr, "pidns-demo: this kernel has no %s\n", POLICY_SYSCTL);
		return 1;
	}
	for (i = 0; i < 5; i++) {
		if (only && only != &experiments[i])
			continue;
		printf("\n%s: %s\n", experiments[i].rule, experiments[i].action);
		for (c = 0; c < 2; c++) {
			policy_write(c ? "1" : "0", 1);
			err = pidns_trace_start();
			if (err)
				goto out;
			failed |= experiments[i].run(cell) < 0;
			printf("  %s: %s\n", policy_names[c], cell);
			n = pidns_trace_print("    ");
			if (n == 0)
				printf("    (no pid namespace decision traced)\n");
			err = n < 0 ? n : 0;
			if (err)
				goto out;
		}
	}
out:
	if (err)
		fprintf(stderr, "pidns-demo: tracefs: %s\n", strerror(-err));
	policy_restore(saved);
	return failed || err;
}

int main(int argc, char **argv)
{
	char cells[5][2][CELL * 2];
	int saved = policy_get();
	int columns = saved == POLICY_NONE ? 1 : 2;
	bool failed = false;
	int i, c;

	if (argc > 1 && !strcmp(argv[1], "-t"))
		return run_traced(argc > 2 ? argv[2] : NULL);
	if (argc > 1)
		return run_one(argv[1]);

	for (c = 0; c < columns; c++) {
		if (saved != POLICY_NONE)
			policy_write(c ? "1" : "0", 1);
		for (i = 0; i < 5; i++)
			failed |= experiments[i].run(cells[i][c]) < 0;
	}
	if (saved != POLICY_NONE)
		policy_restore(saved);

	printf("\nSignals in pid namespaces: what the processes observed\n");
	if (saved == POLICY_NONE)
		printf("(this kernel has no %s: upstream only)\n", POLICY_SYSCTL);
	/* The last column is not padded: no trailing blanks in a copied table. */
	printf("\n%-20s %-42s", "rule", "experiment");
	for (c = 0; c < columns; c++)
		printf(" %-*s", c + 1 < columns ? CELL : 0, policy_names[c]);
	printf("\n");
	for (i = 0; i < 5; i++) {
		printf("%-20s %-42s", experiments[i].rule, experiments[i].action);
		for (c = 0; c < columns; c++)
			printf(" %-*s", c + 1 < columns ? CELL : 0, cells[i][c]);
		printf("\n");
	}
	printf("\n");
	return failed;
}
