import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { resolveArtifact } from '../../src/cni/artifacts.js';
import { cachePath, cacheRoot, fetchToCache, readCacheEntry } from '../../src/cni/cache.js';
import { calicoCacheKey } from '../../src/cni/calico/release.js';
import { prepareInputs } from '../../src/cni/prepare.js';
import { EnvironmentError, InputError } from '../../src/util/errors.js';
import { calico, cilium, fixture, kubeCluster, runCli, tempDir } from './helpers.js';

const manifestText = readFileSync(fixture('tigera-operator.yaml'), 'utf8');
const sha = createHash('sha256').update(manifestText).digest('hex');

/** Serves the fixture manifest at /calico/<version>/tigera-operator.yaml on 127.0.0.1; counts requests. */
async function mirror(t: { after: (fn: () => Promise<void> | void) => void }) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.endsWith('/tigera-operator.yaml')) {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.end(manifestText);
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

describe('artifact cache', () => {
  test('cache root: CNIBENCH_CACHE, else XDG_CACHE_HOME, else ~/.cache/cnibench', () => {
    assert.equal(cacheRoot({ CNIBENCH_CACHE: '/x/c' }), '/x/c');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '/xdg' }), '/xdg/cnibench');
    assert.match(cacheRoot({ HOME: '/home/u' }), /\.cache\/cnibench$/);
  });

  test('fetchToCache downloads over HTTP, records origin and sha256', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    const url = `${base}/calico/v3.29.1/tigera-operator.yaml`;
    const entry = await fetchToCache(root, calicoCacheKey('3.29.1'), url);
    assert.equal(entry.path, join(root, 'calico', 'v3.29.1', 'tigera-operator.yaml'));
    assert.equal(readFileSync(entry.path, 'utf8'), manifestText);
    assert.equal(entry.sha256, sha);
    const again = readCacheEntry(root, calicoCacheKey('v3.29.1'))!;
    assert.equal(again.origin, url);
    assert.equal(again.sha256, sha);
  });

  test('a file copied in by hand (without a readable sidecar) is still a cache hit', async (t) => {
    const root = tempDir(t);
    const path = cachePath(root, calicoCacheKey('v3.29.1'));
    await fetchToCache(root, calicoCacheKey('v3.29.1'), fixture('tigera-operator.yaml'));
    writeFileSync(`${path}.source.json`, 'not json');
    const e = readCacheEntry(root, calicoCacheKey('v3.29.1'))!;
    assert.equal(e.origin, path);
    assert.equal(e.sha256, sha);
  });

  test('HTTP errors and unreachable hosts are environment errors', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    await assert.rejects(
      fetchToCache(root, calicoCacheKey('v3.29.1'), `${base}/nothing-here`),
      (e: unknown) => e instanceof EnvironmentError && /HTTP 404/.test(e.message),
    );
    await assert.rejects(
      fetchToCache(root, calicoCacheKey('v3.29.1'), `${await closedPort()}/x.yaml`),
      (e: unknown) => e instanceof EnvironmentError && /cannot download/.test(e.message),
    );
    await assert.rejects(fetchToCache(root, calicoCacheKey('v3.29.1'), '/no/such/file.yaml'), InputError);
    assert.equal(existsSync(cachePath(root, calicoCacheKey('v3.29.1'))), false);
  });

  test('runs read the cache and never download again', async (t) => {
    const root = tempDir(t);
    const { base, hits } = await mirror(t);
    const req = {
      cacheRoot: root,
      key: calicoCacheKey('v3.29.1'),
      upstreamUrl: `${base}/calico/v3.29.1/tigera-operator.yaml`,
      download: true,
      readText: true,
      fetchCommand: 'cnibench cni fetch calico --version v3.29.1',
    };
    const first = (await resolveArtifact(req))!;
    assert.equal(first.cached, true);
    assert.equal(first.text, manifestText);
    const second = (await resolveArtifact({ ...req, upstreamUrl: `${await closedPort()}/gone.yaml` }))!;
    assert.equal(second.text, manifestText);
    assert.equal(hits.length, 1);
  });

  test('no network and no cache: exit-3 error that says how to fetch on a connected machine', async (t) => {
    const root = tempDir(t);
    const err = await resolveArtifact({
      cacheRoot: root,
      key: calicoCacheKey('v3.29.1'),
      upstreamUrl: `${await closedPort()}/tigera-operator.yaml`,
      download: true,
      readText: true,
      fetchCommand: 'cnibench cni fetch calico --version v3.29.1',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof EnvironmentError);
    assert.equal(err.exitCode, 3);
    assert.match(
      err.message,
      /On a machine with internet access run\n\s+cnibench cni fetch calico --version v3\.29\.1/,
    );
  });

  test('dry runs (download: false) neither download nor fail on a miss', async (t) => {
    const { hits, base } = await mirror(t);
    const a = await resolveArtifact({
      cacheRoot: tempDir(t),
      key: calicoCacheKey('v3.29.1'),
      explicit: `${base}/calico/v3.29.1/tigera-operator.yaml`,
      upstreamUrl: 'unused',
      download: false,
      readText: true,
      fetchCommand: 'x',
    });
    assert.equal(a, undefined);
    assert.equal(hits.length, 0);
  });

  test('prepareInputs: a mirror URL in settings.manifest fills the cache; a local file is read directly', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    const viaMirror = await prepareInputs(
      calico({ manifest: `${base}/calico/v3.29.1/tigera-operator.yaml` }),
      kubeCluster(),
      { cacheRoot: root, online: true },
    );
    assert.equal(viaMirror.manifest?.cached, true);
    assert.equal(viaMirror.manifest?.origin, `${base}/calico/v3.29.1/tigera-operator.yaml`);
    const local = await prepareInputs(calico({ manifest: fixture('tigera-operator.yaml') }), kubeCluster(), {
      cacheRoot: tempDir(t),
      online: true,
    });
    assert.equal(local.manifest?.cached, false);
    assert.equal(local.manifest?.text, manifestText);
  });

  test('prepareInputs: Cilium uses a cached chart, and generates an IPsec key only for real installs', async (t) => {
    const root = tempDir(t);
    const chart = join(root, 'src.tgz');
    writeFileSync(chart, 'not really a chart');
    await fetchToCache(root, { cni: 'cilium', version: '1.16.5', file: 'cilium-1.16.5.tgz' }, chart);
    const online = await prepareInputs(cilium({ encryption: 'ipsec' }), kubeCluster(), {
      cacheRoot: root,
      online: true,
    });
    assert.equal(online.chart?.location, join(root, 'cilium', '1.16.5', 'cilium-1.16.5.tgz'));
    assert.match(online.ipsecKey ?? '', /^3\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);
    const dry = await prepareInputs(cilium({ encryption: 'ipsec' }), kubeCluster(), {
      cacheRoot: root,
      online: false,
    });
    assert.equal(dry.ipsecKey, undefined);
  });
});

