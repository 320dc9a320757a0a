import type { FactorTables, Scorer } from '@collab-ts/core';
import { F32ScoreBound, factorScore, scoreFactorBlock } from '@collab-ts/core';

/**
 * Items per tile of the factor path: a block of 64 users against 1024 items is 256 KiB of scores and 200 KiB
 * of 50-factor item rows, so the tile stays in a core's L2 cache while the top-k pass reads it back.
 */
export const ITEM_TILE = 1024;

/**
 * Scores blocks of users against every item, reusing its buffers between calls. For factor models it runs
 * a blocked matrix product over the factor tables, a tile of items at a time if asked; scorers with their own
 * `scoreUsers` use it; others go through batched `predict` calls (those two score whole rows only).
 * @internal
 */
export class BlockScorer {
  readonly nItems: number;
  readonly maxBlock: number;
  private readonly scorer: Scorer;
  private readonly tables: FactorTables | null;
  private readonly out: Float32Array;
  private bound: F32ScoreBound | null = null;
  private pairUsers: Int32Array | null = null;
  private pairItems: Int32Array | null = null;

  constructor(scorer: Scorer, maxBlock: number, useFactors: boolean) {
    this.scorer = scorer;
    this.nItems = scorer.nItems;
    this.maxBlock = Math.max(1, maxBlock);
    this.tables = useFactors ? scorer.factors() : null;
    this.out = new Float32Array(this.maxBlock * this.nItems);
  }

  /** The widest item tile {@link scoreTile} takes: {@link ITEM_TILE} on the factor path, every item otherwise. */
  get tileWidth(): number {
    return this.tables ? Math.min(ITEM_TILE, this.nItems) : this.nItems;
  }

  /**
   * Scores `users[from .. from + count)` against items `i0 .. i1` (at most {@link tileWidth} of them): row `b`
   * of the result (a view into a reused buffer) holds user `users[from + b]`'s scores of those items. On the
   * factor path they are the fast float32 sums, each within {@link slack} of the exact score
   * ({@link exactScore}); otherwise they are the scores {@link score} gives.
   */
  scoreTile(users: ArrayLike<number>, from: number, count: number, i0: number, i1: number): Float32Array {
    const t = this.tables;
    if (!t) {
      if (i0 !== 0 || i1 !== this.nItems) throw new RangeError(`scoreTile: items ${i0}..${i1}: without factor tables a tile is every item`);
      return this.score(users, from, count);
    }
    if (i1 - i0 > this.tileWidth) throw new RangeError(`scoreTile: items ${i0}..${i1} are wider than a tile of ${this.tileWidth}`);
    const d = t.dim;
    const tile: FactorTables = { ...t, itemFactors: t.itemFactors.subarray(i0 * d, i1 * d), itemBias: t.itemBias ? t.itemBias.subarray(i0, i1) : null };
    const out = this.out.subarray(0, count * (i1 - i0));
    scoreFactorBlock(tile, users, from, count, i1 - i0, out, 'f32');
    return out;
  }

  /** Whether {@link scoreTile}'s scores are approximate (the factor path), to be confirmed by {@link exactScore}. */
  get approximateTiles(): boolean {
    return this.tables !== null;
  }

  /** How far user `u`'s {@link scoreTile} scores may be from the exact ones (0 when they are exact). */
  slack(u: number): number {
    if (!this.tables) return 0;
    this.bound ??= new F32ScoreBound(this.tables);
    return this.bound.slack(u);
  }

  /** The exact score of one pair on the factor path: the value {@link score} gives for it. */
  exactScore(u: number, i: number): number {
    return factorScore(this.tables!, u, i);
  }

  /** Whether the factor-table fast path is in use. */
  get usesFactors(): boolean {
    return this.tables !== null;
  }

  /**
   * Scores `users[from .. from + count)` against every item; row `b` of the result (a view into a reused
   * buffer, valid until the next call) holds user `users[from + b]`'s scores.
   */
  score(users: ArrayLike<number>, from: number, count: number): Float32Array {
    const out = this.out.subarray(0, count * this.nItems);
    if (this.tables) scoreFactorBlock(this.tables, users, from, count, this.nItems, out);
    else if (this.scorer.scoreUsers) this.scorer.scoreUsers(users, from, count, out);
    else this.scoreByPredict(users, from, count, out);
    return out;
  }

  private scoreByPredict(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    const nI = this.nItems;
    const n = count * nI;
    if (!this.pairUsers || this.pairUsers.length < n) {
      this.pairUsers = new Int32Array(this.maxBlock * nI);
      this.pairItems = new Int32Array(this.maxBlock * nI);
    }
    const pu = this.pairUsers.subarray(0, n);
    const pi = this.pairItems!.subarray(0, n);
    for (let b = 0; b < count; b++) {
      const u = users[from + b];
      const o = b * nI;
      for (let i = 0; i < nI; i++) {
        pu[o + i] = u;
        pi[o + i] = i;
      }
    }
    out.set(this.scorer.predict(pu, pi));
  }
}

