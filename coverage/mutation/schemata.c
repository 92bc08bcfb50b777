// SPDX-License-Identifier: GPL-2.0
/*
 * schemata: break the rules on purpose, all mutants in one kernel.
 *
 *	schemata [-s SKIP] SRCDIR RULES OUTSRC OUTDIR
 *
 * For each function coverage/rules.list (RULES) gates, reads its source
 * from SRCDIR, makes the mutants below on the lines the entry gates, and
 * writes the file into OUTSRC (a scratch tree) as a mutant schema: the
 * function is renamed <name>__unmutated, each mutant is a copy of it with
 * one change, <name>__mutant_<n>, and <name> itself calls the copy the
 * boot parameter pidns_mutant=<n> selects (0, the default: none).  One
 * build then serves every mutant.
 *
 * OUTDIR/mutants.list gets a line "n id rule file line hash" per mutant,
 * the id stable while the function's lines stay where they are:
 * <function>+<offset>.<operator>[.<k>], k telling apart the same
 * operator on one line; the hash names what the mutant changes (its
 * diff's lines), so that a verdict on an id can tell when the code under
 * it moved.  OUTDIR/diffs/<id>.diff is the mutant as a patch of its
 * source file; OUTDIR/lines.map says which lines of OUTSRC hold which
 * mutant ("file first last n"), so that a build error names the mutants
 * that do not compile; OUTDIR/files lists the files written.  SKIP lists
 * ids to leave out of the schema (they did not compile); they stay in
 * mutants.list.
 *
 * The operators (why each: what a test that pins the rule must notice):
 *	negate	if/while condition or a bool return, negated
 *	not	a unary ! dropped
 *	andor	&& and || swapped
 *	rel	a relational boundary moved (< and <=, > and >=)
 *	eq	== and != swapped
 *	policy	PID_NS_SIGNAL_RFC2007 and PID_NS_SIGNAL_UPSTREAM swapped
 *	delete	a statement that sets the origin mark, rewrites the siginfo
 *		or forces delivery, removed
 *	true, false	a bool helper that returns only that
 * A line-level generator rather than Coccinelle: the mutants are single
 * token edits on lines the gate already names, and each must become a
 * numbered copy of its function, which a semantic patch cannot number.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>

#define TOOL_NAME "schemata"
#include "../fatal.h"
#include "../rules-list.h"

#define MAX_TOKENS 200000
#define MAX_MUTANTS 2048
#define MAX_SKIP 512
#define MAX_FILES 8

/* One source file, lexed: comments and preprocessor lines are not tokens. */
struct token {
	int start, len, line;
	bool ident;
};

struct source {
	char path[256];
	char *text;
	int size;
	struct token *tok;
	int nr_tok;
};

static char *read_text(const char *path, int *size)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;

	if (!f)
		fatal("cannot read %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc(n + 1);
	if (!text || fread(text, 1, n, f) != (size_t)n)
		fatal("cannot read %s", path);
	text[n] = '\0';
	fclose(f);
	*size = n;
	return text;
}

/* C's punctuators, longest first. */
static const char *const punct[] = {
	"<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
	"&&", "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", NULL
};

static void lex(struct source *s)
{
	const char *t = s->text;
	int i = 0, line = 1;
	bool line_start = true;

	s->tok = calloc(MAX_TOKENS, sizeof(*s->tok));
	while (t[i]) {
		struct token *k = &s->tok[s->nr_tok];
		int j = i;

		if (t[i] == '\n') {
			line++;
			line_start = true;
			i++;
			continue;
		}
		if (isspace((unsigned char)t[i])) {
			i++;
			continue;
		}
		if (line_start && t[i] == '#') {	/* to the end, with continuations */
			while (t[i] && !(t[i] == '\n' && t[i - 1] != '\\'))
				line += t[i++] == '\n';
			continue;
		}
		line_start = false;
		if (!strncmp(t + i, "/*", 2)) {
			for (i += 2; t[i] && strncmp(t + i, "*/", 2); i++)
				line += t[i] == '\n';
			i += t[i] ? 2 : 0;
			continue;
		}
		if (!strncmp(t + i, "//", 2)) {
			while (t[i] && t[i] != '\n')
				i++;
			continue;
		}
		if (s->nr_tok == MAX_TOKENS)
			fatal("%s: more than %d tokens", s->path, MAX_TOKENS);
		k->start = i;
		k->line = line;
		if (isalnum((unsigned char)t[i]) || t[i] == '_') {
			k->ident = !isdigit((unsigned char)t[i]);
			while (isalnum((unsigned char)t[j]) || t[j] == '_' || (!k->ident && t[j] == '.'))
				j++;
		} else if (t[i] == '"' || t[i] == '\'') {
			for (j = i + 1; t[j] && t[j] != t[i]; j++)
				j += t[j] == '\\';
			j += t[j] ? 1 : 0;
		} else {
			const char *const *p;

			for (p = punct; *p && strncmp(t + i, *p, strlen(*p)); p++)
				;
			j = i + (*p ? (int)strlen(*p) : 1);
		}
		k->len = j - i;
		s->nr_tok++;
		i = j;
	}
}

