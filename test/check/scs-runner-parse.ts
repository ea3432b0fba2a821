/**
 * The SCS compliance runner's reading of a check's output (SovereignCloudStack/standards,
 * Tests/scs-compliance-check.py, compute_results and invoke_check_tool), rewritten for the tests:
 * each stdout line is split once from the right at ':', the right part stripped and upper-cased is
 * looked up among PASS (1), ABORT (0) and FAIL (-1), the left part stripped is the testcase id; lines
 * of either stream starting (case-insensitively) with info, warning, error or critical are counted.
 */
const VERDICTS: Record<string, 1 | 0 | -1> = { PASS: 1, ABORT: 0, FAIL: -1 };

export interface ScsReading {
  /** Testcase id to its value as the runner keeps it: 1 PASS, 0 ABORT, -1 FAIL. */
  results: Map<string, 1 | 0 | -1>;
  /** Ids outside the permissible ones (the runner logs and ignores them). */
  ignored: string[];
  counts: Record<'info' | 'warning' | 'error' | 'critical', number>;
}

export function parseScsOutput(
  stdout: string,
  stderr: string,
  permissibleIds: readonly string[] = [],
): ScsReading {
  const results = new Map<string, 1 | 0 | -1>();
  const ignored: string[] = [];
  const outLines = stdout.split(/\r?\n/);
  for (const line of outLines) {
    const cut = line.lastIndexOf(':');
    if (cut < 0) continue;
    const value =
      VERDICTS[
        line
          .slice(cut + 1)
          .trim()
          .toUpperCase()
      ];
    if (value === undefined) continue;
    const id = line.slice(0, cut).trim();
    if (permissibleIds.length > 0 && !permissibleIds.includes(id)) {
      ignored.push(id);
      continue;
    }
    results.set(id, value);
  }
  const all = [...stderr.split(/\r?\n/), ...outLines];
  const count = (signal: string) => all.filter((l) => l.toLowerCase().startsWith(signal)).length;
  return {
    results,
    ignored,
    counts: {
      info: count('info'),
      warning: count('warning'),
      error: count('error'),
      critical: count('critical'),
    },
  };
}
