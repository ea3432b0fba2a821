import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planCilium, IPSEC_KEY_PLACEHOLDER } from '../../src/cni/cilium/installer.js';
import { ciliumValues, getPath, imageBlocks, mergeValues } from '../../src/cni/cilium/values.js';
import { ciliumSettingsOf } from '../../src/cni/cilium/settings.js';
import { helmInstallArgs } from '../../src/cni/helm.js';
import { InputError } from '../../src/util/errors.js';
import { cilium, kubeCluster, PUBLIC_REGISTRY_PATTERN } from './helpers.js';
import { must } from '../helpers/must.js';

const cluster = kubeCluster();

describe('Cilium Helm values', () => {
  const variants: { settings: Record<string, unknown> }[] = [
    { settings: {} },
    { settings: { tunnelProtocol: 'geneve' } },
    { settings: { routingMode: 'native', ipv4NativeRoutingCidr: '10.244.0.0/16' } },
    { settings: { kubeProxyReplacement: true } },
    { settings: { encryption: 'wireguard' } },
    { settings: { encryption: 'ipsec' } },
    { settings: { hubble: true } },
  ];
  for (const v of variants) {
    test(`settings ${JSON.stringify(v.settings)} are written as the chart names them`, () => {
      const { values } = ciliumValues({
        settings: ciliumSettingsOf(cilium(v.settings)),
        version: '1.20.0',
        uninstallAfter: true,
        imagePullSecrets: ['creds'],
        apiServer: { host: '172.18.0.2', port: 6443 },
      });
      assert.equal(values.routingMode, v.settings.routingMode ?? 'tunnel');
      assert.deepEqual(values.ipam, { mode: 'kubernetes' });
      assert.equal(values.kubeProxyReplacement, v.settings.kubeProxyReplacement ?? false);
      assert.deepEqual(values.cni, { uninstall: true });
      // Every generated key is checked against each version's real values.yaml in upstream.test.ts.
    });
  }

  test('defaults: VXLAN tunnel, kube-proxy kept, no encryption, Hubble off (the chart defaults it on)', () => {
    const { values, warnings } = ciliumValues({
      settings: ciliumSettingsOf(cilium()),
      version: '1.20.0',
      imagePullSecrets: [],
    });
    assert.deepEqual(values, {
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      ipam: { mode: 'kubernetes' },
      kubeProxyReplacement: false,
      encryption: { enabled: false },
      hubble: { enabled: false, relay: { enabled: false }, ui: { enabled: false } },
    });
    assert.deepEqual(warnings, []);
  });

  test('native routing needs the native CIDR and installs direct node routes', () => {
    const { values } = ciliumValues({
      settings: ciliumSettingsOf(cilium({ routingMode: 'native', ipv4NativeRoutingCidr: '10.244.0.0/16' })),
      version: '1.20.0',
      imagePullSecrets: [],
    });
    assert.equal(values.routingMode, 'native');
    assert.equal(values.tunnelProtocol, undefined);
    assert.equal(values.autoDirectNodeRoutes, true);
    assert.equal(values.ipv4NativeRoutingCIDR, '10.244.0.0/16');
    assert.throws(
      () =>
        ciliumValues({
          settings: ciliumSettingsOf(cilium({ routingMode: 'native' })),
          version: '1.20.0',
          imagePullSecrets: [],
        }),
      (e: unknown) => e instanceof InputError && /ipv4NativeRoutingCidr is required/.test(e.message),
    );
  });

  test('kube-proxy replacement points the agent at the API server, or warns in a dry run', () => {
    const known = ciliumValues({
      settings: ciliumSettingsOf(cilium({ kubeProxyReplacement: true })),
      version: '1.20.0',
      imagePullSecrets: [],
      apiServer: { host: '172.18.0.2', port: 6443 },
    });
    assert.equal(known.values.kubeProxyReplacement, true);
    assert.equal(known.values.k8sServiceHost, '172.18.0.2');
    assert.equal(known.values.k8sServicePort, 6443);
    const unknown = ciliumValues({
      settings: ciliumSettingsOf(cilium({ kubeProxyReplacement: true })),
      version: '1.20.0',
      imagePullSecrets: [],
    });
    assert.equal(unknown.values.k8sServiceHost, undefined);
    assert.ok(unknown.warnings.some((w) => w.includes('k8sServiceHost')));
  });

  test('a candidate removed after its run takes its CNI config off the nodes when uninstalled', () => {
    const plan = planCilium(cilium(), cluster);
    assert.equal((must(plan.helm, 'helm plan').values.cni as { uninstall: boolean }).uninstall, true);
    const kept = planCilium(cilium({}, { uninstallAfter: false }), cluster);
    assert.equal(must(kept.helm, 'helm plan').values.cni, undefined);
  });

  test('encryption type and Hubble with relay and UI', () => {
    for (const type of ['wireguard', 'ipsec'] as const) {
      const { values } = ciliumValues({
        settings: ciliumSettingsOf(cilium({ encryption: type, hubble: true })),
        version: '1.20.0',
        imagePullSecrets: [],
      });
      assert.deepEqual(values.encryption, { enabled: true, type });
      assert.deepEqual(values.hubble, { enabled: true, relay: { enabled: true }, ui: { enabled: true } });
    }
  });

  test('the image blocks follow the chart version', () => {
    const paths = (v: string) => imageBlocks(v).map((b) => `${b.path}=${b.repository}`);
    assert.ok(!paths('1.16.5').some((p) => p.startsWith('preflight.envoy.image')));
    assert.ok(paths('1.18.0').includes('preflight.envoy.image=quay.io/cilium/cilium-envoy'));
    assert.ok(!paths('1.19.1').some((p) => p.startsWith('encryption.ztunnel.image')));
    assert.ok(paths('1.19.2').includes('encryption.ztunnel.image=docker.io/istio/ztunnel'));
    assert.ok(paths('1.20.0').includes('encryption.ztunnel.image=quay.io/cilium/ztunnel'));
    assert.equal(paths('1.20.0').filter((p) => p.startsWith('encryption.ztunnel.image')).length, 1);
  });

  test('a registry moves every image block of the version, with digests off', () => {
    const { values } = ciliumValues({
      settings: ciliumSettingsOf(cilium({ hubble: true })),
      version: '1.20.0',
      imageRegistry: 'mirror.corp:5000/cache',
      imagePullSecrets: ['creds'],
    });
    for (const img of imageBlocks('1.20.0')) {
      const repo = getPath(values, `${img.path}.repository`) as string;
      assert.equal(repo, img.repository.replace(/^[^/]+/, 'mirror.corp:5000/cache'));
      assert.equal(getPath(values, `${img.path}.useDigest`), false, `${img.path}.useDigest`);
    }
    assert.doesNotMatch(JSON.stringify(values), PUBLIC_REGISTRY_PATTERN);
    assert.deepEqual(values.imagePullSecrets, [{ name: 'creds' }]);
  });

  test('settings.values are merged last (maps merge, lists replace)', () => {
    const { values } = ciliumValues({
      settings: ciliumSettingsOf(
        cilium({
          values: { hubble: { relay: { replicas: 2 } }, operator: { replicas: 1 }, tunnelProtocol: 'geneve' },
        }),
      ),
      version: '1.20.0',
      imagePullSecrets: [],
    });
    assert.deepEqual(values.hubble, {
      enabled: false,
      relay: { enabled: false, replicas: 2 },
      ui: { enabled: false },
    });
    assert.deepEqual(values.operator, { replicas: 1 });
    assert.equal(values.tunnelProtocol, 'geneve');
    assert.deepEqual(mergeValues({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } }), {
      a: [3],
      b: { c: 1, d: 2 },
    });
  });
});

