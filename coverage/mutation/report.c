// SPDX-License-Identifier: GPL-2.0
/*
 * report: what the suites made of each mutant, per rule, and the gate.
 *
 *	report [-r RULE] [-m ID] [-k KTAP] GEN OUTCOMES NOT_COMPILED EQUIVALENTS JSON
 *
 * GEN is what schemata wrote (mutants.list, diffs/), OUTCOMES what
 * run-mutants.sh found, NOT_COMPILED the ids left out of the schema,
 * EQUIVALENTS coverage/equivalent-mutants.list ("id hash reason": no
 * input can tell the mutant from the original).  -r takes one rule's
 * mutants, -m one mutant.
 *
 * Prints a table per rule and each survivor's diff, and writes JSON and,
 * with -k, KTAP: a subtest per rule, a case per mutant, ok if the suites
 * detected it (the first failure said before it), a SKIP if it did not
 * compile or is equivalent, "# ERROR" if its boot proves nothing
 * (tests/host/kcidb.c sends it to KCIDB).  A
 * mutant is detected when a user-space test failed on it or its boot hung
 * (make test would fail either way); the score is detected / (generated -
 * not compiled - equivalent), for the user-space suites and for KUnit.
 * Exit 1 when a counted mutant was not detected by the user-space suites
 * (the gate: each is a missing test) or its boot ended in error (it
 * proves nothing either way), 2 for input that does not parse, an
 * equivalent that is no longer generated or changes other code than it
 * was judged on, a mutant with no outcome, or an outcome for one that
 * did not compile.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOOL_NAME "mutation"
#include "../fatal.h"

#define MAX_MUTANTS 2048

enum status { MISSING, NOT_COMPILED, EQUIVALENT, KILLED, TIMEOUT, KUNIT_ONLY, SURVIVED, ERROR };
static const char *const status_name[] = {
	"missing", "not-compiled", "equivalent", "killed", "timeout", "kunit-only", "survived",
	"error",
};
#define NR_STATUS (ERROR + 1)

struct mutant {
	char id[192], rule[8], file[256], why[512], hash[17];
	char user[512], kunit[512];	/* the first failure each found, or "-" */
	int line;
	double seconds;
	enum status status;
	bool selected;
};

static struct mutant mutants[MAX_MUTANTS];
static int nr_mutants;

static FILE *open_or_die(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (!f)
		fatal("cannot open %s", path);
	return f;
}

static struct mutant *find(const char *id)
{
	for (int i = 0; i < nr_mutants; i++)
		if (!strcmp(mutants[i].id, id))
			return &mutants[i];
	return NULL;
}

static void read_mutants(const char *gen)
{
	char path[4096], line[1024];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/mutants.list", gen);
	f = open_or_die(path, "r");
	while (fgets(line, sizeof(line), f)) {
		struct mutant *m = &mutants[nr_mutants];

		if (nr_mutants == MAX_MUTANTS)
			fatal("%s: more than %d mutants", path, MAX_MUTANTS);
		if (sscanf(line, "%d %191s %7s %255s %d %16s", &n, m->id, m->rule, m->file, &m->line,
			   m->hash) != 6)
			fatal("%s: does not parse: %s", path, line);
		nr_mutants++;
	}
	fclose(f);
}

/* "id<ws>rest": the id, and the rest with its newline cut, or NULL. */
static char *split_id(char *line, char **rest)
{
	char *id = line + strspn(line, " \t");

	line[strcspn(line, "\n")] = '\0';
	if (!*id || *id == '#')
		return NULL;
	*rest = id + strcspn(id, " \t");
	if (**rest)
		*(*rest)++ = '\0';
	*rest += strspn(*rest, " \t");
	return id;
}

static void read_not_compiled(const char *path)
{
	char line[1024], *id, *rest;
	FILE *f = open_or_die(path, "r");

	while (fgets(line, sizeof(line), f)) {
		struct mutant *m;

		id = split_id(line, &rest);
		if (!id)
			continue;
		m = find(id);
		if (!m)
			fatal("%s: %s is not a mutant", path, id);
		m->status = NOT_COMPILED;
	}
	fclose(f);
}

static void read_equivalents(const char *path)
{
	char line[1024], *id, *why;
	FILE *f = open_or_die(path, "r");
	int nr = 0;

	while (fgets(line, sizeof(line), f)) {
		char hash[17] = "";
		struct mutant *m;
		int n = 0;

		nr++;
		id = split_id(line, &why);
		if (!id)
			continue;
		sscanf(why, "%16s %n", hash, &n);
		why += n;
		if (!n || !*why)
			fatal("%s:%d: not \"id hash reason\": say what %s changes and why no input tells it apart",
			      path, nr, id);
		m = find(id);
		if (!m)
			fatal("%s:%d: %s is no longer generated: remove it, or find what it became",
			      path, nr, id);
		if (strcmp(hash, m->hash))
			fatal("%s:%d: %s now changes other code (hash %s, listed %s): judge it again",
			      path, nr, id, m->hash, hash);
		m->status = EQUIVALENT;
		snprintf(m->why, sizeof(m->why), "%s", why);
	}
	fclose(f);
}

