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
 * lines of rows. `inPlace` (readers, which own the columns) compacts the columns where they are instead of
 * copying them, so a large file with a few repeats does not double its peak memory. @internal
 */
export function _dedupeDataset(dataset: RatingsDataset, policy: DuplicatePolicy, locate: RowLocator | null, inPlace = false): RatingsDataset {
  const cols = dataset.ratings;
  const nItems = dataset.items.size;
  const found = _findDuplicates(cols.users, cols.items, dataset.users.size, nItems);
  if (found.pairs === 0) return { ...dataset, duplicates: { pairs: 0, dropped: 0, policy } };
  if (policy === 'error') {
    const second = found.firstRepeat >= 0 ? found.firstRepeat : _firstRepeat(cols.users, cols.items, dataset.users.size, nItems);
    throw duplicateError(dataset, found.pairs, second, locate);
  }
  const order = found.path === 'user' ? null : groupByUser(cols.users, dataset.users.size);
  const ratings = _resolveDuplicates(cols, order, nItems, found.dropped, policy, inPlace);
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

/** What {@link _findDuplicates} found. @internal */
export interface FoundDuplicates {
  /** Distinct pairs that repeat. */
  pairs: number;
  /** Rows beyond the first of each pair. */
  dropped: number;
  /** The smallest row index that repeats an earlier row's pair; -1 when none, or when not worked out (`scattered`). */
  firstRepeat: number;
  /** How the rows were visited: `'user'` / `'item'` runs in file order, or a counting sort by user. */
  path: 'user' | 'item' | 'scattered';
}

/**
 * Counts repeated (user, item) pairs without hashing. When each user's rows are contiguous (MovieLens 1M and
 * 25M, most exports) one sequential pass finds repeats with a stamp per item (the run number); when each
 * item's rows are contiguous (Netflix-style files), the same with roles swapped. Otherwise a counting sort
 * scatters the item codes by user, then the same stamps run over them; `firstRepeat` is then left at -1
 * (only the `'error'` policy needs it: {@link _firstRepeat}).
 * @internal
 */
export function _findDuplicates(users: Int32Array, items: Int32Array, nUsers: number, nItems: number): FoundDuplicates {
  const byUser = runsPass(users, items, nUsers, nItems);
  if (byUser) return { ...byUser, path: 'user' };
  const byItem = runsPass(items, users, nItems, nUsers);
  if (byItem) return { ...byItem, path: 'item' };
  // scattered rows: items grouped by user (values, not row indices: the stamp pass then reads sequentially)
  const n = users.length;
  const { start } = userStarts(users, nUsers);
  const next = start.slice(0, nUsers);
  const grouped = new Int32Array(n);
  for (let k = 0; k < n; k++) grouped[next[users[k]]++] = items[k];
  const stamp = new Int32Array(nItems);
  let pairs = 0;
  let dropped = 0;
  for (let u = 0; u < nUsers; u++) {
    const r = 2 * (u + 1);
    for (let p = start[u], e = start[u + 1]; p < e; p++) {
      const i = grouped[p];
      const st = stamp[i];
      if (st < r) stamp[i] = r;
      else {
        dropped++;
        if (st === r) {
          pairs++;
          stamp[i] = r + 1;
        }
      }
    }
  }
  return { pairs, dropped, firstRepeat: -1, path: 'scattered' };
}

/**
 * One sequential pass over rows whose `key` values come in contiguous runs, stamping `other` values per run;
 * null as soon as a key starts a second run (the rows are not grouped by it).
 */
function runsPass(key: Int32Array, other: Int32Array, nKeys: number, nOther: number): Omit<FoundDuplicates, 'path'> | null {
  const n = key.length;
  const stamp = new Int32Array(nOther);
  const seen = new Uint8Array(nKeys);
  let pairs = 0;
  let dropped = 0;
  let firstRepeat = -1;
  let cur = -1;
  // stamp = 2*run: seen once in this run; 2*run+1: repeated
  let run = 0;
  for (let k = 0; k < n; k++) {
    const a = key[k];
    if (a !== cur) {
      if (seen[a] !== 0) return null;
      seen[a] = 1;
      cur = a;
      run += 2;
    }
    const b = other[k];
    const st = stamp[b];
    if (st < run) stamp[b] = run;
    else {
      dropped++;
      if (st === run) {
        pairs++;
        stamp[b] = run + 1;
      }
      if (firstRepeat < 0) firstRepeat = k;
    }
  }
  return { pairs, dropped, firstRepeat };
}

/** The smallest row index that repeats an earlier row's (user, item) pair, -1 when none (error path). @internal */
export function _firstRepeat(users: Int32Array, items: Int32Array, nUsers: number, nItems: number): number {
  const order = groupByUser(users, nUsers);
  const stamp = new Int32Array(nItems).fill(-1);
  let first = -1;
  for (let p = 0; p < order.length; p++) {
    const k = order[p];
    const u = users[k];
    const i = items[k];
    if (stamp[i] !== u) stamp[i] = u;
    else if (first < 0 || k < first) first = k;
  }
  return first;
}

function userStarts(users: Int32Array, nUsers: number): { start: Int32Array } {
  const n = users.length;
  const start = new Int32Array(nUsers + 1);
  for (let k = 0; k < n; k++) start[users[k] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  return { start };
}

/** Row indices ordered by user, file order within a user (stable counting sort). */
function groupByUser(users: Int32Array, nUsers: number): Int32Array {
  const n = users.length;
  const next = userStarts(users, nUsers).start.subarray(0, nUsers);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[next[users[k]]++] = k;
  return order;
}

/**
 * Builds the deduplicated columns (rows in their original order) once {@link _findDuplicates} found
 * `dropped` extra rows; `order` groups rows by user (null: they already are). Only runs when there are
 * duplicates. @internal
 */
export function _resolveDuplicates(
  cols: RatingColumns,
  order: Int32Array | null,
  nItems: number,
  dropped: number,
  policy: Exclude<DuplicatePolicy, 'error'>,
  inPlace = false,
): RatingColumns {
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
  // in place is safe: row k moves to j <= k, after it has been read
  const out: RatingColumns = inPlace
    ? { users, items, ratings, timestamps }
    : { users: new Int32Array(m), items: new Int32Array(m), ratings: new Float32Array(m), timestamps: timestamps ? new Float64Array(m) : null };
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
  if (!inPlace) return out;
  return { users: users.subarray(0, m), items: items.subarray(0, m), ratings: ratings.subarray(0, m), timestamps: timestamps ? timestamps.subarray(0, m) : null };
}