static bool is(const struct source *s, int k, const char *text)
{
	return k >= 0 && k < s->nr_tok && s->tok[k].len == (int)strlen(text) &&
	       !strncmp(s->text + s->tok[k].start, text, s->tok[k].len);
}

static bool starts(const struct source *s, int k, const char *prefix)
{
	return k >= 0 && k < s->nr_tok && s->tok[k].len >= (int)strlen(prefix) &&
	       !strncmp(s->text + s->tok[k].start, prefix, strlen(prefix));
}

/* The token that closes the bracket at @k. */
static int closing(const struct source *s, int k)
{
	char open = s->text[s->tok[k].start];
	char close = open == '(' ? ')' : open == '{' ? '}' : ']';
	int depth = 0;

	for (; k < s->nr_tok; k++) {
		if (is(s, k, (char[]){ open, 0 }))
			depth++;
		else if (is(s, k, (char[]){ close, 0 }) && --depth == 0)
			return k;
	}
	fatal("%s: unbalanced %c", s->path, open);
}

/* Does the ) at @k close an if's, while's or for's condition? */
static bool ends_condition(const struct source *s, int k)
{
	int depth = 0;

	if (!is(s, k, ")"))
		return false;
	for (; k >= 0; k--) {
		depth += is(s, k, ")") - is(s, k, "(");
		if (!depth)
			return is(s, k - 1, "if") || is(s, k - 1, "while") || is(s, k - 1, "for");
	}
	return false;
}

/* Does the token at @k start a statement (of a function body)? */
static bool starts_statement(const struct source *s, int k)
{
	return is(s, k - 1, ";") || is(s, k - 1, "{") || is(s, k - 1, "}") ||
	       is(s, k - 1, "else") || ends_condition(s, k - 1);
}

/* The token after the operand of a unary operator that starts at @k. */
static int operand_end(const struct source *s, int k)
{
	if (is(s, k, "!"))
		return operand_end(s, k + 1);
	if (is(s, k, "("))
		return closing(s, k) + 1;
	for (k++; is(s, k, "->") || is(s, k, ".") || is(s, k, "(") || is(s, k, "["); )
		k = is(s, k, "(") || is(s, k, "[") ? closing(s, k) + 1 : k + 2;
	return k;
}

/* The next ';' at bracket depth 0 from @k. */
static int statement_end(const struct source *s, int k)
{
	for (; k < s->nr_tok && !is(s, k, ";"); k++)
		if (is(s, k, "(") || is(s, k, "{") || is(s, k, "["))
			k = closing(s, k);
	if (k == s->nr_tok)
		fatal("%s: no ';' after line %d", s->path, s->tok[k - 1].line);
	return k;
}

/* A definition of a function RULES names, as found in its source. */
struct function {
	struct rule_entry entry;
	struct source *src;
	int name, open, close;	/* tokens: its name, its body's { and } */
	int first_line;		/* the name's line: offsets count from it */
	int head;		/* byte offset of the line the definition starts on */
	bool returns_void, returns_bool;
	char args[512];		/* its parameters' names, as a call passes them */
	/* The rule of each body token in scope (by index - open), else NULL. */
	const char *rule_of[MAX_TOKENS / 64];
};

