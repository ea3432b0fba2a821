import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planCilium, IPSEC_KEY_PLACEHOLDER } from '../../src/cni/cilium/installer.js';
import { CILIUM_IMAGES, ciliumValues, getPath, mergeValues } from '../../src/cni/cilium/values.js';
import { helmInstallArgs } from '../../src/cni/cilium/helm.js';
import { InputError } from '../../src/util/errors.js';
import { cilium, fixture, kubeCluster, PUBLIC_REGISTRY_PATTERN } from './helpers.js';

interface KeysFixture {
  images: Record<string, string>;
  keys: Record<string, { type: string }>;
}
const reference = JSON.parse(readFileSync(fixture('cilium-values-keys.json'), 'utf8')) as KeysFixture;

/** Dotted paths of every leaf (lists count as leaves, as in the chart's values table). */
function leaves(v: unknown, prefix = ''): [string, unknown][] {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    return Object.entries(v).flatMap(([k, x]) => leaves(x, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, v]];
}

function assertKnownKeys(values: Record<string, unknown>) {
  for (const [path, value] of leaves(values)) {
    const ref = reference.keys[path];
    assert.ok(
      ref,
      `value key "${path}" is not in the chart's values reference (test/fixtures/cni/cilium-values-keys.json)`,
    );
    const actual = Array.isArray(value)
      ? 'list'
      : typeof value === 'boolean'
        ? 'bool'
        : typeof value === 'number'
          ? 'int'
          : 'string';
    assert.ok(
      ref.type.split('|').includes(actual),
      `${path}: chart expects ${ref.type}, cnibench writes ${actual}`,
    );
  }
}

const cluster = kubeCluster();

describe('Cilium Helm values', () => {
  const variants: Record<string, Record<string, unknown>>[] = [
    { settings: {} },
    { settings: { tunnelProtocol: 'geneve' } },
    { settings: { routingMode: 'native', ipv4NativeRoutingCidr: '10.244.0.0/16' } },
    { settings: { kubeProxyReplacement: true } },
    { settings: { encryption: 'wireguard' } },
    { settings: { encryption: 'ipsec' } },
    { settings: { hubble: true } },
  ];
  for (const v of variants) {
    test(`settings ${JSON.stringify(v.settings)} use only published keys`, () => {
      const { values } = ciliumValues({
        settings: cilium(v.settings).settings,
        uninstallAfter: true,
        imageRegistry: 'mirror.corp:5000',
        imagePullSecrets: ['creds'],
        apiServer: { host: '172.18.0.2', port: 6443 },
      });
      assertKnownKeys(values);
    });
  }

  test('defaults: VXLAN tunnel, kube-proxy kept, no encryption, Hubble off (the chart defaults it on)', () => {
    const { values, warnings } = ciliumValues({ settings: cilium().settings, imagePullSecrets: [] });
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
      settings: cilium({ routingMode: 'native', ipv4NativeRoutingCidr: '10.244.0.0/16' }).settings,
      imagePullSecrets: [],
    });
    assert.equal(values.routingMode, 'native');
    assert.equal(values.tunnelProtocol, undefined);
    assert.equal(values.autoDirectNodeRoutes, true);
    assert.equal(values.ipv4NativeRoutingCIDR, '10.244.0.0/16');
    assert.throws(
      () => ciliumValues({ settings: cilium({ routingMode: 'native' }).settings, imagePullSecrets: [] }),
      (e: unknown) => e instanceof InputError && /ipv4NativeRoutingCidr is required/.test(e.message),
    );
  });

  test('kube-proxy replacement points the agent at the API server, or warns in a dry run', () => {
    const known = ciliumValues({
      settings: cilium({ kubeProxyReplacement: true }).settings,
      imagePullSecrets: [],
      apiServer: { host: '172.18.0.2', port: 6443 },
    });
    assert.equal(known.values.kubeProxyReplacement, true);
    assert.equal(known.values.k8sServiceHost, '172.18.0.2');
    assert.equal(known.values.k8sServicePort, 6443);
    const unknown = ciliumValues({
      settings: cilium({ kubeProxyReplacement: true }).settings,
      imagePullSecrets: [],
    });
    assert.equal(unknown.values.k8sServiceHost, undefined);
    assert.ok(unknown.warnings.some((w) => w.includes('k8sServiceHost')));
  });

  test('a candidate removed after its run takes its CNI config off the nodes when uninstalled', () => {
    const plan = planCilium(cilium(), cluster);
    assert.equal((plan.helm!.values.cni as { uninstall: boolean }).uninstall, true);
    const kept = planCilium(cilium({}, { uninstallAfter: false }), cluster);
    assert.equal(kept.helm!.values.cni, undefined);
  });

  test('encryption type and Hubble with relay and UI', () => {
    for (const type of ['wireguard', 'ipsec'] as const) {
      const { values } = ciliumValues({
        settings: cilium({ encryption: type, hubble: true }).settings,
        imagePullSecrets: [],
      });
      assert.deepEqual(values.encryption, { enabled: true, type });
      assert.deepEqual(values.hubble, { enabled: true, relay: { enabled: true }, ui: { enabled: true } });
    }
  });

  test('every image the chart can deploy is covered, and a registry moves all of them with digests off', () => {
    assert.deepEqual(Object.fromEntries(CILIUM_IMAGES.map((i) => [i.path, i.repository])), reference.images);
    const { values } = ciliumValues({
      settings: cilium({ hubble: true }).settings,
      imageRegistry: 'mirror.corp:5000/cache',
      imagePullSecrets: ['creds'],
    });
    for (const img of CILIUM_IMAGES) {
      const repo = getPath(values, `${img.path}.repository`) as string;
      assert.equal(repo, img.repository.replace(/^[^/]+/, 'mirror.corp:5000/cache'));
      assert.equal(getPath(values, `${img.path}.useDigest`), false, `${img.path}.useDigest`);
    }
    assert.doesNotMatch(JSON.stringify(values), PUBLIC_REGISTRY_PATTERN);
    assert.deepEqual(values.imagePullSecrets, [{ name: 'creds' }]);
  });

  test('settings.values are merged last (maps merge, lists replace)', () => {
    const { values } = ciliumValues({
      settings: cilium({
        values: { hubble: { relay: { replicas: 2 } }, operator: { replicas: 1 }, tunnelProtocol: 'geneve' },
      }).settings,
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
    assert.deepEqual(helmInstallArgs(plan.helm!, 'values.yaml'), [
      'upgrade',
      '--install',
      'cilium',
      'cilium',
      '--repo',
      'https://helm.cilium.io/',
      '--version',
      '1.16.5',
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
    const local = planCilium(cilium({ chart: '/charts/cilium-1.16.5.tgz' }), cluster);
    assert.deepEqual(helmInstallArgs(local.helm!, 'v.yaml').slice(0, 5), [
      'upgrade',
      '--install',
      'cilium',
      '/charts/cilium-1.16.5.tgz',
      '--namespace',
    ]);
    const cached = planCilium(cilium(), cluster, {
      chart: { location: '/cache/cilium/1.16.5/cilium-1.16.5.tgz', origin: 'x', cached: true },
    });
    assert.equal(cached.helm!.chart, '/cache/cilium/1.16.5/cilium-1.16.5.tgz');
    assert.equal(cached.helm!.version, undefined);
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
});
