import { UsageError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { parseParquetRatings, type ParquetRatingsOptions } from '../parquet/ratings.js';
import { parquetSources } from './parquet-files.js';

/**
 * Reads ratings from a Parquet file, or from a folder of part files as Spark and DuckDB write them
 * (`part-*.parquet`, read in name order; `_SUCCESS` and dot/underscore files ignored), with the column
 * options of the delimited reader (names or positions; default userId/movieId/rating/timestamp and their
 * usual variants). Produces the same dataset as the delimited reader for the same rows. Reading is
 * asynchronous (the file is read a row group at a time).
 *
 * @example
 * ```ts
 * const ds = await readParquet('ratings.parquet', { user: 'customer_id', item: 'product_id' });
 * const parts = await readParquet('exports/ratings');   // part-00000-....snappy.parquet, ...
 * ```
 */
export async function readParquet(path: string, options: ParquetRatingsOptions & { delimiter?: string } = {}): Promise<RatingsDataset> {
  if (options.delimiter !== undefined && options.delimiter !== 'auto') {
    throw new UsageError(`a delimiter (${JSON.stringify(options.delimiter)}) applies to delimited text files, not to Parquet (${path})`);
  }
  const sources = parquetSources(path);
  try {
    return await parseParquetRatings(sources, { ...options, name: path });
  } finally {
    for (const s of sources) s.close();
  }
}