static void find_function(struct function *f)
{
	struct source *s = f->src;
	int depth = 0;

	for (int k = 0; k < s->nr_tok; k++) {
		int close;

		if (is(s, k, "{"))
			depth++;
		else if (is(s, k, "}"))
			depth--;
		if (depth || !is(s, k, f->entry.func) || !is(s, k + 1, "("))
			continue;
		close = closing(s, k + 1);
		if (!is(s, close + 1, "{"))
			continue;	/* a declaration */
		f->name = k;
		f->open = close + 1;
		f->close = closing(s, f->open);
		f->first_line = s->tok[k].line;
		for (f->head = s->tok[k].start; f->head && s->text[f->head - 1] != '\n'; f->head--)
			;
		if (isspace((unsigned char)s->text[f->head]))
			fatal("%s: %s: the definition does not start its line", s->path,
			      f->entry.func);
		for (int j = k - 1; j >= 0 && s->tok[j].start >= f->head; j--) {
			f->returns_void |= is(s, j, "void") && !is(s, j + 1, "*");
			f->returns_bool |= is(s, j, "bool");
		}
		/* Each parameter's name is its last identifier. */
		for (int j = k + 2, last = -1; j <= close; j++) {
			if (s->tok[j].ident && !is(s, j, "void"))
				last = j;
			if ((is(s, j, ",") || j == close) && last >= 0) {
				size_t n = strlen(f->args);

				snprintf(f->args + n, sizeof(f->args) - n, "%s%.*s", n ? ", " : "",
					 s->tok[last].len, s->text + s->tok[last].start);
				last = -1;
			}
		}
		return;
	}
	fatal("%s: no definition of %s (%s names it)", s->path, f->entry.func, "rules.list");
}

/*
 * Which body tokens the entry takes: all, or its offsets' lines; an if
 * that starts on one of them comes whole (its condition and its body),
 * a loop or switch with its condition.
 */
static void mark_scope(struct function *f, const struct rule_entry *e)
{
	struct source *s = f->src;
	const char *rule = strdup(e->rule);

	if (f->close - f->open >= (int)(sizeof(f->rule_of) / sizeof(f->rule_of[0])))
		fatal("%s: %s is too long", s->path, f->entry.func);
	for (int k = f->open + 1; k < f->close; k++) {
		int end;

		if (!strchr(e->need, ':')) {
			f->rule_of[k - f->open] = rule;
			continue;
		}
		int first = k, line = s->tok[k].line;

		if (s->tok[k - 1].line == line && k - 1 > f->open)
			continue;	/* not its line's first token */
		if (!gated_line(e->need, line - f->first_line))
			continue;
		while (is(s, k, "}") || is(s, k, "else"))
			k++;
		if (is(s, k, "if") && starts_statement(s, k)) {
			/* The decision and what it decides. */
			end = closing(s, k + 1) + 1;
			end = is(s, end, "{") ? closing(s, end) : statement_end(s, end);
		} else if ((is(s, k, "while") || is(s, k, "for") || is(s, k, "switch")) &&
			   starts_statement(s, k)) {
			end = closing(s, k + 1);
		} else {
			for (end = first; end + 1 < f->close && s->tok[end + 1].line == line; end++)
				;
		}
		for (int j = first; j <= end; j++)
			f->rule_of[j - f->open] = rule;
	}
}

/* A mutant: at most two edits of its function's text (byte offsets). */
struct edit {
	int at, cut;
	const char *put;
};

struct mutant {
	struct function *func;
	const char *rule;
	char id[192], op[16];
	int line;
	struct edit edit[2];
	int nr_edits;
	bool skip;
	int first, last;	/* its copy's lines in the output */
	unsigned long long hash;	/* of its diff's lines: what it changes */
};

static struct mutant mutants[MAX_MUTANTS];
static int nr_mutants;

static const char *mutant_rule;	/* the rule of the code being mutated */

static struct mutant *add_mutant(struct function *f, const char *op, int line)
{
	struct mutant *m;

