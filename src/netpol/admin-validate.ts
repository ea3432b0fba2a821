/**
 * Validation of admin-tier objects as the API server does it with network-policy-api's CRDs
 * (experimental channel: ClusterNetworkPolicy v1alpha2 from v0.2.0; AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy v1alpha1 from v0.1.7, identical in v0.1.8): the openAPIV3Schema
 * (types, required fields, enums, ranges, list limits, exactly-one-of via min/maxProperties, set
 * semantics) and the CEL rules (start < end, isCIDR, no named port with a networks/nodes/domainNames
 * peer, the BANP singleton name), plus unknown fields, which `kubectl apply` (strict field
 * validation) refuses.
 *
 * Beyond the API server, and said so in the message: label selectors must be valid (the CRD does not
 * check them, but no implementation can apply an invalid one) and v1alpha1 protocols must be TCP,
 * UDP or SCTP (the CRD has no enum there). Tests check this validator against the real CRDs.
 */
import { suggestKey } from '../util/suggest.js';
import { cidrError, parseIp } from './cidr.js';
import type { AdminTierApi } from './types.js';
import { dnsSubdomainProblems } from '../util/k8s-names.js';
import { nullFieldsAbsent } from '../util/null-fields.js';
import { validateSelector, type PolicyProblem } from './validate.js';

type Path = (string | number)[];
type Raw = Record<string, unknown>;

export type AdminTierKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

const ADMIN_TIER_API_VERSION: Record<AdminTierKind, string> = {
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2',
  AdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
};

const ADMIN_TIER_KIND_API: Record<AdminTierKind, AdminTierApi> = {
  ClusterNetworkPolicy: 'v1alpha2',
  AdminNetworkPolicy: 'v1alpha1',
  BaselineAdminNetworkPolicy: 'v1alpha1',
};

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The limits that differ between the two API versions. */
interface Limits {
  rules: number;
  peers: number;
  ports: number;
}
const V1ALPHA2: Limits = { rules: 25, peers: 25, ports: 25 };
const V1ALPHA1: Limits = { rules: 100, peers: 100, ports: 100 };

// The CRDs' DomainName pattern, as published (including its A-z quirk, which admits [\]^_`).
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

class Checker {
  readonly out: PolicyProblem[] = [];

  add(path: Path, message: string): void {
    this.out.push({ path, message });
  }

