import { DataError, UsageError } from '@collab-ts/core';
import { Vocabulary } from '../vocabulary.js';
import type { RatingsDataset } from '../dataset.js';
import type { ColumnRef } from '../readers/layout.js';
import { IdCoder } from '../readers/id-coder.js';
import { textNumber } from '../readers/field-values.js';
import { _dedupeDataset, checkDuplicatePolicy, type DuplicatePolicy } from '../readers/dedupe.js';
import { resolveRoles, checkTypes, type RoleColumns } from './columns.js';
import { openParquet, readRowGroups, type OpenedParquet, type ParquetSource } from './source.js';

/** Options of the Parquet ratings reader: the column options of the delimited reader that apply to Parquet. */
export interface ParquetRatingsOptions {
  /** User id column, by name or 0-based position; default: user/userId/user_id, else position 0. */
  user?: ColumnRef;
  /** Item id column; default: item/itemId/item_id/movieId/movie, else position 1. */
  item?: ColumnRef;
  /** Rating column; default: rating, else position 2. */
  rating?: ColumnRef;
  /** Timestamp column (`null` for none); default: a column named timestamp (or time, ts, date), else none. */
  timestamp?: ColumnRef | null;
  /** Count and report bad rows (null ids or ratings, non-finite ratings) instead of failing on the first. */
  skipBadRows?: boolean;
  /** What to do with repeated (user, item) pairs (default `'last'`). */
  duplicates?: DuplicatePolicy;
  /** Name of the dataset (`dataset.source`; default: the first source's name). */
  name?: string;
}

/** Grows a typed array (copying the first `n` values) to at least `need` elements. */
function grow<T extends Int32Array | Float32Array | Float64Array>(a: T, n: number, need: number, make: (k: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a.subarray(0, n));
  return b;
}

/** The reason an id value cannot be coded, or '' when it can. */
function idProblem(v: unknown, role: string): string {
  if (v === null || v === undefined) return `${role} id is null`;
  if (v === '') return `empty ${role} id`;
  if (typeof v === 'number' && !Number.isFinite(v)) return `${role} id ${v} is not finite`;
  return '';
}

/** Codes an id value (checked by {@link idProblem}): integers and their text share codes, as in text files. */
function codeId(coder: IdCoder, v: unknown): number {
  if (typeof v === 'number') return v >= 0 && Number.isSafeInteger(v) ? coder.int(v) : coder.str(String(v));
  if (typeof v === 'bigint') return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? coder.int(Number(v)) : coder.str(String(v));
  return coder.str(typeof v === 'string' ? v : String(v));
}

/** A rating value, or the reason it is not one (finite as a 32-bit float, like the delimited reader). */
function ratingOf(v: unknown): number | string {
  if (typeof v === 'number') {
    if (Number.isFinite(Math.fround(v))) return v;
    return Number.isFinite(v) ? `rating ${v} is out of range: not finite as a 32-bit float (largest 3.4e38)` : `rating ${v} is not finite`;
  }
  if (typeof v === 'bigint') return ratingOf(Number(v));
  if (v === null || v === undefined) return 'rating is null';
  return `rating ${JSON.stringify(String(v))} is not a number`;
}

/** A timestamp in seconds (dates and timestamps: seconds since the epoch, as ISO dates in text files), or the reason it is not one. */
function timestampOf(v: unknown): number | string {
  if (typeof v === 'number') return Number.isFinite(v) ? v : `timestamp ${v} is not finite`;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.getTime() / 1000 : 'timestamp is not a valid date';
  if (typeof v === 'string') {
    const x = textNumber(v.trim(), 3);
    return typeof x === 'string' ? `timestamp ${JSON.stringify(v)} ${x}` : x;
  }
  return 'timestamp is null';
}

/** Whether every id of a column can be coded (typed integer columns always can). */
function idsClean(v: ArrayLike<unknown>): boolean {
  if (v instanceof Int32Array || v instanceof BigInt64Array) return true;
  for (let k = 0; k < v.length; k++) {
    const id = v[k];
    if (typeof id === 'number' ? !Number.isFinite(id) : idProblem(id, '') !== '') return false;
  }
  return true;
}

/** Whether every rating of a column is a number finite as a 32-bit float. */
function ratingsClean(v: ArrayLike<unknown>): boolean {
  if (v instanceof Int32Array) return true;
  if (v instanceof Float32Array || v instanceof Float64Array) {
    for (let k = 0; k < v.length; k++) if (!Number.isFinite(Math.fround(v[k]))) return false;
    return true;
  }
  for (let k = 0; k < v.length; k++) {
    const r = v[k];
    // numbers (nullable FLOAT/DOUBLE columns arrive as plain arrays) take the short test; the rest the full one
    if (typeof r === 'number' ? !Number.isFinite(Math.fround(r)) : typeof ratingOf(r) === 'string') return false;
  }
  return true;
}

