// SPDX-License-Identifier: Apache-2.0
/*
 * cnb-bpf-writer: the one long-lived process that loads cnibench's BPF object and programs its maps.
 * The harness writes commands on stdin, one a line; only `load`, `attach`, `sync`, `mem`, `test`
 * answer (one line: `ok ...` or `err ...`), so a policy update is a stream of writes with one round
 * trip at its end. Everything is held by file descriptor, so nothing outlives this process but the
 * programs attached to veths, which go with their network namespaces.
 *
 *   load OBJ                       load the object (verifier), create its maps
 *   attach NETNS_PATH IFNAME       from_pod on the veth's tc ingress, to_pod on its tc egress
 *   ip+ ADDR PLEN ID | ip- ADDR PLEN      ipcache entries
 *   ep ADDR                        select an endpoint (its policy map is made on first use)
 *   p+ ID DIR PROTO PORT PLEN VERDICT | p- ID DIR PROTO PORT PLEN   queue a change of its policy
 *   swap                           put the queued changes in force at once (below)
 *   epdel ADDR                     forget an endpoint (it allows everything again)
 *   sync                           `ok` or `err` with the first failure since the last sync
 *   mem                            bytes the kernel charges: all maps, then the policy state alone
 *   test PROG HEX                  BPF_PROG_TEST_RUN on a packet: `ok RETVAL HEX_OUT`
 *
 * Each endpoint's policy map holds its entries twice, as generation 0 and 1 (a bit of the key's
 * direction byte), and `ep_gen` says which one is in force (policy.bpf.c). `swap` writes the queued
 * changes into the other generation, then switches `ep_gen` in one plain hash update: a packet reads
 * the generation once, so it is judged by the whole old policy or the whole new one. The same changes
 * must then reach the old generation, but only once no packet still reads it: after an RCU grace
 * period (every tc program runs inside one). That wait and the catch-up are done after `sync` has
 * answered, so a policy update costs the harness no grace period; a later `swap` of the endpoint
 * (and `epdel`, `mem`, `test`) finishes them first.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct policy_key {
	__u32 prefixlen;
	__u32 identity;
	__u8 dir;
	__u8 proto;
	__u16 port;
};
struct ipcache_key {
	__u32 prefixlen;
	__u32 addr;
};
struct op {
	int add;
	struct policy_key key;
	__u32 verdict;
};
struct endpoint {
	__u32 addr;
	int map;
	int gen; /* the generation in force; -1 before the map is published */
	struct op *late; /* changes the generation out of force still needs (after a grace period) */
	size_t nlate;
	struct endpoint *next;
};

static struct bpf_object *obj;
static int ipcache_fd = -1, endpoints_fd = -1, ep_gen_fd = -1, ct_fd = -1, from_fd = -1, to_fd = -1;
static struct endpoint *eps, *cur;
static struct op *ops;
static size_t nops, capops;
static int late_pending;
static char first_err[512];
static char verifier_tail[2048];

static void fail(const char *fmt, ...)
{
	if (first_err[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(first_err, sizeof(first_err), fmt, ap);
	va_end(ap);
}

/* Keeps the end of libbpf's messages: the verifier's reason for a rejection is in its last lines. */
static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ' ';
	size_t have = strlen(verifier_tail), add = strlen(line);
	if (have + add >= sizeof(verifier_tail)) {
		size_t drop = have + add - sizeof(verifier_tail) + 1;
		if (drop > have)
			drop = have;
		memmove(verifier_tail, verifier_tail + drop, have - drop + 1);
	}
	strncat(verifier_tail, line, sizeof(verifier_tail) - strlen(verifier_tail) - 1);
	return 0;
}

static int parse_addr(const char *s, __u32 *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = a.s_addr;
	return 0;
}

static void cmd_load(const char *path)
{
	verifier_tail[0] = 0;
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		printf("err cannot open %s: %s %s\n", path, strerror(errno), verifier_tail);
		return;
	}
	int err = bpf_object__load(obj);
	if (err) {
		int e = -err;
		if (e == EPERM || e == EACCES)
			printf("err permission denied loading BPF (needs CAP_BPF and CAP_NET_ADMIN): %s\n", strerror(e));
		else
			printf("err the kernel rejected the BPF object (%s): %s\n", strerror(e), verifier_tail);
		bpf_object__close(obj);
		obj = NULL;
		return;
	}
	ipcache_fd = bpf_object__find_map_fd_by_name(obj, "ipcache");
	endpoints_fd = bpf_object__find_map_fd_by_name(obj, "endpoints");
	ep_gen_fd = bpf_object__find_map_fd_by_name(obj, "ep_gen");
	ct_fd = bpf_object__find_map_fd_by_name(obj, "ct");
	from_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "from_pod"));
	to_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "to_pod"));
	printf("ok\n");
}

