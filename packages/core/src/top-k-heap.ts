/**
 * A fixed-capacity heap that keeps the `k` best (score, item) pairs seen so far, without allocating per
 * push. "Better" means a higher score, and on equal scores the lower item index (the deterministic
 * tie-break used everywhere in this package). NaN scores count as `-Infinity`.
 * Shared by every ranking path (eval metrics, recommendations, the models' recommend).
 */
export class TopKHeap {
  private readonly scores: Float64Array;
  private readonly items: Int32Array;
  private k = 0;
  /** Number of pairs held. */
  size = 0;

  constructor(capacity: number) {
    this.scores = new Float64Array(Math.max(1, capacity));
    this.items = new Int32Array(Math.max(1, capacity));
  }

  /** Empties the heap and sets how many pairs it keeps (at most the capacity). */
  reset(k: number): void {
    this.k = Math.min(k, this.scores.length);
    this.size = 0;
  }

  /**
   * The score a pair must exceed to be worth offering, for a scan that offers items in increasing index order
   * (so an equal score never wins its tie): the worst score held once the heap is full, and NaN while it has
   * room, so that `score <= threshold` is false for every score and the caller offers it.
   */
  get threshold(): number {
    if (this.k === 0) return Infinity;
    return this.size < this.k ? NaN : this.scores[0];
  }

  /** Offers a pair; it is kept when the heap is not full or it beats the worst pair held. */
  push(score: number, item: number): void {
    if (score !== score) score = -Infinity;
    const s = this.scores;
    const it = this.items;
    if (this.size < this.k) {
      // sift up: the root holds the worst pair
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!(s[p] > score || (s[p] === score && it[p] < item))) break;
        s[i] = s[p];
        it[i] = it[p];
        i = p;
      }
      s[i] = score;
      it[i] = item;
      return;
    }
    if (this.k === 0) return;
    if (!(score > s[0] || (score === s[0] && item < it[0]))) return;
    // replace the root and sift down
    this.siftDown(score, item, this.size);
  }

  /** Places (score, item) at the root of the first `n` slots and sifts it down to where it belongs. */
  private siftDown(score: number, item: number, n: number): void {
    const s = this.scores;
    const it = this.items;
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let w = l;
      const r = l + 1;
      if (r < n && (s[r] < s[l] || (s[r] === s[l] && it[r] > it[l]))) w = r;
      if (!(s[w] < score || (s[w] === score && it[w] > item))) break;
      s[i] = s[w];
      it[i] = it[w];
      i = w;
    }
    s[i] = score;
    it[i] = item;
  }

  /** Writes the held pairs best first into the outputs, empties the heap, and returns how many were written. */
  drain(outItems: Int32Array, outScores: Float32Array | Float64Array | null, offset = 0): number {
    const m = this.size;
    const s = this.scores;
    const it = this.items;
    // repeatedly pop the worst pair into the last free slot
    for (let pos = m - 1; pos >= 0; pos--) {
      outItems[offset + pos] = it[0];
      if (outScores) outScores[offset + pos] = s[0];
      // move the last pair to the root of the shrunk heap
      this.siftDown(s[pos], it[pos], pos);
    }
    this.size = 0;
    return m;
  }
}

/**
 * The `k` highest entries of `scores` whose `mask` byte is 0 (all, without a mask), best first, ties by lower
 * index, NaN as `-Infinity`: the selection every ranking path shares. O(n log k), one heap.
 */
export function selectTopK(scores: ArrayLike<number>, k: number, mask: Uint8Array | null): { indices: Int32Array; scores: Float32Array } {
  const n = scores.length;
  const heap = new TopKHeap(Math.min(k, n));
  heap.reset(k);
  for (let i = 0; i < n; i++) if (!mask || mask[i] === 0) heap.push(scores[i], i);
  const m = heap.size;
  const indices = new Int32Array(m);
  const out = new Float32Array(m);
  heap.drain(indices, out);
  return { indices, scores: out };
}
