/**
 * `facts measure` on real clones, when CNIBENCH_GIT_MIRRORS names a folder holding them (a clone or
 * bare mirror per project: `calico` or `projectcalico+calico`, `cilium` or `cilium+cilium`, with or
 * without `.git`, or a `repo` folder inside). The release dates measured from their tags are checked
 * against the dates in ../shared/upstream/SOURCES.md. Without the variable, the test says it was
 * skipped and why: a clone of each project is hundreds of megabytes, and this machine has no network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { measureRepository } from '../../../src/scoring/git/measure.js';
import { UPSTREAM_ROOT } from '../../helpers/paths.js';

const MIRRORS = process.env.CNIBENCH_GIT_MIRRORS;

/** `| Calico | v3.29.1 | 2024-11-20 |` rows of SOURCES.md: project → tag → date. */
function sourceDates(): Array<{ project: 'calico' | 'cilium'; tag: string; date: string }> {
  const file = path.join(UPSTREAM_ROOT, 'SOURCES.md');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const out: Array<{ project: 'calico' | 'cilium'; tag: string; date: string }> = [];
  for (const m of text.matchAll(
    /^\| (Calico|Cilium chart) \| v?(\d+\.\d+\.\d+)[^|]*\| (\d{4}-\d{2}-\d{2}) \|/gm,
  )) {
    const project = m[1] === 'Calico' ? 'calico' : 'cilium';
    out.push({ project, tag: `v${m[2] ?? ''}`, date: m[3] ?? '' });
  }
  return out;
}

function mirrorOf(root: string, project: 'calico' | 'cilium'): string | null {
  const owner = project === 'calico' ? 'projectcalico' : 'cilium';
  for (const name of [`${owner}+${project}/repo`, project, `${project}.git`, `${owner}+${project}`]) {
    const p = path.join(root, name);
    if (existsSync(p)) return p;
  }
  return null;
}

test(
  'real clones: release dates from tags match SOURCES.md',
  {
    skip: MIRRORS
      ? false
      : 'CNIBENCH_GIT_MIRRORS is not set: no clone of projectcalico/calico or cilium/cilium to measure',
  },
  async () => {
    const root = MIRRORS ?? '';
    const rows = sourceDates();
    assert.ok(rows.length > 0, 'SOURCES.md release rows (../shared/upstream) are needed for this test');
    let checked = 0;
    for (const project of ['calico', 'cilium'] as const) {
      const repo = mirrorOf(root, project);
      if (!repo) continue;
      const m = await measureRepository({ git: repo });
      const byTag = new Map(m.releases.releases.map((r) => [r.tag, r.date]));
      for (const row of rows.filter((r) => r.project === project)) {
        const date = byTag.get(row.tag);
        if (date === undefined) continue; // a release newer than the clone
        // Tag dates are UTC; SOURCES.md may give the local day of the tagger: one day either way.
        const days = Math.abs(Date.parse(date) - Date.parse(row.date)) / 86_400_000;
        assert.ok(days <= 1, `${project} ${row.tag}: measured ${date}, SOURCES.md ${row.date}`);
        checked++;
      }
      assert.ok(m.activity.commits > 0 && m.activity.activeContributors > 0, `${project}: activity measured`);
    }
    assert.ok(checked > 0, `no release of SOURCES.md found in the clones under ${root}`);
  },
);
