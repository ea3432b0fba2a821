/**
 * Bounded concurrency over a list, on p-limit: the one pool the harness uses for API calls and probe
 * execs (the pod agent keeps its own small loop because it has no npm dependencies).
 */
import pLimit from 'p-limit';

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. A limit
 * below 1 (or a fraction) is rounded up to 1 (or down), as the hand-written pool this replaces did.
 * Every item is started even after one has failed; the promise rejects with the first failure.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  return pLimit(Math.max(1, Math.floor(limit))).map(items, fn);
}
