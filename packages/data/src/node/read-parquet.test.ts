import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollabError, DataError, UsageError } from '@collab-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RatingsDataset } from '../dataset.js';
import { encodeParquet, type ParquetColumn } from '../parquet/encode.js';
import { generateSynthetic } from '../synthetic/generate.js';
import { Vocabulary } from '../vocabulary.js';
import { makeTmp } from '../test-helpers.js';
import { detectFormat, loadRatings, loadRatingsAsync } from './load-ratings.js';
import { readParquet } from './read-parquet.js';
import { writeRatingsCsv } from './write-csv.js';
import { writeParquetParts, writeRatingsParquet } from './write-parquet.js';

const tmp = makeTmp('collab-read-parquet-');
afterAll(() => tmp.cleanup());
const fixture = (name: string): string => fileURLToPath(new URL(`../parquet/fixtures/${name}`, import.meta.url));

/** Everything a reader decides: columns, vocabularies, range, duplicates. */
function summary(ds: RatingsDataset): unknown {
  const r = ds.ratings;
  return {
    users: Array.from(r.users),
    items: Array.from(r.items),
    ratings: Array.from(r.ratings),
    timestamps: r.timestamps ? Array.from(r.timestamps) : null,
    userIds: ds.users.rawIds,
    itemIds: ds.items.rawIds,
    range: ds.ratingRange,
    duplicates: ds.duplicates,
  };
}

/** Bytes of a small Parquet file. */
function parquet(name: string, columns: ParquetColumn[]): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, encodeParquet(columns));
  return path;
}

// 3,000 synthetic half-star ratings, then a repeated pair so the duplicates policy has work to do
const { dataset: synth } = generateSynthetic({ users: 60, items: 90, ratings: 3000, seed: 7, step: 0.5, titles: false });
const rows = {
  users: Int32Array.from([...synth.ratings.users, 5]),
  items: Int32Array.from([...synth.ratings.items, synth.ratings.items[0]]),
  ratings: Float32Array.from([...synth.ratings.ratings, 2.5]),
  timestamps: Float64Array.from([...synth.ratings.timestamps!, 2e9]),
};

describe('Parquet and CSV give the same dataset for the same rows', () => {
  it('with integer ids (the written order is shuffled relative to the vocabulary)', async () => {
    const csv = join(tmp.dir, 'same.csv');
    const pq = join(tmp.dir, 'same.parquet');
    writeRatingsCsv(rows, synth, csv);
    writeRatingsParquet(rows, synth, pq, { rowGroupSize: 700 });
    const fromCsv = loadRatings(csv);
    const fromParquet = await loadRatingsAsync(pq);
    expect(fromParquet.format).toBe('parquet');
    expect(fromParquet.dataset.ratings.ratings.length).toBe(3000);
    expect(fromParquet.duplicates).toEqual({ pairs: 1, dropped: 1, policy: 'last' });
    expect(summary(fromParquet.dataset)).toEqual(summary(fromCsv.dataset));
  });

  it('with text ids and the first-duplicate policy', async () => {
    const relabel = (v: Vocabulary, p: string): Vocabulary => new Vocabulary(v.kind, v.rawIds.map((id) => `${p}${id}`));
    const vocabs = { users: relabel(synth.users, 'u-'), items: relabel(synth.items, 'movie ') };
    const csv = join(tmp.dir, 'text.csv');
    const pq = join(tmp.dir, 'text.parquet');
    writeRatingsCsv(rows, vocabs, csv);
    writeRatingsParquet(rows, vocabs, pq);
    const a = loadRatings(csv, { duplicates: 'first' });
    const b = await loadRatingsAsync(pq, { duplicates: 'first' });
    expect(b.dataset.users.rawIds[0]).toMatch(/^u-/);
    expect(summary(b.dataset)).toEqual(summary(a.dataset));
  });

  it('from a folder of part files (Spark/DuckDB style: _SUCCESS, .crc and hidden files ignored)', async () => {
    const dir = join(tmp.dir, 'parts');
    writeParquetParts(dir, [
      { name: 'userId', type: 'int', data: Int32Array.from(rows.users, (u) => Number(synth.users.decode(u))) },
      { name: 'movieId', type: 'long', data: Array.from(rows.items, (i) => Number(synth.items.decode(i))) },
      { name: 'rating', type: 'double', data: Float64Array.from(rows.ratings) },
      { name: 'timestamp', type: 'long', data: Array.from(rows.timestamps) },
    ], { parts: 3 });
    writeFileSync(join(dir, '.part-00000.snappy.parquet.crc'), 'not parquet');
    writeFileSync(join(dir, '_committed_123'), 'not parquet');
    expect(detectFormat(dir)).toEqual({ format: 'parquet', dir: null });
    const fromParts = await loadRatingsAsync(dir);
    expect(fromParts.dataset.source).toBe(dir);
    expect(summary(fromParts.dataset)).toEqual(summary(loadRatings(join(tmp.dir, 'same.csv')).dataset));
  });

  it('reads files a real engine wrote (DuckDB: every column OPTIONAL, a BIGINT item id, a DOUBLE rating)', async () => {
    const ds = await readParquet(fixture('duckdb-ratings.parquet'));
    const csv = tmp.write('duck.csv', 'userId,movieId,rating,timestamp\n1,10,4,881250949\n2,10,3.5,881250950\n1,7,5,881250951\n30,7,1,881250952\n');
    expect(summary(ds)).toEqual(summary(loadRatings(csv).dataset));
  });
});

