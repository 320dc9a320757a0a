import { createRng } from '@collab-ts/core';
import type { RatingBatch, RatingColumns } from '@collab-ts/core';
import { BatchLoader } from '@collab-ts/data';
import type { Learner } from './learner.js';
import { buildOptimizer } from './optimizer-choice.js';
import { resolveWd } from './weight-decay.js';
import type { WdMode } from './weight-decay.js';

/** Options of {@link lrFind}. Rates and the divergence threshold are fastai's; the rest is explained per option. */
export interface LrFindOptions {
  /** First rate of the sweep (default 1e-7). */
  startLr?: number;
  /** Last rate of the sweep (default 10). */
  endLr?: number;
  /**
   * Optimizer steps in the sweep. Default: one epoch of the training data (at least 100, at most 10,000).
   * An embedding row only moves when a batch touches it, so a sweep much shorter than an epoch leaves most
   * rows nearly untouched at every rate and points at rates far too high for a real fit (fastai's 100 steps
   * on MovieLens 100k put the loss minimum near 0.3, where 5e-3 is what trains well).
   */
  numIter?: number;
  /**
   * Ratings whose loss traces the curve: a fixed sample of the learner's validation set (`'valid'`, the
   * default when it has one) or of its training set (`'train'`). The same ratings are scored after every
   * recorded step, so the curve moves only when the parameters do, not with the luck of each batch.
   */
  probe?: 'valid' | 'train';
  /** Ratings in the probe sample (default 1024). */
  probeSize?: number;
  /** Most points on the curve; longer sweeps score the probe every few steps (default 200). */
  maxPoints?: number;
  /**
   * Stop early once the loss is clearly worse than where it started (training now hurts), or above
   * `divThreshold` times its minimum (default true).
   */
  stopDiv?: boolean;
  /** Default 4, as fastai. */
  divThreshold?: number;
  /** Smoothing of the per-batch training losses reported in `trainLosses` (default 0.98, as fastai). */
  beta?: number;
  /** Weight decay during the sweep (default 0.01). */
  wd?: number;
  /** How weight decay relates to the data size (default `'auto'`, as in a fit). */
  wdMode?: WdMode;
}

/**
 * What a finder curve suggests. Each is `NaN` when the loss did not fall during the sweep (then no rate of
 * the sweep helps: sweep longer, or higher); none is ever one of the sweep's first points.
 */
export interface LrSuggestions {
  /**
   * The main suggestion: halfway (on the log scale) between `helpsFrom` and `helpsUntil`, the middle of the
   * stretch where the loss falls (fastai's "valley" idea, made robust to a flat start).
   */
  valley: number;
  /** The rate at the minimum loss divided by 10 (fastai's rule), and never below `helpsFrom`. */
  minimum: number;
  /** Where the loss falls fastest against log(lr), between `helpsFrom` and `helpsUntil`. */
  steep: number;
  /** Where training starts to help: from this rate to the minimum the loss stays at least a tenth of the way down. */
  helpsFrom: number;
  /** Where training stops helping: the rate at the minimum loss; beyond it the loss rises. */
  helpsUntil: number;
}

/** The curve an {@link lrFind} sweep traced and what it suggests. */
export interface LrFindResult {
  /** The rate of each recorded step, increasing. */
  readonly lrs: number[];
  /** The probe loss after each recorded step, smoothed over a few neighbouring points (what suggestions use). */
  readonly losses: number[];
  /** The same probe losses, unsmoothed. */
  readonly rawLosses: number[];
  /** The training-batch losses, as fastai plots them (bias-corrected exponential moving average). */
  readonly trainLosses: number[];
  /** The probe loss before the first step. */
  readonly initialLoss: number;
  readonly suggestions: LrSuggestions;
  /** The suggested rate (`valley`). */
  readonly suggested: number;
  /** Whether the sweep stopped early because the loss rose above where it started (or diverged). */
  readonly diverged: boolean;
  /** Optimizer steps taken. */
  readonly steps: number;
  /** Which ratings traced the curve. */
  readonly probe: 'valid' | 'train';
}

/** A seeded sample of `n` ratings of `cols`, as one batch. */
function sample(cols: RatingColumns, n: number, seed: number): RatingBatch {
  const total = cols.ratings.length;
  if (n >= total) return { users: cols.users, items: cols.items, ratings: cols.ratings };
  const idx = createRng(seed).permutation(total).subarray(0, n).sort();
  return { users: Int32Array.from(idx, (i) => cols.users[i]), items: Int32Array.from(idx, (i) => cols.items[i]), ratings: Float32Array.from(idx, (i) => cols.ratings[i]) };
}

/** Centred moving average over `2h + 1` points (fewer at the ends): smooths without shifting the curve. */
function centredMean(v: readonly number[], h: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(v.length - 1, i + h); j++) {
      if (Number.isFinite(v[j])) {
        s += v[j];
        c++;
      }
    }
    out.push(c > 0 ? s / c : NaN);
  }
  return out;
}

/**
 * The learning-rate finder (fastai's `lr_find`): trains on mini-batches while the learning rate grows
 * exponentially from `startLr` to `endLr`, scoring a fixed probe sample after each recorded step, stops once
 * training clearly hurts, then puts the model's parameters back as they were. The learner's optimizer and
 * record are left untouched.
 *
 * It differs from fastai's in three measured ways, each needed on embedding models (see {@link LrFindOptions}):
 * the sweep lasts about an epoch, the curve is the loss of a fixed probe sample rather than of each batch
 * (a batch of 64 ratings has a loss that varies by ±0.3 on MovieLens, more than the whole sweep moves it),
 * and it stops when the loss is back above where it started, which a `yRange` model reaches although its
 * bounded output never lets the loss reach four times its minimum.
 */
