import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinSuite,
  filterByTags,
  SUITE_TAGS,
  podIp,
  NAMESPACES,
  POD_NAMES,
  isAdminTierCase,
} from '../../../src/netpol/suite/index.js';
import { resolveCase } from '../../../src/netpol/resolve.js';
import { validateNetworkPolicy } from '../../../src/netpol/validate.js';
import { computeTruthTable } from '../../../src/netpol/truth-table.js';
import { checkCaseText, caseToYaml } from '../../../src/netpol/case-file.js';
import type { PolicyCase, TruthTable } from '../../../src/netpol/types.js';
import { must } from '../../helpers/must.js';

const suite = builtinSuite();
/** The NetworkPolicy cases (3×3 layout); the admin tier has its own layout and tests (admin-suite.test.ts). */
const npSuite = suite.filter((c) => !isAdminTierCase(c.tags ?? []));
const byName = (name: string): PolicyCase => {
  const c = suite.find((x) => x.name === name);
  assert.ok(c, `no built-in case ${name}`);
  return c;
};
const table = (name: string): TruthTable => computeTruthTable(resolveCase(byName(name)));
const KEYS = NAMESPACES.flatMap((ns) => POD_NAMES.map((p) => `${ns}/${p}`));

/** Asserts every cell of one probe's grid against a hand-derived rule, listing all mismatches. */
function expectGrid(t: TruthTable, probe: string, rule: (from: string, to: string) => boolean): void {
  const p = t.probes.find((q) => `${q.protocol}/${q.port}` === probe);
  assert.ok(p, `${t.name} has no probe ${probe}`);
  const wrong: string[] = [];
  for (const from of KEYS)
    for (const to of KEYS) {
      const want = rule(from, to);
      if (p.allowed[from]?.[to] !== want) wrong.push(`${from}->${to} want ${want}`);
    }
  assert.deepEqual(wrong, [], `${t.name} ${probe}`);
}
const ns = (key: string) => key.split('/')[0];

describe('built-in suite: shape', () => {
  test('has at least 200 cases with unique kebab-case names', () => {
    assert.ok(suite.length >= 200, `only ${suite.length} cases`);
    assert.equal(new Set(suite.map((c) => c.name)).size, suite.length);
    for (const c of suite) assert.match(c.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, c.name);
  });

  test('is deterministic', () => {
    assert.deepEqual(builtinSuite(), suite);
  });

  test('uses only known tags, and every tag is used', () => {
    const used = new Set<string>();
    for (const c of suite) {
      assert.ok(c.tags && c.tags.length > 0, `${c.name} has no tags`);
      for (const t of c.tags) {
        assert.ok((SUITE_TAGS as readonly string[]).includes(t), `${c.name}: unknown tag ${t}`);
        used.add(t);
      }
    }
    assert.deepEqual(
      [...SUITE_TAGS].filter((t) => !used.has(t)),
      [],
    );
  });

  test('SCTP cases carry only SCTP probes, other cases none', () => {
    const sctp = npSuite.filter((c) => c.tags?.includes('protocol:sctp'));
    assert.ok(sctp.length >= 10, `${sctp.length} SCTP cases`);
    for (const c of npSuite) {
      const hasSctp = c.probes.some((p) => p.protocol === 'SCTP');
      assert.equal(hasSctp, c.tags?.includes('protocol:sctp'), c.name);
      if (hasSctp)
        assert.ok(
          c.probes.every((p) => p.protocol === 'SCTP'),
          `${c.name} mixes SCTP with other probes`,
        );
      else
        assert.deepEqual(
          c.probes.map((p) => `${p.protocol}/${p.port}`),
          ['TCP/80', 'TCP/81', 'UDP/80', 'UDP/81'],
        );
    }
  });

  test('has the hand-written upstream e2e cases', () => {
    const up = suite.filter((c) => c.tags?.includes('upstream-e2e'));
    assert.ok(up.length >= 30, `${up.length} upstream cases`);
    for (const name of [
      'upstream-default-deny-ingress',
      'upstream-default-deny-egress',
      'upstream-named-port-ingress',
      'upstream-endport-ingress-from-namespace',
      'upstream-egress-to-cidr',
    ])
      byName(name);
  });
});

describe('built-in suite: validity', () => {
  test('every policy passes API validation', () => {
    const problems = suite.flatMap((c) =>
      c.policies.flatMap((p) =>
        validateNetworkPolicy(p).map((q) => `${c.name} ${p.metadata.name} ${q.path.join('.')}: ${q.message}`),
      ),
    );
    assert.deepEqual(problems, []);
  });

  test('every case resolves and its truth table covers every ordered pair', () => {
    for (const c of npSuite) {
      const r = resolveCase(c);
      assert.equal(r.pods.length, 9, c.name);
      const t = computeTruthTable(r);
      assert.equal(t.probes.length, c.probes.length, c.name);
      for (const p of t.probes) {
        assert.deepEqual(Object.keys(p.allowed).sort(), [...KEYS].sort(), c.name);
        for (const row of Object.values(p.allowed)) assert.equal(Object.keys(row).length, 9, c.name);
      }
    }
  });

  test('podIp agrees with the addresses resolveCase assigns', () => {
    const r = resolveCase(must(suite[0], 'the first built-in case'));
    for (const pod of r.pods) assert.equal(pod.ip, podIp(pod.namespace as 'x', pod.name as 'a'), pod.key);
    assert.equal(podIp('y', 'b'), '10.244.2.11');
  });

  test('every case survives a YAML export and reload unchanged', () => {
    for (const c of suite) {
      const check = checkCaseText(`${c.name}.yaml`, caseToYaml(c));
      assert.deepEqual(check.problems, [], c.name);
      assert.deepEqual(check.value, c, c.name);
    }
  });
});

