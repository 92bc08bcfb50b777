// SPDX-License-Identifier: GPL-2.0
/*
 * kcidb: one run's results as a KCIDB v5.3 document, the format KernelCI's
 * common database takes from CI systems.
 *
 *	kcidb ORIGIN FACTS KTAP > kcidb.json
 *
 * FACTS (linux/kcidb-facts.sh and make test) says what was built, one
 * fact a line:
 *
 *	checkout KEY VALUE	id, package, version, tarball_sha256,
 *				patchset_hash; patch (each subject, in order)
 *	build NAME KEY VALUE	id, config_name, compiler, duration, objects
 *	runs PROGRAM BUILD	PROGRAM (a top-level name of KTAP, or its
 *				suite "coverage/") ran on BUILD; otherwise
 *				the first build
 *
 * KTAP is the run as tests/host/summary.c writes it: one subtest per
 * program.  Each program is one test (its verdict: "# MISS" is MISS, a
 * "# TIMEOUT", a kill or an unfinished guest is ERROR, any other failure
 * FAIL; "# duration_s" before it is its duration), and so is each case
 * (leaf) in it ("# SKIP" is SKIP, "# ERROR" ERROR: the status of what it
 * tested is unknown); a KUnit suite's own line is not (its cases are).  A test's
 * path is its program's name and its case's, dot-separated, any other
 * character made '_'; a harness name fixture.POLICY.test becomes
 * fixture.test.POLICY, so both policies of a test share a node; a name
 * that begins with its parent's last part (kunit/signal_pidns's suite
 * signal_pidns, uml/fp_state's fp_state.x) does not repeat it.  Ids are ORIGIN, the build's id and the
 * path: the same input gives the same ids, so a KCIDB instance
 * deduplicates a re-run.  A case named as an earlier one of its program
 * (some selftests print a name twice) gets "-N", N its TAP number; any
 * other two results with one path are an error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH	8
#define EXCERPT		4096	/* of a failure's diagnostics; KCIDB takes 16 KiB */

struct build {
	char name[32], id[256], config_name[512], compiler[256];
	char duration[32], objects[32];
};

static struct build builds[8];
static int nr_builds;
static char runs[64][2][128];	/* program, build */
static int nr_runs;
static char checkout[8][2][512];	/* key, value */
static int nr_checkout;
static char patches[64][512];
static int nr_patches;
static char **paths;
static int nr_paths;
static const char *origin;

static void die(int status, const char *fmt, const char *arg)
{
	fprintf(stderr, "kcidb: error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(status);
}

/* A JSON string: non-ASCII bytes become '?' (test output may be anything). */
static void json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			printf("\\n");
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c < 0x80 ? c : '?');
	}
	putchar('"');
}

static void field(const char *key, const char *value, bool comma)
{
	printf("%s\"%s\": ", comma ? ", " : "", key);
	json_string(value, strlen(value));
}

static const char *checkout_fact(const char *key)
{
	for (int i = 0; i < nr_checkout; i++)
		if (!strcmp(checkout[i][0], key))
			return checkout[i][1];
	die(2, "the facts give no checkout %s", key);
	return NULL;
}

static struct build *build_named(const char *name, bool add)
{
	for (int i = 0; i < nr_builds; i++)
		if (!strcmp(builds[i].name, name))
			return &builds[i];
	if (!add)
		die(2, "no build named %s in the facts", name);
	if (nr_builds == (int)(sizeof(builds) / sizeof(builds[0])))
		die(2, "too many builds at %s", name);
	snprintf(builds[nr_builds].name, sizeof(builds[0].name), "%s", name);
	return &builds[nr_builds++];
}

