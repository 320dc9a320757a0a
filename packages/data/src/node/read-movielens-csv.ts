import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RatingsDataset } from '../dataset.js';
import { toDataset } from '../readers/delimited.js';
import { detectLayout } from '../readers/layout.js';
import type { MovieLensOptions } from '../readers/movielens-100k.js';
import { parseMovieLensCsvMovies } from '../readers/movielens-csv.js';
import { readHead, scanFile } from './file-scan.js';

/**
 * Reads MovieLens "latest" / 20M / 25M from its directory: `ratings.csv` (header
 * `userId,movieId,rating,timestamp`, half-star ratings) and, when present, titles from `movies.csv`
 * (quoted titles may contain commas).
 */
export function readMovieLensCsv(dir: string, options: MovieLensOptions = {}): RatingsDataset {
  const file = join(dir, 'ratings.csv');
  const layout = detectLayout(readHead(file), file, { delimiter: ',', header: true, user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' });
  const ds = toDataset(
    dir,
    scanFile(
      file,
      { file, delimiter: ',', columns: layout.columns, firstLine: 2, skipBadRows: options.skipBadRows ?? false, encoding: 'utf-8' },
      layout.dataStart,
    ),
  );
  const movies = join(dir, 'movies.csv');
  if (!existsSync(movies)) return ds;
  const titles = parseMovieLensCsvMovies(readFileSync(movies), movies);
  return { ...ds, items: ds.items.withTitles((id) => titles.get(id)?.title) };
}

/** Alias of {@link readMovieLensCsv} for `ml-latest` and `ml-latest-small`. */
export const readMovieLensLatest = readMovieLensCsv;
