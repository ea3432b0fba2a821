/**
 * The "add a CNI" recipe followed: the test CNI of this folder, registered by one line (cli.ts), shows
 * up wherever a CNI does — `cni versions`, the scenario schema and validation, `plan`, `install
 * --dry-run`, `cluster kind-config`, `detect` — while the plain CLI, without the line, does not know it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { REPO_ROOT, repoPath } from '../../helpers/paths.js';
import { FakeApiServer, type KubeObject } from '../../cluster/kube/fake-apiserver.js';
import { kubeCluster, runCli, tempDir } from '../helpers.js';
import { flatnetInstaller } from './installer.js';

const CLI_WITH_FLATNET = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.js');
const SCENARIO = repoPath('test/cni/fake-cni/scenario.yaml');

function cli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI_WITH_FLATNET, ...args], {
    reject: false,
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('a third CNI registered by one line', () => {
  test('cni versions lists its matrix and features after Calico and Cilium', async () => {
    const r = await cli(['cni', 'versions']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(
      r.stdout,
      /Calico \(Tigera operator\)[\s\S]*Cilium \(Helm chart\)[\s\S]*flatnet \(test CNI\): 0\.2 to 0\.3/,
    );
    assert.match(r.stdout, /0\.3 {4}newest 0\.3\.1 \(2026-11-20\); files: flatnet\.yaml/);
    assert.match(r.stdout, /encryption: since 0\.3\.0 \(WireGuard between nodes\)/);
    const json = await cli(['cni', 'versions', '--json']);
    assert.deepEqual(
      (JSON.parse(json.stdout) as { cni: string }[]).map((m) => m.cni),
      ['calico', 'cilium', 'flatnet'],
    );
  });

  test('the scenario schema takes it, with its own settings', async () => {
    const r = await cli(['schema']);
    assert.equal(r.exitCode, 0, r.stderr);
    const text = r.stdout;
    assert.match(text, /"const": "flatnet"/);
    assert.match(text, /"encryption"/);
    const plain = await runCli(['schema']);
    assert.doesNotMatch(plain.stdout, /flatnet/);
  });

  test('plan prints its install plan and its label from the registry', async () => {
    const r = await cli(['plan', SCENARIO]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /install Flatnet 0\.3\.1/);
    assert.match(r.stdout, /# cnibench install plan: candidate "flat", flatnet 0\.3\.1/);
    assert.match(r.stdout, /example\.invalid\/flatnet\/agent:0\.3\.1 {2}\(DaemonSet kube-system\/flatnet\)/);
    assert.match(r.stdout, /uninstall Flatnet 0\.3\.1\n\s+delete DaemonSet kube-system\/flatnet/);
    assert.match(r.stdout, /install Calico v3\.32\.1/);
  });

  test('install --dry-run prints what it would apply, mirror applied, offline', async (t) => {
    const cache = tempDir(t);
    const r = await cli(
      ['install', 'flatnet', '--dry-run', '--version', '0.2.4', '--image-registry', 'm.corp'],
      {
        CNIBENCH_CACHE: cache,
      },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /candidate "flatnet", flatnet 0\.2\.4/);
    assert.match(
      r.stdout,
      /flatnet\.yaml: the flatnet DaemonSet; not cached, a run downloads https:\/\/example\.invalid/,
    );
    assert.match(r.stdout, /image: m\.corp\/flatnet\/agent:0\.2\.4/);
    assert.match(r.stdout, /DaemonSet kube-system\/flatnet is rolled out/);
  });

  test('validation reads its matrix and feature rules, with file, line and column', async (t) => {
    const r = await cli(['install', 'flatnet', '--dry-run', '--version', '0.4.0']);
    assert.equal(r.exitCode, 2);
    assert.match(
      r.stderr,
      /flatnet 0\.4\.0 is outside the supported range: cnibench supports flatnet \(test CNI\) 0\.2 to 0\.3/,
    );
    const file = path.join(tempDir(t), 'old.yaml');
    writeFileSync(file, readFileSync(SCENARIO, 'utf8').replace('version: 0.3.1', 'version: 0.2.4'));
    const old = await cli(['validate', file]);
    assert.equal(old.exitCode, 2);
    assert.match(
      old.stderr,
      /old\.yaml:12:19 candidates\[0\]\.settings\.encryption: needs flatnet 0\.3\.0 or later \(WireGuard between nodes\); 0\.2\.4 does not have it/,
    );
    assert.equal((await cli(['validate', SCENARIO])).exitCode, 0);
  });

  test('cluster kind-config takes its pod subnet from the installer', async () => {
    const r = await cli([
      'cluster',
      'kind-config',
      '--scenario',
      SCENARIO,
      '--candidate',
      'flat',
      '--workers',
      '1',
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /podSubnet: 10\.244\.0\.0\/16/);
  });

  test('detect names it on a cluster that runs it, from the detection in its own folder', async (t) => {
    const api = await FakeApiServer.start();
    t.after(() => api.close());
    api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    // The plan's own DaemonSet, as an install applies it.
    const flat = {
      name: 'flat',
      cni: 'flatnet',
      version: '0.3.1',
      settings: {},
      uninstallAfter: true,
      force: false,
    };
    const plan = flatnetInstaller.plan(flat, kubeCluster());
    for (const o of plan.objects) api.store.create(o as KubeObject);
    const kubeconfig = await api.writeKubeconfig(tempDir(t));
    const r = await cli(['detect', '--kubeconfig', kubeconfig, '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as { cnis: { cni: string; version: string; name: string }[] }).cnis;
    assert.deepEqual(
      found.map((d) => `${d.cni} ${d.version} ${d.name}`),
      ['flatnet 0.3.1 flatnet'],
    );
    // The plain CLI does not know it: nothing outside the folder and the registration line names it.
    const plain = await runCli(['detect', '--kubeconfig', kubeconfig, '--json']);
    assert.equal(plain.exitCode, 0, plain.stderr);
    assert.deepEqual((JSON.parse(plain.stdout) as { cnis: unknown[] }).cnis, []);
  });

  test('without the registration line the CLI refuses it', async () => {
    const r = await runCli(['validate', SCENARIO]);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /scenario\.yaml:8:10 candidates\[0\]\.cni: /);
    const install = await runCli(['install', 'flatnet', '--dry-run']);
    assert.equal(install.exitCode, 2);
    assert.match(install.stderr, /one of calico, cilium/);
  });
});
