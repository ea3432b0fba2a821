import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { probeCommand } from '../../../src/cluster/kube/probe.js';
import { parseConnectOutput } from '../../../src/cluster/kube/probe-verdict.js';
import { exitCodeOf } from '../../../src/cluster/kube/exec.js';

describe('agnhost connect probes', () => {
  test('command line: address, Go duration timeout, protocol; IPv6 in brackets', () => {
    assert.deepEqual(probeCommand({ toIp: '10.0.0.5', port: 80, protocol: 'TCP' }, 1000), [
      '/agnhost',
      'connect',
      '10.0.0.5:80',
      '--timeout=1000ms',
      '--protocol=tcp',
    ]);
    assert.equal(probeCommand({ toIp: 'fd00::5', port: 53, protocol: 'UDP' }, 250)[2], '[fd00::5]:53');
    assert.equal(probeCommand({ toIp: '10.0.0.5', port: 9, protocol: 'SCTP' }, 1)[4], '--protocol=sctp');
  });

  test('verdicts need output and exit status to agree', () => {
    assert.deepEqual(parseConnectOutput({ stdout: '', stderr: '', exitCode: 0 }), {
      connected: true,
      inconclusive: false,
    });
    assert.deepEqual(parseConnectOutput({ stdout: '', stderr: 'TIMEOUT\n', exitCode: 1 }), {
      connected: false,
      error: 'timeout',
      inconclusive: false,
    });
    assert.deepEqual(parseConnectOutput({ stdout: '', stderr: 'REFUSED\n', exitCode: 1 }), {
      connected: false,
      error: 'refused',
      inconclusive: false,
    });
    assert.deepEqual(
      parseConnectOutput({ stdout: '', stderr: 'OTHER: dial tcp: i/o error\n', exitCode: 1 }),
      {
        connected: false,
        error: 'other: dial tcp: i/o error',
        inconclusive: false,
      },
    );
    for (const bad of [
      { stdout: 'hello', stderr: '', exitCode: 0 },
      { stdout: '', stderr: 'TIMEOUT\n', exitCode: 0 },
      { stdout: '', stderr: '', exitCode: 1 },
      { stdout: '', stderr: 'UNKNOWN: missing port in address\n', exitCode: 1 },
      { stdout: '', stderr: 'container not found', exitCode: -1 },
      { stdout: '', stderr: 'sh: /agnhost: not found', exitCode: 127 },
    ]) {
      const v = parseConnectOutput(bad);
      assert.equal(v.connected, false, JSON.stringify(bad));
      assert.equal(v.inconclusive, true, JSON.stringify(bad));
      assert.match(v.error ?? '', /^probe-failed: /);
    }
  });

  test('exit codes come from the Status frame', () => {
    assert.equal(exitCodeOf({ status: 'Success' }), 0);
    assert.equal(
      exitCodeOf({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: '2' }] },
      }),
      2,
    );
    assert.equal(exitCodeOf({ status: 'Failure', reason: 'InternalError', message: 'boom' }), undefined);
    assert.equal(exitCodeOf(undefined), undefined);
  });
});
