import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentMainPath } from '../../../src/cluster/local/agent-client.js';
import { runTag } from '../../../src/cluster/local/names.js';
import { LocalTopology, type LocalNetworkMode, type LocalPod } from '../../../src/cluster/local/topology.js';
import { hostNftTables, netnsWithPrefix, testRunId } from './helpers.js';
import { must } from '../../helpers/must.js';

async function probeFrom(topo: LocalTopology, from: LocalPod, to: LocalPod, protocol: 'TCP' | 'UDP') {
  const targets = JSON.stringify([{ to: to.key, host: to.ip, port: 8080, protocol }]);
  const r = await topo.exec(from, [
    process.execPath,
    agentMainPath(),
    'probe',
    '--targets',
    targets,
    '--timeout-ms',
    '2000',
  ]);
  assert.equal(r.exitCode, 0, r.stderr);
  const [result] = JSON.parse(r.stdout) as Array<{ connected: boolean; answeredBy?: string; error?: string }>;
  return must(result, 'the probe result');
}

for (const mode of ['routed', 'vxlan'] as LocalNetworkMode[]) {
  describe(`local topology (${mode})`, () => {
    test('pods reach each other on the same node and across nodes; destroy leaves nothing', async () => {
      const runId = testRunId();
      const tablesBefore = await hostNftTables();
      const topo = new LocalTopology({ runId, nodes: 2, mode });
      try {
        await topo.create();
        const a = await topo.addPod({ namespace: 'x', name: 'a', node: 'node-0', ip: '10.244.1.10' });
        const b = await topo.addPod({ namespace: 'x', name: 'b', node: 'node-0', ip: '10.244.1.11' });
        const c = await topo.addPod({ namespace: 'y', name: 'c', node: 'node-1' });
        assert.match(c.ip, /^10\.244\.254\.\d+$/, 'auto-assigned from the top of podCidr');
        assert.deepEqual(await netnsWithPrefix(`${runId}-`), [
          `${runId}-fab`,
          `${runId}-n0`,
          `${runId}-n1`,
          `${runId}-p0`,
          `${runId}-p1`,
          `${runId}-p2`,
        ]);

        // Cross-node routes go through the profile's device.
        const route = await topo.exec(topo.nodeNetns('node-0'), ['ip', 'route', 'get', c.ip]);
        assert.match(route.stdout, mode === 'vxlan' ? /dev vxlan0/ : /via 172\.30\.0\.2 dev eth0/);
        // Calico-style pod wiring: /32 address, default via 169.254.1.1 onlink.
        const podRoutes = await topo.exec(a, ['ip', 'route']);
        assert.match(podRoutes.stdout, /default via 169\.254\.1\.1 dev eth0 onlink/);

        for (const dst of [b, c]) {
          const ping = await topo.exec(a, ['ping', '-c', '1', '-W', '2', dst.ip]);
          assert.equal(ping.exitCode, 0, `ping ${a.key} → ${dst.key}: ${ping.stdout}${ping.stderr}`);
        }

        const servers = [b, c].map((p) =>
          topo.spawn(p, [
            process.execPath,
            agentMainPath(),
            'serve',
            '--name',
            p.key,
            '--tcp',
            '8080',
            '--udp',
            '8080',
          ]),
        );
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((resolve, reject) => {
                s.child.stdout.on('data', (d: Buffer) => d.toString().includes('"ready":true') && resolve());
                void s.exited.then((r) => reject(new Error(`agent exited: ${r.stderr}`)));
              }),
          ),
        );
        for (const dst of [b, c]) {
          for (const proto of ['TCP', 'UDP'] as const) {
            const r = await probeFrom(topo, a, dst, proto);
            assert.deepEqual(
              [r.connected, r.answeredBy],
              [true, dst.key],
              `${proto} ${a.key} → ${dst.key}: ${r.error}`,
            );
          }
        }

        // Re-addressing a pod keeps it reachable at its new address only.
        await topo.setPodIp(c.key, '10.244.3.99');
        const moved = await probeFrom(topo, a, must(topo.pod(c.key), 'the moved pod'), 'TCP');
        assert.equal(moved.answeredBy, c.key);

        await topo.removePod(b.key);
        assert.equal(topo.pod(b.key), undefined);
        assert.ok(!(await netnsWithPrefix(`${runId}-`)).includes(b.netns));
      } finally {
        await topo.destroy();
      }
      assert.deepEqual(await netnsWithPrefix(runId), []);
      const tag = runTag(runId);
      assert.deepEqual(
        (await hostNftTables()).filter((t) => t.includes(tag)),
        tablesBefore.filter((t) => t.includes(tag)),
      );
    });
  });
}