describe('cnibench cni fetch', () => {
  test('fetches from a mirror into $CNIBENCH_CACHE and lists it', async (t) => {
    const root = tempDir(t);
    const { base } = await mirror(t);
    const r = await runCli(
      [
        'cni',
        'fetch',
        'calico',
        '--version',
        'v3.29.1',
        '--from',
        `${base}/calico/v3.29.1/tigera-operator.yaml`,
      ],
      { CNIBENCH_CACHE: root },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /cached calico v3\.29\.1/);
    assert.match(r.stdout, /images: quay\.io\/tigera\/operator:v1\.36\.2, busybox:1\.36/);
    assert.match(r.stdout, new RegExp(sha));
    const list = await runCli(['cni', 'cache'], { CNIBENCH_CACHE: root });
    assert.equal(list.exitCode, 0, list.stderr);
    assert.match(list.stdout, /calico v3\.29\.1 {2}tigera-operator\.yaml/);
  });

  test('unreachable source: exit 3', async (t) => {
    const r = await runCli(
      ['cni', 'fetch', 'calico', '--version', 'v3.29.1', '--from', `${await closedPort()}/x.yaml`],
      { CNIBENCH_CACHE: tempDir(t) },
    );
    assert.equal(r.exitCode, 3);
    assert.match(r.stderr, /cannot download/);
  });

  test('a file that is not a manifest is rejected (exit 2)', async (t) => {
    const dir = tempDir(t);
    const junk = join(dir, 'junk.yaml');
    writeFileSync(junk, '<html>rate limited</html>\n---\nfoo: bar\n');
    const r = await runCli(['cni', 'fetch', 'calico', '--version', 'v3.29.1', '--from', junk], {
      CNIBENCH_CACHE: dir,
    });
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /not a Kubernetes object/);
  });
});
