/**
 * The verdict rules of real-cluster probes (src/cluster/kube/probe-verdict.ts): agnhost's output,
 * the agent's batch answers, and the promise that a reject reads the same in every protocol and
 * both probe modes. The agnhost lines are the ones agnhost 2.53's connect command prints
 * (kubernetes test/images/agnhost/connect/connect.go at that release): TCP errors are REFUSED,
 * TIMEOUT or OTHER; UDP errors go through parseUDPErrorAndExit (TIMEOUT, REFUSED on "connection
 * refused", UNKNOWN otherwise); every SCTP dial error is OTHER.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentProbeResult } from '../../../src/agent/probe.js';
import { parseProbeArgs } from '../../../src/agent/probe.js';
import {
  agentVerdict,
  parseBatchAnswer,
  parseConnectOutput,
  rejectKind,
} from '../../../src/cluster/kube/probe-verdict.js';
import {
  agentProbeCommands,
  MAX_EXEC_ARGS_BYTES,
  MAX_TARGETS_ARG_BYTES,
} from '../../../src/cluster/kube/probe-round.js';
import type { Protocol } from '../../../src/netpol/types.js';

const agnhost = (stderr: string, exitCode = 1) => parseConnectOutput({ stdout: '', stderr, exitCode });
const agent = (protocol: Protocol, extra: Partial<AgentProbeResult>) =>
  agentVerdict(
    { to: 'x/b', port: 80, protocol },
    { to: 'x/b', port: 80, protocol, connected: false, elapsedMs: 3, ...extra },
  );

describe('a reject reads the same in every protocol and both probe modes', () => {
  // What agnhost 2.53 prints, and what the agent reports, for the same event on the wire.
  const table: Array<{
    what: string;
    protocol: Protocol;
    agnhost: string;
    code: string;
    verdict: string;
  }> = [
    { what: 'TCP RST', protocol: 'TCP', agnhost: 'REFUSED', code: 'ECONNREFUSED', verdict: 'refused' },
    {
      what: 'UDP ICMP port unreachable',
      protocol: 'UDP',
      agnhost: 'REFUSED: read udp 10.244.1.5:40000->10.244.2.7:81: read: connection refused',
      code: 'ECONNREFUSED',
      verdict: 'refused',
    },
    {
      what: 'SCTP ABORT',
      protocol: 'SCTP',
      agnhost: 'OTHER: connection refused',
      code: 'ECONNREFUSED',
      verdict: 'refused',
    },
    {
      what: 'TCP ICMP admin-prohibited',
      protocol: 'TCP',
      agnhost: 'OTHER: dial tcp 10.244.2.7:80: connect: no route to host',
      code: 'EHOSTUNREACH',
      verdict: 'unreachable',
    },
    {
      what: 'UDP ICMP admin-prohibited (agnhost says UNKNOWN)',
      protocol: 'UDP',
      agnhost: 'UNKNOWN: read udp 10.244.1.5:40000->10.244.2.7:81: read: no route to host',
      code: 'EHOSTUNREACH',
      verdict: 'unreachable',
    },
    {
      what: 'UDP rejected on the way out of the pod',
      protocol: 'UDP',
      agnhost: 'UNKNOWN: write udp 10.244.1.5:40000->10.244.2.7:81: write: operation not permitted',
      code: 'EPERM',
      verdict: 'unreachable',
    },
    {
      what: 'SCTP network unreachable',
      protocol: 'SCTP',
      agnhost: 'OTHER: network is unreachable',
      code: 'ENETUNREACH',
      verdict: 'unreachable',
    },
    { what: 'TCP dropped', protocol: 'TCP', agnhost: 'TIMEOUT', code: 'ETIMEDOUT', verdict: 'timeout' },
    {
      what: 'UDP dropped',
      protocol: 'UDP',
      agnhost: 'TIMEOUT: read udp 10.244.1.5:40000->10.244.2.7:81: i/o timeout',
      code: 'ETIMEDOUT',
      verdict: 'timeout',
    },
    { what: 'SCTP dropped', protocol: 'SCTP', agnhost: 'TIMEOUT', code: 'ETIMEDOUT', verdict: 'timeout' },
  ];
  for (const row of table) {
    test(`${row.what}: "${row.verdict}" from agnhost and from the agent`, () => {
      const expected = { connected: false, error: row.verdict, inconclusive: false };
      assert.deepEqual(agnhost(`${row.agnhost}\n`), expected);
      if (row.protocol !== 'SCTP') assert.deepEqual(agent(row.protocol, { code: row.code }), expected);
      // The agent runs agnhost for SCTP and returns its raw output: the same rules apply.
      assert.deepEqual(
        agent(row.protocol, { agnhost: { exitCode: 1, stdout: '', stderr: `${row.agnhost}\n` } }),
        expected,
      );
    });
  }

  test('rejectKind reads errno codes and their texts', () => {
    assert.equal(rejectKind('ECONNREFUSED'), 'refused');
    assert.equal(rejectKind('dial tcp: connect: connection refused'), 'refused');
    for (const x of ['EHOSTUNREACH', 'ENETUNREACH', 'EPERM', 'EACCES', 'connect: permission denied'])
      assert.equal(rejectKind(x), 'unreachable', x);
    for (const x of ['ECONNRESET', 'EINVAL', 'missing port in address', ''])
      assert.equal(rejectKind(x), undefined, x);
  });
});

describe('agnhost output', () => {
  test('connected is exit 0 and silence', () => {
    assert.deepEqual(agnhost('', 0), { connected: true, inconclusive: false });
  });

  test('DNS and unrecognised OTHER errors are verdicts with their detail', () => {
    assert.deepEqual(agnhost('DNS: lookup nope: no such host\n'), {
      connected: false,
      error: 'dns: lookup nope: no such host',
      inconclusive: false,
    });
    assert.deepEqual(agnhost('OTHER: dial tcp: i/o error\n'), {
      connected: false,
      error: 'other: dial tcp: i/o error',
      inconclusive: false,
    });
  });

  test('UNKNOWN without a network error (bad arguments) is inconclusive', () => {
    const v = agnhost('UNKNOWN: address 10.0.0.1: missing port in address\n');
    assert.equal(v.inconclusive, true);
    assert.match(v.error ?? '', /^probe-failed: UNKNOWN: address/);
  });

  test('output and status that disagree are inconclusive', () => {
    for (const r of [
      { stdout: 'hello', stderr: '', exitCode: 0 },
      { stdout: '', stderr: 'TIMEOUT\n', exitCode: 0 },
      { stdout: '', stderr: '', exitCode: 1 },
      { stdout: '', stderr: 'REFUSED\n', exitCode: -1 },
    ]) {
      const v = parseConnectOutput(r);
      assert.equal(v.inconclusive, true, JSON.stringify(r));
      assert.equal(v.connected, false);
    }
  });
});

describe('agent results', () => {
  test('connected carries who answered', () => {
    assert.deepEqual(agent('TCP', { connected: true, answeredBy: 'x/b' }), {
      connected: true,
      inconclusive: false,
      answeredBy: 'x/b',
    });
    assert.deepEqual(agent('UDP', { connected: true }), { connected: true, inconclusive: false });
  });

  test('a result that contradicts itself, is for another probe, or has no known reason is inconclusive', () => {
    const bad: Array<[string, ReturnType<typeof agentVerdict>]> = [
      ['connected but reporting', agent('TCP', { connected: true, code: 'ECONNRESET' })],
      ['no reason', agent('TCP', {})],
      ['closed without answer', agent('TCP', { error: 'closed without answer' })],
      ['reset', agent('TCP', { error: 'reset', code: 'ECONNRESET' })],
      ['SCTP unsupported', agent('SCTP', { error: 'protocol SCTP not supported', code: 'EPROTONOSUPPORT' })],
      [
        'another probe',
        agentVerdict(
          { to: 'x/b', port: 80, protocol: 'TCP' },
          { to: 'x/c', port: 80, protocol: 'TCP', connected: true, elapsedMs: 1 },
        ),
      ],
      ['missing', agentVerdict({ to: 'x/b', port: 80, protocol: 'TCP' }, undefined)],
      [
        'agnhost that could not start',
        agent('SCTP', { agnhost: { exitCode: -1, stdout: '', stderr: 'spawn /opt/x ENOENT\n' } }),
      ],
    ];
    for (const [what, v] of bad) {
      assert.equal(v.inconclusive, true, what);
      assert.equal(v.connected, false, what);
      assert.match(v.error ?? '', /^probe-failed: /, what);
    }
  });
});

describe('one batch answer', () => {
  const toB = { to: 'x/b', port: 80, protocol: 'TCP' as const };
  const toA = { to: 'y/a', port: 81, protocol: 'UDP' as const };
  const reqs = [toB, toA];
  const results: AgentProbeResult[] = [
    { ...toB, connected: true, answeredBy: 'x/b', elapsedMs: 2.5 },
    { ...toA, connected: false, error: 'timeout', code: 'ETIMEDOUT', elapsedMs: 1000.2 },
  ];

  test('each probe judged in order, with the time the agent measured', () => {
    const v = parseBatchAnswer(reqs, { stdout: `${JSON.stringify(results)}\n`, stderr: '', exitCode: 0 });
    assert.deepEqual(v, [
      { connected: true, inconclusive: false, answeredBy: 'x/b', elapsedMs: 2.5 },
      { connected: false, error: 'timeout', inconclusive: false, elapsedMs: 1000.2 },
    ]);
  });

  test('an answer whose status, shape or length is off makes every probe of the batch inconclusive', () => {
    const json = JSON.stringify(results);
    const cases: Array<[string, { stdout: string; stderr: string; exitCode: number }, RegExp]> = [
      ['exit 1 with a valid answer', { stdout: json, stderr: 'oops', exitCode: 1 }, /agent exit 1: oops/],
      ['not run', { stdout: '', stderr: 'container not found', exitCode: -1 }, /agent exit -1/],
      ['not JSON', { stdout: 'Killed', stderr: '', exitCode: 0 }, /not JSON: Killed/],
      ['empty', { stdout: '', stderr: '', exitCode: 0 }, /not JSON: \(empty\)/],
      ['not an array', { stdout: '{"results":[]}', stderr: '', exitCode: 0 }, /not a JSON array/],
      [
        'one result short',
        { stdout: JSON.stringify(results.slice(0, 1)), stderr: '', exitCode: 0 },
        /answered 1 probe\(s\) of 2/,
      ],
    ];
    for (const [what, r, re] of cases) {
      const v = parseBatchAnswer(reqs, r);
      assert.equal(v.length, 2, what);
      for (const x of v) {
        assert.equal(x.inconclusive, true, what);
        assert.match(x.error ?? '', re, what);
      }
    }
  });
});

describe('the agent command line for a batch', () => {
  const target = (i: number) => ({
    to: `ns-${i % 7}/pod-${i}`,
    host: `10.244.${i % 250}.${i % 200}`,
    port: 80 + (i % 3),
    protocol: (['TCP', 'UDP', 'SCTP'] as const)[i % 3] ?? 'TCP',
  });
  const agentCmd = ['node', '/opt/cnibench/agent/cnibench-agent.mjs'];

  test('a pod’s round is one exec whose arguments the agent parses back to the same targets', () => {
    const targets = Array.from({ length: 32 }, (_, i) => target(i));
    const cmds = agentProbeCommands(agentCmd, targets, 1000, '/opt/cnibench/bin/agnhost');
    assert.equal(cmds.length, 1);
    const [cmd] = cmds;
    assert.deepEqual(cmd?.argv.slice(0, 9), [
      ...agentCmd,
      'probe',
      '--porter',
      '--timeout-ms',
      '1000',
      '--concurrency',
      '32',
      '--agnhost',
    ]);
    const parsed = parseProbeArgs(cmd?.argv.slice(3) ?? []);
    assert.deepEqual(parsed.targets, targets);
    assert.deepEqual([parsed.porter, parsed.timeoutMs, parsed.concurrency], [true, 1000, 32]);
  });

  test('thousands of targets: every argument stays under 64 KiB and every exec under 256 KiB', () => {
    const targets = Array.from({ length: 9000 }, (_, i) => target(i));
    const cmds = agentProbeCommands(agentCmd, targets, 250);
    assert.ok(cmds.length > 1);
    const back = cmds.flatMap((c) => {
      for (const a of c.argv) assert.ok(Buffer.byteLength(a) <= MAX_TARGETS_ARG_BYTES);
      assert.ok(c.argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0) <= MAX_EXEC_ARGS_BYTES + 1024);
      const parsed = parseProbeArgs(c.argv.slice(3));
      assert.equal(parsed.concurrency, c.count);
      return parsed.targets ?? [];
    });
    assert.deepEqual(back, targets);
    assert.deepEqual(
      cmds.map((c) => c.first),
      cmds.map((_, k) => cmds.slice(0, k).reduce((n, c) => n + c.count, 0)),
    );
  });
});
