import { createRng, DivergenceError, hasSharedMemory, registerWorkerTasks } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import type { FitContext, FitData } from '../../registry/family.js';
import { sequentialRunner, threadedRunner } from './epoch-runner.js';
import type { EpochRunner } from './epoch-runner.js';
import { implicitEpoch, implicitUserFactors, shuffleWithinUsers, userRatingRows } from './implicit-epoch.js';
import type { ImplicitTables, UserRatingRows } from './implicit-epoch.js';
import { blockRatings, chooseGrid, plainMemory } from './rating-blocks.js';
import type { Allocate } from './rating-blocks.js';
import type { SvdTables } from './sgd-block.js';
import { SvdRecommender } from './svd-recommender.js';
import type { SvdConfig } from './svd-recommender.js';
import type { SvdSettings } from './svd-settings.js';
import { tasks } from './svd-tasks.js';

// the built file next to this code once bundled (dist/svd-tasks.js); inline runs call `tasks` directly
registerWorkerTasks(new URL('./svd-tasks.js', import.meta.url), tasks);

/** The factor and bias tables with their step accumulators, in memory from `allocate`. */
function createTables(nUsers: number, nItems: number, d: number, initStd: number, seed: number, allocate: Allocate): SvdTables {
  const f32 = (n: number) => new Float32Array(allocate(4 * n));
  const ones = (n: number) => f32(n).fill(1);
  const init = createRng(seed).fork(1);
  const userFactors = f32(nUsers * d);
  const itemFactors = f32(nItems * d);
  for (let k = 0; k < userFactors.length; k++) userFactors[k] = init.normal(0, initStd);
  for (let k = 0; k < itemFactors.length; k++) itemFactors[k] = init.normal(0, initStd);
  return {
    dim: d,
    userFactors,
    itemFactors,
    userBias: f32(nUsers),
    itemBias: f32(nItems),
    userFactorsG: ones(nUsers),
    itemFactorsG: ones(nItems),
    userBiasG: ones(nUsers),
    itemBiasG: ones(nItems),
  };
}

/** Mean squared error of `mean + b_u + b_i + p_u . q_i` (unclipped) on `v`, `p_u` from `userFactors`. */
function meanSquaredError(t: SvdTables, mean: number, v: RatingColumns, userFactors = t.userFactors): number {
  const d = t.dim;
  let s = 0;
  for (let j = 0; j < v.ratings.length; j++) {
    const u = v.users[j];
    const i = v.items[j];
    let x = mean + t.userBias[u] + t.itemBias[i];
    for (let k = 0; k < d; k++) x += userFactors[u * d + k] * t.itemFactors[i * d + k];
    s += (v.ratings[j] - x) ** 2;
  }
  return s / Math.max(1, v.ratings.length);
}

/** A copy in plain (unshared) memory, for the model that outlives the fit. */
const unshared = (a: Float32Array): Float32Array => (a.buffer instanceof ArrayBuffer ? a : Float32Array.from(a));

/**
 * Trains `svd` on `data` with resolved settings: blocks the ratings, runs the epochs on one thread (in
 * the seeded block order) or on the threads of `ctx.runner`, and returns the model (global mean folded into the
 * item biases). Reports each epoch through `ctx.epoch`, `ctx.log` and `ctx.progress`.
 */
export async function trainSvd(data: FitData, s: SvdSettings, ctx: FitContext): Promise<SvdRecommender> {
  const { train, nUsers, nItems } = data;
  const n = train.ratings.length;
  let mean = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n; j++) {
    const r = train.ratings[j];
    mean += r;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  mean = n > 0 ? mean / n : 0;
  if (s.implicit) return trainImplicit(data, s, ctx, mean, lo, hi);
  // several threads need the tables and blocks in shared memory; one thread trains in the seeded order
  const threads = ctx.runner && hasSharedMemory ? ctx.runner.threads : 1;
  const allocate: Allocate = threads > 1 ? (bytes) => new SharedArrayBuffer(bytes) : plainMemory;
  const rng = createRng(s.seed);
  const tables = createTables(nUsers, nItems, s.factors, s.initStd, s.seed, allocate);
  const grid = chooseGrid(nUsers, nItems, s.factors, threads);
  const blocks = blockRatings(train, nUsers, nItems, grid, rng.fork(3), allocate);
  const runner: EpochRunner = threads > 1 && ctx.runner ? threadedRunner(tables, blocks, ctx.runner) : sequentialRunner(tables, blocks);
  const blockOrder = Int32Array.from({ length: grid * grid }, (_, b) => b);
  const shuffle = rng.fork(2);
  let lr = s.lr;
  let lrBias = s.lrBias;
  for (let e = 1; e <= s.epochs; e++) {
    shuffle.shuffle(blockOrder);
    const t0 = performance.now();
    const sse = await runner.epoch(blockOrder, { lr, reg: s.reg, lrBias, regBias: s.regBias, mean, adaptive: s.adaptive });
    const seconds = (performance.now() - t0) / 1000;
    if (!Number.isFinite(sse)) throw new DivergenceError(`svd diverged in epoch ${e} (the training error is not finite): lower --lr (now ${s.lr})`, e - 1);
    const trainLoss = sse / Math.max(1, n);
    const validLoss = ctx.epoch && data.valid && data.valid.ratings.length > 0 ? meanSquaredError(tables, mean, data.valid) : null;
    reportEpoch(ctx, s, e, seconds, trainLoss, validLoss, runner.threads);
    lr *= s.lrDecay;
    lrBias *= s.lrDecay;
  }
  return finish(data, s, tables, tables.userFactors, mean, lo, hi, runner.threads);
}

