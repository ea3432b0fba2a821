/**
 * `npm run bench`: every speed target of the project in one run, printed as a Markdown table ready for
 * the README (and as JSON in bench-results.json for the record). Each benchmark also runs alone.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { runCheckNonEnforcingBench } from './check-nonenforcing.bench.js';
import { describeKubeProbing, runKubeProbingBench } from './kube-probing.bench.js';
import { benchNetpolModel } from './netpol-model.bench.js';
import { runLocalConformanceBench } from './local-conformance.bench.js';
import { runPerfOverheadBench } from './perf-overhead.bench.js';
import { runCostOverheadBench } from './cost-overhead.bench.js';
import { runScaleBench } from './scale.bench.js';
import { describeFactor, meetsTarget, runEnginesBench } from './engines.bench.js';
import { runAaBench } from './aa.bench.js';
import { runDriftBench } from './drift.bench.js';
import { runStatsMethodBench } from './stats-method.bench.js';
import { describeCheckRun, runPowerCheckBench } from './power-check.bench.js';

interface Row {
  what: string;
  figure: string;
  target: string;
  met: boolean | null;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const rows: Row[] = [];
const raw: Record<string, unknown> = {};
const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);

if (want('model')) {
  log('== NetworkPolicy model: full truth table, 1,000 pods x 1,000 policies');
  const r = await benchNetpolModel();
  raw.model = r;
  for (const t of r.tasks) {
    const isTarget = /1 probe/.test(t.name) && /truth table/i.test(t.name);
    rows.push({
      what: `model: ${t.name}`,
      figure: `${t.meanMs.toFixed(0)} ms mean (min ${t.minMs.toFixed(0)} ms, ${t.samples} runs)`,
      target: isTarget ? '< 1 s' : '',
      met: isTarget ? t.meanMs < 1000 : null,
    });
  }
}

if (want('conformance')) {
  log('== built-in suite on the local cluster (TCP and UDP)');
  const r = await runLocalConformanceBench({ log });
  raw.conformance = r;
  for (const run of r.runs) {
    rows.push({
      what: `local cluster, ${run.profile}: ${run.cases} cases, ${run.probes} probes (${run.passed} pass, ${run.failed} fail, ${run.skipped} skip)`,
      figure: `${run.totalSeconds.toFixed(1)} s (median case ${run.medianCaseMs.toFixed(0)} ms, median programming latency ${run.medianProgrammingLatencyMs?.toFixed(0) ?? 'n/a'} ms)`,
      target: `≤ ${r.targetSeconds} s`,
      met: run.totalSeconds <= r.targetSeconds && run.failed === 0,
    });
  }
}

if (want('overhead')) {
  log('== harness overhead: cnibench vs bare iperf3, agent RR vs sockperf');
  const r = await runPerfOverheadBench({ log });
  raw.overhead = r;
  rows.push({
    what: 'throughput: cnibench / bare iperf3 (same namespaces, same run)',
    figure: `${r.throughputGbps.ratio.toFixed(3)} (${r.throughputGbps.harnessMedian.toFixed(2)} vs ${r.throughputGbps.bareMedian.toFixed(2)} Gbit/s)`,
    target: r.throughputGbps.threshold,
    met: r.throughputGbps.pass,
  });
  rows.push({
    what: 'RR p50: cnibench agent / sockperf round trip (same path)',
    figure: `${r.rttUs.ratio.toFixed(3)} (${r.rttUs.harnessMedian.toFixed(1)} vs ${r.rttUs.bareMedian.toFixed(1)} µs)`,
    target: r.rttUs.threshold,
    met: r.rttUs.pass,
  });
}

if (want('cost')) {
  log('== cost recording: throughput with and without CPU/memory counters (paired rounds)');
  const r = await runCostOverheadBench({ log });
  raw.cost = r;
  const pctOf = (x: number) => `${(100 * x).toFixed(1)}%`;
  rows.push({
    what: 'cost recording: throughput with / without (cross-node, routed; paired rounds)',
    figure: `${r.ratio.toFixed(3)} (95% CI ${r.ratioCi95[0].toFixed(3)}–${r.ratioCi95[1].toFixed(3)}, ${r.withCost.length} pairs); MDE of the pairs ±${pctOf(r.mde)}; CPU ${r.cpuPerGbitMedian.toFixed(3)} s/Gbit`,
    target: '|ratio − 1| < MDE',
    met: r.pass,
  });
}

if (want('scale')) {
  log('== policy-scale sweep on the local cluster up to 5,000 policies');
  const r = await runScaleBench({ log });
  raw.scale = { generator: r.generator, rows: r.rows };
  for (const row of r.rows) {
    const f = (v: number | null, unit: string, digits = 0) =>
      v === null ? 'n/a' : `${v.toFixed(digits)} ${unit}`;
    rows.push({
      what: `policy scale: ${row.policies} policies`,
      figure: `install ${f(row.setPoliciesMs, 'ms')}; TCP ${f(row.throughputGbps, 'Gbit/s', 2)}; RR p50 ${f(row.rttUs, 'µs', 1)}; CRR ${f(row.crrPerSec, 'conn/s')}; +1 policy ${f(row.programmingAddMs, 'ms')}`,
      target: '',
      met: null,
    });
  }
}

if (want('engines')) {
  log('== eBPF against nftables: adding one deny at 1,000 policies (3 runs), RR at 0 and 100,000 policies');
  const r = await runEnginesBench({ log });
  raw.engines = r;
  for (const run of r.programming) {
    const { met, intervalAbove } = meetsTarget(run.add);
    rows.push({
      what: `eBPF against nftables, routed, interleaved (bench/scenarios/engines-programming.yaml, load ${run.load[0].toFixed(1)}): adding one deny at 1,000 policies`,
      figure: `${describeFactor(run.add)} faster, interval ${intervalAbove ? '' : 'not '}above 100× (removing: ${describeFactor(run.remove)}), ${run.seconds.toFixed(0)} s`,
      target: '≥ 100×',
      met,
    });
  }
  const { none, atMax, policies } = r.rttUs;
  const ratio = none !== null && atMax !== null ? atMax / none : null;
  rows.push({
    what: `eBPF RR p50 at ${policies.toLocaleString('en')} policies / at none (routed, cross-node, 3 samples)`,
    figure:
      ratio === null
        ? 'n/a'
        : `${atMax?.toFixed(1)} / ${none?.toFixed(1)} µs (${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%)`,
    target: 'within 10%',
    met: ratio === null ? false : Math.abs(ratio - 1) <= 0.1,
  });
}

if (want('kube-probing')) {
  log(
    '== probing on a real-cluster path: batched (agent, in conformance lanes) vs per-probe (agnhost), fake API server, 100 ms per exec',
  );
  // The scenario default probe timeout on the whole suite, then a short timeout (both modes on the
  // same spread cases), since a dropped probe's timeout bounds how fast any round can be.
  const kubeProbing: unknown[] = [];
  raw.kubeProbing = kubeProbing;
  for (const [probeTimeoutMs, whole] of [
    [1000, true],
    [100, false],
  ] as const) {
    const r = await runKubeProbingBench({ log, probeTimeoutMs, batchedWholeSuite: whole });
    kubeProbing.push(r);
    const [execs, suite, speed] = describeKubeProbing(r);
    if (whole)
      rows.push({
        what: 'kube probing: exec calls per probe round (9 pods, 284 cases)',
        figure: execs ?? '',
        target: '≤ source pods per round (batched)',
        met: r.targets.execsPerRound,
      });
    rows.push({
      what: `kube probing, probe timeout ${probeTimeoutMs} ms, batched in ${r.batched.lanes} conformance lanes: suite time`,
      figure: `${suite ?? ''}; ${speed ?? ''}`,
      target: 'batched ≥ 10× faster than per-probe (one lane)',
      met: r.targets.speedup10x,
    });
  }
}

if (want('check')) {
  log('== cnibench check scs-0219 against a cluster that enforces no policy (fake API server)');
  const r = await runCheckNonEnforcingBench(log);
  raw.check = r;
  rows.push({
    what: `check scs-0219 of a cluster enforcing nothing (fake API server, whole suite, 4 lanes, 10 s convergence timeout): ${r.failed} of ${r.cases} cases fail, ${r.notProbed} not probed after the NetworkPolicy canary, ${r.cutShort} without waiting out the timeout`,
    figure: `${r.seconds.toFixed(1)} s to kaas-networking-check: FAIL (exit ${r.exitCode})`,
    target: `≤ ${r.targetSeconds} s`,
    met: r.met,
  });
}

if (want('power')) {
  log(
    '== A/A false discoveries and --planted 10 detection, duet off and on (bench/scenarios/power-check.yaml); the quickstart with --planted 10',
  );
  const r = await runPowerCheckBench({ percent: 10, quickstart: true, log });
  raw.power = r;
  for (const c of r) {
    const share =
      c.check === 'aa'
        ? c.calls / Math.max(1, c.figures)
        : (c.planted?.detected ?? 0) / Math.max(1, c.planted?.figures ?? 0);
    const target =
      c.check === 'aa'
        ? '< 5% false discoveries'
        : c.scenario === 'quickstart.yaml'
          ? '≥ 80% quiet, ≥ 50% loaded'
          : '';
    rows.push({
      what: `${c.check === 'aa' ? '--aa' : '--planted 10'} on ${c.scenario}, duet ${c.duet ? 'on' : 'off'} (load ${c.load[0].toFixed(1)})`,
      figure: `${(100 * share).toFixed(0)}%: ${describeCheckRun(c)}`,
      target,
      met: c.check === 'aa' ? share < 0.05 : target ? share >= 0.5 : null,
    });
  }
}

if (want('stats-method')) {
  log('== statistical method: old unpaired vs new block-paired sequential, seeded synthetic machine');
  const r = await runStatsMethodBench({ log });
  raw.statsMethod = r;
  for (const row of r) {
    const aa = row.effect === 0;
    rows.push({
      what: `synthetic ${row.machine}, ${aa ? 'A/A' : `planted ${row.effect * 100}%`}, ${row.method} method: figures called better/worse`,
      figure: `${(100 * row.called).toFixed(1)}% of ${row.figures} (${(100 * row.wrongSign).toFixed(1)}% wrong sign; runs with a call ${(100 * row.runsWithCall).toFixed(1)}%), ${row.meanBlocks.toFixed(1)} blocks a figure`,
      target: aa ? '< 5%' : '',
      met: aa ? row.called < 0.05 : null,
    });
  }
}

if (want('aa')) {
  log('== A/A on this machine: the same local profile twice (cnibench run --aa)');
  const r = await runAaBench({ log });
  raw.aa = r;
  rows.push({
    what: `A/A run on this machine (the same profile twice; ${r.figures} figures, 6 blocks)`,
    figure: `${r.falseDiscoveries} of ${r.figures} figures better or worse after ${r.adjust} (${r.seconds.toFixed(0)} s)`,
    target: '< 5%',
    met: r.falseDiscoveries / Math.max(1, r.figures) < 0.05,
  });
}

if (want('drift')) {
  log('== drift injected: one candidate’s whole environment 40% slower');
  const r = await runDriftBench({ log });
  raw.drift = r;
  rows.push({
    what: 'drift injected (one candidate 40% slower everywhere, RR, 8 blocks): detected, slowed candidate never better',
    figure: `drift ${r.driftDetected ? 'detected' : 'not detected'}${r.driftCi ? ` [${(100 * r.driftCi[0]).toFixed(1)}%, ${(100 * r.driftCi[1]).toFixed(1)}%]` : ''}; verdict ${r.verdict}`,
    target: 'detected, not better',
    met: r.driftDetected && r.verdict !== 'better',
  });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${cpu}), kernel ${os.release()}, Node ${process.version}.`,
  '',
  '| benchmark | figure | target | met |',
  '| --- | --- | --- | --- |',
  ...rows.map(
    (r) => `| ${r.what} | ${r.figure} | ${r.target} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);
writeFileSync('bench-results.json', `${JSON.stringify(raw, null, 2)}\n`);
if (rows.some((r) => r.met === false)) process.exitCode = 1;
