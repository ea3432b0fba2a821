/**
 * The eBPF engine's programs under BPF_PROG_TEST_RUN, no namespaces needed: maps programmed through
 * the real writer from policies resolved by resolve.ts, packets built here, verdicts and the rejects
 * the programs write checked byte by byte; and what a packet sees in the middle of an update.
 * Needs root (CAP_BPF) and the object built by scripts/setup.sh local; outside CI it says it skipped.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { BPF_OBJECT, BpfWriter } from '../../../../src/cluster/local/engines/ebpf/writer.js';
import { updateLines, type LoadedMaps } from '../../../../src/cluster/local/engines/ebpf/index.js';
import {
  IdentityAllocator,
  portPrefixes,
  resolvePolicy,
  type BpfPod,
} from '../../../../src/cluster/local/engines/ebpf/resolve.js';
import type { NetworkPolicy } from '../../../../src/netpol/types.js';

const canRun = process.getuid?.() === 0 && existsSync(BPF_OBJECT);
const skip = canRun ? false : 'needs root and the BPF object (scripts/setup.sh local)';
if (!canRun && process.env.CI === 'true') throw new Error(`ebpf-verdict: ${String(skip)}`);

const TC_ACT_OK = 0;
const TC_ACT_REDIRECT = 7;

function ipBytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** Ones' complement sum of 16-bit words. */
function csum(bytes: number[]): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function packet(
  proto: 'TCP' | 'UDP',
  src: string,
  dst: string,
  sport: number,
  dport: number,
  tcpFlags = 0x02,
): Buffer {
  const l4 =
    proto === 'TCP'
      ? [
          sport >> 8,
          sport & 255,
          dport >> 8,
          dport & 255,
          0,
          0,
          0,
          7,
          0,
          0,
          0,
          0,
          0x50,
          tcpFlags,
          0xff,
          0xff,
          0,
          0,
          0,
          0,
        ]
      : [sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 12, 0, 0, 1, 2, 3, 4];
  const total = 20 + l4.length;
  const ip = [
    0x45,
    0,
    total >> 8,
    total & 255,
    0,
    1,
    0x40,
    0,
    64,
    proto === 'TCP' ? 6 : 17,
    0,
    0,
    ...ipBytes(src),
    ...ipBytes(dst),
  ];
  const c = csum(ip);
  ip[10] = c >> 8;
  ip[11] = c & 255;
  const eth = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
  return Buffer.from([...eth, ...ip, ...l4]);
}

const pod = (name: string, ip: string, labels: Record<string, string>): BpfPod => ({
  key: `x/${name}`,
  namespace: 'x',
  labels,
  ip,
  ports: [{ name: 'serve-80-tcp', port: 80, protocol: 'TCP' }],
});
const A = pod('a', '10.9.0.1', { app: 'a' });
const B = pod('b', '10.9.0.2', { app: 'b' });
const C = pod('c', '10.9.0.3', { app: 'c' });

const np = (name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'x' },
  spec,
});
/** b admits a on TCP 80 and 10.77.0.0/16 minus 10.77.1.0/24 on TCP 8000-8009; b sends nothing. */
const policies = [
  np('b-in', {
    podSelector: { matchLabels: { app: 'b' } },
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ protocol: 'TCP', port: 80 }] },
      {
        from: [{ ipBlock: { cidr: '10.77.0.0/16', except: ['10.77.1.0/24'] } }],
        ports: [{ protocol: 'TCP', port: 8000, endPort: 8009 }],
      },
    ],
  }),
  np('b-eg', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'] }),
];

