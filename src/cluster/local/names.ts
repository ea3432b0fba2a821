/**
 * Names of everything the local cluster creates. Every object carries the run id so that runs never
 * collide and `cnibench cleanup` can find leftovers by prefix: network namespaces are
 * `<runId>-<role>`, nft tables `cnb_<tag>`, host-side veths `c<tag>p<n>` (link names must stay within
 * 15 characters, so links carry the short tag rather than the whole run id).
 */
import { randomBytes } from 'node:crypto';
import { InputError } from '../../util/errors.js';

/** Every object cnibench creates starts with this. */
export const NAME_PREFIX = 'cnb-';

const RUN_ID_RE = /^cnb-[a-z0-9]{1,8}$/;

/** A fresh run id: `cnb-` and 6 hex digits. */
export function newRunId(): string {
  return `${NAME_PREFIX}${randomBytes(3).toString('hex')}`;
}

export function checkRunId(runId: string): string {
  if (!RUN_ID_RE.test(runId)) {
    throw new InputError(`run id "${runId}" must look like cnb-<1 to 8 lower-case letters or digits>`);
  }
  return runId;
}

/** The run id without its prefix: used in link and nft table names, which are length-limited. */
export function runTag(runId: string): string {
  return runId.slice(NAME_PREFIX.length);
}

export const netnsNames = {
  node: (runId: string, i: number) => `${runId}-n${i}`,
  fabric: (runId: string) => `${runId}-fab`,
  pod: (runId: string, idx: number) => `${runId}-p${idx}`,
  extra: (runId: string, suffix: string) => `${runId}-x${suffix}`,
};

/** Host (node) side of a pod's veth: ≤ 15 characters. */
export function podHostIf(runId: string, idx: number): string {
  const name = `c${runTag(runId)}p${idx}`;
  if (name.length > 15) throw new Error(`link name ${name} longer than 15 characters`);
  return name;
}

/** The per-node nft table holding the run's NetworkPolicies (family inet). */
export function nftTableName(runId: string): string {
  return `cnb_${runTag(runId)}`;
}

export const NODE_NAME = (i: number) => `node-${i}`;