describe('built-in suite: filters', () => {
  test('tags narrow by intersection and exclusion', () => {
    const ingress = filterByTags(suite, { tags: ['direction:ingress'] });
    assert.ok(ingress.length > 0 && ingress.every((c) => c.tags?.includes('direction:ingress')));
    const narrow = filterByTags(suite, { tags: ['direction:ingress', 'peer:ip-block'] });
    assert.ok(narrow.length > 0 && narrow.length < ingress.length);
    assert.ok(narrow.every((c) => c.tags?.includes('peer:ip-block') && c.tags.includes('direction:ingress')));
    const noSctp = filterByTags(suite, { excludeTags: ['protocol:sctp'] });
    assert.equal(noSctp.length, suite.length - filterByTags(suite, { tags: ['protocol:sctp'] }).length);
    assert.ok(noSctp.every((c) => c.probes.every((p) => p.protocol !== 'SCTP')));
    assert.deepEqual(filterByTags(suite), suite);
  });

  test('protocols drop probes, then empty cases, and retag', () => {
    const tcp = filterByTags(suite, { protocols: ['TCP'] });
    assert.equal(tcp.length, suite.filter((c) => c.probes.some((p) => p.protocol === 'TCP')).length);
    for (const c of tcp) {
      assert.ok(
        c.probes.every((p) => p.protocol === 'TCP'),
        c.name,
      );
      assert.ok(c.tags?.includes('protocol:tcp') && !c.tags.includes('protocol:udp'), c.name);
    }
    // The input is not mutated.
    assert.ok(suite.some((c) => c.probes.some((p) => p.protocol === 'UDP')));
  });
});

describe('built-in suite: hand-derived truth tables', () => {
  test('default-deny ingress in x: nothing reaches x/*, other namespaces unaffected', () => {
    const t = table('upstream-default-deny-ingress');
    for (const probe of ['TCP/80', 'TCP/81', 'UDP/80', 'UDP/81'])
      expectGrid(t, probe, (_f, to) => ns(to) !== 'x');
  });

  test('allow only from another namespace: x/a accepts y only', () => {
    const t = table('upstream-allow-from-other-namespace');
    for (const probe of ['TCP/80', 'UDP/81'])
      expectGrid(t, probe, (from, to) => to !== 'x/a' || ns(from) === 'y');
  });

  test('egress CIDR with except: x/a reaches y/a and y/c only', () => {
    const t = table('upstream-egress-cidr-except');
    expectGrid(t, 'TCP/80', (from, to) => from !== 'x/a' || to === 'y/a' || to === 'y/c');
  });

  test('deny all but one: only z/c reaches x/a, and only on TCP 80', () => {
    const t = table('upstream-deny-all-but-one');
    expectGrid(t, 'TCP/80', (from, to) => ns(to) !== 'x' || (to === 'x/a' && from === 'z/c'));
    expectGrid(t, 'TCP/81', (_f, to) => ns(to) !== 'x');
    expectGrid(t, 'UDP/80', (_f, to) => ns(to) !== 'x');
  });

  test('client-side egress denial beats a server that allows', () => {
    const t = table('upstream-client-side-egress-denial');
    expectGrid(t, 'TCP/80', (from, to) => {
      if (from === 'x/a' && ns(to) !== 'y') return false; // x/a may only send to y
      if (to === 'y/a' || to === 'z/a') return from === 'x/a'; // both accept only x/a
      return true;
    });
  });

  test('egress: [] without policyTypes isolates ingress only', () => {
    const t = table('pathological-no-policy-types-empty-egress-list');
    expectGrid(t, 'UDP/80', (_f, to) => to !== 'x/a');
  });

  test('generated pod-and-namespace peer on TCP 80: only y/b reaches x/a, only on TCP 80', () => {
    const t = table('ingress-x-pod-a-from-ns-y-pods-b-on-tcp-80');
    expectGrid(t, 'TCP/80', (from, to) => to !== 'x/a' || from === 'y/b');
    expectGrid(t, 'TCP/81', (_f, to) => to !== 'x/a');
    expectGrid(t, 'UDP/80', (_f, to) => to !== 'x/a');
  });

  test('named port: serve-81-tcp opens only TCP 81', () => {
    const t = table('ingress-x-pod-a-from-any-peer-on-named-serve-81-tcp');
    expectGrid(t, 'TCP/81', () => true);
    expectGrid(t, 'TCP/80', (_f, to) => to !== 'x/a');
    expectGrid(t, 'UDP/81', (_f, to) => to !== 'x/a');
  });

  test('ipBlock except: y and z/c are cut out of 10.244.0.0/16', () => {
    const t = table('egress-x-all-pods-to-cidr-except-y-and-z-c-on-any-port');
    expectGrid(t, 'UDP/81', (from, to) => ns(from) !== 'x' || (ns(to) !== 'y' && to !== 'z/c'));
  });

  test('a TCP-only policy isolates x/a for SCTP', () => {
    const t = table('sctp-tcp-policy-isolates-sctp');
    expectGrid(t, 'SCTP/80', (_f, to) => to !== 'x/a');
    expectGrid(t, 'SCTP/81', (_f, to) => to !== 'x/a');
  });

  test('ingress in x from y, egress in y to z: y cannot reach x after all', () => {
    const t = table('multi-ingress-in-x-egress-in-y');
    expectGrid(t, 'TCP/80', (from, to) => {
      if (ns(from) === 'y' && ns(to) !== 'z') return false;
      if (ns(to) === 'x') return ns(from) === 'y';
      return true;
    });
  });
});
