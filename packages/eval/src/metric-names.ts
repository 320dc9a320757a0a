import { UsageError } from '@collab-ts/core';

/** Rating-prediction metric names. */
export const RATING_METRIC_NAMES = ['mse', 'rmse', 'mae'] as const;
/** Ranking metric names; each is used with a cutoff, as in `ndcg@10`. */
export const RANKING_METRIC_NAMES = ['precision', 'recall', 'ndcg', 'map', 'mrr', 'hit', 'coverage'] as const;

/** A rating metric name. */
export type RatingMetricName = (typeof RATING_METRIC_NAMES)[number];
/** A ranking metric name (without the cutoff). */
export type RankingMetricName = (typeof RANKING_METRIC_NAMES)[number];

/** A parsed metric name: a rating metric, or a ranking metric with its cutoff. */
export type MetricSpec = { kind: 'rating'; name: RatingMetricName; key: string } | { kind: 'ranking'; name: RankingMetricName; k: number; key: string };

/**
 * Parses one metric name such as `rmse` or `ndcg@10` (case-insensitive; `hr` is an alias of `hit` and
 * `p`/`r` are not accepted, to keep names unambiguous).
 * @throws UsageError naming the valid metrics when the name is unknown or the cutoff is not a positive integer.
 */
export function parseMetricName(name: string): MetricSpec {
  const s = name.trim().toLowerCase();
  if ((RATING_METRIC_NAMES as readonly string[]).includes(s)) return { kind: 'rating', name: s as RatingMetricName, key: s };
  const m = /^([a-z]+)@(\d+)$/.exec(s);
  if (m) {
    const base = m[1] === 'hr' ? 'hit' : m[1];
    const k = Number(m[2]);
    if ((RANKING_METRIC_NAMES as readonly string[]).includes(base)) {
      if (!Number.isInteger(k) || k < 1) throw new UsageError(`metric ${JSON.stringify(name)}: the cutoff after @ must be a positive integer`);
      return { kind: 'ranking', name: base as RankingMetricName, k, key: `${base}@${k}` };
    }
  } else if ((RANKING_METRIC_NAMES as readonly string[]).includes(s)) {
    throw new UsageError(`metric ${JSON.stringify(name)} needs a cutoff, as in ${s}@10`);
  }
  throw new UsageError(
    `unknown metric ${JSON.stringify(name)}; valid: ${RATING_METRIC_NAMES.join(', ')}, or ${RANKING_METRIC_NAMES.join(', ')} followed by @k (e.g. ndcg@10)`,
  );
}

/**
 * Parses a comma-separated metric list such as `'rmse,ndcg@10,precision@5'` (or an array of names) into
 * canonical keys (`'hr@10'` becomes `'hit@10'`), dropping duplicates and keeping order.
 * @throws UsageError on an empty list or an unknown name.
 */
export function parseMetricList(spec: string | readonly string[]): string[] {
  const parts = (typeof spec === 'string' ? spec.split(',') : [...spec]).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new UsageError('the metric list is empty; e.g. rmse,mae,ndcg@10');
  const keys: string[] = [];
  for (const p of parts) {
    const key = parseMetricName(p).key;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}
