/**
 * The release cache and `cnibench cni fetch`: every file a version needs (Calico's manifest set, the
 * Cilium chart and the ClusterNetworkPolicy CRD), from a loopback mirror or a local directory; runs
 * reading the cache without network; clear exit codes when neither works.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { resolveArtifact, siblingOf } from '../../src/cni/artifacts.js';
import { cachePath, cacheRoot, fetchToCache, readCacheEntry } from '../../src/cni/cache.js';
import { calicoManifests } from '../../src/cni/calico/release.js';
import { ciliumChart, clusterNetworkPolicyCrd } from '../../src/cni/cilium/release.js';
import { prepareInputs } from '../../src/cni/prepare.js';
import { EnvironmentError, InputError } from '../../src/util/errors.js';
import {
  calico,
  calicoFixture,
  cilium,
  fixture,
  kubeCluster,
  packChart,
  runCli,
  tempDir,
} from './helpers.js';
import { must } from '../helpers/must.js';

const operator29 = readFileSync(fixture('tigera-operator.yaml'), 'utf8');
const sha = createHash('sha256').update(operator29).digest('hex');
const [crds32, operator32] = calicoManifests('v3.32.1').map((f) => f);
const operator29File = must(calicoManifests('v3.29.1')[0], 'the v3.29.1 operator manifest');

/**
 * A mirror on 127.0.0.1 serving /calico/<version>/<file> from the fixtures (per version layout) and
 * /npa/<file> (the ClusterNetworkPolicy CRD); counts requests.
 */
