/**
 * The admin tier on real clusters, end to end: `cnibench run` of scenarios/kind-calico-vs-cilium.yaml
 * with `clusterNetworkPolicy: true` on both candidates, against the fake API server (fake-kind.ts).
 *
 * - Calico v3.32.1: the ClusterNetworkPolicy CRD comes with its operator-crds.yaml (here the cached
 *   stand-in plus the real CRD document of Calico's own v3.32.1 file, from ../shared/upstream); the
 *   fake dataplane enforces the admin tier for Calico, so the canary is enforced and the
 *   cluster-network-policy cases run and pass.
 * - Cilium 1.20.0: the chart value k8sClusterNetworkPolicy.enabled is set and cnibench installs the
 *   network-policy-api v0.2.0 CRD from `cni fetch`'s cache; the fake dataplane is told this Cilium does
 *   not enforce it (the CRD served, the objects ignored), so the canary fails and the group is
 *   reported unsupported by the cluster, never failed.
 *
 * Conformance only (the admin-tier group's first cases, agent probe mode), to stay quick.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { CALICO_CRDS_FILE } from '../../src/cni/calico/release.js';
import { cachePath, fetchToCache } from '../../src/cni/cache.js';
import { clusterNetworkPolicyCrd } from '../../src/cni/cilium/release.js';
import type { ResultsFile } from '../../src/results/schema.js';
import {
  CALICO_VERSION,
  kubeClusterOf,
  runScenario,
  startFakeKind,
  writeScenario,
  type FakeKind,
} from './fake-kind.js';
import { UPSTREAM_ROOT } from '../helpers/paths.js';
import { must } from '../helpers/must.js';

const UPSTREAM = UPSTREAM_ROOT;
const SKIP = existsSync(UPSTREAM)
  ? false
  : `skipped: ${UPSTREAM} (the real Calico and network-policy-api files, see its SOURCES.md) is not next to this clone; CI has it`;
if (!existsSync(UPSTREAM) && process.env.CI === 'true') throw new Error(`${UPSTREAM} is missing in CI`);
if (SKIP) process.stderr.write(`kube-admin-tier.test: ${SKIP}\n`);

const CASES = 3;
const G = 'policy.networking.k8s.io';

/** The cache as `cnibench cni fetch` leaves it, with the ClusterNetworkPolicy CRDs both CNIs ship. */
async function cacheAdminTierCrds(fk: FakeKind): Promise<void> {
  const cache = fk.env.CNIBENCH_CACHE ?? '';
  // Calico v3.32: its own operator-crds.yaml carries the CRD; add that document to the stand-in.
  const real = readFileSync(path.join(UPSTREAM, `calico/${CALICO_VERSION}/operator-crds.yaml`), 'utf8');
  const cnp = parseAllDocuments(real)
    .map((d) => d.toJS() as { metadata?: { name?: string } } | null)
    .find((o) => o?.metadata?.name === `clusternetworkpolicies.${G}`);
  assert.ok(cnp, "Calico v3.32.1's operator-crds.yaml has the ClusterNetworkPolicy CRD");
  const key = { cni: 'calico', version: CALICO_VERSION, file: CALICO_CRDS_FILE };
  const composed = path.join(fk.dir, CALICO_CRDS_FILE);
  writeFileSync(composed, `${readFileSync(cachePath(cache, key), 'utf8')}\n---\n${stringify(cnp)}`);
  await fetchToCache(cache, key, composed);
  // Cilium 1.20: the network-policy-api v0.2.0 standard CRD, fetched into the cache.
  const file = clusterNetworkPolicyCrd();
  await fetchToCache(
    cache,
    file.key,
    path.join(UPSTREAM, 'network-policy-api/v0.2.0/standard', file.key.file),
  );
}

