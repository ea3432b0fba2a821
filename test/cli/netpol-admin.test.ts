/**
 * `cnibench netpol validate | expect | explain` on case files with admin-tier policies: positioned
 * errors and exit 2 for invalid objects and for mixed API versions (once through the real
 * executable), the truth table in the same JSON shape as for NetworkPolicy, ties warned about on
 * stderr. The other commands run in this process, as in netpol.test.ts (netpol-runner.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoPath } from '../helpers/paths.js';
import { cnibench, cnibenchProcess } from './netpol-runner.js';

const FIXTURES = repoPath('test/fixtures/cases') + '/';

describe('cnibench netpol with admin-tier policies', () => {
  test('validate names the admin-tier objects it found', async () => {
    const r = await cnibench('netpol', 'validate', join(FIXTURES, 'admin-tier.yaml'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /valid case "admin-tier-sample" \(2 pods, 1 policies, 2 ClusterNetworkPolicies, 2 probes\)/,
    );
  });

  test('expect --output json: the same shape as for NetworkPolicy, self pairs included, no warning', async () => {
    const r = await cnibench('netpol', 'expect', join(FIXTURES, 'admin-tier.yaml'), '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    // 80: y/b passes the Admin tier and the NetworkPolicy allows it into x/a; x/a itself is isolated
    // by the NetworkPolicy; y/b is reached by nobody (Baseline Deny, no NetworkPolicy in y).
    // 81: the Admin tier denies y/b -> x/a; the rest as on 80.
    const deny = { 'x/a': false, 'y/b': false };
    assert.deepEqual(JSON.parse(r.stdout), {
      name: 'admin-tier-sample',
      probes: [
        { port: 80, protocol: 'TCP', allowed: { 'x/a': deny, 'y/b': { 'x/a': true, 'y/b': false } } },
        { port: 81, protocol: 'TCP', allowed: { 'x/a': deny, 'y/b': deny } },
      ],
    });
  });

  test('explain names tier, policy, rule and action for each direction', async () => {
    const file = join(FIXTURES, 'admin-tier.yaml');
    const r80 = await cnibench('netpol', 'explain', file, '--from', 'y/b', '--to', 'x/a', '--port', '80');
    assert.equal(r80.code, 0, r80.stderr);
    assert.match(r80.stdout, /^y\/b -> x\/a 80\/TCP: ALLOWED/);
    assert.match(
      r80.stdout,
      /ingress at x\/a: allowed \(passed to NetworkPolicy by ClusterNetworkPolicy "pass-y-on-80" \(priority 10\) ingress rule 1 "pass-80" \(Pass\); NetworkPolicy: allowed by x\/allow-y ingress rule 1\)/,
    );
    const r81 = await cnibench('netpol', 'explain', file, '--from', 'y/b', '--to', 'x/a', '--port', '81');
    assert.match(
      r81.stdout,
      /ingress at x\/a: DENIED \(Admin tier: ClusterNetworkPolicy "pass-y-on-80" \(priority 10\) ingress rule 2 "deny-y" \(Deny\)\)/,
    );
    const back = await cnibench(
      'netpol',
      'explain',
      file,
      '--from',
      'x/a',
      '--to',
      'y/b',
      '--port',
      '80',
      '--json',
    );
    const e = JSON.parse(back.stdout) as { allowed: boolean; tiers: { ingress: { decidedBy: string } } };
    assert.equal(e.allowed, false);
    assert.equal(e.tiers.ingress.decidedBy, 'baseline');
  });

  test('an invalid ClusterNetworkPolicy: exit 2, every problem with file:line:col, field and object', () => {
    const file = join(FIXTURES, 'admin-tier-invalid.yaml');
    const r = cnibenchProcess('netpol', 'validate', file);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    const expect: Array<[number, string, string]> = [
      [8, 'clusterNetworkPolicies[0].metadata.namespace', 'cluster-scoped'],
      [11, 'clusterNetworkPolicies[0].spec.priority', '1001 must be between 0 and 1000'],
      [12, 'clusterNetworkPolicies[0].spec.subject', 'exactly one of namespaces, pods'],
      [14, 'clusterNetworkPolicies[0].spec.ingress[0].action', 'must be one of "Accept", "Deny", "Pass"'],
      [17, 'clusterNetworkPolicies[0].spec.egress[0]', 'named port cannot be used with a networks peer'],
      [18, 'clusterNetworkPolicies[0].spec.egress[0].to[0].networks[0]', 'Invalid CIDR format provided'],
      [
        20,
        'clusterNetworkPolicies[0].spec.egress[0].protocols[0].tcp.destinationPort.range',
        'Start port must be less than End port',
      ],
      [22, 'clusterNetworkPolicies[0].spec.egress[0].portz', 'unknown field "portz"'],
    ];
    assert.equal(lines.length, expect.length, r.stderr);
    expect.forEach(([line, path, text], i) => {
      const l = lines[i] ?? '';
      assert.ok(l.includes(`${file}:${line}:`), l);
      assert.ok(l.includes(` ${path}: ClusterNetworkPolicy "broken": `), l);
      assert.ok(l.includes(text), l);
    });
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  test('v1alpha1 and v1alpha2 objects in one case: exit 2', async () => {
    const r = await cnibench('netpol', 'expect', join(FIXTURES, 'admin-tier-mixed.yaml'));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /admin-tier-mixed\.yaml:11:3 adminNetworkPolicies: a case may not mix v1alpha1 .* with v1alpha2/,
    );
  });

  test('equal priorities that disagree: the table still prints, and stderr names both policies', async () => {
    const r = await cnibench('netpol', 'expect', join(FIXTURES, 'admin-tier-tie.yaml'), '--output', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as { probes?: unknown }).probes);
    assert.match(
      r.stderr,
      /^warning: Admin tier: AdminNetworkPolicy "allow-all" and AdminNetworkPolicy "deny-y" have the same priority \(7\)/,
    );
  });
});
