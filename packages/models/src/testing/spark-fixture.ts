// Test-only (not exported): a saved Spark ALSModel folder laid out as Spark 3.5/4.0 leaves one on a local
// file system, written by a real Parquet writer (hyparquet-writer): snappy part files of `id: int` and
// `features: array<float>` (Spark's LIST layout, nullable elements as other writers and Spark with
// `containsNull` leave them), several parts per table in hash order, `_SUCCESS` markers and Hadoop's hidden
// `.crc` checksum files, and the metadata line Spark writes for a model from `ALS.fit`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@collab-ts/core';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** The numbers of a fixture: ids in file order and their factor rows. */
export interface SparkFixture {
  rank: number;
  userIds: number[];
  itemIds: number[];
  /** Factor rows as float32 values (what Spark holds). */
  userFactors: number[][];
  itemFactors: number[][];
}

/** Seeded fixture numbers: sparse, unordered int ids (as Spark's hash partitioning leaves them). */
export function sparkFixture(seed: number, nUsers: number, nItems: number, rank: number): SparkFixture {
  const rng = createRng(seed);
  const ids = (n: number, step: number) => rng.shuffle(Array.from({ length: n }, (_, j) => 1 + j * step));
  const rows = (n: number) => Array.from({ length: n }, () => Array.from({ length: rank }, () => Math.fround(rng.normal(0, 0.5))));
  return { rank, userIds: ids(nUsers, 3), itemIds: ids(nItems, 7), userFactors: rows(nUsers), itemFactors: rows(nItems) };
}

function writeParts(dir: string, ids: number[], rows: number[][], parts: number): void {
  mkdirSync(dir, { recursive: true });
  const job = '7c0bd2b4-3a5e-4f0e-9b7a-1d2c3e4f5a6b';
  for (let p = 0; p < parts; p++) {
    const keep = ids.map((_, j) => j).filter((j) => j % parts === p);
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Int32Array.from(keep, (j) => ids[j]), nullable: false },
        { name: 'features', data: keep.map((j) => rows[j]) },
      ],
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'FLOAT', repetition_type: 'OPTIONAL' },
      ],
      codec: 'SNAPPY',
      rowGroupSize: 4,
      kvMetadata: [{ key: 'org.apache.spark.version', value: '3.5.1' }],
    });
    const name = `part-${String(p).padStart(5, '0')}-${job}-c000.snappy.parquet`;
    writeFileSync(join(dir, name), new Uint8Array(buf));
    writeFileSync(join(dir, `.${name}.crc`), 'crc');
  }
  writeFileSync(join(dir, '_SUCCESS'), '');
  writeFileSync(join(dir, '._SUCCESS.crc'), 'crc');
}

/** The metadata line Spark saves for a model fitted by `ALS(userCol="userId", itemCol="movieId", coldStartStrategy="drop")`. */
export function sparkMetadataLine(rank: number): string {
  return JSON.stringify({
    class: 'org.apache.spark.ml.recommendation.ALSModel',
    timestamp: 1718000000000,
    sparkVersion: '3.5.1',
    uid: 'als_4b1f0c2d9e8a',
    paramMap: { blockSize: 4096, coldStartStrategy: 'drop', itemCol: 'movieId', predictionCol: 'prediction', userCol: 'userId' },
    defaultParamMap: { blockSize: 4096, coldStartStrategy: 'nan', itemCol: 'item', predictionCol: 'prediction', userCol: 'user' },
    rank,
  });
}

/** Writes `f` as a saved ALSModel folder at `dir` (3 user parts, 2 item parts). */
export function writeSparkFixture(dir: string, f: SparkFixture): void {
  mkdirSync(join(dir, 'metadata'), { recursive: true });
  writeFileSync(join(dir, 'metadata', 'part-00000'), `${sparkMetadataLine(f.rank)}\n`);
  writeFileSync(join(dir, 'metadata', '_SUCCESS'), '');
  writeFileSync(join(dir, 'metadata', '.part-00000.crc'), 'crc');
  writeParts(join(dir, 'userFactors'), f.userIds, f.userFactors, 3);
  writeParts(join(dir, 'itemFactors'), f.itemIds, f.itemFactors, 2);
}

/** The dot product Spark's `transform` computes for (user id, item id), from the fixture's numbers. */
export function fixtureScore(f: SparkFixture, userId: number, itemId: number): number {
  const u = f.userFactors[f.userIds.indexOf(userId)];
  const v = f.itemFactors[f.itemIds.indexOf(itemId)];
  let s = 0;
  for (let k = 0; k < f.rank; k++) s += u[k] * v[k];
  return s;
}
