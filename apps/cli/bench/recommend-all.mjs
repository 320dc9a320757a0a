// `collab recommend --all -k 10` at MovieLens-25M shape (issue 12) and `collab cv` on MovieLens 100k, with one
// thread and with two, in the same run (the ratio is what to read on a shared machine).
//   model: an ials model of 50 factors with seeded normal factors and a seeded training history of about
//          155 items per user drawn with a long-tail popularity (about 25M interactions at full shape), saved
//          with saveModel and run through the built CLI, so the figures include loading, the worker threads and
//          writing the 1.6 million CSV rows.
//   compute: the seconds the CLI reports for the recommendations (scoring, top-k, predict); wall: the whole command;
//          CPU: user + system seconds of the command and its threads (steadier than wall on a busy machine).
//   kernel share: the CPU seconds of core's scoreFactorBlock alone over the same users x items (timed in this
//          process on a sample of users, one thread) in the float32 mode the tiles use, as a fraction of the
//          one-thread command's CPU seconds (near 1: bound by the arithmetic of the blocked product, not by
//          per-user work); and in the exact f64 mode, which the tiles used before candidates were re-scored.
//   cv: `cv --data ml-100k --folds ml-100k` (u1..u5) with the default model and with ials, folds in parallel on 2.
// Usage: node bench/recommend-all.mjs [--quick] [--users N] [--threads 1,2] [--repeats R] [--no-cv]
//        (--quick: a tenth of the users; COLLAB_DATA_DIR for the cv part; writes bench/recommend-all-results.json,
//        or recommend-all-quick-results.json with --quick)
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { createRng, scoreFactorBlock, Vocabulary } from '@collab-ts/core';
import { writeFileAtomic } from '@collab-ts/core/node';
import { recommendationTable, tableToCsvBytes } from '@collab-ts/eval';
import { getFamily } from '@collab-ts/models';
import { saveModel } from '@collab-ts/models/node';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const QUICK = flag('--quick');
const USERS = Number(value('--users', QUICK ? 16254 : 162541));
const ITEMS = 59047;
const FACTORS = 50;
const K = 10;
const THREADS = value('--threads', '1,2').split(',').map(Number);
const REPEATS = Number(value('--repeats', QUICK ? 2 : 1));
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(os.tmpdir(), 'collab-bench-recall-'));

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs the built CLI; wall seconds, exit code, stderr, and (through /usr/bin/time, where there is one) the CPU
 * seconds of the process and its threads and the peak resident memory. On a busy machine the CPU seconds are the
 * steadier figure: equal CPU seconds on 1 and 2 threads mean the threads add no work, so the wall time halves
 * wherever two cores are free.
 */