static void read_outcomes(const char *path)
{
	char line[2048];
	FILE *f = open_or_die(path, "r");

	while (fgets(line, sizeof(line), f)) {
		char *field[5], *p = line;
		struct mutant *m;
		int i;

		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < 5 && p; i++) {
			field[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (i != 5)
			fatal("%s: not five fields: %s", path, line);
		m = find(field[0]);
		if (!m)
			fatal("%s: %s is not a mutant of this schema", path, field[0]);
		if (m->status == EQUIVALENT)
			continue;	/* listed: run, but not counted */
		if (m->status == NOT_COMPILED)
			fatal("%s: %s has an outcome, but it did not compile", path, m->id);
		for (i = KILLED; i < NR_STATUS && strcmp(field[1], status_name[i]); i++)
			;
		if (i == NR_STATUS)
			fatal("%s: %s: no such outcome \"%s\"", path, m->id, field[1]);
		m->status = i;
		m->seconds = atof(field[2]);
		snprintf(m->user, sizeof(m->user), "%s", field[3]);
		snprintf(m->kunit, sizeof(m->kunit), "%s", field[4]);
	}
	fclose(f);
}

static void put_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static char *read_diff(const char *gen, const char *id)
{
	char path[4096], *text = NULL;
	size_t size = 0;
	FILE *f, *mem = open_memstream(&text, &size);
	int c;

	snprintf(path, sizeof(path), "%s/diffs/%.191s.diff", gen, id);
	f = open_or_die(path, "r");
	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(f);
	fclose(mem);
	return text;
}

struct tally {
	char rule[8];
	int count[NR_STATUS], generated, by_kunit;
	double seconds;
};

static int by_rule(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->rule, ((const struct tally *)b)->rule);
}

/* One case per selected mutant of each rule in @tallies. */
static void write_ktap(const char *path, const struct tally *tallies, int nr_tallies)
{
	FILE *f = open_or_die(path, "w");

	fprintf(f, "KTAP version 1\n1..%d\n", nr_tallies);
	for (int j = 0; j < nr_tallies; j++) {
		int n = 0;

		fprintf(f, "    KTAP version 1\n    # Subtest: mutation/rule%s\n    1..%d\n",
			tallies[j].rule, tallies[j].generated);
		for (int i = 0; i < nr_mutants; i++) {
			const struct mutant *m = &mutants[i];

			if (!m->selected || strcmp(m->rule, tallies[j].rule))
				continue;
			if (m->status == KILLED || m->status == TIMEOUT)
				fprintf(f, "    # %s: %s\n", status_name[m->status], m->user);
			else if (m->status == KUNIT_ONLY || m->status == SURVIVED || m->status == ERROR)
				fprintf(f, "    # %s: no user-space test failed%s%s\n", status_name[m->status],
					m->status == KUNIT_ONLY ? "; KUnit: " : "",
					m->status == KUNIT_ONLY ? m->kunit : "");
			fprintf(f, "    %s %d %s%s%s\n", m->status >= KUNIT_ONLY ? "not ok" : "ok", ++n,
				m->id, m->status == NOT_COMPILED ? " # SKIP did not compile" :
				m->status == EQUIVALENT ? " # SKIP equivalent: " :
				m->status == ERROR ? " # ERROR the boot ended in error: " : "",
				m->status == EQUIVALENT ? m->why : m->status == ERROR ? m->user : "");
		}
		fprintf(f, "%s %d mutation/rule%s\n",
			tallies[j].count[KUNIT_ONLY] + tallies[j].count[SURVIVED] + tallies[j].count[ERROR] ?
			"not ok" : "ok", j + 1, tallies[j].rule);
	}
	if (fclose(f))
		fatal("cannot write %s", path);
}

static double percent(int part, int whole)
{
	return whole ? 100.0 * part / whole : 100.0;
}

