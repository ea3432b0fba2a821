/**
 * iperf3 JSON parsing on the captured error report of a refused connection
 * (test/fixtures/tool-output/iperf3-error.json) and made-up reports; the parse of real runs is in
 * iperf3-run.netns.test.ts (it runs iperf3, so it belongs to the tier that uses the machine).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { iperf3ClientArgv, parseIperf3Tcp, parseIperf3Udp } from '../../../src/workloads/tools/iperf3.js';
import { MeasurementError } from '../../../src/workloads/tools/tool.js';
import { PROJECT_ROOT } from '../../../src/util/version.js';

describe('iperf3 JSON', () => {
  test('an error report becomes a MeasurementError naming the run', () => {
    const fixture: unknown = JSON.parse(
      readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/tool-output/iperf3-error.json'), 'utf8'),
    );
    assert.throws(
      () => parseIperf3Tcp(fixture, 'iperf3 on path cross-node (a/b → 10.0.0.2:5201)'),
      (err: unknown) =>
        err instanceof MeasurementError &&
        /path cross-node/.test(err.message) &&
        /unable to connect to server: Connection refused/.test(err.message),
    );
    assert.throws(() => parseIperf3Udp(fixture, 'udp run'), /udp run: iperf3: unable to connect/);
  });

  test('a report without the expected figure is an error, not a zero', () => {
    assert.throws(
      () => parseIperf3Tcp({ start: {}, end: { sum_sent: { bits_per_second: 1 } } }, 'x'),
      /no numeric end\.sum_received\.bits_per_second/,
    );
  });

  test('client argv: whole seconds, streams, JSON, UDP rate', () => {
    assert.deepEqual(iperf3ClientArgv('10.0.0.2', { duration: 1.4, streams: 4, port: 5201, udpRate: '1G' }), [
      'iperf3',
      '-c',
      '10.0.0.2',
      '-p',
      '5201',
      '-t',
      '1',
      '-P',
      '4',
      '--connect-timeout',
      '3000',
      '--json',
      '-u',
      '-b',
      '1G',
    ]);
  });
});
