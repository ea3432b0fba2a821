/**
 * The Calico plan, purely: the manifest set of each version in apply order, the Installation and
 * APIServer for every setting, image rewriting, and refusals. (The generated objects are validated
 * against the real CRDs of each release in upstream.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { applySteps, planObjects } from '../../src/cni/apply.js';
import { planCalico } from '../../src/cni/calico/installer.js';
import { collectImages, parseManifest } from '../../src/cni/manifest.js';
import type { Artifact, PlanInputs } from '../../src/cni/installer.js';
import { InputError } from '../../src/util/errors.js';
import { calico, calicoInputs, fixture, kubeCluster, PUBLIC_REGISTRY_PATTERN } from './helpers.js';
import { asInstallation } from './calico-models.js';
import { asModel, isRecord, plain } from '../cluster/kube/fake-models.js';
import { must } from '../helpers/must.js';

const find = (objs: KubernetesObject[], kind: string) => objs.find((o) => o.kind === kind);
const installation = (objs: KubernetesObject[]) => asInstallation(find(objs, 'Installation'));

const v29 = calicoInputs('v3.29.1');
const v32 = calicoInputs('v3.32.1');
const operatorText = readFileSync(fixture('tigera-operator.yaml'), 'utf8');

describe('Calico Installation and APIServer', () => {
  const encapsulations = ['VXLAN', 'VXLANCrossSubnet', 'IPIP', 'IPIPCrossSubnet', 'None'] as const;
  const dataplanes = ['Iptables', 'Nftables', 'BPF'] as const;

  for (const encapsulation of encapsulations) {
    for (const dataplane of dataplanes) {
      test(`${encapsulation} + ${dataplane}`, () => {
        const plan = planCalico(
          calico({ encapsulation, dataplane, podCidr: '10.244.0.0/16' }),
          kubeCluster(),
          v32,
        );
        const inst = installation(plan.objects);
        const net = inst.spec.calicoNetwork;
        assert.equal(net.linuxDataplane, dataplane);
        assert.deepEqual(net.ipPools, [
          {
            name: 'default-ipv4-ippool',
            cidr: '10.244.0.0/16',
            encapsulation,
            natOutgoing: 'Enabled',
            nodeSelector: 'all()',
            blockSize: 26,
          },
        ]);
        // Only pure VXLAN can run without BGP; IP-in-IP and unencapsulated pools need its routes.
        assert.equal(net.bgp, encapsulation === 'VXLAN' ? 'Disabled' : 'Enabled');
        assert.equal(inst.spec.registry, undefined);
        assert.equal(net.mtu, undefined);
      });
    }
  }

  test('MTU, registry and pull secrets are carried over', () => {
    const plan = planCalico(
      calico({ mtu: 1400 }),
      kubeCluster({ imageRegistry: 'mirror.corp:5000/proxy', imagePullSecrets: ['mirror-creds', 'other'] }),
      v32,
    );
    const inst = installation(plan.objects);
    assert.equal(inst.spec.calicoNetwork.mtu, 1400);
    assert.equal(inst.spec.registry, 'mirror.corp:5000/proxy/');
    assert.deepEqual(inst.spec.imagePullSecrets, [{ name: 'mirror-creds' }, { name: 'other' }]);
  });

  test('APIServer is generated unless disabled', () => {
    const withApi = planCalico(calico(), kubeCluster(), v32);
    const apiServer: unknown = find(withApi.objects, 'APIServer');
    assert.deepEqual(isRecord(apiServer) ? apiServer.spec : undefined, {});
    const without = planCalico(calico({ apiServer: false }), kubeCluster(), v32);
    assert.equal(find(without.objects, 'APIServer'), undefined);
  });

  test('eBPF gets the API server ConfigMap when the address is known, a warning otherwise', () => {
    const known = planCalico(calico({ dataplane: 'BPF' }), kubeCluster(), {
      ...v32,
      apiServer: { host: '172.18.0.2', port: 6443 },
    });
    const cm = asModel('ConfigMap', find(known.objects, 'ConfigMap'));
    assert.equal(cm.metadata?.namespace, 'tigera-operator');
    assert.deepEqual(plain(cm.data), {
      KUBERNETES_SERVICE_HOST: '172.18.0.2',
      KUBERNETES_SERVICE_PORT: '6443',
    });
    const unknown = planCalico(calico({ dataplane: 'BPF' }), kubeCluster(), v32);
    assert.equal(find(unknown.objects, 'ConfigMap'), undefined);
    assert.ok(unknown.warnings.some((w) => w.includes('kubernetes-services-endpoint')));
  });

  test('settings the version lacks are refused (exit 2); versions outside the matrix too', () => {
    assert.throws(
      () =>
        planCalico(
          calico({ dataplane: 'Nftables' }, { version: 'v3.28.2' }),
          kubeCluster(),
          calicoInputs('v3.28.2'),
        ),
      (e: unknown) => e instanceof InputError && /Nftables needs Calico v3\.29\.0/.test(e.message),
    );
    assert.throws(
      () =>
        planCalico(
          calico({ clusterNetworkPolicy: true }, { version: 'v3.31.7' }),
          kubeCluster(),
          calicoInputs('v3.31.7'),
        ),
      (e: unknown) => e instanceof InputError && e.exitCode === 2 && /v3\.32\.0 or later/.test(e.message),
    );
    assert.throws(
      () => planCalico(calico({}, { version: 'v3.27.3' }), kubeCluster(), {}),
      (e: unknown) =>
        e instanceof InputError && /supports Calico \(Tigera operator\) v3\.28 to v3\.32/.test(e.message),
    );
    // Calico v3.32 needs nothing beyond its own manifests for ClusterNetworkPolicy.
    const cnp = planCalico(calico({ clusterNetworkPolicy: true }), kubeCluster(), v32);
    assert.deepEqual(
      cnp.objects.map((o) => o.kind),
      ['Installation', 'APIServer'],
    );
  });
});

describe('Calico manifests per version', () => {
  test('v3.28/v3.29: one tigera-operator.yaml carrying the CRDs', () => {
    const plan = planCalico(calico({}, { version: 'v3.29.1' }), kubeCluster(), v29);
    assert.deepEqual(
      plan.manifests.map((m) => m.file),
      ['tigera-operator.yaml'],
    );
    assert.equal(plan.manifests[0]?.objects.length, parseManifest(operatorText, 'x').length);
  });

  test('v3.30+: operator-crds.yaml, then tigera-operator.yaml; every CRD Established before any object of its kind', () => {
    for (const version of ['v3.30.0', 'v3.32.1']) {
      const plan = planCalico(calico({}, { version }), kubeCluster(), calicoInputs(version));
      assert.deepEqual(
        plan.manifests.map((m) => m.file),
        ['operator-crds.yaml', 'tigera-operator.yaml'],
      );
      assert.ok(plan.manifests[0]?.objects.every((o) => o.kind === 'CustomResourceDefinition'));
      assert.ok(!plan.manifests[1]?.objects.some((o) => o.kind === 'CustomResourceDefinition'));
      const steps = applySteps(planObjects(plan));
      const kinds = steps.map((s) => ('waitFor' in s ? 'WAIT' : s.apply.kind));
      const lastCrd = kinds.lastIndexOf('CustomResourceDefinition');
      const wait = kinds.indexOf('WAIT');
      assert.ok(lastCrd < wait, kinds.join(','));
      assert.ok(wait < kinds.indexOf('Installation') && wait < kinds.indexOf('APIServer'));
      assert.equal(kinds.filter((k) => k === 'WAIT').length, 1);
    }
  });

  test('the Installation has ipPools[].name only where the CRD has it (v3.28+)', () => {
    const plan = planCalico(calico({}, { version: 'v3.28.0' }), kubeCluster(), calicoInputs('v3.28.0'));
    assert.equal(installation(plan.objects).spec.calicoNetwork.ipPools[0]?.name, 'default-ipv4-ippool');
  });

  test('without a registry the manifests are applied as published; plan lists operator and component images', () => {
    const plan = planCalico(calico(), kubeCluster(), v32);
    assert.deepEqual(collectImages(planObjects(plan)), ['quay.io/tigera/operator:v1.36.2', 'busybox:1.36']);
    const images = plan.images.map((i) => i.image);
    assert.ok(images.includes('quay.io/calico/node:v3.32.1'));
    assert.ok(images.includes('quay.io/calico/apiserver:v3.32.1'));
    assert.ok(images.includes('quay.io/tigera/operator:v1.36.2'));
  });

  test('with a registry no image is left on a public registry, paths and tags kept', () => {
    const plan = planCalico(
      calico(),
      kubeCluster({ imageRegistry: 'mirror.corp:5000', imagePullSecrets: ['mirror-creds'] }),
      v32,
    );
    const images = collectImages(planObjects(plan));
    assert.deepEqual(images, [
      'mirror.corp:5000/tigera/operator:v1.36.2',
      'mirror.corp:5000/library/busybox:1.36',
    ]);
    for (const img of plan.images) assert.doesNotMatch(img.image, PUBLIC_REGISTRY_PATTERN);
    const operator = asModel('Deployment', find(planObjects(plan), 'Deployment'));
    assert.deepEqual(plain(operator.spec?.template.spec?.imagePullSecrets), [{ name: 'mirror-creds' }]);
    // CRDs are never touched by the rewrite; their x-kubernetes-* schema fields survive parsing (the
    // client's model names x-kubernetes-preserve-unknown-fields x_kubernetes_preserve_unknown_fields).
    const crd = asModel(
      'CustomResourceDefinition',
      planObjects(plan).find((o) => o.metadata?.name === 'installations.operator.tigera.io'),
    );
    const schema = must(crd.spec.versions[0], 'the CRD version').schema?.openAPIV3Schema;
    assert.equal(schema?.properties?.spec?.x_kubernetes_preserve_unknown_fields, true);
  });

  test('the rewrite does not modify the parsed input objects', () => {
    planCalico(calico(), kubeCluster({ imageRegistry: 'mirror.corp:5000' }), v32);
    const again = planCalico(calico(), kubeCluster(), v32);
    assert.equal(collectImages(planObjects(again))[0], 'quay.io/tigera/operator:v1.36.2');
  });

  test('uncached manifests leave their URLs and a warning each', () => {
    const plan = planCalico(calico(), kubeCluster(), {});
    assert.deepEqual(
      plan.manifests.map((m) => [m.origin, m.objects.length]),
      [
        ['https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/operator-crds.yaml', 0],
        ['https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/tigera-operator.yaml', 0],
      ],
    );
    assert.equal(
      plan.warnings.filter((w) => w.includes('cnibench cni fetch calico --version v3.32.1')).length,
      2,
    );
  });

  test('the readiness list names calico-node in calico-system', () => {
    const plan = planCalico(calico(), kubeCluster(), v32);
    assert.ok(
      plan.readiness.some(
        (r) =>
          r.kind === 'DaemonSet' &&
          r.namespace === 'calico-system' &&
          r.name === 'calico-node' &&
          !r.optional,
      ),
    );
  });

  test('a broken manifest is an input error naming the document', () => {
    const good = v29.manifests?.['tigera-operator.yaml'] as Artifact;
    const bad: PlanInputs = {
      manifests: {
        'tigera-operator.yaml': {
          ...good,
          text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\njust: text\n',
        },
      },
    };
    assert.throws(
      () => planCalico(calico({}, { version: 'v3.29.1' }), kubeCluster(), bad),
      /document 2 is not a Kubernetes object/,
    );
  });
});

describe('the registry of the images the Tigera operator deploys, per release', () => {
  // CalicoRegistry in tigera/operator pkg/components/images.go: docker.io/ in operators v1.34 (Calico
  // v3.28), v1.36 (v3.29) and v1.38.0–v1.38.6 (v3.30.0–v3.30.3); quay.io/ from v1.38.7 (v3.30.4).
  const cases: [string, string][] = [
    ['v3.28.5', 'docker.io'],
    ['v3.29.1', 'docker.io'],
    ['v3.30.3', 'docker.io'],
    ['v3.30.4', 'quay.io'],
    ['v3.31.7', 'quay.io'],
    ['v3.32.1', 'quay.io'],
  ];
  for (const [version, registry] of cases) {
    test(`Calico ${version}: ${registry}/calico/*, and a mirror names that source`, () => {
      const operatorImages = (p: ReturnType<typeof planCalico>) =>
        p.images.filter((i) => i.from === 'the Tigera operator');
      const plan = planCalico(calico({ apiServer: true }, { version }), kubeCluster(), calicoInputs(version));
      const images = operatorImages(plan).map((i) => i.image);
      assert.ok(images.includes(`${registry}/calico/node:${version}`), images.join(', '));
      assert.ok(images.includes(`${registry}/calico/apiserver:${version}`), images.join(', '));
      assert.ok(
        images.every((i) => i.startsWith(`${registry}/calico/`)),
        images.join(', '),
      );
      assert.ok(operatorImages(plan).every((i) => i.source === undefined));

      const mirrored = planCalico(
        calico({}, { version }),
        kubeCluster({ imageRegistry: 'mirror.corp:5000' }),
        calicoInputs(version),
      );
      const node = must(mirrored.images.find((i) => i.image === `mirror.corp:5000/calico/node:${version}`));
      assert.equal(node.source, `${registry}/calico/node:${version}`);
      // The manifest's own image (the operator) keeps its published source too.
      const operator = must(
        mirrored.images.find((i) => i.image.startsWith('mirror.corp:5000/tigera/operator:')),
      );
      assert.match(operator.source ?? '', /^quay\.io\/tigera\/operator:/);
    });
  }
});
