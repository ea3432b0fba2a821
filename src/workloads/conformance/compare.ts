/** A probe round against the model: what got through, and where the dataplane and the model disagree. */
import type { ProbeResult } from '../../cluster/driver.js';
import type { TruthTable } from '../../netpol/types.js';
import type { Mismatch } from '../../results/schema.js';

/** Whether a probe result shows the traffic got through, to the pod it was meant for. */
export function observedAllowed(r: ProbeResult): boolean {
  return r.connected && (r.answeredBy === undefined || r.answeredBy === r.to);
}

export function compareRound(truth: TruthTable, results: ProbeResult[]): Mismatch[] {
  const grids = new Map(truth.probes.map((p) => [`${p.protocol}/${p.port}`, p.allowed]));
  const out: Mismatch[] = [];
  for (const r of results) {
    const expected = grids.get(`${r.protocol}/${r.port}`)?.[r.from]?.[r.to];
    if (expected === undefined)
      throw new Error(`no model answer for ${r.from} → ${r.to} ${r.protocol}/${r.port}`);
    const observed = observedAllowed(r);
    if (observed === expected) continue;
    const detail =
      r.connected && r.answeredBy !== undefined && r.answeredBy !== r.to
        ? `answered by ${r.answeredBy}`
        : r.connected
          ? 'connected'
          : (r.error ?? 'not connected');
    out.push({ from: r.from, to: r.to, port: r.port, protocol: r.protocol, expected, observed, detail });
  }
  return out;
}