async function mirror(t: { after: (fn: () => Promise<void> | void) => void }) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const m = /^\/calico\/(v[\d.]+)\/([\w.-]+)$/.exec(req.url ?? '');
    const path = m
      ? calicoFixture(m[1] ?? '', m[2] ?? '')
      : req.url === `/npa/${clusterNetworkPolicyCrd().key.file}`
        ? fixture(clusterNetworkPolicyCrd().key.file)
        : undefined;
    if (path && existsSync(path)) {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.end(readFileSync(path));
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** A loopback port with nothing listening (a machine without network, as far as the fetch is concerned). */
async function closedPort(): Promise<string> {
  const s = http.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('release cache', () => {
  test('cache root: CNIBENCH_CACHE, else XDG_CACHE_HOME, else ~/.cache/cnibench', () => {
    assert.equal(cacheRoot({ CNIBENCH_CACHE: '/x/c' }), '/x/c');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '/xdg' }), '/xdg/cnibench');
    assert.match(cacheRoot({ HOME: '/home/u' }), /\.cache\/cnibench$/);
  });

  test('fetchToCache downloads over HTTP, records origin and sha256', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    const url = `${base}/calico/v3.29.1/tigera-operator.yaml`;
    const entry = await fetchToCache(root, operator29File.key, url);
    assert.equal(entry.path, join(root, 'calico', 'v3.29.1', 'tigera-operator.yaml'));
    assert.equal(entry.sha256, sha);
    assert.equal(entry.origin, url);
    const again = readCacheEntry(root, operator29File.key);
    assert.equal(again?.origin, url);
    assert.equal(again?.sha256, sha);
  });

  test('HTTP errors and unreachable hosts are exit 3; a missing local file exit 2; nothing half-written', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    await assert.rejects(fetchToCache(root, operator29File.key, `${base}/nothing-here`), EnvironmentError);
    await assert.rejects(
      fetchToCache(root, operator29File.key, `${await closedPort()}/x.yaml`),
      EnvironmentError,
    );
    await assert.rejects(fetchToCache(root, operator29File.key, '/no/such/file.yaml'), InputError);
    assert.equal(existsSync(cachePath(root, operator29File.key)), false);
  });

  test('runs read the cache and never download again', async (t) => {
    const root = tempDir(t);
    const { base, hits } = await mirror(t);
    const file = { ...operator29File, url: `${base}/calico/v3.29.1/tigera-operator.yaml` };
    const req = {
      cacheRoot: root,
      file,
      download: true,
      fetchCommand: 'cnibench cni fetch calico --version v3.29.1',
    };
    const first = await resolveArtifact(req);
    assert.equal(first?.cached, true);
    assert.equal(first?.text, operator29);
    const second = await resolveArtifact({
      ...req,
      file: { ...file, url: `${await closedPort()}/gone.yaml` },
    });
    assert.equal(second?.text, operator29);
    assert.equal(hits.length, 1);
  });

  test('no network and no cache: exit-3 error naming the file and how to fetch it elsewhere', async (t) => {
    const err = await resolveArtifact({
      cacheRoot: tempDir(t),
      file: { ...must(crds32), url: `${await closedPort()}/operator-crds.yaml` },
      download: true,
      fetchCommand: 'cnibench cni fetch calico --version v3.32.1',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof EnvironmentError);
    assert.equal(err.exitCode, 3);
    assert.match(err.message, /No cached copy of operator-crds\.yaml \(the operator and Calico CRDs\)/);
    assert.match(
      err.message,
      /On a machine with internet access run\n\s+cnibench cni fetch calico --version v3\.32\.1/,
    );
  });

  test('dry runs (download: false) neither download nor fail on a miss', async (t) => {
    const { hits, base } = await mirror(t);
    const a = await resolveArtifact({
      cacheRoot: tempDir(t),
      file: operator29File,
      explicit: `${base}/calico/v3.29.1/tigera-operator.yaml`,
      download: false,
      fetchCommand: 'x',
    });
    assert.equal(a, undefined);
    assert.equal(hits.length, 0);
  });

  test('prepareInputs v3.32: settings.manifest on a mirror brings operator-crds.yaml from next to it', async (t) => {
    const root = tempDir(t);
    const { base, hits } = await mirror(t);
    const inputs = await prepareInputs(
      calico({ manifest: `${base}/calico/v3.32.1/tigera-operator.yaml` }),
      kubeCluster(),
      { cacheRoot: root, online: true },
    );
    assert.deepEqual(Object.keys(inputs.manifests ?? {}).sort(), [
      'operator-crds.yaml',
      'tigera-operator.yaml',
    ]);
    assert.equal(
      inputs.manifests?.['operator-crds.yaml']?.origin,
      `${base}/calico/v3.32.1/operator-crds.yaml`,
    );
    assert.deepEqual(hits.sort(), [
      '/calico/v3.32.1/operator-crds.yaml',
      '/calico/v3.32.1/tigera-operator.yaml',
    ]);
    assert.ok(existsSync(cachePath(root, must(operator32).key)));
    assert.equal(siblingOf('/a/b/tigera-operator.yaml', 'operator-crds.yaml'), '/a/b/operator-crds.yaml');
    // A local file is read directly, and its sibling with it.
    const local = await prepareInputs(
      calico({ manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml') }),
      kubeCluster(),
      { cacheRoot: tempDir(t), online: true },
    );
    assert.equal(local.manifests?.['operator-crds.yaml']?.cached, false);
    assert.equal(
      local.manifests?.['operator-crds.yaml']?.text,
      readFileSync(calicoFixture('v3.32.1', 'operator-crds.yaml'), 'utf8'),
    );
  });

  test('prepareInputs: Cilium reads the cached chart and its pinned values; an IPsec key only for real installs', async (t) => {
    const root = tempDir(t);
    const chart = join(root, 'src.tgz');
    await packChart(chart, '1.20.0', 'image:\n  repository: quay.io/cilium/cilium\n  tag: v1.20.0\n');
    await fetchToCache(root, ciliumChart('1.20.0').key, chart);
    const online = await prepareInputs(cilium({ encryption: 'ipsec' }), kubeCluster(), {
      cacheRoot: root,
      online: true,
    });
    assert.equal(online.chart?.location, join(root, 'cilium', '1.20.0', 'cilium-1.20.0.tgz'));
    assert.deepEqual(online.chartValues, { image: { repository: 'quay.io/cilium/cilium', tag: 'v1.20.0' } });
    assert.match(online.ipsecKey ?? '', /^3\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);
    const dry = await prepareInputs(cilium({ encryption: 'ipsec' }), kubeCluster(), {
      cacheRoot: root,
      online: false,
    });
    assert.equal(dry.ipsecKey, undefined);
  });
});

describe('cnibench cni fetch', () => {
  test('v3.32.1 from a mirror prefix: both manifests, listed by cni cache', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    const r = await runCli(
      ['cni', 'fetch', 'calico', '--version', 'v3.32.1', '--from', `${base}/calico/v3.32.1/`],
      {
        CNIBENCH_CACHE: root,
      },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^calico v3\.32\.1: 2 file\(s\)/);
    assert.match(r.stdout, /cached operator-crds\.yaml \(the operator and Calico CRDs\)/);
    assert.match(
      r.stdout,
      /cached tigera-operator\.yaml \(the Tigera operator\)[\s\S]*images: quay\.io\/tigera\/operator:v1\.36\.2/,
    );
    const list = await runCli(['cni', 'cache'], { CNIBENCH_CACHE: root });
    assert.equal(list.exitCode, 0, list.stderr);
    assert.match(list.stdout, /calico v3\.32\.1 {2}operator-crds\.yaml/);
    assert.match(list.stdout, /calico v3\.32\.1 {2}tigera-operator\.yaml/);
  });

  test('v3.29.1 from a single file (its only manifest); sha256 printed', async (t) => {
    const root = tempDir(t);
    const r = await runCli(
      ['cni', 'fetch', 'calico', '--version', 'v3.29.1', '--from', fixture('tigera-operator.yaml')],
      {
        CNIBENCH_CACHE: root,
      },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, new RegExp(sha));
  });

  test('Cilium 1.20 caches the chart and the ClusterNetworkPolicy CRD', async (t) => {
    const root = tempDir(t);
    const dir = tempDir(t);
    await packChart(join(dir, 'cilium-1.20.0.tgz'), '1.20.0', 'image: {}\n');
    writeFileSync(
      join(dir, clusterNetworkPolicyCrd().key.file),
      readFileSync(fixture(clusterNetworkPolicyCrd().key.file)),
    );
    const r = await runCli(['cni', 'fetch', 'cilium', '--version', '1.20.0', '--from', dir], {
      CNIBENCH_CACHE: root,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(existsSync(cachePath(root, ciliumChart('1.20.0').key)));
    assert.ok(existsSync(cachePath(root, clusterNetworkPolicyCrd().key)));
    assert.match(r.stdout, /cilium 1\.20\.0: 2 file\(s\)/);
  });

  test('a version outside the matrix is refused (exit 2) naming the range', async (t) => {
    const r = await runCli(['cni', 'fetch', 'cilium', '--version', '1.15.9'], { CNIBENCH_CACHE: tempDir(t) });
    assert.equal(r.exitCode, 2);
    assert.match(
      r.stderr,
      /cilium 1\.15\.9 is outside the supported range: cnibench supports Cilium \(Helm chart\) 1\.16 to 1\.20/,
    );
  });

  test('unreachable source: exit 3', async (t) => {
    const r = await runCli(
      ['cni', 'fetch', 'calico', '--version', 'v3.29.1', '--from', `${await closedPort()}/x/`],
      {
        CNIBENCH_CACHE: tempDir(t),
      },
    );
    assert.equal(r.exitCode, 3);
    assert.match(r.stderr, /cannot download/);
  });

  test('a file that is not a manifest is rejected (exit 2)', async (t) => {
    const dir = tempDir(t);
    const junk = join(dir, 'tigera-operator.yaml');
    writeFileSync(junk, '<html>rate limited</html>\n---\nfoo: bar\n');
    const r = await runCli(['cni', 'fetch', 'calico', '--version', 'v3.29.1', '--from', junk], {
      CNIBENCH_CACHE: dir,
    });
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /not a Kubernetes object/);
  });

  test('cni versions prints the matrix and what changes', async () => {
    const r = await runCli(['cni', 'versions']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /Calico \(Tigera operator\): v3\.28 to v3\.32/);
    assert.match(
      r.stdout,
      /v3\.30 +newest v3\.30\.7 \(2026-03-18\); files: operator-crds\.yaml, tigera-operator\.yaml/,
    );
    assert.match(r.stdout, /v3\.29 +newest v3\.29\.7 \(2025-11-19\); files: tigera-operator\.yaml/);
    assert.match(r.stdout, /Cilium \(Helm chart\): 1\.16 to 1\.20/);
    assert.match(r.stdout, /clusterNetworkPolicy: since 1\.20\.0/);
    const json = await runCli(['cni', 'versions', '--json']);
    assert.deepEqual(
      (JSON.parse(json.stdout) as { cni: string }[]).map((m) => m.cni),
      ['calico', 'cilium'],
    );
  });
});
