/**
 * The admin-tier groups of the built-in suite: size and tags, validity (every case loads through
 * the case-file validator), the shared layout, and for every generated case a truth table derived by
 * hand from the API documentation (not from the model), checked cell by cell against the model.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { caseToYaml, checkCaseText } from '../../../src/netpol/case-file.js';
import { resolveCase } from '../../../src/netpol/resolve.js';
import { computeTruthTableWithTies } from '../../../src/netpol/truth-table.js';
import {
  adminTierSuite,
  builtinSuite,
  filterByTags,
  isAdminTierCase,
  SUITE_TAGS,
} from '../../../src/netpol/suite/index.js';
import { HOUSES, housePodIp, type House } from '../../../src/netpol/suite/admin-layout.js';
import type { AdminTierApi, PolicyCase, Probe } from '../../../src/netpol/types.js';

const suite = builtinSuite();
const admin = suite.filter((c) => isAdminTierCase(c.tags ?? []));

describe('admin-tier suite: shape', () => {
  test('at least 100 cases per API version, tagged with its group', () => {
    const cnp = filterByTags(suite, { tags: ['cluster-network-policy'] });
    const anp = filterByTags(suite, { tags: ['admin-network-policy'] });
    assert.ok(cnp.length >= 100, `${cnp.length} cluster-network-policy cases`);
    assert.ok(anp.length >= 100, `${anp.length} admin-network-policy cases`);
    assert.equal(cnp.length + anp.length, admin.length);
    for (const c of cnp) {
      assert.ok(c.name.startsWith('cnp-'), c.name);
      assert.ok((c.clusterNetworkPolicies?.length ?? 0) > 0, c.name);
      assert.equal(c.adminNetworkPolicies, undefined, c.name);
      assert.equal(c.baselineAdminNetworkPolicy, undefined, c.name);
    }
    for (const c of anp) {
      assert.ok(c.name.startsWith('anp-'), c.name);
      assert.equal(c.clusterNetworkPolicies, undefined, c.name);
      assert.ok(
        (c.adminNetworkPolicies?.length ?? 0) > 0 || c.baselineAdminNetworkPolicy !== undefined,
        c.name,
      );
    }
    assert.deepEqual(adminTierSuite('v1alpha2'), cnp);
    assert.deepEqual(adminTierSuite('v1alpha1'), anp);
  });

  test('the admin tier comes after every NetworkPolicy case (one layout switch per run)', () => {
    const first = suite.findIndex((c) => isAdminTierCase(c.tags ?? []));
    assert.ok(first > 0);
    assert.ok(suite.slice(first).every((c) => isAdminTierCase(c.tags ?? [])));
  });

  test('every tag is in the vocabulary; each case says which tiers and actions it exercises', () => {
    for (const c of admin) {
      for (const t of c.tags ?? [])
        assert.ok((SUITE_TAGS as readonly string[]).includes(t), `${c.name}: ${t}`);
      assert.ok(
        c.tags?.some((t) => t.startsWith('tier:')),
        c.name,
      );
      assert.ok(
        c.tags?.some((t) => t.startsWith('action:')),
        c.name,
      );
      assert.ok(
        c.tags?.some((t) => t.startsWith('direction:')),
        c.name,
      );
    }
    assert.equal(filterByTags(admin, { tags: ['upstream-conformance'] }).length, 116);
  });

  test('one layout: the four houses, two pods each, the same ports; addresses as housePodIp says', () => {
    const first = admin[0];
    assert.ok(first);
    for (const c of admin) {
      assert.deepEqual(c.pods, first.pods, c.name);
      assert.deepEqual(c.namespaces, first.namespaces, c.name);
    }
    const r = resolveCase(first);
    assert.equal(r.pods.length, 8);
    for (const h of HOUSES)
      for (const i of [0, 1] as const) {
        const pod = r.pods.find(
          (p) => p.namespace === `network-policy-conformance-${h}` && p.name.endsWith(`-${i}`),
        );
        assert.equal(pod?.ip, housePodIp(h, i));
      }
  });
});

describe('admin-tier suite: validity', () => {
  test('every case survives a YAML export and reload through the validator, unchanged', () => {
    for (const c of admin) {
      const check = checkCaseText(`${c.name}.yaml`, caseToYaml(c));
      assert.deepEqual(check.problems, [], c.name);
      assert.deepEqual(check.value, c, c.name);
    }
  });

  test('no case depends on an equal-priority tie (its outcome would be implementation-defined)', () => {
    for (const c of admin) assert.deepEqual(computeTruthTableWithTies(resolveCase(c)).ties, [], c.name);
  });
});

// --- Hand-derived expectations for the generated cases ---

interface Pair {
  /** Houses and pod indexes of the two ends, and the probe. */
  f: House;
  fi: number;
  t: House;
  ti: number;
  probe: string;
}
type Rule = (p: Pair) => boolean;

