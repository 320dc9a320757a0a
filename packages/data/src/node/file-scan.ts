import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { openForReading } from './open-file.js';
import type { RowLocator } from '../readers/dedupe.js';
import { LocateDone, RatingScanner, type ScanOptions, type ScanResult } from '../readers/scan.js';

/** Reads the first bytes of a file (enough for several lines). @internal */
export function readHead(path: string, bytes = 1 << 16): Uint8Array {
  const fd = openForReading(path);
  try {
    const buf = new Uint8Array(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 1 << 22;

/**
 * What the last {@link scanFile} / {@link locateInFile} read (tests check that an overlong line stops the
 * read early, without timing anything). @internal
 */
export const lastFileScan = { bytesRead: 0, reads: 0 };

/**
 * Feeds a file to the kernel from byte `startByte` in large chunks: memory stays bounded by the chunk size
 * (or the longest line, itself capped by `maxLineBytes`) besides the output columns, whose size is
 * estimated from the file size after the first chunk.
 */
function feedFile(path: string, scanner: RatingScanner, startByte: number, estimate: boolean): void {
  lastFileScan.bytesRead = 0;
  lastFileScan.reads = 0;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let buf = new Uint8Array(Math.min(CHUNK, Math.max(1024, size - startByte + 1)));
    let have = 0;
    let filePos = startByte;
    let estimated = !estimate;
    while (true) {
      const n = readSync(fd, buf, have, buf.length - have, filePos);
      lastFileScan.reads++;
      lastFileScan.bytesRead += n;
      if (n === 0) {
        scanner.push(buf, 0, have, true);
        break;
      }
      filePos += n;
      have += n;
      const consumed = scanner.push(buf, 0, have, false);
      if (!estimated && scanner.count > 0 && consumed > 0) {
        estimated = true;
        const perRow = consumed / scanner.count;
        scanner.reserve(Math.ceil(((size - startByte) / perRow) * 1.02) + 1024);
      }
      if (consumed === 0 && have === buf.length) {
        // one line fills the buffer (the kernel has already failed if it is over maxLineBytes)
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
        continue;
      }
      buf.copyWithin(0, consumed, have);
      have -= consumed;
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs the kernel over a file from byte `startByte`, reading it in chunks. @internal */
export function scanFile(path: string, options: ScanOptions, startByte = 0): ScanResult {
  const scanner = new RatingScanner(options);
  feedFile(path, scanner, startByte, true);
  return scanner.finish();
}

/** {@link locateInBytes} for a file: line and column of stored rows, by scanning it again. @internal */
export function locateInFile(path: string, options: ScanOptions, startByte: number, rows: readonly number[]): { line: number; column: number }[] {
  if (rows.length === 0) return [];
  const scanner = new RatingScanner({ ...options, locateRows: rows }, 1024);
  try {
    feedFile(path, scanner, startByte, false);
  } catch (err) {
    if (!(err instanceof LocateDone)) throw err;
  }
  return scanner.located;
}

/** A {@link RowLocator} over a file. @internal */
export function fileLocator(path: string, options: ScanOptions, startByte: number): RowLocator {
  return (rows) => locateInFile(path, options, startByte, rows).map((p) => ({ file: options.file, ...p }));
}
