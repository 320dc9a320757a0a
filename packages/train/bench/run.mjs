// Benchmark of the training loop on MovieLens 100k: fastai chapter 8's runs (valid MSE, seconds per fit) and
// the plain fused per-rating SGD loop of the design brief, run in the same process for the speed ratio.
// Usage: COLLAB_DATA_DIR=../shared/data node bench/run.mjs   (BENCH_NN=0 skips the slow embedding-nn fit)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { createRng } from '@collab-ts/core';
import { randomSplit } from '@collab-ts/data';
import { readMovieLens100k } from '@collab-ts/data/node';
import { createModel } from '@collab-ts/models';
import { Learner } from '../dist/index.js';

const dataDir = process.env.COLLAB_DATA_DIR;
if (!dataDir) {
  console.error('set COLLAB_DATA_DIR to the folder holding ml-100k/');
  process.exit(1);
}
const ds = readMovieLens100k(join(dataDir, 'ml-100k'));
const { train, valid } = randomSplit(ds.ratings, { validPct: 0.2, seed: 42 });

/** The design brief's reference: one fused loop, per-rating SGD on the touched rows only. */
function plainSgdLoop(epochs, { factors = 50, lr = 0.01, reg = 0.02, seed = 42 } = {}) {
  const rng = createRng(seed);
  const nU = ds.users.size;
  const nI = ds.items.size;
  const P = Float32Array.from({ length: nU * factors }, () => rng.normal(0, 0.1));
  const Q = Float32Array.from({ length: nI * factors }, () => rng.normal(0, 0.1));
  const bu = new Float32Array(nU);
  const bi = new Float32Array(nI);
  let mu = 0;
  for (const r of train.ratings) mu += r;
  mu /= train.ratings.length;
  const order = rng.permutation(train.ratings.length);
  const times = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const u = train.users[i] * factors;
      const it = train.items[i] * factors;
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += P[u + f] * Q[it + f];
      const err = train.ratings[i] - (mu + bu[train.users[i]] + bi[train.items[i]] + dot);
      bu[train.users[i]] += lr * (err - reg * bu[train.users[i]]);
      bi[train.items[i]] += lr * (err - reg * bi[train.items[i]]);
      for (let f = 0; f < factors; f++) {
        const p = P[u + f];
        const q = Q[it + f];
        P[u + f] += lr * (err * q - reg * p);
        Q[it + f] += lr * (err * p - reg * q);
      }
    }
    times.push(performance.now() - t0);
  }
  let se = 0;
  for (let i = 0; i < valid.ratings.length; i++) {
    const u = valid.users[i] * factors;
    const it = valid.items[i] * factors;
    let dot = 0;
    for (let f = 0; f < factors; f++) dot += P[u + f] * Q[it + f];
    const e = valid.ratings[i] - (mu + bu[valid.users[i]] + bi[valid.items[i]] + dot);
    se += e * e;
  }
  times.sort((a, b) => a - b);
  return { msPerEpoch: times[Math.floor(times.length / 2)], validRmse: Math.sqrt(se / valid.ratings.length) };
}

async function fit(name, kind, modelOpts, fitOpts) {
  const model = await createModel(kind, { nUsers: ds.users.size, nItems: ds.items.size, factors: 50, seed: 42, ...modelOpts });
  const learn = new Learner({ model, train, valid, bs: 64, seed: 42, sparseMode: fitOpts.sparseMode });
  const t0 = performance.now();
  const r = await learn.fitOneCycle(5, 5e-3, { wd: fitOpts.wd });
  const seconds = (performance.now() - t0) / 1000;
  return { name, kind, wd: fitOpts.wd, sparseMode: fitOpts.sparseMode ?? 'catch-up', backend: model.backend, validMse: r.valid.mse, validPerEpoch: r.epochs.map((e) => e.validLoss), seconds };
}

// warm up the JIT on the same code paths
plainSgdLoop(2);
await fit('warm-up', 'dot-bias', { yRange: [0, 5.5] }, { wd: 0.1 });

const ref = plainSgdLoop(20);
const runs = [];
runs.push(await fit('DotProduct', 'dot', { yRange: null }, { wd: 0.1 }));
runs.push(await fit('DotProduct + yRange', 'dot', { yRange: [0, 5.5] }, { wd: 0.1 }));
runs.push(await fit('DotProductBias, no wd', 'dot-bias', { yRange: [0, 5.5] }, { wd: 0 }));
runs.push(await fit('DotProductBias, wd 0.1', 'dot-bias', { yRange: [0, 5.5] }, { wd: 0.1 }));
runs.push(await fit('DotProductBias, wd 0.1, lazy Adam', 'dot-bias', { yRange: [0, 5.5] }, { wd: 0.1, sparseMode: 'lazy' }));
runs.push(await fit('DotProductBias, wd 0.1, dense Adam', 'dot-bias', { yRange: [0, 5.5] }, { wd: 0.1, sparseMode: 'dense' }));
runs.push(await fit('EmbeddingDotBias (collab_learner)', 'embedding-dot-bias', {}, { wd: 0.1 }));
if (process.env.BENCH_NN !== '0') runs.push(await fit('EmbeddingNN [100, 50]', 'embedding-nn', { layers: [100, 50], yRange: [0, 5.5] }, { wd: 0.1 }));

const refFiveEpochs = (5 * ref.msPerEpoch) / 1000;
const rows = runs.map((r) => ({ ...r, ratioToPlainLoop: r.seconds / refFiveEpochs }));
console.log(`MovieLens 100k, random 20% validation (seed 42), 50 factors, fit_one_cycle(5, 5e-3), bs 64; ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
console.log(`plain fused SGD loop (design brief): ${ref.msPerEpoch.toFixed(1)} ms/epoch, valid RMSE ${ref.validRmse.toFixed(3)} after 20 epochs`);
console.log('');
console.log('| run | sparse mode | valid MSE per epoch | final valid MSE | 5-epoch fit (s) | vs 5 epochs of plain loop |');
console.log('|---|---|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.sparseMode} | ${r.validPerEpoch.map((x) => x.toFixed(3)).join(' ')} | ${r.validMse.toFixed(4)} | ${r.seconds.toFixed(2)} | ${r.ratioToPlainLoop.toFixed(1)}x |`);
}
const out = { machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version }, protocol: 'ml-100k, randomSplit(validPct 0.2, seed 42), 50 factors, fitOneCycle(5, 5e-3), bs 64, seed 42', plainLoop: ref, runs: rows, date: new Date().toISOString() };
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
