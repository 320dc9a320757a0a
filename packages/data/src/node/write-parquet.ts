import { join } from 'node:path';
import { UsageError, type RatingColumns } from '@collab-ts/core';
import { writeFileAtomic } from '@collab-ts/core/node';
import type { Vocabulary } from '../vocabulary.js';
import { encodeParquet, type EncodeParquetOptions, type ParquetColumn } from '../parquet/encode.js';
import { ratingsTableColumns, type RatingsTableOptions } from '../parquet/ratings-table.js';

/** Options of {@link writeRatingsParquet} and {@link writeSplitParquet}. */
export type WriteRatingsParquetOptions = RatingsTableOptions & EncodeParquetOptions;

/**
 * Writes a flat table as one snappy-compressed Parquet file, atomically (a temporary sibling, flushed, then
 * renamed: readers see the old file or the new one, never a torn one). Returns the number of bytes written.
 *
 * @example
 * ```ts
 * writeParquetTable('items.parquet', [
 *   { name: 'id', type: 'int', data: new Int32Array([10, 20]) },
 *   { name: 'features', type: 'array<float>', data: [[0.1, 0.2], [0.3, 0.4]] },
 * ]);
 * ```
 */
export function writeParquetTable(path: string, columns: readonly ParquetColumn[], options: EncodeParquetOptions = {}): number {
  const bytes = encodeParquet(columns, options);
  writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Options of {@link writeParquetParts}. */
export interface WriteParquetPartsOptions extends EncodeParquetOptions {
  /** Number of part files (default 1; at most one per row, at least one). */
  parts?: number;
  /** Write an empty `_SUCCESS` marker after the parts, as Spark does (default true). */
  success?: boolean;
}

/**
 * Writes a flat table as a folder of part files the way Spark and DuckDB do (`part-00000.snappy.parquet`,
 * `part-00001.snappy.parquet`, ..., then `_SUCCESS`), each file written atomically. Rows are split into
 * `parts` contiguous runs. Returns the names of the part files.
 */
export function writeParquetParts(dir: string, columns: readonly ParquetColumn[], options: WriteParquetPartsOptions = {}): string[] {
  const rows = columns[0]?.data.length ?? 0;
  const parts = Math.max(1, Math.min(options.parts ?? 1, Math.max(rows, 1)));
  if (!Number.isInteger(parts)) throw new UsageError(`parts must be a positive integer, got ${options.parts}`);
  const names: string[] = [];
  for (let p = 0; p < parts; p++) {
    const start = Math.floor((rows * p) / parts);
    const end = Math.floor((rows * (p + 1)) / parts);
    const slice = columns.map((c) => ({ ...c, data: sliceRows(c.data, start, end) }));
    const name = `part-${String(p).padStart(5, '0')}.snappy.parquet`;
    writeParquetTable(join(dir, name), slice, options);
    names.push(name);
  }
  if (options.success ?? true) writeFileAtomic(join(dir, '_SUCCESS'), '');
  return names;
}

function sliceRows(data: ParquetColumn['data'], start: number, end: number): ParquetColumn['data'] {
  const d = data as ParquetColumn['data'] & { subarray?: (s: number, e: number) => ParquetColumn['data'] };
  return typeof d.subarray === 'function' ? d.subarray(start, end) : (Array.prototype.slice.call(data, start, end) as ParquetColumn['data']);
}

/**
 * Writes ratings as a Parquet file with the raw user and item ids (the ids of the source, not indices):
 * columns `userId`, `movieId`, `rating` (float) and `timestamp` (long, when present), snappy-compressed,
 * atomically. Ids are `int` when they all fit (what Spark's ALS needs), else `long`, else `string`.
 * Returns the number of bytes written.
 *
 * @example
 * ```ts
 * const { dataset } = await openRatings('ml-100k');
 * writeRatingsParquet(dataset.ratings, dataset, 'ratings.parquet');
 * ```
 */
export function writeRatingsParquet(
  columns: RatingColumns,
  vocabularies: { users: Vocabulary; items: Vocabulary },
  path: string,
  options: WriteRatingsParquetOptions = {},
): number {
  return writeParquetTable(path, ratingsTableColumns(columns, vocabularies, options), options);
}

/** The parts of a split to write: train and validation, and a test set when there is one. A `Split` fits. */
export interface SplitParts {
  readonly train: RatingColumns;
  readonly valid: RatingColumns;
  readonly test?: RatingColumns;
}

/** Options of {@link writeSplitParquet}. */
export interface WriteSplitParquetOptions extends WriteRatingsParquetOptions {
  /**
   * `'files'` (default): `path` is a folder that gets `train.parquet`, `valid.parquet` (and `test.parquet`).
   * `'column'`: `path` is one file holding every row with a `split` column (`train`, `valid`, `test`).
   */
  layout?: 'files' | 'column';
  /** Name of the split column for `layout: 'column'` (default `split`). */
  splitColumn?: string;
}

/**
 * Writes a split (train/valid/test rating columns sharing one pair of vocabularies) as Parquet with raw
 * ids: one file per part in a folder, or one file with a split column. Each file is written atomically.
 * Returns the paths written.
 *
 * @example
 * ```ts
 * const split = randomSplit(dataset, { validPct: 0.2, seed: 42 });
 * writeSplitParquet(split, dataset, 'out/split');            // out/split/train.parquet, valid.parquet
 * writeSplitParquet(split, dataset, 'split.parquet', { layout: 'column' });
 * ```
 */
export function writeSplitParquet(
  split: SplitParts,
  vocabularies: { users: Vocabulary; items: Vocabulary },
  path: string,
  options: WriteSplitParquetOptions = {},
): string[] {
  const parts = (['train', 'valid', 'test'] as const).filter((p) => split[p] !== undefined).map((p) => [p, split[p]!] as const);
  const layout = options.layout ?? 'files';
  if (layout === 'files') {
    return parts.map(([name, cols]) => {
      const file = join(path, `${name}.parquet`);
      writeRatingsParquet(cols, vocabularies, file, options);
      return file;
    });
  }
  if (layout !== 'column') throw new UsageError(`unknown split layout ${JSON.stringify(layout)} (expected files or column)`);
  const all = concatColumns(parts.map(([, c]) => c));
  const labels = new Array<string>(all.ratings.length);
  let r = 0;
  for (const [name, cols] of parts) for (let k = 0; k < cols.ratings.length; k++) labels[r++] = name;
  const extra: ParquetColumn[] = [{ name: options.splitColumn ?? 'split', type: 'string', data: labels }];
  writeParquetTable(path, ratingsTableColumns(all, vocabularies, options, extra), options);
  return [path];
}

/** The rows of several column sets one after another. */
function concatColumns(sets: readonly RatingColumns[]): RatingColumns {
  const n = sets.reduce((s, c) => s + c.ratings.length, 0);
  const withTime = sets.every((c) => c.timestamps !== null);
  const out = { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n), timestamps: withTime ? new Float64Array(n) : null };
  let at = 0;
  for (const c of sets) {
    out.users.set(c.users, at);
    out.items.set(c.items, at);
    out.ratings.set(c.ratings, at);
    if (out.timestamps) out.timestamps.set(c.timestamps!, at);
    at += c.ratings.length;
  }
  return out;
}