const G = 'gryffindor';
const S = 'slytherin';
const H = 'hufflepuff';
const R = 'ravenclaw';

/** For a direction: the subject end (where the policy is evaluated) and the other end. */
const sides = (d: 'ingress' | 'egress', p: Pair) =>
  d === 'ingress'
    ? { sub: p.t, subI: p.ti, other: p.f, otherI: p.fi }
    : { sub: p.f, subI: p.fi, other: p.t, otherI: p.ti };

function tierRules(): Record<string, Rule> {
  const out: Record<string, Rule> = {};
  for (const d of ['ingress', 'egress'] as const) {
    const onG =
      (f: (o: House, subI: number) => boolean): Rule =>
      (p) => {
        const s = sides(d, p);
        return s.sub !== G || f(s.other, s.subI);
      };
    out[`tiers-accept-over-np-deny-${d}`] = onG((o) => o === R);
    out[`tiers-deny-over-np-allow-${d}`] = onG((o) => o !== S);
    out[`tiers-pass-to-np-allow-${d}`] = onG((o) => o === S);
    out[`tiers-pass-to-np-deny-${d}`] = onG((o) => o === R || o === H);
    out[`tiers-pass-to-baseline-${d}`] = onG((o) => o !== S);
    out[`tiers-baseline-under-np-${d}`] = onG((o, subI) => subI === 0 && o === S);
    out[`tiers-baseline-accept-under-np-deny-${d}`] = onG(() => false);
  }
  return out;
}

const intoG =
  (f: (p: Pair) => boolean): Rule =>
  (p) =>
    p.t !== G || f(p);
const fromG =
  (f: (p: Pair) => boolean): Rule =>
  (p) =>
    p.f !== G || f(p);

const GENERATED: Record<string, Rule> = {
  ...tierRules(),
  'priority-lower-value-first-deny': intoG(() => false),
  'priority-lower-value-first-accept': intoG((p) => p.f === S),
  'priority-extremes': intoG((p) => p.f !== S),
  'priority-pass-skips-later-policies': intoG((p) => p.f === S),
  'priority-then-rule-order': intoG((p) => p.f === S && p.probe === 'TCP/80'),
  'priority-equal-and-agreeing': intoG((p) => p.f !== S),
  'priority-baseline-tier': intoG((p) => p.f !== S),
  'baseline-pass-to-default': intoG((p) => p.f === S),
  'subject-pods-match-expressions': (p) => !(p.f === H && p.ti === 0 && (p.t === G || p.t === S)),
  'subject-namespaces-not-in': (p) => !(p.f === G && p.t !== G),
  'subject-selects-nothing': () => true,
  'peer-pods-in-any-namespace': intoG((p) => !(p.fi === 1 && (p.f === G || p.f === H || p.f === R))),
  'peer-pods-and-namespace': intoG((p) => !(p.f === S && p.fi === 0)),
  'peer-namespaces-match-expressions': intoG((p) => p.f !== S && p.f !== H),
  'peer-several-peers': intoG((p) => !(p.f === S || (p.f === R && p.fi === 1))),
  'networks-pod-address': fromG((p) => !(p.t === R && p.ti === 0)),
  'networks-namespace-range': fromG((p) => p.t !== S || p.probe === 'TCP/80'),
  'networks-pass-pods-then-deny-all': fromG((p) => p.t !== S),
  'networks-ipv6-only': () => true,
  'networks-accept-over-np': fromG((p) => p.t === R),
  'networks-baseline': fromG((p) => !(p.t === H || (p.t === G && p.ti === 1))),
  'domain-names-not-judged': fromG(() => false),
  'nodes-not-judged': () => true,
  'ports-range-tcp': intoG((p) => !(p.f === S && p.probe === 'TCP/80')),
  'ports-range-udp-over-np': intoG((p) => p.probe === 'UDP/5353'),
  'ports-range-egress': fromG((p) => !(p.t === H && p.probe === 'TCP/8080')),
  'ports-named-web': intoG((p) => !(p.f === S && p.probe === 'TCP/80')),
  'ports-named-dns-egress': fromG((p) => p.t === R && p.probe === 'UDP/53'),
  'ports-named-missing': () => true,
  'ports-several-protocols': intoG((p) => !(p.f === S && (p.probe === 'TCP/80' || p.probe === 'UDP/5353'))),
  'ports-protocol-must-match': () => true,
  'ports-sctp': intoG((p) => !(p.f === S && p.probe === 'SCTP/9003')),
};

