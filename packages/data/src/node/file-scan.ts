import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError } from '@collab-ts/core';
import { RatingScanner, type ScanOptions, type ScanResult } from '../readers/scan.js';

/** Reads the first bytes of a file (enough for several lines). @internal */
export function readHead(path: string, bytes = 1 << 16): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'no such file' : `cannot open: ${(err as Error).message}`, { file: path });
  }
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
 * Runs the kernel over a file from byte `startByte`, reading it in large chunks (constant memory besides
 * the output columns, whose size is estimated from the file size after the first chunk).
 * @internal
 */
export function scanFile(path: string, options: ScanOptions, startByte = 0): ScanResult {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const scanner = new RatingScanner(options);
    let buf = new Uint8Array(Math.min(CHUNK, Math.max(1024, size - startByte + 1)));
    let have = 0;
    let filePos = startByte;
    let estimated = false;
    while (true) {
      const n = readSync(fd, buf, have, buf.length - have, filePos);
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
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
        continue;
      }
      buf.copyWithin(0, consumed, have);
      have -= consumed;
    }
    return scanner.finish();
  } finally {
    closeSync(fd);
  }
}
