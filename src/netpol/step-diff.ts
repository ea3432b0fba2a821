/**
 * What a step changed in the truth table: the pairs it turned from allowed to denied (where an
 * established connection may be cut or kept, docs/policy-change.md) and from denied to allowed.
 */
import type { Protocol, TruthTable } from './types.js';

export interface PairChange {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
}

/** Pairs allowed in `before` and denied in `after` (or the reverse with `toAllowed`), per probe. */
export function changedPairs(before: TruthTable, after: TruthTable, toAllowed = false): PairChange[] {
  const out: PairChange[] = [];
  for (const p of after.probes) {
    const prev = before.probes.find((q) => q.port === p.port && q.protocol === p.protocol);
    if (!prev) continue;
    for (const [from, row] of Object.entries(p.allowed))
      for (const [to, now] of Object.entries(row)) {
        const was = prev.allowed[from]?.[to];
        if (was === undefined || was === now) continue;
        if (now === toAllowed) out.push({ from, to, port: p.port, protocol: p.protocol });
      }
  }
  return out;
}
