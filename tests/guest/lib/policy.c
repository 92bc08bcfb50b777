// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"

int policy_get(void)
{
	char buf[16] = "";
	int fd = open(POLICY_SYSCTL, O_RDONLY);

	if (fd < 0)
		return POLICY_NONE;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	return buf[0] ? buf[0] - '0' : POLICY_NONE;
}

int policy_write(const char *value, size_t len)
{
	int fd = open(POLICY_SYSCTL, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

int policy_enter(enum policy want)
{
	int saved = policy_get();
	char value[2] = { '0' + want, '\n' };
	int err;

	if (saved == POLICY_NONE) {
		printf("# kernel has no %s: running the %s variant as is\n",
		       POLICY_SYSCTL, want == POLICY_RFC2007 ? "rfc2007" : "upstream");
		return saved;
	}
	err = policy_write(value, sizeof(value));
	if (err)
		printf("# cannot select policy %d: %s\n", want, strerror(-err));
	return saved;	/* the fixture checks what took effect */
}

bool policy_in_effect(enum policy want)
{
	int now = policy_get();

	return now == (int)want || (now == POLICY_NONE && want == POLICY_UPSTREAM);
}

void policy_restore(int saved)
{
	char value[2] = { '0' + saved, '\n' };

	if (saved != POLICY_NONE)
		policy_write(value, sizeof(value));
}
