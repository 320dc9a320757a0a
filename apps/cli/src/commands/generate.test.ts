import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { movieLens25mShape } from '@collab-ts/data';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

describe('collab generate', () => {
  it('scales MovieLens 25M\'s shape to the number of ratings', () => {
    expect(movieLens25mShape(25_000_095)).toEqual({ users: 162_541, items: 59_047 });
    const s = movieLens25mShape(1_000_000);
    expect(s.users).toBe(6502);
    expect(s.users * s.items).toBeGreaterThan(1_500_000);
  });

  it('writes the same seeded file twice, with the asked-for counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-'));
    for (const name of ['a.csv', 'b.csv']) await run(process.execPath, [BIN, 'generate', '--ratings', '500', '--users', '20', '--items', '30', '--seed', '3', '--out', join(dir, name), '-q']);
    const a = readFileSync(join(dir, 'a.csv'), 'utf8');
    expect(a).toBe(readFileSync(join(dir, 'b.csv'), 'utf8'));
    const lines = a.trim().split('\n');
    expect(lines[0]).toBe('userId,movieId,rating,timestamp');
    expect(lines.length).toBe(501);
    const { stdout } = await run(process.execPath, [BIN, 'info', '--data', join(dir, 'a.csv'), '--json']);
    const info = JSON.parse(stdout);
    expect(JSON.stringify(info)).toMatch(/500/);
  });
});
