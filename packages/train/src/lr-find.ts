import { BatchLoader } from '@collab-ts/data';
import type { Learner } from './learner.js';
import { buildOptimizer } from './optimizer-choice.js';

/** Options of {@link lrFind}, with fastai's defaults. */
export interface LrFindOptions {
  startLr?: number;
  endLr?: number;
  numIter?: number;
  /** Stop when the smoothed loss exceeds `divThreshold` times its minimum. */
  stopDiv?: boolean;
  divThreshold?: number;
  /** Smoothing factor of the exponential moving average of the loss. */
  beta?: number;
  wd?: number;
}

/** The learning rates fastai's finder suggests, each by its own rule. */
export interface LrSuggestions {
  /** Middle of the longest valley: 2/3 of the way down the longest decreasing stretch of the curve (fastai's default). */
  valley: number;
  /** The rate at the minimum smoothed loss, divided by 10. */
  minimum: number;
  /** The rate where the smoothed loss falls fastest against log(lr). */
  steep: number;
}

/** The curve an {@link lrFind} sweep traced and what it suggests. */
export interface LrFindResult {
  readonly lrs: number[];
  /** Smoothed (bias-corrected exponential moving average) losses, one per rate. */
  readonly losses: number[];
  readonly rawLosses: number[];
  readonly suggestions: LrSuggestions;
  /** The suggested rate (`valley`). */
  readonly suggested: number;
  /** Whether the sweep stopped early because the loss diverged. */
  readonly diverged: boolean;
}

/**
 * The learning-rate finder (fastai's `lr_find`): trains on mini-batches while the learning rate grows
 * exponentially from `startLr` to `endLr`, records the smoothed loss, stops once it diverges, then puts the
 * model's parameters back as they were. The learner's optimizer and record are left untouched.
 */
export function lrFind(learner: Learner, opts: LrFindOptions = {}): LrFindResult {
  const startLr = opts.startLr ?? 1e-7;
  const endLr = opts.endLr ?? 10;
  const numIter = opts.numIter ?? 100;
  const beta = opts.beta ?? 0.98;
  const divThreshold = opts.divThreshold ?? 4;
  const stopDiv = opts.stopDiv ?? true;
  const saved = learner.model.params.clone();
  const opt = buildOptimizer(learner.optimizerChoice, learner.model.params, startLr, opts.wd ?? 0.01, learner.sparseMode);
  const loader = new BatchLoader(learner.train, { bs: learner.bs, shuffle: true, seed: learner.seed });
  const lrs: number[] = [];
  const losses: number[] = [];
  const rawLosses: number[] = [];
  let avg = 0;
  let best = Infinity;
  let diverged = false;
  let i = 0;
  try {
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
        const smooth = avg / (1 - Math.pow(beta, i + 1));
        lrs.push(lr);
        losses.push(smooth);
        rawLosses.push(loss);
        best = Math.min(best, smooth);
        i++;
        if (stopDiv && smooth > divThreshold * best) {
          diverged = true;
          break outer;
        }
      }
    }
  } finally {
    learner.model.params.copyFrom(saved);
  }
  const suggestions = suggestLearningRates(lrs, losses);
  return { lrs, losses, rawLosses, suggestions, suggested: suggestions.valley, diverged };
}

/**
 * Suggests learning rates from a finder curve (see {@link LrSuggestions} for each rule). The last few points,
 * where the loss shoots up, are ignored by the `steep` and `valley` rules.
 */
export function suggestLearningRates(lrs: number[], losses: number[]): LrSuggestions {
  const n = losses.length;
  if (n === 0) return { valley: NaN, minimum: NaN, steep: NaN };
  let minIdx = 0;
  for (let i = 1; i < n; i++) if (losses[i] < losses[minIdx]) minIdx = i;
  let steepIdx = 0;
  let steepest = Infinity;
  for (let i = 1; i < n; i++) {
    const slope = (losses[i] - losses[i - 1]) / (Math.log(lrs[i]) - Math.log(lrs[i - 1]));
    if (slope < steepest) {
      steepest = slope;
      steepIdx = i;
    }
  }
  // longest strictly decreasing subsequence (O(n^2) DP over at most a few hundred points)
  const len = new Int32Array(n).fill(1);
  const prev = new Int32Array(n).fill(-1);
  let endIdx = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[j] > losses[i] && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = j;
      }
    }
    if (len[i] > len[endIdx]) endIdx = i;
  }
  let startIdx = endIdx;
  while (prev[startIdx] >= 0) startIdx = prev[startIdx];
  const valleyIdx = startIdx + Math.floor(((endIdx - startIdx) * 2) / 3);
  return { valley: lrs[valleyIdx], minimum: lrs[minIdx] / 10, steep: lrs[steepIdx] };
}
