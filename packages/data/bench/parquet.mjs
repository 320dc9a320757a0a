// Parquet vs CSV: read time, rows/s and peak memory of @collab-ts/data's readers on the same synthetic
// MovieLens-25M-shaped ratings (userId int, movieId int, rating float, timestamp long; snappy).
//
// Usage: node bench/parquet.mjs [--rows 1000000] [--reps 2]      (BENCH_ROWS / BENCH_REPS work too)
//        DUCKDB_MODULE=/path/to/node_modules/@duckdb/node-api node bench/parquet.mjs   (adds DuckDB's reader)
//
// Each read runs in a fresh child process (peak RSS: VmHWM; wall and CPU seconds, best of --reps rounds that
// interleave the readers; compare by CPU time on a shared machine). Three files hold the same rows:
// - ratings.csv, read by loadRatings (today's CSV reader);
// - a Parquet file as collab writes it (writeRatingsParquet: REQUIRED columns), read by loadRatingsAsync;
// - a Parquet file with every column OPTIONAL (nullable), as Spark, DuckDB and pyarrow write by default, read by
//   loadRatingsAsync (hyparquet assembles nullable columns into plain arrays, which costs time).
// With DUCKDB_MODULE, the nullable file is also read through DuckDB's Node API into the same typed columns
// (the library this project did not pick; see the README's Parquet section). Prints a table, writes
// bench/parquet-results.json. Files live in $TMPDIR/collab-ts-bench (kept only with BENCH_KEEP=1).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeParquet, generateSynthetic } from '../dist/index.js';
import { loadRatings, loadRatingsAsync, writeRatingsCsv, writeRatingsParquet } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

function peakRssMB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** DuckDB's reader, for comparison only: SELECT the four columns, copy each 2048-row chunk into typed arrays. */
async function readWithDuckDB(file) {
  const { DuckDBInstance } = await import(process.env.DUCKDB_MODULE);
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  const n = Number((await con.runAndReadAll(`SELECT count(*) FROM read_parquet('${file}')`)).getRows()[0][0]);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = new Float64Array(n);
  const result = await con.stream(`SELECT userId, movieId, rating, timestamp FROM read_parquet('${file}')`);
  let k = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const [u, i, r, t] = [0, 1, 2, 3].map((c) => chunk.getColumnVector(c));
    for (let j = 0; j < chunk.rowCount; j++) {
      users[k + j] = u.getItem(j);
      items[k + j] = i.getItem(j);
      ratings[k + j] = r.getItem(j);
      timestamps[k + j] = Number(t.getItem(j));
    }
    k += chunk.rowCount;
  }
  // the id coding step the collab readers do (dense remap of integer ids), so the work compares
  for (const ids of [users, items]) {
    let max = 0;
    for (let j = 0; j < k; j++) if (ids[j] > max) max = ids[j];
    const code = new Int32Array(max + 1);
    for (let j = 0; j < k; j++) code[ids[j]] = 1;
    let c = 0;
    for (let v = 0; v <= max; v++) if (code[v]) code[v] = ++c;
    for (let j = 0; j < k; j++) ids[j] = code[ids[j]] - 1;
  }
  return k;
}

if (process.argv[2] === '--child') {
  const [, , , how, file] = process.argv;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rows;
  if (how === 'csv') rows = loadRatings(file).dataset.ratings.ratings.length;
  else if (how === 'parquet') rows = (await loadRatingsAsync(file)).dataset.ratings.ratings.length;
  else rows = await readWithDuckDB(file);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ rows, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: peakRssMB() }));
  process.exit(0);
}

const arg = (name) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? process.argv[k + 1] : undefined;
};
const rows = Number(arg('--rows') ?? process.env.BENCH_ROWS ?? 25_000_000);
const reps = Number(arg('--reps') ?? process.env.BENCH_REPS ?? 2);
if (!(Number.isInteger(rows) && rows >= 1000)) throw new Error(`--rows must be an integer >= 1000, got ${rows}`);
const scale = rows / 25_000_000;
const users = Math.max(100, Math.round(162_541 * scale));
const items = Math.max(100, Math.min(59_047, Math.round(59_047 * Math.sqrt(scale))));
const dir = join(tmpdir(), 'collab-ts-bench');
mkdirSync(dir, { recursive: true });
const files = {
  csv: join(dir, `synthetic-${rows}.csv`),
  required: join(dir, `synthetic-${rows}.parquet`),
  optional: join(dir, `synthetic-${rows}-nullable.parquet`),
};
const fmt = (n, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const results = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, rows, users, items, write: {}, read: {} };

