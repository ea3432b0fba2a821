// SPDX-License-Identifier: GPL-2.0
/*
 * cnibench's eBPF policy dataplane: two tc programs on the node side of every pod's veth.
 *
 *   from_pod  (tc ingress of the host veth)  checks the pod's EGRESS:  endpoint = source address
 *   to_pod    (tc egress of the host veth)   checks the pod's INGRESS: endpoint = destination address
 *
 * All policy is resolved in user space (engines/ebpf/resolve.ts); the kernel only looks up:
 *   ipcache    LPM trie, IPv4 address -> identity (pods /32, ipBlock/networks CIDRs, else WORLD)
 *   endpoints  hash of maps, endpoint address -> that endpoint's policy map
 *   ep_gen     hash, endpoint address -> the generation (0 or 1) of its entries in force
 *   policy     LPM trie per endpoint, (identity, direction + generation, protocol, port prefix) ->
 *              verdict; identity 0 holds the verdicts for every identity that has no entry of its own
 *   ct         LRU hash of allowed flows, so that replies (and ICMP errors about them) pass
 * An endpoint with no policy map, or no matching entry, allows.
 *
 * Each policy map holds two generations of the endpoint's entries. The writer (writer.c) writes a
 * whole new policy into the generation not in force, then switches `ep_gen`: a packet reads the
 * generation once, so it is judged by the whole old policy or the whole new one, and switching is a
 * plain hash update (replacing a map in `endpoints` would make the update wait for an RCU grace period).
 *
 * A denied packet is answered as nftables' `reject` answers it, so that a denied connection fails at
 * once: TCP gets a reset, anything else ICMP "administratively prohibited". The answer is written
 * over the packet and redirected back; it carries REJECT_MARK so our own programs let it through.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* From linux/icmp.h, which drags in libc headers that do not build for the BPF target. */
#define ICMP_DEST_UNREACH 3
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PKT_FILTERED 13
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 rest;
};

#define DIR_INGRESS 0
#define DIR_EGRESS 1
#define VERDICT_ALLOW 1
#define VERDICT_DENY 2
#define IDENTITY_ANY 0
#define IDENTITY_WORLD 1
#define REJECT_MARK 0x0cb0bee5
#define POLICY_MAX_ENTRIES (1 << 20)
#define NSEC 1000000000ULL
#define CT_TCP_TIMEOUT (3600 * NSEC)
#define CT_OTHER_TIMEOUT (60 * NSEC)

struct ipcache_key {
	__u32 prefixlen;
	__u32 addr; /* network order */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1 << 20);
	__type(key, struct ipcache_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} ipcache SEC(".maps");

/* prefixlen counts bits from `identity` on: 48 + the number of leading port bits that must match. */
struct policy_key {
	__u32 prefixlen;
	__u32 identity;
	__u8 dir; /* bit 0: DIR_INGRESS or DIR_EGRESS; bit 1: the generation */
	__u8 proto;
	__be16 port;
};

struct policy_map {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, POLICY_MAX_ENTRIES);
	__uint(key_size, sizeof(struct policy_key));
	__uint(value_size, sizeof(__u32));
	__uint(map_flags, BPF_F_NO_PREALLOC);
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 65536);
	__type(key, __u32); /* endpoint address, network order */
	__array(values, struct policy_map);
} endpoints SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32); /* endpoint address, network order */
	__type(value, __u32); /* generation in force; absent = 0 */
} ep_gen SEC(".maps");

/* A flow as the endpoint checked it: its addresses and ports as seen, and the direction checked. */
struct ct_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 dir;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct ct_key);
	__type(value, __u64); /* last seen, ns */
} ct SEC(".maps");

struct l4 {
	__u8 proto;
	__u8 tcp_flags; /* byte 13 of the TCP header */
	__u16 sport, dport; /* network order */
};

/* Reads the ports (and TCP flags) of a packet whose IP header starts at `off`. */
static __always_inline int read_l4(struct __sk_buff *skb, __u32 off, struct iphdr *ip, struct l4 *out)
{
	out->proto = ip->protocol;
	out->tcp_flags = 0;
	out->sport = out->dport = 0;
	if (ip->frag_off & bpf_htons(0x1fff)) /* a later fragment has no ports */
		return 0;
	__u32 l4off = off + ip->ihl * 4;
	if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP || ip->protocol == IPPROTO_SCTP) {
		__u16 ports[2];
		if (bpf_skb_load_bytes(skb, l4off, ports, 4))
			return -1;
		out->sport = ports[0];
		out->dport = ports[1];
	}
	if (ip->protocol == IPPROTO_TCP && bpf_skb_load_bytes(skb, l4off + 13, &out->tcp_flags, 1))
		return -1;
	return 0;
}

static __always_inline int ct_alive(struct ct_key *k, __u64 now)
{
	__u64 *seen = bpf_map_lookup_elem(&ct, k);
	if (!seen)
		return 0;
	__u64 timeout = k->proto == IPPROTO_TCP ? CT_TCP_TIMEOUT : CT_OTHER_TIMEOUT;
	if (now - *seen > timeout)
		return 0;
	if (now - *seen > NSEC) /* refresh at most once a second: fewer writes to shared cache lines */
		*seen = now;
	return 1;
}

