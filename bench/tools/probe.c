// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The program evbench execs: it only exits. Its name is its comm. */
int main(void)
{
	return 0;
}
