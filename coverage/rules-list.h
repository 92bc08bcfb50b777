/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rules-list.h: coverage/rules.list, the code that decides each rule.
 * The coverage gate checks what the suites cover there; the mutant
 * generator breaks it.  Each line is
 *
 *	rule  function  file  branches[:+N,...] | lines[:+N,...]
 *
 * "branches" and "lines" take the whole function; "branches:+8,+11" and
 * "lines:+4" only the lines at these offsets from the function's first
 * line (the decision sites of a larger function, or where it sets a mark
 * without a branch of its own).
 */
#ifndef RULES_LIST_H
#define RULES_LIST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule_entry {
	char rule[8], func[128], file[256], need[64];
};

/* A line with nothing but a comment or blanks. */
static inline bool is_blank(const char *line)
{
	line += strspn(line, " \t\n");
	return !*line || *line == '#';
}

static inline bool valid_need(const char *need)
{
	const char *p;

	if (!strcmp(need, "branches") || !strcmp(need, "lines"))
		return true;
	if (!strncmp(need, "branches:", 9))
		p = need + 9;
	else if (!strncmp(need, "lines:", 6))
		p = need + 6;
	else
		return false;
	while (*p == '+') {
		p += 1 + strspn(p + 1, "0123456789");
		if (p[-1] == '+')
			return false;
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
	}
	return false;
}

/* Does @need take the line at @offset from the function's first line? */
static inline bool gated_line(const char *need, int offset)
{
	const char *p = strchr(need, ':');

	if (!p)
		return true;
	for (p++; *p == '+'; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (atoi(p + 1) == offset)
			return true;
	return false;
}

/*
 * The next entry of @f (at line *@nr) into @e: 1, or 0 at its
 * end, or -1 for a line that does not parse, left in @bad.
 */
static inline int next_rule(FILE *f, int *nr, struct rule_entry *e, char *bad, size_t size)
{
	char line[1024], extra[2];

	while (fgets(line, sizeof(line), f)) {
		(*nr)++;
		if (is_blank(line))
			continue;
		if (sscanf(line, "%7s %127s %255s %63s %1s", e->rule, e->func, e->file, e->need,
			   extra) == 4 && valid_need(e->need))
			return 1;
		snprintf(bad, size, "%s", line);
		return -1;
	}
	return 0;
}

#endif
