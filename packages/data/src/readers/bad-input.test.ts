import { afterAll, describe, expect, it } from 'vitest';
import { dataError, makeTmp, latin1 } from '../test-helpers.js';
import { readDelimited } from '../node/read-delimited.js';
import { loadRatings } from '../node/load-ratings.js';
import { readMovieLens100k } from '../node/read-movielens-100k.js';
import { readMovieLensCsv } from '../node/read-movielens-csv.js';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

describe('bad input raises DataError with file:line:column', () => {
  it('malformed row (too few fields)', () => {
    const f = tmp.write('short.csv', 'user,item,rating\n1,2,3\n4,5\n');
    const e = dataError(() => readDelimited(f));
    expect(e.message).toBe(`${f}:3:4: expected at least 3 fields separated by ",", found 2`);
    expect([e.file, e.line, e.column]).toEqual([f, 3, 4]);
  });

  it('non-numeric rating', () => {
    const f = tmp.write('text.tsv', '1\t2\t3\t100\n1\t3\tfive\t101\n');
    const e = dataError(() => readDelimited(f));
    expect(e.message).toBe(`${f}:2:5: rating "five" is not a number`);
  });

  it('NaN rating, named in the message by its header', () => {
    const f = tmp.write('nan.csv', 'userId,movieId,score\n1,1,4\n1,2,3\n2,1,NaN\n');
    const e = dataError(() => readDelimited(f));
    expect(e.message).toBe(`${f}:4:5: rating (column "score") "NaN" is not a number`);
  });

  it('missing named column, reported at line 1', () => {
    const f = tmp.write('cols.csv', 'user,item,rating\n1,2,3\n');
    const e = dataError(() => readDelimited(f, { rating: 'stars' }));
    expect(e.message).toMatch(new RegExp(`^${f}:1:1: no column named "stars"`));
  });

  it('header without a recognisable rating column', () => {
    const f = tmp.write('norating.csv', 'userId,movieId,timestamp\n1,2,3\n');
    expect(dataError(() => readDelimited(f)).message).toMatch(/:1:1: no rating column in the header/);
  });

  it('empty file', () => {
    const f = tmp.write('empty.csv', '');
    expect(dataError(() => readDelimited(f)).message).toBe(`${f}:1:1: file is empty`);
    const g = tmp.write('blank.csv', '\n\n  \n');
    expect(dataError(() => readDelimited(g)).message).toBe(`${g}:1:1: file is empty`);
  });

  it('missing file', () => {
    expect(dataError(() => readDelimited(`${tmp.dir}/absent.csv`)).message).toBe(`${tmp.dir}/absent.csv: no such file`);
    expect(dataError(() => loadRatings(`${tmp.dir}/absent`)).message).toBe(`${tmp.dir}/absent: no such file or directory`);
  });

  it('header only', () => {
    const f = tmp.write('headeronly.csv', 'user,item,rating\n');
    expect(dataError(() => readDelimited(f)).message).toBe(`${f}:2: no rating rows found`);
  });

  it('invalid UTF-8 (latin-1 bytes in a UTF-8 file)', () => {
    const f = tmp.write('latin.csv', latin1('user,item,rating\nbob,caf\u00e9,3\n'));
    expect(dataError(() => readDelimited(f)).message).toMatch(new RegExp(`^${f}:2:8: invalid UTF-8`));
  });

  it('U+FFFD replacement characters in a UTF-8 file', () => {
    const f = tmp.write('fffd.csv', 'user,item,rating\nbob,caf\ufffd,3\n');
    expect(dataError(() => readDelimited(f)).message).toMatch(new RegExp(`^${f}:2:8: U\\+FFFD replacement character`));
  });

  it('NUL bytes / binary data', () => {
    const f = tmp.write('nul.csv', new Uint8Array([49, 44, 50, 44, 51, 10, 52, 44, 0, 44, 51, 10]));
    expect(dataError(() => readDelimited(f, { header: false })).message).toBe(`${f}:2:3: NUL byte: this looks like a binary file, not text`);
    const g = tmp.write('binary.bin', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 1, 2]));
    expect(dataError(() => loadRatings(g)).message).toMatch(/:1:5: NUL byte/);
  });

  it('invalid UTF-8 in movies.csv', () => {
    tmp.write('mlbad/ratings.csv', 'userId,movieId,rating,timestamp\n1,1,4.0,1\n');
    tmp.write('mlbad/movies.csv', latin1('movieId,title,genres\n1,Am\u00e9lie (2001),Comedy\n'));
    expect(dataError(() => readMovieLensCsv(`${tmp.dir}/mlbad`)).message).toMatch(/movies\.csv:2:5: invalid UTF-8/);
  });

  it('malformed u.item line', () => {
    tmp.write('ml100bad/u.data', '1\t1\t5\t1\n');
    tmp.write('ml100bad/u.item', '1|Toy Story (1995)|01-Jan-1995\n');
    expect(dataError(() => readMovieLens100k(`${tmp.dir}/ml100bad`)).message).toMatch(/u\.item:1:31: expected 24 fields/);
  });

  it('with skipBadRows: counts and reports bad rows instead of failing', () => {
    const f = tmp.write('mixed.csv', 'user,item,rating\n1,1,5\n1,2\n2,1,x\n2,,3\n2,2,4\n');
    const r = loadRatings(f, { skipBadRows: true });
    expect(r.dataset.ratings.ratings.length).toBe(2);
    expect(r.skipped).toBe(3);
    expect(r.skippedExamples).toEqual([
      `${f}:3:4: expected at least 3 fields separated by ",", found 2`,
      `${f}:4:5: rating "x" is not a number`,
      `${f}:5:3: empty item id`,
    ]);
    expect(r.dataset.skipped?.count).toBe(3);
  });

  it('with skipBadRows and no good rows: still an error', () => {
    const f = tmp.write('allbad.csv', 'user,item,rating\n1,1,x\n');
    expect(dataError(() => readDelimited(f, { skipBadRows: true })).message).toMatch(/no valid rating rows \(1 bad rows skipped/);
  });
});
