import { closeSync, existsSync, fstatSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@collab-ts/core';
import type { ParquetSource } from '../parquet/source.js';
import { openForReading } from './open-file.js';

/** Whether a folder entry is a data file of a Parquet table (Spark's `_SUCCESS`, `.crc` and dot/underscore files are not). */
function isPartFile(name: string): boolean {
  return name.endsWith('.parquet') && !name.startsWith('.') && !name.startsWith('_');
}

/**
 * The Parquet part files of a folder, sorted by name (`part-00000-...parquet`, as Spark and DuckDB write
 * them); `_SUCCESS`, `_metadata`, `.crc` and other dot or underscore files are ignored. Empty when there are none.
 */
export function parquetParts(dir: string): string[] {
  return readdirSync(dir)
    .filter(isPartFile)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/** Whether a path names a Parquet file (by extension) or a folder holding Parquet part files. */
export function isParquetPath(path: string): boolean {
  const st = statSync(path);
  if (st.isDirectory()) return parquetParts(path).length > 0;
  return path.toLowerCase().endsWith('.parquet');
}

/**
 * A file as a {@link ParquetSource} read on demand: only the footer and the column chunks asked for are
 * read, so memory does not grow with the file. Call `close` when done.
 */
export function fileSource(path: string): ParquetSource & { close(): void } {
  const fd = openForReading(path);
  const byteLength = fstatSync(fd).size;
  return {
    name: path,
    file: {
      byteLength,
      slice(start: number, end = byteLength): ArrayBuffer {
        const s = Math.max(0, start < 0 ? byteLength + start : start);
        const e = Math.min(byteLength, end < 0 ? byteLength + end : end);
        const buf = new Uint8Array(Math.max(0, e - s));
        let got = 0;
        while (got < buf.length) {
          const n = readSync(fd, buf, got, buf.length - got, s + got);
          if (n === 0) break;
          got += n;
        }
        return buf.buffer;
      },
    },
    close: () => closeSync(fd),
  };
}

/** The sources of a Parquet file, or of every part file of a folder (a folder without any is an error). */
export function parquetSources(path: string): (ParquetSource & { close(): void })[] {
  if (!existsSync(path)) throw new DataError('no such file or directory', { file: path });
  const files = statSync(path).isDirectory() ? parquetParts(path) : [path];
  if (files.length === 0) throw new DataError('folder holds no Parquet part files (*.parquet)', { file: path });
  const out: (ParquetSource & { close(): void })[] = [];
  try {
    for (const f of files) out.push(fileSource(f));
  } catch (err) {
    for (const s of out) s.close();
    throw err;
  }
  return out;
}
