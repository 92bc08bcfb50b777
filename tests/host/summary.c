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
 * own, named.  A failed case is printed with the harness's diagnostics,
 * which say what was expected and what the guest observed.
 *
 * A skipped case counts as a skip only if SKIPS (one "name reason" a line)
 * expects it, with its reason printed; any other skip is a failure.
 *
 * The last line is "N passed, N failed, N skipped"; the exit status is 1
 * if anything failed.
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

/* Is the skipped case @name ("test # SKIP why") in the expected skips? */
static bool expected_skip(const char *name)
{
	char line[1024];
	size_t len = strcspn(name, " ");
	bool found = false;
	FILE *f = skips_file ? fopen(skips_file, "r") : NULL;

	while (f && !found && fgets(line, sizeof(line), f))
		found = line[0] != '#' && !strncmp(line, name, len) &&
			(line[len] == ' ' || line[len] == '\t');
	if (f)
		fclose(f);
	if (found)
		printf("SKIP %.*s: %s", (int)len, name, line + len + strspn(line + len, " \t"));
	return found;
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
	int failed = 0, indent, last_indent = 0;
	bool parent, f_existed;
	FILE *f;

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
		name = strchr(line + (ok ? 3 : 7), ' ');
		if (!name || parent)
			continue;
		name++;
		running[0] = '\0';
		if (ok && strstr(name, "# SKIP") && expected_skip(name)) {
			tally_for(suite, policy_of(name))->skipped++;
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

	if (v && top_ok && !f_existed) {
		/* A host-side check with a verdict and no cases of its own. */
		tally_for(suite, "-")->passed++;
		return 0;
	}
	if (!v) {
		printf("FAIL %s: did not run (the guest ended before it)\n", program);
	} else if (!top_ok && (failed == 0 || running[0])) {
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

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0, i;

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

		printf("  %-12s %-9s %4d passed, %d failed, %d skipped\n", t->suite,
		       strcmp(t->policy, "-") ? t->policy : "", t->passed, t->failed, t->skipped);
		passed += t->passed;
		failed += t->failed;
		skipped += t->skipped;
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
