// Input rows that used to be read silently wrong (issue 10): rows with extra fields, numbers that are not
// finite decimals, overlong lines. Each must fail with a DataError at file:line:column (or be accepted
// only when the layout says so).
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dataError, makeTmp } from '../test-helpers.js';
import { readDelimited } from '../node/read-delimited.js';
import { loadRatings } from '../node/load-ratings.js';
import { readMovieLens100k } from '../node/read-movielens-100k.js';
import { readMovieLensCsv } from '../node/read-movielens-csv.js';
import { readMovieLensDat } from '../node/read-movielens-dat.js';
import { lastFileScan } from '../node/file-scan.js';
import { parseDelimited } from './delimited.js';
import { parseMovieLens100k, parseMovieLens100kItems, parseMovieLens100kUsers } from './movielens-100k.js';
import type { RatingsDataset } from '../dataset.js';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

/** 1-based column of `needle` in `line`. */
const col = (line: string, needle: string, from = 0): number => line.indexOf(needle, from) + 1;

function rows(ds: RatingsDataset): [string, string, number, number | null][] {
  const r = ds.ratings;
  return Array.from(r.ratings, (v, i) => [ds.users.decode(r.users[i]), ds.items.decode(r.items[i]), v, r.timestamps ? r.timestamps[i] : null]);
}

describe('rows with more fields than the layout', () => {
  // a lost line break merges "2\t10\t3\t881250950" into the row before it
  const merged = '1\t10\t4\t8812509492\t10\t3\t881250950';
  const udata = ['1\t2\t5\t881250951', merged, '10\t2\t1\t881250952', ''].join('\n');

  it('u.data (exactly 4 fields): error at the first extra field, file and in memory', () => {
    const dir = `${tmp.dir}/ml100k-merged`;
    tmp.write('ml100k-merged/u.data', udata);
    const e = dataError(() => readMovieLens100k(dir));
    expect([e.file, e.line, e.column]).toEqual([`${dir}/u.data`, 2, col(merged, '10\t3')]);
    expect(e.reason).toMatch(/expected 4 fields separated by "\\t".*found 7/);
    expect(() => parseMovieLens100k({ 'u.data': new TextEncoder().encode(udata) })).toThrow(new RegExp(`^ml-100k/u\\.data:2:${col(merged, '10\t3')}: expected 4 fields`));
    expect(dataError(() => loadRatings(dir)).line).toBe(2);
  });

  it('MovieLens ratings.dat (::, exactly 4 fields)', () => {
    const line = '1::1193::5::9783007602::661::3::978302109';
    tmp.write('ml1m-merged/ratings.dat', `1::914::3::978301968\n${line}\n`);
    const e = dataError(() => readMovieLensDat(`${tmp.dir}/ml1m-merged`));
    expect([e.line, e.column]).toEqual([2, col(line, '661')]);
    expect(e.reason).toMatch(/expected 4 fields separated by "::"/);
  });

  it('MovieLens ratings.csv: as many fields as the header names; extra named columns are fine', () => {
    const line = '1,1,4.0,9649827032,3,4.5,964981247';
    tmp.write('mllatest-merged/ratings.csv', `userId,movieId,rating,timestamp\n1,5,3.0,964982224\n${line}\n`);
    const e = dataError(() => readMovieLensCsv(`${tmp.dir}/mllatest-merged`));
    expect([e.line, e.column]).toEqual([3, col(line, '3,4.5')]);
    expect(e.reason).toMatch(/expected 4 fields separated by "," \(as in the header\), found 7/);
    tmp.write('mllatest-extra/ratings.csv', 'userId,movieId,rating,timestamp,tag\n1,5,3.0,964982224,funny\n1,6,4.0,964982225,\n');
    expect(readMovieLensCsv(`${tmp.dir}/mllatest-extra`).ratings.ratings.length).toBe(2);
  });

  it('named-column CSV: extra named columns are read past, a row longer than the header is not', () => {
    const ok = parseDelimited('user,comment,item,rating\nann,nice,i1,4\nbob,,i2,5\n');
    expect(rows(ok)).toEqual([
      ['ann', 'i1', 4, null],
      ['bob', 'i2', 5, null],
    ]);
    const e = dataError(() => parseDelimited('user,item,rating\nann,i1,4\nbob,i2,5,ann,i3,2\n', { name: 'r.csv' }));
    expect(e.message).toMatch(/^r\.csv:3:10: expected 3 fields separated by "," \(as in the header\), found 6/);
  });

  it('headerless file: the field count of most of the first lines, even when line 1 is the merged one', () => {
    const e = dataError(() => parseDelimited('1;2;3;4;5;6\n7;8;9\n1;9;2\n2;8;3\n', { name: 'x' }));
    expect([e.line, e.column]).toEqual([1, 7]);
    expect(e.reason).toMatch(/as in the first lines/);
    const f = tmp.write('headerless.tsv', '1\t2\t3\t100\n1\t3\t4\t101\n2\t3\t5\t102\t2\t4\t1\t103\n');
    expect([dataError(() => readDelimited(f)).line, dataError(() => readDelimited(f)).column]).toEqual([3, 11]);
  });

  it('u.item (exactly 24 fields) and u.user (exactly 5): a merged line is an error, not a lost title', () => {
    const item = (id: number): string => [id, `Film ${id} (1995)`, '01-Jan-1995', '', 'http://x', ...Array(19).fill('0')].join('|');
    const merged = item(1) + item(2);
    const e = dataError(() => parseMovieLens100kItems(new TextEncoder().encode(`${merged}\n${item(3)}\n`), 'u.item'));
    expect([e.line, e.column]).toEqual([1, merged.split('|').slice(0, 24).join('|').length + 2]);
    expect(e.reason).toMatch(/^expected 24 fields separated by "\|", found 47/);
    expect(() => parseMovieLens100kUsers(new TextEncoder().encode('1|24|M|technician|857112|53|F|other|94043\n'), 'u.user')).toThrow(/^u\.user:1:\d+: expected 5 fields separated by "\|", found 9/);
  });

  it("extraFields: 'allow' reads past extra fields", () => {
    const ds = parseDelimited('1\t2\t3\t100\tfree text\n1\t3\t4\t101\tmore\tfree\ttext\n', { extraFields: 'allow' });
    expect(rows(ds)).toEqual([
      ['1', '2', 3, 100],
      ['1', '3', 4, 101],
    ]);
  });

  it('quoted rows (the slow path) are checked too, and skipBadRows counts such rows', () => {
    const e = dataError(() => parseDelimited('user,item,rating\n"a",b,3\n"a",c,4,"x"\n', { name: 'q' }));
    expect(e.message).toMatch(/^q:3:9: expected 3 fields/);
    const ds = parseDelimited('user,item,rating\na,b,3\na,c,4,d,e,5\na,f,2\n', { skipBadRows: true, name: 's' });
    expect(ds.skipped?.count).toBe(1);
    expect(ds.skipped?.examples[0]).toMatch(/^s:3:7: expected 3 fields/);
    expect(rows(ds).map((r) => r[1])).toEqual(['b', 'f']);
  });
});