if (!Object.values(files).every(existsSync)) {
  const { dataset } = generateSynthetic({ users, items, ratings: rows, seed: 25, step: 0.5, scale: [0.5, 5], titles: false });
  let t = performance.now();
  writeRatingsCsv(dataset.ratings, dataset, files.csv);
  results.write.csv = { seconds: (performance.now() - t) / 1000 };
  t = performance.now();
  writeRatingsParquet(dataset.ratings, dataset, files.required);
  results.write.parquet = { seconds: (performance.now() - t) / 1000 };
  // the same rows with nullable columns (what other engines write): raw ids, as writeRatingsParquet stores them
  const raw = (v, codes) => {
    const ids = Int32Array.from(v.rawIds, Number);
    return Int32Array.from(codes, (c) => ids[c]);
  };
  const r = dataset.ratings;
  writeFileSync(files.optional, encodeParquet([
    { name: 'userId', type: 'int', data: raw(dataset.users, r.users), nullable: true },
    { name: 'movieId', type: 'int', data: raw(dataset.items, r.items), nullable: true },
    { name: 'rating', type: 'float', data: r.ratings, nullable: true },
    { name: 'timestamp', type: 'long', data: r.timestamps, nullable: true },
  ]));
}
for (const [k, f] of Object.entries(files)) results[`${k}MB`] = statSync(f).size / 1e6;

const readers = [
  ['csv', 'csv', files.csv],
  ['parquet', 'parquet', files.required],
  ['parquetNullable', 'parquet', files.optional],
  ...(process.env.DUCKDB_MODULE ? [['duckdbNullable', 'duckdb', files.optional]] : []),
];
// interleaved rounds (csv, parquet, ..., csv, parquet, ...) so that a busy spell of a shared machine hits every reader
const runs = Object.fromEntries(readers.map(([key]) => [key, []]));
for (let k = 0; k < reps; k++) {
  for (const [key, how, file] of readers) runs[key].push(JSON.parse(execFileSync(process.execPath, [self, '--child', how, file], { encoding: 'utf8', maxBuffer: 1 << 20, env: process.env })));
}
for (const [key] of readers) {
  const list = runs[key];
  const best = list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const cpuSeconds = Math.min(...list.map((r) => r.cpuSeconds));
  results.read[key] = { rows: best.rows, seconds: best.seconds, cpuSeconds, rowsPerSecond: best.rows / best.seconds, peakRssMB: Math.max(...list.map((r) => r.peakRssMB)), runs: list };
}
const csv = results.read.csv;

const table = [['reader (same rows)', 'file MB', 'seconds', 'rows/s', 'CPU s', 'peak RSS (MB)', 'CPU time vs CSV']];
const add = (label, mb, r) => table.push([label, fmt(mb, 0), fmt(r.seconds), fmt(r.rowsPerSecond, 0), fmt(r.cpuSeconds), fmt(r.peakRssMB, 0), `${fmt(r.cpuSeconds / csv.cpuSeconds)}x`]);
add('CSV: loadRatings', results.csvMB, csv);
add('Parquet, as collab writes it (REQUIRED columns): loadRatingsAsync', results.requiredMB, results.read.parquet);
add('Parquet, nullable columns (Spark/DuckDB/pyarrow): loadRatingsAsync', results.optionalMB, results.read.parquetNullable);
if (results.read.duckdbNullable) add('Parquet, nullable columns: DuckDB node-api (not used)', results.optionalMB, results.read.duckdbNullable);

const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
const line = (r) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ') + ' |';
const text = [line(table[0]), '|' + widths.map((w, c) => (c === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...table.slice(1).map(line)].join('\n');
console.log(`\n${rows} ratings, ${users} users, ${items} items; best of ${reps} interleaved rounds of fresh processes; Node ${process.version}; ${results.cpu}\n`);
console.log(text);
results.table = text;
writeFileSync(join(here, 'parquet-results.json'), JSON.stringify(results, null, 2) + '\n');
if (!process.env.BENCH_KEEP) for (const f of Object.values(files)) rmSync(f, { force: true });
