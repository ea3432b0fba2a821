/** "Did you mean" for misspelt keys: the closest known key within a small edit distance. */
import { itemAt } from './arrays.js';

export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  // Allow about one typo per four characters, so short keys don't get far-fetched suggestions.
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 4)) ? best : undefined;
}

/** Levenshtein distance with transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  // Rows i-2, i-1 and i of the optimal-string-alignment table; each row has b.length + 1 cells.
  let older: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(itemAt(prev, j) + 1, itemAt(cur, j - 1) + 1, itemAt(prev, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, itemAt(older, j - 2) + 1);
      cur.push(v);
    }
    older = prev;
    prev = cur;
  }
  return itemAt(prev, b.length);
}