describe(
  'cnibench run on the fake kind cluster: the admin tier (Calico enforces it, Cilium does not)',
  { skip: SKIP },
  () => {
    let fk: FakeKind;
    let run: Awaited<ReturnType<typeof runScenario>>;
    let results: ResultsFile;

    before(async () => {
      fk = await startFakeKind({ adminTier: { calico: ['v1alpha2'] } });
      await cacheAdminTierCrds(fk);
      const scenario = writeScenario(fk, 'kind-admin', (doc) => {
        const cluster = kubeClusterOf(doc);
        cluster.probeMode = 'agent';
        cluster.readyTimeout = 60;
        doc.candidates = doc.candidates.map((c) =>
          c.cni === 'calico' || c.cni === 'cilium'
            ? { ...c, settings: { ...c.settings, clusterNetworkPolicy: true } }
            : c,
        );
        // The last one: its uninstall is tested elsewhere.
        must(doc.candidates[1], 'the second candidate').uninstallAfter = false;
        doc.workloads = [
          {
            kind: 'conformance',
            protocols: ['TCP', 'UDP'],
            tags: ['cluster-network-policy'],
            maxCases: CASES,
            convergenceTimeout: 1,
          },
        ];
        doc.repetitions = { count: 1, warmup: 0, adaptive: false };
      });
      const resultsDir = path.join(fk.dir, 'results');
      run = await runScenario(fk, scenario, resultsDir, ['--no-report']);
      const runDir = path.join(resultsDir, readdirSync(resultsDir)[0] ?? '');
      results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    });
    after(() => fk?.close());

    test('both candidates install the CRD and detect v1alpha2 served', () => {
      assert.equal(run.exitCode, 0, `stderr:\n${run.stderr}`);
      assert.match(run.stderr, /admin tier: serves v1alpha2; the cluster does not serve AdminNetworkPolicy/);
      assert.equal((run.stderr.match(/admin tier: serves v1alpha2/g) ?? []).length, 2, run.stderr);
      const crdApplies = fk.api.requests.filter(
        (r) =>
          r.method === 'PATCH' && r.path.endsWith(`/customresourcedefinitions/clusternetworkpolicies.${G}`),
      );
      assert.equal(
        crdApplies.length,
        2,
        'Calico from its operator-crds.yaml, Cilium from the cached v0.2.0 CRD',
      );
      const helm = fk.helmCalls().find((h) => h.argv.includes('install') || h.argv.includes('upgrade'));
      assert.equal(
        (parse(helm?.values ?? '{}') as { k8sClusterNetworkPolicy?: { enabled?: boolean } })
          .k8sClusterNetworkPolicy?.enabled,
        true,
      );
    });

    test('Calico: the canary is enforced, then the group runs and passes', () => {
      const conf = results.candidates.find((c) => c.name === 'calico')?.conformance;
      assert.ok(conf);
      const [canary] = conf.adminTierCanaries ?? [];
      assert.equal(canary?.api, 'v1alpha2');
      assert.equal(canary?.outcome, 'enforced', canary?.detail);
      assert.deepEqual([conf.cases, conf.passed, conf.failed, conf.unsupported ?? 0], [CASES, CASES, 0, 0]);
    });

    test('Cilium: the canary is not blocked, so the group is unsupported by the cluster, not failed', () => {
      const conf = results.candidates.find((c) => c.name === 'cilium')?.conformance;
      assert.ok(conf);
      const [canary] = conf.adminTierCanaries ?? [];
      assert.equal(canary?.outcome, 'not-enforced');
      assert.deepEqual([conf.passed, conf.failed, conf.unsupported], [0, 0, CASES]);
      for (const r of conf.caseResults) {
        assert.equal(r.unsupportedBy, 'cluster');
        assert.match(
          r.unsupportedReason ?? '',
          /ClusterNetworkPolicy: not enforced by the cluster: the canary/,
        );
      }
    });

    test('no admin-tier object outlives the run', () => {
      assert.deepEqual(fk.api.store.list(`${G}/v1alpha2`, 'ClusterNetworkPolicy'), []);
      const deletes = fk.api.requests.filter(
        (r) => r.method === 'DELETE' && r.path.includes('/clusternetworkpolicies/'),
      );
      assert.ok(deletes.length >= 2, 'the canary and the cases were removed');
    });
  },
);
