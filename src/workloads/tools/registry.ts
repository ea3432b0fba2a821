/**
 * The throughput tools, one line each. A tool is one file implementing ThroughputTool; registering it
 * here is all that makes the scenario schema's `tool` choices, `validate`, `plan` and the throughput
 * workload know it (docs/architecture.md, "Add a measurement tool"). The first is the default.
 * `registerThroughputTool` adds one more at start-up (a test registers a fake tool this way).
 */
import { iperf3 } from './iperf3.js';
import type { ThroughputTool } from './throughput-tool.js';

const TOOLS: ThroughputTool[] = [iperf3];

/** Adds a tool; its name must be new. */
export function registerThroughputTool(tool: ThroughputTool): void {
  if (TOOLS.some((t) => t.name === tool.name))
    throw new Error(`a throughput tool named "${tool.name}" is already registered`);
  TOOLS.push(tool);
}

export function throughputTools(): readonly ThroughputTool[] {
  return TOOLS;
}

/** The tool of a validated workload (the scenario loader admits no other name). */
export function throughputTool(name: string): ThroughputTool {
  const found = TOOLS.find((t) => t.name === name);
  if (!found)
    throw new Error(
      `no throughput tool named "${name}" is registered (have: ${TOOLS.map((t) => t.name).join(', ')})`,
    );
  return found;
}
