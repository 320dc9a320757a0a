import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CollabError, UsageError } from '@collab-ts/core';
import { parseMovieLens100kItems, parseMovieLensCsvMovies, parseMovieLensDatMovies } from '@collab-ts/data';

/** The movies files the CLI reads titles from, by name, in the order a folder is searched. */
const MOVIES_FILES = ['u.item', 'movies.csv', 'movies.dat'];

/**
 * Item titles from a MovieLens-style movies file (`u.item`, `movies.csv`, `movies.dat`, or a folder holding
 * one), as raw item id -> title. The layout is chosen by the file name: `.csv` is `movieId,title,genres` with
 * a header, `.dat` is `MovieID::Title::Genres`, anything else the pipe-separated `u.item`.
 * @throws UsageError for a missing path or a folder without a movies file; DataError (file, line) for a bad row.
 */
export function readItemTitles(path: string): Map<string, string> {
  if (!existsSync(path)) throw new UsageError(`--items ${path}: no such file or directory`);
  let file = path;
  if (statSync(path).isDirectory()) {
    const found = MOVIES_FILES.map((n) => join(path, n)).find((p) => existsSync(p));
    if (!found) throw new UsageError(`--items ${path}: the folder holds no movies file (${MOVIES_FILES.join(', ')})`);
    file = found;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CollabError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const name = basename(file).toLowerCase();
  if (name.endsWith('.csv')) return new Map([...parseMovieLensCsvMovies(bytes, file)].map(([id, m]) => [id, m.title]));
  if (name.endsWith('.dat')) return new Map([...parseMovieLensDatMovies(bytes, file)].map(([id, m]) => [id, m.title]));
  return new Map(parseMovieLens100kItems(bytes, file).map((m) => [m.id, m.title]));
}
