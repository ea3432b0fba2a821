/** The planted-effect check (`run --planted P`) in one sentence, for the run summary and the reports. */
import type { PlantedCheck } from '../results/schema.js';

const share = (k: number, n: number) => (n > 0 ? `${Math.round((100 * k) / n)}%` : 'n/a');

/** One sentence for the run summary and the reports. */
export function plantedSentence(p: PlantedCheck): string {
  const kinds = Object.entries(p.byWorkload)
    .map(([k, v]) => `${k} ${v.detected}/${v.figures}`)
    .join(', ');
  return (
    `planted check: ${p.handicapped} carried a ${p.percent}% handicap on ${p.figures} figures of ${p.candidate}; ` +
    `detected with the right sign on ${p.detected} (${share(p.detected, p.figures)}${kinds ? `: ${kinds}` : ''}), ` +
    `wrong sign on ${p.wrongSign}, not seen on ${p.missed}.`
  );
}
