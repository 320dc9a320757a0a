import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from './atomic-write.js';

describe('atomic writes', () => {
  it('replaces a file and leaves no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-'));
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('keeps the old file when the write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-'));
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    // a directory where the temp file should go makes the write fail midway
    expect(() => writeFileAtomic(join(dir, 'a.json', 'x'), 'new')).toThrow();
    expect(readFileSync(f, 'utf8')).toBe('old');
  });

  it('swaps a whole directory of files', () => {
    const root = mkdtempSync(join(tmpdir(), 'aw-'));
    const d = join(root, 'model');
    mkdirSync(d);
    writeFileSync(join(d, 'stale.bin'), 'x');
    writeFilesAtomic(d, { 'model.json': '{}', 'weights.bin': new Uint8Array([1, 2]) });
    expect(readdirSync(d).sort()).toEqual(['model.json', 'weights.bin']);
    expect(readdirSync(root)).toEqual(['model']);
  });
});
