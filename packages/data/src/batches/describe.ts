import type { RatingsDataset } from '../dataset.js';
import { formatDuplicates, type DuplicateReport } from '../readers/dedupe.js';
import { formatNumber, formatTable } from '../internal/format-table.js';

/** One of the most rated items in {@link DatasetDescription}. */
export interface TopItem {
  id: string;
  title: string;
  count: number;
  mean: number;
}

/** Summary statistics of a dataset (what `collab info` prints). */
export interface DatasetDescription {
  source: string;
  ratings: number;
  users: number;
  items: number;
  rating_min: number;
  rating_max: number;
  /** How many ratings are below 0 (legal on signed scales such as Jester's -10 .. 10). */
  negative_ratings: number;
  /** ratings / (users * items). */
  density: number;
  mean_rating: number;
  /** Distinct rating values and their counts, ascending (at most 20 values, else empty). */
  rating_counts: { rating: number; count: number }[];
  has_timestamps: boolean;
  skipped: number;
  /** Repeated (user, item) pairs the reader found and what it kept; null when never checked. */
  duplicates: DuplicateReport | null;
  top_items: TopItem[];
}

/** Options of {@link describeDataset}. */
export interface DescribeOptions {
  /** How many most-rated items to list (default 10). */
  top?: number;
}

/** Computes a {@link DatasetDescription}: sizes, rating range, density, mean and the most rated items. */
export function describeDataset(dataset: RatingsDataset, options: DescribeOptions = {}): DatasetDescription {
  const top = options.top ?? 10;
  const { items, ratings } = dataset.ratings;
  const n = ratings.length;
  const nItems = dataset.items.size;
  const count = new Uint32Array(nItems);
  const sum = new Float64Array(nItems);
  let total = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let negative = 0;
  const values = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = ratings[i];
    count[items[i]]++;
    sum[items[i]] += r;
    total += r;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
    if (r < 0) negative++;
    if (values.size <= 20) values.set(r, (values.get(r) ?? 0) + 1);
  }
  const order = Array.from({ length: nItems }, (_, k) => k)
    .filter((k) => count[k] > 0)
    .sort((a, b) => count[b] - count[a] || a - b)
    .slice(0, top);
  return {
    source: dataset.source,
    ratings: n,
    users: dataset.users.size,
    items: nItems,
    rating_min: n ? lo : NaN,
    rating_max: n ? hi : NaN,
    negative_ratings: negative,
    density: n / (dataset.users.size * nItems || 1),
    mean_rating: n ? total / n : NaN,
    rating_counts: values.size > 20 ? [] : [...values].sort((a, b) => a[0] - b[0]).map(([rating, c]) => ({ rating, count: c })),
    has_timestamps: dataset.ratings.timestamps !== null,
    skipped: dataset.skipped?.count ?? 0,
    duplicates: dataset.duplicates ?? null,
    top_items: order.map((k) => ({ id: dataset.items.decode(k), title: dataset.items.title(k), count: count[k], mean: sum[k] / count[k] })),
  };
}

/** Formats a {@link DatasetDescription} as text: a summary block and a table of the most rated items. */
export function formatDescription(d: DatasetDescription): string {
  const lines = [
    `source       ${d.source}`,
    `ratings      ${d.ratings}`,
    `users        ${d.users}`,
    `items        ${d.items}`,
    `rating range ${formatNumber(d.rating_min)} .. ${formatNumber(d.rating_max)}`,
    ...(d.negative_ratings > 0 ? [`negatives    ${d.negative_ratings} of ${d.ratings} ratings are below 0 (a signed scale, like Jester's -10 .. 10)`] : []),
    `mean rating  ${d.mean_rating.toFixed(3)}`,
    `density      ${(d.density * 100).toFixed(2)}%`,
    `timestamps   ${d.has_timestamps ? 'yes' : 'no'}`,
  ];
  if (d.skipped > 0) lines.push(`skipped rows ${d.skipped}`);
  if (d.duplicates && d.duplicates.pairs > 0) lines.push(`duplicates   ${formatDuplicates(d.duplicates)}`);
  if (d.rating_counts.length > 0) lines.push(`distribution ${d.rating_counts.map((c) => `${formatNumber(c.rating)}: ${c.count}`).join(', ')}`);
  if (d.top_items.length > 0) {
    lines.push('', `top ${d.top_items.length} items by number of ratings:`);
    lines.push(formatTable(['id', 'title', 'count', 'mean'], d.top_items.map((t) => [t.id, t.title, t.count, Number(t.mean.toFixed(3))])));
  }
  return lines.join('\n');
}