	if (nr_mutants == MAX_MUTANTS)
		fatal("more than %d mutants", MAX_MUTANTS);
	m = &mutants[nr_mutants++];
	m->func = f;
	m->rule = mutant_rule;
	m->line = line;
	snprintf(m->op, sizeof(m->op), "%s", op);
	return m;
}

static void edit(struct mutant *m, int at, int cut, const char *put)
{
	m->edit[m->nr_edits++] = (struct edit){ at, cut, put };
}

static void replace_token(struct function *f, int k, const char *op, const char *put)
{
	struct token *t = &f->src->tok[k];

	edit(add_mutant(f, op, t->line), t->start, t->len, put);
}

/* Wrap tokens @from..@to in !( ): the condition or value they make. */
static void negate(struct function *f, int from, int to, int line)
{
	struct source *s = f->src;
	struct mutant *m = add_mutant(f, "negate", line);

	edit(m, s->tok[from].start, 0, "!(");
	edit(m, s->tok[to].start + s->tok[to].len, 0, ")");
}

/* What a statement must not lose: the origin mark, the siginfo, force. */
static bool sets_what_rules_read(struct source *s, int k, int end)
{
	static const char *const lhs[] = {
		"origin", "force", "tracer_ancestor", "info", "q", "*", NULL
	};
	const char *const *p;

	if (starts(s, k, "masquerade_sender") && is(s, k + 1, "("))
		return true;
	for (p = lhs; *p && !is(s, k, *p); p++)
		;
	if (!*p)
		return false;
	for (int j = k; j < end; j++) {
		if (is(s, j, "(") || is(s, j, "["))
			return false;	/* a call or an index before any assignment */
		if (is(s, j, "=") || is(s, j, "|="))
			return is(s, k, "origin") || is(s, k, "force") || is(s, k, "tracer_ancestor") ||
			       (is(s, k, "*") && is(s, k + 1, "from_ancestor")) ||
			       (j > k + 2 && (starts(s, j - 1, "si_") || is(s, j - 1, "flags")));
	}
	return false;
}

static void make_mutants(struct function *f)
{
	struct source *s = f->src;

	for (int k = f->open + 1; k < f->close; k++) {
		int line = s->tok[k].line;

		mutant_rule = f->rule_of[k - f->open];
		if (!mutant_rule)
			continue;
		if (is(s, k, "if") || is(s, k, "while"))
			negate(f, k + 2, closing(s, k + 1) - 1, line);
		if (is(s, k, "return") && f->returns_bool && !is(s, k + 1, ";")) {
			int end = statement_end(s, k);

			if (end == k + 2 && (is(s, k + 1, "true") || is(s, k + 1, "false")))
				replace_token(f, k + 1, "negate", is(s, k + 1, "true") ? "false" : "true");
			else
				negate(f, k + 1, end - 1, line);
		}
		/* Not where negate makes the same mutant: !x as a whole condition. */
		if (is(s, k, "!") &&
		    !(is(s, k - 1, "(") && (is(s, k - 2, "if") || is(s, k - 2, "while")) &&
		      operand_end(s, k + 1) == closing(s, k - 1)) &&
		    !(is(s, k - 1, "return") && is(s, operand_end(s, k + 1), ";")))
			replace_token(f, k, "not", "");
		if (is(s, k, "&&") || is(s, k, "||"))
			replace_token(f, k, "andor", is(s, k, "&&") ? "||" : "&&");
		if (is(s, k, "<") || is(s, k, "<=") || is(s, k, ">") || is(s, k, ">="))
			replace_token(f, k, "rel", is(s, k, "<") ? "<=" : is(s, k, "<=") ? "<" :
				      is(s, k, ">") ? ">=" : ">");
		if (is(s, k, "==") || is(s, k, "!="))
			replace_token(f, k, "eq", is(s, k, "==") ? "!=" : "==");
		if (is(s, k, "PID_NS_SIGNAL_RFC2007") || is(s, k, "PID_NS_SIGNAL_UPSTREAM"))
			replace_token(f, k, "policy", is(s, k, "PID_NS_SIGNAL_RFC2007") ?
				      "PID_NS_SIGNAL_UPSTREAM" : "PID_NS_SIGNAL_RFC2007");
		if (starts_statement(s, k)) {
			int end = statement_end(s, k);

			if (sets_what_rules_read(s, k, end)) {
				struct mutant *m = add_mutant(f, "delete", line);

				edit(m, s->tok[k].start, s->tok[end].start + 1 - s->tok[k].start, "{ }");
			}
		}
	}
	mutant_rule = f->entry.rule;
	if (f->returns_bool && !strchr(f->entry.need, ':')) {
		static const char *const result[] = { "true", "false" };

		for (int i = 0; i < 2; i++) {
			struct mutant *m = add_mutant(f, result[i], f->first_line);
			int at = s->tok[f->open].start + 1;

			edit(m, at, s->tok[f->close].start - at,
			     i ? "\n\treturn false;\n" : "\n\treturn true;\n");
		}
	}
}