function collab(argv) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cmd = TIME ? [TIME, ['-f', 'rusage %U %S %M', process.execPath, BIN, ...argv]] : [process.execPath, [BIN, ...argv]];
    const child = spawn(cmd[0], cmd[1], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /rusage ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      resolve({ code, stderr, wall: (performance.now() - t0) / 1000, cpu: m ? Number(m[1]) + Number(m[2]) : NaN, rssMb: m ? Number(m[3]) / 1024 : NaN });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// --- the synthetic model ---
const t0 = performance.now();
const rng = createRng(25);
const userFactors = new Float32Array(USERS * FACTORS);
const itemFactors = new Float32Array(ITEMS * FACTORS);
for (let j = 0; j < userFactors.length; j++) userFactors[j] = rng.normal(0, 0.3);
for (let j = 0; j < itemFactors.length; j++) itemFactors[j] = rng.normal(0, 0.3);
const offsets = new Int32Array(USERS + 1);
const chunks = [];
const stamp = new Int32Array(ITEMS).fill(-1);
for (let u = 0; u < USERS; u++) {
  const want = 20 + rng.int(270);
  const items = [];
  for (let t = 0; t < want; t++) {
    const i = Math.floor(ITEMS * rng.next() ** 3); // long tail: low indices are the popular items
    if (stamp[i] !== u) items.push(i);
    stamp[i] = u;
  }
  items.sort((a, b) => a - b);
  chunks.push(Int32Array.from(items));
  offsets[u + 1] = offsets[u] + items.length;
}
const indices = new Int32Array(offsets[USERS]);
for (let u = 0; u < USERS; u++) indices.set(chunks[u], offsets[u]);
chunks.length = 0;
const config = { nUsers: USERS, nItems: ITEMS, factors: FACTORS, regularization: 0.01, alpha: 1, iterations: 15, solver: 'cg', cgSteps: 3, seed: 42 };
const rec = await getFamily('ials').load({ config, tensors: { userFactors: { shape: [USERS, FACTORS], data: userFactors }, itemFactors: { shape: [ITEMS, FACTORS], data: itemFactors } } }, {});
rec.history = { nRows: USERS, nCols: ITEMS, offsets, indices, values: new Float32Array(indices.length).fill(1) };
const modelDir = join(dir, 'model');
const ids = (n, p) => Array.from({ length: n }, (_, i) => `${p}${i + 1}`);
saveModel(modelDir, rec, { users: new Vocabulary('user', ids(USERS, '')), items: new Vocabulary('item', ids(ITEMS, '')) });
const interactions = indices.length;
console.error(`model: ${USERS} users x ${ITEMS} items, ${FACTORS} factors, ${interactions} history interactions (${((performance.now() - t0) / 1000).toFixed(1)}s to build and save)`);

// --- kernel share: the blocked product alone on a sample of users, one thread ---
const sample = Math.min(USERS, 1024);
const tables = rec.factors();
const out = new Float32Array(64 * 1024);
const users = Int32Array.from({ length: sample }, (_, i) => i);
const cpuSeconds = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
/** CPU seconds of the blocked product over every user in `accumulate` mode, from a sample of users. */
function kernelCpuSeconds(accumulate) {
  const tk = process.cpuUsage();
  for (let from = 0; from < sample; from += 64) {
    for (let i0 = 0; i0 < ITEMS; i0 += 1024) {
      const i1 = Math.min(ITEMS, i0 + 1024);
      const tile = { ...tables, itemFactors: tables.itemFactors.subarray(i0 * FACTORS, i1 * FACTORS), itemBias: null };
      scoreFactorBlock(tile, users, from, Math.min(64, sample - from), i1 - i0, out, accumulate);
    }
  }
  return cpuSeconds(tk) * (USERS / sample);
}
// the tiles of recommend --all run in f32 (candidates re-scored exactly); f64 is the exact mode it replaced
const kernelSeconds = kernelCpuSeconds('f32');
const exactKernelSeconds = kernelCpuSeconds('f64');

// --- the output path alone: 10 rows for each of the 162,541 users of full shape, as CSV, to a file ---
const FULL_USERS = 162541;
const fullTable = recommendationTable(Int32Array.from({ length: FULL_USERS }, (_, u) => u), K);
for (let j = 0; j < FULL_USERS; j++) {
  fullTable.counts[j] = K;
  for (let r = 0; r < K; r++) {
    fullTable.items[j * K + r] = rng.int(ITEMS);
    fullTable.scores[j * K + r] = rng.normal(0, 2);
  }
}
const tw = process.cpuUsage();
const csvText = tableToCsvBytes(fullTable, { users: new Vocabulary('user', ids(FULL_USERS, '')), items: new Vocabulary('item', ids(ITEMS, '')) });
writeFileAtomic(join(dir, 'write.csv'), csvText);
const writeSeconds = cpuSeconds(tw);
console.error(`writing ${FULL_USERS * K} rows (${(csvText.length / 1e6).toFixed(0)} MB of CSV): ${writeSeconds.toFixed(1)} CPU s`);

// --- recommend --all, threads interleaved ---
const runs = Object.fromEntries(THREADS.map((t) => [t, []]));
const digests = {};
for (let r = 0; r < REPEATS; r++) {
  for (const t of THREADS) {
    const file = join(dir, `recs-${t}.csv`);
    const res = await collab(['recommend', '--model', modelDir, '--all', '-k', String(K), '--threads', String(t), '--output', file]);
    if (res.code !== 0) throw new Error(`recommend --threads ${t} failed:\n${res.stderr}`);
    const compute = Number(/recommendations for \d+ users in ([\d.]+)s/.exec(res.stderr)?.[1]);
    runs[t].push({ wall: res.wall, compute, cpu: res.cpu, rss: res.rssMb });
    digests[t] = createHash('sha256').update(readFileSync(file)).digest('hex');
    rmSync(file);
    console.error(`recommend --all --threads ${t}: ${res.wall.toFixed(1)}s wall, ${compute.toFixed(1)}s computing, ${res.cpu.toFixed(1)} CPU s, ${res.rssMb.toFixed(0)} MB peak`);
  }
}
const recommend = THREADS.map((t) => ({
  threads: t,
  wall_s: median(runs[t].map((x) => x.wall)),
  compute_s: median(runs[t].map((x) => x.compute)),
  cpu_s: median(runs[t].map((x) => x.cpu)),
  peak_rss_mb: Math.max(...runs[t].map((x) => x.rss)),
}));
const identical = new Set(Object.values(digests)).size === 1;

// --- cv on ML-100k ---
const cv = [];
const dataDir = process.env.COLLAB_DATA_DIR;
if (!flag('--no-cv') && dataDir) {
  for (const model of [null, 'ials']) {
    const times = Object.fromEntries(THREADS.map((t) => [t, []]));
    for (let r = 0; r < 2; r++) {
      for (const t of THREADS) {
        const res = await collab(['cv', '--data', 'ml-100k', '--folds', 'ml-100k', ...(model ? ['--model', model] : []), '--threads', String(t), '--json', '-q']);
        if (res.code !== 0) throw new Error(`cv failed:\n${res.stderr}`);
        times[t].push({ wall: res.wall, cpu: res.cpu });
      }
    }
    for (const t of THREADS) cv.push({ model: model ?? 'default', threads: t, wall_s: median(times[t].map((x) => x.wall)), cpu_s: median(times[t].map((x) => x.cpu)) });
  }
}
rmSync(dir, { recursive: true, force: true });

// --- report ---
const base = recommend.find((r) => r.threads === THREADS[0]);
const rows = [
  ['job', 'threads', 'wall s', 'compute s', 'CPU s', 'peak MB', `wall vs ${THREADS[0]} thread`, `CPU vs ${THREADS[0]} thread`],
  ...recommend.map((r) => [`recommend --all (${USERS} x ${ITEMS})`, r.threads, r.wall_s.toFixed(1), r.compute_s.toFixed(1), r.cpu_s.toFixed(1), r.peak_rss_mb.toFixed(0), (base.wall_s / r.wall_s).toFixed(2) + 'x', (r.cpu_s / base.cpu_s).toFixed(2) + 'x']),
  ...cv.map((r) => {
    const b = cv.find((x) => x.model === r.model && x.threads === THREADS[0]);
    return [`cv ml-100k u1..u5 (${r.model})`, r.threads, r.wall_s.toFixed(1), '-', r.cpu_s.toFixed(1), '-', (b.wall_s / r.wall_s).toFixed(2) + 'x', (r.cpu_s / b.cpu_s).toFixed(2) + 'x'];
  }),
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
for (const row of rows) console.log(row.map((x, c) => String(x).padEnd(widths[c])).join('  '));
console.log(`scoreFactorBlock alone, f32 tiles: ${kernelSeconds.toFixed(1)} CPU s (${((kernelSeconds / base.cpu_s) * 100).toFixed(0)}% of the one-thread command's CPU seconds); exact f64 mode: ${exactKernelSeconds.toFixed(1)} CPU s (${(exactKernelSeconds / kernelSeconds).toFixed(2)}x); outputs identical across thread counts: ${identical}`);
console.log(`writing the CSV of ${FULL_USERS * K} rows (full shape): ${writeSeconds.toFixed(1)} CPU s`);
const result = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, load: os.loadavg() },
  shape: { users: USERS, items: ITEMS, factors: FACTORS, k: K, interactions },
  recommend,
  kernel_one_thread_cpu_s: kernelSeconds,
  exact_kernel_one_thread_cpu_s: exactKernelSeconds,
  write_full_shape_csv_cpu_s: writeSeconds,
  outputs_identical: identical,
  cv,
  note: 'timings on a shared machine: read the ratios between thread counts, taken in the same run',
};
writeFileSync(new URL(QUICK ? './recommend-all-quick-results.json' : './recommend-all-results.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
