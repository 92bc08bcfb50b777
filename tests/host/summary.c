// SPDX-License-Identifier: GPL-2.0
/*
 * summary: the lab's verdict on one run, written as one KTAP document.
 *
 *	summary [-s SKIPS] -o KTAP RESULTS_DIR PROGRAM...
 *
 * RESULTS_DIR is the guest's /results: summary.tap (one verdict line per
 * program, each after a "# duration_s S" line when the guest init timed
 * it; make test appends its host checks' verdicts) and PROGRAM.tap (each
 * program's own TAP, as the kselftest harness prints it, or a KUnit
 * suite's KTAP).  KTAP gets one subtest per program, its cases as the
 * program printed them, so that kunit.py parse counts the run
 * (tests/host/count.sh).  What kunit.py cannot know is decided here:
 *
 *  - a skip counts as a skip only if SKIPS (one "program:case  reason" a
 *    line) expects it, and its reason is printed; any other skip, and an
 *    XFAIL or XPASS, is written as a failure (the lab expects none);
 *  - every result line is written as kunit.py reads it: a nameless one
 *    (kselftest.h prints "not ok 3 # error") gets the name case_N;
 *  - a program that failed while none of its cases did (it hung, crashed
 *    or exited non-zero between or after them, or only a parent's line
 *    failed) is written as one failed result, its output kept as
 *    diagnostics: kunit.py counts a subtest's cases, never its own line;
 *  - a program with no verdict did not run: "# MISS";
 *  - a guest that did not write /results/status did not finish: one
 *    failed result "guest".
 *
 * A plan the results do not match is kunit.py's to count (it counts every
 * missing case as crashed); a program without a plan that stops early is
 * caught by its verdict.  Each failure is printed with the harness's
 * diagnostics, which say what was expected and what the guest observed;
 * then the tallies per suite and policy (the policy is the harness
 * variant in the case's name), the guest's suites and the host's checks
 * apart.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static bool is_result(const char *line)
{
	return !strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7);
}

static bool is_version(const char *line)
{
	return !strncmp(line, "TAP version ", 12) || !strncmp(line, "KTAP version ", 13);
}

/*
 * Is @program's skipped case @name an expected skip?  SKIPS names it in
 * full ("program:case"), then a tab or two spaces, then the reason.
 */
static bool expected_skip(const char *program, const char *name, bool report)
{
	char line[1024], key[1024];
	int len = snprintf(key, sizeof(key), "%s:%s", program, name);
	bool found = false;
	FILE *f = skips_file ? fopen(skips_file, "r") : NULL;

	while (f && !found && fgets(line, sizeof(line), f))
		found = line[0] != '#' && !strncmp(line, key, len) &&
			(line[len] == '\t' || (line[len] == ' ' && line[len + 1] == ' '));
	if (f)
		fclose(f);
	if (found && report)
		printf("SKIP %s: %s", key, line + len + strspn(line + len, " \t"));
	return found;
}

/* A program's TAP, one line per entry, without line ends. */
struct lines {
	char **line;
	int nr;
};

static struct lines read_lines(const char *path)
{
	struct lines l = { NULL, 0 };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = fopen(path, "r");

	while (f && getline(&buf, &size, f) >= 0) {
		l.line = realloc(l.line, (l.nr + 1) * sizeof(*l.line));
		if (!l.line)
			abort();
		chomp(buf);
		l.line[l.nr++] = strdup(buf);
	}
	free(buf);
	if (f)
		fclose(f);
	return l;
}

static void free_lines(struct lines *l)
{
	while (l->nr)
		free(l->line[--l->nr]);
	free(l->line);
}

/*
 * The verdict on @program in @dir/summary.tap: its directive ("" if it
 * passed, NULL if it has no line) and, in @duration, the seconds the
 * "# duration_s" line before it gives (or -1).
 */
static const char *verdict(const char *dir, const char *program, bool *ok,
			   char *line, size_t size, double *duration)
{
	char path[4096];
	FILE *f;

	*duration = -1;
	snprintf(path, sizeof(path), "%s/summary.tap", dir);
	f = fopen(path, "r");
	while (f && fgets(line, size, f)) {
		char *name, *end;

		chomp(line);
		if (sscanf(line, "# duration_s %lf", duration) == 1)
			continue;
		name = is_result(line) ? strchr(line + (line[0] == 'n' ? 7 : 3), ' ') : NULL;
		if (!name || strncmp(name + 1, program, strlen(program)) ||
		    (name[1 + strlen(program)] != '\0' && name[1 + strlen(program)] != ' ')) {
			*duration = -1;
			continue;
		}
		fclose(f);
		*ok = line[0] == 'o';
		end = strstr(name, " # ");
		return end ? end + 3 : "";
	}
	if (f)
		fclose(f);
	return NULL;
}

