import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, UsageError, Vocabulary } from '@collab-ts/core';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { fitRecommender } from '../registry/fit.js';
import { contractFixture } from '../testing/contract.js';
import { fixtureScore, sparkFixture, writeSparkFixture } from '../testing/spark-fixture.js';
import { SparkAlsRecommender } from '../families/spark-als/recommender.js';
import { exportSparkAls, importSparkAls } from './als-model.js';
import { readSparkAlsFolder } from './layout.js';
import { ALS_MODEL_CLASS } from './metadata.js';

const root = mkdtempSync(join(tmpdir(), 'collab-spark-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `case-${n++}`);

function fixtureDir() {
  const f = sparkFixture(3, 23, 31, 5);
  const dir = fresh();
  writeSparkFixture(dir, f);
  return { f, dir };
}

describe('importing a saved Spark ALSModel', () => {
  it("maps Spark's int ids to the vocabularies and scores with the fixture's dot products", async () => {
    const { f, dir } = fixtureDir();
    const b = await importSparkAls(dir);
    expect(b.model.kind).toBe('spark-als');
    expect(b.users.size).toBe(23);
    expect(b.items.size).toBe(31);
    // numeric order, whatever order the part files held
    expect(b.users.rawIds.slice(0, 3)).toEqual(['1', '4', '7']);
    expect(b.complete).toBe(true);
    expect(b.objectiveSource).toBe("Spark's defaults");
    expect((b.model as SparkAlsRecommender).config).toMatchObject({ factors: 5, regParam: 0.1, implicitPrefs: false, alpha: 1 });
    expect(b.meta.spark).toMatchObject({ uid: 'als_4b1f0c2d9e8a', sparkVersion: '3.5.1', params: { userCol: 'userId', itemCol: 'movieId', coldStartStrategy: 'drop' }, userParts: 3, itemParts: 2 });
    for (const [uid, iid] of [[1, 1], [4, 8], [67, 211], [34, 99]]) {
      const got = b.model.predict(Int32Array.of(b.users.encode(uid)), Int32Array.of(b.items.encode(iid)))[0];
      expect(got).toBeCloseTo(fixtureScore(f, uid, iid), 5);
    }
    // recommendForAllUsers: the top items by the fixture's dot products
    const user = 40;
    const recs = b.model.recommend(b.users.encode(user), { k: 5 });
    const want = [...f.itemIds].sort((x, y) => fixtureScore(f, user, y) - fixtureScore(f, user, x)).slice(0, 5);
    expect(recs.map((r) => Number(b.items.decode(r.item)))).toEqual(want);
    recs.forEach((r) => expect(r.score).toBeCloseTo(fixtureScore(f, user, Number(b.items.decode(r.item))), 5));
  });

  it('takes the objective from the caller over the defaults', async () => {
    const { dir } = fixtureDir();
    const b = await importSparkAls(dir, { objective: { implicitPrefs: true, alpha: 40 } });
    expect(b.objectiveSource).toBe('given');
    expect((b.model as SparkAlsRecommender).config).toMatchObject({ regParam: 0.1, implicitPrefs: true, alpha: 40 });
  });

  it('names the folder or part file when the model is incomplete or damaged', async () => {
    const { dir } = fixtureDir();
    rmSync(join(dir, 'metadata'), { recursive: true });
    await expect(importSparkAls(dir)).rejects.toThrow(/case-\d+: no metadata\/ folder: not a saved Spark ALSModel/);

    const d2 = fixtureDir().dir;
    const part = readdirSync(join(d2, 'itemFactors')).find((p) => p.startsWith('part-00001'))!;
    const bytes = readFileSync(join(d2, 'itemFactors', part));
    writeFileSync(join(d2, 'itemFactors', part), bytes.subarray(0, bytes.length - 40));
    const err = await importSparkAls(d2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(new RegExp(`itemFactors/${part}: not a readable Parquet file`));
    expect((err as Error).message).not.toContain('\n');

    const d3 = fixtureDir().dir;
    writeFileSync(join(d3, 'metadata', 'part-00000'), JSON.stringify({ class: 'org.apache.spark.ml.recommendation.ALS', rank: 5 }));
    await expect(importSparkAls(d3)).rejects.toThrow(/metadata\/part-00000:1: class is "org.apache.spark.ml.recommendation.ALS", expected org.apache.spark.ml.recommendation.ALSModel/);

    const d4 = fixtureDir().dir;
    writeFileSync(join(d4, 'metadata', 'part-00000'), JSON.stringify({ class: ALS_MODEL_CLASS, rank: 6 }));
    await expect(importSparkAls(d4)).rejects.toThrow(/row 0 \(id \d+\): features hold 5 values, the metadata's rank is 6/);

    const twice = sparkFixture(3, 23, 31, 5);
    twice.userIds[5] = twice.userIds[0];
    const d5 = fresh();
    writeSparkFixture(d5, twice);
    await expect(importSparkAls(d5)).rejects.toThrow(new RegExp(`userFactors: id ${twice.userIds[0]} appears in more than one row`));
  });
});

describe('exporting to the Spark ALSModel layout', () => {
  it('writes what Spark writes: metadata ALSModel.load accepts, snappy part files of int ids and a 3-level LIST<FLOAT>, _SUCCESS markers', async () => {
    const data = contractFixture();
    const model = await fitRecommender('ials', data, { factors: 4, iterations: 3 });
    const users = Vocabulary.fromIds('user', Array.from({ length: 60 }, (_, j) => String(100 + j)));
    const items = Vocabulary.fromIds('item', Array.from({ length: 80 }, (_, j) => String(j * 2)));
    const dir = fresh();
    const report = await exportSparkAls(dir, { model, users, items, meta: {} }, { parts: 3 });
    expect(report).toMatchObject({ rank: 4, users: 60, items: 80, foldedBiases: false, caveats: [] });
    const line = readFileSync(join(dir, 'metadata', 'part-00000'), 'utf8');
    expect(line.endsWith('\n')).toBe(true);
    const m = JSON.parse(line) as Record<string, unknown>;
    expect(m).toMatchObject({ class: ALS_MODEL_CLASS, rank: 4, sparkVersion: '3.5.1', collabTs: { implicitPrefs: true, alpha: 1, regParam: 0.01 } });
    expect(typeof m.timestamp).toBe('number');
    expect(m.uid).toMatch(/^als_[0-9a-f]{12}$/);
    // only ALSModel params: ALSModel.load sets each name it finds and fails on one the model does not have
    expect(Object.keys(m.paramMap as object).sort()).toEqual(['coldStartStrategy', 'itemCol', 'predictionCol', 'userCol']);
    expect(Object.keys(m.defaultParamMap as object).sort()).toEqual(['coldStartStrategy', 'itemCol', 'predictionCol', 'userCol']);
    for (const side of ['metadata', 'userFactors', 'itemFactors']) expect(readdirSync(join(dir, side))).toContain('_SUCCESS');
    const parts = readdirSync(join(dir, 'userFactors')).filter((p) => p.startsWith('part-'));
    expect(parts).toHaveLength(3);
    for (const p of parts) {
      expect(p).toMatch(/^part-0000[0-2]-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
      const buf = readFileSync(join(dir, 'userFactors', p));
      const md = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const s = parquetSchema(md);
      expect(s.children.map((c) => c.element.name)).toEqual(['id', 'features']);
      expect(s.children[0].element).toMatchObject({ type: 'INT32', repetition_type: 'REQUIRED' });
      const feat = s.children[1];
      expect(feat.element).toMatchObject({ repetition_type: 'OPTIONAL', converted_type: 'LIST' });
      expect(feat.children[0].element).toMatchObject({ name: 'list', repetition_type: 'REPEATED' });
      expect(feat.children[0].children[0].element).toMatchObject({ name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' });
      for (const rg of md.row_groups) for (const c of rg.columns) expect(c.meta_data?.codec).toBe('SNAPPY');
      expect(md.key_value_metadata?.find((kv) => kv.key === 'org.apache.spark.sql.parquet.row.metadata')?.value).toContain('"containsNull":false');
    }
    const back = await readSparkAlsFolder(dir);
    expect(back.users.ids.length).toBe(60);
    expect(new Set(back.items.ids)).toEqual(new Set(Array.from({ length: 80 }, (_, j) => j * 2)));
  });

  for (const kind of ['ials', 'spark-als', 'dot'] as const) {
    it(`${kind}: export then import gives identical scores`, async () => {
      const data = contractFixture();
      const options = kind === 'dot' ? { factors: 3 } : { factors: 3, iterations: 2 };
      const model = await fitRecommender(kind, data, options, { trainGradient: async () => {} });
      const users = Vocabulary.fromIds('user', Array.from({ length: 60 }, (_, j) => String(j + 1)));
      const items = Vocabulary.fromIds('item', Array.from({ length: 80 }, (_, j) => String(j + 1)));
      const dir = fresh();
      await exportSparkAls(dir, { model, users, items, meta: {} }, { parts: 2 });
      const b = await importSparkAls(dir);
      expect(b.users.rawIds).toEqual(users.rawIds);
      expect(b.items.rawIds).toEqual(items.rawIds);
      const want = new Float32Array(60 * 80);
      const got = new Float32Array(60 * 80);
      const all = Array.from({ length: 60 }, (_, j) => j);
      model.scoreUsers(all, 0, 60, want);
      b.model.scoreUsers(all, 0, 60, got);
      expect([...got]).toEqual([...want]);
      if (kind === 'spark-als') expect((b.model as SparkAlsRecommender).config).toEqual((model as SparkAlsRecommender).config);
    });
  }

  it('folds user and item biases into two extra columns only when asked, keeping the ranking', async () => {
    const data = contractFixture();
    const model = await fitRecommender('dot-bias', data, { factors: 3 }, { trainGradient: async () => {} });
    const users = Vocabulary.fromIds('user', Array.from({ length: 60 }, (_, j) => String(j)));
    const items = Vocabulary.fromIds('item', Array.from({ length: 80 }, (_, j) => String(j)));
    await expect(exportSparkAls(fresh(), { model, users, items, meta: {} })).rejects.toThrow(/dot-bias adds user and item biases .* pass --fold-biases .*rank 3 -> 5/);
    const dir = fresh();
    const report = await exportSparkAls(dir, { model, users, items, meta: {} }, { foldBiases: true });
    expect(report.rank).toBe(5);
    expect(report.caveats[0]).toMatch(/sigmoid range/);
    const b = await importSparkAls(dir);
    const t = model.factors()!;
    const raw = (u: number, i: number) => {
      let s = t.userBias![u] + t.itemBias![i];
      for (let k = 0; k < 3; k++) s += t.userFactors[u * 3 + k] * t.itemFactors[i * 3 + k];
      return s;
    };
    expect(b.model.predict(Int32Array.of(7), Int32Array.of(9))[0]).toBeCloseTo(raw(7, 9), 5);
    expect(b.model.recommend(7, { k: 10, includeSeen: true }).map((r) => r.item)).toEqual(model.recommend(7, { k: 10, includeSeen: true }).map((r) => r.item));
  });

  it('refuses ids Spark cannot key, models without factors, and an existing folder', async () => {
    const data = contractFixture();
    const model = await fitRecommender('ials', data, { factors: 2, iterations: 1 });
    const users = Vocabulary.fromIds('user', Array.from({ length: 60 }, (_, j) => `u${j}`));
    const items = Vocabulary.fromIds('item', Array.from({ length: 80 }, (_, j) => String(j)));
    await expect(exportSparkAls(fresh(), { model, users, items, meta: {} })).rejects.toThrow(/user id "u0" is not an integer in Spark's int range/);
    const ease = await fitRecommender('ease', data, {});
    await expect(exportSparkAls(fresh(), { model: ease, users, items, meta: {} })).rejects.toBeInstanceOf(UsageError);
    const dir = fresh();
    const ok = { model, users: Vocabulary.fromIds('user', Array.from({ length: 60 }, (_, j) => String(j))), items, meta: {} };
    await exportSparkAls(dir, ok);
    await expect(exportSparkAls(dir, ok)).rejects.toThrow(/already exists; choose a new folder or pass --overwrite/);
    await exportSparkAls(dir, ok, { overwrite: true });
    expect(readdirSync(root).filter((d) => d.endsWith('.tmp') || d.endsWith('.old'))).toEqual([]);
  });
});
