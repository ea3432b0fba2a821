import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { cacheCalico, PUBLIC_REGISTRY_PATTERN, runCli, tempDir } from './helpers.js';
import { repoPath } from '../helpers/paths.js';
import { at } from '../cluster/kube/fake-models.js';

const SCENARIO = repoPath('scenarios/kind-calico-vs-cilium.yaml');

/** A cache directory holding a Calico version's manifests (stand-ins), as `cni fetch` leaves it. */
async function cacheWithManifest(t: Parameters<typeof tempDir>[0], version = 'v3.32.1'): Promise<string> {
  const root = tempDir(t);
  await cacheCalico(root, version);
  return root;
}

/** A scenario file on a kube cluster with the given candidates (flow YAML), one per line from line 4. */
function scenarioWith(dir: string, name: string, candidates: string[]): string {
  const file = join(dir, 's.yaml');
  const lines = [`name: ${name}`, 'cluster: {kind: kube, context: x}', 'candidates:'];
  writeFileSync(
    file,
    [...lines, ...candidates.map((c) => `  - ${c}`), 'workloads: [{kind: conformance}]'].join('\n'),
  );
  return file;
}

/**
 * The apply sequence of a dry run, one entry per object comment line ("CustomResourceDefinition x",
 * "Installation default") or "WAIT" for the wait until the CRDs are Established.
 */
