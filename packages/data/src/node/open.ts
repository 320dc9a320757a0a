import { existsSync } from 'node:fs';
import { DATASETS } from '../datasets/registry.js';
import { loadDataset, type EnsureDatasetOptions } from './download.js';
import { loadRatingsAsync, type LoadedRatings, type LoadRatingsOptions } from './load-ratings.js';

/** Options of {@link openRatings}: reader options plus find/download options for registry names. */
export type OpenRatingsOptions = LoadRatingsOptions & EnsureDatasetOptions;

/**
 * Loads ratings from a path (any format, Parquet included), or from a registry dataset name (`'ml-100k'`, ...) when no such path exists
 * (found in `$COLLAB_DATA_DIR` or the cache, else downloaded). The entry point for CLI arguments such as
 * `collab info ml-100k` and `collab info ./ratings.csv`.
 */
export async function openRatings(pathOrName: string, options: OpenRatingsOptions = {}): Promise<LoadedRatings> {
  if (!existsSync(pathOrName) && Object.prototype.hasOwnProperty.call(DATASETS, pathOrName)) {
    const { format: _format, ...rest } = options;
    return loadDataset(pathOrName, rest);
  }
  return loadRatingsAsync(pathOrName, options);
}
