// SPDX-License-Identifier: GPL-2.0
/*
 * gate: the coverage gate of the pid namespace signal rules.
 *
 *	gate SRCDIR RULES EXCLUSIONS OUTDIR USER.info [KUNIT.info]
 *
 * Reads lcov tracefiles (branch coverage on), and for each function that
 * rules.list names prints lines hit/total and branches taken/total, from
 * the user-space suites' capture (USER.info) and, beside it, from KUnit's.
 * Writes the same as OUTDIR/summary.json, and the verdicts as
 * OUTDIR/gate.tap (one test per entry).  Fails (exit 1), naming each untaken edge with
 * its source line, when a listed function is missing from the data, has no
 * branches where branches are required, or has an untaken edge that
 * EXCLUSIONS does not explain.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FUNCS 4096
#define MAX_LINES 16384
#define MAX_BRANCHES 32768

struct branch {
	int line, block, edge;
	long taken;	/* -1: the line never ran */
};

struct source {
	char path[4096];
	struct { char name[128]; int line; } funcs[MAX_FUNCS];
	int nr_funcs;
	struct { int line; long count; } lines[MAX_LINES];
	int nr_lines;
	struct branch branches[MAX_BRANCHES];
	int nr_branches;
};

struct coverage {
	struct source *sources;
	int nr_sources;
};

struct count {
	int lines_hit, lines, branches_taken, branches;
};

static struct source *source_for(struct coverage *cov, const char *path)
{
	for (int i = 0; i < cov->nr_sources; i++)
		if (!strcmp(cov->sources[i].path, path))
			return &cov->sources[i];
	return NULL;
}

static void read_info(const char *file, struct coverage *cov)
{
	FILE *f = fopen(file, "r");
	struct source *s = NULL;
	char line[4096];

	if (!f) {
		fprintf(stderr, "gate: error: cannot read %s\n", file);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		int a, b, c;
		long n;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "SF:", 3)) {
			cov->sources = realloc(cov->sources, ++cov->nr_sources * sizeof(*s));
			s = &cov->sources[cov->nr_sources - 1];
			memset(s, 0, sizeof(*s));
			snprintf(s->path, sizeof(s->path), "%s", line + 3);
		} else if (s && sscanf(line, "FN:%d,%127s", &a, name) == 2 && s->nr_funcs < MAX_FUNCS) {
			s->funcs[s->nr_funcs].line = a;
			strcpy(s->funcs[s->nr_funcs++].name, name);
		} else if (s && sscanf(line, "DA:%d,%ld", &a, &n) == 2 && s->nr_lines < MAX_LINES) {
			s->lines[s->nr_lines].line = a;
			s->lines[s->nr_lines++].count = n;
		} else if (s && sscanf(line, "BRDA:%d,%d,%d,", &a, &b, &c) == 3 &&
			   s->nr_branches < MAX_BRANCHES) {
			const char *taken = strrchr(line, ',') + 1;

			s->branches[s->nr_branches++] = (struct branch){
				a, b, c, strcmp(taken, "-") ? atol(taken) : -1 };
		}
	}
	fclose(f);
}

/* [first, last] source lines of @name: up to the next function's start. */
static bool func_range(const struct source *s, const char *name, int *first, int *last)
{
	int i, start = -1;

	for (i = 0; i < s->nr_funcs; i++)
		if (!strcmp(s->funcs[i].name, name))
			start = s->funcs[i].line;
	if (start < 0)
		return false;
	*first = start;
	*last = 1 << 30;
	for (i = 0; i < s->nr_funcs; i++)
		if (s->funcs[i].line > start && s->funcs[i].line - 1 < *last)
			*last = s->funcs[i].line - 1;
	return true;
}

static struct count count_range(const struct source *s, int first, int last)
{
	struct count c = { 0 };
	int i;

	for (i = 0; i < s->nr_lines; i++) {
		if (s->lines[i].line < first || s->lines[i].line > last)
			continue;
		c.lines++;
		c.lines_hit += s->lines[i].count > 0;
	}
	for (i = 0; i < s->nr_branches; i++) {
		if (s->branches[i].line < first || s->branches[i].line > last)
			continue;
		c.branches++;
		c.branches_taken += s->branches[i].taken > 0;
	}
	return c;
}

/*
 * "branches" gates every branch of the function; "branches:+8,+11" only
 * those on the lines at these offsets from its first line (the decision
 * sites of a larger function).
 */
static bool gated_line(const char *need, int offset)
{
	const char *p = strchr(need, ':');
	char want[16];

	if (!p)
		return true;
	snprintf(want, sizeof(want), "+%d", offset);
	for (p++; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		if (!strncmp(p, want, strlen(want)) &&
		    (p[strlen(want)] == ',' || p[strlen(want)] == '\0'))
			return true;
	}
	return false;
}

/* Is the untaken edge explained in EXCLUSIONS? */
static bool excluded(const char *exclusions, const char *func, int offset, const struct branch *b)
{
	FILE *f = fopen(exclusions, "r");
	char line[1024], name[128];
	int off, block, edge;
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = line[0] != '#' &&
			sscanf(line, "%127s +%d %d,%d", name, &off, &block, &edge) == 4 &&
			!strcmp(name, func) && off == offset && block == b->block && edge == b->edge;
	if (f)
		fclose(f);
	return found;
}

static char *source_line(const char *path, int n)
{
	static char text[512];
	FILE *f = fopen(path, "r");
	int i;

	text[0] = '\0';
	for (i = 1; f && fgets(text, sizeof(text), f) && i < n; i++)
		;
	if (f)
		fclose(f);
	text[strcspn(text, "\n")] = '\0';
	return text + strspn(text, " \t");
}

