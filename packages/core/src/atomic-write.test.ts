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
    writeFileSync(join(d, 'weights.bin'), 'legacy');
    const names = writeFilesAtomic(d, { 'weights.bin': new Uint8Array([1, 2]) }, { name: 'model.json', build: (n) => JSON.stringify({ weights: n['weights.bin'] }) });
    expect(names['weights.bin']).toMatch(/^weights\.[0-9a-z]+\.bin$/);
    // the user's own file stays; the unreferenced legacy payload and the lock are gone
    expect(readdirSync(d).sort()).toEqual(['model.json', names['weights.bin'], 'stale.bin'].sort());
    expect(JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')).weights).toBe(names['weights.bin']);
    const again = writeFilesAtomic(d, { 'weights.bin': new Uint8Array([3]) }, { name: 'model.json', build: (n) => JSON.stringify({ weights: n['weights.bin'] }) });
    expect(readdirSync(d).sort()).toEqual(['model.json', again['weights.bin'], 'stale.bin'].sort());
    expect(readdirSync(root)).toEqual(['model']);
  });
});
