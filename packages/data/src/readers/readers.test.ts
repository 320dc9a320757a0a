import { afterAll, describe, expect, it } from 'vitest';
import { makeTmp, latin1, writeFake100k } from '../test-helpers.js';
import { readMovieLens100k, readMovieLens100kUsers, movieLens100kItems } from '../node/read-movielens-100k.js';
import { readMovieLensDat } from '../node/read-movielens-dat.js';
import { readMovieLensCsv } from '../node/read-movielens-csv.js';
import { parseDelimited } from './delimited.js';
import { readDelimited } from '../node/read-delimited.js';
import { loadRatings } from '../node/load-ratings.js';
import type { RatingsDataset } from '../dataset.js';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

/** Raw (user, item, rating) triples of a dataset, decoded through its vocabularies. */
function triples(ds: RatingsDataset): [string, string, number][] {
  const r = ds.ratings;
  return Array.from(r.ratings, (v, i) => [ds.users.decode(r.users[i]), ds.items.decode(r.items[i]), v]);
}

describe('readMovieLens100k', () => {
  writeFake100k(tmp.write, 'ml100k/');
  const dir = `${tmp.dir}/ml100k`;

  it('reads u.data into sorted vocabularies with timestamps', () => {
    const ds = readMovieLens100k(dir);
    expect(ds.users.rawIds).toEqual(['1', '2', '10']);
    expect(ds.items.rawIds).toEqual(['2', '9', '10']);
    expect(triples(ds)).toEqual([
      ['1', '10', 4],
      ['2', '10', 3],
      ['1', '2', 5],
      ['10', '2', 1],
      ['2', '9', 2],
    ]);
    expect(Array.from(ds.ratings.timestamps!)).toEqual([881250949, 881250950, 881250951, 881250952, 881250953]);
    expect(ds.ratingRange).toEqual([1, 5]);
    expect(ds.skipped).toEqual({ count: 0, examples: [] });
  });

  it('attaches latin-1 titles from u.item', () => {
    const ds = readMovieLens100k(dir);
    expect(ds.items.title(ds.items.encode(10))).toBe('Toy Story (1995)');
    expect(ds.items.title(ds.items.encode(9))).toBe('Misérables, Les (1995)');
  });

  it('exposes u.item and u.user as arquero tables', () => {
    const items = movieLens100kItems(dir);
    expect(items.columnNames()).toEqual(['id', 'title', 'release_date', 'genres', 'url']);
    expect(items.objects()[2]).toMatchObject({ id: 10, title: 'Toy Story (1995)', genres: "Animation|Children's|Comedy" });
    const users = readMovieLens100kUsers(dir);
    expect(users.numRows()).toBe(3);
    expect(users.objects()[1]).toEqual({ id: 2, age: 53, gender: 'F', occupation: 'other', zip: '94043' });
  });
});

describe('readMovieLensDat (1M / 10M layout)', () => {
  it('reads :: separated ratings and latin-1 movies.dat', () => {
    tmp.write('ml1m/ratings.dat', '1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n');
    tmp.write('ml1m/movies.dat', latin1('661::James and the Giant Peach (1996)::Animation|Children\'s\n1193::Misérables (1995)::Drama\n'));
    const ds = readMovieLensDat(`${tmp.dir}/ml1m`);
    expect(ds.items.rawIds).toEqual(['661', '1193']);
    expect(triples(ds)).toEqual([
      ['1', '1193', 5],
      ['1', '661', 3],
      ['2', '1193', 4],
    ]);
    expect(ds.items.title(1)).toBe('Misérables (1995)');
  });

  it('reads UTF-8 movies.dat (10M) when valid UTF-8', () => {
    tmp.write('ml10m/ratings.dat', '1::122::5::838985046\n');
    tmp.write('ml10m/movies.dat', '122::Amélie (2001)::Comedy\n');
    expect(readMovieLensDat(`${tmp.dir}/ml10m`).items.title(0)).toBe('Amélie (2001)');
  });
});