function sequence(stdout: string): string[] {
  const part = stdout.split('# ---- Apply sequence')[1]?.split(/\n# ---- (?!wait)/)[0] ?? '';
  return part
    .split('\n')
    .filter((l) => /^# (\w+ |---- wait)/.test(l))
    .map((l) => (l.startsWith('# ---- wait') ? 'WAIT' : (l.slice(2).split(' (')[0] ?? '')));
}

describe('cnibench install --dry-run', () => {
  test('calico from the cache with a mirror: the manifest and objects are printed, nothing public remains', async (t) => {
    const r = await runCli(
      ['install', 'calico', '--scenario', SCENARIO, '--dry-run', '--image-registry', 'mirror.corp:5000'],
      {
        CNIBENCH_CACHE: await cacheWithManifest(t),
      },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    // The images section names each public image the mirror must hold a copy of; nothing else is public.
    assert.match(
      r.stdout,
      /mirror\.corp:5000\/calico\/node:v3\.32\.1 {2}\(the Tigera operator; mirror of quay\.io\/calico\/node:v3\.32\.1\)/,
    );
    assert.doesNotMatch(r.stdout.replace(/; mirror of \S+\)$/gm, ')'), PUBLIC_REGISTRY_PATTERN);
    assert.match(r.stdout, /image: mirror\.corp:5000\/tigera\/operator:v1\.36\.2/);
    assert.match(r.stdout, /kind: Installation/);
    assert.match(r.stdout, /registry: mirror\.corp:5000\//);
    assert.match(r.stdout, /kind: APIServer/);
    assert.match(r.stdout, /# CustomResourceDefinition installations\.operator\.tigera\.io/);
    assert.match(r.stdout, /cached: .*calico\/v3\.32\.1\/operator-crds\.yaml/);
    assert.match(r.stdout, /cached: .*calico\/v3\.32\.1\/tigera-operator\.yaml/);
    // Every YAML document in the output parses.
    const docs = r.stdout
      .split(/^---$/m)
      .slice(1)
      .map((d) => {
        const doc: unknown = parse(d.replace(/^#.*$/gm, ''));
        return doc;
      });
    assert.ok(
      docs.some((d) => at(d, 'kind') === 'Deployment' && at(d, 'metadata', 'name') === 'tigera-operator'),
    );
  });

  test('calico without a cache shows the release URL and makes no request', async (t) => {
    const r = await runCli(['install', 'calico', '--scenario', SCENARIO, '--dry-run'], {
      CNIBENCH_CACHE: tempDir(t),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(
      r.stdout,
      /1\. operator-crds\.yaml: the operator and Calico CRDs; not cached, a run downloads https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v3\.32\.1\/manifests\/operator-crds\.yaml/,
    );
    assert.match(
      r.stdout,
      /2\. tigera-operator\.yaml: the Tigera operator; not cached, a run downloads https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v3\.32\.1\/manifests\/tigera-operator\.yaml/,
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
      /^helm upgrade --install cilium cilium --repo https:\/\/helm\.cilium\.io\/ --version 1\.20\.0 --namespace kube-system --values values\.yaml --kube-context kind-cnibench$/m,
    );
    const [, afterValues = ''] = r.stdout.split('# ---- values.yaml\n');
    const [valuesText = ''] = afterValues.split('\n# ---- ');
    const values: unknown = parse(valuesText);
    assert.equal(at(values, 'image', 'repository'), 'mirror.corp:5000/cilium/cilium');
    assert.equal(at(values, 'image', 'useDigest'), false);
    assert.equal(at(values, 'routingMode'), 'tunnel');
  });

  test('without a mirror the public images are shown as they are (the grep test is meaningful)', async (t) => {
    const r = await runCli(['install', 'calico', '--scenario', SCENARIO, '--dry-run'], {
      CNIBENCH_CACHE: await cacheWithManifest(t),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /image: quay\.io\/tigera\/operator:v1\.36\.2/);
  });

  test('IPsec: the key Secret is shown with a placeholder, never a key', async (t) => {
    const dir = tempDir(t);
    const file = scenarioWith(dir, 'ipsec', [
      '{name: cil, cni: cilium, version: 1.20.0, settings: {encryption: ipsec, routingMode: native, ipv4NativeRoutingCidr: 10.0.0.0/8}}',
    ]);
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

  for (const version of ['v3.30.0', 'v3.32.1']) {
    test(`install calico --version ${version} --dry-run: every CRD, Established, before any object of its kind`, async (t) => {
      const r = await runCli(['install', 'calico', '--version', version, '--dry-run'], {
        CNIBENCH_CACHE: await cacheWithManifest(t, version),
      });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`calico ${version.replace(/\./g, '\\.')}`));
      const seq = sequence(r.stdout);
      const wait = seq.indexOf('WAIT');
      assert.ok(wait > 0, seq.join('\n'));
      assert.equal(seq.filter((s) => s === 'WAIT').length, 1);
      assert.ok(
        seq
          .slice(0, wait)
          .every((s) => s.startsWith('CustomResourceDefinition ') || !/^(Installation|APIServer) /.test(s)),
      );
      assert.equal(seq.slice(wait).filter((s) => s.startsWith('CustomResourceDefinition ')).length, 0);
      assert.ok(seq.indexOf('Installation default') > wait);
      assert.ok(seq.indexOf('APIServer default') > wait);
      // CRDs first: nothing but CRDs before the first non-CRD object.
      const firstOther = seq.findIndex((s) => !s.startsWith('CustomResourceDefinition '));
      assert.ok(seq.slice(firstOther).every((s) => !s.startsWith('CustomResourceDefinition ')));
      assert.match(r.stdout, /1\. operator-crds\.yaml: the operator and Calico CRDs, 3 objects/);
      assert.match(r.stdout, /2\. tigera-operator\.yaml: the Tigera operator, \d+ objects/);
    });
  }

  test('a version outside the matrix is refused with exit 2 naming the range, by install and validate', async (t) => {
    const r = await runCli(['install', 'calico', '--version', 'v3.27.3', '--dry-run'], {
      CNIBENCH_CACHE: tempDir(t),
    });
    assert.equal(r.exitCode, 2);
    assert.match(
      r.stderr,
      /calico v3\.27\.3 is outside the supported range: cnibench supports Calico \(Tigera operator\) v3\.28 to v3\.32/,
    );
    const file = scenarioWith(tempDir(t), 'old', [
      '{name: c, cni: cilium, version: 1.21.0}',
      '{name: d, cni: cilium, version: 1.19.6, settings: {clusterNetworkPolicy: true}}',
    ]);
    for (const cmd of ['validate', 'plan']) {
      const v = await runCli([cmd, file]);
      assert.equal(v.exitCode, 2, cmd);
      assert.match(
        v.stderr,
        /s\.yaml:4:\d+ candidates\[0\]\.version: cilium 1\.21\.0 is outside the supported range: cnibench supports Cilium \(Helm chart\) 1\.16 to 1\.20/,
      );
      assert.match(
        v.stderr,
        /s\.yaml:5:\d+ candidates\[1\]\.settings\.clusterNetworkPolicy: needs cilium 1\.20\.0 or later/,
      );
    }
  });
});