/* Ids: <function>+<offset>.<op>, then .<k> where one line has several. */
static void name_mutants(void)
{
	for (int i = 0; i < nr_mutants; i++) {
		struct mutant *m = &mutants[i];
		int same = 0, k = 0;

		for (int j = 0; j < nr_mutants; j++) {
			struct mutant *o = &mutants[j];

			if (o->func == m->func && o->line == m->line && !strcmp(o->op, m->op)) {
				same++;
				k += j <= i;
			}
		}
		if (!strcmp(m->op, "true") || !strcmp(m->op, "false"))
			snprintf(m->id, sizeof(m->id), "%s.%s", m->func->entry.func, m->op);
		else if (same > 1)
			snprintf(m->id, sizeof(m->id), "%s+%d.%s.%d", m->func->entry.func,
				 m->line - m->func->first_line, m->op, k);
		else
			snprintf(m->id, sizeof(m->id), "%s+%d.%s", m->func->entry.func,
				 m->line - m->func->first_line, m->op);
	}
}

/* @text[@from, @to) with @m's edits applied (those inside it), to @out. */
static void put_mutated(FILE *out, const char *text, int from, int to, const struct mutant *m)
{
	for (int at = from; at < to; ) {
		const struct edit *e = NULL;

		for (int i = 0; i < m->nr_edits; i++)
			if (m->edit[i].at == at)
				e = &m->edit[i];
		if (e) {
			fputs(e->put, out);
			if (e->cut) {
				at += e->cut;
				continue;
			}
			e = NULL;
		}
		fputc(text[at++], out);
	}
}

static int count_lines(const char *text, int from, int to)
{
	int n = 0;

	while (from < to)
		n += text[from++] == '\n';
	return n;
}

/* Each line of @text[0, @size) with @mark before it, to @out. */
static void put_marked(FILE *out, char mark, const char *text, size_t size)
{
	for (size_t i = 0; i <= size; i++) {
		if (i == 0 || text[i - 1] == '\n')
			fputc(mark, out);
		fputc(i < size ? text[i] : '\n', out);
	}
}

/* FNV-1a, 64 bits: a name for what a mutant changes, not a checksum. */
static unsigned long long fnv1a(const char *text, size_t size)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	while (size--) {
		h ^= (unsigned char)*text++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* OUTDIR/diffs/<id>.diff: the mutant as a patch with no context. */
static void write_diff(const char *outdir, struct mutant *m)
{
	const struct source *s = m->func->src;
	const struct edit *lo = &m->edit[0], *hi = &m->edit[m->nr_edits - 1];
	int from = lo->at, to = hi->at + hi->cut, line;
	char path[4096], *mutated, *body;
	size_t size, body_size;
	FILE *out, *mem;

	while (from && s->text[from - 1] != '\n')
		from--;
	while (s->text[to] && s->text[to] != '\n')
		to++;
	mem = open_memstream(&mutated, &size);
	put_mutated(mem, s->text, from, to, m);
	fclose(mem);
	line = 1 + count_lines(s->text, 0, from);
	snprintf(path, sizeof(path), "%s/diffs/%s.diff", outdir, m->id);
	out = fopen(path, "w");
	if (!out)
		fatal("cannot write %s", path);
	fprintf(out, "--- a/%s\n+++ b/%s\n@@ -%d,%d +%d,%d @@ %s\n", s->path, s->path,
		line, count_lines(s->text, from, to) + 1,
		line, count_lines(mutated, 0, size) + 1, m->func->entry.func);
	mem = open_memstream(&body, &body_size);
	put_marked(mem, '-', s->text + from, to - from);
	put_marked(mem, '+', mutated, size);
	fclose(mem);
	fwrite(body, 1, body_size, out);
	fclose(out);
	m->hash = fnv1a(body, body_size);
	free(body);
	free(mutated);
}

/* mkdir -p of the folder @path is in. */
static void make_parents(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			fatal("cannot make %s: %s", dir, strerror(errno));
		*p = '/';
	}
}