static int attach_one(int ifindex, enum bpf_tc_attach_point where, int prog)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = where);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1, .priority = 1, .prog_fd = prog,
			    .flags = BPF_TC_F_REPLACE);
	int err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &opts);
}

static void cmd_attach(const char *netns, const char *ifname)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int target = open(netns, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0 || setns(target, CLONE_NEWNET)) {
		printf("err cannot enter %s: %s\n", netns, strerror(errno));
	} else {
		unsigned idx = if_nametoindex(ifname);
		int err = idx ? attach_one(idx, BPF_TC_INGRESS, from_fd) : -ENODEV;
		if (!err)
			err = attach_one(idx, BPF_TC_EGRESS, to_fd);
		if (err)
			printf("err attaching to %s in %s: %s\n", ifname, netns, strerror(-err));
		else
			printf("ok\n");
		if (setns(self, CLONE_NEWNET))
			abort(); /* cannot go home: every later command would act in the wrong namespace */
	}
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
}

static int new_policy_map(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NO_PREALLOC);
	return bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "cnb_policy", sizeof(struct policy_key), sizeof(__u32),
			      1 << 20, &o);
}

static struct endpoint *endpoint(__u32 addr, int create)
{
	for (struct endpoint *e = eps; e; e = e->next)
		if (e->addr == addr)
			return e;
	if (!create)
		return NULL;
	struct endpoint *e = calloc(1, sizeof(*e));
	e->addr = addr;
	e->map = new_policy_map();
	if (e->map < 0) {
		fail("creating a policy map: %s", strerror(errno));
		free(e);
		return NULL;
	}
	e->gen = -1;
	e->next = eps;
	eps = e;
	return e;
}

/* Applies changes to one generation of an endpoint's map. */
static void apply_ops(int fd, const struct op *list, size_t n, int gen)
{
	for (size_t i = 0; i < n; i++) {
		struct policy_key k = list[i].key;
		k.dir = (k.dir & 1) | (gen << 1);
		int err = list[i].add ? bpf_map_update_elem(fd, &k, &list[i].verdict, BPF_ANY)
				      : bpf_map_delete_elem(fd, &k);
		if (err && !(errno == ENOENT && !list[i].add))
			fail("policy map %s: %s", list[i].add ? "update" : "delete", strerror(errno));
	}
}

/*
 * Waits until no tc program still runs with what it read before now. Updating a map-of-maps entry
 * makes the kernel wait for an RCU grace period before returning (so that user space knows no program
 * still uses the old inner map); re-publishing an endpoint's own map changes nothing else.
 */
static void grace_period(const struct endpoint *e)
{
	if (bpf_map_update_elem(endpoints_fd, &e->addr, &e->map, BPF_ANY))
		fail("waiting for a grace period: %s", strerror(errno));
}

/* Brings every generation out of force up to date: after one grace period, the changes it missed. */
static void finish_late(void)
{
	if (!late_pending)
		return;
	int waited = 0;
	for (struct endpoint *e = eps; e; e = e->next) {
		if (!e->late)
			continue;
		if (!waited) {
			grace_period(e);
			waited = 1;
		}
		apply_ops(e->map, e->late, e->nlate, 1 - e->gen);
		free(e->late);
		e->late = NULL;
		e->nlate = 0;
	}
	late_pending = 0;
}

static void cmd_swap(void)
{
	if (!cur)
		return fail("swap without ep");
	if (cur->gen < 0) {
		/* Not in use yet: both generations now, then publish (one grace period, once per endpoint). */
		apply_ops(cur->map, ops, nops, 0);
		apply_ops(cur->map, ops, nops, 1);
		__u32 zero = 0;
		if (bpf_map_update_elem(ep_gen_fd, &cur->addr, &zero, BPF_ANY) ||
		    bpf_map_update_elem(endpoints_fd, &cur->addr, &cur->map, BPF_ANY))
			return fail("publishing a policy map: %s", strerror(errno));
		cur->gen = 0;
	} else {
		/* The generation about to be written may still miss the last change: catch it up first. */
		if (cur->late)
			finish_late();
		__u32 next = 1 - cur->gen;
		apply_ops(cur->map, ops, nops, next);
		if (bpf_map_update_elem(ep_gen_fd, &cur->addr, &next, BPF_ANY))
			return fail("switching a policy generation: %s", strerror(errno));
		cur->gen = next;
		cur->late = malloc(nops * sizeof(*ops) + 1);
		memcpy(cur->late, ops, nops * sizeof(*ops));
		cur->nlate = nops;
		late_pending = 1;
	}
	nops = 0;
}

