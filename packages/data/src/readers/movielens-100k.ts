import { table, type ColumnTable } from 'arquero';
import { DataError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { decodeText } from '../internal/text.js';
import { bytesLocator, duplicatesOption, toDataset } from './delimited.js';
import type { DuplicatePolicy } from './dedupe.js';
import { scanBytes, type ScanOptions } from './scan.js';

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
  /** What to do with repeated (user, item) pairs (default `'last'`); see {@link DuplicatePolicy}. */
  duplicates?: DuplicatePolicy;
  /** Longest line accepted, in bytes (default 1 MiB): a longer line fails early, without reading it whole. */
  maxLineBytes?: number;
}

/** The MovieLens 100k files {@link parseMovieLens100k} reads, as bytes (e.g. from a dropped file in a browser). */
export interface MovieLens100kFiles {
  /** Ratings: tab-separated user, item, rating, timestamp (also `u1.base`, `ua.test`, ...). */
  'u.data': Uint8Array;
  /** Movies (optional): titles are attached to the item vocabulary when given. */
  'u.item'?: Uint8Array;
}

/** Kernel options for a `u.data`-shaped file (also `u1.base`, `ua.test`, ...). @internal */
export function movieLens100kScanOptions(file: string, skipBadRows: boolean, maxLineBytes?: number): ScanOptions {
  return {
    file,
    delimiter: '\t',
    columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
    firstLine: 1,
    skipBadRows,
    encoding: 'latin1',
    maxFields: 4,
    fieldsSource: 'user, item, rating, timestamp',
    maxLineBytes,
  };
}

/** Attaches the titles of `u.item` to a dataset's item vocabulary. @internal */
export function withMovieLens100kTitles(ds: RatingsDataset, itemBytes: Uint8Array, itemFile: string): RatingsDataset {
  const titles = new Map(parseMovieLens100kItems(itemBytes, itemFile).map((m) => [m.id, m.title]));
  return { ...ds, items: ds.items.withTitles((id) => titles.get(id)) };
}

/**
 * The in-memory form of `readMovieLens100k` (from `@collab-ts/data/node`): parses MovieLens 100k from the
 * bytes of `u.data` and, optionally, `u.item` (titles). Works without the file system, e.g. on files
 * dropped into a web page. `options.name` is the dataset source and the prefix of error messages
 * (default `'ml-100k'`).
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array(await droppedFile.arrayBuffer());
 * const ds = parseMovieLens100k({ 'u.data': bytes });
 * ```
 */
export function parseMovieLens100k(files: MovieLens100kFiles, options: MovieLensOptions & { name?: string } = {}): RatingsDataset {
  const name = options.name ?? 'ml-100k';
  const file = `${name}/u.data`;
  if (!(files['u.data'] instanceof Uint8Array)) throw new DataError('u.data is missing (expected its bytes as a Uint8Array)', { file });
  const policy = duplicatesOption(options);
  const scan = movieLens100kScanOptions(file, options.skipBadRows ?? false, options.maxLineBytes);
  const ds = toDataset(name, scanBytes(files['u.data'], scan), policy, bytesLocator(files['u.data'], scan, 0));
  const items = files['u.item'];
  return items ? withMovieLens100kTitles(ds, items, `${name}/u.item`) : ds;
}

/**
 * Splits pipe-separated latin-1 lines, checking the field count (exactly `minFields`: a line with more is
 * two lines merged by a lost line break); yields [fields, line number].
 */
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
    if (fields.length > minFields) {
      const column = fields.slice(0, minFields).join('|').length + 2;
      throw new DataError(`expected ${minFields} fields separated by "|", found ${fields.length}: extra fields start here (two lines merged by a lost line break?)`, { file, line: k + 1, column });
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
 * Movies as an arquero table with columns `id` (number), `title`, `release_date`, `genres` (`|`-joined
 * genre names) and `url`; `items` usually comes from {@link parseMovieLens100kItems}.
 */
export function movieLens100kItemsTable(items: readonly MovieLens100kItem[]): ColumnTable {
  return table({
    id: items.map((m) => Number(m.id)),
    title: items.map((m) => m.title),
    release_date: items.map((m) => m.releaseDate),
    genres: items.map((m) => m.genres.join('|')),
    url: items.map((m) => m.url),
  });
}

/**
 * Parses the bytes of `u.user` (pipe-separated: id, age, gender, occupation, zip) into an arquero table
 * with columns `id`, `age` (numbers), `gender`, `occupation` and `zip`.
 */
export function parseMovieLens100kUsers(bytes: Uint8Array, file = 'u.user'): ColumnTable {
  const cols = { id: [] as number[], age: [] as number[], gender: [] as string[], occupation: [] as string[], zip: [] as string[] };
  for (const [f, line] of pipeRows(bytes, file, 5)) {
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
