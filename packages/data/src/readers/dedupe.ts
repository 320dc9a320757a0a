import { DataError, UsageError, type RatingColumns, type SourceLocation } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';

/**
 * What to do when a (user, item) pair is rated more than once:
 *
 * - `'last'` (default): keep the latest rating by timestamp (ties, or no timestamps: the later row in the file);
 * - `'first'`: keep the earliest by timestamp (ties, or no timestamps: the earlier row in the file);
 * - `'mean'`: keep one row, where the pair first occurs, with the mean rating and the latest timestamp;
 * - `'error'`: fail with a `DataError` at the second occurrence.
 *
 * Whatever the policy, the number of repeated pairs and dropped rows is recorded in
 * {@link RatingsDataset.duplicates}, never dropped silently.
 */
export type DuplicatePolicy = 'error' | 'first' | 'last' | 'mean';

/** Every {@link DuplicatePolicy}, for option parsers. */
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['last', 'first', 'mean', 'error'];

/** What a reader (or {@link dedupeRatings}) found and did about repeated (user, item) pairs. */
export interface DuplicateReport {
  /** Distinct (user, item) pairs that occur more than once. */
  readonly pairs: number;
  /** Rows removed to leave one per pair (0 when `pairs` is 0). */
  readonly dropped: number;
  /** The policy applied. */
  readonly policy: DuplicatePolicy;
}

/** Options of {@link dedupeRatings}. */
export interface DedupeOptions {
  /** Default `'last'`. */
  policy?: DuplicatePolicy;
}

/** Where stored rows are in their source (for the `'error'` policy's message). @internal */
export type RowLocator = (rows: readonly number[]) => SourceLocation[];

/** Throws a {@link UsageError} unless `policy` is a {@link DuplicatePolicy}. @internal */
export function checkDuplicatePolicy(policy: unknown): DuplicatePolicy {
  if (!DUPLICATE_POLICIES.includes(policy as DuplicatePolicy)) {
    throw new UsageError(`unknown duplicates policy ${JSON.stringify(policy)} (expected one of ${DUPLICATE_POLICIES.join(', ')})`);
  }
  return policy as DuplicatePolicy;
}

/** The one-line description of a report, e.g. for a CLI log: `3 duplicate (user, item) pairs: kept the last by timestamp, dropped 4 rows`. */
export function formatDuplicates(report: DuplicateReport): string {
  const what = { last: 'kept the last by timestamp', first: 'kept the first by timestamp', mean: 'kept their mean rating', error: 'failed' }[report.policy];
  return `${report.pairs} duplicate (user, item) pair${report.pairs === 1 ? '' : 's'}: ${what}, dropped ${report.dropped} row${report.dropped === 1 ? '' : 's'}`;
}

/**
 * Leaves one rating per (user, item) pair, as `options.policy` says (default `'last'`), and records what it
 * found in `duplicates`. Rows keep their order; the dataset is returned as is when no pair repeats. The
 * readers already do this (option `duplicates`); use this for datasets built in memory.
 *
 * @example
 * ```ts
 * const ds = dedupeRatings(dataset, { policy: 'mean' });
 * if (ds.duplicates!.pairs > 0) console.warn(formatDuplicates(ds.duplicates!));
 * ```
 */
export function dedupeRatings(dataset: RatingsDataset, options: DedupeOptions = {}): RatingsDataset {
  return _dedupeDataset(dataset, checkDuplicatePolicy(options.policy ?? 'last'), null);
}

/**
 * {@link dedupeRatings} with an already checked policy and, for the `'error'` policy, a way to find the
 * lines of rows. @internal
 */
export function _dedupeDataset(dataset: RatingsDataset, policy: DuplicatePolicy, locate: RowLocator | null): RatingsDataset {
  const cols = dataset.ratings;
  const nItems = dataset.items.size;
  const found = _findDuplicates(cols.users, cols.items, dataset.users.size, nItems);
  if (found.pairs === 0) return { ...dataset, duplicates: { pairs: 0, dropped: 0, policy } };
  if (policy === 'error') throw duplicateError(dataset, found.pairs, found.firstRepeat, locate);
  const ratings = _resolveDuplicates(cols, found.order, nItems, found.dropped, policy);
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of ratings.ratings) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  return { ...dataset, ratings, ratingRange: [lo, hi], duplicates: { pairs: found.pairs, dropped: found.dropped, policy } };
}

function duplicateError(dataset: RatingsDataset, pairs: number, second: number, locate: RowLocator | null): DataError {
  const { users, items } = dataset.ratings;
  let first = 0;
  while (users[first] !== users[second] || items[first] !== items[second]) first++;
  const pair = `(${JSON.stringify(dataset.users.decode(users[second]))}, ${JSON.stringify(dataset.items.decode(items[second]))})`;
  const all = pairs > 1 ? `; ${pairs} pairs repeat in all` : '';
  const hint = `(duplicates: 'first', 'last' or 'mean' keeps one)`;
  if (locate) {
    const [a, b] = locate([first, second]);
    return new DataError(`duplicate (user, item) pair ${pair}: already rated on line ${a.line}${all} ${hint}`, b);
  }
  return new DataError(`duplicate (user, item) pair ${pair}: rows ${first + 1} and ${second + 1}${all} ${hint}`, { file: dataset.source });
}