static void cmd_epdel(__u32 addr)
{
	struct endpoint **pp = &eps;
	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr != addr)
			continue;
		struct endpoint *e = *pp;
		bpf_map_delete_elem(endpoints_fd, &addr);
		bpf_map_delete_elem(ep_gen_fd, &addr);
		close(e->map);
		free(e->late);
		*pp = e->next;
		if (cur == e)
			cur = NULL;
		free(e);
		return;
	}
}

static long memlock_of(int fd)
{
	char path[64], line[256];
	long v = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = strlen(s) / 2;
	if (n > cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (sscanf(s + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return (int)n;
}

static void cmd_test(const char *prog, const char *hex)
{
	static unsigned char in[2048], out[2048];
	int n = unhex(hex, in, sizeof(in));
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = n, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	int fd = strcmp(prog, "from_pod") == 0 ? from_fd : to_fd;
	if (n < 0 || bpf_prog_test_run_opts(fd, &o)) {
		printf("err test run: %s\n", n < 0 ? "bad packet" : strerror(errno));
		return;
	}
	printf("ok %u ", o.retval);
	for (__u32 i = 0; i < o.data_size_out; i++)
		printf("%02x", out[i]);
	printf("\n");
}

int main(void)
{
	static char line[4096];
	libbpf_set_print(on_libbpf_print);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		char a[256];
		static char b[4096];
		unsigned id, dir, proto, port, plen, verdict;
		__u32 addr;
		if (sscanf(line, "p+ %u %u %u %u %u %u", &id, &dir, &proto, &port, &plen, &verdict) == 6 ||
		    sscanf(line, "p- %u %u %u %u %u", &id, &dir, &proto, &port, &plen) == 5) {
			if (nops == capops) {
				capops = capops ? capops * 2 : 1024;
				ops = realloc(ops, capops * sizeof(*ops));
			}
			struct op *o = &ops[nops++];
			o->add = line[1] == '+';
			o->key = (struct policy_key){ .prefixlen = 48 + plen, .identity = id, .dir = dir,
						      .proto = proto, .port = htons(port) };
			o->verdict = verdict;
		} else if (sscanf(line, "ip+ %255s %u %u", a, &plen, &id) == 3 && !parse_addr(a, &addr)) {
			struct ipcache_key k = { .prefixlen = plen, .addr = addr };
			if (bpf_map_update_elem(ipcache_fd, &k, &id, BPF_ANY))
				fail("ipcache update %s/%u: %s", a, plen, strerror(errno));
		} else if (sscanf(line, "ip- %255s %u", a, &plen) == 2 && !parse_addr(a, &addr)) {
			struct ipcache_key k = { .prefixlen = plen, .addr = addr };
			if (bpf_map_delete_elem(ipcache_fd, &k) && errno != ENOENT)
				fail("ipcache delete %s/%u: %s", a, plen, strerror(errno));
		} else if (sscanf(line, "ep %255s", a) == 1 && !parse_addr(a, &addr)) {
			nops = 0;
			cur = endpoint(addr, 1);
		} else if (strncmp(line, "swap", 4) == 0) {
			cmd_swap();
		} else if (sscanf(line, "epdel %255s", a) == 1 && !parse_addr(a, &addr)) {
			finish_late();
			cmd_epdel(addr);
		} else if (strncmp(line, "sync", 4) == 0) {
			if (first_err[0])
				printf("err %s\n", first_err);
			else
				printf("ok\n");
			first_err[0] = 0;
			finish_late(); /* the harness has its answer; a failure here is the next sync's */
		} else if (sscanf(line, "load %255s", a) == 1) {
			cmd_load(a);
		} else if (sscanf(line, "attach %255s %255s", a, b) == 2) {
			cmd_attach(a, b);
		} else if (strncmp(line, "mem", 3) == 0) {
			finish_late();
			long policy = memlock_of(ipcache_fd);
			for (struct endpoint *e = eps; e; e = e->next)
				policy += memlock_of(e->map);
			long total = policy + memlock_of(endpoints_fd) + memlock_of(ep_gen_fd) + memlock_of(ct_fd);
			printf("ok %ld %ld\n", total, policy);
		} else if (sscanf(line, "test %255s %4095s", a, b) == 2) {
			finish_late();
			cmd_test(a, b);
		} else {
			line[strcspn(line, "\n")] = 0;
			fail("unknown command: %s", line);
		}
	}
	return 0;
}
