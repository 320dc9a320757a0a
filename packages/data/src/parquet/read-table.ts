import { DataError, UsageError } from '@collab-ts/core';
import { openParquet, readRowGroups, type ParquetColumnInfo, type ParquetSource } from './source.js';

/** A table read from one or more Parquet files (part files are concatenated in the order given). */
export interface ParquetTable {
  /** Number of rows. */
  readonly rows: number;
  /** The columns read, with their types (from the first file). */
  readonly schema: readonly ParquetColumnInfo[];
  /**
   * Values by column name, one per row, as decoded: numbers for int/float/double, bigints for long, strings,
   * booleans, `Date`s for timestamps, arrays of numbers for `array<float>`; `null` for a null.
   */
  readonly columns: Readonly<Record<string, unknown[]>>;
}

/** Options of {@link parseParquetTable}. */
export interface ReadParquetTableOptions {
  /** Columns to read (default: all top-level columns). */
  columns?: readonly string[];
}

/**
 * Reads whole columns of one or more Parquet files (the part files of one table) into arrays. Every file
 * must have the requested columns with the same types. Meant for small and medium tables (model factors,
 * metadata); ratings go through the typed-array reader of `loadRatings` / `parseParquetRatings` instead.
 *
 * @example
 * ```ts
 * const t = await parseParquetTable([{ name: 'itemFactors.parquet', file: bytes }]);
 * t.columns.id;        // [10, 20, ...]
 * t.columns.features;  // [[0.1, 0.2, ...], ...]
 * ```
 */
export async function parseParquetTable(sources: readonly ParquetSource[], options: ReadParquetTableOptions = {}): Promise<ParquetTable> {
  if (sources.length === 0) throw new UsageError('no Parquet files to read');
  const opened = [];
  for (const s of sources) opened.push(await openParquet(s));
  const first = opened[0];
  const wanted = options.columns ? [...options.columns] : first.columns.map((c) => c.name);
  const schema = wanted.map((name) => {
    const info = first.columns.find((c) => c.name === name);
    if (!info) throw new DataError(`no column named ${JSON.stringify(name)} (columns: ${first.columns.map((c) => c.name).join(', ')})`, { file: first.source.name });
    return info;
  });
  for (const o of opened.slice(1)) {
    for (const want of schema) {
      const got = o.columns.find((c) => c.name === want.name);
      if (!got) throw new DataError(`no column named ${JSON.stringify(want.name)}, which ${first.source.name} has (columns: ${o.columns.map((c) => c.name).join(', ')})`, { file: o.source.name });
      if (got.type !== want.type) throw new DataError(`column ${JSON.stringify(want.name)} is ${got.type}, but ${want.type} in ${first.source.name}`, { file: o.source.name });
    }
  }
  const rows = opened.reduce((s, o) => s + o.rows, 0);
  const columns: Record<string, unknown[]> = {};
  for (const name of wanted) columns[name] = new Array<unknown>(rows);
  let base = 0;
  for (const o of opened) {
    await readRowGroups(o, wanted, ({ groupStart, rows: n, columns: data }) => {
      for (const [name, values] of data) {
        const out = columns[name];
        const at = base + groupStart;
        for (let k = 0; k < n; k++) {
          const v = values[k];
          out[at + k] = v === undefined ? null : v;
        }
      }
    });
    base += o.rows;
  }
  return { rows, schema, columns };
}