static void read_facts(const char *path)
{
	char line[1024], a[128], b[128], value[512];
	FILE *f = fopen(path, "r");

	if (!f)
		die(2, "cannot read the facts %s", path);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		value[0] = '\0';
		if (sscanf(line, "checkout %127s %511[^\n]", a, value) >= 1) {
			if (!strcmp(a, "patch") && nr_patches < 64)
				snprintf(patches[nr_patches++], sizeof(patches[0]), "%s", value);
			else if (strcmp(a, "patch") && nr_checkout < 8) {
				snprintf(checkout[nr_checkout][0], sizeof(checkout[0][0]), "%s", a);
				snprintf(checkout[nr_checkout++][1], sizeof(checkout[0][1]), "%s", value);
			}
		} else if (sscanf(line, "build %127s %127s %511[^\n]", a, b, value) >= 2) {
			struct build *bd = build_named(a, true);
			struct { const char *key; char *dst; size_t size; } keys[] = {
				{ "id", bd->id, sizeof(bd->id) },
				{ "config_name", bd->config_name, sizeof(bd->config_name) },
				{ "compiler", bd->compiler, sizeof(bd->compiler) },
				{ "duration", bd->duration, sizeof(bd->duration) },
				{ "objects", bd->objects, sizeof(bd->objects) },
			};
			size_t k;

			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				if (!strcmp(keys[k].key, b))
					break;
			if (k == sizeof(keys) / sizeof(keys[0]))
				die(2, "unknown build fact: %s", line);
			snprintf(keys[k].dst, keys[k].size, "%s", value);
		} else if (sscanf(line, "runs %127s %127s", a, b) == 2 && nr_runs < 64) {
			snprintf(runs[nr_runs][0], sizeof(runs[0][0]), "%s", a);
			snprintf(runs[nr_runs++][1], sizeof(runs[0][1]), "%s", b);
		} else if (line[0] && line[0] != '#') {
			die(2, "cannot parse the fact \"%s\"", line);
		}
	}
	fclose(f);
	if (!nr_builds)
		die(2, "the facts %s name no build", path);
	for (int i = 0; i < nr_builds; i++)
		if (!builds[i].id[0])
			die(2, "build %s has no id in the facts", builds[i].name);
}

/* The build a top-level program ran on. */
static const struct build *build_of(const char *program)
{
	for (int i = 0; i < nr_runs; i++) {
		size_t len = strlen(runs[i][0]);

		if (!strcmp(program, runs[i][0]) ||
		    (runs[i][0][len - 1] == '/' && !strncmp(program, runs[i][0], len)))
			return build_named(runs[i][1], false);
	}
	return &builds[0];
}

static void print_checkout(void)
{
	printf("  \"checkouts\": [{");
	printf("\"id\": \"%s:%s\"", origin, checkout_fact("id"));
	field("origin", origin, true);
	field("tree_name", checkout_fact("package"), true);
	printf(", \"comment\": \"%s %s and the lab's series (%d patches)\"",
	       checkout_fact("package"), checkout_fact("version"), nr_patches);
	field("patchset_hash", checkout_fact("patchset_hash"), true);
	printf(", \"valid\": true, \"misc\": {");
	field("package", checkout_fact("package"), false);
	field("package_version", checkout_fact("version"), true);
	field("tarball_sha256", checkout_fact("tarball_sha256"), true);
	printf(", \"patches\": [");
	for (int i = 0; i < nr_patches; i++) {
		printf(i ? ", " : "");
		json_string(patches[i], strlen(patches[i]));
	}
	printf("]}}],\n");
}

static void print_builds(void)
{
	printf("  \"builds\": [");
	for (int i = 0; i < nr_builds; i++) {
		const struct build *b = &builds[i];

		printf("%s\n    {\"id\": \"%s:%s\", \"checkout_id\": \"%s:%s\"", i ? "," : "",
		       origin, b->id, origin, checkout_fact("id"));
		field("origin", origin, true);
		printf(", \"architecture\": \"um\", \"status\": \"PASS\"");
		field("config_name", b->config_name, true);
		if (b->compiler[0])
			field("compiler", b->compiler, true);
		if (b->duration[0])
			printf(", \"duration\": %s", b->duration);
		printf(", \"misc\": {\"kernel\": \"%s\"", b->name);
		if (b->objects[0])
			printf(", \"objects_compiled\": %s", b->objects);
		printf("}}");
	}
	printf("\n  ],\n");
}

/* fixture.POLICY.test -> fixture.test.POLICY: one node per test. */
static void policy_last(char *part)
{
	static const char *const policies[] = { "upstream", "rfc2007" };
	char *pol = strchr(part, '.'), *test = pol ? strchr(pol + 1, '.') : NULL;
	char moved[512];

	if (!test || strchr(test + 1, '.'))
		return;
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		if ((size_t)(test - pol - 1) == strlen(policies[i]) &&
		    !strncmp(pol + 1, policies[i], strlen(policies[i]))) {
			snprintf(moved, sizeof(moved), "%s.%s", test + 1, policies[i]);
			strcpy(pol + 1, moved);
		}
}

