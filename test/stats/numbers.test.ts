import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtRelative } from '../../src/stats/numbers.js';

describe('fmtRelative', () => {
  test('writes differences within a factor of 10 as signed percentages', () => {
    assert.equal(fmtRelative(0.123), '+12.3%');
    assert.equal(fmtRelative(-0.05), '-5.0%');
    assert.equal(fmtRelative(-0.899), '-89.9%');
    assert.equal(fmtRelative(8.5), '+850.0%');
  });

  test('writes a factor of 10 or more as the factor, so 100 times less is not read as 1,000 times less', () => {
    assert.equal(fmtRelative(-0.99), '÷100');
    assert.equal(fmtRelative(-0.999), '÷1000');
    assert.equal(fmtRelative(1 / 142 - 1), '÷142');
    assert.equal(fmtRelative(11), '×12');
    assert.equal(fmtRelative(-0.9), '÷10');
  });

  test('a ratio of 0 stays a percentage (no division by zero)', () => {
    assert.equal(fmtRelative(-1), '-100.0%');
  });
});
