import { afterAll, describe, expect, it } from 'vitest';
import { makeTmp, writeFake100k } from '../test-helpers.js';
import { readMovieLens100k } from './read-movielens-100k.js';
import { movieLens100kFold } from './movielens-folds.js';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

describe('movieLens100kFold (fixture files)', () => {
  writeFake100k(tmp.write);
  tmp.write('u1.base', '1\t10\t4\t881250949\n2\t10\t3\t881250950\n10\t2\t1\t881250952\n');
  tmp.write('u1.test', '1\t2\t5\t881250951\n2\t9\t2\t881250953\n');
  tmp.write('u2.base', '1\t10\t4\t1\n');
  tmp.write('u2.test', '77\t10\t4\t1\n');
  const ds = readMovieLens100k(tmp.dir);

  it('encodes base/test with the full dataset vocabularies', () => {
    const s = movieLens100kFold(tmp.dir, ds, 'u1');
    expect(s.name).toBe('u1');
    expect(s.train.ratings.length).toBe(3);
    expect(s.valid.ratings.length).toBe(2);
    // user 10 and item 2 keep the full dataset's indices (2 and 0), not the fold's own
    expect([s.train.users[2], s.train.items[2]]).toEqual([ds.users.encode(10), ds.items.encode(2)]);
    expect(Array.from(s.valid.items, (i) => ds.items.decode(i))).toEqual(['2', '9']);
  });

  it('rejects ids unknown to the dataset and bad fold names', () => {
    expect(() => movieLens100kFold(tmp.dir, ds, 'u2')).toThrow(/u2\.test: user id 77 is not in the dataset/);
    expect(() => movieLens100kFold(tmp.dir, ds, 'u9' as never)).toThrow(/unknown MovieLens 100k fold/);
  });
});
