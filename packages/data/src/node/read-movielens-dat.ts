import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RatingsDataset } from '../dataset.js';
import { duplicatesOption, toDataset } from '../readers/delimited.js';
import type { ScanOptions } from '../readers/scan.js';
import type { MovieLensOptions } from '../readers/movielens-100k.js';
import { parseMovieLensDatMovies, type MovieLensDatOptions } from '../readers/movielens-dat.js';
import { fileLocator, scanFile } from './file-scan.js';

/**
 * Reads MovieLens 1M or 10M from its directory: `ratings.dat` (`UserID::MovieID::Rating::Timestamp`,
 * exactly 4 fields) and,
 * when present, titles from `movies.dat` (`MovieID::Title::Genres`).
 */
export function readMovieLensDat(dir: string, options: MovieLensDatOptions = {}): RatingsDataset {
  const file = join(dir, 'ratings.dat');
  const policy = duplicatesOption(options);
  const scan: ScanOptions = {
    file,
    delimiter: '::',
    columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
    firstLine: 1,
    skipBadRows: options.skipBadRows ?? false,
    encoding: 'latin1',
    maxFields: 4,
    fieldsSource: 'UserID::MovieID::Rating::Timestamp',
    maxLineBytes: options.maxLineBytes,
  };
  const ds = toDataset(dir, scanFile(file, scan), policy, fileLocator(file, scan, 0));
  const movies = join(dir, 'movies.dat');
  if (!existsSync(movies)) return ds;
  const titles = parseMovieLensDatMovies(readFileSync(movies), movies, options.encoding ?? 'auto');
  return { ...ds, items: ds.items.withTitles((id) => titles.get(id)?.title) };
}

/** Reads MovieLens 1M (`ratings.dat`, latin-1 `movies.dat`). */
export function readMovieLens1m(dir: string, options: MovieLensOptions = {}): RatingsDataset {
  return readMovieLensDat(dir, { encoding: 'latin1', ...options });
}

/** Reads MovieLens 10M (`ratings.dat`, UTF-8 `movies.dat`). */
export function readMovieLens10m(dir: string, options: MovieLensOptions = {}): RatingsDataset {
  return readMovieLensDat(dir, { encoding: 'auto', ...options });
}
