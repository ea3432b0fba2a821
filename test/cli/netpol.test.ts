import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCaseFile } from '../../src/netpol/case-file.js';
import { builtinSuite, filterByTags } from '../../src/netpol/suite/index.js';
import { must } from '../helpers/must.js';
import { repoPath } from '../helpers/paths.js';
import { cnibench, cnibenchProcess } from './netpol-runner.js';

const FIXTURES = repoPath('test/fixtures/cases') + '/';
const GOOD = join(FIXTURES, 'good.yaml');

describe('cnibench netpol expect / explain', () => {
  test('expect --output json prints the exact truth table, self pairs included', () => {
    const r = cnibenchProcess('netpol', 'expect', GOOD, '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    // x/a is isolated for ingress and accepts only y/b on TCP 80; y/b is not selected by anything.
    assert.deepEqual(JSON.parse(r.stdout), {
      name: 'allow-y-b-to-x-a',
      probes: [
        {
          port: 80,
          protocol: 'TCP',
          allowed: { 'x/a': { 'x/a': false, 'y/b': true }, 'y/b': { 'x/a': true, 'y/b': true } },
        },
        {
          port: 81,
          protocol: 'TCP',
          allowed: { 'x/a': { 'x/a': false, 'y/b': true }, 'y/b': { 'x/a': false, 'y/b': true } },
        },
      ],
    });
  });

  test('expect prints a grid per probe with a legend', async () => {
    const r = await cnibench('netpol', 'expect', GOOD);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'case allow-y-b-to-x-a',
        'legend: . allowed, X denied; rows are sources (from), columns destinations (to)',
        '',
        'TCP/80  (3/4 allowed)',
        'from\\to x/a y/b',
        'x/a     X   .',
        'y/b     .   .',
        '',
        'TCP/81  (2/4 allowed)',
        'from\\to x/a y/b',
        'x/a     X   .',
        'y/b     X   .',
        '',
      ].join('\n'),
    );
  });

  test('validate reports a valid case in one line', async () => {
    const r = await cnibench('netpol', 'validate', GOOD);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${GOOD}: valid case "allow-y-b-to-x-a" (2 pods, 1 policies, 2 probes)\n`);
    const bad = await cnibench('netpol', 'validate', join(FIXTURES, 'duplicate-pod.yaml'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /duplicate-pod\.yaml:7:27 pods\[2\]\.name: duplicate pod "x\/a"/);
  });

  test('expect accepts a built-in case name', async () => {
    const r = await cnibench('netpol', 'expect', 'upstream-default-deny-ingress', '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    const t = JSON.parse(r.stdout) as { probes: Array<{ allowed: Record<string, Record<string, boolean>> }> };
    assert.equal(t.probes.length, 4);
    assert.equal(t.probes[0]?.allowed['y/a']?.['x/b'], false);
    assert.equal(t.probes[0]?.allowed['x/a']?.['y/b'], true);
  });

  test('explain names the policy that denies', async () => {
    const r = await cnibench(
      'netpol',
      'explain',
      'upstream-default-deny-ingress',
      '--from',
      'y/a',
      '--to',
      'x/b',
      '--port',
      '80',
      '--protocol',
      'udp',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^y\/a -> x\/b 80\/UDP: DENIED\n/);
    assert.match(r.stdout, /ingress at x\/b: DENIED \(isolated by x\/deny-ingress\)/);
  });

  test('bad input exits 2 with every problem on stderr', async () => {
    const bad = cnibenchProcess('netpol', 'expect', join(FIXTURES, 'many-problems.yaml'));
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr.trim().split('\n').length, 5);
    assert.match(
      bad.stderr,
      /^cnibench: .*many-problems\.yaml:5:30 pods\[0\]\.colour: unknown key "colour"\n/,
    );
    assert.match(
      bad.stderr,
      /many-problems\.yaml:17:13 probes\[0\]\.port: a port must be between 1 and 65535/,
    );
    const missing = await cnibench('netpol', 'expect', 'upstream-default-deny-ingres');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /did you mean "upstream-default-deny-ingress"\?/);
    const pod = await cnibench('netpol', 'explain', GOOD, '--from', 'x/zz', '--to', 'y/b', '--port', '80');
    assert.equal(pod.code, 2);
    assert.match(pod.stderr, /no pod "x\/zz"/);
    const proto = await cnibench(
      'netpol',
      'explain',
      GOOD,
      '--from',
      'x/a',
      '--to',
      'y/b',
      '--port',
      '80',
      '--protocol',
      'ICMP',
    );
    assert.equal(proto.code, 2);
    assert.match(proto.stderr, /unsupported protocol "ICMP"/);
    const noPort = await cnibench('netpol', 'explain', GOOD, '--from', 'x/a', '--to', 'y/b');
    assert.equal(noPort.code, 2);
    assert.match(noPort.stderr, /Missing required argument: port/);
    const zero = await cnibench('netpol', 'explain', GOOD, '--from', 'x/a', '--to', 'y/b', '--port', '0');
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--port 0: must be a whole number between 1 and 65535/);
  });
});

describe('cnibench netpol suite', () => {
  test('list --json with tags', async () => {
    const r = await cnibench(
      'netpol',
      'suite',
      'list',
      '--json',
      '--tag',
      'upstream-e2e',
      '--tag',
      'protocol:sctp',
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<{ name: string; tags: string[]; policies: number }>;
    const want = filterByTags(builtinSuite(), { tags: ['upstream-e2e', 'protocol:sctp'] });
    assert.deepEqual(
      rows,
      want.map((c) => ({ name: c.name, tags: c.tags, policies: c.policies.length })),
    );
    assert.ok(rows.length >= 3);
    const unknown = await cnibench('netpol', 'suite', 'list', '--tag', 'peer:ipblock');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /did you mean "peer:ip-block"/);
  });

  test('export writes reloadable case files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnibench-cli-export-'));
    try {
      const r = await cnibench('netpol', 'suite', 'export', dir, '--tag', 'protocol:sctp');
      assert.equal(r.code, 0, r.stderr);
      const want = filterByTags(builtinSuite(), { tags: ['protocol:sctp'] });
      assert.equal(r.stdout, `wrote ${want.length} case files to ${dir}\n`);
      assert.equal(readdirSync(dir).length, want.length);
      const first = must(want[0], 'an SCTP case');
      assert.deepEqual(loadCaseFile(join(dir, `${first.name}.yaml`)), first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('expect summarizes allowed pairs per case', async () => {
    const r = await cnibench('netpol', 'suite', 'expect', '--tag', 'upstream-e2e', '--json');
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as {
      cases: number;
      results: Array<{ name: string; allowed: number; total: number }>;
    };
    assert.equal(s.cases, filterByTags(builtinSuite(), { tags: ['upstream-e2e'] }).length);
    const deny = s.results.find((x) => x.name === 'upstream-default-deny-ingress');
    // 4 probes × (81 pairs − 27 into x).
    assert.deepEqual(deny && { allowed: deny.allowed, total: deny.total }, {
      allowed: 4 * 54,
      total: 4 * 81,
    });
    const text = await cnibench('netpol', 'suite', 'expect', '--tag', 'pathological');
    assert.equal(text.code, 0, text.stderr);
    const n = filterByTags(builtinSuite(), { tags: ['pathological'] }).length;
    assert.match(
      text.stdout,
      new RegExp(`\\n${n} cases, \\d+ of ${n * 4 * 81} probed pairs allowed by the model\\n$`),
    );
  });
});
