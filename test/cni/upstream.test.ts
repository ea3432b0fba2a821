/**
 * What cnibench generates, checked against the files the projects really publish, for every release in
 * ../shared/upstream (see its SOURCES.md; never copied into this repository):
 * - Calico: every generated Installation and APIServer against that release's CRD openAPIV3Schema, with
 *   unknown fields as errors (as server-side apply and strict field validation treat them); the apply
 *   order of the real manifest set (every CRD, Established, before any object of its kind); the whole
 *   install applied to the fake API server, which checks every object as a real one would;
 * - Cilium: every setting combination's values use only keys of that release's values.yaml and
 *   validate against its values.schema.json; the image blocks cnibench moves to a mirror are exactly the
 *   chart's;
 * - network-policy-api: the ClusterNetworkPolicy CRD cnibench installs for Cilium is the one Calico
 *   v3.32 ships.
 * In CI (CI=true) ../shared/upstream must exist; in a clone without it these tests say they were skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { connect } from '../../src/cluster/kube/client.js';
import { applyObjects, applySteps, planObjects } from '../../src/cni/apply.js';
import { planCalico } from '../../src/cni/calico/installer.js';
import {
  calicoImageRegistry,
  calicoManifests,
  operatorCalicoRegistry,
} from '../../src/cni/calico/release.js';
import { ciliumSettingsOf } from '../../src/cni/cilium/settings.js';
import { planCilium } from '../../src/cni/cilium/installer.js';
import { clusterNetworkPolicyCrd } from '../../src/cni/cilium/release.js';
import { ciliumValues, imageBlocks, mergeValues } from '../../src/cni/cilium/values.js';
import type { Artifact, PlanInputs } from '../../src/cni/installer.js';
import { parseManifest } from '../../src/cni/manifest.js';
import { hasFeature } from '../../src/scenario/cni-versions.js';
import { CALICO_FEATURES } from '../../src/cni/calico/versions.js';
import { CILIUM_FEATURES } from '../../src/cni/cilium/versions.js';
import { crdVersionSchema, unknownFields, valueProblems } from '../cluster/kube/crd-schema.js';
import { FakeApiServer } from '../cluster/kube/fake-apiserver.js';
import { calico, cilium, kubeCluster, tempDir } from './helpers.js';
import { UPSTREAM_ROOT } from '../helpers/paths.js';
import { must } from '../helpers/must.js';

const UPSTREAM = UPSTREAM_ROOT;
const present = existsSync(UPSTREAM);
const SKIP = present
  ? false
  : `skipped: ${UPSTREAM} (the real release files of Calico, Cilium and network-policy-api, listed in its SOURCES.md) is not next to this clone; CI has it`;
if (!present && process.env.CI === 'true') {
  throw new Error(`${UPSTREAM} is missing, and CI must run the upstream-artifact tests`);
}
if (SKIP) process.stderr.write(`upstream.test: ${SKIP}\n`);

const versionsOf = (project: string): string[] =>
  present && existsSync(join(UPSTREAM, project)) ? readdirSync(join(UPSTREAM, project)).sort() : [];

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------------
// Calico

function calicoInputsFrom(version: string): PlanInputs {
  const manifests: Record<string, Artifact> = {};
  for (const f of calicoManifests(version)) {
    const location = join(UPSTREAM, 'calico', version, f.key.file);
    manifests[f.key.file] = {
      file: f.key.file,
      location,
      origin: f.url,
      cached: true,
      text: readFileSync(location, 'utf8'),
    };
  }
  return { manifests };
}

/** Every setting combination a Calico candidate can have at `version`. */
function calicoCombinations(version: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const dataplanes = [
    'Iptables',
    'BPF',
    ...(hasFeature(CALICO_FEATURES.nftablesDataplane, version) ? ['Nftables'] : []),
  ];
  for (const encapsulation of ['VXLAN', 'VXLANCrossSubnet', 'IPIP', 'IPIPCrossSubnet', 'None'])
    for (const dataplane of dataplanes)
      for (const extra of [{}, { mtu: 1400, apiServer: false }])
        out.push({ encapsulation, dataplane, podCidr: '10.244.0.0/16', ...extra });
  if (hasFeature(CALICO_FEATURES.clusterNetworkPolicy, version)) out.push({ clusterNetworkPolicy: true });
  return out;
}

