// Repeated (user, item) pairs (issue 10): counted and reported, one row kept by policy, never silently doubled.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, UsageError } from '@collab-ts/core';
import { dataDirFromEnv } from '@collab-ts/core/node';
import { makeTmp } from '../test-helpers.js';
import { readDelimited } from '../node/read-delimited.js';
import { loadRatings } from '../node/load-ratings.js';
import { readMovieLens100k } from '../node/read-movielens-100k.js';
import { readMovieLensCsv } from '../node/read-movielens-csv.js';
import { readMovieLensDat } from '../node/read-movielens-dat.js';
import { parseDelimited } from './delimited.js';
import { parseMovieLens100k } from './movielens-100k.js';
import { dedupeRatings, formatDuplicates, _findDuplicates, _firstRepeat } from './dedupe.js';
import { Vocabulary } from '../vocabulary.js';
import type { RatingsDataset } from '../dataset.js';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

function rows(ds: RatingsDataset): [string, string, number, number | null][] {
  const r = ds.ratings;
  return Array.from(r.ratings, (v, i) => [ds.users.decode(r.users[i]), ds.items.decode(r.items[i]), v, r.timestamps ? r.timestamps[i] : null]);
}

// user 1 rates item 10 three times (timestamps 5, 9, 7), user 2 rates item 20 twice with equal timestamps
const TEXT = ['user,item,rating,timestamp', '1,10,1,5', '2,20,2,3', '1,10,4,9', '3,30,3,1', '1,10,2,7', '2,20,5,3', ''].join('\n');

