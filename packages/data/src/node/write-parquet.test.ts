import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetMetadata } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { Vocabulary } from '../vocabulary.js';
import { makeTmp } from '../test-helpers.js';
import { readParquetTable } from './read-parquet-table.js';
import { writeParquetParts, writeParquetTable, writeRatingsParquet, writeSplitParquet } from './write-parquet.js';

const tmp = makeTmp('collab-parquet-');
afterAll(() => tmp.cleanup());

const users = new Vocabulary('user', ['1', '2', '30']);
const items = new Vocabulary('item', ['7', '10']);
const cols = {
  users: Int32Array.from([0, 1, 0, 2]),
  items: Int32Array.from([1, 1, 0, 0]),
  ratings: Float32Array.from([4, 3.5, 5, 1]),
  timestamps: Float64Array.from([881250949, 881250950, 881250951, 881250952]),
};

/** The schema elements of a written file, as [name, physical type, repetition, converted type]. */
function schemaOf(path: string): unknown[][] {
  const b = readFileSync(path);
  return parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)).schema.slice(1).map((e) => [e.name, e.type, e.repetition_type, e.converted_type]);
}

describe('writeRatingsParquet', () => {
  it('writes raw ids, float ratings and long timestamps that read back as written', async () => {
    const path = join(tmp.dir, 'ratings.parquet');
    const bytes = writeRatingsParquet(cols, { users, items }, path);
    expect(bytes).toBe(readFileSync(path).length);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('PAR1');
    const t = await readParquetTable(path);
    expect(t.schema.map((c) => `${c.name}:${c.type}`)).toEqual(['userId:int', 'movieId:int', 'rating:float', 'timestamp:long']);
    expect(t.columns.userId).toEqual([1, 2, 1, 30]);
    expect(t.columns.movieId).toEqual([10, 10, 7, 7]);
    expect(t.columns.rating).toEqual([4, 3.5, 5, 1]);
    expect(t.columns.timestamp).toEqual([881250949n, 881250950n, 881250951n, 881250952n]);
    // no temporary file is left beside it
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('keeps text ids (and ids like "007" that a number would change) as strings, and renames columns', async () => {
    const path = join(tmp.dir, 'text.parquet');
    const u = new Vocabulary('user', ['007', 'ann', 'bob']);
    writeRatingsParquet({ ...cols, timestamps: null }, { users: u, items }, path, { names: { user: 'customer', item: 'product', rating: 'stars' } });
    const t = await readParquetTable(path);
    expect(t.schema.map((c) => `${c.name}:${c.type}`)).toEqual(['customer:string', 'product:int', 'stars:float']);
    expect(t.columns.customer).toEqual(['007', 'ann', '007', 'bob']);
  });

  it('uses long ids beyond 32 bits, and refuses an id that does not fit a forced type', async () => {
    const path = join(tmp.dir, 'long.parquet');
    const u = new Vocabulary('user', ['1', '2', '5000000000']);
    writeRatingsParquet(cols, { users: u, items }, path);
    expect((await readParquetTable(path)).schema[0].type).toBe('long');
    expect(() => writeRatingsParquet(cols, { users: u, items }, path, { idType: 'int' })).toThrow(/user id "5000000000" cannot be stored in a int column/);
  });
});

describe('writeSplitParquet', () => {
  const split = { name: 's', train: { ...cols, users: cols.users.subarray(0, 3), items: cols.items.subarray(0, 3), ratings: cols.ratings.subarray(0, 3), timestamps: cols.timestamps.subarray(0, 3) }, valid: { users: cols.users.subarray(3), items: cols.items.subarray(3), ratings: cols.ratings.subarray(3), timestamps: cols.timestamps.subarray(3) } };

  it('writes train.parquet and valid.parquet into a folder', async () => {
    const dir = join(tmp.dir, 'split');
    const written = writeSplitParquet(split, { users, items }, dir);
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual(['train.parquet', 'valid.parquet']);
    expect((await readParquetTable(join(dir, 'train.parquet'))).rows).toBe(3);
    expect((await readParquetTable(join(dir, 'valid.parquet'))).columns.userId).toEqual([30]);
  });

  it('or one file with a split column', async () => {
    const path = join(tmp.dir, 'split.parquet');
    writeSplitParquet({ ...split, test: split.valid }, { users, items }, path, { layout: 'column' });
    const t = await readParquetTable(path);
    expect(t.columns.split).toEqual(['train', 'train', 'train', 'valid', 'test']);
    expect(t.columns.rating).toEqual([4, 3.5, 5, 1, 1]);
  });
});

describe('Spark ALS factor tables: id int, features array<float>', () => {
  const ids = Int32Array.from([12, 3, 40, 7, 9]);
  const features = [
    [0.5, -1.25, 2],
    [1.5, 0.25, -0.75],
    [0, 3, 1],
    [0.125, 0.5, 4],
    [-2, 1, 0.75],
  ];

  it('writes the standard 3-level LIST of FLOAT in part files with _SUCCESS, and reads them back', async () => {
    const dir = join(tmp.dir, 'itemFactors');
    const parts = writeParquetParts(dir, [{ name: 'id', type: 'int', data: ids }, { name: 'features', type: 'array<float>', data: features }], { parts: 2 });
    expect(parts).toEqual(['part-00000.snappy.parquet', 'part-00001.snappy.parquet']);
    expect(existsSync(join(dir, '_SUCCESS'))).toBe(true);
    expect(schemaOf(join(dir, parts[0]))).toEqual([
      ['id', 'INT32', 'REQUIRED', undefined],
      ['features', undefined, 'OPTIONAL', 'LIST'],
      ['list', undefined, 'REPEATED', undefined],
      ['element', 'FLOAT', 'REQUIRED', undefined],
    ]);
    const t = await readParquetTable(dir);
    expect(t.schema).toEqual([
      { name: 'id', type: 'int', nullable: false },
      { name: 'features', type: 'array<float>', nullable: true },
    ]);
    expect(t.columns.id).toEqual([12, 3, 40, 7, 9]);
    expect(t.columns.features).toEqual(features);
  });

  it('reads the same layout written by DuckDB (every column OPTIONAL, as Spark writes nullable columns)', async () => {
    const t = await readParquetTable(fileURLToPath(new URL('../parquet/fixtures/duckdb-factors.parquet', import.meta.url)));
    expect(t.schema.map((c) => `${c.name}:${c.type}`)).toEqual(['id:int', 'features:array<float>']);
    expect(t.columns.id).toEqual([12, 3, 40]);
    expect(t.columns.features).toEqual(features.slice(0, 3));
  });

  it('writes any flat table, and rejects ragged or unnamed columns', async () => {
    const path = join(tmp.dir, 'flat.parquet');
    writeParquetTable(path, [
      { name: 'k', type: 'string', data: ['a', 'b'] },
      { name: 'x', type: 'double', data: Float64Array.from([0.1, 0.2]) },
      { name: 'n', type: 'long', data: [1, 2 ** 40] },
      { name: 'b', type: 'boolean', data: [true, false] },
    ], { metadata: { source: 'test' } });
    const t = await readParquetTable(path, { columns: ['x', 'n', 'b'] });
    expect(t.columns).toEqual({ x: [0.1, 0.2], n: [1n, 2n ** 40n], b: [true, false] });
    expect(() => writeParquetTable(path, [{ name: 'a', type: 'int', data: [1] }, { name: 'b', type: 'int', data: [1, 2] }])).toThrow(/column "b" has 2 rows, column "a" has 1/);
    expect(() => writeParquetTable(path, [{ name: '', type: 'int', data: [1] }])).toThrow(/needs a name/);
    expect(() => writeParquetTable(path, [{ name: 'n', type: 'long', data: [1.5] }])).toThrow(/row 1: 1.5 is not an integer/);
  });
});
