// collab import/export spark-als end to end: a saved Spark ALSModel folder written by a real Parquet writer
// (hyparquet-writer, snappy, id int + features array<float> in Spark's LIST layout, several part files,
// _SUCCESS and .crc files as Spark leaves them), imported, served, exported and imported again.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'collab-spark-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function collab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// the fixture's numbers: float32 factors of rank 3, sparse int ids in no particular order
const RANK = 3;
const USERS = [30, 10, 50, 20, 40];
const ITEMS = [7, 3, 11, 1, 9, 5, 13, 2];
const rows = (n: number, seed: number) => Array.from({ length: n }, (_, r) => Array.from({ length: RANK }, (_, k) => Math.fround(Math.sin(seed + r * 1.7 + k * 2.3))));
const U = rows(USERS.length, 1);
const V = rows(ITEMS.length, 5);
const score = (u: number, i: number) => U[USERS.indexOf(u)].reduce((s, x, k) => s + x * V[ITEMS.indexOf(i)][k], 0);
const RATED: Record<number, number[]> = { 10: [1, 3], 20: [7], 30: [2, 5, 9], 40: [13], 50: [11, 1] };

function writeParts(dir: string, ids: number[], feats: number[][], parts: number): void {
  mkdirSync(dir, { recursive: true });
  for (let p = 0; p < parts; p++) {
    const keep = ids.map((_, j) => j).filter((j) => j % parts === p);
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Int32Array.from(keep, (j) => ids[j]), nullable: false },
        { name: 'features', data: keep.map((j) => feats[j]) },
      ],
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
      ],
      codec: 'SNAPPY',
    });
    const name = `part-0000${p}-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-c000.snappy.parquet`;
    writeFileSync(join(dir, name), new Uint8Array(buf));
    writeFileSync(join(dir, `.${name}.crc`), 'crc');
  }
  writeFileSync(join(dir, '_SUCCESS'), '');
}

function writeFixture(dir: string): void {
  mkdirSync(join(dir, 'metadata'), { recursive: true });
  const meta = { class: 'org.apache.spark.ml.recommendation.ALSModel', timestamp: 1718000000000, sparkVersion: '3.5.1', uid: 'als_0123456789ab', paramMap: { blockSize: 4096, userCol: 'userId', itemCol: 'movieId' }, defaultParamMap: { blockSize: 4096, coldStartStrategy: 'nan', itemCol: 'item', predictionCol: 'prediction', userCol: 'user' }, rank: RANK };
  writeFileSync(join(dir, 'metadata', 'part-00000'), `${JSON.stringify(meta)}\n`);
  writeFileSync(join(dir, 'metadata', '_SUCCESS'), '');
  writeParts(join(dir, 'userFactors'), USERS, U, 2);
  writeParts(join(dir, 'itemFactors'), ITEMS, V, 3);
}

const spark = join(root, 'als-model');
const ratings = join(root, 'ratings.csv');
const movies = join(root, 'movies.csv');
const model = join(root, 'model');