export function lrFind(learner: Learner, opts: LrFindOptions = {}): LrFindResult {
  const startLr = opts.startLr ?? 1e-7;
  const endLr = opts.endLr ?? 10;
  const loader = new BatchLoader(learner.train, { bs: learner.bs, shuffle: true, seed: learner.seed });
  const numIter = opts.numIter ?? Math.min(10_000, Math.max(100, loader.numBatches));
  const beta = opts.beta ?? 0.98;
  const divThreshold = opts.divThreshold ?? 4;
  const stopDiv = opts.stopDiv ?? true;
  const every = Math.max(1, Math.ceil(numIter / (opts.maxPoints ?? 200)));
  const probeKind = opts.probe ?? (learner.valid && learner.valid.ratings.length > 0 ? 'valid' : 'train');
  const probeCols = probeKind === 'valid' && learner.valid && learner.valid.ratings.length > 0 ? learner.valid : learner.train;
  const probe = sample(probeCols, opts.probeSize ?? 1024, learner.seed + 1);
  const probeLoss = (): number => learner.model.evaluateLoss(probe, { loss: learner.loss });
  const saved = learner.model.params.clone();
  const wd = resolveWd(opts.wdMode ?? 'auto', opts.wd ?? 0.01, learner.train.ratings.length);
  const opt = buildOptimizer(learner.optimizerChoice, learner.model.params, startLr, wd.wd, learner.sparseMode, wd.decoupled);
  const lrs: number[] = [];
  const rawLosses: number[] = [];
  const trainLosses: number[] = [];
  let avg = 0;
  let best = Infinity;
  let diverged = false;
  let i = 0;
  let initialLoss = NaN;
  try {
    initialLoss = probeLoss();
    outer: for (let epoch = 0; ; epoch++) {
      for (const batch of loader.epoch(epoch)) {
        if (i >= numIter) break outer;
        const lr = startLr * Math.pow(endLr / startLr, numIter > 1 ? i / (numIter - 1) : 0);
        opt.lr = lr;
        const { loss, grads } = learner.model.lossAndGrads(batch, { training: true, loss: learner.loss });
        if (!Number.isFinite(loss)) {
          diverged = true;
          break outer;
        }
        opt.step(grads);
        avg = beta * avg + (1 - beta) * loss;
        i++;
        if (i % every !== 0 && i !== numIter) continue;
        const p = probeLoss();
        lrs.push(lr);
        rawLosses.push(p);
        trainLosses.push(avg / (1 - Math.pow(beta, i)));
        if (!Number.isFinite(p)) {
          diverged = true;
          break outer;
        }
        best = Math.min(best, p);
        // stop once training clearly hurts: worse than before the sweep after having helped, or far above the best
        const helped = best < initialLoss - 0.05 * Math.abs(initialLoss);
        if (stopDiv && (p > divThreshold * best || (helped && p > initialLoss))) {
          diverged = true;
          break outer;
        }
      }
    }
  } finally {
    learner.model.params.copyFrom(saved);
  }
  const losses = centredMean(rawLosses, Math.max(1, Math.round(rawLosses.length / 100)));
  const suggestions = suggestLearningRates(lrs, losses, initialLoss);
  return { lrs, losses, rawLosses, trainLosses, initialLoss, suggestions, suggested: suggestions.valley, diverged, steps: i, probe: probeKind };
}

/**
 * Suggests learning rates from a finder curve (see {@link LrSuggestions} for each rule). `initialLoss` is the
 * loss before the sweep (default: the first point of the curve). All suggestions are `NaN` when the loss never
 * falls by more than 1% of where it started.
 */
export function suggestLearningRates(lrs: readonly number[], losses: readonly number[], initialLoss: number = losses[0]): LrSuggestions {
  const none: LrSuggestions = { valley: NaN, minimum: NaN, steep: NaN, helpsFrom: NaN, helpsUntil: NaN };
  const n = Math.min(lrs.length, losses.length);
  if (n < 3 || !Number.isFinite(initialLoss)) return none;
  let minIdx = 0;
  for (let i = 1; i < n; i++) if (losses[i] < losses[minIdx]) minIdx = i;
  const drop = initialLoss - losses[minIdx];
  if (!(drop > 0.01 * Math.abs(initialLoss)) || minIdx === 0) return none;
  // where the loss has come a tenth of the way down and stays there up to the minimum: below this rate
  // training barely moves the model (a dip of the noisy start does not count)
  let fromIdx = minIdx;
  while (fromIdx > 0 && losses[fromIdx - 1] <= initialLoss - 0.1 * drop) fromIdx--;
  const valleyIdx = Math.round((fromIdx + minIdx) / 2);
  // slope against log(lr) over a few points on each side, so one noisy point cannot win
  const w = Math.max(1, Math.round(n / 50));
  let steepIdx = valleyIdx;
  let steepest = Infinity;
  for (let i = fromIdx; i <= minIdx; i++) {
    const a = Math.max(0, i - w);
    const b = Math.min(n - 1, i + w);
    const slope = (losses[b] - losses[a]) / (Math.log(lrs[b]) - Math.log(lrs[a]));
    if (slope < steepest) {
      steepest = slope;
      steepIdx = i;
    }
  }
  return {
    valley: lrs[valleyIdx],
    minimum: Math.max(lrs[minIdx] / 10, lrs[fromIdx]),
    steep: lrs[steepIdx],
    helpsFrom: lrs[fromIdx],
    helpsUntil: lrs[minIdx],
  };
}