/*
 * The lab's reading of one result line of @program (a leaf unless
 * @parent): in @out the line to write, in the one form kunit.py reads
 * ("ok|not ok N NAME[ # DIRECTIVE]": a nameless result of kselftest.h
 * becomes case_N, a '#' inside a name '_'), an unexpected skip (ok or
 * not), XFAIL or XPASS made a failure without "# SKIP".  With @report a
 * leaf is tallied under @suite and a failure printed with @diag.
 * Returns true if a leaf failed; a parent's line counts nowhere
 * (kunit.py counts its cases), so *@parent_failed says it failed.
 */
static bool judge_case(const char *program, const char *suite, const char *line,
		       bool parent, const char *diag, bool report, bool *parent_failed,
		       char *out, size_t size)
{
	bool ok = !strncmp(line, "ok ", 3);
	const char *num = line + (ok ? 3 : 7), *directive, *why = NULL;
	int num_len = strspn(num, "0123456789"), name_len;
	char name[1024];

	/* NAME is what comes before " # " (or a leading "# "), if anything. */
	directive = num[num_len] == ' ' ? num + num_len + 1 : num + num_len;
	name_len = !strncmp(directive, "# ", 2) || !*directive ? 0 :
		   strstr(directive, " # ") ? strstr(directive, " # ") - directive :
		   (int)strlen(directive);
	if (name_len)
		snprintf(name, sizeof(name), "%.*s", name_len, directive);
	else
		snprintf(name, sizeof(name), "case_%.*s", num_len, num);
	for (char *h = name; (h = strchr(h, '#')); )
		*h = '_';
	directive += name_len;
	directive += !strncmp(directive, " # ", 3) ? 3 : !strncmp(directive, "# ", 2) ? 2 : 0;

	if (parent) {
		*parent_failed |= !ok;
		why = NULL;
	} else if (ok && !strncmp(directive, "SKIP", 4) && expected_skip(program, name, report)) {
		if (report)
			tally_for(suite, policy_of(name))->skipped++;
	} else if (!strncmp(directive, "XFAIL", 5) || !strncmp(directive, "XPASS", 5)) {
		why = "the lab expects no failure";
	} else if (!strncmp(directive, "SKIP", 4)) {
		why = "a skip not listed in the expected skips";
	} else if (report) {
		tally_for(suite, policy_of(name))->passed += ok;
	}
	if (why) {
		/* "# SKIP" must not survive: kunit.py would count a skip. */
		snprintf(out, size, "not ok %.*s %s # %s: %s", num_len, num, name, why, directive);
		ok = false;
	} else {
		snprintf(out, size, "%s %.*s %s%s%s", ok ? "ok" : "not ok", num_len, num, name,
			 *directive ? " # " : "", directive);
	}
	if (parent || ok)
		return false;
	if (report) {
		tally_for(suite, policy_of(name))->failed++;
		printf("FAIL %s: %s%s%s\n%s", program, name, why ? ": " : "", why ? why : "", diag);
	}
	return true;
}

/*
 * Write @program's cases, as judged, one level down (@body gets them,
 * indented by four); returns how many failed, in *@parent_failed whether
 * a parent's line did, and in @running the case that had started and
 * not finished, if any.
 */
static int judge_program(const char *program, const char *suite, const struct lines *tap,
			 bool report, FILE *body, bool *parent_failed, char *running, size_t rsize)
{
	char diag[8192] = "", out[4096];
	int failed = 0, last_indent = 0;
	bool header = false;

	running[0] = '\0';
	/* TAP may give the plan last (tooling.sh does); KTAP wants it first. */
	for (int i = 0; i < tap->nr && body; i++)
		if (!strncmp(tap->line[i], "1..", 3))
			fprintf(body, "    %s\n", tap->line[i]);
	for (int i = 0; i < tap->nr; i++) {
		int indent = strspn(tap->line[i], " ");
		const char *line = tap->line[i] + indent;

		if (!header && indent == 0 && is_version(line)) {
			header = true;	/* the subtest header replaces it */
			continue;
		}
		if (!strncmp(line, "1..", 3) && indent == 0)
			continue;
		if (!strncmp(line, "#  RUN ", 7)) {
			snprintf(running, rsize, "%s", line + 7 + strspn(line + 7, " "));
			diag[0] = '\0';
		} else if (line[0] == '#' && strlen(diag) + strlen(line) + 8 < sizeof(diag)) {
			strcat(strcat(strcat(diag, "    "), line), "\n");
		}
		if (!is_result(line)) {
			if (body)
				fprintf(body, "    %s\n", tap->line[i]);
			continue;
		}
		/* KTAP nests by indentation: a parent's line follows its children. */
		failed += judge_case(program, suite, line, indent < last_indent, diag, report,
				     parent_failed, out, sizeof(out));
		last_indent = indent;
		running[0] = '\0';
		diag[0] = '\0';
		if (body)
			fprintf(body, "    %*s%s\n", indent, "", out);
	}
	return failed;
}

