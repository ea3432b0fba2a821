import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, kernelHasSctp, localPreflight } from '../../../src/cluster/local/preflight.js';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { EnvironmentError, ExitCode } from '../../../src/util/errors.js';

test('preflight passes here (root, tools installed)', async () => {
  await localPreflight();
  assert.ok(await findExecutable('nft'));
});

test('preflight names the Debian packages when tools are missing, and root when not root', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'cnb-path-'));
  await assert.rejects(localPreflight({ path: empty, uid: 1000 }), (err: unknown) => {
    assert.ok(err instanceof EnvironmentError);
    assert.equal(err.exitCode, ExitCode.environment);
    assert.match(err.message, /needs root/);
    assert.match(err.message, /apt-get install iproute2 nftables iperf3 iputils-ping util-linux/);
    assert.match(err.message, /missing tools: ip, bridge, nft, iperf3, ping, tc, taskset/);
    return true;
  });
});

test('capabilities follow the kernel: SCTP only when the kernel and the agent have it', async () => {
  const caps = new LocalDriver({ mode: 'routed' }).capabilities();
  assert.deepEqual(caps.paths, ['same-node', 'cross-node', 'baseline', 'service']);
  assert.ok(caps.protocols.includes('TCP') && caps.protocols.includes('UDP'));
  // The Node.js agent cannot open SCTP sockets, so SCTP stays out even on a kernel that has it.
  assert.equal(caps.protocols.includes('SCTP'), false);
  assert.equal(typeof (await kernelHasSctp()), 'boolean');
});
