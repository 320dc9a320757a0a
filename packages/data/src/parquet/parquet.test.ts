import { describe, expect, it } from 'vitest';
import { encodeParquet } from './encode.js';
import { parseParquetRatings } from './ratings.js';
import { parseParquetTable } from './read-table.js';

// the browser-safe entry points: bytes in, dataset out, no file system
describe('parseParquetRatings and parseParquetTable (bytes in memory)', () => {
  const n = 2000;
  const users = Int32Array.from({ length: n }, (_, k) => 1 + ((k * 7919) % 300));
  const items = Int32Array.from({ length: n }, (_, k) => 1000 + ((k * 104729) % 997));
  const ratings = Float32Array.from({ length: n }, (_, k) => 0.5 * (1 + (k % 10)));
  const ts = Array.from({ length: n }, (_, k) => 1e9 + k);
  const columns = [
    { name: 'userId', type: 'int', data: users },
    { name: 'itemId', type: 'int', data: items },
    { name: 'rating', type: 'float', data: ratings },
    { name: 'timestamp', type: 'long', data: ts },
  ] as const;

  it('reads columns split over many small pages and row groups the same as one big page', async () => {
    // 512-byte pages: each column chunk of a row group arrives in many pieces that must be joined in order
    const paged = encodeParquet(columns, { pageSize: 512, rowGroupSize: 900 });
    const whole = encodeParquet(columns);
    const a = await parseParquetRatings([{ name: 'paged.parquet', file: paged.buffer as ArrayBuffer }]);
    const b = await parseParquetRatings([{ name: 'whole.parquet', file: whole.buffer as ArrayBuffer }]);
    expect(a.source).toBe('paged.parquet');
    expect(Array.from(a.ratings.ratings)).toEqual(Array.from(b.ratings.ratings));
    expect(Array.from(a.ratings.users)).toEqual(Array.from(b.ratings.users));
    expect(Array.from(a.ratings.timestamps!)).toEqual(ts);
    // rows keep file order; ids decode to what was written
    expect(Array.from(a.ratings.users.subarray(0, 5), (u) => a.users.decode(u))).toEqual(Array.from(users.subarray(0, 5), String));
    expect(Array.from(a.ratings.items.subarray(0, 5), (i) => a.items.decode(i))).toEqual(Array.from(items.subarray(0, 5), String));
    expect(a.ratingRange).toEqual([0.5, 5]);
    const t = await parseParquetTable([{ name: 'paged.parquet', file: paged.buffer as ArrayBuffer }], { columns: ['itemId'] });
    expect(t.columns.itemId).toEqual(Array.from(items));
  });

  it('converts timestamp, date and text timestamps to seconds, as the text reader does with ISO dates', async () => {
    const bytes = encodeParquet([
      { name: 'user', type: 'string', data: ['a', 'b'] },
      { name: 'item', type: 'string', data: ['x', 'y'] },
      { name: 'rating', type: 'double', data: [1, 2] },
      { name: 'time', type: 'string', data: ['2005-04-02T23:53:46Z', '1112486026'] },
    ]);
    const ds = await parseParquetRatings([{ name: 't.parquet', file: bytes.buffer as ArrayBuffer }]);
    expect(Array.from(ds.ratings.timestamps!)).toEqual([Date.parse('2005-04-02T23:53:46Z') / 1000, 1112486026]);
    const bad = encodeParquet([
      { name: 'user', type: 'string', data: ['a'] },
      { name: 'item', type: 'string', data: ['x'] },
      { name: 'rating', type: 'double', data: [1] },
      { name: 'time', type: 'string', data: ['yesterday'] },
    ]);
    await expect(parseParquetRatings([{ name: 'bad.parquet', file: bad.buffer as ArrayBuffer }])).rejects.toThrow('bad.parquet: row 1, column "time": timestamp "yesterday" is not a number (nor an ISO 8601 date)');
  });
});
