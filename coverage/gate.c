// SPDX-License-Identifier: GPL-2.0
/*
 * gate: the coverage gate of the pid namespace signal rules.
 *
 *	gate SRCDIR RULES EXCLUSIONS OUTDIR GATED.info [SHOWN.info...]
 *
 * Reads lcov tracefiles (branch coverage on), each a capture named after
 * its file (user.info is "user").  For each function RULES names it prints
 * lines hit/total and branches taken/total in every capture, and writes the
 * same to OUTDIR/table.txt and OUTDIR/summary.json (with each function's
 * first source line), and a verdict per entry to OUTDIR/gate.tap.
 * Only GATED counts: the gate fails (exit 1), naming each untaken edge with
 * its source line, when a listed function is missing from it, has no
 * branches where branches are required (or none on a line an offset
 * names: the offset drifted), or has an untaken edge that EXCLUSIONS does
 * not explain; and when an exclusion explains no untaken edge (it is
 * stale).  The SHOWN captures are printed beside it.
 *
 * Input it cannot read is an error (exit 2), never a silent pass: a RULES
 * or EXCLUSIONS line that does not parse, more than MAX_EXCLUSIONS
 * exclusions, an FN, DA or BRDA record of a tracefile that does not parse.
 *
 * A tracefile may hold a file once per test name (lcov -a of captures made
 * with --test-name); the sections are summed, as genhtml does.
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOOL_NAME "gate"
#include "fatal.h"
#include "rules-list.h"

#define MAX_FUNCS 4096
#define MAX_LINES 16384
#define MAX_BRANCHES 32768
#define MAX_FILES 8
#define MAX_CAPTURES 8
/* Edges no input can take are the exception: a long list hides gaps. */
#define MAX_EXCLUSIONS 10

struct branch {
	int line, block, edge;
	long taken;	/* -1: the line never ran */
};

/* One source file's data in one capture. */
struct source {
	char path[4096];
	struct { char name[128]; int line; } funcs[MAX_FUNCS];
	int nr_funcs;
	struct { int line; long count; } lines[MAX_LINES];
	int nr_lines;
	struct branch branches[MAX_BRANCHES];
	int nr_branches;
};

struct capture {
	char name[64];
	struct source *sources[MAX_FILES];	/* only the files RULES names */
	int nr_sources;
};

struct count {
	bool found;
	int lines_hit, lines, branches_taken, branches;
	int first, last;	/* the function's source lines */
};

/* The printed table is kept in OUTDIR/table.txt too. */
static FILE *table;

static void __attribute__((format(printf, 1, 2))) out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vfprintf(table, fmt, ap);
	va_end(ap);
}

/* The files RULES names, as paths under SRCDIR: the only ones read. */
static char wanted[MAX_FILES][4096];
static int nr_wanted;

static struct source *source_for(struct capture *c, const char *path)
{
	for (int i = 0; i < c->nr_sources; i++)
		if (!strcmp(c->sources[i]->path, path))
			return c->sources[i];
	return NULL;
}

static bool is_wanted(const char *path)
{
	for (int i = 0; i < nr_wanted; i++)
		if (!strcmp(wanted[i], path))
			return true;
	return false;
}

static void add_func(struct source *s, const char *name, int line)
{
	for (int i = 0; i < s->nr_funcs; i++)
		if (!strcmp(s->funcs[i].name, name))
			return;
	if (s->nr_funcs < MAX_FUNCS) {
		s->funcs[s->nr_funcs].line = line;
		snprintf(s->funcs[s->nr_funcs++].name, sizeof(s->funcs[0].name), "%s", name);
	}
}

static void add_line(struct source *s, int line, long count)
{
	for (int i = 0; i < s->nr_lines; i++)
		if (s->lines[i].line == line) {
			s->lines[i].count += count;
			return;
		}
	if (s->nr_lines < MAX_LINES) {
		s->lines[s->nr_lines].line = line;
		s->lines[s->nr_lines++].count = count;
	}
}

static void add_branch(struct source *s, struct branch b)
{
	for (int i = 0; i < s->nr_branches; i++) {
		struct branch *o = &s->branches[i];

		if (o->line != b.line || o->block != b.block || o->edge != b.edge)
			continue;
		if (b.taken >= 0)
			o->taken = (o->taken > 0 ? o->taken : 0) + b.taken;
		return;
	}
	if (s->nr_branches < MAX_BRANCHES)
		s->branches[s->nr_branches++] = b;
}

