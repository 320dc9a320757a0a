import { checkIndex, checkIndexRange, foldInUser, scoreFactorBlock } from '@collab-ts/core';
import type { FactorTables, ParamStore, RatingBatch, RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from './registry/recommender-base.js';
import type { Engine } from './kernels/engine.js';
import { dotLayout } from './models/dot-family.js';
import type { CollabModel, LossAndGrads, LossName, LossOptions, ModelConfig, ModelKind, ResolvedBackend } from './types.js';

/** Rows predicted or evaluated per engine call (bounds tfjs memory). */
const PREDICT_CHUNK = 8192;

/** Throws an `IndexRangeError` (core's one index check) naming the first out-of-range user or item index. */
export function checkIndices(users: Int32Array, items: Int32Array, nUsers: number, nItems: number): void {
  checkIndexRange(users, items, nUsers, nItems, 'model');
}

function checkBatch(batch: RatingBatch, nUsers: number, nItems: number): void {
  checkIndices(batch.users, batch.items, nUsers, nItems);
  if (batch.ratings.length !== batch.users.length) {
    throw new RangeError(`batch has ${batch.users.length} users but ${batch.ratings.length} ratings`);
  }
  if (batch.ratings.length === 0) throw new RangeError('empty batch');
}

/**
 * The one gradient-trained model class: a configuration, its parameters and the engine that computes with
 * them. It is a `Recommender` like every other family: ranking scores come from the factor tables (the
 * `yRange` sigmoid is monotone, so it is skipped for ranking and applied to reported scores) or, for
 * `embedding-nn`, from batched predictions.
 */
export class Model extends RecommenderBase implements CollabModel {
  readonly kind: ModelKind;
  readonly nUsers: number;
  readonly nItems: number;
  private pairBuf: { users: Int32Array; items: Int32Array } | null = null;

  constructor(
    readonly config: ModelConfig,
    readonly params: ParamStore,
    private readonly engine: Engine,
  ) {
    super();
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

  override factors(): FactorTables | null {
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

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    const nI = this.nItems;
    const f = this.factors();
    if (f) {
      for (let b = 0; b < count; b++) checkIndex(users[from + b], this.nUsers, 'scoreUsers', 'user');
      scoreFactorBlock(f, users, from, count, nI, out);
      return;
    }
    const n = count * nI;
    if (!this.pairBuf || this.pairBuf.users.length < n) this.pairBuf = { users: new Int32Array(n), items: new Int32Array(n) };
    const pu = this.pairBuf.users.subarray(0, n);
    const pi = this.pairBuf.items.subarray(0, n);
    for (let b = 0; b < count; b++) {
      pu.fill(users[from + b], b * nI, (b + 1) * nI);
      for (let i = 0; i < nI; i++) pi[b * nI + i] = i;
    }
    out.set(this.predict(pu, pi));
  }

  protected override reportScore(score: number): number {
    const y = this.config.yRange;
    if (!y || this.config.nn) return score;
    return y[0] + (y[1] - y[0]) / (1 + Math.exp(-score));
  }

  override get canFoldIn(): boolean {
    return this.config.nn === null;
  }

  /**
   * A new user's raw scores from their ratings: core's ridge fold-in against the fixed item factors (with
   * Gauss-Newton refinement through the `yRange` sigmoid). Interactions without values count as the top
   * rating of the model's range.
   */
  override foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const f = this.factors();
    if (!f) return super.foldIn(items, values);
    const top = f.yRange ? f.yRange[1] / 1.1 : 1;
    const ratings = Array.from({ length: items.length }, (_, j) => ({ item: items[j], rating: values ? values[j] : top }));
    const fold = foldInUser(f, ratings, { yRange: f.yRange });
    const out = new Float32Array(this.nItems);
    const d = f.dim;
    for (let i = 0; i < this.nItems; i++) {
      let s = fold.bias + (f.itemBias ? f.itemBias[i] : 0);
      for (let k = 0; k < d; k++) s += fold.vector[k] * f.itemFactors[i * d + k];
      out[i] = s;
    }
    return out;
  }

  state(): RecommenderState {
    const tensors: RecommenderState['tensors'] = {};
    for (const p of this.params.list()) tensors[p.name] = { shape: [...p.shape], data: p.data };
    return { config: { ...this.config } as unknown as Record<string, unknown>, tensors };
  }

  override dispose(): void {
    this.engine.dispose();
  }
}
