import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DataError } from '@collab-ts/core';

/** A fresh temporary directory and a cleanup function (tests only). @internal */
export function makeTmp(prefix = 'collab-data-'): { dir: string; write: (name: string, data: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, data) {
      const path = join(dir, name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, data);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Latin-1 bytes of a string (tests only). @internal */
export function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** The u.item line of a fake MovieLens 100k movie (tests only). @internal */
export function uItemLine(id: number, title: string, genres: number[]): string {
  const flags = Array.from({ length: 19 }, (_, g) => (genres.includes(g) ? '1' : '0'));
  return [id, title, '01-Jan-1995', '', `http://example.org/${id}`, ...flags].join('|');
}

/** A small MovieLens-100k-shaped folder (tests only). @internal */
export function writeFake100k(write: (name: string, data: string | Uint8Array) => string, prefix = ''): void {
  write(`${prefix}u.data`, ['1\t10\t4\t881250949', '2\t10\t3\t881250950', '1\t2\t5\t881250951', '10\t2\t1\t881250952', '2\t9\t2\t881250953'].join('\n') + '\n');
  write(
    `${prefix}u.item`,
    latin1([uItemLine(2, 'GoldenEye (1995)', [1, 2]), uItemLine(9, 'Misérables, Les (1995)', [8]), uItemLine(10, 'Toy Story (1995)', [3, 4, 5])].join('\n') + '\n'),
  );
  write(`${prefix}u.user`, ['1|24|M|technician|85711', '2|53|F|other|94043', '10|30|M|writer|32067'].join('\n') + '\n');
}

/** Runs `fn`, expects a DataError and returns it (tests only). @internal */
export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError');
}