describe('Calico: generated objects against the real release', { skip: SKIP }, () => {
  for (const version of versionsOf('calico')) {
    const inputs = calicoInputsFrom(version);
    const base = planCalico(calico({}, { version }), kubeCluster(), inputs);
    const crds = planObjects(base).filter((o) => o.kind === 'CustomResourceDefinition');
    const schemaOf = (kind: string) => {
      const crd = crds.find(
        (c) => (c as { spec?: { names?: { kind?: string } } }).spec?.names?.kind === kind,
      );
      const schema = crd && crdVersionSchema(crd, 'v1');
      assert.ok(schema, `${version}: no CRD schema for ${kind}`);
      return schema;
    };

    test(`${version}: Calico images from the registry of the operator release the manifest pins`, () => {
      const operator = must(
        base.images.map((i) => /^quay\.io\/tigera\/operator:(v[\d.]+)$/.exec(i.image)?.[1]).find(Boolean),
        `${version}: the operator image in tigera-operator.yaml`,
      );
      const registry = operatorCalicoRegistry(operator);
      assert.equal(calicoImageRegistry(version), registry, `${version} ships operator ${operator}`);
      const node = base.images.find((i) => i.image.endsWith(`/calico/node:${version}`));
      assert.equal(node?.image, `${registry}/calico/node:${version}`);
    });

    test(`${version}: every Installation and APIServer cnibench generates validates against the CRD, unknown fields as errors`, () => {
      const clusters = [
        kubeCluster(),
        kubeCluster({ imageRegistry: 'mirror.corp:5000/calico-mirror', imagePullSecrets: ['mirror-creds'] }),
      ];
      let checked = 0;
      for (const settings of calicoCombinations(version)) {
        for (const cluster of clusters) {
          const plan = planCalico(calico(settings, { version }), cluster, {
            apiServer: { host: '172.18.0.2', port: 6443 },
          });
          for (const o of plan.objects.filter((x) => x.apiVersion === 'operator.tigera.io/v1')) {
            const schema = schemaOf(o.kind ?? '');
            assert.deepEqual(
              unknownFields(schema, o),
              [],
              `${version} ${JSON.stringify(settings)}: unknown fields`,
            );
            assert.deepEqual(valueProblems(schema, o), [], `${version} ${JSON.stringify(settings)}: values`);
            checked++;
          }
        }
      }
      assert.ok(checked > 40, `${checked} objects checked`);
    });

    test(`${version}: the validator is neither blind nor over-strict (upstream's own custom-resources.yaml passes, a typo fails)`, () => {
      const samples = parseManifest(
        readFileSync(join(UPSTREAM, 'calico', version, 'custom-resources.yaml'), 'utf8'),
        'x',
      );
      for (const o of samples.filter((s) => s.kind === 'Installation' || s.kind === 'APIServer')) {
        assert.deepEqual(unknownFields(schemaOf(o.kind ?? ''), o), []);
        assert.deepEqual(valueProblems(schemaOf(o.kind ?? ''), o), []);
      }
      const inst = structuredClone(base.objects.find((o) => o.kind === 'Installation')) as Obj & {
        spec: { calicoNetwork: Obj };
      };
      inst.spec.calicoNetwork.linuxDataPlane = 'BPF';
      assert.deepEqual(unknownFields(schemaOf('Installation'), inst), ['spec.calicoNetwork.linuxDataPlane']);
      inst.spec.calicoNetwork.bgp = 'Maybe';
      assert.match(
        valueProblems(schemaOf('Installation'), inst).join(),
        /spec\.calicoNetwork\.bgp: Unsupported value/,
      );
    });

    test(`${version}: apply order of the real manifests: every CRD, Established, before any object of its kind`, () => {
      const steps = applySteps(planObjects(base));
      const wait = steps.findIndex((s) => 'waitFor' in s);
      const defined = new Set(
        crds.flatMap((c) => {
          const spec = (
            c as { spec: { group: string; names: { kind: string }; versions: { name: string }[] } }
          ).spec;
          return spec.versions.map((v) => `${spec.group}/${v.name}|${spec.names.kind}`);
        }),
      );
      steps.forEach((s, i) => {
        if ('waitFor' in s) return;
        const o = s.apply;
        if (o.kind === 'CustomResourceDefinition')
          assert.ok(wait === -1 || i < wait, `${o.metadata?.name} after the wait`);
        if (defined.has(`${o.apiVersion}|${o.kind}`))
          assert.ok(wait !== -1 && i > wait, `${o.kind} before its CRD is Established`);
      });
      assert.ok(wait > 0);
      assert.equal(
        calicoManifests(version).length,
        hasFeature(CALICO_FEATURES.separateCrdManifest, version) ? 2 : 1,
      );
    });

    test(`${version}: the whole install is accepted by the fake API server's strict checks, Installation last`, async (t) => {
      const api = await FakeApiServer.start({ crdEstablishDelayMs: 5 });
      t.after(() => api.close());
      const kube = connect({ kubeconfig: await api.writeKubeconfig(tempDir(t)) });
      const plan = planCalico(
        calico({ encapsulation: 'VXLANCrossSubnet' }, { version }),
        kubeCluster(),
        inputs,
      );
      await applyObjects(planObjects(plan), kube, { pollMs: 10 });
      assert.ok(api.store.get('operator.tigera.io/v1', 'Installation', 'default'));
      const writes = api.requests.filter((r) => r.method === 'PATCH').map((r) => r.path);
      assert.equal(writes.length, planObjects(plan).length);
      assert.match(writes.at(-1) ?? '', /\/apiservers\/default$|\/installations\/default$/);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// Cilium

/**
 * Dotted paths of every key values.yaml declares: its mapping keys, and the keys it documents as
 * commented-out defaults (`#kubeProxyReplacement: "false"` in 1.16, a value the templates read).
 */
export function valuesKeys(text: string): Set<string> {
  const keys = new Set<string>();
  const stack: { indent: number; key: string }[] = [];
  for (const line of text.split('\n')) {
    const real = /^(\s*)([A-Za-z_][\w-]*):(\s|$)/.exec(line);
    const commented = /^(\s*)#\s?([a-z][A-Za-z0-9]*):(\s|$)/.exec(line);
    const m = real ?? commented;
    if (!m) continue;
    const indent = (m[1] ?? '').length;
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const path = [...stack.map((s) => s.key), m[2] ?? ''].join('.');
    keys.add(path);
    if (real) stack.push({ indent, key: m[2] ?? '' });
  }
  return keys;
}

/** Dotted paths of the leaves of generated values (lists are leaves, as in the chart's values table). */
function leaves(v: unknown, prefix = ''): string[] {
  return isObject(v)
    ? Object.entries(v).flatMap(([k, x]) => leaves(x, prefix ? `${prefix}.${k}` : k))
    : [prefix];
}

function ciliumCombinations(version: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const routing of [
    { routingMode: 'tunnel', tunnelProtocol: 'vxlan' },
    { routingMode: 'tunnel', tunnelProtocol: 'geneve' },
    { routingMode: 'native', ipv4NativeRoutingCidr: '10.244.0.0/16' },
  ])
    for (const kubeProxyReplacement of [false, true])
      for (const encryption of ['none', 'wireguard', 'ipsec'])
        for (const hubble of [false, true])
          out.push({ ...routing, kubeProxyReplacement, encryption, hubble });
  if (hasFeature(CILIUM_FEATURES.clusterNetworkPolicy, version)) out.push({ clusterNetworkPolicy: true });
  return out;
}

describe('Cilium: generated values against the real chart', { skip: SKIP }, () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const version of versionsOf('cilium')) {
    const dir = join(UPSTREAM, 'cilium', version);
    const valuesText = readFileSync(join(dir, 'values.yaml'), 'utf8');
    const chartValues = parse(valuesText) as Obj;
    const keys = valuesKeys(valuesText);
    const validate = ajv.compile(JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8')) as object);

    test(`${version}: the chart is this version`, () => {
      assert.equal(
        (parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { version: string }).version,
        version,
      );
    });

    test(`${version}: every setting combination writes only keys of values.yaml and validates against values.schema.json`, () => {
      let checked = 0;
      for (const settings of ciliumCombinations(version)) {
        for (const imageRegistry of [undefined, 'mirror.corp:5000']) {
          for (const nodeCount of [undefined, 1]) {
            const { values } = ciliumValues({
              settings: ciliumSettingsOf(cilium(settings, { version })),
              version,
              nodeCount,
              uninstallAfter: true,
              imageRegistry,
              imagePullSecrets: ['creds'],
              apiServer: { host: '172.18.0.2', port: 6443 },
            });
            const unknown = leaves(values).filter((k) => !keys.has(k));
            assert.deepEqual(unknown, [], `${version} ${JSON.stringify(settings)}: keys not in values.yaml`);
            const merged = mergeValues(chartValues, values);
            assert.ok(
              validate(merged),
              `${version} ${JSON.stringify(settings)}: ${ajv.errorsText(validate.errors)}`,
            );
            checked++;
          }
        }
      }
      assert.ok(checked >= 144, `${checked}`);
    });

    test(`${version}: the image blocks cnibench moves to a mirror are exactly the chart's, with its repositories`, () => {
      const inChart: string[] = [];
      const walk = (n: unknown, path: string[]) => {
        if (!isObject(n)) return;
        if (typeof n.repository === 'string' && n.repository !== '')
          inChart.push(`${path.join('.')}=${n.repository}`);
        for (const [k, x] of Object.entries(n)) walk(x, [...path, k]);
      };
      walk(chartValues, []);
      assert.deepEqual(
        imageBlocks(version)
          .map((b) => `${b.path}=${b.repository}`)
          .sort(),
        inChart.sort(),
      );
    });

    test(`${version}: images of a plan with the chart cached are the chart's, pinned by digest`, () => {
      const plan = planCilium(cilium({}, { version }), kubeCluster(), { chartValues });
      for (const i of plan.images)
        assert.match(i.image, /^quay\.io\/cilium\/[\w-]+:v[\w.-]+@sha256:[0-9a-f]{64}$/);
      assert.equal(plan.images.length, 3);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// network-policy-api

describe('ClusterNetworkPolicy CRD', { skip: SKIP }, () => {
  test('the v0.2.0 standard CRD cnibench installs for Cilium 1.20 is the one Calico v3.32 ships in operator-crds.yaml', () => {
    const file = clusterNetworkPolicyCrd();
    assert.match(file.url, /\/v0\.2\.0\/config\/crd\/standard\//);
    const ours = parseManifest(
      readFileSync(join(UPSTREAM, 'network-policy-api', 'v0.2.0', 'standard', file.key.file), 'utf8'),
      'npa',
    );
    assert.deepEqual(
      ours.map((o) => `${o.kind} ${o.metadata?.name}`),
      ['CustomResourceDefinition clusternetworkpolicies.policy.networking.k8s.io'],
    );
    const calicoDir = versionsOf('calico').filter((v) => hasFeature(CALICO_FEATURES.clusterNetworkPolicy, v));
    for (const v of calicoDir) {
      const crds = parseManifest(
        readFileSync(join(UPSTREAM, 'calico', v, 'operator-crds.yaml'), 'utf8'),
        'c',
      );
      const theirs = crds.find(
        (o) => o.metadata?.name === 'clusternetworkpolicies.policy.networking.k8s.io',
      ) as (KubernetesObject & { spec: unknown }) | undefined;
      assert.ok(theirs, `Calico ${v} ships the CRD itself: nothing extra to install`);
      assert.deepEqual(theirs.spec, (ours[0] as KubernetesObject & { spec: unknown }).spec);
    }
  });
});
