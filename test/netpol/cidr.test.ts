import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddressParseError,
  canonicalCidr,
  canonicalIp,
  cidrContains,
  cidrIsSubset,
  parseCidr,
  parseIp,
} from '../../src/netpol/cidr.js';
import { InputError } from '../../src/util/errors.js';

describe('parseIp / parseCidr', () => {
  test('IPv4 values', () => {
    assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001n });
    assert.deepEqual(parseIp('255.255.255.255'), { family: 4, value: 0xffffffffn });
    assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, network: 0x0a000000n, prefix: 8 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, network: 0n, prefix: 0 });
  });

  test('IPv6 values, compression and embedded IPv4', () => {
    assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseIp('::'), { family: 6, value: 0n });
    assert.equal(parseIp('fd00::1').value, (0xfd00n << 112n) | 1n);
    assert.equal(parseIp('1:2:3:4:5:6:7:8').value, 0x00010002000300040005000600070008n);
    assert.equal(parseIp('::ffff:10.0.0.1').value, 0xffff0a000001n);
    assert.equal(parseIp('1:2:3:4:5:6:1.2.3.4').value, 0x00010002000300040005000601020304n);
    assert.equal(parseIp('FD00::A').value, parseIp('fd00::a').value);
    assert.deepEqual(parseCidr('fd00::1/64'), { family: 6, network: 0xfd00n << 112n, prefix: 64 });
  });

  test('errors quote the text and the reason', () => {
    const bad: Array<[string, string]> = [
      ['10.0.0/8', 'invalid CIDR "10.0.0/8": an IPv4 address has 4 dot-separated octets'],
      ['10.0.0.256/8', 'invalid CIDR "10.0.0.256/8": octet 256 is greater than 255'],
      ['010.0.0.0/8', 'invalid CIDR "010.0.0.0/8": octet "010" has a leading zero'],
      ['10.0.0.0/33', 'invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4'],
      ['fd00::/129', 'invalid CIDR "fd00::/129": prefix length 129 exceeds 128 for IPv6'],
      ['10.0.0.0', 'invalid CIDR "10.0.0.0": missing "/prefix-length"'],
      ['10.0.0.0/x', 'invalid CIDR "10.0.0.0/x": prefix length "x" is not a number'],
      ['10.0.0.0/08', 'invalid CIDR "10.0.0.0/08": prefix length "08" is not a number'],
      ['1::2::3/64', 'invalid CIDR "1::2::3/64": "::" may appear only once'],
      ['1:2:3:4:5:6:7:8:9/64', 'invalid CIDR "1:2:3:4:5:6:7:8:9/64": an IPv6 address has 8 groups, found 9'],
      ['1:2:3:4:5:6:7::8/128', 'invalid CIDR "1:2:3:4:5:6:7::8/128": too many groups around "::"'],
      ['fe80::1%eth0/64', 'invalid CIDR "fe80::1%eth0/64": zone indexes are not allowed'],
      ['12345::/16', 'invalid CIDR "12345::/16": group "12345" is not 1 to 4 hex digits'],
      ['web/8', 'invalid CIDR "web/8": neither an IPv4 nor an IPv6 address'],
    ];
    for (const [text, message] of bad) {
      assert.throws(
        () => parseCidr(text),
        (e: unknown) => {
          assert.ok(e instanceof AddressParseError && e instanceof InputError);
          assert.equal((e as Error).message, message);
          return true;
        },
      );
    }
    assert.throws(() => parseIp(''), /invalid IP address "": empty address/);
  });
});

describe('canonical form', () => {
  test('clears host bits and compresses IPv6 per RFC 5952', () => {
    assert.equal(canonicalCidr('10.1.2.3/8'), '10.0.0.0/8');
    assert.equal(canonicalCidr('FD00:0:0:0::1/64'), 'fd00::/64');
    assert.equal(canonicalCidr('0:0:1:0:0:1:0:0/128'), '::1:0:0:1:0:0/128');
    assert.equal(canonicalCidr('1:0:0:2:0:0:0:3/128'), '1:0:0:2::3/128');
    assert.equal(canonicalCidr('1:2:3:4:5:6:7:0/128'), '1:2:3:4:5:6:7:0/128');
    assert.equal(canonicalIp('::ffff:10.0.0.1'), '::ffff:a00:1');
    assert.equal(canonicalIp('0.0.0.0'), '0.0.0.0');
  });
});

describe('cidrContains / cidrIsSubset', () => {
  test('IPv4 boundaries', () => {
    assert.equal(cidrContains('10.0.0.0/8', '10.0.0.0'), true);
    assert.equal(cidrContains('10.0.0.0/8', '10.255.255.255'), true);
    assert.equal(cidrContains('10.0.0.0/8', '11.0.0.0'), false);
    assert.equal(cidrContains('10.0.0.0/8', '9.255.255.255'), false);
    assert.equal(cidrContains('10.244.1.10/32', '10.244.1.10'), true);
    assert.equal(cidrContains('10.244.1.10/32', '10.244.1.11'), false);
    assert.equal(cidrContains('0.0.0.0/0', '255.1.2.3'), true);
  });

  test('IPv6 boundaries', () => {
    assert.equal(cidrContains('fd00::/64', 'fd00::ffff:ffff:ffff:ffff'), true);
    assert.equal(cidrContains('fd00::/64', 'fd00:0:0:1::'), false);
    assert.equal(cidrContains('::/0', '2001:db8::1'), true);
  });

  test('families never contain each other', () => {
    assert.equal(cidrContains('0.0.0.0/0', '::1'), false);
    assert.equal(cidrContains('::/0', '10.0.0.1'), false);
  });

  test('subset', () => {
    assert.equal(cidrIsSubset('10.1.0.0/16', '10.0.0.0/8'), true);
    assert.equal(cidrIsSubset('10.0.0.0/8', '10.0.0.0/8'), true);
    assert.equal(cidrIsSubset('10.0.0.0/7', '10.0.0.0/8'), false);
    assert.equal(cidrIsSubset('11.0.0.0/16', '10.0.0.0/8'), false);
    assert.equal(cidrIsSubset('fd00::/64', '10.0.0.0/8'), false);
  });
});
