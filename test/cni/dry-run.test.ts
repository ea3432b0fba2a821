import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { fixture, PUBLIC_REGISTRY_PATTERN, repoRoot, runCli, tempDir } from './helpers.js';

const SCENARIO = join(repoRoot, 'scenarios/kind-calico-vs-cilium.yaml');

/** A cache directory holding the fixture operator manifest for v3.29.1, as `cni fetch` leaves it. */
function cacheWithManifest(t: Parameters<typeof tempDir>[0]): string {
  const root = tempDir(t);
  mkdirSync(join(root, 'calico', 'v3.29.1'), { recursive: true });
  copyFileSync(fixture('tigera-operator.yaml'), join(root, 'calico', 'v3.29.1', 'tigera-operator.yaml'));
  return root;
}

describe('cnibench install --dry-run', () => {
  test('calico from the cache with a mirror: the manifest and objects are printed, nothing public remains', async (t) => {
    const r = await runCli(
      ['install', 'calico', '--scenario', SCENARIO, '--dry-run', '--image-registry', 'mirror.corp:5000'],
      {
        CNIBENCH_CACHE: cacheWithManifest(t),
      },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.doesNotMatch(r.stdout, PUBLIC_REGISTRY_PATTERN);
    assert.match(r.stdout, /image: mirror\.corp:5000\/tigera\/operator:v1\.36\.2/);
    assert.match(r.stdout, /kind: Installation/);
    assert.match(r.stdout, /registry: mirror\.corp:5000\//);
    assert.match(r.stdout, /kind: APIServer/);
    assert.match(r.stdout, /# CustomResourceDefinition installations\.operator\.tigera\.io/);
    assert.match(r.stdout, /cached: .*calico\/v3\.29\.1\/tigera-operator\.yaml/);
    // Every YAML document in the output parses.
    const docs = r.stdout
      .split(/^---$/m)
      .slice(1)
      .map((d) => parse(d.replace(/^#.*$/gm, '')));
    assert.ok(docs.some((d) => d?.kind === 'Deployment' && d.metadata.name === 'tigera-operator'));
  });

  test('calico without a cache shows the release URL and makes no request', async (t) => {
    const r = await runCli(['install', 'calico', '--scenario', SCENARIO, '--dry-run'], {
      CNIBENCH_CACHE: tempDir(t),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(
      r.stdout,
      /not cached; a run downloads https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v3\.29\.1\/manifests\/tigera-operator\.yaml/,
    );
    assert.match(r.stdout, /kind: Installation/);
  });

  test('cilium: the exact helm command and the values file, every image on the mirror', async (t) => {
    const r = await runCli(
      ['install', 'cilium', '--scenario', SCENARIO, '--dry-run', '--image-registry', 'mirror.corp:5000'],
      {
        CNIBENCH_CACHE: tempDir(t),
      },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.doesNotMatch(r.stdout, PUBLIC_REGISTRY_PATTERN);
    assert.match(
      r.stdout,
      /^helm upgrade --install cilium cilium --repo https:\/\/helm\.cilium\.io\/ --version 1\.16\.5 --namespace kube-system --values values\.yaml --kube-context kind-cnibench$/m,
    );
    const valuesText = r.stdout.split('# ---- values.yaml\n')[1].split('\n# ---- ')[0];
    const values = parse(valuesText);
    assert.equal(values.image.repository, 'mirror.corp:5000/cilium/cilium');
    assert.equal(values.image.useDigest, false);
    assert.equal(values.routingMode, 'tunnel');
  });

  test('without a mirror the public images are shown as they are (the grep test is meaningful)', async (t) => {
    const r = await runCli(['install', 'calico', '--scenario', SCENARIO, '--dry-run'], {
      CNIBENCH_CACHE: cacheWithManifest(t),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /image: quay\.io\/tigera\/operator:v1\.36\.2/);
  });

  test('IPsec: the key Secret is shown with a placeholder, never a key', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      [
        'name: ipsec',
        'cluster: {kind: kube, context: x}',
        'candidates:',
        '  - {name: cil, cni: cilium, version: 1.16.5, settings: {encryption: ipsec, routingMode: native, ipv4NativeRoutingCidr: 10.0.0.0/8}}',
        'workloads: [{kind: conformance}]',
      ].join('\n'),
    );
    const r = await runCli(['install', 'cil', '--scenario', file, '--dry-run'], { CNIBENCH_CACHE: dir });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /name: cilium-ipsec-keys/);
    assert.match(r.stdout, /keys: <generated at install time>/);
    assert.match(r.stdout, /autoDirectNodeRoutes: true/);
  });

  test('unknown candidates and local profiles are input errors (exit 2)', async (t) => {
    const r = await runCli(['install', 'weave', '--scenario', SCENARIO, '--dry-run'], {
      CNIBENCH_CACHE: tempDir(t),
    });
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /no candidate named "weave" \(have: calico, cilium\)/);
  });
});