/** Logs, reports and counts progress of one finished epoch. */
function reportEpoch(ctx: FitContext, s: SvdSettings, e: number, seconds: number, trainLoss: number, validLoss: number | null, threads: number): void {
  ctx.log?.(`svd${s.implicit ? '++' : ''} epoch ${e}/${s.epochs}: train rmse ${Math.sqrt(trainLoss).toFixed(4)}${validLoss === null ? '' : `, valid rmse ${Math.sqrt(validLoss).toFixed(4)}`} (${seconds.toFixed(2)}s, ${threads} thread${threads > 1 ? 's' : ''})`);
  ctx.epoch?.({ epoch: e, seconds, trainLoss, validLoss });
  ctx.progress?.(e / s.epochs, 'svd');
}

/** The fitted model: the global mean folded into the item biases, tables copied out of shared memory. */
function finish(data: FitData, s: SvdSettings, tables: SvdTables, userFactors: Float32Array, mean: number, lo: number, hi: number, threads: number): SvdRecommender {
  const { nUsers, nItems } = data;
  const itemBias = Float32Array.from(tables.itemBias);
  for (let i = 0; i < nItems; i++) itemBias[i] += mean;
  const clip: [number, number] | null = s.clip && data.train.ratings.length > 0 ? [lo, hi] : null;
  const config: SvdConfig = { nUsers, nItems, factors: s.factors, mean, clip, options: { ...s, threads } };
  return new SvdRecommender(config, unshared(userFactors), unshared(tables.itemFactors), unshared(tables.userBias), itemBias);
}

/**
 * SVD++ (`implicit`): the ratings grouped by user, users in a new seeded order each epoch and each user's
 * ratings reshuffled, on one thread (the `y` rows a user updates span every item group, so LibMF's block
 * schedule does not apply). The model keeps `p_u + |N(u)|^-1/2 Σ y_j` as its user factors.
 */
async function trainImplicit(data: FitData, s: SvdSettings, ctx: FitContext, mean: number, lo: number, hi: number): Promise<SvdRecommender> {
  const { train, nUsers, nItems } = data;
  const n = train.ratings.length;
  if (ctx.runner && ctx.runner.threads > 1) ctx.log?.('svd: the implicit term (SVD++) trains on one thread');
  const rng = createRng(s.seed);
  const tables = createTables(nUsers, nItems, s.factors, s.initStd, s.seed, plainMemory);
  const init = rng.fork(4);
  const imp: ImplicitTables = {
    y: Float32Array.from({ length: nItems * s.factors }, () => init.normal(0, s.initStd)),
    yG: new Float32Array(nItems).fill(1),
  };
  const rows: UserRatingRows = userRatingRows(train, nUsers, nItems);
  const userOrder = Int32Array.from({ length: nUsers }, (_, u) => u);
  const shuffle = rng.fork(2);
  const effective = new Float32Array(nUsers * s.factors);
  let lr = s.lr;
  let lrBias = s.lrBias;
  let lrImplicit = s.lrImplicit;
  for (let e = 1; e <= s.epochs; e++) {
    shuffle.shuffle(userOrder);
    shuffleWithinUsers(rows, shuffle);
    const t0 = performance.now();
    const step = { lr, reg: s.reg, lrBias, regBias: s.regBias, mean, adaptive: s.adaptive, lrImplicit, regImplicit: s.regImplicit };
    const sse = implicitEpoch(tables, imp, rows, userOrder, step);
    const seconds = (performance.now() - t0) / 1000;
    if (!Number.isFinite(sse)) throw new DivergenceError(`svd diverged in epoch ${e} (the training error is not finite): lower --lr (now ${s.lr})`, e - 1);
    const validLoss = ctx.epoch && data.valid && data.valid.ratings.length > 0 ? meanSquaredError(tables, mean, data.valid, implicitUserFactors(tables.userFactors, imp, rows, s.factors, effective)) : null;
    reportEpoch(ctx, s, e, seconds, sse / Math.max(1, n), validLoss, 1);
    lr *= s.lrDecay;
    lrBias *= s.lrDecay;
    lrImplicit *= s.lrDecay;
  }
  return finish(data, s, tables, implicitUserFactors(tables.userFactors, imp, rows, s.factors, effective), mean, lo, hi, 1);
}
