import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { UsageError } from '@collab-ts/core';

/**
 * Column types the Parquet writer knows, named after Spark SQL's types: `int` (INT32), `long` (INT64),
 * `float` (FLOAT), `double` (DOUBLE), `string` (UTF-8 BYTE_ARRAY), `boolean`, and `array<float>` (the
 * standard 3-level LIST of FLOAT that Spark writes for `features` in an ALS model's factor tables).
 */
export type ParquetColumnType = 'int' | 'long' | 'float' | 'double' | 'string' | 'boolean' | 'array<float>';

/** One column of a flat table to write with {@link encodeParquet}. */
export interface ParquetColumn {
  readonly name: string;
  readonly type: ParquetColumnType;
  /**
   * One value a row: numbers for the numeric types (`long` also takes bigints; numbers must be safe
   * integers), strings, booleans, or for `array<float>` one array of numbers a row; `null` in a nullable column.
   */
  readonly data: ArrayLike<number | bigint | string | boolean | ArrayLike<number> | null>;
  /**
   * Whether the column may hold nulls (Parquet OPTIONAL). Default: false for scalar columns (REQUIRED: read
   * back faster, and Spark reads it as a non-nullable column), true for `array<float>`, as Spark writes it.
   */
  readonly nullable?: boolean;
}

/** Options of {@link encodeParquet}. */
export interface EncodeParquetOptions {
  /** Rows per row group (default 1,048,576): the unit a reader decodes at a time. */
  rowGroupSize?: number;
  /** Target bytes per data page (default 1 MiB). */
  pageSize?: number;
  /** Key-value metadata stored in the footer. */
  metadata?: Readonly<Record<string, string>>;
}

const PHYSICAL: Record<Exclude<ParquetColumnType, 'array<float>'>, SchemaElement> = {
  int: { name: '', type: 'INT32' },
  long: { name: '', type: 'INT64' },
  float: { name: '', type: 'FLOAT' },
  double: { name: '', type: 'DOUBLE' },
  string: { name: '', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  boolean: { name: '', type: 'BOOLEAN' },
};

/** The schema elements of one column (three for a LIST: the list, its repeated group, the element). */
function schemaOf(c: ParquetColumn): SchemaElement[] {
  const repetition_type = (c.nullable ?? c.type === 'array<float>') ? 'OPTIONAL' : 'REQUIRED';
  if (c.type === 'array<float>') {
    return [
      { name: c.name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
    ];
  }
  const physical = PHYSICAL[c.type];
  if (!physical) throw new UsageError(`column ${JSON.stringify(c.name)}: unknown Parquet column type ${JSON.stringify(c.type)} (expected one of ${[...Object.keys(PHYSICAL), 'array<float>'].join(', ')})`);
  return [{ ...physical, name: c.name, repetition_type }];
}

/** Rows [start, end) of a column as the writer takes them (bigints for INT64, arrays for lists). */
function slice(c: ParquetColumn, start: number, end: number): ArrayLike<unknown> {
  const d = c.data as ArrayLike<unknown> & { subarray?: (s: number, e: number) => ArrayLike<unknown> };
  if (c.type === 'long') {
    const out: { [k: number]: bigint | null; length: number } = c.nullable ? new Array<bigint | null>(end - start) : new BigInt64Array(end - start);
    for (let k = start; k < end; k++) {
      const v = d[k];
      if (typeof v === 'bigint') out[k - start] = v;
      else if (Number.isSafeInteger(v)) out[k - start] = BigInt(v as number);
      else if (v === null && c.nullable) out[k - start] = null;
      else throw new UsageError(`column ${JSON.stringify(c.name)} row ${k + 1}: ${String(v)} is not an integer for a long column`);
    }
    return out;
  }
  if (c.type === 'array<float>') {
    const out = new Array<number[]>(end - start);
    for (let k = start; k < end; k++) out[k - start] = d[k] === null ? (null as never) : Array.from(d[k] as ArrayLike<number>);
    return out;
  }
  if (typeof d.subarray === 'function') return d.subarray(start, end);
  return Array.prototype.slice.call(d, start, end) as unknown[];
}

/**
 * Encodes a flat table as a Parquet file (snappy-compressed, one footer, row groups of `rowGroupSize` rows)
 * and returns its bytes. Works in browsers too; `writeParquetTable` in `@collab-ts/data/node` writes the
 * bytes to a file atomically.
 *
 * @example
 * ```ts
 * const bytes = encodeParquet([
 *   { name: 'id', type: 'int', data: new Int32Array([1, 2]) },
 *   { name: 'features', type: 'array<float>', data: [[0.1, 0.2], [0.3, 0.4]] },
 * ]);
 * ```
 */
export function encodeParquet(columns: readonly ParquetColumn[], options: EncodeParquetOptions = {}): Uint8Array {
  if (columns.length === 0) throw new UsageError('a Parquet table needs at least one column');
  const rows = columns[0].data.length;
  const names = new Set<string>();
  for (const c of columns) {
    if (!c.name) throw new UsageError('every Parquet column needs a name');
    if (names.has(c.name)) throw new UsageError(`two Parquet columns are named ${JSON.stringify(c.name)}`);
    names.add(c.name);
    if (c.data.length !== rows) throw new UsageError(`column ${JSON.stringify(c.name)} has ${c.data.length} rows, column ${JSON.stringify(columns[0].name)} has ${rows}`);
  }
  const group = options.rowGroupSize ?? 1 << 20;
  if (!(Number.isInteger(group) && group > 0)) throw new UsageError(`rowGroupSize must be a positive integer, got ${group}`);
  const schema: SchemaElement[] = [{ name: 'schema', num_children: columns.length }, ...columns.flatMap(schemaOf)];
  const writer = new ByteWriter();
  const kvMetadata = Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value }));
  const pq = new ParquetWriter({ writer, schema, codec: 'SNAPPY', kvMetadata, createdBy: 'collab-ts' });
  // one row group a call, so the bigint and list copies the writer needs stay one group in size
  for (let start = 0; start < rows || (rows === 0 && start === 0); start += group) {
    const end = Math.min(rows, start + group);
    pq.write({ columnData: columns.map((c) => ({ name: c.name, data: slice(c, start, end) as never })), rowGroupSize: Math.max(1, end - start), pageSize: options.pageSize });
    if (rows === 0) break;
  }
  pq.finish();
  return new Uint8Array(writer.getBuffer());
}