/** Whether every timestamp of a column is usable. */
function timestampsClean(v: ArrayLike<unknown>): boolean {
  if (v instanceof Int32Array || v instanceof BigInt64Array) return true;
  if (v instanceof Float32Array || v instanceof Float64Array) {
    for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) return false;
    return true;
  }
  for (let k = 0; k < v.length; k++) if (typeof timestampOf(v[k]) === 'string') return false;
  return true;
}

/** Codes a clean id column into out[at, at + n): a tight loop for 32-bit integer ids, the general rule otherwise. */
function codeColumn(coder: IdCoder, v: ArrayLike<unknown>, out: Int32Array, at: number, n: number): void {
  if (v instanceof Int32Array) {
    for (let k = 0; k < n; k++) {
      const id = v[k];
      out[at + k] = id >= 0 ? coder.int(id) : coder.str(String(id));
    }
  } else {
    for (let k = 0; k < n; k++) {
      const id = v[k];
      out[at + k] = typeof id === 'number' && id >= 0 && Number.isSafeInteger(id) ? coder.int(id) : codeId(coder, id);
    }
  }
}

/**
 * Reads ratings from one or more Parquet files (the part files of one table, in order) into a
 * {@link RatingsDataset}: the same dataset the delimited reader makes from the same rows (ids mapped to
 * sorted vocabularies, numeric order when every id is a number; the same duplicate policies). Works in
 * browsers: pass the file bytes. `loadRatings`/`openRatings` in `@collab-ts/data/node` read paths.
 *
 * Bad input raises a `DataError` naming the file, and the row and column where it applies: a damaged file,
 * a missing column, a rating column that is not numeric, a null id or rating, a non-finite rating; with
 * `skipBadRows` bad rows are counted in `dataset.skipped` instead.
 *
 * @example
 * ```ts
 * const bytes = await (await fetch('/ratings.parquet')).arrayBuffer();
 * const ds = await parseParquetRatings([{ name: 'ratings.parquet', file: bytes }]);
 * ```
 */
export async function parseParquetRatings(sources: readonly ParquetSource[], options: ParquetRatingsOptions = {}): Promise<RatingsDataset> {
  if (sources.length === 0) throw new UsageError('no Parquet files to read');
  const policy = checkDuplicatePolicy(options.duplicates ?? 'last');
  const opened: OpenedParquet[] = [];
  for (const s of sources) opened.push(await openParquet(s));
  const roles = resolveRoles(opened[0].columns, opened[0].source.name, options);
  for (const o of opened.slice(1)) checkTypes(o.columns, o.source.name, roles);
  const total = opened.reduce((s, o) => s + o.rows, 0);
  const reader = new RatingsCollector(roles, Math.max(total, 1), options.skipBadRows ?? false);
  for (const o of opened) await readRowGroups(o, reader.columns, (g) => reader.add(o.source.name, g.groupStart, g.rows, g.columns));
  const name = options.name ?? sources[0].name;
  return _dedupeDataset(reader.finish(name), policy, null, true);
}

/** Validates and codes rows group by group into typed columns. */
class RatingsCollector {
  readonly columns: string[];
  private readonly userCoder = new IdCoder();
  private readonly itemCoder = new IdCoder();
  private users: Int32Array;
  private items: Int32Array;
  private ratings: Float32Array;
  private timestamps: Float64Array | null;
  private count = 0;
  private skipped = 0;
  private readonly examples: string[] = [];
  private rmin = Infinity;
  private rmax = -Infinity;

  constructor(
    private readonly roles: RoleColumns,
    capacity: number,
    private readonly skipBadRows: boolean,
  ) {
    this.columns = [roles.user, roles.item, roles.rating, ...(roles.timestamp === null ? [] : [roles.timestamp])];
    this.users = new Int32Array(capacity);
    this.items = new Int32Array(capacity);
    this.ratings = new Float32Array(capacity);
    this.timestamps = roles.timestamp === null ? null : new Float64Array(capacity);
  }

  private bad(file: string, row: number, column: string, reason: string): void {
    const where = `row ${row + 1}, column ${JSON.stringify(column)}: ${reason}`;
    if (!this.skipBadRows) throw new DataError(where, { file });
    this.skipped++;
    if (this.examples.length < 10) this.examples.push(`${file}: ${where}`);
  }

