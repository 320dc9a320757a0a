// Scale benchmark of the `svd` family (tracker issue 12): MovieLens-25M-shaped synthetic ratings (data's
// generateSynthetic with movieLens25mShape: planted 8-dim factors, Gaussian noise 0.3, whole stars, seeded)
// at 1M, 5M and 25M ratings; a seeded 80/20 random split; 5 epochs of `svd` with its default options (all
// cores unless --threads); validation RMSE of the clipped predictions after the last epoch.
// Each size runs in its own child process (so its peak memory is its own): the child reports seconds per
// epoch (training only, the per-epoch validation pass excluded), ratings per second per thread, the CPU
// seconds the process spent training, and its peak resident memory (process.resourceUsage().maxRSS; the
// generated data is dropped and collected before the fit, so the peak is the larger of generation and fit).
// Reference on this machine (quoted, not run): LibMF -k 50 on the same kind of data, 1.0-1.6 s per
// iteration on 2 cores at 25M, valid RMSE 0.418 as reported in issue 12.
// Usage: nice -n 10 node bench/scale.mjs [--sizes 1m,5m,25m] [--threads N] [--epochs 5] [--seed 1] [--options '{"reg":0.03}']
//        (writes bench/scale-results.json; the machine is shared: run 25M rarely)
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1m,5m,25m' },
    threads: { type: 'string' },
    epochs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    options: { type: 'string', default: '{}' },
    child: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./scale-results.json', import.meta.url)) },
  },
});

/** "1m" -> 1e6, "500k" -> 5e5, "25m" -> 25,000,095 (MovieLens 25M's exact count), plain numbers as given. */
function ratingsOf(size) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(size.trim());
  if (!m) throw new Error(`bad size ${size}: use e.g. 1m, 500k or 2000000`);
  if (m[1] === '25' && m[2].toLowerCase() === 'm') return 25_000_095;
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1));
}

async function child(size) {
  const { generateSynthetic, movieLens25mShape, randomSplit } = await import('@collab-ts/data');
  const { fitRecommender } = await import('@collab-ts/models');
  const { WorkerPool, defaultThreads } = await import('@collab-ts/core/node');
  const n = ratingsOf(size);
  const seed = Number(args.seed);
  const shape = movieLens25mShape(n);
  let t = performance.now();
  let { dataset } = generateSynthetic({ ...shape, ratings: n, seed, titles: false });
  // the model needs no timestamps: splitting without them keeps 20 bytes a rating out of the peak
  const { users, items, ratings } = dataset.ratings;
  const { train, valid } = randomSplit({ users, items, ratings, timestamps: null }, { validPct: 0.2, seed });
  dataset = null; // only the split is needed from here on
  globalThis.gc?.();
  const generateSeconds = (performance.now() - t) / 1000;
  const options = { epochs: Number(args.epochs), ...JSON.parse(args.options) };
  // the threads of `collab train --threads` (default all cores): a core worker pool handed to the fit
  const pool = new WorkerPool({ threads: args.threads ? Number(args.threads) : defaultThreads() });
  const epochs = [];
  const cpu0 = process.cpuUsage();
  t = performance.now();
  let cpuEpochs = 0;
  let mark = process.cpuUsage();
  const rec = await fitRecommender('svd', { train, valid, nUsers: shape.users, nItems: shape.items }, options, {
    epoch(e) {
      const c = process.cpuUsage(mark);
      // the CPU time of the epoch and of its validation pass; the pass is one thread's short loop
      cpuEpochs += (c.user + c.system) / 1e6;
      epochs.push({ epoch: e.epoch, seconds: e.seconds, train_rmse: Math.sqrt(e.trainLoss), valid_rmse: e.validLoss === null ? null : Math.sqrt(e.validLoss) });
      mark = process.cpuUsage();
    },
    runner: pool,
  });
  await pool.close();
  const fitSeconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const p = rec.predict(valid.users, valid.items);
  let s = 0;
  for (let j = 0; j < p.length; j++) s += (p[j] - valid.ratings[j]) ** 2;
  const threads = rec.state().config.options.threads;
  const epochSeconds = epochs.reduce((a, e) => a + e.seconds, 0) / epochs.length;
  const row = {
    size,
    ratings: n,
    users: shape.users,
    items: shape.items,
    train: train.ratings.length,
    valid: valid.ratings.length,
    threads,
    options: rec.state().config.options,
    seconds_per_epoch: epochSeconds,
    ratings_per_second_per_thread: train.ratings.length / epochSeconds / threads,
    ratings_per_cpu_second: (train.ratings.length * epochs.length) / cpuEpochs,
    fit_seconds: fitSeconds,
    fit_cpu_seconds: (cpu.user + cpu.system) / 1e6,
    generate_seconds: generateSeconds,
    valid_rmse: Math.sqrt(s / p.length),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    epochs,
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

function runChild(size) {
  return new Promise((resolve, reject) => {
    const argv = ['--expose-gc', fileURLToPath(import.meta.url), '--child', size, '--epochs', args.epochs, '--seed', args.seed, '--options', args.options, ...(args.threads ? ['--threads', args.threads] : [])];
    execFile(process.execPath, argv, { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`size ${size} failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

if (args.child) {
  await child(args.child);
} else {
  const rows = [];
  for (const size of args.sizes.split(',')) {
    const row = await runChild(size);
    rows.push(row);
    console.error(`${size}: ${row.seconds_per_epoch.toFixed(2)} s/epoch on ${row.threads} threads, valid RMSE ${row.valid_rmse.toFixed(4)}, peak ${row.peak_rss_mb.toFixed(0)} MB`);
  }
  const table = [
    ['size', 'train', 'threads', 's/epoch', 'ratings/s/thread', 'ratings/cpu-s', 'valid RMSE', 'peak MB'],
    ...rows.map((r) => [r.size, r.train, r.threads, r.seconds_per_epoch.toFixed(2), Math.round(r.ratings_per_second_per_thread), Math.round(r.ratings_per_cpu_second), r.valid_rmse.toFixed(4), r.peak_rss_mb.toFixed(0)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
  for (const r of table) console.log(r.map((x, c) => String(x).padStart(widths[c])).join('  '));
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() };
  const reference = { libmf: { options: '-k 50', valid_rmse: 0.418, seconds_per_iteration_25m_2_threads: [1.0, 1.6], source: 'measured on this machine, as reported in issue 12' } };
  writeFileSync(args.out, `${JSON.stringify({ protocol: 'movieLens25mShape synthetic, seed ' + args.seed + ', 80/20 random split, svd defaults', epochs: Number(args.epochs), machine, reference, rows }, null, 2)}\n`);
  console.log(`wrote ${args.out}`);
}
