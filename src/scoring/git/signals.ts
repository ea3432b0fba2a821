/**
 * Process signals read from the tree at the measured commit (docs/scoring.md, "Measured from git"):
 * which files a project keeps, and what its CI workflows and license say. One `git ls-tree`, one
 * `git grep` and a handful of `git show`s.
 */
import { fileContents, grepPaths, treePaths } from './history.js';

export interface ProcessSignals {
  /** SPDX identifier of the top-level license, or null when none is recognised. */
  license: string | null;
  licenseFile: string | null;
  securityPolicy: boolean;
  /** GOVERNANCE.md, a MAINTAINERS file or CODEOWNERS. */
  governanceFile: boolean;
  codeOfConduct: boolean;
  contributionGuide: boolean;
  /** A design or proposals folder, or a design document at the top level. */
  designDocs: boolean;
  /** GitHub Actions workflows; share of `uses:` steps pinned by a full commit SHA. */
  workflows: number;
  pinnedActionsShare: number | null;
  /** Any CI configuration (GitHub Actions, Semaphore, Prow, Travis, CircleCI, GitLab, Jenkins). */
  ci: boolean;
  /** oss-fuzz integration or Go fuzz targets (`func FuzzXxx(f *testing.F)`). */
  fuzzing: boolean;
  /** A workflow or build file that generates an SBOM (syft, cyclonedx, spdx-sbom-generator, bom). */
  sbom: boolean;
  /** Adopters listed in ADOPTERS.md or USERS.md (list items), or null without such a file. */
  adopters: number | null;
}

/** Recognisable license texts → SPDX identifier; first match wins (checked in this order). */
const LICENSES: Array<[RegExp, string]> = [
  [/Apache License[\s\S]{0,200}Version 2\.0/i, 'Apache-2.0'],
  [/Mozilla Public License,? v(ersion)?\.? ?2\.0/i, 'MPL-2.0'],
  [/GNU GENERAL PUBLIC LICENSE[\s\S]{0,100}Version 3/i, 'GPL-3.0'],
  [/GNU GENERAL PUBLIC LICENSE[\s\S]{0,100}Version 2/i, 'GPL-2.0'],
  [/Permission is hereby granted, free of charge/i, 'MIT'],
  [/Redistribution and use in source and binary forms[\s\S]*Neither the name/i, 'BSD-3-Clause'],
  [/Redistribution and use in source and binary forms/i, 'BSD-2-Clause'],
];

function spdxOf(text: string): string | null {
  return LICENSES.find(([re]) => re.test(text))?.[1] ?? null;
}

const top = (paths: readonly string[], re: RegExp) =>
  paths.find((p) => !p.includes('/') && re.test(p)) ?? null;
const anyPath = (paths: readonly string[], re: RegExp) => paths.some((p) => re.test(p));

/** `uses:` references of workflow steps, and how many are pinned by a 40-hex commit SHA. */
function pinnedUses(workflow: string): { uses: number; pinned: number } {
  let uses = 0;
  let pinned = 0;
  for (const m of workflow.matchAll(/^\s*-?\s*uses:\s*['"]?([^\s'"#]+)/gm)) {
    const ref = m[1] ?? '';
    if (ref.startsWith('./') || ref.startsWith('docker://')) continue; // local or image: no tag to pin
    uses++;
    if (/@[0-9a-f]{40}$/.test(ref)) pinned++;
  }
  return { uses, pinned };
}

function countAdopters(text: string): number {
  return text.split('\n').filter((l) => /^\s*[-*|]\s*\S/.test(l) && !/^\s*\|\s*-{3}/.test(l)).length;
}

export async function readSignals(repo: string, commit: string): Promise<ProcessSignals> {
  const paths = await treePaths(repo, commit);
  const licenseFile = top(paths, /^(LICENSE|LICENCE|COPYING)(\.md|\.txt)?$/i);
  const workflowFiles = paths.filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p));
  const adoptersFile = top(paths, /^(ADOPTERS|USERS)(\.md)?$/i);
  const wanted = [licenseFile, adoptersFile, ...workflowFiles].filter((p): p is string => p !== null);
  const files = await fileContents(repo, commit, wanted);
  let uses = 0;
  let pinned = 0;
  for (const w of workflowFiles) {
    const u = pinnedUses(files.get(w) ?? '');
    uses += u.uses;
    pinned += u.pinned;
  }
  const fuzzTargets = await grepPaths(repo, commit, '^func Fuzz[A-Z0-9_]\\w*\\(\\w+ \\*testing\\.F\\)', [
    '*_test.go',
  ]);
  const sbomFiles = await grepPaths(repo, commit, 'syft|cyclonedx|spdx-sbom|sbom-tool|bom generate', [
    '.github/workflows/*',
    '*Makefile*',
    '*.mk',
    '.goreleaser*',
    '.semaphore/*',
  ]);
  const license = licenseFile ? spdxOf(files.get(licenseFile) ?? '') : null;
  return {
    license,
    licenseFile,
    securityPolicy:
      top(paths, /^SECURITY(\.md)?$/i) !== null || anyPath(paths, /^(\.github|docs)\/SECURITY\.md$/i),
    governanceFile:
      top(paths, /^(GOVERNANCE|MAINTAINERS|OWNERS)(\.md)?$/i) !== null ||
      anyPath(paths, /^(\.github\/|docs\/)?CODEOWNERS$/),
    codeOfConduct:
      top(paths, /^CODE[-_]OF[-_]CONDUCT(\.md)?$/i) !== null ||
      anyPath(paths, /^\.github\/CODE_OF_CONDUCT\.md$/i),
    contributionGuide:
      top(paths, /^CONTRIBUTING(\.md)?$/i) !== null || anyPath(paths, /^(\.github|docs)\/CONTRIBUTING\.md$/i),
    designDocs:
      anyPath(paths, /^(design|proposals|enhancements|CFP|cfp|docs\/(design|proposals|cfp))\//) ||
      top(paths, /^DESIGN\.md$/i) !== null,
    workflows: workflowFiles.length,
    pinnedActionsShare: uses > 0 ? pinned / uses : null,
    ci:
      workflowFiles.length > 0 ||
      anyPath(paths, /^(\.semaphore|\.prow|\.circleci|\.travis\.yml|\.gitlab-ci\.yml|Jenkinsfile)/),
    fuzzing: fuzzTargets.length > 0 || anyPath(paths, /(^|\/)oss-fuzz\/|(^|\/)\.clusterfuzzlite\//),
    sbom: sbomFiles.length > 0,
    adopters: adoptersFile ? countAdopters(files.get(adoptersFile) ?? '') : null,
  };
}