enum part_kind {
	PROGRAM,	/* its '/' is a level */
	SUBTEST,	/* a nested level (a KUnit suite): not repeated */
	CASE,		/* its policy goes last */
};

/* Append @name (@len bytes) to @path as KCIDB path parts. */
static void append_parts(char *path, size_t size, const char *name, size_t len,
			 enum part_kind kind)
{
	char part[512], *p = path + strlen(path), *last = strrchr(path, '.');
	size_t n = 0;

	last = last ? last + 1 : path;
	while (len && isspace((unsigned char)name[len - 1]))
		len--;
	for (size_t i = 0; i < len && n < sizeof(part) - 1; i++) {
		bool kept = isalnum((unsigned char)name[i]) || name[i] == '-' || name[i] == '.' ||
			    name[i] == '_';

		/* "posix timer (SI_TIMER)" -> posix_timer_SI_TIMER */
		if (kept || (kind == PROGRAM && name[i] == '/'))
			part[n++] = kept ? name[i] : '.';
		else if (n && part[n - 1] != '_' && i + 1 < len)
			part[n++] = '_';
	}
	while (n && part[n - 1] == '_' && len && !isalnum((unsigned char)name[len - 1]) &&
	       name[len - 1] != '_')
		n--;
	part[n] = '\0';
	if (kind == CASE)
		policy_last(part);
	/*
	 * uml/fp_state's fp_state.x, kunit/signal_pidns's signal_pidns: once.
	 * A case named as its program keeps its name: its path must differ.
	 */
	if (*last && !strncmp(part, last, strlen(last)) && part[strlen(last)] == '.')
		memmove(part, part + strlen(last) + 1, strlen(part + strlen(last)));
	else if (*last && !strcmp(part, last) && kind == SUBTEST)
		return;
	/* No empty part: "a..b" or a leading or trailing dot. */
	for (char *d = part; (d = strchr(d, '.')); d++)
		if (d == part || d[1] == '.' || d[1] == '\0')
			*d = '_';
	snprintf(p, size - (p - path), "%s%s", p == path ? "" : ".", part[0] ? part : "_");
}

static char *path_key(const char *build_id, const char *path)
{
	char *key;

	if (asprintf(&key, "%s:%s", build_id, path) < 0)
		abort();
	return key;
}

static bool path_taken(const char *build_id, const char *path)
{
	char *key = path_key(build_id, path);
	bool taken = false;

	for (int i = 0; i < nr_paths && !taken; i++)
		taken = !strcmp(paths[i], key);
	free(key);
	return taken;
}

static void claim_path(const char *build_id, const char *path)
{
	if (path_taken(build_id, path))
		die(1, "two results have the path %s", path);
	paths = realloc(paths, (nr_paths + 1) * sizeof(*paths));
	if (!paths)
		abort();
	paths[nr_paths++] = path_key(build_id, path);
}

static void print_test(bool *first, const struct build *b, const char *path,
		       const char *status, const char *duration, const char *timeout,
		       const char *log)
{
	size_t len = strlen(log);

	claim_path(b->id, path);
	printf("%s\n    {\"id\": \"%s:%s:%s\", \"build_id\": \"%s:%s\"", *first ? "" : ",",
	       origin, b->id, path, origin, b->id);
	*first = false;
	field("origin", origin, true);
	field("path", path, true);
	field("status", status, true);
	if (duration[0])
		printf(", \"duration\": %s", duration);
	if (len) {
		printf(", \"log_excerpt\": ");
		json_string(len > EXCERPT ? log + len - EXCERPT : log, EXCERPT);
	}
	if (timeout[0])
		printf(", \"misc\": {\"timeout_s\": %s}", timeout);
	printf("}");
}

/* A program's verdict as a KCIDB status (see the top of this file). */
static const char *program_status(bool ok, const char *directive, char *timeout)
{
	timeout[0] = '\0';
	if (ok && strncmp(directive, "SKIP", 4))
		return "PASS";
	if (!strncmp(directive, "SKIP", 4))
		return "SKIP";
	if (!strncmp(directive, "MISS", 4))
		return "MISS";
	if (sscanf(directive, "TIMEOUT after %31[0-9]", timeout) == 1 ||
	    strstr(directive, "killed by signal") || strstr(directive, "SIGKILL") ||
	    strstr(directive, "did not finish"))
		return "ERROR";
	return "FAIL";
}

