/* UNIT-LINK: w2c-driver/sha256.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The driver's SHA-256 against the FIPS 180-2 test vectors (appendix B and
 * the one-million-'a' message), fed whole and in pieces of every size so the
 * buffering across blocks is exercised too.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sha256.h"

static void digest_hex(const void *p, size_t len, size_t chunk, char hex[65])
{
	struct wbpf_sha256 s;
	uint8_t d[WBPF_SHA256_LEN];
	const char *c = p;
	size_t off;

	wbpf_sha256_init(&s);
	if (!chunk)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += chunk)
		wbpf_sha256_update(&s, c + off, len - off < chunk ? len - off : chunk);
	wbpf_sha256_final(&s, d);
	wbpf_sha256_hex(d, hex);
}

static void sha256_empty(void)
{
	char hex[65];

	digest_hex("", 0, 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void sha256_abc(void)
{
	char hex[65];

	digest_hex("abc", 3, 0, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_hex("abc", 3, 1, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void sha256_448_bits(void)
{
	static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char want[] =
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
	char hex[65];
	size_t chunk;

	CHECK_EQ(strlen(msg) * 8, 448);
	for (chunk = 0; chunk <= strlen(msg); chunk++) {
		digest_hex(msg, strlen(msg), chunk, hex);
		CHECK_STR(hex, want);
	}
}

static void sha256_million_a(void)
{
	static const char want[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static const size_t chunks[] = {0, 1, 55, 56, 63, 64, 65, 1000, 4096};
	size_t n = 1000000, i;
	char *a = malloc(n), hex[65];

	CHECK(a != NULL);
	if (!a)
		return;
	memset(a, 'a', n);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		digest_hex(a, n, chunks[i], hex);
		CHECK_STR(hex, want);
	}
	free(a);
}

/* Padding edges: 55 bytes fit in one block, 56..64 need two. Checked
 * against each other: feeding in pieces must give the one-shot digest. */
static void sha256_padding_edges(void)
{
	char msg[130], one[65], split[65];
	size_t len, chunk;

	memset(msg, 'x', sizeof(msg));
	for (len = 50; len <= 130; len++) {
		digest_hex(msg, len, 0, one);
		for (chunk = 1; chunk < len; chunk += 7) {
			digest_hex(msg, len, chunk, split);
			CHECK_STR(split, one);
		}
	}
	/* one byte more changes the digest */
	digest_hex(msg, 55, 0, one);
	digest_hex(msg, 56, 0, split);
	CHECK(strcmp(one, split) != 0);
}

int main(void)
{
	RUN(sha256_empty);
	RUN(sha256_abc);
	RUN(sha256_448_bits);
	RUN(sha256_million_a);
	RUN(sha256_padding_edges);
	return check_exit();
}
