import { openSync } from 'node:fs';
import { DataError } from '@collab-ts/core';

/**
 * Opens `path` for reading; a missing or unreadable file is a `DataError` naming it. Returns the descriptor,
 * which the caller closes. @internal
 */
export function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'no such file' : `cannot open: ${(err as Error).message}`, { file: path });
  }
}