/**
 * Counts repeated (user, item) pairs. Rows are visited user by user: in file order when each user's rows
 * are contiguous (MovieLens `ratings.csv`, most exports), else through a stable counting sort by user;
 * within a user, a stamp per item (the user's run number) finds repeats in O(1) without hashing.
 * `firstRepeat` is the smallest row index that repeats an earlier row's pair (-1 when none); `order` the
 * counting-sorted row order when one was needed (null when rows were already grouped).
 * @internal
 */
export function _findDuplicates(
  users: Int32Array,
  items: Int32Array,
  nUsers: number,
  nItems: number,
): { pairs: number; dropped: number; firstRepeat: number; order: Int32Array | null } {
  const n = users.length;
  const stamp = new Int32Array(nItems);
  const seenUser = new Uint8Array(nUsers);
  let pairs = 0;
  let dropped = 0;
  let firstRepeat = -1;
  // fast path, one sequential pass: stamp = 2*run (seen once) or 2*run+1 (repeated)
  let cur = -1;
  let run = 0;
  let grouped = true;
  for (let k = 0; k < n; k++) {
    const u = users[k];
    if (u !== cur) {
      if (seenUser[u] !== 0) {
        grouped = false;
        break;
      }
      seenUser[u] = 1;
      cur = u;
      run += 2;
    }
    const i = items[k];
    const st = stamp[i];
    if (st < run) stamp[i] = run;
    else {
      dropped++;
      if (st === run) {
        pairs++;
        stamp[i] = run + 1;
      }
      if (firstRepeat < 0) firstRepeat = k;
    }
  }
  if (grouped) return { pairs, dropped, firstRepeat, order: null };
  // rows of a user are scattered: group them with a stable counting sort, then the same stamps
  const { order, start } = groupByUser(users, nUsers);
  stamp.fill(0);
  pairs = 0;
  dropped = 0;
  firstRepeat = -1;
  for (let u = 0; u < nUsers; u++) {
    const r = 2 * (u + 1);
    for (let p = start[u], e = start[u + 1]; p < e; p++) {
      const k = order[p];
      const i = items[k];
      const st = stamp[i];
      if (st < r) stamp[i] = r;
      else {
        dropped++;
        if (st === r) {
          pairs++;
          stamp[i] = r + 1;
        }
        if (firstRepeat < 0 || k < firstRepeat) firstRepeat = k;
      }
    }
  }
  return { pairs, dropped, firstRepeat, order };
}

/** Row indices ordered by user, file order within a user (stable counting sort), and where each user starts. */
function groupByUser(users: Int32Array, nUsers: number): { order: Int32Array; start: Int32Array } {
  const n = users.length;
  const start = new Int32Array(nUsers + 1);
  for (let k = 0; k < n; k++) start[users[k] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, nUsers);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[next[users[k]]++] = k;
  return { order, start };
}

/**
 * Builds the deduplicated columns (rows in their original order) once {@link _findDuplicates} found
 * `dropped` extra rows. Only runs when there are duplicates. @internal
 */
export function _resolveDuplicates(cols: RatingColumns, order: Int32Array | null, nItems: number, dropped: number, policy: Exclude<DuplicatePolicy, 'error'>): RatingColumns {
  const { users, items, ratings, timestamps } = cols;
  const n = users.length;
  const drop = new Uint8Array(n);
  const stamp = new Int32Array(nItems).fill(-1);
  const cand = new Int32Array(nItems);
  // mean: kept row -> [sum, count, latest timestamp]
  const sums = new Map<number, [number, number, number]>();
  let prevUser = -1;
  let run = -1;
  for (let p = 0; p < n; p++) {
    const k = order ? order[p] : p;
    const u = users[k];
    if (u !== prevUser) {
      prevUser = u;
      run++;
    }
    const i = items[k];
    if (stamp[i] !== run) {
      stamp[i] = run;
      cand[i] = k;
      continue;
    }
    const c = cand[i];
    if (policy === 'mean') {
      const acc = sums.get(c) ?? [ratings[c], 1, timestamps ? timestamps[c] : 0];
      acc[0] += ratings[k];
      acc[1]++;
      if (timestamps && timestamps[k] > acc[2]) acc[2] = timestamps[k];
      sums.set(c, acc);
      drop[k] = 1;
      continue;
    }
    // rows of a user are visited in file order, so k is the later row: it wins ties under 'last'
    const later = timestamps ? (policy === 'last' ? timestamps[k] >= timestamps[c] : timestamps[k] < timestamps[c]) : policy === 'last';
    if (later) {
      drop[c] = 1;
      cand[i] = k;
    } else drop[k] = 1;
  }
  const m = n - dropped;
  const out: RatingColumns = {
    users: new Int32Array(m),
    items: new Int32Array(m),
    ratings: new Float32Array(m),
    timestamps: timestamps ? new Float64Array(m) : null,
  };
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (drop[k]) continue;
    out.users[j] = users[k];
    out.items[j] = items[k];
    out.ratings[j] = ratings[k];
    if (timestamps) out.timestamps![j] = timestamps[k];
    const acc = sums.get(k);
    if (acc) {
      out.ratings[j] = acc[0] / acc[1];
      if (timestamps) out.timestamps![j] = acc[2];
    }
    j++;
  }
  return out;
}