describe('readMovieLensCsv (latest / 25M layout)', () => {
  it('reads half-star ratings and quoted titles with commas', () => {
    tmp.write('mllatest/ratings.csv', 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,3,0.5,964982224\n');
    tmp.write('mllatest/movies.csv', 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n3,"American President, The (1995)",Comedy|Drama|Romance\n');
    const ds = readMovieLensCsv(`${tmp.dir}/mllatest`);
    expect(triples(ds)).toEqual([
      ['1', '1', 4],
      ['1', '3', 4.5],
      ['2', '3', 0.5],
    ]);
    expect(ds.items.title(ds.items.encode(3))).toBe('American President, The (1995)');
    expect(ds.ratingRange).toEqual([0.5, 4.5]);
  });
});

describe('readDelimited', () => {
  it('reads string ids with named columns in any order', () => {
    const f = tmp.write('named.csv', 'stars,when,customer,product\n5,100,alice,"Book, The"\n3,101,bob,lamp\n4,102,alice,lamp\n');
    const ds = readDelimited(f, { user: 'customer', item: 'product', rating: 'stars', timestamp: 'when' });
    expect(ds.users.rawIds).toEqual(['alice', 'bob']);
    expect(ds.items.rawIds).toEqual(['Book, The', 'lamp']);
    expect(triples(ds)).toEqual([
      ['alice', 'Book, The', 5],
      ['bob', 'lamp', 3],
      ['alice', 'lamp', 4],
    ]);
    expect(Array.from(ds.ratings.timestamps!)).toEqual([100, 101, 102]);
  });

  it('finds default column names (user_id, item_id, rating) and sorts numeric ids numerically', () => {
    const f = tmp.write('defaults.tsv', 'item_id\tuser_id\trating\n10\t9\t1\n9\t10\t2\n100\t1\t3\n');
    const ds = readDelimited(f);
    expect(ds.users.rawIds).toEqual(['1', '9', '10']);
    expect(ds.items.rawIds).toEqual(['9', '10', '100']);
    expect(ds.ratings.timestamps).toBeNull();
    expect(triples(ds)).toEqual([
      ['9', '10', 1],
      ['10', '9', 2],
      ['1', '100', 3],
    ]);
  });

  it('reads positional columns without a header, ; and | separators, CRLF and a BOM', () => {
    const f1 = tmp.write('semi.txt', '\ufeff7;3;2.5\r\n8;3;4\r\n');
    const a = readDelimited(f1);
    expect(triples(a)).toEqual([
      ['7', '3', 2.5],
      ['8', '3', 4],
    ]);
    const f2 = tmp.write('pipe.txt', 'x|u1|i1|5\nx|u2|i1|4\n');
    const b = readDelimited(f2, { header: false, user: 1, item: 2, rating: 3, timestamp: null });
    expect(triples(b)).toEqual([
      ['u1', 'i1', 5],
      ['u2', 'i1', 4],
    ]);
  });

  it('keeps ids with leading zeros distinct and mixes numeric and text ids', () => {
    const ds = parseDelimited('u,i,r\n007,1,1\n7,1,2\nabc,1,3\n');
    expect(new Set(ds.users.rawIds)).toEqual(new Set(['007', '7', 'abc']));
    expect(triples(ds).map((t) => t[0])).toEqual(['007', '7', 'abc']);
  });

  it('agrees with a plain split() parser on a file larger than one read chunk', () => {
    const lines = ['user,item,rating,timestamp'];
    let s = 12345;
    const rnd = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s % n;
    };
    // distinct (user, item) pairs: repeats would be deduplicated (tested in duplicates.test.ts)
    const seen = new Set<string>();
    for (let k = 0; lines.length <= 260_000; k++) {
      const pair = `${rnd(5000) + 1},${rnd(3000) + 1}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      lines.push(`${pair},${(rnd(10) + 1) / 2},${1_000_000_000 + k}`);
    }
    const f = tmp.write('big.csv', lines.join('\n') + '\n');
    const ds = readDelimited(f);
    expect(ds.ratings.ratings.length).toBe(260_000);
    for (const k of [0, 1, 99_999, 150_000, 170_001, 259_999]) {
      const [u, i, r, t] = lines[k + 1].split(',');
      expect(ds.users.decode(ds.ratings.users[k])).toBe(u);
      expect(ds.items.decode(ds.ratings.items[k])).toBe(i);
      expect(ds.ratings.ratings[k]).toBe(Number(r));
      expect(ds.ratings.timestamps![k]).toBe(Number(t));
    }
    const numericSorted = ds.users.rawIds.every((id, k, a) => k === 0 || Number(a[k - 1]) < Number(id));
    expect(numericSorted).toBe(true);
  });
});

describe('readDelimited with many text ids', () => {
  it('maps every distinct text id once, across read chunks and table growth', () => {
    const lines = ['user\titem\trating'];
    let s = 777;
    const rnd = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s % n;
    };
    const seen = new Set<string>();
    while (lines.length <= 200_000) {
      const pair = `user-${rnd(40_000).toString(36)}\tit\u00e9m_${rnd(9000)}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      lines.push(`${pair}\t${rnd(5) + 1}`);
    }
    const f = tmp.write('text-ids.tsv', lines.join('\n'));
    const ds = readDelimited(f);
    const users = new Set(lines.slice(1).map((l) => l.split('\t')[0]));
    expect(ds.users.size).toBe(users.size);
    expect([...ds.users.rawIds].sort()).toEqual([...users].sort());
    for (const k of [0, 5, 123_456, 199_999]) {
      const [u, i, r] = lines[k + 1].split('\t');
      expect([ds.users.decode(ds.ratings.users[k]), ds.items.decode(ds.ratings.items[k]), ds.ratings.ratings[k]]).toEqual([u, i, Number(r)]);
    }
  });

  it('reads latin-1 text ids when told the encoding', () => {
    const f = tmp.write('latin-ids.csv', latin1('user,item,rating\nJos\u00e9,caf\u00e9,4\nJos\u00e9,th\u00e9,2\n'));
    const ds = readDelimited(f, { encoding: 'latin1' });
    expect(ds.users.rawIds).toEqual(['José']);
    expect(ds.items.rawIds).toEqual(['café', 'thé']);
  });
});

describe('loadRatings auto-detection', () => {
  it('recognises MovieLens folders and files, else reads delimited', () => {
    expect(loadRatings(`${tmp.dir}/ml100k`).format).toBe('ml-100k');
    expect(loadRatings(`${tmp.dir}/ml100k/u.data`).dataset.items.hasTitles).toBe(true);
    expect(loadRatings(`${tmp.dir}/ml1m`).format).toBe('ml-1m');
    expect(loadRatings(`${tmp.dir}/mllatest`).format).toBe('ml-latest');
    expect(loadRatings(`${tmp.dir}/mllatest/ratings.csv`).dataset.ratings.ratings.length).toBe(3);
    const d = loadRatings(`${tmp.dir}/named.csv`, { user: 'customer', item: 'product', rating: 'stars' });
    expect(d.format).toBe('delimited');
    expect(d.skipped).toBe(0);
    expect(d.skippedExamples).toEqual([]);
  });

  it('honours an explicit format', () => {
    expect(loadRatings(`${tmp.dir}/ml100k/u.data`, { format: 'delimited' }).dataset.items.hasTitles).toBe(false);
    expect(() => loadRatings(`${tmp.dir}/ml100k`, { format: 'nope' as never })).toThrow(/unknown ratings format/);
  });
});
