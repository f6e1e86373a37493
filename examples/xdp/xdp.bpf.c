// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdp: count the frames an interface receives, by IP protocol (IPv4's
 * protocol field, IPv6's first next header; one 802.1Q or 802.1ad tag is
 * looked through), and let every frame pass. The guest gives the interface
 * as the attach target (see docs/abi.md, "Attaching") and reads the map.
 * The counters are shared by all CPUs and added to atomically: a per-CPU
 * map would be cheaper here, but the guest cannot learn how many CPUs the
 * values of such a map span.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdp.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDP_NR_KEYS);
	__type(key, u32);
	__type(value, struct counts);
} counts SEC(".maps");

static __always_inline u32 protocol_key(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct vlan_hdr *vlan;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	void *l3;
	u16 proto;

	if ((void *)(eth + 1) > end)
		return XDP_KEY_NON_IP;
	proto = eth->h_proto;
	l3 = eth + 1;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		vlan = l3;
		if ((void *)(vlan + 1) > end)
			return XDP_KEY_NON_IP;
		proto = vlan->h_vlan_encapsulated_proto;
		l3 = vlan + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		ip = l3;
		if ((void *)(ip + 1) > end)
			return XDP_KEY_NON_IP;
		return ip->protocol;
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		ip6 = l3;
		if ((void *)(ip6 + 1) > end)
			return XDP_KEY_NON_IP;
		return ip6->nexthdr;
	}
	return XDP_KEY_NON_IP;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	u32 key = protocol_key(data, end);
	struct counts *c, init;

	c = bpf_map_lookup_elem(&counts, &key);
	if (!c) {
		init.packets = 0;
		init.bytes = 0;
		/* another CPU may add the key first: then count in its entry */
		bpf_map_update_elem(&counts, &key, &init, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&counts, &key);
		if (!c)
			return XDP_PASS;
	}
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, end - data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