/* The function's header, from its line to the (, renamed. */
static void put_header(FILE *out, const struct function *f, const char *suffix)
{
	const struct source *s = f->src;
	const struct token *name = &s->tok[f->name];

	if (suffix && strncmp(s->text + f->head, "static", 6))
		fputs("static ", out);
	fwrite(s->text + f->head, 1, name->start + name->len - f->head, out);
	if (suffix)
		fputs(suffix, out);
}

/* The line the next character written to @out will be on. */
static int next_line(FILE *out, char **buf, size_t *size)
{
	fflush(out);
	return 1 + count_lines(*buf, 0, *size);
}

static void write_schema(FILE *file, FILE *map, struct source *s, struct function **funcs,
			 int nr_funcs, bool defines)
{
	char *buf;
	size_t size;
	FILE *out = open_memstream(&buf, &size);
	int at = 0;

	for (int i = 0; i < nr_funcs; i++) {
		struct function *f = funcs[i];
		const struct token *name = &s->tok[f->name];
		int end = s->tok[f->close].start + 1;

		fwrite(s->text + at, 1, f->head - at, out);
		if (i == 0)
			fputs(defines ? "int pidns_mutant;\ncore_param(pidns_mutant, pidns_mutant, int, 0444);\n\n"
				      : "extern int pidns_mutant;\n\n", out);
		put_header(out, f, "__unmutated");
		fwrite(s->text + name->start + name->len, 1, end - (name->start + name->len), out);
		for (int j = 0; j < nr_mutants; j++) {
			struct mutant *m = &mutants[j];
			char suffix[32];

			if (m->func != f || m->skip)
				continue;
			fputs("\n\n", out);
			m->first = next_line(out, &buf, &size);
			snprintf(suffix, sizeof(suffix), "__mutant_%d", j + 1);
			put_header(out, f, suffix);
			put_mutated(out, s->text, name->start + name->len, end, m);
			m->last = next_line(out, &buf, &size);
			fprintf(map, "%s %d %d %d\n", s->path, m->first, m->last, j + 1);
		}
		/* <name> itself: the copy pidns_mutant selects, else the original. */
		fputs("\n\n", out);
		put_header(out, f, NULL);
		fwrite(s->text + name->start + name->len, 1,
		       s->tok[f->open].start - (name->start + name->len), out);
		fputs("{\n\tswitch (pidns_mutant) {\n", out);
		for (int j = 0; j < nr_mutants; j++)
			if (mutants[j].func == f && !mutants[j].skip)
				fprintf(out, "\tcase %d: %s%s__mutant_%d(%s);%s\n", j + 1,
					f->returns_void ? "" : "return ", f->entry.func, j + 1, f->args,
					f->returns_void ? " return;" : "");
		fprintf(out, "\t}\n\t%s%s__unmutated(%s);\n}", f->returns_void ? "" : "return ",
			f->entry.func, f->args);
		at = end;
	}
	fputs(s->text + at, out);
	fclose(out);
	if (fwrite(buf, 1, size, file) != size)
		fatal("cannot write the schema of %s", s->path);
	free(buf);
}

static struct source sources[MAX_FILES];
static int nr_sources;
static struct function functions[64];
static int nr_functions;

static struct source *source_for(const char *srcdir, const char *path)
{
	char full[4096];

	for (int i = 0; i < nr_sources; i++)
		if (!strcmp(sources[i].path, path))
			return &sources[i];
	if (nr_sources == MAX_FILES)
		fatal("rules.list names more than %d files", MAX_FILES);
	snprintf(sources[nr_sources].path, sizeof(sources[0].path), "%s", path);
	snprintf(full, sizeof(full), "%s/%s", srcdir, path);
	sources[nr_sources].text = read_text(full, &sources[nr_sources].size);
	lex(&sources[nr_sources]);
	return &sources[nr_sources++];
}