static void print_tests(const char *ktap_path)
{
	char subtest[MAX_DEPTH][512] = { "" }, path[2048], duration[32] = "";
	char *line = NULL, *log = NULL, timeout[32];
	size_t line_size = 0, log_size = 0, log_len = 0;
	int last_indent = 0;
	bool first = true;
	FILE *ktap = fopen(ktap_path, "r");

	if (!ktap)
		die(2, "cannot read %s", ktap_path);
	printf("  \"tests\": [");
	while (getline(&line, &line_size, ktap) >= 0) {
		int indent = strspn(line, " "), depth = indent / 4;
		char *text = line + indent, *name, *directive;
		bool ok, parent;
		const struct build *b;

		text[strcspn(text, "\n")] = '\0';
		if (depth >= MAX_DEPTH)
			continue;
		if (!strncmp(text, "# Subtest: ", 11)) {
			snprintf(subtest[depth], sizeof(subtest[0]), "%s", text + 11);
			continue;
		}
		if (sscanf(text, "# duration_s %31[0-9.]", duration) == 1)
			continue;
		ok = !strncmp(text, "ok ", 3);
		if (!ok && strncmp(text, "not ok ", 7)) {
			/* A diagnostic: the next result's log. */
			if (text[0] == '#' && log_len + strlen(text) + 2 > log_size &&
			    !(log = realloc(log, log_size = 2 * log_size + strlen(text) + 2)))
				abort();
			if (text[0] == '#')
				log_len += sprintf(log + log_len, "%s\n", text);
			continue;
		}
		parent = indent < last_indent;
		last_indent = indent;
		name = strchr(text + (ok ? 3 : 7), ' ');
		name = name ? name + 1 : text;
		directive = strstr(name, " # ");
		if (depth == 0) {
			/* A program (or the guest): its verdict, on its build. */
			path[0] = '\0';
			append_parts(path, sizeof(path), name,
				     directive ? (size_t)(directive - name) : strlen(name), PROGRAM);
			b = build_of(subtest[1][0] ? subtest[1] : name);
			print_test(&first, b, path, program_status(ok, directive ? directive + 3 : "",
				   timeout), duration, timeout, ok ? "" : (log ? log : ""));
			memset(subtest, 0, sizeof(subtest));
		} else if (!parent) {
			path[0] = '\0';
			for (int d = 1; d <= depth; d++)
				append_parts(path, sizeof(path), subtest[d], strlen(subtest[d]),
					     d == 1 ? PROGRAM : SUBTEST);
			append_parts(path, sizeof(path), name,
				     directive ? (size_t)(directive - name) : strlen(name), CASE);
			/* Some selftests print one name twice: the later gets its number. */
			if (path_taken(build_of(subtest[1])->id, path))
				snprintf(path + strlen(path), sizeof(path) - strlen(path), "-%d",
					 atoi(text + (ok ? 3 : 7)));
			print_test(&first, build_of(subtest[1]), path,
				   directive && !strncmp(directive, " # SKIP", 7) ? "SKIP" :
				   directive && !strncmp(directive, " # ERROR", 8) ? "ERROR" :
				   ok ? "PASS" : "FAIL", "", "", ok ? "" : (log ? log : ""));
		}
		duration[0] = '\0';
		log_len = 0;
		if (log)
			log[0] = '\0';
	}
	fclose(ktap);
	free(line);
	free(log);
	printf("\n  ]\n");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: kcidb ORIGIN FACTS KTAP > kcidb.json\n");
		return 2;
	}
	origin = argv[1];
	if (!origin[0] || strspn(origin, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(origin))
		die(2, "'%s' is not a KCIDB origin: it must match ^[a-z0-9_]+$", origin);
	read_facts(argv[2]);
	printf("{\n  \"version\": {\"major\": 5, \"minor\": 3},\n");
	print_checkout();
	print_builds();
	print_tests(argv[3]);
	printf("}\n");
	return 0;
}
