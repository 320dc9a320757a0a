import { describe, expect, it } from 'vitest';
import { testDataset } from '@collab-ts/tooling/test/data';
import { readMovieLens100k, readMovieLens100kUsers, movieLens100kItems } from '../node/read-movielens-100k.js';
import { loadRatings } from '../node/load-ratings.js';
import { movieLens100kFold } from '../node/movielens-folds.js';
import { describeDataset } from '../batches/describe.js';

const ml100k = testDataset('ml-100k', { files: ['u.data', 'u.item', 'u.user', 'u1.base'], what: 'the tests on the real MovieLens 100k files' });
const dir = ml100k.dir;

describe('MovieLens 100k (real files from $COLLAB_DATA_DIR)', () => {
  it.skipIf(!ml100k.present)('has 100000 ratings, 943 users, 1682 items and titles', () => {
    const ds = readMovieLens100k(dir);
    expect(ds.ratings.ratings.length).toBe(100_000);
    expect(ds.users.size).toBe(943);
    expect(ds.items.size).toBe(1682);
    expect(ds.items.title(ds.items.encode(1))).toBe('Toy Story (1995)');
    expect(ds.items.title(ds.items.encode(543))).toBe('Misérables, Les (1995)');
    expect(ds.ratingRange).toEqual([1, 5]);
    expect(ds.users.rawIds[0]).toBe('1');
    expect(ds.users.rawIds[942]).toBe('943');
    expect(loadRatings(dir).format).toBe('ml-100k');
    expect(describeDataset(ds).top_items[0].title).toBe('Star Wars (1977)');
    expect(readMovieLens100kUsers(dir).numRows()).toBe(943);
    expect(movieLens100kItems(dir).numRows()).toBe(1682);
  });

  it.skipIf(!ml100k.present)('u1..u5 folds have 80000/20000 ratings, encoded with the full vocabularies', () => {
    const ds = readMovieLens100k(dir);
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5'] as const) {
      const s = movieLens100kFold(dir, ds, name);
      expect(s.train.ratings.length).toBe(80_000);
      expect(s.valid.ratings.length).toBe(20_000);
      expect(Math.max(...s.train.users)).toBeLessThan(943);
      expect(Math.max(...s.valid.items)).toBeLessThan(1682);
    }
    const a = movieLens100kFold(dir, ds, 'ua');
    expect(a.valid.ratings.length).toBe(9430);
    // the first u1.test row is user 1, item 6, rating 5
    const u1 = movieLens100kFold(dir, ds, 'u1');
    expect([ds.users.decode(u1.valid.users[0]), ds.items.decode(u1.valid.items[0]), u1.valid.ratings[0]]).toEqual(['1', '6', 5]);
  });
});