static int by_position(const void *a, const void *b)
{
	const struct function *x = *(struct function *const *)a, *y = *(struct function *const *)b;

	return x->head - y->head;
}

int main(int argc, char **argv)
{
	static char skip[MAX_SKIP][192];
	const char *srcdir, *rules, *outsrc, *outdir;
	int nr_skip = 0, nr = 0, r;
	struct rule_entry e;
	char path[4096], bad[1024];
	FILE *f, *list, *map, *files;

	if (argc == 7 && !strcmp(argv[1], "-s")) {
		char line[256];

		f = fopen(argv[2], "r");
		if (!f)
			fatal("cannot read %s", argv[2]);
		while (nr_skip < MAX_SKIP && fscanf(f, "%191s", skip[nr_skip]) == 1)
			nr_skip++;
		if (fgets(line, sizeof(line), f))
			fatal("%s: more than %d ids", argv[2], MAX_SKIP);
		fclose(f);
		argv += 2;
		argc -= 2;
	}
	if (argc != 5) {
		fprintf(stderr, "usage: schemata [-s SKIP] SRCDIR RULES OUTSRC OUTDIR\n");
		return 2;
	}
	srcdir = argv[1];
	rules = argv[2];
	outsrc = argv[3];
	outdir = argv[4];

	f = fopen(rules, "r");
	if (!f)
		fatal("cannot read %s", rules);
	/* A function named twice (parts of it decide two rules) is one. */
	while ((r = next_rule(f, &nr, &e, bad, sizeof(bad))) > 0) {
		struct function *fn = NULL;

		for (int i = 0; i < nr_functions; i++)
			if (!strcmp(functions[i].entry.func, e.func))
				fn = &functions[i];
		if (!fn) {
			if (nr_functions == (int)(sizeof(functions) / sizeof(functions[0])))
				fatal("%s names too many functions", rules);
			fn = &functions[nr_functions++];
			fn->entry = e;
			fn->src = source_for(srcdir, e.file);
			find_function(fn);
		}
		mark_scope(fn, &e);
	}
	if (r < 0)
		fatal("%s:%d: does not parse: %s", rules, nr, bad);
	fclose(f);
	for (int i = 0; i < nr_functions; i++)
		make_mutants(&functions[i]);
	name_mutants();

	snprintf(path, sizeof(path), "%s/diffs", outdir);
	mkdir(outdir, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/mutants.list", outdir);
	list = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/lines.map", outdir);
	map = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/files", outdir);
	files = fopen(path, "w");
	if (!list || !map || !files)
		fatal("cannot write into %s", outdir);
	for (int i = 0; i < nr_mutants; i++) {
		struct mutant *m = &mutants[i];

		for (int j = 0; j < nr_skip; j++)
			m->skip |= !strcmp(skip[j], m->id);
		write_diff(outdir, m);
		fprintf(list, "%d %s %s %s %d %016llx\n", i + 1, m->id, m->rule,
			m->func->src->path, m->line, m->hash);
	}
	for (int i = 0; i < nr_sources; i++) {
		struct function *funcs[64];
		int n = 0;
		FILE *out;

		for (int j = 0; j < nr_functions; j++)
			if (functions[j].src == &sources[i])
				funcs[n++] = &functions[j];
		qsort(funcs, n, sizeof(funcs[0]), by_position);
		snprintf(path, sizeof(path), "%s/%s", outsrc, sources[i].path);
		make_parents(path);
		out = fopen(path, "w");
		if (!out)
			fatal("cannot write %s", path);
		write_schema(out, map, &sources[i], funcs, n, i == 0);
		fclose(out);
		fprintf(files, "%s\n", sources[i].path);
	}
	fclose(list);
	fclose(map);
	fclose(files);
	printf("  MUTANTS %d (%d left out: they do not compile) in %d functions of %d files\n",
	       nr_mutants, nr_skip, nr_functions, nr_sources);
	return 0;
}
