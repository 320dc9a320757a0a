// --data takes Parquet (issue 13): a file or a folder of part files, with the same column options as CSV and the
// same dataset for the same rows; damaged or unusable files fail with one line and exit 1. Async child processes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '@collab-ts/tooling/test/process';
import { encodeParquet, parseDelimited } from '@collab-ts/data';
import { writeParquetParts, writeRatingsParquet } from '@collab-ts/data/node';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'collab-cli-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runProcess(process.execPath, [BIN, ...args], { timeout: 120_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

// 40 users x 6 items with named columns the defaults do not know, and half-star ratings
const lines = ['customer,product,stars,ts'];
for (let u = 1; u <= 40; u++) for (let i = 0; i < 6; i++) lines.push(`c${u},${100 + ((u * 7 + i * 3) % 50)},${0.5 * (1 + ((u + i) % 10))},${1e9 + u * 10 + i}`);
const csv = join(dir, 'interactions.csv'); // not ratings.csv, which is read as MovieLens
writeFileSync(csv, lines.join('\n') + '\n');
const ds = parseDelimited(lines.join('\n'), { user: 'customer', item: 'product', rating: 'stars' });
const names = { user: 'customer', item: 'product', rating: 'stars', timestamp: 'ts' };
const pq = join(dir, 'ratings.parquet');
writeRatingsParquet(ds.ratings, ds, pq, { names });
const parts = join(dir, 'exported');
writeParquetParts(parts, [
  { name: 'customer', type: 'string', data: Array.from(ds.ratings.users, (u) => ds.users.decode(u)) },
  { name: 'product', type: 'int', data: Array.from(ds.ratings.items, (i) => Number(ds.items.decode(i))) },
  { name: 'stars', type: 'double', data: Float64Array.from(ds.ratings.ratings) },
  { name: 'ts', type: 'long', data: Array.from(ds.ratings.timestamps!) },
], { parts: 3 });
const cols = ['--user-col', 'customer', '--item-col', 'product', '--rating-col', 'stars'];

describe('--data with Parquet', () => {
  it('info reads a Parquet file and a folder of part files as it reads the same rows from CSV', async () => {
    const [a, b, c] = await Promise.all([collab('info', '--data', csv, ...cols, '--json'), collab('info', '--data', pq, ...cols, '--json'), collab('info', '--data', parts, ...cols, '--json')]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    const strip = (s: string): unknown => ({ ...JSON.parse(s), source: undefined });
    expect(JSON.parse(a.stdout)).toMatchObject({ ratings: 240, users: 40, has_timestamps: true });
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    expect(strip(c.stdout)).toEqual(strip(a.stdout));
    expect([JSON.parse(b.stdout).source, JSON.parse(c.stdout).source]).toEqual([pq, parts]);
  });

  it('train takes --data ratings.parquet with --format parquet and column positions', async () => {
    const r = await collab('train', '--data', pq, '--format', 'parquet', '--user-col', '0', '--item-col', '1', '--rating-col', '2', '--model', 'dot-bias', '--epochs', '1', '--out', join(dir, 'model'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'))).toBeTruthy();
  });

  it('a damaged file, a missing column and a text rating column: one line naming the file, exit 1', async () => {
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, readFileSync(pq).subarray(0, 100));
    const text = join(dir, 'text.parquet');
    writeFileSync(text, encodeParquet([{ name: 'userId', type: 'int', data: [1, 2] }, { name: 'movieId', type: 'int', data: [1, 2] }, { name: 'rating', type: 'string', data: ['4', 'x'] }]));
    const [damaged, missing, nonNumeric, delimiter] = await Promise.all([
      collab('info', '--data', cut),
      collab('info', '--data', pq, '--user-col', 'customer', '--item-col', 'sku'),
      collab('info', '--data', text),
      collab('info', '--data', pq, ...cols, '--delimiter', ';'),
    ]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr.trim()).toMatch(new RegExp(`^collab: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable Parquet file \\(.*\\)$`));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ratings\.parquet: no column named "sku" for item \(columns: customer, product, stars, ts\)/);
    expect(nonNumeric.code).toBe(1);
    expect(nonNumeric.stderr).toMatch(/text\.parquet: column "rating" \(rating\) holds string values, not numbers/);
    expect(delimiter.code).toBe(2);
    for (const r of [damaged, missing, nonNumeric]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
