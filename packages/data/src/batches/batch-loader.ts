import { createRng, UsageError, type RatingBatch, type RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset } from '../dataset.js';

/** Options of {@link BatchLoader}. */
export interface BatchLoaderOptions {
  /** Batch size (default 64, fastai's default). */
  bs?: number;
  /** Shuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the per-epoch shuffles (default 0). */
  seed?: number;
  /** Drop the last, smaller batch (default false). */
  dropLast?: boolean;
}

/**
 * Cuts rating columns into mini-batches, like a fastai `DataLoader`. Each epoch visits every rating exactly
 * once; with `shuffle` the order is a permutation seeded by `(seed, epochIndex)`, so it differs from epoch to
 * epoch but is the same on every run.
 *
 * The yielded {@link RatingBatch} arrays are views over buffers the loader reuses: copy them (`slice()`)
 * before keeping a batch past the next iteration.
 *
 * @example
 * ```ts
 * const loader = new BatchLoader(split.train, { bs: 64, seed: 1 });
 * for (const batch of loader.epoch(0)) model.step(batch);
 * ```
 */
export class BatchLoader {
  readonly columns: RatingColumns;
  readonly bs: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  private readonly order: Uint32Array;
  private readonly users: Int32Array;
  private readonly items: Int32Array;
  private readonly ratings: Float32Array;

  constructor(data: RatingColumns | RatingsDataset, options: BatchLoaderOptions = {}) {
    this.columns = columnsOf(data);
    this.bs = options.bs ?? 64;
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.dropLast = options.dropLast ?? false;
    if (!Number.isInteger(this.bs) || this.bs < 1) throw new UsageError(`bs must be a positive integer, got ${this.bs}`);
    this.order = new Uint32Array(this.columns.ratings.length);
    this.users = new Int32Array(this.bs);
    this.items = new Int32Array(this.bs);
    this.ratings = new Float32Array(this.bs);
  }

  /** Number of ratings. */
  get size(): number {
    return this.columns.ratings.length;
  }

  /** Number of batches per epoch. */
  get numBatches(): number {
    const n = this.size;
    return this.dropLast ? Math.floor(n / this.bs) : Math.ceil(n / this.bs);
  }

  /** The row order of an epoch (a seeded permutation, or 0..n-1 without shuffling). */
  epochOrder(epochIndex: number): Uint32Array {
    const order = new Uint32Array(this.size);
    this.fillOrder(order, epochIndex);
    return order;
  }

  private fillOrder(order: Uint32Array, epochIndex: number): void {
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (this.shuffle) createRng(this.seed).fork(epochIndex).shuffle(order);
  }

  /** Yields the batches of epoch `epochIndex` (views over reused buffers). */
  *epoch(epochIndex = 0): Generator<RatingBatch> {
    const order = this.order;
    this.fillOrder(order, epochIndex);
    const { users: su, items: si, ratings: sr } = this.columns;
    const n = order.length;
    const bs = this.bs;
    const nb = this.numBatches;
    for (let b = 0; b < nb; b++) {
      const lo = b * bs;
      const m = Math.min(bs, n - lo);
      for (let k = 0; k < m; k++) {
        const i = order[lo + k];
        this.users[k] = su[i];
        this.items[k] = si[i];
        this.ratings[k] = sr[i];
      }
      yield m === bs
        ? { users: this.users, items: this.items, ratings: this.ratings }
        : { users: this.users.subarray(0, m), items: this.items.subarray(0, m), ratings: this.ratings.subarray(0, m) };
    }
  }

  /** The first batch of an epoch, copied (handy for `showBatch`). */
  oneBatch(epochIndex = 0): RatingBatch {
    for (const b of this.epoch(epochIndex)) return { users: b.users.slice(), items: b.items.slice(), ratings: b.ratings.slice() };
    return { users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0) };
  }
}