describe('eBPF verdict program (BPF_PROG_TEST_RUN)', { skip }, () => {
  let w: BpfWriter;
  const alloc = new IdentityAllocator();
  const empty: LoadedMaps = { ipcache: new Map(), endpoints: new Map() };
  let loaded: LoadedMaps = empty;
  const program = async (pols: NetworkPolicy[]) => {
    const want = resolvePolicy({ policies: pols, pods: [A, B, C], namespaces: { x: {} } }, alloc);
    w.send(updateLines(loaded, want).join('\n'));
    await w.sync();
    loaded = want;
  };
  const run = (prog: 'from_pod' | 'to_pod', pkt: Buffer) => w.testRun(prog, pkt);

  before(async () => {
    w = await BpfWriter.start();
    await program(policies);
  });
  after(() => w.close());

  test('port ranges split into LPM port prefixes', () => {
    assert.deepEqual(portPrefixes(80, 80), [[80, 16]]);
    assert.deepEqual(portPrefixes(8000, 8009), [
      [8000, 13],
      [8008, 15],
    ]);
    assert.deepEqual(portPrefixes(0, 65535), [[0, 0]]);
  });

  test('an allowed peer passes; another port or peer is answered with a TCP reset', async () => {
    assert.equal((await run('to_pod', packet('TCP', A.ip, B.ip, 40000, 80))).retval, TC_ACT_OK);
    const denied = await run('to_pod', packet('TCP', A.ip, B.ip, 40001, 81));
    assert.equal(denied.retval, TC_ACT_REDIRECT);
    const out = denied.packet;
    assert.equal(out.length, 54);
    assert.deepEqual([...out.subarray(0, 6)], [2, 0, 0, 0, 0, 1], 'MACs swapped');
    assert.deepEqual([...out.subarray(26, 30)], ipBytes(B.ip), 'from the destination');
    assert.deepEqual([...out.subarray(30, 34)], ipBytes(A.ip), 'to the sender');
    assert.equal(csum([...out.subarray(14, 34)]), 0, 'IP checksum');
    assert.equal(out.readUInt16BE(34), 81);
    assert.equal(out.readUInt16BE(36), 40001);
    assert.equal(out[47], 0x14, 'RST|ACK');
    assert.equal(out.readUInt32BE(42), 8, 'acknowledges the SYN (seq 7 + 1)');
    const pseudo = [...out.subarray(26, 34), 0, 6, 0, 20, ...out.subarray(34, 54)];
    assert.equal(csum(pseudo), 0, 'TCP checksum');
    assert.equal((await run('to_pod', packet('TCP', C.ip, B.ip, 40002, 80))).retval, TC_ACT_REDIRECT);
  });

  test('UDP is answered with ICMP administratively prohibited quoting the packet', async () => {
    const pkt = packet('UDP', A.ip, B.ip, 5353, 80);
    const r = await run('to_pod', pkt);
    assert.equal(r.retval, TC_ACT_REDIRECT);
    assert.equal(r.packet.length, 14 + 20 + 8 + 28);
    assert.equal(r.packet[23], 1, 'ICMP');
    assert.equal(r.packet[34], 3);
    assert.equal(r.packet[35], 13);
    assert.equal(csum([...r.packet.subarray(34)]), 0, 'ICMP checksum');
    assert.deepEqual([...r.packet.subarray(42)], [...pkt.subarray(14, 42)], 'quotes header + 8 bytes');
  });

  test('ipBlock: inside the CIDR and the port range passes, the except and other ports do not', async () => {
    assert.equal((await run('to_pod', packet('TCP', '10.77.3.4', B.ip, 1000, 8005))).retval, TC_ACT_OK);
    assert.equal((await run('to_pod', packet('TCP', '10.77.3.4', B.ip, 1000, 8010))).retval, TC_ACT_REDIRECT);
    assert.equal((await run('to_pod', packet('TCP', '10.77.1.4', B.ip, 1000, 8005))).retval, TC_ACT_REDIRECT);
    assert.equal((await run('to_pod', packet('TCP', '10.78.0.1', B.ip, 1000, 8005))).retval, TC_ACT_REDIRECT);
  });

  test('connection tracking: replies of an allowed flow pass an egress-isolated pod; new flows do not', async () => {
    assert.equal((await run('to_pod', packet('TCP', A.ip, B.ip, 41000, 80))).retval, TC_ACT_OK);
    const synAck = packet('TCP', B.ip, A.ip, 80, 41000, 0x12);
    assert.equal((await run('from_pod', synAck)).retval, TC_ACT_OK, 'the reply passes');
    assert.equal((await run('from_pod', packet('TCP', B.ip, A.ip, 80, 41001, 0x12))).retval, TC_ACT_REDIRECT);
    assert.equal((await run('from_pod', packet('TCP', B.ip, A.ip, 41000, 80))).retval, TC_ACT_REDIRECT);
  });

  test('unpoliced pods allow everything', async () => {
    assert.equal((await run('to_pod', packet('TCP', B.ip, C.ip, 42000, 9999))).retval, TC_ACT_OK);
    assert.equal((await run('from_pod', packet('UDP', A.ip, C.ip, 42000, 53))).retval, TC_ACT_OK);
  });

  test('in the middle of an update a packet sees the whole old map, after the swap the whole new one', async () => {
    // New policy: b admits a on 81 only. Stream the changes to b's standby map but stop before `swap`.
    const next = [
      np('b-in', {
        podSelector: { matchLabels: { app: 'b' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ protocol: 'TCP', port: 81 }] },
        ],
      }),
    ];
    const want = resolvePolicy({ policies: next, pods: [A, B, C], namespaces: { x: {} } }, alloc);
    const lines = updateLines(loaded, want);
    const swapAt = lines.indexOf('swap');
    assert.ok(swapAt > 0, 'b changes');
    w.send(lines.slice(0, swapAt).join('\n'));
    assert.equal(
      (await run('to_pod', packet('TCP', A.ip, B.ip, 43000, 80))).retval,
      TC_ACT_OK,
      'old: 80 open',
    );
    assert.equal(
      (await run('to_pod', packet('TCP', A.ip, B.ip, 43001, 81))).retval,
      TC_ACT_REDIRECT,
      'old: 81 shut',
    );
    w.send(lines.slice(swapAt).join('\n'));
    await w.sync();
    loaded = want;
    assert.equal(
      (await run('to_pod', packet('TCP', A.ip, B.ip, 43002, 80))).retval,
      TC_ACT_REDIRECT,
      'new: 80 shut',
    );
    assert.equal(
      (await run('to_pod', packet('TCP', A.ip, B.ip, 43003, 81))).retval,
      TC_ACT_OK,
      'new: 81 open',
    );
    // Both generations of b's map now hold the new entries: a second change only writes its own
    // difference, into the generation the first change left. Were that generation not brought up to
    // date after the switch, it would still hold the first policy's 80 when 82 is put in force.
    const third = resolvePolicy(
      {
        policies: [
          np('b-in', {
            podSelector: { matchLabels: { app: 'b' } },
            ingress: [
              {
                from: [{ podSelector: { matchLabels: { app: 'a' } } }],
                ports: [{ protocol: 'TCP', port: 82 }],
              },
            ],
          }),
        ],
        pods: [A, B, C],
        namespaces: { x: {} },
      },
      alloc,
    );
    const diff = updateLines(loaded, third).filter((l) => l.startsWith('p'));
    assert.ok(diff.length < 30, `${diff.length} entries written`);
    w.send(updateLines(loaded, third).join('\n'));
    await w.sync();
    loaded = third;
    for (const [port, want] of [
      [80, TC_ACT_REDIRECT],
      [81, TC_ACT_REDIRECT],
      [82, TC_ACT_OK],
    ] as const)
      assert.equal(
        (await run('to_pod', packet('TCP', A.ip, B.ip, 43100 + port, port))).retval,
        want,
        `${port}`,
      );
    const back = resolvePolicy({ policies, pods: [A, B, C], namespaces: { x: {} } }, alloc);
    w.send(updateLines(loaded, back).join('\n'));
    await w.sync();
    loaded = back;
    assert.equal((await run('to_pod', packet('TCP', A.ip, B.ip, 43004, 80))).retval, TC_ACT_OK);
    assert.equal((await run('to_pod', packet('TCP', A.ip, B.ip, 43005, 82))).retval, TC_ACT_REDIRECT);
  });

  test('two swaps of one endpoint in a row: the second catches the generation up before writing it', async () => {
    const bIn = (port: number) =>
      np('b-in', {
        podSelector: { matchLabels: { app: 'b' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ protocol: 'TCP', port }] },
        ],
      });
    const at = (port: number) =>
      resolvePolicy({ policies: [bIn(port)], pods: [A, B, C], namespaces: { x: {} } }, alloc);
    const first = at(81);
    const second = at(82);
    // One `ep`, two changes: the writer protocol allows it, though updateLines selects again each time.
    const lines = [
      ...updateLines(loaded, first),
      ...updateLines(first, second).filter((l) => l !== `ep ${B.ip}`),
    ];
    assert.equal(lines.filter((l) => l === `ep ${B.ip}`).length, 1, lines.join('; '));
    w.send(lines.join('\n'));
    await w.sync();
    loaded = second;
    for (const [port, want] of [
      [80, TC_ACT_REDIRECT],
      [81, TC_ACT_REDIRECT],
      [82, TC_ACT_OK],
    ] as const)
      assert.equal(
        (await run('to_pod', packet('TCP', A.ip, B.ip, 45000 + port, port))).retval,
        want,
        `${port}`,
      );
    await program(policies);
    assert.equal((await run('to_pod', packet('TCP', A.ip, B.ip, 45100, 80))).retval, TC_ACT_OK);
    assert.equal((await run('to_pod', packet('TCP', A.ip, B.ip, 45101, 82))).retval, TC_ACT_REDIRECT);
  });

  test('an endpoint whose policy is removed keeps its emptied map, which allows everything', async () => {
    const none = resolvePolicy({ policies: [], pods: [A, B, C], namespaces: { x: {} } }, alloc);
    const lines = updateLines(loaded, none);
    assert.ok(!lines.some((l) => l.startsWith('epdel')), lines.join('; '));
    assert.ok(lines.includes(`ep ${B.ip}`) && lines.includes('swap'));
    w.send(lines.join('\n'));
    await w.sync();
    loaded = none;
    assert.equal((await run('to_pod', packet('TCP', C.ip, B.ip, 44000, 81))).retval, TC_ACT_OK);
    assert.equal((await run('from_pod', packet('UDP', B.ip, C.ip, 44001, 53))).retval, TC_ACT_OK);
    await program(policies);
    assert.equal((await run('to_pod', packet('TCP', C.ip, B.ip, 44002, 81))).retval, TC_ACT_REDIRECT);
  });

  test('the maps report the memory the kernel charges for them', async () => {
    assert.ok((await w.memoryBytes()) > 0);
  });
});
