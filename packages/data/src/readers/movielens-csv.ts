// csv-parse's browser build: its default entry touches Node's Buffer on load; bundled into dist (tsup noExternal)
import { parse } from 'csv-parse/browser/esm/sync';
import { DataError } from '@collab-ts/core';
import { decodeText } from '../internal/text.js';

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