/* Print a failure under the table row and keep it as a TAP diagnostic. */
static void __attribute__((format(printf, 4, 5)))
fail(char *diag, size_t size, int *failures, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("      FAIL: %s\n", msg);
	if (strlen(diag) + strlen(msg) + 4 < size)
		strcat(strcat(strcat(diag, "# "), msg), "\n");
	(*failures)++;
}

static void print_count(FILE *out, const struct count *c, bool found)
{
	if (!found) {
		fprintf(out, "%-22s", "  (not in data)");
		return;
	}
	fprintf(out, "  %3d/%-3d %4d/%-4d   ", c->lines_hit, c->lines, c->branches_taken, c->branches);
}

int main(int argc, char **argv)
{
	struct coverage user = { 0 }, kunit = { 0 };
	const char *srcdir, *rules, *exclusions;
	FILE *rf, *json, *tap;
	char outpath[4096], diag[8192];
	char line[1024];
	int failures = 0, entries = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: gate SRCDIR RULES EXCLUSIONS OUTDIR USER.info [KUNIT.info]\n");
		return 2;
	}
	srcdir = argv[1];
	rules = argv[2];
	exclusions = argv[3];
	read_info(argv[5], &user);
	if (argc > 6)
		read_info(argv[6], &kunit);
	rf = fopen(rules, "r");
	snprintf(outpath, sizeof(outpath), "%s/summary.json", argv[4]);
	json = fopen(outpath, "w");
	snprintf(outpath, sizeof(outpath), "%s/gate.tap", argv[4]);
	tap = fopen(outpath, "w");
	if (!rf || !json || !tap) {
		fprintf(stderr, "gate: error: cannot read %s or write to %s\n", rules, argv[4]);
		return 2;
	}
	fprintf(tap, "TAP version 13\n");

	printf("%-5s %-30s %-18s %-22s %s\n", "rule", "function", "file",
	       "user: lines branches", argc > 6 ? "kunit: lines branches" : "");
	fprintf(json, "{\n  \"rules\": [");
	while (fgets(line, sizeof(line), rf)) {
		char rule[8], func[128], file[256], need[64], path[4096];
		struct source *us, *ks;
		struct count uc = { 0 }, kc = { 0 };
		int first = 0, last = 0, kfirst, klast, i, before;
		bool ufound, kfound;

		if (line[0] == '#' || sscanf(line, "%7s %127s %255s %63s", rule, func, file, need) != 4)
			continue;
		snprintf(path, sizeof(path), "%s/%s", srcdir, file);
		us = source_for(&user, path);
		ks = source_for(&kunit, path);
		ufound = us && func_range(us, func, &first, &last);
		kfound = ks && func_range(ks, func, &kfirst, &klast);
		if (ufound)
			uc = count_range(us, first, last);
		if (kfound)
			kc = count_range(ks, kfirst, klast);

		printf("%-5s %-30s %-18s", rule, func, file);
		print_count(stdout, &uc, ufound);
		if (argc > 6)
			print_count(stdout, &kc, kfound);
		printf("\n");
		fprintf(json, "%s\n    {\"rule\": %s, \"function\": \"%s\", \"file\": \"%s\", \"must_cover\": \"%s\", "
			"\"found\": %s, \"lines\": %d, \"lines_hit\": %d, \"branches\": %d, \"branches_taken\": %d, "
			"\"kunit\": {\"found\": %s, \"lines\": %d, \"lines_hit\": %d, \"branches\": %d, \"branches_taken\": %d}}",
			entries++ ? "," : "", rule, func, file, need, ufound ? "true" : "false",
			uc.lines, uc.lines_hit, uc.branches, uc.branches_taken,
			kfound ? "true" : "false", kc.lines, kc.lines_hit, kc.branches, kc.branches_taken);

		before = failures;
		diag[0] = '\0';
		if (!ufound) {
			fail(diag, sizeof(diag), &failures, "%s is not in the data (inlined away, or the file not captured)", func);
			goto verdict;
		}
		if (!strcmp(need, "lines")) {
			for (i = 0; i < us->nr_lines; i++)
				if (us->lines[i].line >= first && us->lines[i].line <= last &&
				    us->lines[i].count == 0)
					fail(diag, sizeof(diag), &failures, "line %d never ran: %s",
					     us->lines[i].line, source_line(path, us->lines[i].line));
			goto verdict;
		}
		if (uc.branches == 0) {
			fail(diag, sizeof(diag), &failures, "%s has no branches in the data (inlined away?)", func);
			goto verdict;
		}
		for (i = 0; i < us->nr_branches; i++) {
			const struct branch *b = &us->branches[i];

			if (b->line < first || b->line > last || b->taken > 0 ||
			    !gated_line(need, b->line - first) ||
			    excluded(exclusions, func, b->line - first, b))
				continue;
			fail(diag, sizeof(diag), &failures, "untaken edge %d,%d at line %d (+%d): %s",
			     b->block, b->edge, b->line, b->line - first, source_line(path, b->line));
		}
verdict:
		fprintf(tap, "%s%s %d rule%s.%s\n", diag, failures > before ? "not ok" : "ok",
			entries, rule, func);
	}
	fprintf(tap, "1..%d\n", entries);
	fclose(tap);
	fprintf(json, "\n  ],\n  \"failures\": %d\n}\n", failures);
	fclose(json);
	fclose(rf);
	printf("gate: %s (%d untaken or missing)\n", failures ? "FAIL" : "pass", failures);
	return failures ? 1 : 0;
}