describe('Cilium plan', () => {
  test('repository chart at the pinned version, namespace kube-system, cluster context passed to helm', () => {
    const plan = planCilium(cilium(), kubeCluster({ context: 'kind-cnibench', kubeconfig: '/k/config' }));
    assert.deepEqual(helmInstallArgs(must(plan.helm, 'helm plan'), 'values.yaml'), [
      'upgrade',
      '--install',
      'cilium',
      'cilium',
      '--repo',
      'https://helm.cilium.io/',
      '--version',
      '1.20.0',
      '--namespace',
      'kube-system',
      '--values',
      'values.yaml',
      '--kubeconfig',
      '/k/config',
      '--kube-context',
      'kind-cnibench',
    ]);
  });

  test('a local or cached chart replaces the repository and needs no --version', () => {
    const local = planCilium(cilium({ chart: '/charts/cilium-1.20.0.tgz' }), cluster);
    assert.deepEqual(helmInstallArgs(must(local.helm, 'helm plan'), 'v.yaml').slice(0, 5), [
      'upgrade',
      '--install',
      'cilium',
      '/charts/cilium-1.20.0.tgz',
      '--namespace',
    ]);
    const cached = planCilium(cilium(), cluster, {
      chart: {
        file: 'cilium-1.20.0.tgz',
        location: '/cache/cilium/1.20.0/cilium-1.20.0.tgz',
        origin: 'x',
        cached: true,
      },
    });
    assert.equal(must(cached.helm, 'helm plan').chart, '/cache/cilium/1.20.0/cilium-1.20.0.tgz');
    assert.equal(must(cached.helm, 'helm plan').version, undefined);
  });

  test('IPsec adds the key Secret; the key is generated at install time, never in a dry run', () => {
    const dry = planCilium(cilium({ encryption: 'ipsec' }), cluster);
    const secret = dry.objects[0] as unknown as {
      kind: string;
      metadata: { name: string; namespace: string };
      stringData: { keys: string };
    };
    assert.equal(secret.kind, 'Secret');
    assert.equal(secret.metadata.name, 'cilium-ipsec-keys');
    assert.equal(secret.stringData.keys, IPSEC_KEY_PLACEHOLDER);
    const real = planCilium(cilium({ encryption: 'ipsec' }), cluster, {
      ipsecKey: '3+ rfc4106(gcm(aes)) abcd 128',
    });
    assert.equal(
      (real.objects[0] as unknown as typeof secret).stringData.keys,
      '3+ rfc4106(gcm(aes)) abcd 128',
    );
    assert.equal(planCilium(cilium({ encryption: 'wireguard' }), cluster).objects.length, 0);
  });

  test('readiness: agent, operator, Envoy if present, relay with Hubble', () => {
    const plan = planCilium(cilium({ hubble: true }), cluster);
    assert.deepEqual(
      plan.readiness.map((r) => `${r.kind} ${r.name}${r.optional ? '?' : ''}`),
      [
        'DaemonSet cilium',
        'DaemonSet cilium-envoy?',
        'Deployment cilium-operator',
        'Deployment hubble-relay',
      ],
    );
  });

  test('settings.values that reintroduce a public image are flagged', () => {
    const plan = planCilium(
      cilium({ values: { image: { repository: 'quay.io/cilium/cilium' } } }),
      kubeCluster({ imageRegistry: 'mirror.corp:5000' }),
    );
    assert.ok(
      plan.warnings.some((w) => w.includes('image.repository') && w.includes('quay.io/cilium/cilium')),
    );
  });

  test('ClusterNetworkPolicy (1.20+): the chart value and the v0.2.0 CRD, applied before helm; refused before 1.20', () => {
    const plan = planCilium(cilium({ clusterNetworkPolicy: true }), cluster);
    assert.deepEqual(plan.helm?.values.k8sClusterNetworkPolicy, { enabled: true });
    assert.deepEqual(
      plan.manifests.map((m) => [m.file, m.origin]),
      [
        [
          'policy.networking.k8s.io_clusternetworkpolicies.yaml',
          'https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/v0.2.0/config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml',
        ],
      ],
    );
    assert.equal(planCilium(cilium(), cluster).helm?.values.k8sClusterNetworkPolicy, undefined);
    assert.throws(
      () => planCilium(cilium({ clusterNetworkPolicy: true }, { version: '1.19.6' }), cluster),
      (e: unknown) => e instanceof InputError && /needs Cilium 1\.20\.0 or later/.test(e.message),
    );
  });

  test('cilium-operator: no more replicas than nodes (one per node, required anti-affinity)', () => {
    const one = planCilium(cilium(), cluster, { nodeCount: 1 });
    assert.deepEqual(one.helm?.values.operator, { replicas: 1 });
    const three = planCilium(cilium(), cluster, { nodeCount: 3 });
    assert.equal(three.helm?.values.operator, undefined);
    const dry = planCilium(cilium(), cluster);
    assert.equal(dry.helm?.values.operator, undefined);
    assert.ok(dry.warnings.some((w) => w.includes('operator.replicas to the node count')));
  });

  test('images: from the cached chart, pinned by digest; moved to the mirror with digests off', () => {
    const chartValues = {
      image: { repository: 'quay.io/cilium/cilium', tag: 'v1.20.0', digest: 'sha256:aa', useDigest: true },
      envoy: {
        image: {
          repository: 'quay.io/cilium/cilium-envoy',
          tag: 'v1.37.5',
          digest: 'sha256:bb',
          useDigest: true,
        },
      },
      operator: {
        image: {
          repository: 'quay.io/cilium/operator',
          tag: 'v1.20.0',
          genericDigest: 'sha256:cc',
          useDigest: true,
        },
      },
    };
    const upstream = planCilium(cilium(), cluster, { chartValues });
    assert.deepEqual(
      upstream.images.map((i) => i.image),
      [
        'quay.io/cilium/cilium:v1.20.0@sha256:aa',
        'quay.io/cilium/cilium-envoy:v1.37.5@sha256:bb',
        'quay.io/cilium/operator-generic:v1.20.0@sha256:cc',
      ],
    );
    const mirrored = planCilium(cilium(), kubeCluster({ imageRegistry: 'mirror.corp:5000' }), {
      chartValues,
    });
    assert.deepEqual(
      mirrored.images.map((i) => i.image),
      [
        'mirror.corp:5000/cilium/cilium:v1.20.0',
        'mirror.corp:5000/cilium/cilium-envoy:v1.37.5',
        'mirror.corp:5000/cilium/operator-generic:v1.20.0',
      ],
    );
    const uncached = planCilium(cilium(), cluster);
    assert.equal(uncached.images[0]?.image, 'quay.io/cilium/cilium:v1.20.0');
  });
});