describe('ratings and timestamps must be finite decimal numbers', () => {
  const csv = (rating: string, ts = '100'): string => `user,item,rating,timestamp\n1,1,4,99\n2,1,${rating},${ts}\n`;

  it('1e300 is not finite in float32: an error, not an Infinity surfacing later in training', () => {
    const e = dataError(() => parseDelimited(csv('1e300'), { name: 'r' }));
    expect(e.message).toBe('r:3:5: rating "1e300" is out of range: not finite as a 32-bit float (largest 3.4e38)');
    expect(() => parseDelimited(csv('-1e39'))).toThrow(/rating "-1e39" is out of range/);
    expect(rows(parseDelimited(csv('3.4e38')))[1][2]).toBe(Math.fround(3.4e38));
  });

  it('hexadecimal, Infinity and NaN are not ratings; exponents and signs are', () => {
    expect(dataError(() => parseDelimited(csv('0x10'), { name: 'r' })).message).toMatch(/^r:3:5: rating "0x10" is not a number \(write numbers in decimal/);
    expect(() => parseDelimited(csv('Infinity'))).toThrow(/rating "Infinity" is not a number/);
    expect(() => parseDelimited(csv('-Infinity'))).toThrow(/rating "-Infinity" is not a number/);
    expect(() => parseDelimited(csv('0b11'))).toThrow(/is not a number/);
    expect(() => parseDelimited(csv('1e'))).toThrow(/is not a number/);
    expect(() => parseDelimited(csv('1_0'))).toThrow(/is not a number/);
    expect(rows(parseDelimited(csv('45e-1')))[1][2]).toBe(4.5);
    expect(rows(parseDelimited(csv('+.5')))[1][2]).toBe(0.5);
    expect(rows(parseDelimited(csv('-3')))[1][2]).toBe(-3);
    expect(rows(parseDelimited(csv('3.')))[1][2]).toBe(3);
    expect(rows(parseDelimited(csv('1.0000000000000000001')))[1][2]).toBe(1);
  });

  it('timestamps: decimal and finite, or an ISO 8601 date; not hex, not what Date.parse guesses', () => {
    expect(() => parseDelimited(csv('4', '0x10'))).toThrow(/timestamp "0x10" is not a number \(write numbers in decimal/);
    expect(() => parseDelimited(csv('4', '1e400'))).toThrow(/timestamp "1e400" is out of range: not finite/);
    // Date.parse reads these as dates in 2001 and 2005
    expect(dataError(() => parseDelimited(csv('4', '5.5.5'), { name: 't' })).message).toBe('t:3:7: timestamp "5.5.5" is not a number (nor an ISO 8601 date)');
    expect(() => parseDelimited(csv('4', '1 2'))).toThrow(/timestamp "1 2" is not a number/);
    expect(() => parseDelimited(csv('4', 'NaN'))).toThrow(/timestamp "NaN" is not a number/);
    expect(rows(parseDelimited(csv('4', '2005-04-02T23:53:46Z')))[1][3]).toBe(1112486026);
    expect(rows(parseDelimited(csv('4', '881250949.5')))[1][3]).toBe(881250949.5);
  });

  it('the same checks on quoted rows, in u.data and in files', () => {
    expect(() => parseDelimited('user,item,rating\n"a",b,0x10\n')).toThrow(/<input>:2:7: rating "0x10" is not a number/);
    expect(() => parseDelimited('user,item,rating\n"a",b,"1e300"\n')).toThrow(/rating "1e300" is out of range/);
    expect(() => parseMovieLens100k({ 'u.data': new TextEncoder().encode('1\t2\t0x5\t9\n') })).toThrow(/u\.data:1:5: rating "0x5" is not a number/);
    const f = tmp.write('inf.csv', csv('1e39'));
    expect(dataError(() => readDelimited(f)).message).toBe(`${f}:3:5: rating "1e39" is out of range: not finite as a 32-bit float (largest 3.4e38)`);
  });
});

describe('line length cap (maxLineBytes)', () => {
  it('a single-line file fails early at the cap, without reading the whole file', () => {
    const size = 12 << 20;
    const bytes = new Uint8Array(size).fill(0x37); // "7777..." with no line break
    bytes.set(new TextEncoder().encode('1,2,'));
    const f = tmp.write('one-line.csv', bytes);
    expect(statSync(f).size).toBe(size);
    const e = dataError(() => readDelimited(f, { header: false, maxLineBytes: 64 << 10 }));
    expect(e.message).toBe(`${f}:1:${(64 << 10) + 1}: line is longer than 65536 bytes (maxLineBytes): not a ratings file, or line breaks are missing`);
    expect(lastFileScan.bytesRead).toBeGreaterThan(0);
    expect(lastFileScan.bytesRead).toBeLessThanOrEqual(4 << 20); // one read chunk
    expect(lastFileScan.bytesRead).toBeLessThan(size);
    // the default cap is 1 MiB
    expect(dataError(() => loadRatings(f, { header: false })).message).toMatch(/:1:1048577: line is longer than 1048576 bytes/);
    expect(lastFileScan.bytesRead).toBeLessThan(size);
  });

  it('applies to a long line in the middle of a file, to u.data and to bytes in memory', () => {
    const text = `user,item,rating\n1,2,3\n4,${'5'.repeat(300)},6\n7,8,9\n`;
    expect(dataError(() => parseDelimited(text, { maxLineBytes: 100, name: 'm' })).message).toMatch(/^m:3:101: line is longer than 100 bytes/);
    expect(parseDelimited(text, { maxLineBytes: 400 }).ratings.ratings.length).toBe(3);
    expect(() => parseMovieLens100k({ 'u.data': new TextEncoder().encode(`1\t2\t3\t4\n${'9'.repeat(50)}\n`) }, { maxLineBytes: 20 })).toThrow(/u\.data:2:21: line is longer than 20 bytes/);
    tmp.write('ml-long/u.data', `1\t2\t3\t4\n1\t${'3'.repeat(5000)}\t3\t4\n`);
    expect(() => loadRatings(`${tmp.dir}/ml-long`, { maxLineBytes: 1000 })).toThrow(/u\.data:2:1001: line is longer than 1000 bytes/);
    expect(() => parseDelimited(text, { maxLineBytes: 0 })).toThrow(/maxLineBytes must be a positive number/);
  });
});
