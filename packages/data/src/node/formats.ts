import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RatingsDataset } from '../dataset.js';
import type { DelimitedOptions } from '../readers/layout.js';
import type { RatingsFormat } from '../readers/ratings-format.js';
import { parquetParts } from './parquet-files.js';
import { readDelimited } from './read-delimited.js';
import { readMovieLens100k } from './read-movielens-100k.js';
import { readMovieLensCsv } from './read-movielens-csv.js';
import { readMovieLensDat } from './read-movielens-dat.js';
import { readParquet } from './read-parquet.js';

/** A concrete ratings layout (never `'auto'`). */
export type ConcreteFormat = Exclude<RatingsFormat, 'auto'>;

/** What a format's reader gets: the path to read and the caller's options. @internal */
export interface FormatReadArgs {
  /** The path the reader takes: the dataset folder for MovieLens layouts, else the file or folder given. */
  target: string;
  options: DelimitedOptions;
  /** Whether the format was detected (`'auto'`) rather than named. */
  detected: boolean;
}

/**
 * One ratings layout: how `'auto'` recognises it, what path its reader takes, and the reader. Formats are
 * tried in registry order; the delimited reader is the fallback for any other file. @internal
 */
export interface RatingsFileFormat {
  readonly name: ConcreteFormat;
  /** Recognises a folder in this layout. */
  readonly matchDir?: (dir: string) => boolean;
  /** Recognises a file in this layout (by name, or by its first bytes). */
  readonly matchFile?: (file: string) => boolean;
  /** MovieLens layouts read their whole folder (given a file, its folder); others read the path given. */
  readonly readsFolder: boolean;
  /** A synchronous reader (text formats). */
  readonly read?: (args: FormatReadArgs) => RatingsDataset;
  /** An asynchronous reader (Parquet). */
  readonly readAsync?: (args: FormatReadArgs) => Promise<RatingsDataset>;
}

const movieLensOptions = (o: DelimitedOptions) => ({ skipBadRows: o.skipBadRows ?? false, duplicates: o.duplicates, maxLineBytes: o.maxLineBytes });

/** Whether a file starts with Parquet's magic bytes `PAR1`. */
function hasParquetMagic(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = new Uint8Array(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The ratings layouts, in detection order. */
export const RATINGS_FORMATS: readonly RatingsFileFormat[] = [
  {
    name: 'ml-100k',
    matchDir: (dir) => existsSync(join(dir, 'u.data')),
    matchFile: (file) => basename(file) === 'u.data',
    readsFolder: true,
    read: ({ target, options }) => readMovieLens100k(target, movieLensOptions(options)),
  },
  {
    name: 'ml-1m',
    matchDir: (dir) => existsSync(join(dir, 'ratings.dat')),
    matchFile: (file) => basename(file) === 'ratings.dat',
    readsFolder: true,
    // a named ml-1m is latin-1; a detected ratings.dat may be 1M or 10M, so its encoding is detected too
    read: ({ target, options, detected }) => readMovieLensDat(target, { ...movieLensOptions(options), encoding: detected ? 'auto' : 'latin1' }),
  },
  {
    name: 'ml-10m',
    readsFolder: true,
    read: ({ target, options }) => readMovieLensDat(target, { ...movieLensOptions(options), encoding: 'auto' }),
  },
  {
    name: 'ml-latest',
    matchDir: (dir) => existsSync(join(dir, 'ratings.csv')),
    matchFile: (file) => basename(file) === 'ratings.csv',
    readsFolder: true,
    read: ({ target, options }) => readMovieLensCsv(target, movieLensOptions(options)),
  },
  {
    name: 'parquet',
    matchDir: (dir) => parquetParts(dir).length > 0,
    matchFile: (file) => file.toLowerCase().endsWith('.parquet') || hasParquetMagic(file),
    readsFolder: false,
    readAsync: ({ target, options }) => readParquet(target, options),
  },
  {
    name: 'delimited',
    readsFolder: false,
    read: ({ target, options }) => readDelimited(target, options),
  },
];

/** The registry entry of a format name, or undefined. @internal */
export function formatNamed(name: string): RatingsFileFormat | undefined {
  return RATINGS_FORMATS.find((f) => f.name === name);
}
