import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { HARNESS_PERMISSIONS } from '../../../src/cluster/kube/permissions.js';
import { EnvironmentError } from '../../../src/util/errors.js';
import { clusterConfig, startFakeCluster } from './helpers.js';

describe('KubeDriver.preflight', () => {
  test('passes when the server answers and every permission is granted; reports the server version', async () => {
    const fc = await startFakeCluster({ gitVersion: 'v1.30.4' });
    try {
      const progress: string[] = [];
      const d = new KubeDriver(clusterConfig(fc.kubeconfig), {
        runId: 'p1',
        onProgress: (p) => progress.push(p.message),
      });
      await d.preflight();
      assert.equal(d.serverVersion, 'v1.30.4');
      const reviews = fc.api.requestsTo('POST', /selfsubjectaccessreviews$/);
      const expected = HARNESS_PERMISSIONS.reduce((n, p) => n + p.verbs.length, 0);
      assert.equal(reviews.length, expected);
      const attrs = reviews.map(
        (r) => (r.body as { spec: { resourceAttributes: Record<string, string> } }).spec.resourceAttributes,
      );
      assert.ok(
        attrs.some(
          (a) =>
            a.resource === 'pods' &&
            a.subresource === 'exec' &&
            a.verb === 'create' &&
            a.namespace === 'cnb-p1-x',
        ),
      );
      assert.ok(
        attrs.some((a) => a.resource === 'namespaces' && a.verb === 'create' && a.namespace === undefined),
      );
      assert.ok(progress.some((m) => m.includes(`${expected} permissions granted`)));
    } finally {
      await fc.close();
    }
  });

  test('names exactly the missing permissions, with the namespace, as an environment error (exit 3)', async () => {
    const fc = await startFakeCluster({
      deny: [
        { verb: 'create', group: 'networking.k8s.io', resource: 'networkpolicies' },
        { verb: 'create', resource: 'pods', subresource: 'exec' },
        { verb: 'list', resource: 'nodes' },
      ],
    });
    try {
      const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'p2' });
      await assert.rejects(d.preflight(), (err: Error) => {
        assert.ok(err instanceof EnvironmentError);
        assert.equal(err.exitCode, 3);
        assert.match(err.message, /lack 3 permission\(s\)/);
        assert.match(err.message, /cannot list nodes \(cluster-wide\)/);
        assert.match(err.message, /cannot create pods\/exec in namespace cnb-p2-x/);
        assert.match(err.message, /cannot create networkpolicies\.networking\.k8s\.io in namespace cnb-p2-x/);
        assert.doesNotMatch(err.message, /cannot get /);
        return true;
      });
    } finally {
      await fc.close();
    }
  });

  test('an unreachable API server is an environment error naming the URL', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cnb-kube-unreach-'));
    try {
      const kubeconfig = path.join(dir, 'config');
      await fs.writeFile(
        kubeconfig,
        `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\n` +
          `users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: gone\n  context:\n    cluster: c\n    user: u\ncurrent-context: gone\n`,
      );
      const d = new KubeDriver(clusterConfig(kubeconfig, { context: 'gone' }), {
        runId: 'p3',
      });
      await assert.rejects(d.preflight(), (err: Error) => {
        assert.ok(err instanceof EnvironmentError, String(err));
        assert.equal(err.exitCode, 3);
        assert.match(
          err.message,
          new RegExp(`cannot reach the Kubernetes API server at http://127\\.0\\.0\\.1:${port}`),
        );
        assert.match(err.message, /ECONNREFUSED/);
        return true;
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing kubeconfig or context is an environment error', async () => {
    const d = new KubeDriver(clusterConfig('/nonexistent/kubeconfig'), { runId: 'p4' });
    await assert.rejects(d.preflight(), /kubeconfig \/nonexistent\/kubeconfig does not exist/);
    const fc = await startFakeCluster();
    try {
      const d2 = new KubeDriver(clusterConfig(fc.kubeconfig, { context: 'nope' }), {
        runId: 'p5',
      });
      await assert.rejects(
        d2.preflight(),
        (e: Error & { exitCode?: number }) =>
          e.exitCode === 3 && /no context "nope" \(available: fake\)/.test(e.message),
      );
    } finally {
      await fc.close();
    }
  });
});
