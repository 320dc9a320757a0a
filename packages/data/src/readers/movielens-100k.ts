import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { table, type ColumnTable } from 'arquero';
import { DataError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { decodeText } from '../internal/text.js';
import { toDataset } from './delimited.js';
import { scanFile } from './scan.js';

/** The 19 genre flags of MovieLens 100k `u.item`, in file order (as listed in `u.genre`). */
export const ML_100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** One movie of MovieLens 100k `u.item`. */
export interface MovieLens100kItem {
  id: string;
  title: string;
  releaseDate: string;
  url: string;
  genres: string[];
}

/** Options of the MovieLens readers. */
export interface MovieLensOptions {
  /** Count and report malformed rating rows instead of failing on the first one. */
  skipBadRows?: boolean;
}

/**
 * Reads MovieLens 100k from its directory: ratings from `u.data` (tab-separated user, item, rating,
 * timestamp) and, when `u.item` is present, movie titles attached to the item vocabulary.
 *
 * @example
 * ```ts
 * const ds = readMovieLens100k('/data/ml-100k');
 * ds.items.title(ds.items.encode(1)); // 'Toy Story (1995)'
 * ```
 */
export function readMovieLens100k(dir: string, options: MovieLensOptions = {}): RatingsDataset {
  const file = join(dir, 'u.data');
  const ds = toDataset(dir, scanMovieLens100kRatings(file, options.skipBadRows ?? false));
  const itemFile = join(dir, 'u.item');
  if (!existsSync(itemFile)) return ds;
  const titles = new Map(parseMovieLens100kItems(readFileSync(itemFile), itemFile).map((m) => [m.id, m.title]));
  return { ...ds, items: ds.items.withTitles((id) => titles.get(id)) };
}

/** The numeric kernel over a `u.data`-shaped file (also `u1.base`, `ua.test`, ...). @internal */
export function scanMovieLens100kRatings(file: string, skipBadRows: boolean): ReturnType<typeof scanFile> {
  return scanFile(file, {
    file,
    delimiter: '\t',
    columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
    firstLine: 1,
    skipBadRows,
    encoding: 'latin1',
  });
}

/** Splits pipe-separated latin-1 lines, checking the field count; yields [fields, line number]. */
function* pipeRows(bytes: Uint8Array, file: string, minFields: number): Generator<[string[], number]> {
  const text = decodeText(bytes, file, 'latin1');
  if (text.trim() === '') throw new DataError('file is empty', { file, line: 1, column: 1 });
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
    if (line === '') continue;
    const fields = line.split('|');
    if (fields.length < minFields) {
      throw new DataError(`expected ${minFields} fields separated by "|", found ${fields.length}`, { file, line: k + 1, column: line.length + 1 });
    }
    yield [fields, k + 1];
  }
}

/** Parses the bytes of `u.item` (pipe-separated, latin-1): id, title, release date, URL, 19 genre flags. */
export function parseMovieLens100kItems(bytes: Uint8Array, file = 'u.item'): MovieLens100kItem[] {
  const out: MovieLens100kItem[] = [];
  for (const [f] of pipeRows(bytes, file, 5 + ML_100K_GENRES.length)) {
    const genres: string[] = [];
    for (let g = 0; g < ML_100K_GENRES.length; g++) if (f[5 + g].trim() === '1') genres.push(ML_100K_GENRES[g]);
    out.push({ id: f[0].trim(), title: f[1].trim(), releaseDate: f[2].trim(), url: f[4].trim(), genres });
  }
  return out;
}

/**
 * The movies of MovieLens 100k as an arquero table with columns `id` (number), `title`, `release_date`,
 * `genres` (`|`-joined genre names) and `url`.
 */
export function movieLens100kItems(dir: string): ColumnTable {
  const file = join(dir, 'u.item');
  const items = parseMovieLens100kItems(readFileSync(file), file);
  return table({
    id: items.map((m) => Number(m.id)),
    title: items.map((m) => m.title),
    release_date: items.map((m) => m.releaseDate),
    genres: items.map((m) => m.genres.join('|')),
    url: items.map((m) => m.url),
  });
}

/**
 * The users of MovieLens 100k (`u.user`) as an arquero table with columns `id`, `age` (numbers),
 * `gender`, `occupation` and `zip`.
 */
export function readMovieLens100kUsers(dir: string): ColumnTable {
  const file = join(dir, 'u.user');
  const cols = { id: [] as number[], age: [] as number[], gender: [] as string[], occupation: [] as string[], zip: [] as string[] };
  for (const [f, line] of pipeRows(readFileSync(file), file, 5)) {
    const id = Number(f[0]);
    const age = Number(f[1]);
    if (!Number.isFinite(id) || f[0].trim() === '') throw new DataError(`user id ${JSON.stringify(f[0])} is not a number`, { file, line, column: 1 });
    if (!Number.isFinite(age) || f[1].trim() === '') throw new DataError(`age ${JSON.stringify(f[1])} is not a number`, { file, line, column: f[0].length + 2 });
    cols.id.push(id);
    cols.age.push(age);
    cols.gender.push(f[2]);
    cols.occupation.push(f[3]);
    cols.zip.push(f[4]);
  }
  return table(cols);
}
