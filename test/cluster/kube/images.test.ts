import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_IMAGES,
  parseImageRef,
  resolveImages,
  rewriteImage,
} from '../../../src/cluster/kube/images.js';

describe('rewriteImage', () => {
  const cases: Array<[string, string, string]> = [
    // Docker Hub short names get their implicit registry and library/ path.
    ['nginx', 'mirror:5000', 'mirror:5000/library/nginx'],
    ['node:24.21.0-alpine', 'mirror:5000', 'mirror:5000/library/node:24.21.0-alpine'],
    ['networkstatic/iperf3', 'mirror:5000', 'mirror:5000/networkstatic/iperf3'],
    ['docker.io/library/busybox:1.36', 'mirror.corp/hub', 'mirror.corp/hub/library/busybox:1.36'],
    ['index.docker.io/cilium/netperf', 'm.io', 'm.io/cilium/netperf'],
    [
      'registry.k8s.io/e2e-test-images/agnhost:2.53',
      'mirror.corp:5000/k8s',
      'mirror.corp:5000/k8s/e2e-test-images/agnhost:2.53',
    ],
    ['quay.io/cilium/cilium:v1.16.5', 'mirror.corp', 'mirror.corp/cilium/cilium:v1.16.5'],
    ['ghcr.io/owner/tool:1.0', 'mirror.corp', 'mirror.corp/owner/tool:1.0'],
    // Digests (with or without a tag) are kept byte for byte.
    [
      'quay.io/cilium/cilium@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'mirror.corp',
      'mirror.corp/cilium/cilium@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ],
    [
      'quay.io/tigera/operator:v1.36.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'mirror.corp',
      'mirror.corp/tigera/operator:v1.36.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ],
    // A registry with a port is a registry, not a tag.
    ['localhost:5000/foo/bar:1', 'mirror.corp', 'mirror.corp/foo/bar:1'],
    ['localhost/foo', 'mirror.corp', 'mirror.corp/foo'],
    // Scheme and trailing slash on the mirror are tolerated.
    ['nginx:1', 'https://mirror.corp/cache/', 'mirror.corp/cache/library/nginx:1'],
  ];
  for (const [ref, registry, want] of cases) {
    test(`${ref} via ${registry}`, () => assert.equal(rewriteImage(ref, registry), want));
  }

  test('without a registry the reference is unchanged', () => {
    assert.equal(rewriteImage('nginx', undefined), 'nginx');
    assert.equal(rewriteImage('nginx', ''), 'nginx');
  });

  test('invalid references and registries are input errors (exit 2)', () => {
    for (const bad of ['', 'UPPER/case', 'nginx:bad tag', 'nginx@sha256:short', ' nginx']) {
      assert.throws(
        () => rewriteImage(bad, 'mirror'),
        (e: Error & { exitCode?: number }) => e.exitCode === 2,
        bad,
      );
    }
    assert.throws(() => rewriteImage('nginx', 'not a host'), /invalid imageRegistry/);
  });

  test('parseImageRef splits registry, repository, tag and digest', () => {
    assert.deepEqual(parseImageRef('registry.k8s.io/e2e-test-images/agnhost:2.53'), {
      registry: 'registry.k8s.io',
      repository: 'e2e-test-images/agnhost',
      tag: '2.53',
      digest: undefined,
    });
  });

  test('resolveImages applies overrides, then the mirror, to every image', () => {
    assert.deepEqual(resolveImages({ images: {}, imageRegistry: undefined }), {
      ...DEFAULT_IMAGES,
      netperf: undefined,
    });
    const r = resolveImages({
      images: { iperf3: 'example.org/tools/iperf3:3.17', netperf: 'cilium/netperf:1' },
      imageRegistry: 'm.corp',
    });
    assert.deepEqual(r, {
      agnhost: 'm.corp/e2e-test-images/agnhost:2.53',
      iperf3: 'm.corp/tools/iperf3:3.17',
      agent: 'm.corp/library/node:24.21.0-alpine',
      netperf: 'm.corp/cilium/netperf:1',
    });
  });
});

test('every default image is pinned to a version (a tag other than latest, or a digest) and mirrored', () => {
  for (const [name, ref] of Object.entries(DEFAULT_IMAGES)) {
    const r = parseImageRef(ref);
    assert.ok(
      (r.tag !== undefined && r.tag !== 'latest') || r.digest !== undefined,
      `${name}: ${ref} is not pinned`,
    );
  }
  const mirrored = resolveImages({ imageRegistry: 'mirror.corp:5000', images: {} });
  for (const image of Object.values(mirrored) as Array<string | undefined>)
    if (image) assert.match(image, /^mirror\.corp:5000\//);
});
