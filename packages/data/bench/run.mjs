// Benchmark of @collab-ts/data's ratings reader. Usage: node bench/run.mjs  (BENCH_ROWS=1000000 to shrink)
// Generates a synthetic MovieLens-25M-shaped ratings.csv in a temp dir (kept between runs only with
// BENCH_KEEP=1), reads it with loadRatings in child processes (peak memory: VmHWM, else resourceUsage().maxRSS),
// times MovieLens 100k when COLLAB_DATA_DIR is set, prints a table and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSynthetic, Vocabulary } from '../dist/index.js';
import { loadRatings, writeRatingsCsv } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Peak resident memory of this process in MB. On Linux, VmHWM from /proc/self/status: unlike
 * getrusage's maxRSS it is not inherited from the parent's memory image at fork time.
 */
function peakRssMB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

if (process.argv[2] === '--child') {
  // one read in a fresh process: wall time and peak RSS
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const { dataset, skipped } = loadRatings(process.argv[3]);
  const seconds = (performance.now() - t0) / 1000;
  const out = {
    rows: dataset.ratings.ratings.length,
    users: dataset.users.size,
    items: dataset.items.size,
    skipped,
    seconds,
    baselineRssMB: before / 2 ** 20,
    peakRssMB: peakRssMB(),
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const rows = Number(process.env.BENCH_ROWS ?? 25_000_000);
const scale = rows / 25_000_000;
const users = Math.max(100, Math.round(162_541 * scale));
const items = Math.max(100, Math.min(59_047, Math.round(59_047 * Math.sqrt(scale))));
const dir = join(tmpdir(), 'collab-ts-bench');
const file = join(dir, `synthetic-${rows}.csv`);
mkdirSync(dir, { recursive: true });

const results = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', rows, users, items, runs: [] };
const fmt = (n, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// a smaller file with text ids ("user_123", "movie-abc") for the string-id path
const textRows = Number(process.env.BENCH_TEXT_ROWS ?? Math.round(rows / 5));
const textFile = join(dir, `synthetic-text-${textRows}.csv`);
if (textRows > 0 && !existsSync(textFile)) {
  const { dataset } = generateSynthetic({ users: Math.max(100, Math.round(users / 5)), items, ratings: textRows, seed: 26, titles: false });
  const relabel = (v, prefix, radix) => new Vocabulary(v.kind, v.rawIds.map((id) => prefix + Number(id).toString(radix)));
  writeRatingsCsv(dataset.ratings, { users: relabel(dataset.users, 'user_', 10), items: relabel(dataset.items, 'movie-', 36) }, textFile);
}

if (existsSync(file)) {
  console.log(`using existing ${file}`);
} else {
  let t = performance.now();
  const { dataset } = generateSynthetic({ users, items, ratings: rows, seed: 25, step: 0.5, scale: [0.5, 5], titles: false });
  const genSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const bytes = writeRatingsCsv(dataset.ratings, dataset, file);
  const writeSeconds = (performance.now() - t) / 1000;
  results.generate = { seconds: genSeconds, rowsPerSecond: rows / genSeconds };
  results.writeCsv = { seconds: writeSeconds, bytes, rowsPerSecond: rows / writeSeconds };
  console.log(`generated ${rows} ratings in ${fmt(genSeconds)} s, wrote ${fmt(bytes / 1e6, 0)} MB in ${fmt(writeSeconds)} s`);
}
results.fileMB = statSync(file).size / 1e6;

const reps = Number(process.env.BENCH_REPS ?? 2);
for (let k = 0; k < reps; k++) {
  const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 }));
  results.runs.push(out);
}
const best = results.runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
results.read = { seconds: best.seconds, rowsPerSecond: best.rows / best.seconds, peakRssMB: Math.max(...results.runs.map((r) => r.peakRssMB)), mbPerSecond: results.fileMB / best.seconds };

let textRead = null;
if (textRows > 0) {
  const runs = [];
  for (let k = 0; k < reps; k++) runs.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', textFile], { encoding: 'utf8' })));
  const b = runs.reduce((a, c) => (c.seconds < a.seconds ? c : a));
  textRead = { rows: b.rows, seconds: b.seconds, rowsPerSecond: b.rows / b.seconds, peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)), runs };
  results.readTextIds = textRead;
}

const table = [
  ['step', 'rows', 'seconds', 'rows/s', 'peak RSS (MB)'],
  ['loadRatings (synthetic ratings.csv, ' + fmt(results.fileMB, 0) + ' MB)', String(best.rows), fmt(best.seconds), fmt(results.read.rowsPerSecond, 0), fmt(results.read.peakRssMB, 0)],
];
if (textRead) table.push(['loadRatings (text ids user_N / movie-xyz)', String(textRead.rows), fmt(textRead.seconds), fmt(textRead.rowsPerSecond, 0), fmt(textRead.peakRssMB, 0)]);
if (results.generate) table.push(['generateSynthetic', String(rows), fmt(results.generate.seconds), fmt(results.generate.rowsPerSecond, 0), '']);
if (results.writeCsv) table.push(['writeRatingsCsv', String(rows), fmt(results.writeCsv.seconds), fmt(results.writeCsv.rowsPerSecond, 0), '']);

const dataDir = process.env.COLLAB_DATA_DIR;
if (dataDir && existsSync(join(dataDir, 'ml-100k', 'u.data'))) {
  const times = [];
  let n = 0;
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    n = loadRatings(join(dataDir, 'ml-100k')).dataset.ratings.ratings.length;
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  results.ml100k = { rows: n, medianSeconds: times[3] };
  table.push(['loadRatings ml-100k (with titles, median of 7)', String(n), fmt(times[3], 4), fmt(n / times[3], 0), '']);
} else {
  console.log('COLLAB_DATA_DIR is not set: skipping the MovieLens 100k timing');
}

const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
const line = (r) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ') + ' |';
const text = [line(table[0]), '|' + widths.map((w, c) => (c === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...table.slice(1).map(line)].join('\n');
console.log(`\n${rows} ratings, ${users} users, ${items} items; Node ${process.version}; ${results.cpu}\n`);
console.log(text);
results.table = text;
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
if (!process.env.BENCH_KEEP) {
  rmSync(file, { force: true });
  rmSync(textFile, { force: true });
}
