import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dataDirFromEnv } from '@collab-ts/core/node';
import { CACHE_DIR_ENV, datasetInfo } from '../datasets/registry.js';

/** Where downloads go: `$COLLAB_CACHE_DIR`, else `~/.cache/collab-ts`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const v = env[CACHE_DIR_ENV];
  return v && v.trim() !== '' ? v : join(homedir(), '.cache', 'collab-ts');
}

/** Options of {@link findDataset}. */
export interface FindDatasetOptions {
  /** Directory holding `<name>/` folders (default `$COLLAB_DATA_DIR`). */
  dataDir?: string;
  /** Download cache (default {@link defaultCacheDir}). */
  cacheDir?: string;
}

/**
 * Looks for an already-present dataset folder: `<dataDir>/<name>` (default `$COLLAB_DATA_DIR`), then
 * `<cacheDir>/<name>`. A folder counts when it holds the dataset's ratings file. Returns its path or `null`.
 */
export function findDataset(name: string, options: FindDatasetOptions = {}): string | null {
  const info = datasetInfo(name);
  const roots = [options.dataDir ?? dataDirFromEnv(), options.cacheDir ?? defaultCacheDir()];
  for (const root of roots) {
    if (!root) continue;
    const dir = join(root, info.name);
    if (existsSync(join(dir, info.ratingsFile))) return dir;
  }
  return null;
}