function houseOf(key: string): { h: House; i: number } {
  const [ns, pod] = key.split('/');
  const h = ns?.replace('network-policy-conformance-', '') as House;
  return { h, i: pod?.endsWith('-1') ? 1 : 0 };
}

function checkAgainst(c: PolicyCase, rule: Rule): string[] {
  const wrong: string[] = [];
  const t = computeTruthTableWithTies(resolveCase(c)).table;
  for (const probe of t.probes) {
    const label = `${probe.protocol}/${probe.port}`;
    for (const [from, row] of Object.entries(probe.allowed))
      for (const [to, got] of Object.entries(row)) {
        const a = houseOf(from);
        const b = houseOf(to);
        const want = rule({ f: a.h, fi: a.i, t: b.h, ti: b.i, probe: label });
        if (got !== want) wrong.push(`${from} -> ${to} ${label}: model ${got}, expected ${want}`);
      }
  }
  return wrong;
}

describe('admin-tier suite: generated cases against hand-derived truth tables', () => {
  for (const api of ['v1alpha2', 'v1alpha1'] as AdminTierApi[]) {
    const prefix = api === 'v1alpha2' ? 'cnp-' : 'anp-';
    const generated = adminTierSuite(api).filter((c) => !c.tags?.includes('upstream-conformance'));
    test(`${api}: every generated case has a hand-derived table, and the model agrees on every cell`, () => {
      assert.ok(generated.length >= 40, `${generated.length} generated ${api} cases`);
      for (const c of generated) {
        const rule = GENERATED[c.name.slice(prefix.length)];
        assert.ok(rule, `no hand-derived expectation for ${c.name}`);
        assert.deepEqual(checkAgainst(c, rule).slice(0, 5), [], c.name);
      }
    });
  }

  test('the hand-derived tables are not vacuous: each denies something or is a documented no-op', () => {
    const noOps = new Set([
      'subject-selects-nothing',
      'networks-ipv6-only',
      'nodes-not-judged',
      'ports-named-missing',
      'ports-protocol-must-match',
    ]);
    const probes: Probe[] = [
      { protocol: 'TCP', port: 80 },
      { protocol: 'TCP', port: 8080 },
      { protocol: 'UDP', port: 53 },
      { protocol: 'UDP', port: 5353 },
      { protocol: 'SCTP', port: 9003 },
    ];
    for (const [name, rule] of Object.entries(GENERATED)) {
      let denies = 0;
      for (const f of HOUSES)
        for (const t of HOUSES)
          for (const fi of [0, 1])
            for (const ti of [0, 1])
              for (const p of probes) if (!rule({ f, fi, t, ti, probe: `${p.protocol}/${p.port}` })) denies++;
      assert.equal(denies === 0, noOps.has(name), name);
    }
  });
});
