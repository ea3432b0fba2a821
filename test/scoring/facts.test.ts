import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadFacts, UNKNOWN } from '../../src/scoring/facts.js';
import { INDICATORS } from '../../src/scoring/indicators.js';
import { DECLARED_CAPABILITIES } from '../../src/scoring/features.js';
import { InputError } from '../../src/util/errors.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { factAt } from './fact-at.js';

describe('the shipped facts file', () => {
  const { facts } = loadFacts(path.join(PROJECT_ROOT, 'data/cni-facts.yaml'));

  test('calico and cilium are present; the local reference profiles are marked not applicable', () => {
    assert.ok(facts.projects.calico && facts.projects.cilium);
    assert.match(facts.notApplicable['local-routed'] ?? '', /local reference profile/);
    assert.match(facts.notApplicable['local-vxlan'] ?? '', /local reference profile/);
    assert.equal(factAt(facts, 'cilium', 'cncfStatus').value, 'graduated');
    assert.equal(factAt(facts, 'calico', 'cncfStatus').value, 'none');
    assert.equal(factAt(facts, 'cilium', 'license').value, 'Apache-2.0');
  });

  test('every known value has a source URL or measured provenance; every project declares every capability (maybe unknown)', () => {
    for (const [name, p] of Object.entries(facts.projects)) {
      for (const [key, f] of Object.entries({ ...p.facts, ...p.capabilities })) {
        if (f.value === UNKNOWN) continue;
        // A measured fact names its repository and commit in place of a URL.
        if (f.measured) assert.match(f.measured.commit, /^[0-9a-f]{40}$/, `${name}.${key}`);
        else assert.match(String(f.source), /^https:\/\//, `${name}.${key}`);
      }
      for (const c of [...DECLARED_CAPABILITIES.map((d) => d.id), 'ingressController']) {
        assert.ok(p.capabilities[c], `${name} lacks capability ${c}`);
      }
    }
  });
});

describe('facts file validation', () => {
  test('a known value without a source is rejected with its position', () => {
    const text = `factsVersion: 1\nprojects:\n  x:\n    name: X\n    facts:\n      license: { value: MIT, source: null, asOf: '2026-01-01' }\n`;
    assert.throws(
      () => loadFacts('f.yaml', text),
      (e: unknown) =>
        e instanceof InputError &&
        /^f\.yaml:6:\d+ projects\.x\.facts\.license\.source: a known value needs a source URL/.test(
          e.message,
        ),
    );
  });
  test('a bad date is rejected', () => {
    const text = `factsVersion: 1\nprojects:\n  x:\n    name: X\n    facts:\n      license: { value: MIT, source: 'https://e.org', asOf: 'yesterday' }\n`;
    assert.throws(() => loadFacts('f.yaml', text), /asOf: expected a date YYYY-MM-DD/);
  });
});

describe('docs/scoring.md', () => {
  test('documents every indicator', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/scoring.md'), 'utf8');
    for (const i of INDICATORS) assert.ok(doc.includes(`\`${i.id}\``), `docs/scoring.md lacks ${i.id}`);
  });
});
