#!/usr/bin/env node
// embedding-nn, chapter 8's recipe on MovieLens 100k (layers [100, 50], y_range (0, 5.5), fit_one_cycle(5, 5e-3,
// wd 0.1), bs 64, random 20% validation, seed 42): seconds per 5-epoch fit and valid MSE of this checkout's fused
// engine, against another checkout's (a build of main: --baseline <repo root>) in the same run: the fits
// interleaved, each in a fresh child process (so neither engine's JIT state, heap or typed-array protectors
// leak into the other's timing). Speed is reported as the ratio of median CPU times (the process's own, so
// load from other processes inflates it less than wall time) and of median wall times.
// --seeds 42,1,2 also fits other model / shuffle seeds (the split stays seed 42) to show the spread of valid MSE.
// Usage: COLLAB_DATA_DIR=../shared/data node bench/nn.mjs [--baseline /path/to/other/checkout] [--rounds 3]
//   [--seeds 42]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomSplit } from '@collab-ts/data';
import { readMovieLens100k } from '@collab-ts/data/node';
import * as models from '@collab-ts/models';
import * as train from '../dist/index.js';

const { values: args } = parseArgs({ options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '3' }, seeds: { type: 'string', default: '42' }, child: { type: 'string' }, seed: { type: 'string' } } });
const seeds = args.seeds.split(',').map(Number);
const dataDir = process.env.COLLAB_DATA_DIR;
if (!dataDir) {
  console.error('set COLLAB_DATA_DIR to the folder holding ml-100k/');
  process.exit(1);
}
const ds = readMovieLens100k(join(dataDir, 'ml-100k'));
const { train: trainSet, valid } = randomSplit(ds.ratings, { validPct: 0.2, seed: 42 });

const engines = [{ name: 'this checkout', models, train }];
if (args.baseline) {
  const root = resolve(args.baseline);
  const load = (pkg) => import(pathToFileURL(join(root, 'packages', pkg, 'dist', 'index.js')).href);
  engines.unshift({ name: `baseline (${root})`, models: await load('models'), train: await load('train') });
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function fit(engine, seed) {
  const model = await engine.models.createModel('embedding-nn', { nUsers: ds.users.size, nItems: ds.items.size, layers: [100, 50], yRange: [0, 5.5], seed });
  const learn = new engine.train.Learner({ model, train: trainSet, valid, bs: 64, seed });
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const r = await learn.fitOneCycle(5, 5e-3, { wd: 0.1 });
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0, validMse: r.valid.mse, validPerEpoch: r.epochs.map((e) => e.validLoss) };
}

if (args.child !== undefined) {
  // child: one fit of one engine, the result as JSON on stdout
  console.log(JSON.stringify(await fit(engines[Number(args.child)], Number(args.seed))));
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = engines.map(() => []);
const self = fileURLToPath(import.meta.url);
for (let round = 0; round < Number(args.rounds); round++) {
  for (const seed of seeds) {
    for (let e = 0; e < engines.length; e++) {
      const childArgs = [self, '--child', String(e), '--seed', String(seed), ...(args.baseline ? ['--baseline', args.baseline] : [])];
      const r = { seed, ...JSON.parse(execFileSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 1 << 20 })) };
      runs[e].push(r);
      console.error(`round ${round + 1}, seed ${seed}: ${engines[e].name}: ${r.cpu.toFixed(2)} s CPU, ${r.wall.toFixed(2)} s wall, valid MSE ${r.validMse.toFixed(4)}`);
    }
  }
}

const rows = engines.map((engine, e) => ({
  engine: engine.name,
  medianCpuSeconds: median(runs[e].map((r) => r.cpu)),
  medianWallSeconds: median(runs[e].map((r) => r.wall)),
  // valid MSE by seed (one seed gives the same figure every round: one thread is deterministic)
  validMse: Object.fromEntries(seeds.map((seed) => [seed, runs[e].find((r) => r.seed === seed).validMse])),
  meanValidMse: seeds.reduce((s, seed) => s + runs[e].find((r) => r.seed === seed).validMse, 0) / seeds.length,
  validPerEpoch: runs[e][0].validPerEpoch,
  fits: runs[e],
}));
const ratio = rows.length === 2
  ? { cpu: rows[0].medianCpuSeconds / rows[1].medianCpuSeconds, wall: rows[0].medianWallSeconds / rows[1].medianWallSeconds }
  : null;
const machine = `${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), Node ${process.version}, load ${os.loadavg()[0].toFixed(1)} at the end`;
console.log(`embedding-nn [100, 50], ML-100k, fit_one_cycle(5, 5e-3, wd 0.1), bs 64; ${args.rounds} interleaved rounds, one process a fit; ${machine}`);
console.log('');
console.log(`| engine | median CPU s | median wall s | valid MSE, seed ${seeds.join(' / ')} | mean |`);
console.log('|---|---:|---:|---|---:|');
for (const r of rows) {
  console.log(`| ${r.engine} | ${r.medianCpuSeconds.toFixed(2)} | ${r.medianWallSeconds.toFixed(2)} | ${seeds.map((x) => r.validMse[x].toFixed(4)).join(' / ')} | ${r.meanValidMse.toFixed(4)} |`);
}
if (ratio) console.log(`\nspeed-up of this checkout: ${ratio.cpu.toFixed(2)}x by CPU time, ${ratio.wall.toFixed(2)}x by wall time`);
const protocol = `ml-100k, randomSplit(validPct 0.2, seed 42), embedding-nn layers [100, 50], yRange [0, 5.5], fitOneCycle(5, 5e-3, wd 0.1), bs 64, model and shuffle seeds ${seeds.join(', ')}`;
const out = { date: new Date().toISOString(), machine, protocol, rows, ratio };
writeFileSync(new URL('./nn-results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
