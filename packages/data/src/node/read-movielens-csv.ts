import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RatingsDataset } from '../dataset.js';
import { duplicatesOption, scanOptionsFor, toDataset } from '../readers/delimited.js';
import { detectLayout } from '../readers/layout.js';
import type { MovieLensOptions } from '../readers/movielens-100k.js';
import { parseMovieLensCsvMovies } from '../readers/movielens-csv.js';
import { fileLocator, readHead, scanFile } from './file-scan.js';

/**
 * Reads MovieLens "latest" / 20M / 25M from its directory: `ratings.csv` (header
 * `userId,movieId,rating,timestamp`, half-star ratings; extra named columns are read past, a row with more
 * fields than the header is an error) and, when present, titles from `movies.csv`
 * (quoted titles may contain commas).
 */
export function readMovieLensCsv(dir: string, options: MovieLensOptions = {}): RatingsDataset {
  const file = join(dir, 'ratings.csv');
  const policy = duplicatesOption(options);
  const layout = detectLayout(readHead(file), file, { delimiter: ',', header: true, user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' });
  const scan = scanOptionsFor(file, layout, { skipBadRows: options.skipBadRows, encoding: 'utf-8', maxLineBytes: options.maxLineBytes });
  const ds = toDataset(dir, scanFile(file, scan, layout.dataStart), policy, fileLocator(file, scan, layout.dataStart));
  const movies = join(dir, 'movies.csv');
  if (!existsSync(movies)) return ds;
  const titles = parseMovieLensCsvMovies(readFileSync(movies), movies);
  return { ...ds, items: ds.items.withTitles((id) => titles.get(id)?.title) };
}

/** Alias of {@link readMovieLensCsv} for `ml-latest` and `ml-latest-small`. */
export const readMovieLensLatest = readMovieLensCsv;
