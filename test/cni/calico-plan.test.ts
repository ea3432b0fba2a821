import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { KubernetesObject } from '@kubernetes/client-node';
import { planCalico } from '../../src/cni/calico/installer.js';
import { calicoManifestUrl } from '../../src/cni/calico/release.js';
import { collectImages, parseManifest } from '../../src/cni/manifest.js';
import type { Artifact } from '../../src/cni/installer.js';
import { calico, fixture, kubeCluster, PUBLIC_REGISTRY_PATTERN } from './helpers.js';

const installationSchema = z.fromJSONSchema(
  JSON.parse(readFileSync(fixture('calico-installation.schema.json'), 'utf8')),
);
const apiServerSchema = z.fromJSONSchema(
  JSON.parse(readFileSync(fixture('calico-apiserver.schema.json'), 'utf8')),
);
const manifestText = readFileSync(fixture('tigera-operator.yaml'), 'utf8');
const manifest: Artifact = {
  location: '/cache/calico/v3.29.1/tigera-operator.yaml',
  origin: calicoManifestUrl('v3.29.1'),
  cached: true,
  text: manifestText,
};

const find = (objs: KubernetesObject[], kind: string) =>
  objs.find((o) => o.kind === kind) as (KubernetesObject & { spec: any; data?: any }) | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any

function assertValid(schema: z.ZodType, obj: unknown) {
  const r = schema.safeParse(obj);
  assert.ok(
    r.success,
    `schema violation: ${r.success ? '' : JSON.stringify(r.error.issues)}\n${JSON.stringify(obj, null, 2)}`,
  );
}

describe('Calico Installation and APIServer', () => {
  const encapsulations = ['VXLAN', 'VXLANCrossSubnet', 'IPIP', 'IPIPCrossSubnet', 'None'] as const;
  const dataplanes = ['Iptables', 'Nftables', 'BPF'] as const;

  for (const encapsulation of encapsulations) {
    for (const dataplane of dataplanes) {
      test(`${encapsulation} + ${dataplane} matches the published InstallationSpec`, () => {
        const plan = planCalico(
          calico({ encapsulation, dataplane, podCidr: '10.244.0.0/16' }),
          kubeCluster(),
          { manifest },
        );
        const inst = find(plan.objects, 'Installation')!;
        assertValid(installationSchema, inst);
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
      { manifest },
    );
    const inst = find(plan.objects, 'Installation')!;
    assertValid(installationSchema, inst);
    assert.equal(inst.spec.calicoNetwork.mtu, 1400);
    assert.equal(inst.spec.registry, 'mirror.corp:5000/proxy/');
    assert.deepEqual(inst.spec.imagePullSecrets, [{ name: 'mirror-creds' }, { name: 'other' }]);
  });

  test('APIServer is generated unless disabled', () => {
    const withApi = planCalico(calico(), kubeCluster(), { manifest });
    assertValid(apiServerSchema, find(withApi.objects, 'APIServer'));
    const without = planCalico(calico({ apiServer: false }), kubeCluster(), { manifest });
    assert.equal(find(without.objects, 'APIServer'), undefined);
  });

  test('a schema typo would be caught (the fixture is strict)', () => {
    const plan = planCalico(calico(), kubeCluster(), { manifest });
    const inst = structuredClone(find(plan.objects, 'Installation')!);
    inst.spec.calicoNetwork.linuxDataPlane = 'BPF';
    assert.equal(installationSchema.safeParse(inst).success, false);
  });

  test('eBPF gets the API server ConfigMap when the address is known, a warning otherwise', () => {
    const known = planCalico(calico({ dataplane: 'BPF' }), kubeCluster(), {
      manifest,
      apiServer: { host: '172.18.0.2', port: 6443 },
    });
    const cm = find(known.objects, 'ConfigMap')!;
    assert.equal(cm.metadata?.namespace, 'tigera-operator');
    assert.deepEqual(cm.data, { KUBERNETES_SERVICE_HOST: '172.18.0.2', KUBERNETES_SERVICE_PORT: '6443' });
    const unknown = planCalico(calico({ dataplane: 'BPF' }), kubeCluster(), { manifest });
    assert.equal(find(unknown.objects, 'ConfigMap'), undefined);
    assert.ok(unknown.warnings.some((w) => w.includes('kubernetes-services-endpoint')));
  });

  test('Nftables on a release before v3.29 is flagged', () => {
    const plan = planCalico(calico({ dataplane: 'Nftables' }, { version: 'v3.28.2' }), kubeCluster(), {
      manifest,
    });
    assert.ok(plan.warnings.some((w) => w.includes('Nftables needs Calico v3.29')));
  });
});

describe('Calico operator manifest', () => {
  test('without a registry the manifest is applied as published', () => {
    const plan = planCalico(calico(), kubeCluster(), { manifest });
    assert.deepEqual(collectImages(plan.manifest!.objects), [
      'quay.io/tigera/operator:v1.36.2',
      'busybox:1.36',
    ]);
    assert.equal(plan.manifest!.objects.length, parseManifest(manifestText, 'x').length);
  });

  test('with a registry no image is left on a public registry, paths and tags kept', () => {
    const plan = planCalico(
      calico(),
      kubeCluster({ imageRegistry: 'mirror.corp:5000', imagePullSecrets: ['mirror-creds'] }),
      { manifest },
    );
    const images = collectImages(plan.manifest!.objects);
    assert.deepEqual(images, [
      'mirror.corp:5000/tigera/operator:v1.36.2',
      'mirror.corp:5000/library/busybox:1.36',
    ]);
    for (const img of images) assert.doesNotMatch(img, PUBLIC_REGISTRY_PATTERN);
    const operator = find(plan.manifest!.objects, 'Deployment')!;
    assert.deepEqual(operator.spec.template.spec.imagePullSecrets, [{ name: 'mirror-creds' }]);
    // CRDs are never touched by the rewrite; their x-kubernetes-* schema fields survive parsing.
    const crd = plan.manifest!.objects.find(
      (o) => o.metadata?.name === 'installations.operator.tigera.io',
    ) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(
      crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields'],
      true,
    );
  });

  test('the rewrite does not modify the parsed input objects', () => {
    const cluster = kubeCluster({ imageRegistry: 'mirror.corp:5000' });
    planCalico(calico(), cluster, { manifest });
    const again = planCalico(calico(), kubeCluster(), { manifest });
    assert.equal(collectImages(again.manifest!.objects)[0], 'quay.io/tigera/operator:v1.36.2');
  });

  test('an uncached manifest leaves only its URL and a warning', () => {
    const plan = planCalico(calico(), kubeCluster(), {});
    assert.equal(plan.manifest!.objects.length, 0);
    assert.equal(
      plan.manifest!.origin,
      'https://raw.githubusercontent.com/projectcalico/calico/v3.29.1/manifests/tigera-operator.yaml',
    );
    assert.ok(plan.warnings.some((w) => w.includes('cnibench cni fetch calico --version v3.29.1')));
  });

  test('the readiness list names calico-node in calico-system', () => {
    const plan = planCalico(calico(), kubeCluster(), { manifest });
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
    const bad: Artifact = {
      ...manifest,
      text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\njust: text\n',
    };
    assert.throws(
      () => planCalico(calico(), kubeCluster(), { manifest: bad }),
      /document 2 is not a Kubernetes object/,
    );
  });
});
