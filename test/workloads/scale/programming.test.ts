// measureFlip's timing and confirmation logic, against a scripted probe sequence (the real dataplane
// is exercised by sweep.netns.test.ts on the local cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterDriver, ProbeRequest, ProbeResult } from '../../../src/cluster/driver.js';
import { measureFlip } from '../../../src/workloads/scale/programming.js';
import { CheckFailedError } from '../../../src/util/errors.js';

const request: ProbeRequest = { from: 'p/c', to: 'p/s', toIp: '10.0.0.2', port: 8080, protocol: 'TCP' };

/** A driver whose probes answer from a script: true = connected (answered by p/s). */
function scripted(script: Array<boolean | string>): { driver: ClusterDriver; calls: () => number } {
  let i = 0;
  const driver = {
    probe: async (reqs: ProbeRequest[]): Promise<ProbeResult[]> => {
      const step = script[Math.min(i++, script.length - 1)];
      await new Promise((r) => setTimeout(r, 2));
      const connected = step !== false;
      return reqs.map((r) => ({
        ...r,
        connected,
        ...(connected ? { answeredBy: typeof step === 'string' ? step : 'p/s' } : { error: 'timeout' }),
        elapsedMs: 2,
      }));
    },
  } as unknown as ClusterDriver;
  return { driver, calls: () => i };
}

test('latency runs from before apply to the start of the first of two confirming probes', async () => {
  const { driver, calls } = scripted([true, true, false, false]);
  const r = await measureFlip(
    driver,
    request,
    'p/s',
    false,
    () => new Promise((res) => setTimeout(res, 30)),
    'deny',
    {
      pollIntervalMs: 1,
    },
  );
  assert.equal(calls(), 4);
  assert.equal(r.probes, 4);
  assert.ok(r.applyMs >= 29, `apply ${r.applyMs}`);
  // apply (30 ms) + two non-flipped probes (~2 ms each + poll) before the flip was first seen
  assert.ok(r.latencyMs >= 33 && r.latencyMs < 200, `latency ${r.latencyMs}`);
});

test('a single blip is not a flip: the observation must be confirmed by the next probe', async () => {
  const { driver } = scripted([false, true, true, false, false]);
  const r = await measureFlip(driver, request, 'p/s', false, async () => {}, 'deny', { pollIntervalMs: 1 });
  assert.equal(r.probes, 5);
});

test('an answer from the wrong pod does not count as allowed', async () => {
  const { driver } = scripted([false, 'other/pod', 'other/pod', true, true]);
  const r = await measureFlip(driver, request, 'p/s', true, async () => {}, 'allow', { pollIntervalMs: 1 });
  assert.equal(r.probes, 5);
});

test('never flipping is a CheckFailedError naming the change and the last probe', async () => {
  const { driver } = scripted([true]);
  await assert.rejects(
    measureFlip(driver, request, 'p/s', false, async () => {}, 'adding 1 policy to 100', {
      pollIntervalMs: 1,
      timeoutMs: 50,
    }),
    (e: unknown) =>
      e instanceof CheckFailedError &&
      /adding 1 policy to 100: the dataplane did not deny p\/c → 10\.0\.0\.2:8080\/TCP within 50 ms/.test(
        e.message,
      ) &&
      /last: connected to p\/s/.test(e.message),
  );
});