describe('column options, as for CSV', () => {
  const path = parquet('named.parquet', [
    { name: 'when', type: 'double', data: [1.5, 2.5, 3.5] },
    { name: 'Customer_ID', type: 'string', data: ['ann', 'bob', 'ann'] },
    { name: 'sku', type: 'string', data: ['x', 'x', 'y'] },
    { name: 'stars', type: 'int', data: [5, 3, 4] },
  ]);

  it('takes names (case-insensitive), positions and no timestamp', async () => {
    const ds = await readParquet(path, { user: 'customer_id', item: 2, rating: 'stars', timestamp: 'when' });
    expect(ds.users.rawIds).toEqual(['ann', 'bob']);
    expect(ds.items.rawIds).toEqual(['x', 'y']);
    expect(Array.from(ds.ratings.ratings)).toEqual([5, 3, 4]);
    expect(Array.from(ds.ratings.timestamps!)).toEqual([1.5, 2.5, 3.5]);
    const noTime = await readParquet(path, { user: 1, item: 'sku', rating: 3, timestamp: null });
    expect(noTime.ratings.timestamps).toBeNull();
  });

  it('names a missing column, a column out of range, and a column used twice', async () => {
    await expect(readParquet(path, { user: 'customer_id', item: 'product', rating: 'stars' })).rejects.toThrow(`${path}: no column named "product" for item (columns: when, Customer_ID, sku, stars)`);
    await expect(readParquet(path, { user: 9 })).rejects.toThrow(/no column at position 9 for user: the file has 4 columns/);
    await expect(readParquet(path, { user: 'sku', item: 'sku', rating: 'stars' })).rejects.toThrow(UsageError);
    // by default Customer_ID is the user (a known name), so position 1 cannot stand in for the item
    await expect(readParquet(path)).rejects.toThrow(`${path}: no item column (looked for item/itemid/item_id; columns: when, Customer_ID, sku, stars)`);
  });

  it('refuses a delimiter, which only text files have', async () => {
    await expect(readParquet(path, { delimiter: ';' })).rejects.toThrow(UsageError);
  });
});

