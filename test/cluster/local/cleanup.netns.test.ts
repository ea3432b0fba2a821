import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { agentMainPath } from '../../../src/cluster/local/agent-client.js';
import { cleanupLocal, netnsPids } from '../../../src/cluster/local/cleanup.js';
import { LocalTopology } from '../../../src/cluster/local/topology.js';
import { netnsWithPrefix, testRunId } from './helpers.js';
import { CLI_MAIN } from '../../helpers/paths.js';

const cli = CLI_MAIN;

async function leftBehind(runId: string): Promise<LocalTopology> {
  const topo = new LocalTopology({ runId, nodes: 2, mode: 'vxlan' });
  await topo.create();
  const pod = await topo.addPod({ namespace: 'x', name: 'a', node: 'node-1' });
  const proc = topo.spawn(pod, [
    process.execPath,
    agentMainPath(),
    'serve',
    '--name',
    pod.key,
    '--tcp',
    '80',
  ]);
  await new Promise<void>((resolve) => proc.child.stdout.once('data', () => resolve()));
  // Forget the child (as a crashed harness would), so only the cleanup code can stop it.
  proc.child.nodeChildProcess.unref();
  return topo;
}

test('cleanupLocal removes namespaces and processes of one prefix, and nothing else', async () => {
  const mine = testRunId();
  const other = testRunId();
  await leftBehind(mine);
  const bystander = await leftBehind(other);
  try {
    const pids = await netnsPids(`${mine}-p0`);
    assert.equal(pids.length, 1, 'the agent runs in the pod');
    const report = await cleanupLocal({ prefix: mine });
    assert.deepEqual(report.netns.sort(), [`${mine}-fab`, `${mine}-n0`, `${mine}-n1`, `${mine}-p0`]);
    assert.deepEqual(report.processes, pids);
    assert.deepEqual(await netnsWithPrefix(mine), []);
    const [pid] = pids;
    assert.ok(pid !== undefined);
    assert.throws(() => process.kill(pid, 0), 'agent is gone');
    assert.equal((await netnsWithPrefix(other)).length, 4, 'another prefix is untouched');
    assert.deepEqual((await cleanupLocal({ prefix: mine })).netns, [], 'idempotent');
    await assert.rejects(cleanupLocal({ prefix: 'notcnb-' }), /must start with cnb-/);
  } finally {
    await bystander.destroy();
    await cleanupLocal({ prefix: mine });
  }
});

test('cnibench cleanup --run-id removes one run and prints what it removed', async () => {
  const runId = testRunId();
  await leftBehind(runId);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'cleanup', '--run-id', runId]);
    assert.match(stdout, new RegExp(`removed network namespace ${runId}-p0`));
    assert.match(stdout, /stopped 1 process/);
    assert.deepEqual(await netnsWithPrefix(runId), []);
    const again = await promisify(execFile)(process.execPath, [cli, 'cleanup', '--run-id', runId]);
    assert.match(again.stdout, /nothing to remove/);
    await assert.rejects(
      promisify(execFile)(process.execPath, [cli, 'cleanup', '--prefix', 'foo']),
      (err: { code?: number }) => {
        assert.equal(err.code, 2);
        return true;
      },
    );
  } finally {
    await cleanupLocal({ prefix: runId });
  }
});

test('a run id names every candidate cluster of the run; a cluster id names one', async () => {
  const { localRunPrefix } = await import('../../../src/cli/commands/cleanup.js');
  const { candidateObjectId } = await import('../../../src/run/local-candidate.js');
  const runDir = '20261124-221503-a1b2c3';
  assert.equal(candidateObjectId(runDir, 0), 'cnb-a1b2c30');
  assert.equal(candidateObjectId(runDir, 11), 'cnb-a1b2c3b');
  assert.throws(() => candidateObjectId(runDir, 36), /at most 36 candidates/);
  for (const id of [runDir, 'cnb-a1b2c3']) {
    const prefix = localRunPrefix(id);
    assert.equal(prefix, 'cnb-a1b2c3');
    assert.ok(`${candidateObjectId(runDir, 1)}-n0`.startsWith(prefix));
    assert.ok(!'cnb-a1b2c4-n0'.startsWith(prefix));
  }
  assert.equal(localRunPrefix('cnb-a1b2c31'), 'cnb-a1b2c31-');
  assert.equal(localRunPrefix('cnb-t12345'), 'cnb-t12345-');
});
