// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The compat tier's trigger program (native, installed as "wbpfct-trig", its
 * comm): causes a known number of events.
 *   trig sys K            getpgid(0) K times
 *   trig probe K          calls wbpf_compat_probe() K times (the uprobe)
 *   trig udp K            K UDP datagrams to 127.0.0.1:CT_UDP_PORT
 *   trig cgroup DIR K     moves itself into cgroup DIR, then udp K and one
 *                         TCP connection to itself over 127.0.0.1
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"

__attribute__((noinline, used)) int wbpf_compat_probe(int i)
{
	__asm__ volatile("" ::: "memory");
	return i + 1;
}

static int udp(int k)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(CT_UDP_PORT)};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return perror("socket"), 1;
	for (i = 0; i < k; i++)
		if (sendto(fd, "wbpf", 4, 0, (struct sockaddr *)&a, sizeof(a)) != 4)
			return perror("sendto"), 1;
	close(fd);
	return 0;
}

static int tcp_self(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len) ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)))
		return perror("tcp"), 1;
	s = accept(l, NULL, NULL);
	if (s < 0)
		return perror("accept"), 1;
	if (write(c, "wbpf", 4) != 4)
		return perror("write"), 1;
	close(s);
	close(c);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	int k = argc > 2 ? atoi(argv[argc - 1]) : 0, i, sum = 0;
	char path[4096];
	FILE *f;

	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "sys")) {
		for (i = 0; i < k; i++)
			syscall(SYS_getpgid, 0);
	} else if (!strcmp(argv[1], "probe")) {
		for (i = 0; i < k; i++)
			sum += wbpf_compat_probe(i);
		return sum == k * (k + 1) / 2 ? 0 : 1;
	} else if (!strcmp(argv[1], "udp")) {
		return udp(k);
	} else if (!strcmp(argv[1], "cgroup") && argc == 4) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", argv[2]);
		f = fopen(path, "w");
		if (!f || fprintf(f, "0\n") < 0 || fclose(f))
			return perror(path), 1;
		return udp(k) || tcp_self();
	} else {
		return 2;
	}
	return 0;
}
