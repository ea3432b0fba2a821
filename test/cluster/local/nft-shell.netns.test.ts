/**
 * The long-lived `nft -i` per node (src/cluster/local/nft-shell.ts), in a namespace of its own:
 * each change is one transaction (a refused change leaves the previous table untouched), errors
 * name what nft refused, changes queue up in order, and close() ends nft.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NftShell, oneLine } from '../../../src/cluster/local/nft-shell.js';
import { inNetns, run } from '../../../src/cluster/local/sh.js';
import { netnsWithPrefix, testRunId } from './helpers.js';

const tableScript = (elements: string) =>
  `table inet cnb_s\ndelete table inet cnb_s\ntable inet cnb_s {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { ${elements} }\n\t}\n\tchain c {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tip saddr @s accept comment "a; b"\n\t}\n}\n`;

describe('NftShell', () => {
  const ns = `${testRunId()}-nft`;
  const shell = new NftShell(inNetns(ns, ['nft', '-i']), 10_000);
  const listed = async () =>
    (await run(inNetns(ns, ['nft', 'list', 'set', 'inet', 'cnb_s', 's']), { allowFail: true })).stdout;
  before(() => run(['ip', 'netns', 'add', ns]));
  after(async () => {
    await shell.close();
    await run(['ip', 'netns', 'del', ns]);
    assert.deepEqual(await netnsWithPrefix(ns), []);
  });

  test('oneLine keeps every command and the text inside quotes', () => {
    assert.equal(
      oneLine('table inet t\n\tset s {\n\t\ttype ipv4_addr\n\t}\n'),
      'table inet t ; set s { ; type ipv4_addr ; }',
    );
  });

  test('applies a ruleset, then replaces it', async () => {
    await shell.apply('cnb_s', tableScript('10.0.0.1'));
    assert.match(await listed(), /elements = \{ 10\.0\.0\.1 \}/);
    await shell.apply('cnb_s', tableScript('10.0.0.2, 10.0.0.3'));
    assert.match(await listed(), /elements = \{ 10\.0\.0\.2, 10\.0\.0\.3 \}/);
  });

  test('a refused change: an error naming the problem, and the previous table left as it was', async () => {
    await assert.rejects(shell.apply('cnb_s', tableScript('10.0.0.9, not-an-address')), (err: Error) => {
      assert.match(err.message, /^nft refused the change: Error: /);
      return true;
    });
    assert.match(await listed(), /elements = \{ 10\.0\.0\.2, 10\.0\.0\.3 \}/);
    // nft is still there and takes the next change.
    await shell.apply('cnb_s', tableScript('10.0.0.4'));
    assert.match(await listed(), /elements = \{ 10\.0\.0\.4 \}/);
  });

  test('changes sent at once are applied one after another, in order', async () => {
    await Promise.all(
      ['10.0.1.1', '10.0.1.2', '10.0.1.3'].map((ip) => shell.apply('cnb_s', tableScript(ip))),
    );
    assert.match(await listed(), /elements = \{ 10\.0\.1\.3 \}/);
  });

  test('close ends nft; a later change starts a new one', async () => {
    await shell.close();
    await shell.close();
    await shell.apply('cnb_s', tableScript('10.0.2.1'));
    assert.match(await listed(), /elements = \{ 10\.0\.2\.1 \}/);
  });
});