describe('bad Parquet input: one line naming the file (and row and column), exit code 1', () => {
  async function failure(p: Promise<unknown>): Promise<CollabError> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as CollabError).exitCode).toBe(1);
    expect((err as Error).message).not.toContain('\n');
    return err as CollabError;
  }
  const good = readFileSync(fixture('duckdb-ratings.parquet'));

  it('a damaged file: truncated, garbage with a .parquet name, a flipped byte in a page', async () => {
    const cut = tmp.write('cut.parquet', good.subarray(0, good.length - 30));
    expect((await failure(readParquet(cut))).message).toMatch(new RegExp(`^${cut}: not a readable Parquet file \\(`));
    const junk = tmp.write('junk.parquet', 'userId,movieId,rating\n1,2,3\n');
    expect((await failure(loadRatingsAsync(junk))).message).toMatch(/junk\.parquet: not a readable Parquet file/);
    const flipped = Uint8Array.from(good);
    for (let k = 8; k < 60; k++) flipped[k] ^= 0xff; // the first column chunk's page header and data
    const bad = tmp.write('flipped.parquet', flipped);
    expect((await failure(readParquet(bad))).message).toMatch(/flipped\.parquet: not a readable Parquet file \(/);
  });

  it('a non-numeric rating column', async () => {
    const p = parquet('text-rating.parquet', [
      { name: 'userId', type: 'int', data: [1, 2] },
      { name: 'movieId', type: 'int', data: [1, 1] },
      { name: 'rating', type: 'string', data: ['4', 'five'] },
    ]);
    expect((await failure(readParquet(p))).message).toBe(`${p}: column "rating" (rating) holds string values, not numbers: the rating column must be numeric (int, long, float, double or decimal)`);
  });

  it('null and non-finite ratings and null ids, with their row; skipBadRows counts them instead', async () => {
    const p = parquet('holes.parquet', [
      { name: 'userId', type: 'int', data: [1, 2, null, 4, 5, 6], nullable: true },
      { name: 'movieId', type: 'int', data: [1, 1, 1, 1, 1, 2] },
      { name: 'rating', type: 'float', data: [4, NaN, 3, null, Infinity, 2], nullable: true },
    ]);
    expect((await failure(readParquet(p))).message).toBe(`${p}: row 2, column "rating": rating NaN is not finite`);
    const ds = await readParquet(p, { skipBadRows: true });
    expect(ds.skipped).toEqual({
      count: 4,
      examples: [
        `${p}: row 2, column "rating": rating NaN is not finite`,
        `${p}: row 3, column "userId": user id is null`,
        `${p}: row 4, column "rating": rating is null`,
        `${p}: row 5, column "rating": rating Infinity is not finite`,
      ],
    });
    // the users of skipped rows do not enter the vocabulary
    expect(ds.users.rawIds).toEqual(['1', '6']);
    const loaded = await loadRatingsAsync(p, { skipBadRows: true });
    expect(loaded.skipped).toBe(4);
  });

  it('a part file whose column type differs from the first part', async () => {
    const dir = join(tmp.dir, 'mixed');
    writeParquetParts(dir, [{ name: 'userId', type: 'int', data: [1] }, { name: 'movieId', type: 'int', data: [1] }, { name: 'rating', type: 'float', data: [3] }]);
    writeFileSync(join(dir, 'part-00001.snappy.parquet'), encodeParquet([{ name: 'userId', type: 'int', data: [2] }, { name: 'movieId', type: 'int', data: [1] }, { name: 'rating', type: 'string', data: ['x'] }]));
    expect((await failure(readParquet(dir))).message).toContain(`${join(dir, 'part-00001.snappy.parquet')}: column "rating" (rating) holds string values`);
  });

  it('repeated pairs with duplicates: error, and a folder without part files', async () => {
    const p = join(tmp.dir, 'same.parquet');
    expect((await failure(readParquet(p, { duplicates: 'error' }))).message).toMatch(/duplicate \(user, item\) pair .*rows \d+ and 3001/);
    const empty = join(tmp.dir, 'empty-dir');
    writeParquetParts(empty, [{ name: 'a', type: 'int', data: [1] }]);
    writeFileSync(join(empty, 'part-00000.snappy.parquet'), '');
    expect((await failure(readParquet(empty))).message).toMatch(/part-00000\.snappy\.parquet: not a readable Parquet file \(it is empty\)$/);
    const none = join(tmp.dir, 'no-parts');
    writeParquetParts(none, [{ name: 'a', type: 'int', data: [1] }]);
    writeFileSync(join(none, 'part-00000.snappy.parquet.txt'), '');
    rmSync(join(none, 'part-00000.snappy.parquet'));
    expect((await failure(readParquet(none))).message).toBe(`${none}: folder holds no Parquet part files (*.parquet)`);
    expect((await failure(readParquet(join(none, 'missing.parquet')))).message).toMatch(/missing\.parquet: no such file or directory$/);
  });
});

describe('format detection and the synchronous loader', () => {
  it('detects Parquet by extension or by its magic bytes, and loadRatings points to the async loader', async () => {
    const noExt = tmp.write('ratings.data', readFileSync(fixture('duckdb-ratings.parquet')));
    expect(detectFormat(noExt)).toEqual({ format: 'parquet', dir: null });
    expect((await loadRatingsAsync(noExt)).dataset.ratings.ratings.length).toBe(4);
    expect(() => loadRatings(noExt)).toThrow(/parquet is read asynchronously: use loadRatingsAsync or openRatings/);
    const named = await loadRatingsAsync(noExt, { format: 'parquet' });
    expect(named.format).toBe('parquet');
  });
});
