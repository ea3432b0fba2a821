// Builders shared by the netpol-model tests: small cases with terse policy literals, and a
// checker that asserts the direct evaluator and the bitset truth table agree with expectations.
import assert from 'node:assert/strict';
import { resolveCase } from '../../src/netpol/resolve.js';
import { computeTruthTable, isAllowed } from '../../src/netpol/truth-table.js';
import type {
  CasePod,
  Labels,
  NetworkPolicy,
  PolicyCase,
  Probe,
  ResolvedCase,
} from '../../src/netpol/types.js';

export const TCP80: Probe = { port: 80, protocol: 'TCP' };

export function policy(ns: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  };
}

export function pod(key: string, labels: Labels = {}, extra: Partial<CasePod> = {}): CasePod {
  const [namespace, name] = key.split('/');
  assert.ok(namespace !== undefined && name !== undefined, `pod key ${key} is not namespace/name`);
  return { namespace, name, labels, ...extra };
}

export function mkCase(opts: {
  namespaces?: Record<string, Labels>;
  pods: CasePod[];
  policies?: NetworkPolicy[];
  probes?: Probe[];
}): ResolvedCase {
  const c: PolicyCase = {
    name: 'test',
    namespaces: opts.namespaces ?? {},
    pods: opts.pods,
    policies: opts.policies ?? [],
    probes: opts.probes ?? [TCP80],
  };
  return resolveCase(c);
}

/**
 * Asserts that exactly the listed "src>dst" pairs are allowed for the probe (all other ordered
 * pairs, self pairs included, denied), by both isAllowed and computeTruthTable.
 */
export function expectAllowedExactly(c: ResolvedCase, probe: Probe, allowed: string[]): void {
  const want = new Set(allowed);
  const table = computeTruthTable(c);
  const grid = table.probes.find((p) => p.port === probe.port && p.protocol === probe.protocol)?.allowed;
  assert.ok(grid, `probe ${probe.port}/${probe.protocol} missing from the truth table`);
  const gotDirect: string[] = [];
  const gotTable: string[] = [];
  for (const s of c.pods) {
    for (const d of c.pods) {
      const pair = `${s.key}>${d.key}`;
      if (isAllowed(c, s.key, d.key, probe)) gotDirect.push(pair);
      if (grid[s.key]?.[d.key]) gotTable.push(pair);
    }
  }
  assert.deepEqual(gotDirect.sort(), [...want].sort(), 'direct evaluator');
  assert.deepEqual(gotTable.sort(), [...want].sort(), 'truth table');
}

/** Every ordered pair of the case's pods as "src>dst", optionally filtered. */
export function allPairs(
  c: ResolvedCase,
  keep: (src: string, dst: string) => boolean = () => true,
): string[] {
  const out: string[] = [];
  for (const s of c.pods) for (const d of c.pods) if (keep(s.key, d.key)) out.push(`${s.key}>${d.key}`);
  return out;
}
