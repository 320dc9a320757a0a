import { DataError } from '@collab-ts/core';
import { decodeText, isValidUtf8, type TextEncoding } from '../internal/text.js';
import type { MovieLensOptions } from './movielens-100k.js';

/** Options of `readMovieLensDat` (from `@collab-ts/data/node`). */
export interface MovieLensDatOptions extends MovieLensOptions {
  /** Encoding of `movies.dat`: latin-1 for ML-1M, UTF-8 for ML-10M; `'auto'` (default) checks. */
  encoding?: TextEncoding | 'auto';
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