/* "FN:<line>,<name>" (lcov 1.x) or "FN:<line>,<end>,<name>" (2.x). */
static bool parse_fn(const char *rec, int *line, char *name, size_t size)
{
	const char *p = rec + 3, *comma;
	char *end;

	*line = strtol(p, &end, 10);
	if (end == p || *end != ',')
		return false;
	p = end + 1;
	comma = strchr(p, ',');
	if (comma && strtol(p, &end, 10) >= 0 && end == comma)
		p = comma + 1;
	if (!*p || strlen(p) >= size || strchr(p, ' '))
		return false;
	strcpy(name, p);
	return true;
}

/* "BRDA:<line>,<block>,<edge>,<taken or ->". */
static bool parse_brda(const char *rec, struct branch *b)
{
	char taken[32];

	if (sscanf(rec, "BRDA:%d,%d,%d,%31s", &b->line, &b->block, &b->edge, taken) != 4)
		return false;
	if (!strcmp(taken, "-")) {
		b->taken = -1;
		return true;
	}
	return sscanf(taken, "%ld", &b->taken) == 1 && b->taken >= 0;
}

static void read_info(const char *file, struct capture *c)
{
	FILE *f = fopen(file, "r");
	struct source *s = NULL;
	char line[4096], *base;
	int nr = 0;

	if (!f) {
		fprintf(stderr, "gate: error: cannot read %s\n", file);
		exit(2);
	}
	snprintf(line, sizeof(line), "%s", file);
	base = basename(line);
	base[strcspn(base, ".")] = '\0';
	snprintf(c->name, sizeof(c->name), "%s", base);

	while (fgets(line, sizeof(line), f)) {
		struct branch br;
		char name[128];
		int a;
		long n;

		nr++;
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "SF:", 3)) {
			s = source_for(c, line + 3);
			if (!s && is_wanted(line + 3)) {
				s = calloc(1, sizeof(*s));
				if (!s)
					abort();
				snprintf(s->path, sizeof(s->path), "%s", line + 3);
				c->sources[c->nr_sources++] = s;
			}
		} else if (!s) {
			continue;
		} else if (!strncmp(line, "FN:", 3)) {
			if (!parse_fn(line, &a, name, sizeof(name)))
				fatal("%s:%d: cannot parse \"%s\"", file, nr, line);
			add_func(s, name, a);
		} else if (!strncmp(line, "DA:", 3)) {
			if (sscanf(line, "DA:%d,%ld", &a, &n) != 2)
				fatal("%s:%d: cannot parse \"%s\"", file, nr, line);
			add_line(s, a, n);
		} else if (!strncmp(line, "BRDA:", 5)) {
			if (!parse_brda(line, &br))
				fatal("%s:%d: cannot parse \"%s\"", file, nr, line);
			add_branch(s, br);
		} else if (!strcmp(line, "end_of_record")) {
			s = NULL;
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

static struct count count_func(const struct source *s, const char *func)
{
	struct count c = { 0 };
	int i;

	if (!s || !func_range(s, func, &c.first, &c.last))
		return c;
	c.found = true;
	for (i = 0; i < s->nr_lines; i++) {
		if (s->lines[i].line < c.first || s->lines[i].line > c.last)
			continue;
		c.lines++;
		c.lines_hit += s->lines[i].count > 0;
	}
	for (i = 0; i < s->nr_branches; i++) {
		if (s->branches[i].line < c.first || s->branches[i].line > c.last)
			continue;
		c.branches++;
		c.branches_taken += s->branches[i].taken > 0;
	}
	return c;
}


/* The next entry of RULES into @e; false at its end.  A bad line is fatal. */
static bool read_rule(FILE *f, const char *file, int *nr, struct rule_entry *e)
{
	char bad[1024];
	int r = next_rule(f, nr, e, bad, sizeof(bad));

	if (r < 0)
		fatal("%s:%d: not \"rule function file branches[:+N,...]|lines[:+N,...]\": %s",
		      file, *nr, bad);
	return r > 0;
}

/* EXCLUSIONS: "function +offset block,edge why", each used at least once. */
static struct exclusion {
	char func[128], why[256];
	int offset, block, edge;
	bool used;
} exclusions[MAX_EXCLUSIONS];
static int nr_exclusions;

static void read_exclusions(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[1024];
	int nr = 0, used;

	if (!f)
		fatal("cannot read %s", file);
	while (fgets(line, sizeof(line), f)) {
		struct exclusion x = { 0 };

		nr++;
		if (is_blank(line))
			continue;
		if (sscanf(line, "%127s +%d %d,%d %n", x.func, &x.offset, &x.block, &x.edge,
			   &used) != 4 || !line[used])
			fatal("%s:%d: not \"function +offset block,edge why\": %s", file, nr, line);
		snprintf(x.why, sizeof(x.why), "%s", line + used);
		x.why[strcspn(x.why, "\n")] = '\0';
		if (nr_exclusions == MAX_EXCLUSIONS)
			fatal("%s: more than %d exclusions: an untaken edge is a missing test",
			      file, MAX_EXCLUSIONS);
		exclusions[nr_exclusions++] = x;
	}
	fclose(f);
}

/* Is the untaken edge explained in EXCLUSIONS? */
static bool excluded(const char *func, int offset, const struct branch *b)
{
	for (int i = 0; i < nr_exclusions; i++) {
		struct exclusion *x = &exclusions[i];

		if (!strcmp(x->func, func) && x->offset == offset && x->block == b->block &&
		    x->edge == b->edge) {
			x->used = true;
			return true;
		}
	}
	return false;
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
	out("      FAIL: %s\n", msg);
	if (strlen(diag) + strlen(msg) + 4 < size)
		strcat(strcat(strcat(diag, "# "), msg), "\n");
	(*failures)++;
}

/* Does @s have line (@lines) or branch records for source line @line? */
static bool records_at(const struct source *s, int line, bool lines)
{
	for (int i = 0; i < (lines ? s->nr_lines : s->nr_branches); i++)
		if ((lines ? s->lines[i].line : s->branches[i].line) == line)
			return true;
	return false;
}

/* The gate's verdict on one entry, from the gated capture @s. */
static void judge(const struct source *s, const char *path, const char *func, const char *need,
		  const struct count *c, char *diag, size_t size, int *failures)
{
	const char *p;
	int i;

	if (!c->found) {
		fail(diag, size, failures, "%s is not in the data (inlined away, or the file not captured)",
		     func);
		return;
	}
	/* Each offset must name a line with what @need gates: else it drifted. */
	for (p = strchr(need, ':'); p; p = strchr(p + 1, ',')) {
		int off = atoi(p + 2);

		if (c->first + off > c->last)
			fail(diag, size, failures, "+%d is past the end of %s (line %d)", off, func,
			     c->last);
		else if (!records_at(s, c->first + off, !strncmp(need, "lines", 5)))
			fail(diag, size, failures, "no %s at +%d (line %d: %s): the offset drifted",
			     strncmp(need, "lines", 5) ? "branches" : "code", off, c->first + off,
			     source_line(path, c->first + off));
	}
	if (!strncmp(need, "lines", 5)) {
		for (i = 0; i < s->nr_lines; i++)
			if (s->lines[i].line >= c->first && s->lines[i].line <= c->last &&
			    s->lines[i].count == 0 && gated_line(need, s->lines[i].line - c->first))
				fail(diag, size, failures, "line %d never ran: %s",
				     s->lines[i].line, source_line(path, s->lines[i].line));
		return;
	}
	if (c->branches == 0) {
		fail(diag, size, failures, "%s has no branches in the data (inlined away?)", func);
		return;
	}
	for (i = 0; i < s->nr_branches; i++) {
		const struct branch *b = &s->branches[i];

		if (b->line < c->first || b->line > c->last || b->taken > 0 ||
		    !gated_line(need, b->line - c->first) ||
		    excluded(func, b->line - c->first, b))
			continue;
		fail(diag, size, failures, "untaken edge %d,%d at line %d (+%d): %s",
		     b->block, b->edge, b->line, b->line - c->first, source_line(path, b->line));
	}
}

/* A table row, without the padding of its last column. */
static void print_row(char *text)
{
	size_t n = strlen(text);

	while (n && text[n - 1] == ' ')
		text[--n] = '\0';
	out("%s\n", text);
}

int main(int argc, char **argv)
{
	static struct capture captures[MAX_CAPTURES];
	const char *srcdir, *rules;
	int nr_captures, failures = 0, entries = 0, i, row, nr = 0;
	char outpath[4096], diag[8192], text[512];
	struct rule_entry e;
	FILE *rf, *json, *tap;

	if (argc < 6 || argc - 5 > MAX_CAPTURES) {
		fprintf(stderr, "usage: gate SRCDIR RULES EXCLUSIONS OUTDIR GATED.info [SHOWN.info...]\n");
		return 2;
	}
	/* lcov writes absolute paths. */
	srcdir = realpath(argv[1], NULL);
	if (!srcdir) {
		fprintf(stderr, "gate: error: no source folder %s\n", argv[1]);
		return 2;
	}
	rules = argv[2];
	read_exclusions(argv[3]);
	rf = fopen(rules, "r");
	if (!rf) {
		fprintf(stderr, "gate: error: cannot read %s\n", rules);
		return 2;
	}
	while (read_rule(rf, rules, &nr, &e)) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", srcdir, e.file);
		if (is_wanted(path))
			continue;
		if (nr_wanted == MAX_FILES) {
			fprintf(stderr, "gate: error: %s names more than %d files\n", rules, MAX_FILES);
			return 2;
		}
		strcpy(wanted[nr_wanted++], path);
	}
	rewind(rf);
	nr_captures = argc - 5;
	for (i = 0; i < nr_captures; i++)
		read_info(argv[5 + i], &captures[i]);

	snprintf(outpath, sizeof(outpath), "%s/summary.json", argv[4]);
	json = fopen(outpath, "w");
	snprintf(outpath, sizeof(outpath), "%s/gate.tap", argv[4]);
	tap = fopen(outpath, "w");
	snprintf(outpath, sizeof(outpath), "%s/table.txt", argv[4]);
	table = fopen(outpath, "w");
	if (!json || !tap || !table) {
		fprintf(stderr, "gate: error: cannot write to %s\n", argv[4]);
		return 2;
	}
	fprintf(tap, "TAP version 13\n");

	row = snprintf(text, sizeof(text), "%-51s", "");
	for (i = 0; i < nr_captures; i++)
		row += snprintf(text + row, sizeof(text) - row, "%-18s", captures[i].name);
	snprintf(text + row, sizeof(text) - row, "(gate: %s)", captures[0].name);
	print_row(text);
	row = snprintf(text, sizeof(text), "%-5s %-30s %-14s", "rule", "function", "at");
	for (i = 0; i < nr_captures; i++)
		row += snprintf(text + row, sizeof(text) - row, "%-18s", "lines   branches");
	print_row(text);
	fprintf(json, "{\n  \"gated_by\": \"%s\",\n  \"rules\": [", captures[0].name);

	nr = 0;
	while (read_rule(rf, rules, &nr, &e)) {
		struct count counts[MAX_CAPTURES];
		struct source *gated;
		char path[4096], where[64];
		int before = failures, at;

		snprintf(path, sizeof(path), "%s/%s", srcdir, e.file);
		for (i = 0, at = 0; i < nr_captures; i++) {
			counts[i] = count_func(source_for(&captures[i], path), e.func);
			if (!at && counts[i].found)
				at = counts[i].first;
		}
		snprintf(where, sizeof(where), "%s:%d", strrchr(path, '/') + 1, at);
		row = snprintf(text, sizeof(text), "%-5s %-30s %-14s", e.rule, e.func, at ? where : "-");
		for (i = 0; i < nr_captures; i++) {
			struct count *c = &counts[i];
			char l[16], b[16];

			snprintf(l, sizeof(l), "%d/%d", c->lines_hit, c->lines);
			snprintf(b, sizeof(b), "%d/%d", c->branches_taken, c->branches);
			if (c->found)
				row += snprintf(text + row, sizeof(text) - row, "%-7s %-10s", l, b);
			else
				row += snprintf(text + row, sizeof(text) - row, "%-18s", "(none)");
		}
		print_row(text);

		diag[0] = '\0';
		gated = source_for(&captures[0], path);
		judge(gated, path, e.func, e.need, &counts[0], diag, sizeof(diag), &failures);
		entries++;
		fprintf(tap, "%s%s %d rule%s.%s\n", diag, failures > before ? "not ok" : "ok",
			entries, e.rule, e.func);

		fprintf(json, "%s\n    {\"rule\": %s, \"function\": \"%s\", \"file\": \"%s\", "
			"\"line\": %d, \"must_cover\": \"%s\", \"verdict\": \"%s\", \"coverage\": {",
			entries > 1 ? "," : "", e.rule, e.func, e.file, at, e.need,
			failures > before ? "fail" : "pass");
		for (i = 0; i < nr_captures; i++)
			fprintf(json, "%s\n      \"%s\": {\"found\": %s, \"lines\": %d, \"lines_hit\": %d, "
				"\"branches\": %d, \"branches_taken\": %d}",
				i ? "," : "", captures[i].name, counts[i].found ? "true" : "false",
				counts[i].lines, counts[i].lines_hit, counts[i].branches,
				counts[i].branches_taken);
		fprintf(json, "}}");
	}
	/* An exclusion that explains no untaken edge is stale: a test took it, or it moved. */
	for (i = 0; i < nr_exclusions; i++) {
		const struct exclusion *x = &exclusions[i];

		if (x->used)
			continue;
		diag[0] = '\0';
		fail(diag, sizeof(diag), &failures,
		     "exclusion %s +%d %d,%d (%s) explains no untaken edge: drop it",
		     x->func, x->offset, x->block, x->edge, x->why);
		fprintf(tap, "%snot ok %d exclusion.%s\n", diag, ++entries, x->func);
	}
	fprintf(tap, "1..%d\n", entries);
	fclose(tap);
	fprintf(json, "\n  ],\n  \"failures\": %d\n}\n", failures);
	fclose(json);
	fclose(rf);
	out("gate: %s (%d untaken or missing)\n", failures ? "FAIL" : "pass", failures);
	fclose(table);
	return failures ? 1 : 0;
}
