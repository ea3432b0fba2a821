import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  caseToYaml,
  checkCaseText,
  loadCaseFile,
  parseCaseText,
  writeCaseFiles,
} from '../../../src/netpol/case-file.js';
import { formatProblem } from '../../../src/util/yaml-source.js';
import { InputError } from '../../../src/util/errors.js';
import { builtinSuite } from '../../../src/netpol/suite/index.js';
import { must } from '../../helpers/must.js';
import { repoPath } from '../../helpers/paths.js';

// The fixtures stay in the source tree (tests run from dist/).
const FIXTURES = repoPath('test/fixtures/cases') + '/';

function problemsOf(name: string): string[] {
  const { value, problems } = checkCaseText(`cases/${name}`, readFileSync(join(FIXTURES, name), 'utf8'));
  assert.equal(value, undefined, `${name} should not load`);
  return problems.map(formatProblem);
}

describe('case files: exact error text', () => {
  test('bad YAML syntax', () => {
    assert.deepEqual(problemsOf('bad-syntax.yaml'), [
      'cases/bad-syntax.yaml:4:1 YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  test('unknown key, with a suggestion, and no follow-on noise', () => {
    assert.deepEqual(problemsOf('unknown-key.yaml'), [
      'cases/unknown-key.yaml:12:15 policies[0].spec.ingress[0].from[0].namespaceSelecter: unknown key "namespaceSelecter" (did you mean "namespaceSelector"?)',
    ]);
  });

  test('wrong type', () => {
    assert.deepEqual(problemsOf('wrong-type.yaml'), [
      'cases/wrong-type.yaml:7:13 probes[0].port: expected a number, got a string',
    ]);
  });

  test('bad CIDR', () => {
    assert.deepEqual(problemsOf('bad-cidr.yaml'), [
      'cases/bad-cidr.yaml:12:32 policies[0].spec.egress[0].to[0].ipBlock.cidr: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4',
    ]);
  });

  test('endPort without port', () => {
    assert.deepEqual(problemsOf('endport-without-port.yaml'), [
      'cases/endport-without-port.yaml:13:24 policies[0].spec.ingress[0].ports[0].endPort: endPort requires a numeric port',
    ]);
  });

  test('named port with endPort', () => {
    assert.deepEqual(problemsOf('named-port-endport.yaml'), [
      'cases/named-port-endport.yaml:12:46 policies[0].spec.ingress[0].ports[0].endPort: endPort requires a numeric port, not the named port "serve-80-tcp"',
    ]);
  });

  test('unknown protocol, in a policy and in a probe', () => {
    assert.deepEqual(problemsOf('unknown-protocol.yaml'), [
      'cases/unknown-protocol.yaml:12:37 policies[0].spec.ingress[0].ports[0].protocol: unsupported protocol "ICMP": must be one of TCP, UDP, SCTP',
      'cases/unknown-protocol.yaml:15:27 probes[1].protocol: unsupported protocol "QUIC": must be one of TCP, UDP, SCTP',
    ]);
  });

  test('duplicate pod', () => {
    assert.deepEqual(problemsOf('duplicate-pod.yaml'), [
      'cases/duplicate-pod.yaml:7:27 pods[2].name: duplicate pod "x/a" (first declared at pods[0])',
    ]);
  });

  test('every problem at once, shape and semantics together, in file order', () => {
    assert.deepEqual(problemsOf('many-problems.yaml'), [
      'cases/many-problems.yaml:5:30 pods[0].colour: unknown key "colour"',
      'cases/many-problems.yaml:6:18 pods[1].namespace: namespace "q" is not declared under namespaces',
      'cases/many-problems.yaml:13:53 policies[0].spec.ingress[0].from[0].ipBlock.except[0]: except "192.168.0.0/16" must be a strict subset of cidr "10.0.0.0/8"',
      'cases/many-problems.yaml:15:36 policies[0].spec.ingress[0].ports[0].endPort: endPort 70 must be greater than or equal to port 80',
      'cases/many-problems.yaml:17:13 probes[0].port: a port must be between 1 and 65535',
    ]);
  });

  test('loadCaseFile throws one InputError carrying every problem', () => {
    const file = join(FIXTURES, 'many-problems.yaml');
    assert.throws(
      () => loadCaseFile(file),
      (err: unknown) =>
        err instanceof InputError &&
        err.exitCode === 2 &&
        err.problems.length === 5 &&
        err.problems[0]?.startsWith(`${file}:5:30 `) === true,
    );
    assert.throws(
      () => loadCaseFile(join(FIXTURES, 'missing.yaml')),
      /missing\.yaml: cannot read case file \(no such file\)/,
    );
  });

  test('semantic rules beyond the shape', () => {
    const base = 'name: t\nnamespaces: { x: {} }\nprobes: [{ port: 80 }]\n';
    const msgs = (text: string) => checkCaseText('t.yaml', text).problems.map(formatProblem);
    assert.deepEqual(
      msgs(
        `${base}pods:\n  - { namespace: x, name: a, ip: 10.0.0.1 }\n  - { namespace: x, name: b, ip: 10.0.0.1 }\n`,
      ),
      ['t.yaml:6:34 pods[1].ip: IP 10.0.0.1 is also the ip of pods[0]'],
    );
    assert.deepEqual(msgs(`${base}pods:\n  - { namespace: x, name: A_1 }\n`), [
      `t.yaml:5:27 pods[0].name: pod name "A_1" must be a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 characters, alphanumeric at both ends)`,
    ]);
    // An explicit ip that collides with one resolveCase assigns is caught after defaults.
    assert.deepEqual(
      msgs(`${base}pods:\n  - { namespace: x, name: a }\n  - { namespace: x, name: b, ip: 10.244.1.10 }\n`),
      ['t.yaml:6:5 pods[1]: IP 10.244.1.10 of "x/b" is also used by "x/a"'],
    );
    assert.deepEqual(msgs('name: t\nnamespaces: {}\npods: []\nprobes: []\n'), [
      't.yaml:3:7 pods: a case needs at least one pod',
      't.yaml:4:9 probes: a case needs at least one probe',
    ]);
  });
});

describe('case files: loading and writing', () => {
  test('YAML with defaults filled in', () => {
    const c = loadCaseFile(join(FIXTURES, 'good.yaml'));
    assert.equal(c.name, 'allow-y-b-to-x-a');
    assert.deepEqual(c.probes, [
      { port: 80, protocol: 'TCP' },
      { port: 81, protocol: 'TCP' },
    ]);
    assert.equal(c.policies[0]?.spec.ingress?.[0]?.from?.[0]?.podSelector?.matchLabels?.pod, 'b');
  });

  test('JSON, with a missing podSelector read as every pod', () => {
    const c = loadCaseFile(join(FIXTURES, 'good.json'));
    assert.equal(c.name, 'json-default-deny');
    assert.deepEqual(c.probes, [{ port: 80, protocol: 'UDP' }]);
    assert.deepEqual(c.policies[0]?.spec.podSelector, { matchLabels: { pod: 'a' } });
    const noSelector = parseCaseText(
      'j.json',
      '{"name":"n","namespaces":{"x":null},"pods":[{"namespace":"x","name":"a"}],"policies":[{"metadata":{"name":"p","namespace":"x"},"spec":{}}],"probes":[{"port":80}]}',
    );
    assert.deepEqual(noSelector.policies[0]?.spec.podSelector, {});
    assert.deepEqual(noSelector.namespaces, { x: {} });
  });

  test('export writes one reloadable YAML file per case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnibench-export-'));
    try {
      const cases = builtinSuite().slice(0, 12);
      const paths = writeCaseFiles(join(dir, 'out'), cases);
      assert.equal(paths.length, 12);
      assert.equal(readdirSync(join(dir, 'out')).length, 12);
      for (const [i, p] of paths.entries()) assert.deepEqual(loadCaseFile(p), cases[i]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('exported YAML starts with the name and reads like a hand-written file', () => {
    const yaml = caseToYaml(must(builtinSuite()[0], 'the first built-in case'));
    assert.match(yaml, /^name: upstream-default-deny-ingress\ndescription: /);
    assert.match(yaml, /\npolicies:\n {2}- apiVersion: networking.k8s.io\/v1\n/);
  });
});
