/**
 * The transcription of network-policy-api's admin-tier conformance tests against what those tests
 * assert (upstream-admin-assertions.ts, read from the tests at v0.2.0 and v0.1.8): every upstream
 * test has a transcription with as many policy states, and `cnibench netpol expect` (the model's
 * truth table) gives every asserted verdict, for the v1alpha2 cases and the v1alpha1 ones.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCase } from '../../../src/netpol/resolve.js';
import { computeTruthTableWithTies } from '../../../src/netpol/truth-table.js';
import { builtinSuite } from '../../../src/netpol/suite/index.js';
import { upstreamTests } from '../../../src/netpol/suite/admin-upstream.js';
import { API_CASE_PREFIX } from '../../../src/netpol/suite/admin-draft.js';
import type { AdminTierApi, PolicyCase, TruthTable } from '../../../src/netpol/types.js';
import { V0_1_8, V0_2_0, type UpstreamTest } from './upstream-admin-assertions.js';

const suite = new Map(builtinSuite().map((c) => [c.name, c]));
const full = (short: string) => `network-policy-conformance-${short}`;

function table(c: PolicyCase): TruthTable {
  const { table: t, ties } = computeTruthTableWithTies(resolveCase(c));
  assert.deepEqual(ties, [], `${c.name}: no equal-priority ties in a suite case`);
  return t;
}

function allowed(
  t: TruthTable,
  from: string,
  to: string,
  protocol: string,
  port: number,
): boolean | undefined {
  return t.probes.find((p) => p.protocol === protocol && p.port === port)?.allowed[from]?.[to];
}

function checkVersion(version: string, api: AdminTierApi, upstream: UpstreamTest[]): void {
  describe(`network-policy-api ${version} conformance (${api})`, () => {
    const ours = upstreamTests();
    test('every upstream test is transcribed, with as many policy states', () => {
      assert.equal(upstream.length, 24);
      for (const u of upstream) {
        const t = ours.find((o) => o.names[api] === u.test && (o.apis ?? [api]).includes(api));
        assert.ok(t, `no transcription of ${u.test}`);
        assert.equal(t.states.length, u.states.length, `${u.test}: states`);
      }
      assert.equal(ours.filter((o) => (o.apis ?? [api]).includes(api)).length, upstream.length);
    });

    for (const u of upstream) {
      test(`${u.test}: the model gives every upstream verdict`, () => {
        const t = ours.find((o) => o.names[api] === u.test && (o.apis ?? [api]).includes(api));
        assert.ok(t);
        u.states.forEach((state, i) => {
          const s = t.states[i];
          assert.ok(s);
          const name = `${API_CASE_PREFIX[api]}upstream-${t.slug}-${i + 1}-${s.slug}`;
          const c = suite.get(name);
          assert.ok(c, `no suite case ${name}`);
          const tt = table(c);
          for (const [from, to, protocol, port, expected] of state.assertions) {
            const got = allowed(tt, full(from), full(to), protocol, port);
            assert.equal(
              got,
              expected,
              `${name} (${state.subtests.join(' / ')}): ${from} -> ${to} ${protocol}/${port} expected ${expected ? 'allowed' : 'denied'}`,
            );
          }
          // Every probe an assertion uses is one the case probes.
          for (const [, , protocol, port] of state.assertions)
            assert.ok(
              c.probes.some((p) => p.protocol === protocol && p.port === port),
              `${name} probes ${protocol}/${port}`,
            );
        });
      });
    }

    test('node-peer states: no pod verdict rests on a node peer; networks 0.0.0.0/0 denies all of gryffindor', () => {
      // Spec-derived, as upstream asserts nothing about pods here: nodes peers never match a pod,
      // and a networks peer matches pod addresses too ("cluster-internal traffic will be checked").
      for (const slug of ['admin-egress-node-peers', 'baseline-egress-node-peers']) {
        const c = suite.get(`${API_CASE_PREFIX[api]}upstream-${slug}-1-initial`);
        assert.ok(c);
        const tt = table(c);
        for (const p of tt.probes)
          for (const [from, row] of Object.entries(p.allowed))
            for (const [to, ok] of Object.entries(row))
              assert.equal(
                ok,
                !from.startsWith(full('gryffindor')),
                `${c.name} ${from} -> ${to} ${p.protocol}/${p.port}`,
              );
      }
    });
  });
}

checkVersion('v0.2.0', 'v1alpha2', V0_2_0);
checkVersion('v0.1.8', 'v1alpha1', V0_1_8);
