/** Where and with what a run was measured: attached to every results file, checked by compare. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { cnibenchVersion, gitCommit } from '../util/version.js';
import type { Provenance } from './schema.js';

/** Runs `cmd args` and returns the first line that looks like a version, or null if the tool is missing. */
function toolVersion(cmd: string, args: string[] = ['--version']): string | null {
  try {
    const out = execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 }).toString();
    const lines = out.split('\n');
    return (lines.find((l) => /\d+\.\d+/.test(l)) ?? lines[0] ?? '').trim();
  } catch {
    return null;
  }
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m?.[1] !== undefined) return m[1];
  } catch {
    // fall through to the generic name
  }
  return `${os.type()} ${os.release()}`;
}

export function collectProvenance(cluster: Provenance['cluster'], tools: string[] = []): Provenance {
  const versions: Record<string, string> = {};
  const probes: Record<string, [string, string[]]> = {
    iperf3: ['iperf3', ['--version']],
    nft: ['nft', ['--version']],
    ip: ['ip', ['-V']],
    sockperf: ['sockperf', ['--version']],
    helm: ['helm', ['version', '--short']],
  };
  for (const t of tools) {
    const probe = probes[t];
    const v = probe ? toolVersion(probe[0], probe[1]) : toolVersion(t);
    if (v) versions[t] = v;
  }
  const cpus = os.cpus();
  return {
    cnibenchVersion: cnibenchVersion(),
    gitCommit: gitCommit(),
    hostname: os.hostname(),
    kernel: os.release(),
    os: osName(),
    nodeVersion: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    tools: versions,
    cluster,
    startedAt: new Date().toISOString(),
  };
}
