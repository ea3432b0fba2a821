/**
 * IPv4/IPv6 addresses and CIDRs as BigInts, for ipBlock matching and validation.
 *
 * Parsing is strict on purpose: IPv4 octets with leading zeros ("010.0.0.1") are rejected because
 * some parsers read them as octal and others as decimal, so a CNI plugin and this model could
 * disagree about which addresses such a policy covers. Host bits set in a CIDR ("10.0.0.1/8") are
 * accepted, as the API server accepts them, and dropped in the canonical form.
 */
import { InputError, messageOf } from '../util/errors.js';

type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  /** Network address with host bits cleared. */
  network: bigint;
  prefix: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Thrown by parseIp/parseCidr; an InputError (exit 2) whose message quotes the text and the reason. */
export class AddressParseError extends InputError {}

function fail(kind: string, text: string, reason: string): never {
  throw new AddressParseError(`invalid ${kind} "${text}": ${reason}`);
}

function parseIpv4(text: string, whole: string, kind: string): bigint {
  const parts = text.split('.');
  if (parts.length !== 4) fail(kind, whole, 'an IPv4 address has 4 dot-separated octets');
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) fail(kind, whole, `octet "${p}" is not a decimal number of 1 to 3 digits`);
    if (p.length > 1 && p.startsWith('0')) fail(kind, whole, `octet "${p}" has a leading zero`);
    const n = Number(p);
    if (n > 255) fail(kind, whole, `octet ${n} is greater than 255`);
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseGroups(text: string, whole: string, kind: string): number[] {
  if (text === '') return [];
  const out: number[] = [];
  for (const g of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) fail(kind, whole, `group "${g}" is not 1 to 4 hex digits`);
    out.push(parseInt(g, 16));
  }
  return out;
}

function parseIpv6(text: string, whole: string, kind: string): bigint {
  if (text.includes('%')) fail(kind, whole, 'zone indexes are not allowed');
  let body = text;
  let tail: number[] = [];
  // An embedded IPv4 address ("::ffff:10.0.0.1") stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1), whole, kind);
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    body = body.slice(0, lastColon + 1);
    // Keep "::" intact when the IPv4 part follows it; otherwise drop the separating colon.
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const dbl = body.split('::');
  if (dbl.length > 2) fail(kind, whole, '"::" may appear only once');
  let groups: number[];
  const [before, after] = dbl;
  if (before !== undefined && after !== undefined) {
    const head = parseGroups(before, whole, kind);
    const rest = [...parseGroups(after, whole, kind), ...tail];
    const missing = 8 - head.length - rest.length;
    if (missing < 1) fail(kind, whole, 'too many groups around "::"');
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    groups = [...parseGroups(body, whole, kind), ...tail];
    if (groups.length !== 8) fail(kind, whole, `an IPv6 address has 8 groups, found ${groups.length}`);
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

function parseAddress(text: string, whole: string, kind: string): IpAddress {
  if (text.length === 0) fail(kind, whole, 'empty address');
  if (text.includes(':')) return { family: 6, value: parseIpv6(text, whole, kind) };
  if (text.includes('.')) return { family: 4, value: parseIpv4(text, whole, kind) };
  return fail(kind, whole, 'neither an IPv4 nor an IPv6 address');
}

/** Parses "10.0.0.1" or "fd00::1". Throws AddressParseError naming the text and the reason. */
export function parseIp(text: string): IpAddress {
  if (typeof text !== 'string') fail('IP address', String(text), 'not a string');
  return parseAddress(text, text, 'IP address');
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

/** Parses "10.0.0.0/8" or "fd00::/64"; host bits are cleared. Throws AddressParseError. */
export function parseCidr(text: string): Cidr {
  if (typeof text !== 'string') fail('CIDR', String(text), 'not a string');
  const slash = text.indexOf('/');
  if (slash < 0) fail('CIDR', text, 'missing "/prefix-length"');
  const addrText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const addr = parseAddress(addrText, text, 'CIDR');
  if (!/^(0|[1-9]\d*)$/.test(prefixText)) fail('CIDR', text, `prefix length "${prefixText}" is not a number`);
  const prefix = Number(prefixText);
  const bits = BITS[addr.family];
  if (prefix > bits) fail('CIDR', text, `prefix length ${prefix} exceeds ${bits} for IPv${addr.family}`);
  return { family: addr.family, network: addr.value & ~hostMask(addr.family, prefix), prefix };
}

/** Whether `text` parses as a CIDR; for validators that report rather than throw. */
export function cidrError(text: string): string | undefined {
  try {
    parseCidr(text);
    return undefined;
  } catch (e) {
    return messageOf(e);
  }
}

function asCidr(c: Cidr | string): Cidr {
  return typeof c === 'string' ? parseCidr(c) : c;
}
function asIp(a: IpAddress | string): IpAddress {
  return typeof a === 'string' ? parseIp(a) : a;
}

/** Whether the address lies inside the CIDR. Different families never contain each other. */
export function cidrContains(cidr: Cidr | string, ip: IpAddress | string): boolean {
  const c = asCidr(cidr);
  const a = asIp(ip);
  if (c.family !== a.family) return false;
  return (a.value & ~hostMask(c.family, c.prefix)) === c.network;
}

/** Whether every address of `inner` is in `outer` (equal CIDRs count as a subset). */
export function cidrIsSubset(inner: Cidr | string, outer: Cidr | string): boolean {
  const i = asCidr(inner);
  const o = asCidr(outer);
  return (
    i.family === o.family && i.prefix >= o.prefix && cidrContains(o, { family: i.family, value: i.network })
  );
}

/** Canonical text: dotted quad for IPv4, RFC 5952 (lower case, longest zero run as "::") for IPv6. */
function formatIp(a: IpAddress): string {
  if (a.family === 4) {
    const v = Number(a.value);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of at least two zero groups; the first one wins a tie (RFC 5952 4.2.3).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function formatCidr(c: Cidr): string {
  return `${formatIp({ family: c.family, value: c.network })}/${c.prefix}`;
}

/** "10.0.0.1/8" → "10.0.0.0/8", "FD00:0::/64" → "fd00::/64". */
export function canonicalCidr(text: string): string {
  return formatCidr(parseCidr(text));
}

export function canonicalIp(text: string): string {
  return formatIp(parseIp(text));
}
