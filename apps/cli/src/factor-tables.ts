import { join } from 'node:path';
import { UsageError } from '@collab-ts/core';
import type { FactorTables, Vocabulary } from '@collab-ts/core';
import { writeFileAtomic } from '@collab-ts/core/node';
import { writeParquetTable } from '@collab-ts/data/node';
import type { ParquetColumn } from '@collab-ts/data';

/** The output formats of `collab export` for tables. */
export type TableFormat = 'parquet' | 'csv';

/** A table format given by `--format`, or read from the extension of `--out`. */
export function tableFormat(given: string | undefined, out: string, folder: boolean): TableFormat {
  if (given) return given as TableFormat;
  const lower = out.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv')) return 'csv';
  if (folder) return 'parquet';
  throw new UsageError(`--out ${out}: say the format with --format parquet|csv, or end the file name in .parquet or .csv`);
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Whether every id is an integer in Spark's int range (written as `int`, else as `string`). */
function intIds(vocab: Vocabulary): Int32Array | null {
  const out = new Int32Array(vocab.size);
  for (let k = 0; k < vocab.size; k++) {
    const s = vocab.rawIds[k];
    const v = Number(s);
    if (!Number.isInteger(v) || String(v) !== s || v < -(2 ** 31) || v > 2 ** 31 - 1) return null;
    out[k] = v;
  }
  return out;
}

/**
 * Writes one side's factor table: `id`, `title` (items with titles), `bias` (when the model has biases) and
 * the factors, as Parquet (`features: array<float>`, Spark's ALS layout, ids `int` when they all are) or CSV
 * (`f0 .. f{k-1}` columns). Returns the path written.
 */
export function writeFactorTable(dir: string, side: 'user' | 'item', vocab: Vocabulary, t: FactorTables, format: TableFormat): string {
  const d = t.dim;
  const rows = side === 'user' ? t.userFactors : t.itemFactors;
  const bias = side === 'user' ? t.userBias : t.itemBias;
  const titled = side === 'item' && vocab.hasTitles;
  const path = join(dir, `${side}_factors.${format}`);
  if (format === 'parquet') {
    const ints = intIds(vocab);
    const columns: ParquetColumn[] = [ints ? { name: 'id', type: 'int', data: ints } : { name: 'id', type: 'string', data: [...vocab.rawIds] }];
    if (titled) columns.push({ name: 'title', type: 'string', data: Array.from({ length: vocab.size }, (_, k) => vocab.title(k)) });
    if (bias) columns.push({ name: 'bias', type: 'float', data: bias });
    columns.push({ name: 'features', type: 'array<float>', data: Array.from({ length: vocab.size }, (_, k) => rows.subarray(k * d, (k + 1) * d)) });
    writeParquetTable(path, columns);
    return path;
  }
  const head = ['id', ...(titled ? ['title'] : []), ...(bias ? ['bias'] : []), ...Array.from({ length: d }, (_, k) => `f${k}`)];
  const lines = [head.join(',')];
  for (let k = 0; k < vocab.size; k++) {
    const cells = [quote(vocab.rawIds[k])];
    if (titled) cells.push(quote(vocab.title(k)));
    if (bias) cells.push(String(bias[k]));
    for (let j = 0; j < d; j++) cells.push(String(rows[k * d + j]));
    lines.push(cells.join(','));
  }
  writeFileAtomic(path, `${lines.join('\n')}\n`);
  return path;
}
