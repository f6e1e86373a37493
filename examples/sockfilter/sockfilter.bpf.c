// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sockfilter: a socket filter that reports the IP packets of one interface
 * (protocol, addresses, ports) through a ring buffer. The host attaches it
 * to an AF_PACKET raw socket bound to the interface the guest names (see
 * docs/abi.md, "Attaching"), so it sees each frame from its Ethernet header
 * on; it returns 0, which drops the frame from that socket only (nobody
 * reads the socket) and nowhere else.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "sockfilter.h"
#include "wbpf-drops.bpf.h"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define IP_MF 0x2000
#define IP_OFFSET 0x1FFF

/* set by the guest before load: also report the frames the host sends */
const volatile bool outgoing = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

static __always_inline bool has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE;
}

SEC("socket")
int sockfilter(struct __sk_buff *skb)
{
	u32 nhoff = ETH_HLEN, l4off;
	struct so_event *e;
	struct ipv6hdr ip6;
	struct iphdr ip;
	__be16 h_proto;
	__be16 ports[2];

	if (skb->pkt_type == SF_PACKET_OUTGOING && !outgoing)
		return 0;
	if (bpf_skb_load_bytes(skb, 12, &h_proto, sizeof(h_proto)))
		return 0;
	if (h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD)) {
		if (bpf_skb_load_bytes(skb, nhoff + 2, &h_proto, sizeof(h_proto)))
			return 0;
		nhoff += 4;
	}
	if (h_proto != bpf_htons(ETH_P_IP) && h_proto != bpf_htons(ETH_P_IPV6))
		return 0;

	e = wbpf_ringbuf_reserve(&rb, sizeof(*e), 0); /* counts a full ring */
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	e->ifindex = skb->ifindex;
	e->len = skb->len;
	e->pkt_type = skb->pkt_type;

	if (h_proto == bpf_htons(ETH_P_IP)) {
		if (bpf_skb_load_bytes(skb, nhoff, &ip, sizeof(ip)))
			goto discard;
		e->family = LINUX_AF_INET;
		e->proto = ip.protocol;
		__builtin_memcpy(e->saddr, &ip.saddr, 4);
		__builtin_memcpy(e->daddr, &ip.daddr, 4);
		/* a later fragment has no ports */
		if (ip.frag_off & bpf_htons(IP_OFFSET))
			goto submit;
		l4off = nhoff + ip.ihl * 4;
	} else {
		if (bpf_skb_load_bytes(skb, nhoff, &ip6, sizeof(ip6)))
			goto discard;
		e->family = LINUX_AF_INET6;
		e->proto = ip6.nexthdr; /* extension headers are not walked */
		__builtin_memcpy(e->saddr, &ip6.saddr, 16);
		__builtin_memcpy(e->daddr, &ip6.daddr, 16);
		l4off = nhoff + sizeof(ip6);
	}
	if (has_ports(e->proto) && !bpf_skb_load_bytes(skb, l4off, ports, sizeof(ports))) {
		e->sport = bpf_ntohs(ports[0]);
		e->dport = bpf_ntohs(ports[1]);
	}
submit:
	bpf_ringbuf_submit(e, 0);
	return 0;
discard:
	bpf_ringbuf_discard(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
