import { UsageError } from '@collab-ts/core';
import type { RatingColumns, Scorer, Split, TaskRunner } from '@collab-ts/core';
import { evaluateRatings, parseMetricList, parseMetricName, popularityRanker } from '@collab-ts/eval';
import type { CrossValidationResult, FoldResult } from '@collab-ts/eval';
import { hasFamily } from '@collab-ts/models';
import { InvalidArgumentError } from 'commander';
import type { Output } from './io/output.js';
import { POPULARITY } from './model-choice.js';
import type { FamilySpec } from '@collab-ts/models';

/** Whether a family's scores are ratings (rating errors apply to it). */
export function predictsRatings(spec: FamilySpec): boolean {
  return spec.tasks.includes('rating');
}
import { rankingOnThreads } from './parallel.js';
import { fitFamily } from './training.js';
import type { InteractionFlags } from './training.js';

/** Suffix of the metric keys measured with sampled negatives (`ndcg@10/sampled`). */
export const SAMPLED = '/sampled';

/** What to measure and how: metric names, relevance threshold, and the optional sampled protocol. */
export interface Measure {
  /** Canonical metric keys (`rmse`, `ndcg@10`). */
  metrics: string[];
  /** Held-out ratings at or above this are relevant; `null`: every held-out item is. */
  threshold: number | null;
  /** Rank each held-out item against this many seeded random items the user never rated, beside the full ranking. */
  sampled: { negatives: number; seed: number } | null;
}

/** Builds a {@link Measure} from the command-line values (`--threshold none` arrives as `'none'`). */
export function measure(metrics: string, threshold: number | 'none' | null, sampled: number | undefined, seed: number): Measure {
  return { metrics: parseMetricList(metrics), threshold: threshold === 'none' ? null : threshold, sampled: sampled ? { negatives: sampled, seed } : null };
}

/** Commander parser for `--threshold`: a rating, or `'none'` (every held-out item is relevant; commander would turn a null into ''). */
export function threshold(value: string): number | 'none' {
  if (value === 'none') return 'none';
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a rating or "none", got "${value}"`);
  return n;
}

/** Whether any metric is a ranking metric. */
export function hasRankingMetric(metrics: readonly string[]): boolean {
  return metrics.some((m) => parseMetricName(m).kind === 'ranking');
}

/** The metric columns reported: the metrics, then the ranking ones again under the sampled protocol. */
export function reportedMetrics(m: Measure): string[] {
  const sampled = m.sampled ? m.metrics.filter((k) => parseMetricName(k).kind === 'ranking').map((k) => `${k}${SAMPLED}`) : [];
  return [...m.metrics, ...sampled];
}

/** Whether a metric is better when lower (the rating errors). */
export function lowerIsBetter(metric: string): boolean {
  return parseMetricName(metric.replace(SAMPLED, '')).kind === 'rating';
}

/**
 * Measures a scorer on held-out ratings: rating errors on every held-out rating (NaN, shown as `-`, for scorers
 * whose scores are not ratings: `predictsRatings` false), ranking metrics with the
 * training ratings excluded from the candidates (the full ranking over every item the user did not rate
 * in training) and, with `sampled`, again against sampled negatives. Ranking runs on `runner`'s threads when
 * given (same figures).
 */
export async function evaluateOn(scorer: Scorer, train: RatingColumns, test: RatingColumns, m: Measure, predictsRatings = true, runner?: TaskRunner): Promise<Record<string, number>> {
  const specs = m.metrics.map(parseMetricName);
  const ks = [...new Set(specs.flatMap((s) => (s.kind === 'ranking' ? [s.k] : [])))];
  const values: Record<string, number> = { mse: NaN, rmse: NaN, mae: NaN };
  if (predictsRatings && specs.some((s) => s.kind === 'rating')) {
    if (test.ratings.length === 0) throw new UsageError('no held-out ratings to measure rating errors on');
    const r = evaluateRatings(scorer, test);
    Object.assign(values, { mse: r.mse, rmse: r.rmse, mae: r.mae });
  }
  if (ks.length > 0) {
    Object.assign(values, await rankingOnThreads(scorer, { train, test, k: ks, threshold: m.threshold }, runner));
    if (m.sampled) {
      const r = await rankingOnThreads(scorer, { train, test, k: ks, threshold: m.threshold, candidates: { sampledNegatives: m.sampled.negatives, seed: m.sampled.seed } }, runner);
      for (const [key, v] of Object.entries(r)) values[`${key}${SAMPLED}`] = v;
    }
  }
  const out: Record<string, number> = {};
  for (const key of reportedMetrics(m)) out[key] = values[key];
  return out;
}

/**
 * Fits one scorer per split and measures it on the split's held-out part, folds in order; the shape of
 * eval's `crossValidate` (per-fold values, mean and population standard deviation), with the sampled
 * protocol beside the full ranking. Scorers with a `dispose` are disposed after their fold.
 */
export async function crossValidateWith(
  splits: readonly Split[],
  fit: (split: Split, index: number) => Promise<Scorer> | Scorer,
  m: Measure,
  onFold?: (fold: FoldResult, index: number) => void,
  predictsRatings = true,
  runner?: TaskRunner,
): Promise<CrossValidationResult> {
  const folds: FoldResult[] = [];
  for (let f = 0; f < splits.length; f++) {
    const t0 = performance.now();
    const scorer = await fit(splits[f], f);
    const t1 = performance.now();
    const values = await evaluateOn(scorer, splits[f].train, splits[f].valid, m, predictsRatings, runner);
    (scorer as { dispose?: () => void }).dispose?.();
    const fold: FoldResult = { name: splits[f].name, index: f, metrics: values, fitMs: t1 - t0, evalMs: performance.now() - t1 };
    folds.push(fold);
    onFold?.(fold, f);
  }
  return summarizeFolds(folds, m);
}

/** Per-fold values with their mean and population standard deviation over folds, as eval's `crossValidate`. */
export function summarizeFolds(folds: FoldResult[], m: Measure): CrossValidationResult {
  const metrics = reportedMetrics(m);
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const key of metrics) {
    const xs = folds.map((f) => f.metrics[key]);
    const mu = xs.reduce((a, b) => a + b, 0) / xs.length; // NaN when a metric does not apply
    mean[key] = mu;
    std[key] = Math.sqrt(xs.reduce((a, x) => a + (x - mu) * (x - mu), 0) / xs.length);
  }
  return { metrics, folds, mean, std };
}

/**
 * The popularity baseline of every ranking table, fitted on a split's training ratings: the registry's
 * popularity family when it is registered (on the same interactions as the other ranking families), else
 * eval's `popularityRanker` (train rating counts, at or above `--min-rating` when given).
 */
export async function fitPopularity(train: RatingColumns, nUsers: number, nItems: number, ratingRange: readonly [number, number], flags: InteractionFlags, out: Output): Promise<Scorer> {
  if (hasFamily(POPULARITY)) return (await fitFamily(POPULARITY, { train, nUsers, nItems, ratingRange }, {}, flags, out, { table: false })).rec;
  return popularityRanker(train, { nUsers, nItems, minRating: flags.minRating });
}
