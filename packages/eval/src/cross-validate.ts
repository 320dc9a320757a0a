import type { Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import type { Split } from '@collab-ts/core';
import { evaluateRatings } from './evaluate-ratings.js';
import { parseMetricList, parseMetricName } from './metric-names.js';
import { rankingMetrics, type CandidateSpec } from './ranking-metrics.js';

/** One fold's outcome. */
export interface FoldResult {
  /** The split's name. */
  name: string;
  index: number;
  /** Metric key to value, for every requested metric. */
  metrics: Record<string, number>;
  /** Milliseconds spent in `fit` and in evaluation. */
  fitMs: number;
  evalMs: number;
}

/** The outcome of {@link crossValidate}: per-fold values, and their mean and standard deviation. */
export interface CrossValidationResult {
  metrics: string[];
  folds: FoldResult[];
  mean: Record<string, number>;
  /** Population standard deviation over folds (divides by the number of folds, as numpy and Surprise do). */
  std: Record<string, number>;
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /** Metric names, e.g. `['rmse', 'mae', 'ndcg@10']` or `'rmse,ndcg@10'` (default `['rmse', 'mae']`). */
  metrics?: string | readonly string[];
  /** Relevance threshold for ranking metrics (see {@link rankingMetrics}; default 4). */
  threshold?: number | null;
  /** Candidate items for ranking metrics (default `'unrated'`). */
  candidates?: CandidateSpec;
  /** Called after each fold is evaluated (awaited when it returns a promise). */
  onFold?: (fold: FoldResult, index: number) => void | Promise<void>;
}

/**
 * Fits one scorer per split and evaluates it on the split's `valid` ratings: rating metrics on every
 * validation rating, ranking metrics with `train` as the items to exclude and `valid` as the held-out set.
 * Folds run one after another, in order.
 * @throws UsageError on an empty list of splits or an unknown metric name.
 */
export async function crossValidate(
  splits: readonly Split[],
  fit: (split: Split, foldIndex: number) => Promise<Scorer> | Scorer,
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  if (splits.length === 0) throw new UsageError('crossValidate: give at least one split');
  const metrics = parseMetricList(options.metrics ?? ['rmse', 'mae']);
  const specs = metrics.map(parseMetricName);
  const ks = [...new Set(specs.flatMap((s) => (s.kind === 'ranking' ? [s.k] : [])))];
  const needRating = specs.some((s) => s.kind === 'rating');
  const folds: FoldResult[] = [];
  for (let f = 0; f < splits.length; f++) {
    const split = splits[f];
    const t0 = performance.now();
    const scorer = await fit(split, f);
    const t1 = performance.now();
    const values: Record<string, number> = {};
    if (needRating) {
      const r = evaluateRatings(scorer, split.valid);
      values.mse = r.mse;
      values.rmse = r.rmse;
      values.mae = r.mae;
    }
    if (ks.length > 0) {
      const r = rankingMetrics(scorer, { train: split.train, test: split.valid, k: ks, threshold: options.threshold, candidates: options.candidates });
      Object.assign(values, r);
    }
    const fold: FoldResult = { name: split.name, index: f, metrics: {}, fitMs: t1 - t0, evalMs: performance.now() - t1 };
    for (const m of metrics) fold.metrics[m] = values[m];
    folds.push(fold);
    if (options.onFold) await options.onFold(fold, f);
  }
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const m of metrics) {
    const xs = folds.map((f) => f.metrics[m]);
    const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean[m] = mu;
    std[m] = Math.sqrt(xs.reduce((a, x) => a + (x - mu) * (x - mu), 0) / xs.length);
  }
  return { metrics, folds, mean, std };
}
