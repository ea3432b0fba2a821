import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSelector, isEmptySelector, labelSelectorMatches } from '../../src/netpol/selector.js';

const labels = { app: 'web', tier: 'front', empty: '' };

describe('labelSelectorMatches', () => {
  test('empty selector matches everything, including no labels', () => {
    assert.equal(labelSelectorMatches({}, labels), true);
    assert.equal(labelSelectorMatches({}, {}), true);
    assert.equal(labelSelectorMatches({ matchLabels: {}, matchExpressions: [] }, {}), true);
  });

  test('matchLabels requires every pair', () => {
    assert.equal(labelSelectorMatches({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(labelSelectorMatches({ matchLabels: { app: 'web', tier: 'front' } }, labels), true);
    assert.equal(labelSelectorMatches({ matchLabels: { app: 'web', tier: 'back' } }, labels), false);
    assert.equal(labelSelectorMatches({ matchLabels: { missing: '' } }, labels), false);
    assert.equal(labelSelectorMatches({ matchLabels: { empty: '' } }, labels), true);
  });

  test('In: key present with a listed value', () => {
    const sel = (values: string[]) => ({
      matchExpressions: [{ key: 'app', operator: 'In' as const, values }],
    });
    assert.equal(labelSelectorMatches(sel(['db', 'web']), labels), true);
    assert.equal(labelSelectorMatches(sel(['db']), labels), false);
    assert.equal(labelSelectorMatches(sel(['web']), { other: 'x' }), false);
    assert.equal(labelSelectorMatches(sel([]), labels), false);
  });

  test('NotIn: key absent, or value not listed', () => {
    const sel = { matchExpressions: [{ key: 'app', operator: 'NotIn' as const, values: ['db'] }] };
    assert.equal(labelSelectorMatches(sel, labels), true);
    assert.equal(labelSelectorMatches(sel, { app: 'db' }), false);
    assert.equal(labelSelectorMatches(sel, {}), true);
  });

  test('Exists and DoesNotExist look only at the key', () => {
    assert.equal(
      labelSelectorMatches({ matchExpressions: [{ key: 'empty', operator: 'Exists' }] }, labels),
      true,
    );
    assert.equal(
      labelSelectorMatches({ matchExpressions: [{ key: 'nope', operator: 'Exists' }] }, labels),
      false,
    );
    assert.equal(
      labelSelectorMatches({ matchExpressions: [{ key: 'nope', operator: 'DoesNotExist' }] }, labels),
      true,
    );
    assert.equal(
      labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels),
      false,
    );
  });

  test('matchLabels AND matchExpressions', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['back'] }],
    };
    assert.equal(labelSelectorMatches(sel, labels), false);
    assert.equal(labelSelectorMatches(sel, { app: 'web', tier: 'back' }), true);
    assert.equal(labelSelectorMatches(sel, { app: 'db', tier: 'back' }), false);
  });

  test('inherited object properties are not labels', () => {
    assert.equal(
      labelSelectorMatches({ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, {}),
      false,
    );
    assert.equal(labelSelectorMatches({ matchLabels: { constructor: 'x' } }, {}), false);
  });

  test('isEmptySelector and formatSelector', () => {
    assert.equal(isEmptySelector({}), true);
    assert.equal(isEmptySelector({ matchLabels: {} }), true);
    assert.equal(isEmptySelector({ matchLabels: { a: 'b' } }), false);
    assert.equal(formatSelector({}), '<all>');
    assert.equal(
      formatSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 't', operator: 'In', values: ['a', 'b'] },
          { key: 'u', operator: 'NotIn', values: ['c'] },
          { key: 'v', operator: 'Exists' },
          { key: 'w', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,t in (a,b),u notin (c),v,!w',
    );
  });
});