/* The verdict of the endpoint's policy map for a remote address. */
static __always_inline __u32 policy_verdict(__u32 ep, __u32 remote, __u8 dir, struct l4 *l4)
{
	void *pol = bpf_map_lookup_elem(&endpoints, &ep);
	if (!pol)
		return VERDICT_ALLOW;
	__u32 *gen = bpf_map_lookup_elem(&ep_gen, &ep);
	struct ipcache_key ik = { .prefixlen = 32, .addr = remote };
	__u32 *id = bpf_map_lookup_elem(&ipcache, &ik);
	int ported = l4->proto == IPPROTO_TCP || l4->proto == IPPROTO_UDP || l4->proto == IPPROTO_SCTP;
	struct policy_key pk = {
		.prefixlen = 64,
		.identity = id ? *id : IDENTITY_WORLD,
		.dir = dir | ((gen && *gen) ? 2 : 0),
		.proto = ported ? l4->proto : 0,
		.port = ported ? l4->dport : 0,
	};
	__u32 *v = bpf_map_lookup_elem(pol, &pk);
	if (!v) {
		pk.identity = IDENTITY_ANY;
		v = bpf_map_lookup_elem(pol, &pk);
	}
	return v ? *v : VERDICT_ALLOW;
}

static __always_inline __u16 csum_fold(__s64 sum)
{
	__u32 s = (__u32)sum;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

struct tcp_pseudo {
	__u32 saddr, daddr;
	__u8 zero, proto;
	__be16 len;
	struct tcphdr tcp;
};

struct icmp_reply {
	struct iphdr ip;
	struct icmphdr icmp;
	__u8 orig[28]; /* the offending packet's IP header and first 8 bytes, as ICMP quotes them */
};

/* Sends `ifindex` back towards the packet's sender: into the pod for from_pod, into the node for to_pod. */
static __always_inline int bounce(struct __sk_buff *skb, __u8 dir)
{
	skb->mark = REJECT_MARK;
	return bpf_redirect(skb->ifindex, dir == DIR_EGRESS ? 0 : BPF_F_INGRESS);
}

/* Turns a denied TCP packet into the reset its destination would send (RFC 9293 3.10.7.1). */
static __always_inline int reject_tcp(struct __sk_buff *skb, struct ethhdr *eth, struct iphdr *ip, __u8 dir)
{
	struct tcphdr in;
	if (bpf_skb_load_bytes(skb, sizeof(*eth) + ip->ihl * 4, &in, sizeof(in)))
		return TC_ACT_SHOT;
	if (in.rst)
		return TC_ACT_SHOT;
	__u32 payload = bpf_ntohs(ip->tot_len) - ip->ihl * 4 - in.doff * 4;
	struct tcp_pseudo ps = { .saddr = ip->daddr, .daddr = ip->saddr, .proto = IPPROTO_TCP,
				 .len = bpf_htons(sizeof(struct tcphdr)) };
	ps.tcp.source = in.dest;
	ps.tcp.dest = in.source;
	ps.tcp.doff = 5;
	ps.tcp.rst = 1;
	if (in.ack) {
		ps.tcp.seq = in.ack_seq;
	} else {
		ps.tcp.ack = 1;
		ps.tcp.ack_seq = bpf_htonl(bpf_ntohl(in.seq) + payload + in.syn + in.fin);
	}
	ps.tcp.check = csum_fold(bpf_csum_diff(0, 0, (__be32 *)&ps, sizeof(ps), 0));
	struct iphdr rip = { .version = 4, .ihl = 5, .tot_len = bpf_htons(40), .ttl = 64,
			     .protocol = IPPROTO_TCP, .saddr = ip->daddr, .daddr = ip->saddr };
	rip.check = csum_fold(bpf_csum_diff(0, 0, (__be32 *)&rip, sizeof(rip), 0));
	struct ethhdr reth = { .h_proto = bpf_htons(ETH_P_IP) };
	__builtin_memcpy(reth.h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(reth.h_source, eth->h_dest, ETH_ALEN);
	if (bpf_skb_change_tail(skb, sizeof(reth) + 40, 0))
		return TC_ACT_SHOT;
	if (bpf_skb_store_bytes(skb, 0, &reth, sizeof(reth), 0) ||
	    bpf_skb_store_bytes(skb, sizeof(reth), &rip, sizeof(rip), 0) ||
	    bpf_skb_store_bytes(skb, sizeof(reth) + sizeof(rip), &ps.tcp, sizeof(ps.tcp), 0))
		return TC_ACT_SHOT;
	return bounce(skb, dir);
}

/* Turns any other denied packet into ICMP destination unreachable, administratively prohibited. */
static __always_inline int reject_icmp(struct __sk_buff *skb, struct ethhdr *eth, struct iphdr *ip, __u8 dir)
{
	struct icmp_reply r = {};
	if (ip->ihl != 5 || ip->protocol == IPPROTO_ICMP) /* never answer ICMP with ICMP */
		return TC_ACT_SHOT;
	if (bpf_skb_load_bytes(skb, sizeof(*eth), r.orig, sizeof(r.orig)))
		return TC_ACT_SHOT;
	r.icmp.type = ICMP_DEST_UNREACH;
	r.icmp.code = ICMP_PKT_FILTERED;
	r.icmp.checksum = csum_fold(bpf_csum_diff(0, 0, (__be32 *)&r.icmp, sizeof(r.icmp) + sizeof(r.orig), 0));
	r.ip.version = 4;
	r.ip.ihl = 5;
	r.ip.tot_len = bpf_htons(sizeof(r));
	r.ip.ttl = 64;
	r.ip.protocol = IPPROTO_ICMP;
	r.ip.saddr = ip->daddr;
	r.ip.daddr = ip->saddr;
	r.ip.check = csum_fold(bpf_csum_diff(0, 0, (__be32 *)&r.ip, sizeof(r.ip), 0));
	struct ethhdr reth = { .h_proto = bpf_htons(ETH_P_IP) };
	__builtin_memcpy(reth.h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(reth.h_source, eth->h_dest, ETH_ALEN);
	if (bpf_skb_change_tail(skb, sizeof(reth) + sizeof(r), 0))
		return TC_ACT_SHOT;
	if (bpf_skb_store_bytes(skb, 0, &reth, sizeof(reth), 0) ||
	    bpf_skb_store_bytes(skb, sizeof(reth), &r, sizeof(r), 0))
		return TC_ACT_SHOT;
	return bounce(skb, dir);
}

static __always_inline int handle(struct __sk_buff *skb, __u8 dir)
{
	if (skb->mark == REJECT_MARK)
		return TC_ACT_OK;
	struct ethhdr eth;
	struct iphdr ip;
	if (bpf_skb_load_bytes(skb, 0, &eth, sizeof(eth)) || eth.h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK; /* ARP and IPv6 are not policed (the pods are IPv4) */
	if (bpf_skb_load_bytes(skb, sizeof(eth), &ip, sizeof(ip)) || ip.ihl < 5)
		return TC_ACT_SHOT;
	struct l4 l4;
	if (read_l4(skb, sizeof(eth), &ip, &l4))
		return TC_ACT_SHOT;
	__u64 now = bpf_ktime_get_ns();
	struct ct_key k = { .saddr = ip.saddr, .daddr = ip.daddr, .sport = l4.sport, .dport = l4.dport,
			    .proto = l4.proto, .dir = dir };
	/* A TCP SYN opens a new connection: judged by policy even if an old one used the same ports. */
	int syn = l4.proto == IPPROTO_TCP && (l4.tcp_flags & 0x12) == 0x02;
	if (!syn && ct_alive(&k, now))
		return TC_ACT_OK;
	/* A reply to a flow this endpoint let through in the other direction. */
	struct ct_key r = { .saddr = ip.daddr, .daddr = ip.saddr, .sport = l4.dport, .dport = l4.sport,
			    .proto = l4.proto, .dir = dir ^ 1 };
	if (!syn && ct_alive(&r, now))
		return TC_ACT_OK;
	/* An ICMP error about such a flow: look the quoted packet up as a reply. */
	if (l4.proto == IPPROTO_ICMP && ip.ihl == 5) {
		struct icmphdr ic;
		struct iphdr inner;
		struct l4 il4;
		if (!bpf_skb_load_bytes(skb, sizeof(eth) + 20, &ic, sizeof(ic)) &&
		    (ic.type == ICMP_DEST_UNREACH || ic.type == ICMP_TIME_EXCEEDED) &&
		    !bpf_skb_load_bytes(skb, sizeof(eth) + 28, &inner, sizeof(inner)) && inner.ihl == 5 &&
		    !read_l4(skb, sizeof(eth) + 28, &inner, &il4)) {
			struct ct_key q = { .saddr = inner.saddr, .daddr = inner.daddr, .sport = il4.sport,
					    .dport = il4.dport, .proto = il4.proto, .dir = dir ^ 1 };
			if (ct_alive(&q, now))
				return TC_ACT_OK;
		}
	}
	__u32 ep = dir == DIR_EGRESS ? ip.saddr : ip.daddr;
	__u32 remote = dir == DIR_EGRESS ? ip.daddr : ip.saddr;
	if (policy_verdict(ep, remote, dir, &l4) == VERDICT_ALLOW) {
		bpf_map_update_elem(&ct, &k, &now, BPF_ANY);
		return TC_ACT_OK;
	}
	if (l4.proto == IPPROTO_TCP)
		return reject_tcp(skb, &eth, &ip, dir);
	return reject_icmp(skb, &eth, &ip, dir);
}

SEC("tc")
int from_pod(struct __sk_buff *skb)
{
	return handle(skb, DIR_EGRESS);
}

SEC("tc")
int to_pod(struct __sk_buff *skb)
{
	return handle(skb, DIR_INGRESS);
}

char LICENSE[] SEC("license") = "GPL";
