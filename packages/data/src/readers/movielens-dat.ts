import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { decodeText, isValidUtf8, type TextEncoding } from '../internal/text.js';
import { toDataset } from './delimited.js';
import type { MovieLensOptions } from './movielens-100k.js';
import { scanFile } from './scan.js';

/** Options of {@link readMovieLensDat}. */
export interface MovieLensDatOptions extends MovieLensOptions {
  /** Encoding of `movies.dat`: latin-1 for ML-1M, UTF-8 for ML-10M; `'auto'` (default) checks. */
  encoding?: TextEncoding | 'auto';
}

/**
 * Reads MovieLens 1M or 10M from its directory: `ratings.dat` (`UserID::MovieID::Rating::Timestamp`) and,
 * when present, titles from `movies.dat` (`MovieID::Title::Genres`).
 */
export function readMovieLensDat(dir: string, options: MovieLensDatOptions = {}): RatingsDataset {
  const file = join(dir, 'ratings.dat');
  const ds = toDataset(
    dir,
    scanFile(file, {
      file,
      delimiter: '::',
      columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
      firstLine: 1,
      skipBadRows: options.skipBadRows ?? false,
      encoding: 'latin1',
    }),
  );
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

/** Parses `movies.dat` into id -> { title, genres }. */
export function parseMovieLensDatMovies(
  bytes: Uint8Array,
  file = 'movies.dat',
  encoding: TextEncoding | 'auto' = 'auto',
): Map<string, { title: string; genres: string[] }> {
  const enc: TextEncoding = encoding === 'auto' ? (isValidUtf8(bytes) ? 'utf-8' : 'latin1') : encoding;
  const text = decodeText(bytes, file, enc);
  const out = new Map<string, { title: string; genres: string[] }>();
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
    if (line === '') continue;
    const f = line.split('::');
    if (f.length < 2) throw new DataError(`expected 3 fields separated by "::", found ${f.length}`, { file, line: k + 1, column: line.length + 1 });
    out.set(f[0].trim(), { title: f[1], genres: f[2] ? f[2].split('|') : [] });
  }
  return out;
}
