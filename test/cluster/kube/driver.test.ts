import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import type { ProbeRequest } from '../../../src/cluster/driver.js';
import type { ExecReply, KubeObject } from './fake-apiserver.js';
import { clusterConfig, sampleCase, startFakeCluster, type FakeCluster } from './helpers.js';
import { schemaFor, validate } from './schema-check.js';
import { plain } from './fake-models.js';
import { must } from '../../helpers/must.js';

/**
 * A tiny dataplane for the fake cluster's exec handler: answers `agnhost connect` the way agnhost
 * would, from the pods and NetworkPolicies actually stored in the fake API server. A pod selected by
 * a stored policy accepts only what that policy's single ingress rule allows (namespaceSelector on
 * kubernetes.io/metadata.name + named TCP port); a port nobody serves is refused.
 */
function agnhostConnect(fc: FakeCluster, pod: KubeObject, command: string[]): ExecReply {
  const [bin, verb, target = ''] = command;
  if (bin !== '/agnhost' || verb !== 'connect')
    return { stderr: `unexpected command ${command.join(' ')}\n`, exitCode: 127 };
  const [ip, portText] = target.split(':');
  const protocol = (command.find((c) => c.startsWith('--protocol=')) ?? '--protocol=tcp')
    .slice(11)
    .toUpperCase();
  const port = Number(portText);
  const dst = fc.api.store.models('Pod').find((p) => p.status?.podIP === ip);
  if (!dst) return { stderr: 'TIMEOUT\n', exitCode: 1 };
  const serving = (dst.spec?.containers ?? [])
    .flatMap((c) => c.ports ?? [])
    .find((p) => p.containerPort === port && p.protocol === protocol);
  if (!serving)
    return {
      stderr: protocol === 'UDP' ? 'REFUSED: read udp: connection refused\n' : 'REFUSED\n',
      exitCode: 1,
    };
  const policies = fc.api.store
    .models('NetworkPolicy', { namespace: dst.metadata?.namespace })
    .filter((np) =>
      Object.entries(np.spec?.podSelector?.matchLabels ?? {}).every(
        ([k, v]) => dst.metadata?.labels?.[k] === v,
      ),
    );
  if (policies.length === 0) return { exitCode: 0 };
  const allowed = policies.some((np) =>
    (np.spec?.ingress ?? []).some(
      (rule) =>
        // client-node's model names a rule's peers `_from` (`from` on the wire).
        (rule._from ?? []).some(
          (f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === pod.metadata.namespace,
        ) && (rule.ports ?? []).some((p) => p.port === serving.name),
    ),
  );
  return allowed
    ? { exitCode: 0 }
    : { stderr: protocol === 'UDP' ? 'TIMEOUT: read udp: i/o timeout\n' : 'TIMEOUT\n', exitCode: 1 };
}

describe('KubeDriver against the fake API server (probe mode agnhost)', () => {
  let fc: FakeCluster;
  let driver: KubeDriver;
  const progress: string[] = [];

  before(async () => {
    fc = await startFakeCluster({ onExec: (pod, _c, command) => agnhostConnect(fc, pod, command) });
    driver = new KubeDriver(
      clusterConfig(fc.kubeconfig, {
        imageRegistry: 'mirror.example:5000/cache',
        imagePullSecrets: ['regcred'],
        probeMode: 'agnhost',
      }),
      { runId: 'r1', onProgress: (p) => progress.push(`${p.phase}: ${p.message}`) },
    );
  });
  after(async () => {
    await driver.cleanup();
    await fc.close();
  });

  test('ensureLayout creates labelled namespaces and agnhost pods with named ports, mirrored images, pull secrets', async () => {
    const pods = await driver.ensureLayout(sampleCase());
    const nsX = fc.api.store.get('v1', 'Namespace', 'cnb-r1-x');
    assert.ok(nsX, 'namespace cnb-r1-x exists');
    assert.deepEqual(nsX.metadata.labels, {
      team: 'blue',
      'app.kubernetes.io/managed-by': 'cnibench',
      'cnibench.io/run-id': 'r1',
      'cnibench.io/lane': '0',
      'cnibench.io/logical-namespace': 'x',
      'kubernetes.io/metadata.name': 'cnb-r1-x',
    });
    const a = fc.api.store.model('Pod', 'a', 'cnb-r1-x');
    assert.ok(a);
    assert.equal(a.metadata?.labels?.pod, 'a');
    assert.equal(a.metadata?.labels?.['app.kubernetes.io/managed-by'], 'cnibench');
    assert.equal(a.metadata?.labels?.['cnibench.io/run-id'], 'r1');
    assert.deepEqual(plain(a.spec?.imagePullSecrets), [{ name: 'regcred' }]);
    assert.deepEqual(plain(a.spec?.containers.map((c) => [c.name, c.image, c.args, c.ports, c.env])), [
      [
        'cont-80-tcp',
        'mirror.example:5000/cache/e2e-test-images/agnhost:2.53',
        ['porter'],
        [{ name: 'serve-80-tcp', containerPort: 80, protocol: 'TCP' }],
        [{ name: 'SERVE_PORT_80', value: 'x/a' }],
      ],
      [
        'cont-81-udp',
        'mirror.example:5000/cache/e2e-test-images/agnhost:2.53',
        ['porter'],
        [{ name: 'serve-81-udp', containerPort: 81, protocol: 'UDP' }],
        [{ name: 'SERVE_UDP_PORT_81', value: 'x/a' }],
      ],
    ]);
    // The model sees logical namespaces and the pods' real IPs.
    assert.deepEqual(
      pods.map((p) => [p.key, p.ip]),
      [
        ['x/a', a.status?.podIP],
        ['x/b', fc.api.store.model('Pod', 'b', 'cnb-r1-x')?.status?.podIP],
        ['y/a', fc.api.store.model('Pod', 'a', 'cnb-r1-y')?.status?.podIP],
      ],
    );
    assert.ok(pods.every((p) => /^10\.244\./.test(p.ip)));
    assert.ok(progress.some((m) => m.startsWith('ready: 3 ready')));
  });

  test('every object sent matches the published Kubernetes schema', () => {
    const posts = fc.api.requests.filter(
      (r) => r.method === 'POST' && r.body && !/selfsubjectaccessreviews/.test(r.path),
    );
    assert.ok(posts.length >= 5);
    for (const r of posts) {
      const body = r.body as { kind: string };
      assert.deepEqual(validate(schemaFor(body.kind), body), [], `${r.path} ${body.kind}`);
    }
  });

  test('a changed case reuses unchanged pods, relabels changed ones, deletes missing ones', async () => {
    const c = sampleCase();
    c.namespaces.x = { 'kubernetes.io/metadata.name': 'x', team: 'green' };
    c.pods = c.pods.filter((p) => p.key !== 'x/b');
    must(c.pods[0]).labels = { pod: 'a', tier: 'web' };
    const before = fc.api.store.get('v1', 'Pod', 'a', 'cnb-r1-x');
    const creates = fc.api.requestsTo('POST', /\/pods$/).length;
    const pods = await driver.ensureLayout(c);
    assert.equal(fc.api.requestsTo('POST', /\/pods$/).length, creates, 'no pod re-created');
    const after = fc.api.store.get('v1', 'Pod', 'a', 'cnb-r1-x');
    assert.equal(after?.metadata.uid, before?.metadata.uid);
    assert.equal(after?.metadata.labels?.tier, 'web');
    assert.equal(fc.api.store.get('v1', 'Pod', 'b', 'cnb-r1-x'), undefined, 'x/b deleted');
    assert.equal(fc.api.store.get('v1', 'Namespace', 'cnb-r1-x')?.metadata.labels?.team, 'green');
    assert.deepEqual(
      pods.map((p) => p.key),
      ['x/a', 'y/a'],
    );
    // A changed port list means a new spec: the pod is re-created.
    must(c.pods[1]).ports = [{ name: 'serve-8080-tcp', port: 8080, protocol: 'TCP' }];
    await driver.ensureLayout(c);
    const ya = fc.api.store.model('Pod', 'a', 'cnb-r1-y');
    assert.deepEqual(
      ya?.spec?.containers.map((x) => x.name),
      ['cont-8080-tcp'],
    );
    // Back to the sample for the next tests.
    await driver.ensureLayout(sampleCase());
  });

  test('setPolicies applies policies with real namespaces, replaces changed ones, deletes removed ones', async () => {
    const c = sampleCase();
    await driver.setPolicies(c.policies, c.pods);
    const np = fc.api.store.model('NetworkPolicy', 'allow-from-y', 'cnb-r1-x');
    assert.ok(np);
    assert.deepEqual(plain(np.spec?.ingress?.[0]?._from), [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnb-r1-y' } } },
    ]);
    assert.equal(np.metadata?.labels?.['app.kubernetes.io/managed-by'], 'cnibench');
    const body = fc.api.requestsTo('POST', /networkpolicies$/).at(-1)?.body;
    assert.deepEqual(validate(schemaFor('NetworkPolicy'), body), []);

    // Unchanged: no request at all.
    const n = fc.api.requests.length;
    await driver.setPolicies(c.policies, c.pods);
    assert.equal(fc.api.requests.length, n);

    const changed = structuredClone(c.policies);
    must(must(changed[0]).spec.ingress?.[0], 'the first ingress rule').ports = [
      { protocol: 'TCP', port: 80 },
    ];
    const extra = structuredClone(must(c.policies[0]));
    extra.metadata = { name: 'deny-all', namespace: 'y' };
    extra.spec = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
    await driver.setPolicies([...changed, extra], c.pods);
    assert.equal(fc.api.requestsTo('PUT', /networkpolicies\/allow-from-y$/).length, 1);
    assert.deepEqual(
      plain(fc.api.store.model('NetworkPolicy', 'allow-from-y', 'cnb-r1-x')?.spec?.ingress?.[0]?.ports),
      [{ protocol: 'TCP', port: 80 }],
    );
    assert.ok(fc.api.store.get('networking.k8s.io/v1', 'NetworkPolicy', 'deny-all', 'cnb-r1-y'));

    await driver.setPolicies(c.policies, c.pods);
    assert.equal(
      fc.api.store.get('networking.k8s.io/v1', 'NetworkPolicy', 'deny-all', 'cnb-r1-y'),
      undefined,
    );
  });

  test('probes run agnhost connect through exec and report what its output says', async () => {
    const pods = await driver.ensureLayout(sampleCase());
    await driver.setPolicies(sampleCase().policies, pods);
    const ip = (k: string) =>
      must(
        pods.find((p) => p.key === k),
        k,
      ).ip;
    const reqs: ProbeRequest[] = [
      { from: 'y/a', to: 'x/a', toIp: ip('x/a'), port: 80, protocol: 'TCP' },
      { from: 'x/b', to: 'x/a', toIp: ip('x/a'), port: 80, protocol: 'TCP' },
      { from: 'y/a', to: 'x/a', toIp: ip('x/a'), port: 81, protocol: 'UDP' },
      { from: 'x/a', to: 'x/b', toIp: ip('x/b'), port: 81, protocol: 'UDP' },
      { from: 'x/a', to: 'y/a', toIp: ip('y/a'), port: 9999, protocol: 'TCP' },
    ];
    const res = await driver.probe(reqs, { timeoutMs: 1000, concurrency: 3 });
    assert.deepEqual(
      res.map((r) => [r.from, r.to, r.port, r.connected, r.error]),
      [
        ['y/a', 'x/a', 80, true, undefined],
        ['x/b', 'x/a', 80, false, 'timeout'],
        ['y/a', 'x/a', 81, false, 'timeout'],
        ['x/a', 'x/b', 81, true, undefined],
        ['x/a', 'y/a', 9999, false, 'refused'],
      ],
    );
    const execs = fc.api.requests.filter((r) => r.path.endsWith('/exec'));
    const last = must(execs.at(-1), 'an exec request');
    assert.equal(last.query.container, 'cont-80-tcp');
    assert.deepEqual(last.protocols, ['v4.channel.k8s.io']);
    assert.ok(res.every((r) => r.elapsedMs >= 0));
  });

  test('probe output that contradicts the exit status is reported as inconclusive, not guessed', async () => {
    const saved = fc.api.onExec;
    const replies: ExecReply[] = [
      { exitCode: 0, stdout: 'something unexpected\n' },
      { exitCode: 1 },
      { exitCode: 0, stderr: 'TIMEOUT\n' },
      { exitCode: 127, stderr: 'exec: "/agnhost": stat /agnhost: no such file or directory\n' },
    ];
    let i = 0;
    fc.api.onExec = () => must(replies[i++], `exec reply ${i}`);
    try {
      const pods = await driver.ensureLayout(sampleCase());
      const req: ProbeRequest = { from: 'x/a', to: 'x/b', toIp: must(pods[1]).ip, port: 80, protocol: 'TCP' };
      const res = await driver.probe([req, req, req, req], { timeoutMs: 500, concurrency: 1 });
      assert.ok(res.every((r) => !r.connected));
      assert.ok(
        res.every((r) => r.error?.startsWith('probe-failed:')),
        JSON.stringify(res.map((r) => r.error)),
      );
    } finally {
      fc.api.onExec = saved;
    }
  });

  test('preparePerf pins pods to two nodes, adds host-network pods, a ClusterIP service and the agent ConfigMap', async () => {
    const topo = await driver.preparePerf(['same-node', 'cross-node', 'baseline', 'service']);
    const pathPair = (path: string) =>
      must(
        topo.pairs.find((p) => p.path === path),
        `the ${path} pair`,
      );
    const sameNode = pathPair('same-node');
    const crossNode = pathPair('cross-node');
    assert.equal(sameNode.client.node, sameNode.server.node);
    assert.notEqual(crossNode.client.node, crossNode.server.node);
    assert.equal(crossNode.target, crossNode.server.ip);
    const hostServer = fc.api.store.model('Pod', 'host-server-a', 'cnb-r1-perf');
    assert.equal(hostServer?.spec?.hostNetwork, true);
    assert.equal(pathPair('baseline').target, '172.18.0.2', 'baseline dials the node IP');
    const svc = fc.api.store.model('Service', 'perf-server', 'cnb-r1-perf');
    assert.equal(pathPair('service').target, svc?.spec?.clusterIP);
    assert.deepEqual(plain(svc?.spec?.selector), { 'cnibench.io/perf-pod': 'perf-server-a' });
    const cm = fc.api.store.model('ConfigMap', 'cnibench-agent', 'cnb-r1-perf');
    assert.deepEqual(Object.keys(cm?.data ?? {}), ['cnibench-agent.mjs'], 'one bundled file');
    assert.ok(must(cm?.data?.['cnibench-agent.mjs']).includes('rr-server'));
    const server = fc.api.store.model('Pod', 'perf-server-a', 'cnb-r1-perf');
    const images = server?.spec?.containers.map((c) => c.image);
    assert.deepEqual(images, [
      'mirror.example:5000/cache/nicolaka/netshoot:v0.16',
      'mirror.example:5000/cache/library/node:24.21.0-alpine',
    ]);
    for (const r of fc.api.requests.filter((q) => q.method === 'POST' && /cnb-r1-perf/.test(q.path))) {
      const body = r.body as { kind: string };
      assert.deepEqual(validate(schemaFor(body.kind), body), [], `${r.path}`);
    }
    // Asking again reuses the same pods.
    const n = fc.api.requestsTo('POST', /\/pods$/).length;
    await driver.preparePerf(['cross-node']);
    assert.equal(fc.api.requestsTo('POST', /\/pods$/).length, n);
  });

  test('exec routes commands to the right container and spawn stops the process with a second exec', async () => {
    const topo = await driver.preparePerf(['cross-node']);
    const client = must(topo.pairs[0]).client;
    const seen: Array<[string, string[]]> = [];
    const running = new Map<string, () => void>();
    const saved = fc.api.onExec;
    fc.api.onExec = async (_pod, container, command, ctx) => {
      seen.push([container, command]);
      const [bin, , script = ''] = command;
      if (bin === '/bin/sh' && script.startsWith('echo $$ >')) {
        const pidFile = must(script.split(' ')[3], 'the pid file').replace(';', '');
        ctx.write('stdout', 'server listening\n');
        await new Promise<void>((resolve) => running.set(pidFile, resolve));
        return { stdout: 'done\n', exitCode: 0 };
      }
      if (bin === '/bin/sh' && script.startsWith('kill -TERM')) {
        const pidFile = must(/cat (\S+)\)/.exec(script)?.[1], 'the pid file');
        running.get(pidFile)?.();
        return { exitCode: 0 };
      }
      return { stdout: `ran ${command.join(' ')}`, exitCode: command[0] === 'false' ? 1 : 0 };
    };
    try {
      const r1 = await driver.exec(client, ['iperf3', '--version']);
      assert.deepEqual(r1, { stdout: 'ran iperf3 --version', stderr: '', exitCode: 0 });
      const r2 = await driver.exec(client, ['agent', 'rr', '--target', '1.2.3.4']);
      const [container, command] = must(seen.at(-1), 'the last exec');
      assert.equal(container, 'agent');
      assert.deepEqual(command, [
        'node',
        '/opt/cnibench/agent/cnibench-agent.mjs',
        'rr',
        '--target',
        '1.2.3.4',
      ]);
      assert.equal(r2.exitCode, 0);
      const r3 = await driver.exec(client, ['false']);
      assert.equal(r3.exitCode, 1);

      const bg = await driver.spawn(client, ['iperf3', '-s']);
      const out = await bg.stop();
      assert.equal(out.exitCode, 0);
      assert.equal(out.stdout, 'server listening\ndone\n');
      assert.ok(seen.some(([c, cmd]) => c === 'iperf3' && cmd.join(' ').endsWith('sh iperf3 -s')));
    } finally {
      fc.api.onExec = saved;
    }
  });

  test('cleanup deletes this run’s labelled namespaces only', async () => {
    const s = fc.api.store;
    s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cnb-r1-lookalike' } });
    s.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'cnb-r2-x',
        labels: { 'app.kubernetes.io/managed-by': 'cnibench', 'cnibench.io/run-id': 'r2' },
      },
    });
    s.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'keep', namespace: 'cnb-r1-lookalike' },
    });
    await driver.cleanup();
    const names = s.list('v1', 'Namespace').map((n) => n.metadata.name);
    assert.deepEqual(names.sort(), ['cnb-r1-lookalike', 'cnb-r2-x']);
    assert.ok(s.get('v1', 'ConfigMap', 'keep', 'cnb-r1-lookalike'));
    assert.equal(s.list('v1', 'Pod').length, 0, 'pods went with their namespaces');
    await driver.cleanup(); // safe twice
  });
});

