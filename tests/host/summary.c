// SPDX-License-Identifier: GPL-2.0
/*
 * summary: count what one guest run reported, per suite and policy.
 *
 *	summary [-s SKIPS] RESULTS_DIR PROGRAM...
 *
 * RESULTS_DIR is the guest's /results: summary.tap (one line per program,
 * written by the guest init) and PROGRAM.tap (each program's own TAP, as
 * the kselftest harness prints it, or a KUnit suite's KTAP, whose nested
 * results count at the deepest level only).  Every test case counts once; a
 * program that crashed, hung or never ran counts as one failure of its
 * own, named; a program that prints no TAP counts once, by its exit
 * status.  A failed case is printed with the harness's diagnostics,
 * which say what was expected and what the guest observed.
 *
 * A skipped case counts as a skip only if SKIPS (one "program:case reason"
 * a line) expects it, with its reason printed; any other skip is a failure,
 * and so is an XFAIL or XPASS (the lab expects no failure).  A program
 * whose results do not match its plan ("1..N", at any level of nesting)
 * failed, whatever its cases said: a crash lost the rest.
 *
 * Totals are printed for the guest's suites and for the host's checks
 * apart; the last line is "N passed, N failed, N skipped" over both, and
 * the exit status is 1 if anything failed.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
	char suite[64];
	char policy[16];
	int passed, failed, skipped;
};

static const char *skips_file;

static struct tally tallies[64];
static int nr_tallies;

static struct tally *tally_for(const char *suite, const char *policy)
{
	int i;

	for (i = 0; i < nr_tallies; i++)
		if (!strcmp(tallies[i].suite, suite) && !strcmp(tallies[i].policy, policy))
			return &tallies[i];
	if (nr_tallies == (int)(sizeof(tallies) / sizeof(tallies[0])))
		abort();
	snprintf(tallies[i].suite, sizeof(tallies[i].suite), "%s", suite);
	snprintf(tallies[i].policy, sizeof(tallies[i].policy), "%s", policy);
	return &tallies[nr_tallies++];
}

/* The policy variant a harness test name carries: fixture.VARIANT.test. */
static const char *policy_of(const char *name)
{
	if (strstr(name, ".upstream."))
		return "upstream";
	if (strstr(name, ".rfc2007."))
		return "rfc2007";
	return "-";
}

static void chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

/* Is @program's skipped case @name ("test # SKIP why") an expected skip? */
static bool expected_skip(const char *program, const char *name)
{
	char line[1024], key[1024];
	int len = snprintf(key, sizeof(key), "%s:%.*s", program, (int)strcspn(name, " "), name);
	bool found = false;
	FILE *f = skips_file ? fopen(skips_file, "r") : NULL;

	while (f && !found && fgets(line, sizeof(line), f))
		found = line[0] != '#' && !strncmp(line, key, len) &&
			(line[len] == ' ' || line[len] == '\t');
	if (f)
		fclose(f);
	if (found)
		printf("SKIP %s: %s", key, line + len + strspn(line + len, " \t"));
	return found;
}

/*
 * The plan of each nesting level (KTAP indents by four) against the
 * results seen at it; a level is checked when its parent's result line
 * closes it, and at the end.  Returns how many levels did not match.
 */
#define MAX_DEPTH 16
struct plans {
	int plan[MAX_DEPTH];	/* -1: no plan line */
	int seen[MAX_DEPTH];
};

static int close_levels(struct plans *p, int from, const char *program)
{
	int bad = 0;

	for (int d = from; d < MAX_DEPTH; d++) {
		if (p->plan[d] >= 0 && p->plan[d] != p->seen[d]) {
			printf("FAIL %s: its plan says %d tests, %d reported (the rest were lost)\n",
			       program, p->plan[d], p->seen[d]);
			bad++;
		}
		p->plan[d] = -1;
		p->seen[d] = 0;
	}
	return bad;
}

/* The guest init's verdict on @program: its summary.tap line, or NULL. */
static char *verdict(const char *dir, const char *program, char *line, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary.tap", dir);
	f = fopen(path, "r");
	while (f && fgets(line, size, f)) {
		char *name = strchr(line, ' ');

		chomp(line);
		if (!strncmp(line, "not ", 4))
			name = strchr(name + 1, ' ');
		if (name && (name = strchr(name + 1, ' ')) &&
		    !strncmp(name + 1, program, strlen(program)) &&
		    (name[1 + strlen(program)] == '\0' || name[1 + strlen(program)] == ' ')) {
			fclose(f);
			return line;
		}
	}
	if (f)
		fclose(f);
	return NULL;
}

