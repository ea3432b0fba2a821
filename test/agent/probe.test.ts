/**
 * The agent's batched probe mode for real clusters (`probe --porter`, src/agent/probe.ts) on loopback:
 * TCP judged as `agnhost connect` judges (connected at the handshake, the porter's name read when it
 * answers), SCTP through an agnhost binary whose output comes back unjudged, and the strict flags
 * every agent mode now parses with node:util parseArgs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../src/agent/args.js';
import { parseProbeArgs, porterAnswer, probeTargets } from '../../src/agent/probe.js';
import { runRrClient } from '../../src/agent/rr.js';
import { runServe } from '../../src/agent/serve.js';

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('probe --porter', () => {
  test('TCP is connected at the handshake; answeredBy only when the porter answers in time', async (t) => {
    const porter = net.createServer((s) => {
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nx/a'));
      s.on('error', () => undefined);
    });
    // Accepts and says nothing: what a policy-passing but mute server looks like.
    const silent = net.createServer((s) => s.on('error', () => undefined));
    const p1 = await listen(porter);
    const p2 = await listen(silent);
    t.after(() => {
      porter.close();
      silent.close();
    });
    const results = await probeTargets(
      [
        { to: 'x/a', host: '127.0.0.1', port: p1, protocol: 'TCP' },
        { to: 'x/b', host: '127.0.0.1', port: p2, protocol: 'TCP' },
      ],
      { timeoutMs: 300, concurrency: 2, porter: true },
    );
    assert.deepEqual(
      results.map((r) => [r.connected, r.answeredBy, r.error, r.code]),
      [
        [true, 'x/a', undefined, undefined],
        [true, undefined, undefined, undefined],
      ],
    );
    assert.ok((results[1]?.elapsedMs ?? 0) >= 250, 'the silent one waited for its answer until the timeout');
  });

  test('the porter answer is the body of a 200 response, nothing else', () => {
    assert.equal(porterAnswer('HTTP/1.1 200 OK\r\nDate: x\r\nContent-Length: 3\r\n\r\nx/a'), 'x/a');
    assert.equal(porterAnswer('HTTP/1.0 200 OK\r\n\r\ny/b\n'), 'y/b');
    assert.equal(porterAnswer('HTTP/1.1 404 Not Found\r\n\r\nnope'), undefined);
    assert.equal(porterAnswer('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n'), undefined, 'headers not finished');
    assert.equal(porterAnswer('x/a\n'), undefined);
  });

  test('SCTP runs agnhost and returns its output and exit status for the harness to judge', async (t) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cnb-agnhost-'));
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    // A stand-in for agnhost connect: records its arguments, answers per port as agnhost 2.53 would.
    const fake = path.join(dir, 'agnhost');
    await fs.writeFile(
      fake,
      [
        '#!/bin/sh',
        `echo "$@" >> "${dir}/argv"`,
        'case "$2" in',
        '  *:1) exit 0 ;;',
        '  *:2) echo "OTHER: connection refused" >&2; exit 1 ;;',
        '  *:3) sleep 30 ;;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    const target = (port: number) => ({ to: 'y/a', host: 'fd00::5', port, protocol: 'SCTP' as const });
    const results = await probeTargets([target(1), target(2), target(3)], {
      timeoutMs: 100,
      concurrency: 3,
      agnhost: fake,
    });
    assert.deepEqual(
      results.map((r) => [r.connected, r.agnhost?.exitCode, r.agnhost?.stderr.trim()]),
      [
        [true, 0, ''],
        [false, 1, 'OTHER: connection refused'],
        // Hung past agnhost's own timeout plus the grace: killed, no exit status to judge.
        [false, -1, 'agnhost killed after 2100 ms'],
      ],
    );
    const argv = (await fs.readFile(path.join(dir, 'argv'), 'utf8')).trim().split('\n').sort();
    assert.deepEqual(argv[0], 'connect [fd00::5]:1 --timeout=100ms --protocol=sctp');
    const missing = await probeTargets([target(1)], {
      timeoutMs: 100,
      concurrency: 1,
      agnhost: path.join(dir, 'nope'),
    });
    assert.equal(missing[0]?.agnhost?.exitCode, -1);
    assert.match(missing[0]?.agnhost?.stderr ?? '', /ENOENT/);
  });
});

describe('agent flags (node:util parseArgs, strict)', () => {
  test('probe: defaults, repeated --targets, and clear errors', () => {
    const t1 = JSON.stringify([{ to: 'x/a', host: '10.0.0.1', port: 80, protocol: 'TCP' }]);
    const t2 = JSON.stringify([{ to: 'x/b', host: '10.0.0.2', port: 81, protocol: 'UDP' }]);
    assert.deepEqual(parseProbeArgs(['--targets', t1, '--targets', t2]), {
      timeoutMs: 1000,
      concurrency: 64,
      server: false,
      porter: false,
      targets: [
        { to: 'x/a', host: '10.0.0.1', port: 80, protocol: 'TCP' },
        { to: 'x/b', host: '10.0.0.2', port: 81, protocol: 'UDP' },
      ],
    });
    const bad: Array<[string[], RegExp]> = [
      [['--bogus'], /probe: Unknown option '--bogus'/],
      [['--timeout-ms', '0'], /--timeout-ms: expected a positive number, got "0"/],
      [['--concurrency', '2.5'], /--concurrency: expected a positive whole number/],
      [['--targets', '{}'], /targets must be a JSON array/],
      [['--targets', '[{"to":"x/a","host":"h","port":80,"protocol":"ICMP"}]'], /target 0 must be/],
      [['stray'], /Unexpected argument 'stray'/],
    ];
    for (const [args, re] of bad)
      assert.throws(
        () => parseProbeArgs(args),
        (e: Error) => e instanceof UsageError && re.test(e.message),
      );
  });

  test('serve and rr refuse unknown or malformed flags before doing anything', async () => {
    await assert.rejects(runServe(['--name', 'x/a', '--tcp', '80,99999']), /serve: --tcp: bad port "99999"/);
    await assert.rejects(runServe(['--tcp', '80']), /serve: missing --name/);
    await assert.rejects(
      runRrClient(['--target', 'h', '--port', '1', '--engine', 'x']),
      /rr: Unknown option '--engine'/,
    );
    await assert.rejects(
      runRrClient(['--target', 'h', '--port', '1', '--durations', '3']),
      /rr: Unknown option '--durations'/,
    );
  });
});
