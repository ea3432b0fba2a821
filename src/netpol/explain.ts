/**
 * Why a probe from one pod to another is allowed or denied: for egress at the source and ingress
 * at the destination, whether the pod is isolated, which policies select it and which
 * rule/peer/port allowed the traffic.
 */
import { InputError } from '../util/errors.js';
import { evaluateDirection, type DirectionVerdict, type RuleMatch } from './matcher.js';
import type { Probe, ResolvedCase, ResolvedPod } from './types.js';

export interface Explanation {
  case: string;
  from: string;
  to: string;
  probe: Probe;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
  allowed: boolean;
}

function findPod(c: ResolvedCase, key: string): ResolvedPod {
  const pod = c.pods.find((p) => p.key === key);
  if (!pod) throw new InputError(`case "${c.name}": no pod "${key}" (expected "namespace/name")`);
  return pod;
}

export function explain(c: ResolvedCase, from: string, to: string, probe: Probe): Explanation {
  const src = findPod(c, from);
  const dst = findPod(c, to);
  const egress = evaluateDirection(c, 'egress', src, dst, probe);
  const ingress = evaluateDirection(c, 'ingress', src, dst, probe);
  return { case: c.name, from, to, probe, egress, ingress, allowed: egress.allowed && ingress.allowed };
}

function formatMatch(m: RuleMatch, direction: 'ingress' | 'egress'): string {
  const peers = direction === 'ingress' ? 'from' : 'to';
  const peer = m.peerIndex === undefined ? `any peer (no ${peers})` : `${peers}[${m.peerIndex}]`;
  const port = m.portIndex === undefined ? 'any port (no ports)' : `ports[${m.portIndex}]`;
  return `${m.policy} ${direction}[${m.ruleIndex}]: ${peer}, ${port}`;
}

function formatDirection(v: DirectionVerdict): string[] {
  const where = v.direction === 'egress' ? `egress at ${v.subject}` : `ingress at ${v.subject}`;
  if (!v.isolated)
    return [`${where}: allowed (no policy selects ${v.subject} for ${v.direction}; not isolated)`];
  const lines = [`${where}: ${v.allowed ? 'allowed' : 'DENIED'} (isolated by ${v.selectedBy.join(', ')})`];
  if (v.allowedBy.length === 0)
    lines.push(`  no ${v.direction} rule of these policies admits ${v.peer} on this port`);
  for (const m of v.allowedBy) lines.push(`  allowed by ${formatMatch(m, v.direction)}`);
  return lines;
}

/** A few lines for a person, e.g. in `cnibench netpol explain` or a mismatch report. */
export function formatExplanation(e: Explanation): string {
  return [
    `${e.from} -> ${e.to} ${e.probe.port}/${e.probe.protocol}: ${e.allowed ? 'ALLOWED' : 'DENIED'}`,
    ...formatDirection(e.egress).map((l) => `  ${l}`),
    ...formatDirection(e.ingress).map((l) => `  ${l}`),
  ].join('\n');
}
