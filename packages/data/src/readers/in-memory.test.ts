import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@collab-ts/core';
import { testDataset } from '@collab-ts/tooling/test/data';
import { makeTmp, writeFake100k } from '../test-helpers.js';
import { readMovieLens100k, readMovieLens100kUsers, movieLens100kItems } from '../node/read-movielens-100k.js';
import { movieLens100kFold } from '../node/movielens-folds.js';
import { movieLens100kItemsTable, parseMovieLens100k, parseMovieLens100kItems, parseMovieLens100kUsers } from './movielens-100k.js';
import { parseMovieLens100kFold } from '../splits/movielens-folds.js';
import type { RatingsDataset } from '../dataset.js';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

const bytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** Same columns, vocabularies and titles. */
function expectSameDataset(a: RatingsDataset, b: RatingsDataset): void {
  expect(a.ratings.users).toEqual(b.ratings.users);
  expect(a.ratings.items).toEqual(b.ratings.items);
  expect(a.ratings.ratings).toEqual(b.ratings.ratings);
  expect(a.ratings.timestamps).toEqual(b.ratings.timestamps);
  expect(a.users.rawIds).toEqual(b.users.rawIds);
  expect(a.items.rawIds).toEqual(b.items.rawIds);
  expect(a.items.rawIds.map((_, k) => a.items.title(k))).toEqual(b.items.rawIds.map((_, k) => b.items.title(k)));
  expect(a.ratingRange).toEqual(b.ratingRange);
}

describe('MovieLens 100k from bytes (no file system)', () => {
  writeFake100k(tmp.write);
  tmp.write('u1.base', '1\t10\t4\t881250949\n2\t10\t3\t881250950\n10\t2\t1\t881250952\n');
  tmp.write('u1.test', '1\t2\t5\t881250951\n2\t9\t2\t881250953\n');

  it('parseMovieLens100k matches readMovieLens100k, titles included', () => {
    const fromBytes = parseMovieLens100k({ 'u.data': bytes(join(tmp.dir, 'u.data')), 'u.item': bytes(join(tmp.dir, 'u.item')) });
    expect(fromBytes.source).toBe('ml-100k');
    expectSameDataset(fromBytes, readMovieLens100k(tmp.dir));
    expect(fromBytes.items.title(fromBytes.items.encode(9))).toBe('Misérables, Les (1995)');
  });

  it('works without u.item (no titles) and reports bad rows with the given name', () => {
    const ds = parseMovieLens100k({ 'u.data': new TextEncoder().encode('1\t5\t3\t10\n2\t6\t4\t11\n') }, { name: 'dropped' });
    expect(ds.source).toBe('dropped');
    expect(ds.items.rawIds).toEqual(['5', '6']);
    expect(ds.items.title(0)).toBe('5');
    const bad = new TextEncoder().encode('1\t5\t3\t10\n2\t6\tfour\t11\n');
    expect(() => parseMovieLens100k({ 'u.data': bad }, { name: 'dropped' })).toThrow(/dropped\/u\.data:2:5: rating "four" is not a number/);
    expect(parseMovieLens100k({ 'u.data': bad }, { skipBadRows: true }).skipped?.count).toBe(1);
    expect(() => parseMovieLens100k({} as never)).toThrow(DataError);
  });

  it('parseMovieLens100kFold matches movieLens100kFold', () => {
    const ds = readMovieLens100k(tmp.dir);
    const a = parseMovieLens100kFold({ base: bytes(join(tmp.dir, 'u1.base')), test: bytes(join(tmp.dir, 'u1.test')) }, ds, 'u1');
    const b = movieLens100kFold(tmp.dir, ds, 'u1');
    expect(a).toEqual(b);
    expect(() => parseMovieLens100kFold({ base: new Uint8Array(), test: new Uint8Array() }, ds, 'u7' as never)).toThrow(/unknown MovieLens 100k fold/);
  });

  it('users and items tables from bytes match the directory readers', () => {
    expect(parseMovieLens100kUsers(bytes(join(tmp.dir, 'u.user'))).objects()).toEqual(readMovieLens100kUsers(tmp.dir).objects());
    const items = movieLens100kItemsTable(parseMovieLens100kItems(bytes(join(tmp.dir, 'u.item'))));
    expect(items.objects()).toEqual(movieLens100kItems(tmp.dir).objects());
    expect(() => parseMovieLens100kUsers(new TextEncoder().encode('1|x|M|a|b\n'), 'my.user')).toThrow(/my\.user:1:3: age "x" is not a number/);
  });

  const ml100k = testDataset('ml-100k', { files: ['u.data', 'u.item'], what: 'the in-memory MovieLens 100k test on the real files' });
  it.skipIf(!ml100k.present)('parses the real MovieLens 100k from bytes exactly as from its directory', () => {
    const dir = ml100k.dir;
    const ds = parseMovieLens100k({ 'u.data': bytes(join(dir, 'u.data')), 'u.item': bytes(join(dir, 'u.item')) });
    expect(ds.ratings.ratings.length).toBe(100_000);
    expectSameDataset(ds, readMovieLens100k(dir));
  });
});
