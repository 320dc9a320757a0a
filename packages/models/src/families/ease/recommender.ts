import { UsageError, checkIndex } from '@collab-ts/core';
import type { RecommenderState, ScoredItem } from '@collab-ts/core';
import { topOfScores } from '../../registry/recommender-base.js';
import { HistoryRecommender } from '../history-recommender.js';

/** The configuration an EASE model saves. */
export interface EaseConfig {
  readonly nUsers: number;
  readonly nItems: number;
  readonly lambda: number;
  readonly maxItems: number;
}

/**
 * EASE (Steck 2019): a user's scores are their history row times the item-item weight matrix `B`,
 * `s = x_u B`. When the catalogue was cut to the `maxItems` most-interacted items, `B` covers only those;
 * the other items score below every kept item, in popularity order.
 */
export class EaseRecommender extends HistoryRecommender {
  readonly kind = 'ease';
  readonly nUsers: number;
  readonly nItems: number;
  readonly config: EaseConfig;
  /** `B`, row-major `m x m` over the kept items. */
  readonly weights: Float32Array;
  /** The kept items, ascending. */
  readonly keptItems: Int32Array;
  protected readonly popularity: Float32Array;
  private readonly keptPos: Int32Array;
  /** For dropped items, their popularity scaled into [0, 1): added below the lowest kept score. */
  private readonly droppedOffset: Float32Array | null;
  private readonly scratch: Float32Array | null;

  constructor(config: EaseConfig, weights: Float32Array, keptItems: Int32Array, popularity: Float32Array) {
    super();
    this.config = config;
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    this.weights = weights;
    this.keptItems = keptItems;
    this.popularity = popularity;
    this.keptPos = new Int32Array(config.nItems).fill(-1);
    keptItems.forEach((item, p) => (this.keptPos[item] = p));
    const m = keptItems.length;
    if (m < config.nItems) {
      let top = 0;
      for (let j = 0; j < config.nItems; j++) if (this.keptPos[j] < 0) top = Math.max(top, popularity[j]);
      this.droppedOffset = new Float32Array(config.nItems);
      for (let j = 0; j < config.nItems; j++) if (this.keptPos[j] < 0) this.droppedOffset[j] = popularity[j] / (top + 1);
      this.scratch = new Float32Array(m);
    } else {
      this.droppedOffset = null;
      this.scratch = null;
    }
  }

  protected scoreHistory(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): boolean {
    const m = this.keptItems.length;
    const b = this.weights;
    const s = this.scratch ?? out;
    s.fill(0);
    let used = false;
    // Hand-written: x_u B as the sum of B's rows for the user's items, weighted by strength. Histories are
    // short next to the catalogue, so this is O(|history| x m) and each row streams contiguous memory.
    for (let h = 0; h < items.length; h++) {
      const p = this.keptPos[items[h]];
      if (p < 0) continue;
      used = true;
      const x = values[h];
      const o = p * m;
      for (let c = 0; c < m; c++) s[c] += x * b[o + c];
    }
    if (!used || !this.droppedOffset) return used;
    let lowest = Infinity;
    for (let c = 0; c < m; c++) {
      out[this.keptItems[c]] = s[c];
      if (s[c] < lowest) lowest = s[c];
    }
    for (let j = 0; j < this.nItems; j++) if (this.keptPos[j] < 0) out[j] = lowest - 1 + this.droppedOffset[j];
    return true;
  }

  /**
   * The items with the largest weights in `item`'s row of `B`: the items a history holding `item` pushes up
   * the most, so `similarItems(i, k)` ranks like `recommendNew([i])`.
   * @throws UsageError for an item outside the `maxItems` kept ones.
   */
  override similarItems(item: number, k: number): ScoredItem[] {
    checkIndex(item, this.nItems, 'ease similar items');
    const p = this.keptPos[item];
    if (p < 0) throw new UsageError(`ease: item ${item} is not among the ${this.keptItems.length} most-interacted items the model kept (maxItems), so it has no similar items`);
    const m = this.keptItems.length;
    const mask = new Uint8Array(m);
    mask[p] = 1;
    return topOfScores(this.weights.subarray(p * m, (p + 1) * m), k, mask).map((s) => ({ item: this.keptItems[s.item], score: s.score }));
  }

  state(): RecommenderState {
    const m = this.keptItems.length;
    return {
      config: { ...this.config },
      tensors: {
        weights: { shape: [m, m], data: this.weights },
        keptItems: { shape: [m], data: this.keptItems },
        popularity: { shape: [this.nItems], data: this.popularity },
      },
    };
  }
}