describe('duplicate (user, item) pairs', () => {
  it("default 'last': the latest by timestamp (ties: the later row), counted in dataset.duplicates", () => {
    const ds = parseDelimited(TEXT);
    expect(rows(ds)).toEqual([
      ['1', '10', 4, 9],
      ['3', '30', 3, 1],
      ['2', '20', 5, 3],
    ]);
    expect(ds.duplicates).toEqual({ pairs: 2, dropped: 3, policy: 'last' });
    expect(ds.ratingRange).toEqual([3, 5]);
    expect(formatDuplicates(ds.duplicates!)).toBe('2 duplicate (user, item) pairs: kept the last by timestamp, dropped 3 rows');
  });

  it("'first': the earliest by timestamp (ties: the earlier row)", () => {
    expect(rows(parseDelimited(TEXT, { duplicates: 'first' }))).toEqual([
      ['1', '10', 1, 5],
      ['2', '20', 2, 3],
      ['3', '30', 3, 1],
    ]);
  });

  it("'mean': one row where the pair first occurs, mean rating, latest timestamp", () => {
    const ds = parseDelimited(TEXT, { duplicates: 'mean' });
    expect(rows(ds)).toEqual([
      ['1', '10', Math.fround(7 / 3), 9],
      ['2', '20', 3.5, 3],
      ['3', '30', 3, 1],
    ]);
    expect(ds.duplicates).toEqual({ pairs: 2, dropped: 3, policy: 'mean' });
  });

  it("without timestamps, 'last' and 'first' go by file order", () => {
    const text = 'u,i,r\na,x,1\nb,x,2\na,x,3\n';
    expect(rows(parseDelimited(text))).toEqual([
      ['b', 'x', 2, null],
      ['a', 'x', 3, null],
    ]);
    expect(rows(parseDelimited(text, { duplicates: 'first' }))).toEqual([
      ['a', 'x', 1, null],
      ['b', 'x', 2, null],
    ]);
  });

  it("'error': a DataError at file:line:column of the second occurrence", () => {
    const f = tmp.write('dups.csv', TEXT);
    let e: unknown;
    try {
      readDelimited(f, { duplicates: 'error' });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toBe(
      `${f}:4:1: duplicate (user, item) pair ("1", "10"): already rated on line 2; 2 pairs repeat in all (duplicates: 'first', 'last' or 'mean' keeps one)`,
    );
    // the column is the user field's; in memory as well
    expect(() => parseDelimited('item,user,rating\n5, 7,1\n6,7,1\n5,7,2\n', { duplicates: 'error', name: 'm' })).toThrow(
      /^m:4:3: duplicate \(user, item\) pair \("7", "5"\): already rated on line 2 \(duplicates/,
    );
    // line numbers count blank and skipped lines, and quoted rows
    const g = tmp.write('dups2.csv', 'user,item,rating\n"a",b,1\n\nbad\n"a","b",2\n');
    expect(() => readDelimited(g, { duplicates: 'error', skipBadRows: true })).toThrow(`${g}:5:1: duplicate (user, item) pair ("a", "b"): already rated on line 2`);
  });

  it('every reader and loadRatings apply the policy and report it', () => {
    tmp.write('ml100k/u.data', '1\t2\t3\t10\n1\t2\t5\t11\n2\t2\t4\t12\n');
    const a = loadRatings(`${tmp.dir}/ml100k`);
    expect(a.duplicates).toEqual({ pairs: 1, dropped: 1, policy: 'last' });
    expect(rows(a.dataset)).toEqual([
      ['1', '2', 5, 11],
      ['2', '2', 4, 12],
    ]);
    expect(() => readMovieLens100k(`${tmp.dir}/ml100k`, { duplicates: 'error' })).toThrow(/u\.data:2:1: duplicate/);
    expect(() => parseMovieLens100k({ 'u.data': new TextEncoder().encode('1\t2\t3\t10\n1\t2\t5\t11\n') }, { duplicates: 'error' })).toThrow(/^ml-100k\/u\.data:2:1: duplicate/);
    tmp.write('ml1m/ratings.dat', '1::2::3::10\n1::2::5::9\n');
    expect(readMovieLensDat(`${tmp.dir}/ml1m`).ratings.ratings[0]).toBe(3);
    expect(loadRatings(`${tmp.dir}/ml1m`, { duplicates: 'mean' }).dataset.ratings.ratings[0]).toBe(4);
    tmp.write('mll/ratings.csv', 'userId,movieId,rating,timestamp\n1,2,3.5,10\n1,2,4.5,10\n');
    expect(readMovieLensCsv(`${tmp.dir}/mll`, { duplicates: 'first' }).ratings.ratings[0]).toBe(3.5);
    expect(() => loadRatings(`${tmp.dir}/mll`, { duplicates: 'error' })).toThrow(/ratings\.csv:3:1: duplicate/);
    expect(loadRatings(`${tmp.dir}/ml100k/u.data`, { format: 'delimited', header: false }).duplicates).toEqual({ pairs: 1, dropped: 1, policy: 'last' });
  });

  it('rejects an unknown policy before reading', () => {
    expect(() => parseDelimited(TEXT, { duplicates: 'sum' as never })).toThrow(UsageError);
    expect(() => loadRatings(`${tmp.dir}/nope.csv`, { duplicates: 'keep' as never })).toThrow(/unknown duplicates policy "keep"|no such file/);
  });

  it('dedupeRatings works on datasets built in memory; scattered and grouped rows give the same answer', () => {
    const users = Int32Array.from([0, 1, 0, 2, 0, 1]);
    const items = Int32Array.from([0, 1, 0, 2, 0, 1]);
    const ds: RatingsDataset = {
      source: 'memory',
      ratings: { users, items, ratings: Float32Array.from([1, 2, 4, 3, 2, 5]), timestamps: Float64Array.from([5, 3, 9, 1, 7, 3]) },
      users: new Vocabulary('user', ['1', '2', '3']),
      items: new Vocabulary('item', ['10', '20', '30']),
      ratingRange: [1, 5],
    };
    expect(rows(dedupeRatings(ds))).toEqual(rows(parseDelimited(TEXT)));
    expect(dedupeRatings(ds, { policy: 'mean' }).duplicates).toEqual({ pairs: 2, dropped: 3, policy: 'mean' });
    expect(() => dedupeRatings(ds, { policy: 'error' })).toThrow('memory: duplicate (user, item) pair ("1", "10"): rows 1 and 3; 2 pairs repeat in all');
    // grouped by user, grouped by item, scattered: same counts
    expect(_findDuplicates(Int32Array.from([0, 0, 0, 1, 1, 2]), Int32Array.from([0, 0, 0, 1, 1, 2]), 3, 3)).toEqual({ pairs: 2, dropped: 3, firstRepeat: 1, path: 'user' });
    expect(_findDuplicates(Int32Array.from([0, 1, 0, 2, 1]), Int32Array.from([0, 0, 0, 1, 1]), 3, 2)).toEqual({ pairs: 1, dropped: 1, firstRepeat: 2, path: 'item' });
    expect(_findDuplicates(users, items, 3, 3)).toEqual({ pairs: 2, dropped: 3, firstRepeat: -1, path: 'scattered' });
    expect(_firstRepeat(users, items, 3, 3)).toBe(2);
    // no duplicates: the dataset comes back as it was, with a zero report
    const clean = parseDelimited('u,i,r\n1,1,1\n1,2,2\n2,1,3\n');
    expect(clean.duplicates).toEqual({ pairs: 0, dropped: 0, policy: 'last' });
    expect(dedupeRatings(clean).ratings).toBe(clean.ratings);
  });

  it('agrees with a Map-based reference on random data (all three code paths, every policy)', () => {
    let s = 99;
    const rnd = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s % n;
    };
    for (const sortBy of [null, 0, 1]) {
      const lines: string[] = [];
      for (let k = 0; k < 5000; k++) lines.push(`${rnd(60)},${rnd(80)},${rnd(5) + 1},${rnd(50)}`);
      // stable sorts: grouped by user, or by item, keeping file order within a group
      if (sortBy !== null) lines.sort((a, b) => Number(a.split(',')[sortBy]) - Number(b.split(',')[sortBy]));
      const parsed = lines.map((l) => l.split(',').map(Number));
      for (const policy of ['last', 'first', 'mean'] as const) {
        const keep = new Map<string, number[]>();
        parsed.forEach((p, k) => {
          const key = `${p[0]},${p[1]}`;
          keep.set(key, [...(keep.get(key) ?? []), k]);
        });
        const expected: [string, string, number, number][] = [];
        const kept = new Map<number, [number, number]>();
        for (const ks of keep.values()) {
          if (policy === 'mean') kept.set(ks[0], [Math.fround(ks.reduce((a, k) => a + parsed[k][2], 0) / ks.length), Math.max(...ks.map((k) => parsed[k][3]))]);
          else {
            let best = ks[0];
            for (const k of ks.slice(1)) if (policy === 'last' ? parsed[k][3] >= parsed[best][3] : parsed[k][3] < parsed[best][3]) best = k;
            kept.set(best, [parsed[best][2], parsed[best][3]]);
          }
        }
        parsed.forEach((p, k) => {
          const v = kept.get(k);
          if (v) expected.push([String(p[0]), String(p[1]), v[0], v[1]]);
        });
        const ds = parseDelimited(lines.join('\n'), { header: false, duplicates: policy });
        expect(rows(ds)).toEqual(expected);
        expect(ds.duplicates!.dropped).toBe(5000 - keep.size);
        expect(ds.duplicates!.pairs).toBe([...keep.values()].filter((ks) => ks.length > 1).length);
        const second = Math.min(...[...keep.values()].filter((ks) => ks.length > 1).map((ks) => ks[1]));
        expect(() => parseDelimited(lines.join('\n'), { header: false, duplicates: 'error', name: 'r' })).toThrow(new RegExp(`^r:${second + 1}:1: duplicate`));
      }
    }
  });
});

const dataDir = dataDirFromEnv();
if (!dataDir) console.warn('COLLAB_DATA_DIR is not set: skipping the MovieLens 100k duplicates check');
describe('MovieLens 100k', () => {
  it.skipIf(!dataDir)('has no duplicate (user, item) pairs', () => {
    const { dataset, duplicates } = loadRatings(join(dataDir!, 'ml-100k'), { duplicates: 'error' });
    expect(duplicates).toEqual({ pairs: 0, dropped: 0, policy: 'error' });
    expect(dataset.ratings.ratings.length).toBe(100_000);
  });
});
