/** Fixed-size bitsets over pod indexes, stored as Uint32Array words. */

function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

export function newBitset(n: number): Uint32Array {
  return new Uint32Array(wordsFor(n));
}

/**
 * Word w of a bitset; 0 past its end. Typed arrays read undefined out of range, and every bitset
 * here is sized for its pods, so 0 (no pods) is the honest value rather than a crash.
 */
export function wordAt(b: Uint32Array, w: number): number {
  return b[w] ?? 0;
}

export function setBit(b: Uint32Array, i: number): void {
  b[i >>> 5] = wordAt(b, i >>> 5) | (1 << (i & 31));
}

/** Whether bit i is set in the bitset stored at b[offset..]. */
export function hasBit(b: Uint32Array, i: number, offset = 0): boolean {
  return (wordAt(b, offset + (i >>> 5)) & (1 << (i & 31))) !== 0;
}

/** A bitset with bits 0..n-1 set. */
export function fullBitset(n: number): Uint32Array {
  const b = newBitset(n);
  b.fill(0xffffffff);
  const rest = n & 31;
  if (rest !== 0) b[b.length - 1] = (1 << rest) - 1;
  return b;
}

export function andBitsets(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = wordAt(a, w) & wordAt(b, w);
  return out;
}

/** target[offset..offset+src.length) |= src. */
export function orInto(target: Uint32Array, offset: number, src: Uint32Array): void {
  for (let w = 0; w < src.length; w++) target[offset + w] = wordAt(target, offset + w) | wordAt(src, w);
}

/** Calls fn for every set bit, in increasing order. */
export function forEachBit(b: Uint32Array, fn: (i: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let word = wordAt(b, w);
    while (word !== 0) {
      const low = word & -word;
      fn((w << 5) + (31 - Math.clz32(low)));
      word ^= low;
    }
  }
}
