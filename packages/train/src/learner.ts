import { DivergenceError, UsageError } from '@collab-ts/core';
import type { ParamStore, RatingColumns } from '@collab-ts/core';
import { BatchLoader } from '@collab-ts/data';
import type { CollabModel } from '@collab-ts/models';
import { constant, oneCycle, flatCosine } from '@collab-ts/optim';
import type { Optimizer, Schedule, SparseMode } from '@collab-ts/optim';
import type { Callback, EpochInfo, ValidMetrics } from './callback.js';
import { Recorder } from './recorder.js';
import { yieldToEventLoop, YIELD_EVERY_MS } from './event-loop.js';
import { buildOptimizer } from './optimizer-choice.js';
import type { OptimizerChoice } from './optimizer-choice.js';
import { resolveWd } from './weight-decay.js';
import type { ResolvedWd, WdMode } from './weight-decay.js';
import { evaluateRatings } from '@collab-ts/eval';
import type { Checkpointer } from './checkpointer.js';

/** Options for a {@link Learner}. */
export interface LearnerOptions {
  model: CollabModel;
  train: RatingColumns;
  /** Validation ratings, scored at the end of every epoch; `null` to skip validation. */
  valid?: RatingColumns | null;
  /** Mini-batch size (fastai's default for collab is 64). */
  bs?: number;
  /** Seed of the batch order; the same seed gives the same losses. */
  seed?: number;
  /** Training loss: mean squared error (fastai's `MSELossFlat`) or binary cross-entropy for implicit data. */
  loss?: 'mse' | 'bce';
  /** Optimizer by name or factory; Adam by default, as in fastai. */
  optimizer?: OptimizerChoice;
  /**
   * How named optimizers apply sparse embedding gradients (see `SparseMode` in `@collab-ts/optim`). Default
   * `'catch-up'`: dense-optimizer results at the cost of the touched rows; `'lazy'` is LazyAdam; `'dense'`
   * updates every row every step.
   */
  sparseMode?: SparseMode;
  callbacks?: Callback[];
  /** Where per-epoch checkpoints go (`fileCheckpointer(dir)` from `@collab-ts/train/node`); none by default. */
  checkpoint?: Checkpointer;
}

/** Options shared by every fit method. */
export interface FitOptions {
  /** Weight decay (decoupled, as fastai applies it). Default 0.01, fastai's default. */
  wd?: number;
  /**
   * How weight decay relates to the data size (see {@link WdMode}): `'auto'` (default) keeps fastai's
   * per-step decay up to 100,000 training ratings and fixes the decay of an epoch above, so large data is
   * not decayed to nothing.
   */
  wdMode?: WdMode;
  /** Resume from the learner's checkpoint when one exists. */
  resume?: boolean;
}

/** Options of {@link Learner.fitOneCycle}, with fastai's defaults. */
export interface OneCycleOptions extends FitOptions {
  pctStart?: number;
  div?: number;
  divFinal?: number;
  moms?: [number, number, number];
}

/** The result of a fit: the epoch table and the final validation figures. */
export interface FitResult {
  readonly epochs: EpochInfo[];
  readonly valid: ValidMetrics | null;
  readonly seconds: number;
}

/**
 * Ties a model, its data and an optimizer together and trains them (fastai's `Learner`): seeded mini-batches,
 * schedules applied every step, validation every epoch, callbacks, checkpoints and a guard that stops on a
 * NaN or infinite loss with the last good parameters restored.
 */
export class Learner {
  readonly model: CollabModel;
  readonly train: RatingColumns;
  readonly valid: RatingColumns | null;
  readonly bs: number;
  readonly seed: number;
  readonly loss: 'mse' | 'bce';
  readonly recorder = new Recorder();
  readonly callbacks: Callback[];
  readonly checkpoint: Checkpointer | undefined;
  /** Set by a callback to end the fit after the current epoch. */
  stopRequested = false;
  private opt: Optimizer | null = null;
  private optWd: ResolvedWd | null = null;
  readonly optimizerChoice: OptimizerChoice;
  readonly sparseMode: SparseMode;

  constructor(opts: LearnerOptions) {
    if (opts.train.ratings.length === 0) throw new UsageError('the training set is empty');
    this.model = opts.model;
    this.train = opts.train;
    this.valid = opts.valid ?? null;
    this.bs = opts.bs ?? 64;
    if (!Number.isInteger(this.bs) || this.bs < 1) throw new UsageError(`batch size must be a positive integer, got ${opts.bs}`);
    this.seed = opts.seed ?? 42;
    this.loss = opts.loss ?? 'mse';
    this.optimizerChoice = opts.optimizer ?? 'adam';
    this.sparseMode = opts.sparseMode ?? 'catch-up';
    this.callbacks = [this.recorder, ...(opts.callbacks ?? [])];
    this.checkpoint = opts.checkpoint;
  }

  /** The weight decay of the last fit, as its mode resolved for this training set (`null` before a fit). */
  get weightDecay(): ResolvedWd | null {
    return this.optWd;
  }

  /** The optimizer of the last fit (created on the first fit). */
  get optimizer(): Optimizer | null {
    return this.opt;
  }

  /** Trains with a constant learning rate (fastai's `fit`). */
  fit(epochs: number, lr: number, opts: FitOptions = {}): Promise<FitResult> {
    return this.fitSchedule(epochs, { lr: constant(lr), mom: constant(0.9) }, opts);
  }