int main(int argc, char **argv)
{
	struct tally tallies[16] = { 0 }, all = { .rule = "all" };
	const char *rule = NULL, *only = NULL, *ktap = NULL, *gen;
	int nr_tallies = 0, failures = 0, missing = 0, opt;
	FILE *json;

	while ((opt = getopt(argc, argv, "r:m:k:")) != -1) {
		if (opt == 'r')
			rule = optarg;
		else if (opt == 'm')
			only = optarg;
		else if (opt == 'k')
			ktap = optarg;
		else
			return 2;
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc != 6) {
		fprintf(stderr, "usage: report [-r RULE] [-m ID] [-k KTAP] GEN OUTCOMES NOT_COMPILED EQUIVALENTS JSON\n");
		return 2;
	}
	gen = argv[1];
	read_mutants(gen);
	read_not_compiled(argv[3]);
	read_equivalents(argv[4]);
	read_outcomes(argv[2]);

	for (int i = 0; i < nr_mutants; i++) {
		struct mutant *m = &mutants[i];
		struct tally *t = NULL;

		m->selected = (!rule || !strcmp(rule, m->rule)) && (!only || !strcmp(only, m->id));
		if (!m->selected)
			continue;
		for (int j = 0; j < nr_tallies; j++)
			if (!strcmp(tallies[j].rule, m->rule))
				t = &tallies[j];
		if (!t) {
			t = &tallies[nr_tallies++];
			snprintf(t->rule, sizeof(t->rule), "%s", m->rule);
		}
		for (struct tally *x = t; x; x = x == &all ? NULL : &all) {
			x->generated++;
			x->count[m->status]++;
			x->by_kunit += m->status >= KILLED && strcmp(m->kunit, "-") && *m->kunit;
			x->seconds += m->seconds;
		}
		missing += m->status == MISSING;
	}
	if (missing)
		fatal("%d of the mutants have no outcome: the run did not finish", missing);
	qsort(tallies, nr_tallies, sizeof(tallies[0]), by_rule);

	printf("  %-5s %9s %8s %6s %7s %7s %6s %8s %6s %10s %10s\n", "rule", "mutants", "no-build",
	       "equiv", "killed", "timeout", "kunit", "survived", "error", "user score", "KUnit score");
	for (int j = 0; j <= nr_tallies; j++) {
		struct tally *t = j < nr_tallies ? &tallies[j] : &all;
		int counted = t->generated - t->count[NOT_COMPILED] - t->count[EQUIVALENT];
		int detected = t->count[KILLED] + t->count[TIMEOUT];

		printf("  %-5s %9d %8d %6d %7d %7d %6d %8d %6d %9.1f%% %9.1f%%\n", t->rule,
		       t->generated, t->count[NOT_COMPILED], t->count[EQUIVALENT], t->count[KILLED],
		       t->count[TIMEOUT], t->count[KUNIT_ONLY], t->count[SURVIVED], t->count[ERROR],
		       percent(detected, counted), percent(t->by_kunit, counted));
	}
	if (all.generated - all.count[NOT_COMPILED] - all.count[EQUIVALENT])
		printf("  %.1f s per mutant booted\n", all.seconds /
		       (all.generated - all.count[NOT_COMPILED] - all.count[EQUIVALENT]));

	json = open_or_die(argv[5], "w");
	fprintf(json, "{\n  \"rules\": [");
	for (int j = 0; j < nr_tallies; j++) {
		struct tally *t = &tallies[j];
		int counted = t->generated - t->count[NOT_COMPILED] - t->count[EQUIVALENT];

		fprintf(json, "%s\n    {\"rule\": \"%s\", \"generated\": %d", j ? "," : "",
			t->rule, t->generated);
		for (int s = NOT_COMPILED; s < NR_STATUS; s++)
			fprintf(json, ", \"%s\": %d", status_name[s], t->count[s]);
		fprintf(json, ", \"user_score\": %.4f, \"kunit_score\": %.4f}",
			percent(t->count[KILLED] + t->count[TIMEOUT], counted) / 100,
			percent(t->by_kunit, counted) / 100);
	}
	fprintf(json, "\n  ],\n  \"mutants\": [");
	for (int i = 0, first = 1; i < nr_mutants; i++) {
		struct mutant *m = &mutants[i];
		char *diff;

		if (!m->selected)
			continue;
		diff = read_diff(gen, m->id);
		fprintf(json, "%s\n    {\"id\": ", first ? "" : ",");
		put_json_string(json, m->id);
		fprintf(json, ", \"rule\": \"%s\", \"file\": \"%s\", \"line\": %d, \"outcome\": \"%s\", "
			"\"seconds\": %.1f, \"user_failure\": ", m->rule, m->file, m->line,
			status_name[m->status], m->seconds);
		put_json_string(json, m->user);
		fputs(", \"kunit_failure\": ", json);
		put_json_string(json, m->kunit);
		fputs(", \"equivalent_because\": ", json);
		put_json_string(json, m->why);
		fputs(", \"diff\": ", json);
		put_json_string(json, diff);
		fputc('}', json);
		first = 0;
		if (m->status == SURVIVED || m->status == KUNIT_ONLY || m->status == ERROR) {
			printf("\n  %s (rule %s): %s%s%s\n%s", m->id, m->rule, status_name[m->status],
			       m->status == KUNIT_ONLY ? ", KUnit: " : m->status == ERROR ? ": " : "",
			       m->status == KUNIT_ONLY ? m->kunit : m->status == ERROR ? m->user : "",
			       diff);
			failures++;
		}
		free(diff);
	}
	fprintf(json, "\n  ]\n}\n");
	fclose(json);
	if (ktap)
		write_ktap(ktap, tallies, nr_tallies);
	if (all.count[ERROR])
		printf("\nmutation: %d boots ended in error: they prove nothing, run them again\n",
		       all.count[ERROR]);
	if (failures > all.count[ERROR])
		printf("\nmutation: %d mutants no user-space test catches: each is a missing test\n",
		       failures - all.count[ERROR]);
	return failures ? 1 : 0;
}
