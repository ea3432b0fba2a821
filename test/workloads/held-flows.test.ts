import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startHolds } from '../../src/agent/hold.js';
import { PodServer } from '../../src/agent/serve.js';
import { parseHoldOutput } from '../../src/cluster/held-flows.js';
import { classifyHeldFlow } from '../../src/workloads/conformance/held-flows.js';
import { establishedOnDenyCell } from '../../src/scoring/established-on-deny.js';
import type { CandidateResult } from '../../src/results/schema.js';

const base = { from: 'x/a', to: 'y/b', toIp: '10.0.0.1', port: 80, protocol: 'TCP' as const };

describe('held flows: judging cut or kept', () => {
  // Harness clock: change at 1000, enforced at 1500, stopped at 2500; the agent ran 2000 ms, so its
  // t = 0 is harness 500.
  const t = { changeAt: 1000, enforcedAt: 1500, stopAt: 2500 };
  const report = (answersAtMs: number[]) => ({
    ...base,
    established: answersAtMs.length > 0,
    sent: 40,
    received: answersAtMs.length,
    answersAtMs,
    durationMs: 2000,
  });

  test('answers after enforcement: kept', () => {
    const r = classifyHeldFlow(report([100, 200, 300, 1200, 1900]), t, 50);
    assert.equal(r.outcome, 'kept');
    assert.equal(r.answersBefore, 3);
    assert.equal(r.answersAfter, 2);
  });

  test('answers stop at the change: cut (answers in flight just after enforcement do not count)', () => {
    const r = classifyHeldFlow(report([100, 200, 300, 700, 1100]), t, 50);
    assert.equal(r.outcome, 'cut');
    assert.equal(r.answersAfter, 0);
  });

  test('nothing before the change: not established', () => {
    assert.equal(classifyHeldFlow(report([1200]), t, 50).outcome, 'not-established');
  });

  test('the feature-matrix row counts per protocol and says when nothing was measured', () => {
    const flows = [
      { ...base, outcome: 'kept' as const, answersBefore: 3, answersAfter: 4 },
      { ...base, protocol: 'UDP' as const, outcome: 'cut' as const, answersBefore: 3, answersAfter: 0 },
      { ...base, protocol: 'UDP' as const, outcome: 'kept' as const, answersBefore: 3, answersAfter: 2 },
    ];
    const cand = (steps: unknown[]) =>
      ({ conformance: { caseResults: [{ name: 'c', steps }] } }) as unknown as CandidateResult;
    const cell = establishedOnDenyCell(cand([{ step: 1, heldFlows: flows }]));
    assert.equal(cell.status, 'observed');
    assert.equal(cell.detail, 'TCP kept (1/1), UDP mixed: 1 kept, 1 cut');
    const none = establishedOnDenyCell(cand([{ step: 1, heldFlowsNotMeasured: 'no agent' }]));
    assert.deepEqual([none.status, none.detail], ['not-measured', 'no agent']);
  });
});

describe('the agent: hold mode against serve mode', () => {
  test('a TCP connection and a UDP flow answer every interval until closed; probes still get the name', async () => {
    const server = new PodServer('y/b');
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    await server.listen([port], [port]);
    try {
      let ready: boolean | undefined;
      const finish = startHolds(
        [
          { to: 'y/b', host: '127.0.0.1', port, protocol: 'TCP' },
          { to: 'y/b', host: '127.0.0.1', port, protocol: 'UDP' },
        ],
        20,
        (ok) => (ready = ok),
      );
      await new Promise((r) => setTimeout(r, 400));
      const reports = finish();
      assert.equal(ready, true);
      for (const r of reports) {
        assert.ok(r.established, r.protocol);
        assert.ok(r.received >= 5, `${r.protocol}: ${r.received} answers`);
        assert.equal(r.error, undefined);
      }
      const parsed = parseHoldOutput(
        [
          { ...base, port, protocol: 'TCP' },
          { ...base, port, protocol: 'UDP' },
        ],
        `{"ready":true}\n${JSON.stringify({ flows: reports })}\n`,
      );
      assert.equal(parsed[1]?.protocol, 'UDP');
      assert.throws(() => parseHoldOutput([base], ''), /printed no report/);
    } finally {
      server.close();
    }
  });
});