describe('KubeDriver readiness', () => {
  test('waits through watch events for pods that start late', async () => {
    const fc = await startFakeCluster({ podReadyDelayMs: 300, onExec: () => ({ exitCode: 0 }) });
    try {
      const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'w1' });
      const t0 = Date.now();
      const pods = await d.ensureLayout(sampleCase());
      assert.ok(Date.now() - t0 >= 250);
      assert.ok(pods.every((p) => p.ip !== ''));
      assert.ok(
        fc.api.requests.some((r) => r.query.watch === 'true'),
        'a watch was used',
      );
      await d.cleanup();
    } finally {
      await fc.close();
    }
  });

  test('a pod that never becomes ready fails with its status after readyTimeout', async () => {
    // No schedulable node: pods stay Pending.
    const fc = await startFakeCluster({
      nodes: [{ name: 'cordoned', ip: '172.18.0.9', unschedulable: true }],
    });
    try {
      const d = new KubeDriver(clusterConfig(fc.kubeconfig, { readyTimeout: 1 }), {
        runId: 'w2',
      });
      await assert.rejects(d.ensureLayout(sampleCase()), (err: Error & { exitCode?: number }) => {
        assert.equal(err.exitCode, 3);
        assert.match(err.message, /3 of 3 pods not ready after 1 s: cnb-w2-x\/a \(Pending/);
        return true;
      });
      await d.cleanup();
      assert.equal(fc.api.store.list('v1', 'Namespace').length, 0);
    } finally {
      await fc.close();
    }
  });
});
