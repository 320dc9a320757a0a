import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { decodeText } from '../internal/text.js';
import { toDataset } from './delimited.js';
import { detectLayout, readHead } from './layout.js';
import type { MovieLensOptions } from './movielens-100k.js';
import { scanFile } from './scan.js';

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

/** Parses `movies.csv` (`movieId,title,genres`, UTF-8, quoted) into id -> { title, genres }. */
export function parseMovieLensCsvMovies(bytes: Uint8Array, file = 'movies.csv'): Map<string, { title: string; genres: string[] }> {
  const text = decodeText(bytes, file, 'utf-8');
  if (text.trim() === '') throw new DataError('file is empty', { file, line: 1, column: 1 });
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new DataError(`malformed CSV: ${e.message}`, { file, line: e.lines ?? 1, column: 1 });
  }
  const head = rows[0].map((h) => h.trim());
  const idCol = head.indexOf('movieId');
  const titleCol = head.indexOf('title');
  if (idCol < 0) throw new DataError(`no column named "movieId" in the header (columns: ${head.join(', ')})`, { file, line: 1, column: 1 });
  if (titleCol < 0) throw new DataError(`no column named "title" in the header (columns: ${head.join(', ')})`, { file, line: 1, column: 1 });
  const genreCol = head.indexOf('genres');
  const out = new Map<string, { title: string; genres: string[] }>();
  for (let k = 1; k < rows.length; k++) {
    const r = rows[k];
    if (r.length <= Math.max(idCol, titleCol)) {
      throw new DataError(`expected ${head.length} fields, found ${r.length}`, { file, line: k + 1, column: 1 });
    }
    const g = genreCol >= 0 ? r[genreCol] ?? '' : '';
    out.set(r[idCol].trim(), { title: r[titleCol], genres: g && g !== '(no genres listed)' ? g.split('|') : [] });
  }
  return out;
}