/* Count @program's test cases; returns how many failed. */
static int count_program(const char *dir, const char *program, const char *suite)
{
	char path[4096], line[4096], diag[8192] = "", running[1024] = "", top[4096];
	const char *v = verdict(dir, program, top, sizeof(top));
	bool top_ok = v && !strncmp(v, "ok ", 3);
	int failed = 0, cases_failed, cases_seen = 0, indent, last_indent = 0, plan, lost = 0;
	struct plans plans;
	bool parent, f_existed;
	FILE *f;

	for (int d = 0; d < MAX_DEPTH; d++) {
		plans.plan[d] = -1;
		plans.seen[d] = 0;
	}
	snprintf(path, sizeof(path), "%s/%s.tap", dir, program);
	f = fopen(path, "r");
	f_existed = f != NULL;
	while (f && fgets(line, sizeof(line), f)) {
		char *name;
		bool ok;

		chomp(line);
		/* KTAP nests by indentation: a parent's line follows its children. */
		indent = strspn(line, " ");
		memmove(line, line + indent, strlen(line + indent) + 1);
		parent = indent < last_indent;
		if (indent / 4 >= MAX_DEPTH)
			continue;
		if (sscanf(line, "1..%d", &plan) == 1) {
			plans.plan[indent / 4] = plan;
			continue;
		}
		if (!strncmp(line, "#  RUN ", 7)) {
			snprintf(running, sizeof(running), "%s", line + 7 + strspn(line + 7, " "));
			diag[0] = '\0';
			continue;
		}
		if (line[0] == '#') {
			if (strlen(diag) + strlen(line) + 8 < sizeof(diag))
				strcat(strcat(strcat(diag, "    "), line), "\n");
			continue;
		}
		ok = !strncmp(line, "ok ", 3);
		if (!ok && strncmp(line, "not ok ", 7))
			continue;
		last_indent = indent;
		cases_seen++;
		plans.seen[indent / 4]++;
		lost += close_levels(&plans, indent / 4 + 1, program);
		name = strchr(line + (ok ? 3 : 7), ' ');
		if (!name || parent)
			continue;
		name++;
		running[0] = '\0';
		if (ok && strstr(name, "# SKIP") && expected_skip(program, name)) {
			tally_for(suite, policy_of(name))->skipped++;
		} else if (strstr(name, "# XFAIL") || strstr(name, "# XPASS")) {
			tally_for(suite, policy_of(name))->failed++;
			failed++;
			printf("FAIL %s: %s: the lab expects no failure\n%s", program, name, diag);
		} else if (ok && strstr(name, "# SKIP")) {
			tally_for(suite, policy_of(name))->failed++;
			failed++;
			printf("FAIL %s: %s: a skip not listed in %s\n%s", program, name,
			       skips_file ? skips_file : "the expected skips", diag);
		} else if (ok) {
			tally_for(suite, policy_of(name))->passed++;
		} else {
			tally_for(suite, policy_of(name))->failed++;
			failed++;
			printf("FAIL %s: %s\n%s", program, name, diag);
		}
		diag[0] = '\0';
	}
	if (f)
		fclose(f);
	lost += close_levels(&plans, 0, program);
	cases_failed = failed;
	if (lost) {
		tally_for(suite, "-")->failed++;
		failed++;
	}

	if (v && top_ok && (!f_existed || !cases_seen)) {
		/*
		 * A host-side check with a verdict and no cases of its own,
		 * or a program that prints no TAP (an older selftest): its
		 * exit status is its one result.
		 */
		tally_for(suite, "-")->passed++;
		return 0;
	}
	if (!v) {
		printf("FAIL %s: did not run (the guest ended before it)\n", program);
	} else if (!top_ok && (cases_failed == 0 || running[0] || strstr(v, "# TIMEOUT"))) {
		printf("FAIL %s: %s%s%s\n%s", program, strstr(v, "# ") ? strstr(v, "# ") + 2 : "failed",
		       running[0] ? ", in " : "", running, diag);
	} else {
		return failed;
	}
	tally_for(suite, "-")->failed++;
	return failed + 1;
}

/* The guest init writes /results/status last, before powering off. */
static bool guest_finished(const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "r");
	if (f)
		fclose(f);
	return f != NULL;
}

/* The suites make test runs on the host, not in the guest. */
static bool on_host(const char *suite)
{
	static const char *const host_suites[] = { "gdb", "host", "docs", "coverage" };

	for (size_t i = 0; i < sizeof(host_suites) / sizeof(host_suites[0]); i++)
		if (!strcmp(suite, host_suites[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int passed, failed, skipped, i, guest[3] = { 0 }, host[3] = { 0 };

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		skips_file = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: summary [-s SKIPS] RESULTS_DIR PROGRAM...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		char suite[64];

		snprintf(suite, sizeof(suite), "%.*s", (int)strcspn(argv[i], "/"), argv[i]);
		count_program(argv[1], argv[i], suite);
	}
	if (!guest_finished(argv[1])) {
		printf("FAIL guest: it did not finish the run (no %s/status): see the console log\n",
		       argv[1]);
		tally_for("guest", "-")->failed++;
	}
	for (i = 0; i < nr_tallies; i++) {
		struct tally *t = &tallies[i];
		int *side = on_host(t->suite) ? host : guest;

		printf("  %-12s %-9s %4d passed, %d failed, %d skipped\n", t->suite,
		       strcmp(t->policy, "-") ? t->policy : "", t->passed, t->failed, t->skipped);
		side[0] += t->passed;
		side[1] += t->failed;
		side[2] += t->skipped;
	}
	printf("  guest total            %4d passed, %d failed, %d skipped\n",
	       guest[0], guest[1], guest[2]);
	printf("  host total             %4d passed, %d failed, %d skipped\n",
	       host[0], host[1], host[2]);
	passed = guest[0] + host[0];
	failed = guest[1] + host[1];
	skipped = guest[2] + host[2];
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
