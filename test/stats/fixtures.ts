/**
 * SYNTHETIC ResultsFile fixtures for the compare tests: made-up sample values, not measurements of
 * any real system. They exist only to exercise pairing, statistics and warnings.
 */
import type { Measurement, ResultsFile } from '../../src/results/schema.js';
import { scenarioSchema } from '../../src/run/scenario-file.js';
import { summarize } from '../../src/stats/summary.js';

export function syntheticMeasurement(
  m: Pick<Measurement, 'workload' | 'path' | 'metric' | 'unit' | 'higherIsBetter' | 'samples'> &
    Partial<Pick<Measurement, 'parameters'>>,
): Measurement {
  const parameters = m.parameters ?? {};
  return {
    id: `synthetic-${m.workload}-${m.path}-${m.metric}`,
    tool: { name: 'synthetic' },
    warmup: [],
    summary: summarize(m.samples),
    ...m,
    parameters,
  };
}

/** Throughput in Gbit/s (higher is better) and RR latency in us (lower is better), plus baselines. */
export function syntheticMeasurements(scale = 1): Measurement[] {
  const thr = [9.1, 9.4, 9.3, 9.0, 9.2, 9.5, 9.3, 9.2];
  const rtt = [41, 43, 40, 44, 42, 41, 45, 42];
  return [
    syntheticMeasurement({
      workload: 'throughput',
      path: 'cross-node',
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      samples: thr.map((x) => x * scale),
      // retransmits is a result filed as a parameter (as the throughput workload does): must not split rows.
      parameters: { protocol: 'TCP', streams: 1, retransmits: Math.round(120 * scale) },
    }),
    syntheticMeasurement({
      workload: 'throughput',
      path: 'baseline',
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      samples: [10.5, 10.7, 10.6, 10.4, 10.6, 10.5, 10.6, 10.5],
      parameters: { streams: 1, protocol: 'TCP' },
    }),
    syntheticMeasurement({
      workload: 'latency',
      path: 'cross-node',
      metric: 'rtt',
      unit: 'us',
      higherIsBetter: false,
      samples: rtt.map((x) => x * scale),
      parameters: { mode: 'rr', payloadBytes: 1 },
    }),
  ];
}

export function syntheticResults(
  runId: string,
  candidates: Array<{ name: string; measurements: Measurement[] }>,
  provenance: { hostname?: string; kernel?: string } = {},
): ResultsFile {
  return {
    schemaVersion: 1,
    runId,
    origin: {
      kind: 'scenario',
      file: 'synthetic.yaml',
      scenario: scenarioSchema().parse({
        name: 'synthetic',
        candidates: candidates.map((c) => ({ name: c.name, cni: 'local-routed' })),
        workloads: [{ kind: 'throughput' }],
      }),
    },
    status: 'complete',
    provenance: {
      cnibenchVersion: '0.0.0-synthetic',
      gitCommit: null,
      hostname: provenance.hostname ?? 'synthetic-host',
      kernel: provenance.kernel ?? '6.1.0-synthetic',
      os: 'synthetic',
      nodeVersion: process.version,
      cpus: 2,
      cpuModel: 'synthetic cpu',
      memoryBytes: 1,
      tools: {},
      cluster: { kind: 'local' },
      startedAt: '2026-01-01T00:00:00Z',
    },
    candidates: candidates.map((c) => ({
      name: c.name,
      cni: 'local-routed',
      label: `${c.name} (synthetic)`,
      settings: {},
      measurements: c.measurements,
      completedSteps: [],
      errors: [],
    })),
  };
}
