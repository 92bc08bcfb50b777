/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fatal.h: the coverage tools' way out on input they cannot use:
 * "<TOOL_NAME>: error: <message>" on stderr, exit status 2.  Define
 * TOOL_NAME before including it.
 */
#ifndef FATAL_H
#define FATAL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void __attribute__((noreturn, format(printf, 1, 2))) fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, TOOL_NAME ": error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

#endif
