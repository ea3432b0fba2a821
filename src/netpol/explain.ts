/**
 * Why a probe from one pod to another is allowed or denied: for egress at the source and ingress
 * at the destination, whether the pod is isolated, which policies select it and which
 * rule/peer/port allowed the traffic. With admin-tier policies, each direction also names the tier,
 * policy, rule and action that decided it (tiers.ts).
 */
import { InputError } from '../util/errors.js';
import { hasAdminTier, normalizeAdminTier } from './admin-tier.js';
import { evaluateDirection, type DirectionVerdict, type RuleMatch } from './matcher.js';
import {
  evaluateTiered,
  verdictTies,
  type TierMatch,
  type TieredVerdict,
  type TierOutcome,
} from './tiers.js';
import type { Probe, ResolvedCase, ResolvedPod } from './types.js';

export interface Explanation {
  case: string;
  from: string;
  to: string;
  probe: Probe;
  /** The NetworkPolicy tier on its own (as if there were no admin tier). */
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
  /** Present when the case has admin-tier policies: the decision through every tier. */
  tiers?: { egress: TieredVerdict; ingress: TieredVerdict };
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
  const base = { case: c.name, from, to, probe, egress, ingress };
  if (!hasAdminTier(c)) return { ...base, allowed: egress.allowed && ingress.allowed };
  const set = normalizeAdminTier(c);
  const tiers = {
    egress: evaluateTiered(c, set, 'egress', src, dst, probe),
    ingress: evaluateTiered(c, set, 'ingress', src, dst, probe),
  };
  return { ...base, tiers, allowed: tiers.egress.allowed && tiers.ingress.allowed };
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

/** "policy X ingress rule 2 "name" (Deny)"; rules count from 1 here, as people count them. */
function formatTierMatch(m: TierMatch): string {
  const name = m.ruleName !== undefined ? ` "${m.ruleName}"` : '';
  return `${m.policy}${m.priority !== null ? ` (priority ${m.priority})` : ''} ${m.direction} rule ${m.ruleIndex + 1}${name} (${m.action})`;
}

/** The NetworkPolicy tier's decision in one phrase, e.g. "allowed by x/p ingress rule 1". */
function npPhrase(v: DirectionVerdict): string {
  const m = v.allowedBy[0];
  if (v.allowed && m) return `allowed by ${m.policy} ${v.direction} rule ${m.ruleIndex + 1}`;
  return `denied: isolated by ${v.selectedBy.join(', ')} and no ${v.direction} rule admits ${v.peer}`;
}

function tierDetail(name: string, o: TierOutcome | undefined): string[] {
  if (o === undefined) return [];
  const out: string[] = [];
  if (o.selectedBy.length > 0)
    out.push(`${name} tier policies selecting the pod: ${o.selectedBy.join(', ')}`);
  for (const u of o.unjudged)
    out.push(
      `${u.policy} rule ${u.ruleIndex + 1} has a ${u.peerKind} peer (to[${u.peerIndex}]): ` +
        `${u.peerKind === 'nodes' ? 'node IPs are never pod IPs' : 'domain names are not judged'}, so pod-to-pod verdicts leave it out`,
    );
  for (const t of o.ties)
    out.push(
      `WARNING: ${t.chosen.policy} and ${t.other.policy} share priority ${t.priority ?? '—'} and disagree ` +
        `(${t.chosen.action} vs ${t.other.action}); upstream leaves this to the implementation, the model follows ${t.chosen.policy}`,
    );
  return out;
}

function formatTiered(v: TieredVerdict): string[] {
  const where = v.direction === 'egress' ? `egress at ${v.subject}` : `ingress at ${v.subject}`;
  const verdict = v.allowed ? 'allowed' : 'DENIED';
  const passed =
    v.admin.match?.effect === 'pass' ? `passed to NetworkPolicy by ${formatTierMatch(v.admin.match)}; ` : '';
  let why: string;
  switch (v.decidedBy) {
    case 'admin':
      why = v.admin.match ? `Admin tier: ${formatTierMatch(v.admin.match)}` : 'Admin tier';
      break;
    case 'network-policy':
      why = `${passed || 'no Admin tier rule matched; '}NetworkPolicy: ${v.networkPolicy ? npPhrase(v.networkPolicy) : ''}`;
      break;
    case 'baseline':
      why =
        `${passed || 'no Admin tier rule matched; '}not isolated by NetworkPolicy; ` +
        `Baseline tier: ${v.baseline?.match ? formatTierMatch(v.baseline.match) : ''}`;
      break;
    default: {
      const bPass =
        v.baseline?.match?.effect === 'pass'
          ? `Baseline tier passed (${formatTierMatch(v.baseline.match)}); `
          : 'no Baseline tier rule matched; ';
      why = `${passed || 'no Admin tier rule matched; '}not isolated by NetworkPolicy; ${bPass}default: allowed`;
    }
  }
  const lines = [`${where}: ${verdict} (${why})`];
  for (const d of [...tierDetail('Admin', v.admin), ...tierDetail('Baseline', v.baseline)])
    lines.push(`  ${d}`);
  return lines;
}

/** A few lines for a person, e.g. in `cnibench netpol explain` or a mismatch report. */
export function formatExplanation(e: Explanation): string {
  const head = `${e.from} -> ${e.to} ${e.probe.port}/${e.probe.protocol}: ${e.allowed ? 'ALLOWED' : 'DENIED'}`;
  if (e.tiers) {
    const ties = verdictTies(e.tiers.egress).length + verdictTies(e.tiers.ingress).length;
    return [
      head,
      ...formatTiered(e.tiers.egress).map((l) => `  ${l}`),
      ...formatTiered(e.tiers.ingress).map((l) => `  ${l}`),
      ...(ties > 0
        ? ['  (a tie between equal priorities decides this probe: the result is implementation-defined)']
        : []),
    ].join('\n');
  }
  return [
    head,
    ...formatDirection(e.egress).map((l) => `  ${l}`),
    ...formatDirection(e.ingress).map((l) => `  ${l}`),
  ].join('\n');
}