/* Write @program as the @n-th result of the run; returns true if it failed. */
static bool write_program(FILE *ktap, int n, const char *dir, const char *program)
{
	char path[4096], top[4096], running[1024], suite[64];
	double duration;
	char *body_text = NULL;
	size_t body_size = 0;
	bool ok = false, has_cases = false, parent_failed = false;
	const char *v = verdict(dir, program, &ok, top, sizeof(top), &duration);
	struct lines tap;
	FILE *body;
	int failed;

	snprintf(suite, sizeof(suite), "%.*s", (int)strcspn(program, "/"), program);
	snprintf(path, sizeof(path), "%s/%s.tap", dir, program);
	tap = read_lines(path);
	for (int i = 0; i < tap.nr && !has_cases; i++)
		has_cases = is_result(tap.line[i] + strspn(tap.line[i], " "));
	if (!v) {
		printf("FAIL %s: did not run (the guest ended before it)\n", program);
		tally_for(suite, "-")->failed++;
		fprintf(ktap, "not ok %d %s # MISS did not run\n", n, program);
		free_lines(&tap);
		return true;
	}

	/* Do its cases say how it went?  A dry run first: judged, not counted. */
	failed = judge_program(program, suite, &tap, false, NULL, &parent_failed, running,
			       sizeof(running));
	if (has_cases && ((ok && !parent_failed) || failed)) {
		body = open_memstream(&body_text, &body_size);
		if (!body)
			abort();
		judge_program(program, suite, &tap, true, body, &parent_failed, running,
			      sizeof(running));
		fclose(body);
		fprintf(ktap, "    KTAP version 1\n    # Subtest: %s\n%s", program, body_text);
		if (duration >= 0)
			fprintf(ktap, "    # duration_s %.3f\n", duration);
		fprintf(ktap, "%s %d %s%s%s\n", ok ? "ok" : "not ok", n, program,
			v[0] ? " # " : "", v);
	} else {
		/*
		 * Its own verdict is its one result, and what it printed is
		 * kept; a parent that failed with no failing case fails it.
		 */
		if (ok && parent_failed) {
			ok = false;
			v = "a subtest failed, none of its cases did";
		}
		for (int i = 0; i < tap.nr; i++)
			fprintf(ktap, "# %s\n", tap.line[i]);
		if (duration >= 0)
			fprintf(ktap, "# duration_s %.3f\n", duration);
		fprintf(ktap, "%s %d %s%s%s%s%s\n", ok ? "ok" : "not ok", n, program,
			v[0] ? " # " : "", v, running[0] ? ", in " : "", running);
		if (!ok)
			printf("FAIL %s: %s%s%s\n", program, v[0] ? v : "failed",
			       running[0] ? ", in " : "", running);
		tally_for(suite, "-")->passed += ok;
		tally_for(suite, "-")->failed += !ok;
	}
	free(body_text);
	free_lines(&tap);
	return !ok || failed;
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
	static const char *const host_suites[] = { "gdb", "host", "docs", "coverage", "linux" };

	for (size_t i = 0; i < sizeof(host_suites) / sizeof(host_suites[0]); i++)
		if (!strcmp(suite, host_suites[i]))
			return true;
	return false;
}

static void print_tallies(void)
{
	int guest[3] = { 0 }, host[3] = { 0 };

	for (int i = 0; i < nr_tallies; i++) {
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
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	bool failed = false, finished;
	FILE *ktap;
	int opt, i;

	while ((opt = getopt(argc, argv, "s:o:")) != -1) {
		if (opt == 's')
			skips_file = optarg;
		else if (opt == 'o')
			out = optarg;
		else
			optind = argc + 1;
	}
	if (!out || argc - optind < 2) {
		fprintf(stderr, "usage: summary [-s SKIPS] -o KTAP RESULTS_DIR PROGRAM...\n");
		return 2;
	}
	ktap = fopen(out, "w");
	if (!ktap) {
		perror(out);
		return 2;
	}
	finished = guest_finished(argv[optind]);
	fprintf(ktap, "KTAP version 1\n1..%d\n", argc - optind - 1 + !finished);
	for (i = optind + 1; i < argc; i++)
		failed |= write_program(ktap, i - optind, argv[optind], argv[i]);
	if (!finished) {
		printf("FAIL guest: it did not finish the run (no %s/status): see the console log\n",
		       argv[optind]);
		tally_for("guest", "-")->failed++;
		fprintf(ktap, "not ok %d guest # did not finish the run\n", i - optind);
		failed = true;
	}
	if (fclose(ktap)) {
		perror(out);
		return 2;
	}
	print_tallies();
	return failed ? 1 : 0;
}