beforeAll(async () => {
  writeFixture(spark);
  writeFileSync(ratings, `userId,movieId,rating,timestamp\n${Object.entries(RATED).flatMap(([u, items]) => items.map((i, t) => `${u},${i},4,${1000 + t}`)).join('\n')}\n`);
  writeFileSync(movies, `movieId,title,genres\n${ITEMS.map((i) => `${i},"Movie ${i}, The (199${i % 10})",Drama`).join('\n')}\n`);
  const r = await collab('import', 'spark-als', spark, '--out', model, '--items', movies, '--data', ratings, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(j).toMatchObject({ kind: 'spark-als', rank: 3, users: 5, items: 8, titles: true, history: { rows: 9, unknownRows: 0 }, objective: { implicitPrefs: false, regParam: 0.1, source: "Spark's defaults" } });
  expect(j.spark).toMatchObject({ uid: 'als_0123456789ab', params: { userCol: 'userId', itemCol: 'movieId' }, userParts: 2, itemParts: 3 });
});

describe('collab import spark-als', () => {
  it("recommends each user's unseen items by the fixture's dot products, with titles", async () => {
    for (const user of [10, 30]) {
      const r = await collab('recommend', '--model', model, '--user', String(user), '-k', '3', '--json');
      expect(r.code).toBe(0);
      const recs = (JSON.parse(r.stdout) as { recommendations: { item: string; title: string; score: number }[] }).recommendations;
      const want = ITEMS.filter((i) => !RATED[user].includes(i)).sort((a, b) => score(user, b) - score(user, a) || a - b).slice(0, 3);
      expect(recs.map((x) => Number(x.item))).toEqual(want);
      for (const x of recs) {
        expect(x.score).toBeCloseTo(score(user, Number(x.item)), 5);
        expect(x.title).toBe(`Movie ${x.item}, The (199${Number(x.item) % 10})`);
      }
    }
  });

  it('folds in a new user and names similar items', async () => {
    const r = await collab('recommend', '--model', model, '--ratings', '1=5,3=4', '-k', '2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ new_user: true, source: 'fold-in' });
    const s = await collab('similar', '--model', model, '--item', '7', '-k', '2');
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('Movie');
  });

  it('says clearly when no interactions are attached', async () => {
    const r = await collab('import', 'spark-als', spark, '--out', join(root, 'bare'), '--implicit-prefs', '--alpha', '20');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: no interactions attached: recommend and serve cannot hide items users already have/);
    expect(r.stderr).toMatch(/fold-in objective: implicit, alpha 20, regParam 0.1 \(given\)/);
  });

  it('export then import gives identical scores', async () => {
    const out = join(root, 'exported');
    const e = await collab('export', 'spark-als', model, out, '--parts', '2', '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ rank: 3, users: 5, items: 8, foldedBiases: false });
    expect(readdirSync(join(out, 'itemFactors')).filter((n) => n.endsWith('.snappy.parquet'))).toHaveLength(2);
    const again = join(root, 'again');
    expect((await collab('import', 'spark-als', out, '--out', again, '--data', ratings, '-q')).code).toBe(0);
    const a = await collab('recommend', '--model', model, '--all', '-k', '8', '--json', '--include-seen');
    const b = await collab('recommend', '--model', again, '--all', '-k', '8', '--json', '--include-seen');
    expect(a.code).toBe(0);
    const scores = (s: string) => (JSON.parse(s) as { user: string; item: string; score: number }[]).map((x) => [x.user, x.item, x.score]);
    expect(scores(b.stdout)).toEqual(scores(a.stdout));
    // every score is the fixture's dot product
    for (const [u, i, s] of scores(a.stdout) as [string, string, number][]) expect(s).toBeCloseTo(score(Number(u), Number(i)), 5);
  });

  it('a damaged part file or missing metadata is one line naming it, exit 1', async () => {
    const broken = join(root, 'broken');
    writeFixture(broken);
    const part = readdirSync(join(broken, 'userFactors')).find((n) => n.startsWith('part-00001'))!;
    writeFileSync(join(broken, 'userFactors', part), readFileSync(join(broken, 'userFactors', part)).subarray(0, 60));
    const r = await collab('import', 'spark-als', broken, '--out', join(root, 'nope'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`userFactors/${part}: not a readable Parquet file`);
    rmSync(join(broken, 'metadata'), { recursive: true });
    const m = await collab('import', 'spark-als', broken, '--out', join(root, 'nope'));
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/^collab: .*broken: no metadata\/ folder: not a saved Spark ALSModel .*\n$/);
    const missing = await collab('import', 'spark-als', join(root, 'no-such'), '--out', join(root, 'nope'));
    expect(missing.code).toBe(2);
  });
});

describe('collab export', () => {
  it('interactions as Parquet: raw int ids, the columns a Spark ALS job reads', async () => {
    const file = join(root, 'interactions.parquet');
    const r = await collab('export', 'interactions', '--data', ratings, '--out', file, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'parquet', rows: 9 });
    const buf = readFileSync(file);
    const md = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    expect(parquetSchema(md).children.map((c) => [c.element.name, c.element.type])).toEqual([['userId', 'INT32'], ['movieId', 'INT32'], ['rating', 'FLOAT'], ['timestamp', 'INT64']]);
  });

  it('factors as CSV with titles, and refuses an unknown output format', async () => {
    const dir = join(root, 'factors');
    expect((await collab('export', 'factors', model, '--out', dir, '--format', 'csv', '-q')).code).toBe(0);
    const lines = readFileSync(join(dir, 'item_factors.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,title,f0,f1,f2');
    expect(lines).toHaveLength(9);
    const first = lines[1].match(/^(\d+),"([^"]*)",(.*)$/)!;
    expect(first[3].split(',').map(Number)).toEqual(V[ITEMS.indexOf(Number(first[1]))]);
    const bad = await collab('export', 'interactions', '--data', ratings, '--out', join(root, 'x.txt'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format parquet\|csv/);
  });
});
