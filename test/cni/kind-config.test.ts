import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { kindConfig, kindSettingsForScenario } from '../../src/cni/kind-config.js';
import { loadScenario } from '../../src/run/scenario-file.js';
import { InputError } from '../../src/util/errors.js';
import { runCli, tempDir } from './helpers.js';
import { repoPath } from '../helpers/paths.js';

/** The fields of a kind cluster config these tests read. */
interface KindConfig {
  apiVersion: string;
  networking: Record<string, unknown>;
  nodes: Array<{ role: string }>;
}

const SCENARIO = repoPath('scenarios/kind-calico-vs-cilium.yaml');

describe('kind cluster config', () => {
  test('default CNI disabled, N workers, pod subnet and kube-proxy mode', () => {
    assert.deepEqual(kindConfig({ workers: 3, podSubnet: '192.168.0.0/16', kubeProxyMode: 'none' }), {
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'cnibench',
      networking: { disableDefaultCNI: true, kubeProxyMode: 'none', podSubnet: '192.168.0.0/16' },
      nodes: [{ role: 'control-plane' }, { role: 'worker' }, { role: 'worker' }, { role: 'worker' }],
    });
    assert.throws(() => kindConfig({ workers: -1 }), InputError);
  });

  test('the shipped scenario is valid and its candidates agree on one kind cluster', () => {
    const { scenario } = loadScenario(SCENARIO);
    assert.equal(scenario.cluster.kind, 'kube');
    assert.deepEqual(
      scenario.candidates.map((c) => `${c.cni} ${'version' in c ? c.version : ''}`),
      ['calico v3.32.1', 'cilium 1.20.0'],
    );
    assert.deepEqual(
      scenario.workloads.map((w) => w.kind),
      ['conformance', 'throughput', 'latency'],
    );
    assert.deepEqual(kindSettingsForScenario(scenario), {
      podSubnet: '10.244.0.0/16',
      kubeProxyMode: 'iptables',
    });
  });

  test('candidates that disagree need --candidate', (t) => {
    const file = join(tempDir(t), 's.yaml');
    writeFileSync(
      file,
      [
        'name: x',
        'cluster: {kind: kube}',
        'candidates:',
        '  - {name: calico, cni: calico, version: v3.29.1}',
        '  - {name: cilium, cni: cilium, version: 1.16.5, settings: {kubeProxyReplacement: true}}',
        'workloads: [{kind: conformance}]',
      ].join('\n'),
    );
    const { scenario } = loadScenario(file);
    assert.throws(() => kindSettingsForScenario(scenario), /different pod subnets/);
    assert.deepEqual(kindSettingsForScenario(scenario, 'cilium'), {
      podSubnet: '10.244.0.0/16',
      kubeProxyMode: 'none',
    });
    assert.deepEqual(kindSettingsForScenario(scenario, 'calico'), {
      podSubnet: '192.168.0.0/16',
      kubeProxyMode: 'iptables',
    });
    assert.throws(() => kindSettingsForScenario(scenario, 'nope'), /no real-cluster candidate named "nope"/);
  });

  test('cnibench cluster kind-config --scenario --workers --out', async (t) => {
    const out = join(tempDir(t), 'kind.yaml');
    const r = await runCli([
      'cluster',
      'kind-config',
      '--scenario',
      SCENARIO,
      '--workers',
      '2',
      '--out',
      out,
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    const cfg = parse(readFileSync(out, 'utf8')) as KindConfig;
    assert.equal(cfg.apiVersion, 'kind.x-k8s.io/v1alpha4');
    assert.equal(cfg.networking.disableDefaultCNI, true);
    assert.equal(cfg.networking.podSubnet, '10.244.0.0/16');
    assert.equal(cfg.nodes.filter((n) => n.role === 'worker').length, 2);
    const stdout = await runCli([
      'cluster',
      'kind-config',
      '--workers',
      '1',
      '--kube-proxy-mode',
      'none',
      '--pod-subnet',
      '10.10.0.0/16',
    ]);
    assert.equal(stdout.exitCode, 0, stdout.stderr);
    assert.deepEqual((parse(stdout.stdout) as KindConfig).networking, {
      disableDefaultCNI: true,
      kubeProxyMode: 'none',
      podSubnet: '10.10.0.0/16',
    });
  });
});
