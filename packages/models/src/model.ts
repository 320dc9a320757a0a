import type { FactorTables, ParamStore, RatingBatch } from '@collab-ts/core';
import type { Engine } from './kernels/engine.js';
import { dotLayout } from './models/dot-family.js';
import type { CollabModel, LossAndGrads, LossName, LossOptions, ModelConfig, ModelKind, ResolvedBackend } from './types.js';

/** Rows predicted or evaluated per engine call (bounds tfjs memory). */
const PREDICT_CHUNK = 8192;

/** Throws a RangeError naming the first out-of-range user or item index. */
export function checkIndices(users: Int32Array, items: Int32Array, nUsers: number, nItems: number): void {
  if (users.length !== items.length) {
    throw new RangeError(`users and items must have the same length (got ${users.length} and ${items.length})`);
  }
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    const i = items[b];
    if (!(u >= 0 && u < nUsers)) {
      throw new RangeError(`user index ${u} (position ${b}) is out of range: the model knows ${nUsers} users, 0..${nUsers - 1}`);
    }
    if (!(i >= 0 && i < nItems)) {
      throw new RangeError(`item index ${i} (position ${b}) is out of range: the model knows ${nItems} items, 0..${nItems - 1}`);
    }
  }
}

function checkBatch(batch: RatingBatch, nUsers: number, nItems: number): void {
  checkIndices(batch.users, batch.items, nUsers, nItems);
  if (batch.ratings.length !== batch.users.length) {
    throw new RangeError(`batch has ${batch.users.length} users but ${batch.ratings.length} ratings`);
  }
  if (batch.ratings.length === 0) throw new RangeError('empty batch');
}

/** The one model class: a configuration, its parameters and the engine that computes with them. */
export class Model implements CollabModel {
  readonly kind: ModelKind;
  readonly nUsers: number;
  readonly nItems: number;

  constructor(
    readonly config: ModelConfig,
    readonly params: ParamStore,
    private readonly engine: Engine,
  ) {
    this.kind = config.kind;
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
  }

  get backend(): ResolvedBackend {
    return this.engine.backend;
  }

  lossAndGrads(batch: RatingBatch, opts: LossOptions = {}): LossAndGrads {
    checkBatch(batch, this.nUsers, this.nItems);
    return this.engine.lossAndGrads(batch, opts.training ?? true, opts.loss ?? 'mse');
  }

  evaluateLoss(batch: RatingBatch, opts: { loss?: LossName } = {}): number {
    checkBatch(batch, this.nUsers, this.nItems);
    const n = batch.ratings.length;
    if (n <= PREDICT_CHUNK) return this.engine.evaluateLoss(batch, opts.loss ?? 'mse');
    let total = 0;
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const end = Math.min(n, start + PREDICT_CHUNK);
      const part = { users: batch.users.subarray(start, end), items: batch.items.subarray(start, end), ratings: batch.ratings.subarray(start, end) };
      total += this.engine.evaluateLoss(part, opts.loss ?? 'mse') * (end - start);
    }
    return total / n;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndices(users, items, this.nUsers, this.nItems);
    const out = new Float32Array(users.length);
    for (let start = 0; start < users.length; start += PREDICT_CHUNK) {
      const end = Math.min(users.length, start + PREDICT_CHUNK);
      this.engine.predict(users.subarray(start, end), items.subarray(start, end), out.subarray(start, end));
    }
    return out;
  }

  factors(): FactorTables | null {
    if (this.config.nn) return null;
    const l = dotLayout(this.kind);
    return {
      dim: this.config.factors,
      userFactors: this.params.get(l.userFactors).data,
      itemFactors: this.params.get(l.itemFactors).data,
      userBias: l.userBias ? this.params.get(l.userBias).data : null,
      itemBias: l.itemBias ? this.params.get(l.itemBias).data : null,
      yRange: this.config.yRange,
    };
  }

  dispose(): void {
    this.engine.dispose();
  }
}
