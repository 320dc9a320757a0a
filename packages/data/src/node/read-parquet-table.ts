import { parseParquetTable, type ParquetTable, type ReadParquetTableOptions } from '../parquet/read-table.js';
import { parquetSources } from './parquet-files.js';

/**
 * Reads a Parquet file, or a folder of part files as Spark and DuckDB write them (`part-*.parquet`;
 * `_SUCCESS` and dot/underscore files ignored), into arrays, one per column. For model factor tables and
 * other small tables; ratings go through `loadRatings` / `openRatings`.
 *
 * @example
 * ```ts
 * const t = await readParquetTable('model/itemFactors');   // Spark ALS: id int, features array<float>
 * const ids = t.columns.id as number[];
 * const features = t.columns.features as number[][];
 * ```
 */
export async function readParquetTable(path: string, options: ReadParquetTableOptions = {}): Promise<ParquetTable> {
  const sources = parquetSources(path);
  try {
    return await parseParquetTable(sources, options);
  } finally {
    for (const s of sources) s.close();
  }
}