  /** One row group: every row is checked (user, item, rating, timestamp) before any of its ids is coded. */
  add(file: string, groupStart: number, n: number, data: ReadonlyMap<string, ArrayLike<unknown>>): void {
    const { roles } = this;
    const uv = data.get(roles.user)!;
    const iv = data.get(roles.item)!;
    const rv = data.get(roles.rating)!;
    const tv = roles.timestamp === null ? null : data.get(roles.timestamp)!;
    const need = this.count + n;
    this.users = grow(this.users, this.count, need, (k) => new Int32Array(k));
    this.items = grow(this.items, this.count, need, (k) => new Int32Array(k));
    this.ratings = grow(this.ratings, this.count, need, (k) => new Float32Array(k));
    if (this.timestamps) this.timestamps = grow(this.timestamps, this.count, need, (k) => new Float64Array(k));
    if (idsClean(uv) && idsClean(iv) && ratingsClean(rv) && (tv === null || timestampsClean(tv))) this.addClean(n, uv, iv, rv, tv);
    else this.addRows(file, groupStart, n, uv, iv, rv, tv);
  }

  /** A group without a bad value (the usual case): column by column, with typed-array loops where the library gives them. */
  private addClean(n: number, uv: ArrayLike<unknown>, iv: ArrayLike<unknown>, rv: ArrayLike<unknown>, tv: ArrayLike<unknown> | null): void {
    const at = this.count;
    codeColumn(this.userCoder, uv, this.users, at, n);
    codeColumn(this.itemCoder, iv, this.items, at, n);
    const ratings = this.ratings;
    // the range is taken from the values before float32 rounding, as the text reader takes it
    let lo = this.rmin;
    let hi = this.rmax;
    for (let k = 0; k < n; k++) {
      const x = rv[k];
      const r = typeof x === 'number' ? x : (ratingOf(x) as number);
      ratings[at + k] = r;
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    this.rmin = lo;
    this.rmax = hi;
    const ts = this.timestamps;
    if (ts && tv) {
      if (tv instanceof Float64Array || tv instanceof Float32Array || tv instanceof Int32Array) ts.set(tv, at);
      else if (tv instanceof BigInt64Array) for (let k = 0; k < n; k++) ts[at + k] = Number(tv[k]);
      else for (let k = 0; k < n; k++) ts[at + k] = timestampOf(tv[k]) as number;
    }
    this.count = at + n;
  }

  /** A group with at least one bad value: row by row, so errors and skips follow file order exactly. */
  private addRows(file: string, groupStart: number, n: number, uv: ArrayLike<unknown>, iv: ArrayLike<unknown>, rv: ArrayLike<unknown>, tv: ArrayLike<unknown> | null): void {
    const { roles, users, items, ratings, timestamps, userCoder, itemCoder } = this;
    let c = this.count;
    for (let k = 0; k < n; k++) {
      const u = uv[k];
      const it = iv[k];
      let problem = idProblem(u, 'user');
      let column = roles.user;
      if (problem === '') {
        problem = idProblem(it, 'item');
        column = roles.item;
      }
      const r = ratingOf(rv[k]);
      if (problem === '' && typeof r === 'string') {
        problem = r;
        column = roles.rating;
      }
      const t = tv === null ? 0 : timestampOf(tv[k]);
      if (problem === '' && typeof t === 'string') {
        problem = t;
        column = roles.timestamp!;
      }
      if (problem !== '') {
        this.bad(file, groupStart + k, column, problem);
        continue;
      }
      users[c] = codeId(userCoder, u);
      items[c] = codeId(itemCoder, it);
      ratings[c] = r as number;
      if (timestamps) timestamps[c] = t as number;
      if ((r as number) < this.rmin) this.rmin = r as number;
      if ((r as number) > this.rmax) this.rmax = r as number;
      c++;
    }
    this.count = c;
  }

  finish(name: string): RatingsDataset {
    const n = this.count;
    if (n === 0) {
      const why = this.skipped > 0 ? `no valid rating rows (${this.skipped} bad rows skipped; first: ${this.examples[0]})` : 'no rating rows found';
      throw new DataError(why, { file: name });
    }
    const uv = this.userCoder.finish();
    const iv = this.itemCoder.finish();
    const users = this.users.subarray(0, n);
    const items = this.items.subarray(0, n);
    for (let k = 0; k < n; k++) {
      users[k] = uv.remap[users[k]];
      items[k] = iv.remap[items[k]];
    }
    return {
      source: name,
      ratings: { users, items, ratings: this.ratings.subarray(0, n), timestamps: this.timestamps ? this.timestamps.subarray(0, n) : null },
      users: new Vocabulary('user', uv.ids),
      items: new Vocabulary('item', iv.ids),
      ratingRange: [this.rmin, this.rmax],
      skipped: { count: this.skipped, examples: this.examples },
    };
  }
}