  /** An object with exactly these keys allowed; returns it, or undefined after reporting. */
  object(v: unknown, path: Path, keys: readonly string[], what = 'an object'): Raw | undefined {
    if (!isObject(v)) {
      this.add(path, v === undefined ? 'Required value' : `must be ${what}`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (keys.includes(k)) continue;
      const hint = suggestKey(k, keys);
      this.add([...path, k], `unknown field "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    return v;
  }

  required(o: Raw, key: string, path: Path): boolean {
    if (o[key] !== undefined) return true;
    this.add([...path, key], 'Required value');
    return false;
  }

  /** min/maxProperties = 1 in the CRDs: exactly one of `keys`. */
  exactlyOne(o: Raw, path: Path, keys: readonly string[]): string | undefined {
    const set = keys.filter((k) => o[k] !== undefined);
    if (set.length === 1) return set[0];
    this.add(
      path,
      set.length === 0
        ? `must set exactly one of ${keys.join(', ')} (none is set)`
        : `must set exactly one of ${keys.join(', ')} (found ${set.join(' and ')})`,
    );
    return undefined;
  }

  array(v: unknown, path: Path, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(v)) {
      this.add(path, 'must be a list');
      return undefined;
    }
    if (v.length < min) this.add(path, `must have at least ${min} item${min === 1 ? '' : 's'}`);
    if (v.length > max) this.add(path, `must have at most ${max} items (has ${v.length})`);
    return v as unknown[];
  }

  int(v: unknown, path: Path, min: number, max: number): number | undefined {
    if (!isInt(v)) {
      this.add(path, v === undefined ? 'Required value' : `must be a whole number, got ${JSON.stringify(v)}`);
      return undefined;
    }
    if (v < min || v > max) this.add(path, `${v} must be between ${min} and ${max}, inclusive`);
    return v;
  }

  string(v: unknown, path: Path, maxLength?: number): string | undefined {
    if (typeof v !== 'string') {
      this.add(path, v === undefined ? 'Required value' : 'must be a string');
      return undefined;
    }
    if (maxLength !== undefined && v.length > maxLength)
      this.add(path, `may not be longer than ${maxLength} characters (is ${v.length})`);
    return v;
  }

  oneOf(v: unknown, path: Path, values: readonly string[]): string | undefined {
    if (typeof v === 'string' && values.includes(v)) return v;
    this.add(
      path,
      v === undefined
        ? `Required value: one of ${values.map((x) => `"${x}"`).join(', ')}`
        : `unsupported value ${JSON.stringify(v)}: must be one of ${values.map((x) => `"${x}"`).join(', ')}`,
    );
    return undefined;
  }

  labels(v: unknown, path: Path): void {
    if (v === undefined) return;
    if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string'))
      this.add(path, 'must be a map of strings');
  }

  selector(v: unknown, path: Path): void {
    const o = this.object(v, path, ['matchLabels', 'matchExpressions'], 'a label selector');
    if (!o) return;
    const before = this.out.length;
    validateSelector(o, path, this.out);
    // The CRD keeps selectors opaque; say why cnibench refuses what the API server would store.
    for (let i = before; i < this.out.length; i++) {
      const p = this.out[i];
      if (p)
        p.message = `${p.message} (not checked by the CRD, but no implementation can apply an invalid selector)`;
    }
  }

  /** x-kubernetes-list-type: set — the API server rejects duplicates. */
  noDuplicates(items: unknown[], path: Path): void {
    const seen = new Map<string, number>();
    items.forEach((x, i) => {
      const k = JSON.stringify(x);
      const first = seen.get(k);
      if (first !== undefined) this.add([...path, i], `Duplicate value: ${k} (also item ${first})`);
      else seen.set(k, i);
    });
  }
}

/** The CEL `isCIDR` of Kubernetes: netip.ParsePrefix (no leading zeros, no zone) and no IPv4-mapped IPv6. */
function celCidrError(text: string): string | undefined {
  const err = cidrError(text);
  if (err) return err;
  // netip's Is4In6 looks at the address as written (::ffff:a.b.c.d in any notation), not the network.
  const addr = parseIp(text.slice(0, text.indexOf('/')));
  if (addr.family === 6 && addr.value >> 32n === 0xffffn)
    return `invalid CIDR "${text}": IPv4-mapped IPv6 addresses are not allowed`;
  return undefined;
}

function namespacedPod(ck: Checker, v: unknown, path: Path, api: AdminTierApi): void {
  const o = ck.object(v, path, ['namespaceSelector', 'podSelector']);
  if (!o) return;
  // v1alpha2 makes namespaceSelector optional (absent = every namespace); v1alpha1 requires it.
  if (api === 'v1alpha1') ck.required(o, 'namespaceSelector', path);
  if (o.namespaceSelector !== undefined) ck.selector(o.namespaceSelector, [...path, 'namespaceSelector']);
  if (ck.required(o, 'podSelector', path)) ck.selector(o.podSelector, [...path, 'podSelector']);
}

function subject(ck: Checker, v: unknown, path: Path, api: AdminTierApi): void {
  const o = ck.object(v, path, ['namespaces', 'pods']);
  if (!o) return;
  ck.exactlyOne(o, path, ['namespaces', 'pods']);
  if (o.namespaces !== undefined) ck.selector(o.namespaces, [...path, 'namespaces']);
  if (o.pods !== undefined) namespacedPod(ck, o.pods, [...path, 'pods'], api);
}

interface PeerKinds {
  networks: boolean;
  nodes: boolean;
  domainNames: boolean;
}

function peer(ck: Checker, v: unknown, path: Path, api: AdminTierApi, kinds: PeerKinds): string | undefined {
  const keys = [
    'namespaces',
    'pods',
    ...(kinds.nodes ? ['nodes'] : []),
    ...(kinds.networks ? ['networks'] : []),
  ];
  if (kinds.domainNames) keys.push('domainNames');
  const o = ck.object(v, path, keys);
  if (!o) return undefined;
  const which = ck.exactlyOne(o, path, keys);
  if (o.namespaces !== undefined) ck.selector(o.namespaces, [...path, 'namespaces']);
  if (o.pods !== undefined) namespacedPod(ck, o.pods, [...path, 'pods'], api);
  if (o.nodes !== undefined) ck.selector(o.nodes, [...path, 'nodes']);
  if (o.networks !== undefined) {
    const nets = ck.array(o.networks, [...path, 'networks'], 1, 25);
    nets?.forEach((n, i) => {
      const np = [...path, 'networks', i];
      const s = ck.string(n, np, 43);
      if (s === undefined) return;
      const err = celCidrError(s);
      if (err) ck.add(np, `Invalid CIDR format provided (CEL rule isCIDR(self)): ${err}`);
    });
    if (nets) ck.noDuplicates(nets, [...path, 'networks']);
  }
  if (o.domainNames !== undefined) {
    const names = ck.array(o.domainNames, [...path, 'domainNames'], 1, 25);
    names?.forEach((n, i) => {
      const s = ck.string(n, [...path, 'domainNames', i]);
      if (s !== undefined && !DOMAIN_NAME.test(s))
        ck.add(
          [...path, 'domainNames', i],
          `"${s}" is not a domain name (letters, digits, '-' and '_' in dot-separated labels; '*.' only as a prefix)`,
        );
    });
    if (names) ck.noDuplicates(names, [...path, 'domainNames']);
  }
  return which;
}

function cnpPort(ck: Checker, v: unknown, path: Path): void {
  const o = ck.object(v, path, ['destinationPort']);
  if (!o) return;
  // minProperties: 1 on tcp/udp/sctp.
  if (!ck.required(o, 'destinationPort', path)) return;
  const dp = ck.object(o.destinationPort, [...path, 'destinationPort'], ['number', 'range']);
  if (!dp) return;
  const which = ck.exactlyOne(dp, [...path, 'destinationPort'], ['number', 'range']);
  if (dp.number !== undefined) ck.int(dp.number, [...path, 'destinationPort', 'number'], 1, 65535);
  if (which === 'range') {
    const rp = [...path, 'destinationPort', 'range'];
    const r = ck.object(dp.range, rp, ['start', 'end']);
    if (!r) return;
    const start = ck.int(r.start, [...rp, 'start'], 1, 65535);
    const end = ck.int(r.end, [...rp, 'end'], 1, 65535);
    if (start !== undefined && end !== undefined && !(start < end))
      ck.add(
        rp,
        `Start port must be less than End port (CEL rule self.start < self.end; start ${start}, end ${end})`,
      );
  }
}

/** Returns whether any entry is a named port. */
function cnpProtocols(ck: Checker, v: unknown, path: Path): boolean {
  const list = ck.array(v, path, 1, V1ALPHA2.ports);
  let named = false;
  list?.forEach((x, i) => {
    const pp = [...path, i];
    const keys = ['tcp', 'udp', 'sctp', 'destinationNamedPort'];
    const o = ck.object(x, pp, keys);
    if (!o) return;
    const which = ck.exactlyOne(o, pp, keys);
    for (const proto of ['tcp', 'udp', 'sctp'])
      if (o[proto] !== undefined) cnpPort(ck, o[proto], [...pp, proto]);
    if (o.destinationNamedPort !== undefined) {
      ck.string(o.destinationNamedPort, [...pp, 'destinationNamedPort']);
      if (which === 'destinationNamedPort') named = true;
    }
  });
  return named;
}

function anpProtocol(ck: Checker, v: unknown, path: Path): void {
  // The CRD defaults protocol to TCP and has no enum; v1.Protocol only has these three.
  if (v !== undefined && !['TCP', 'UDP', 'SCTP'].includes(v as string))
    ck.add(
      path,
      `unsupported protocol ${JSON.stringify(v)}: must be TCP, UDP or SCTP (the CRD does not enum-check it; core/v1 Protocol does)`,
    );
}

/** Returns whether any entry is a named port. */
function anpPorts(ck: Checker, v: unknown, path: Path): boolean {
  const list = ck.array(v, path, 1, V1ALPHA1.ports);
  let named = false;
  list?.forEach((x, i) => {
    const pp = [...path, i];
    const keys = ['portNumber', 'portRange', 'namedPort'];
    const o = ck.object(x, pp, keys);
    if (!o) return;
    const which = ck.exactlyOne(o, pp, keys);
    if (o.portNumber !== undefined) {
      const n = ck.object(o.portNumber, [...pp, 'portNumber'], ['protocol', 'port']);
      if (n) {
        anpProtocol(ck, n.protocol, [...pp, 'portNumber', 'protocol']);
        ck.int(n.port, [...pp, 'portNumber', 'port'], 1, 65535);
      }
    }
    if (o.portRange !== undefined) {
      // v1alpha1 documents start < end but its CRD has no rule for it: start >= end is stored as is.
      const r = ck.object(o.portRange, [...pp, 'portRange'], ['protocol', 'start', 'end']);
      if (r) {
        anpProtocol(ck, r.protocol, [...pp, 'portRange', 'protocol']);
        ck.int(r.start, [...pp, 'portRange', 'start'], 1, 65535);
        ck.int(r.end, [...pp, 'portRange', 'end'], 1, 65535);
      }
    }
    if (o.namedPort !== undefined) {
      ck.string(o.namedPort, [...pp, 'namedPort']);
      if (which === 'namedPort') named = true;
    }
  });
  return named;
}

interface RuleSpec {
  api: AdminTierApi;
  actions: readonly string[];
  limits: Limits;
  /** Egress peer kinds allowed (BANP has no domainNames). */
  egressPeers: PeerKinds;
}

function rules(ck: Checker, v: unknown, direction: 'ingress' | 'egress', spec: RuleSpec): void {
  if (v === undefined) return;
  const path: Path = ['spec', direction];
  const list = ck.array(v, path, 0, spec.limits.rules);
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const portsKey = spec.api === 'v1alpha2' ? 'protocols' : 'ports';
  list?.forEach((r, i) => {
    const rp = [...path, i];
    const o = ck.object(r, rp, ['name', 'action', peersKey, portsKey]);
    if (!o) return;
    if (o.name !== undefined) ck.string(o.name, [...rp, 'name'], 100);
    ck.oneOf(o.action, [...rp, 'action'], spec.actions);
    const kinds: PeerKinds =
      direction === 'ingress' ? { networks: false, nodes: false, domainNames: false } : spec.egressPeers;
    const peerKinds: string[] = [];
    if (ck.required(o, peersKey, rp)) {
      const peers = ck.array(o[peersKey], [...rp, peersKey], 1, spec.limits.peers);
      peers?.forEach((p, j) => {
        const k = peer(ck, p, [...rp, peersKey, j], spec.api, kinds);
        if (k) peerKinds.push(k);
      });
    }
    let named = false;
    if (o[portsKey] !== undefined)
      named =
        spec.api === 'v1alpha2'
          ? cnpProtocols(ck, o[portsKey], [...rp, portsKey])
          : anpPorts(ck, o[portsKey], [...rp, portsKey]);
    const external = peerKinds.filter((k) => k === 'networks' || k === 'nodes' || k === 'domainNames');
    if (direction === 'egress' && named && external.length > 0)
      ck.add(
        rp,
        `a named port cannot be used with a ${[...new Set(external)].join('/')} peer, which has no named ports (CEL rule of the egress rule)`,
      );
  });
}

function metadata(ck: Checker, v: unknown, kind: AdminTierKind): string | undefined {
  const md = ck.object(v, ['metadata'], ['name', 'namespace', 'labels', 'annotations']);
  if (!md) return undefined;
  if (md.namespace !== undefined)
    ck.add(['metadata', 'namespace'], `${kind} is cluster-scoped: metadata.namespace must not be set`);
  ck.labels(md.labels, ['metadata', 'labels']);
  ck.labels(md.annotations, ['metadata', 'annotations']);
  const name = ck.string(md.name, ['metadata', 'name']);
  if (name === undefined) return undefined;
  if (name === '') ck.add(['metadata', 'name'], 'Required value');
  else for (const m of dnsSubdomainProblems(name)) ck.add(['metadata', 'name'], m);
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default')
    ck.add(
      ['metadata', 'name'],
      `Only one baseline admin network policy with metadata.name="default" can be created in the cluster (CEL rule self.metadata.name == 'default'; got "${name}")`,
    );
  return name;
}

function header(ck: Checker, o: Raw, kind: AdminTierKind): void {
  const apiVersion = ADMIN_TIER_API_VERSION[kind];
  if (o.apiVersion !== undefined && o.apiVersion !== apiVersion)
    ck.add(
      ['apiVersion'],
      `unsupported apiVersion ${JSON.stringify(o.apiVersion)}: a ${kind} is ${apiVersion}`,
    );
  if (o.kind !== undefined && o.kind !== kind)
    ck.add(['kind'], `unexpected kind ${JSON.stringify(o.kind)}: this list holds ${kind} objects`);
}

/** Every problem the API server (and strict field validation) would reject this object for. */
export function validateAdminTierObject(kind: AdminTierKind, raw: unknown): PolicyProblem[] {
  const ck = new Checker();
  // A null field is an absent one, as the API server decodes it.
  const o = ck.object(
    nullFieldsAbsent(raw),
    [],
    ['apiVersion', 'kind', 'metadata', 'spec'],
    `a ${kind} object`,
  );
  if (!o) return ck.out;
  header(ck, o, kind);
  metadata(ck, o.metadata, kind);
  const api = ADMIN_TIER_KIND_API[kind];
  const specKeys =
    kind === 'ClusterNetworkPolicy'
      ? ['tier', 'priority', 'subject', 'ingress', 'egress']
      : kind === 'AdminNetworkPolicy'
        ? ['priority', 'subject', 'ingress', 'egress']
        : ['subject', 'ingress', 'egress'];
  const spec = ck.object(o.spec, ['spec'], specKeys);
  if (!spec) return ck.out;
  if (kind === 'ClusterNetworkPolicy') ck.oneOf(spec.tier, ['spec', 'tier'], ['Admin', 'Baseline']);
  if (kind !== 'BaselineAdminNetworkPolicy') ck.int(spec.priority, ['spec', 'priority'], 0, 1000);
  if (ck.required(spec, 'subject', ['spec'])) subject(ck, spec.subject, ['spec', 'subject'], api);
  const ruleSpec: RuleSpec =
    kind === 'ClusterNetworkPolicy'
      ? {
          api,
          actions: ['Accept', 'Deny', 'Pass'],
          limits: V1ALPHA2,
          egressPeers: { networks: true, nodes: true, domainNames: true },
        }
      : kind === 'AdminNetworkPolicy'
        ? {
            api,
            actions: ['Allow', 'Deny', 'Pass'],
            limits: V1ALPHA1,
            egressPeers: { networks: true, nodes: true, domainNames: true },
          }
        : {
            api,
            actions: ['Allow', 'Deny'],
            limits: V1ALPHA1,
            egressPeers: { networks: true, nodes: true, domainNames: false },
          };
  rules(ck, spec.ingress, 'ingress', ruleSpec);
  rules(ck, spec.egress, 'egress', ruleSpec);
  return ck.out;
}

/** `ClusterNetworkPolicy "name"` for messages, from a possibly ill-shaped object. */
export function adminObjectLabel(kind: AdminTierKind, obj: unknown): string {
  const name = isObject(obj) && isObject(obj.metadata) ? obj.metadata.name : undefined;
  return typeof name === 'string' && name !== '' ? `${kind} "${name}"` : kind;
}