  /** Trains with the one-cycle policy (fastai's `fit_one_cycle`). */
  fitOneCycle(epochs: number, lrMax: number, opts: OneCycleOptions = {}): Promise<FitResult> {
    const s = oneCycle({ lrMax, pctStart: opts.pctStart, div: opts.div, divFinal: opts.divFinal, moms: opts.moms });
    return this.fitSchedule(epochs, s, opts);
  }

  /** Trains flat then cosine-annealed (fastai's `fit_flat_cos`). */
  fitFlatCos(epochs: number, lr: number, opts: FitOptions & { pctStart?: number } = {}): Promise<FitResult> {
    return this.fitSchedule(epochs, { lr: flatCosine({ lr, pctStart: opts.pctStart }), mom: constant(0.9) }, opts);
  }

  /** Validation MSE / RMSE / MAE of the current parameters, or `null` without a (non-empty) validation set. */
  validate(): ValidMetrics | null {
    if (!this.valid || this.valid.ratings.length === 0) return null;
    const { mse, rmse, mae } = evaluateRatings(this.model, this.valid);
    return { mse, rmse, mae };
  }

  /**
   * Trains for `epochs` epochs with learning-rate and momentum schedules over training progress (0..1).
   * Every other fit method is this one with particular schedules.
   */
  async fitSchedule(epochs: number, sched: { lr: Schedule; mom?: Schedule }, opts: FitOptions = {}): Promise<FitResult> {
    if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`epochs must be a positive integer, got ${epochs}`);
    const wd = resolveWd(opts.wdMode ?? 'auto', opts.wd ?? 0.01, this.train.ratings.length);
    const loader = new BatchLoader(this.train, { bs: this.bs, shuffle: true, seed: this.seed });
    const steps = loader.numBatches;
    const total = epochs * steps;
    const momSched = sched.mom ?? constant(0.9);
    if (!this.opt || this.optWd?.wd !== wd.wd || this.optWd.decoupled !== wd.decoupled) {
      this.opt = buildOptimizer(this.optimizerChoice, this.model.params, sched.lr(0), wd.wd, this.sparseMode, wd.decoupled);
    }
    this.optWd = wd;
    const opt = this.opt;
    let startEpoch = 0;
    if (opts.resume && this.checkpoint) {
      const done = this.checkpoint.load(this.model.params, opt);
      if (done !== null) startEpoch = done + 1;
    }
    this.stopRequested = false;
    this.recorder.reset();
    const info = { epochs, startEpoch, stepsPerEpoch: steps };
    for (const cb of this.callbacks) cb.beforeFit?.(this, info);
    let lastGood: ParamStore = this.model.params.clone();
    const fitStart = performance.now();
    let lastYield = fitStart;
    let lastValid: ValidMetrics | null = null;
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      for (const cb of this.callbacks) cb.beforeEpoch?.(this, epoch);
      const t0 = performance.now();
      let lossSum = 0;
      let count = 0;
      let b = 0;
      for (const batch of loader.epoch(epoch)) {
        const step = epoch * steps + b;
        const pct = step / total;
        opt.lr = sched.lr(pct);
        opt.mom = momSched(pct);
        const { loss, grads } = this.model.lossAndGrads(batch, { training: true, loss: this.loss });
        if (!Number.isFinite(loss)) {
          this.model.params.copyFrom(lastGood);
          throw new DivergenceError(
            `training diverged: the loss became ${loss} at epoch ${epoch}, batch ${b} (lr ${opt.lr.toExponential(2)}); ` +
              `parameters were restored to the end of the last good epoch. Try a lower learning rate.`,
            step,
          );
        }
        opt.step(grads);
        lossSum += loss * batch.ratings.length;
        count += batch.ratings.length;
        for (const cb of this.callbacks) {
          cb.afterStep?.(this, { epoch, step, batch: b, batches: steps, loss, lr: opt.lr, mom: opt.mom });
        }
        b++;
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      opt.flush();
      const metrics = this.validate();
      lastValid = metrics;
      const trainLoss = lossSum / count;
      const validLoss = metrics ? (this.loss === 'mse' ? metrics.mse : this.validBce()) : null;
      if (validLoss !== null && !Number.isFinite(validLoss)) {
        this.model.params.copyFrom(lastGood);
        throw new DivergenceError(`training diverged: the validation loss became ${validLoss} after epoch ${epoch}`, (epoch + 1) * steps);
      }
      lastGood = this.model.params.clone();
      const seconds = (performance.now() - t0) / 1000;
      const epochInfo: EpochInfo = { epoch, epochs, trainLoss, validLoss, metrics, seconds };
      this.checkpoint?.save(this.model.params, opt, epoch);
      for (const cb of this.callbacks) await cb.afterEpoch?.(this, epochInfo);
      if (this.stopRequested) break;
    }
    for (const cb of this.callbacks) cb.afterFit?.(this);
    return { epochs: [...this.recorder.epochs], valid: lastValid, seconds: (performance.now() - fitStart) / 1000 };
  }

  private validBce(): number {
    const v = this.valid!;
    const chunk = 8192;
    let sum = 0;
    for (let s = 0; s < v.ratings.length; s += chunk) {
      const e = Math.min(v.ratings.length, s + chunk);
      const batch = { users: v.users.subarray(s, e), items: v.items.subarray(s, e), ratings: v.ratings.subarray(s, e) };
      sum += this.model.evaluateLoss(batch, { loss: 'bce' }) * (e - s);
    }
    return sum / v.ratings.length;
  }
}
