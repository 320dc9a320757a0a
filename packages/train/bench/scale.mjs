// dot-bias at scale: the optimizer's catch-up (closed form against the step-by-step replay and against the
// optimizer of an older revision, when packages/optim/bench/baseline/dist exists: build it with
// `node ../optim/bench/build-baseline.mjs`), and validation RMSE with the old default weight decay
// (fastai's, per step) against the new default (wdMode 'auto': a fixed decay per epoch above 100k ratings).
// Data: the seeded synthetic generator in MovieLens 25M's shape scaled to N ratings (as `collab generate`),
// random 80/20 split, 50 factors, batch 64, one-cycle lr 5e-3, wd 0.1 (the chapter-8 recipe).
// Usage: node bench/scale.mjs   (after a build; BENCH_SIZES=1000000,5000000 BENCH_EPOCHS=5 BENCH_ROUNDS=2)
// Prints two tables and writes bench/scale-results.json.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import { adam } from '@collab-ts/optim';
import { Learner } from '../dist/index.js';

const sizes = (process.env.BENCH_SIZES ?? '1000000,5000000').split(',').map(Number);
const epochs = Number(process.env.BENCH_EPOCHS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const baselineUrl = new URL('../../optim/bench/baseline/dist/index.js', import.meta.url);
const baseline = existsSync(baselineUrl) ? await import(baselineUrl.href) : null;

/** MovieLens 25M's shape scaled to `ratings` (users in proportion, items with the square root), as `collab generate`. */
function data(ratings) {
  const f = Math.min(1, ratings / 25_000_095);
  const users = Math.round(162_541 * f);
  const items = Math.round(59_047 * Math.sqrt(f));
  const { dataset } = generateSynthetic({ users, items, ratings, seed: 1, titles: false });
  return { users, items, ...randomSplit(dataset.ratings, { validPct: 0.2, seed: 42 }) };
}

/** Trains; returns the seconds of each epoch's batches (no validation) and the final validation figures. */
async function fit(d, n, opts) {
  const model = await createModel('dot-bias', { nUsers: d.users, nItems: d.items, factors: 50, yRange: [0, 5.5] });
  const seconds = [];
  let t0 = 0;
  let t1 = 0;
  const timer = {
    beforeEpoch() {
      t0 = performance.now();
    },
    afterStep() {
      t1 = performance.now();
    },
    afterEpoch() {
      seconds.push((t1 - t0) / 1000);
    },
  };
  const learn = new Learner({ model, train: d.train, valid: d.valid, bs: 64, seed: 42, optimizer: opts.optimizer, callbacks: [timer] });
  const r = await learn.fitOneCycle(n, 5e-3, { wd: opts.wd ?? 0.1, wdMode: opts.wdMode });
  return { seconds, rmse: r.valid.rmse, perEpochRmse: r.epochs.map((e) => Math.sqrt(e.validLoss)) };
}

const catchUps = [
  ['closed form', (p, h) => adam(p, { ...h, sparseMode: 'catch-up' })],
  ['replay (reference)', (p, h) => adam(p, { ...h, sparseMode: 'catch-up', catchUp: 'replay' })],
];
if (baseline) catchUps.push(['older revision', (p, h) => baseline.adam(p, { ...h, sparseMode: 'catch-up' })]);
const regimes = [
  ['old default: wdMode step (fastai per step)', { wdMode: 'step' }],
  ['new default: wdMode auto (epoch here)', { wdMode: 'auto' }],
  ['wdMode touch, wd 1e-3 (L2 on touched rows)', { wdMode: 'touch', wd: 1e-3 }],
];

const speed = [];
const quality = [];
for (const n of sizes) {
  const d = data(n);
  const steps = Math.ceil(d.train.ratings.length / 64);
  // one epoch each, interleaved, fastest of the rounds: the machine is shared, the ratios in one run hold
  const best = new Map();
  for (let r = 0; r < rounds; r++) {
    for (const [name, optimizer] of catchUps) {
      const { seconds } = await fit(d, 1, { optimizer });
      best.set(name, Math.min(best.get(name) ?? Infinity, seconds[0]));
    }
  }
  const closed = best.get('closed form');
  for (const [name] of catchUps) {
    speed.push({ ratings: n, steps, optimizer: name, epochSeconds: +best.get(name).toFixed(2), ratioToClosedForm: +(best.get(name) / closed).toFixed(2) });
  }
  for (const [name, opts] of regimes) {
    const r = await fit(d, epochs, opts);
    quality.push({ ratings: n, regime: name, epochs, validRmse: +r.rmse.toFixed(4), perEpoch: r.perEpochRmse.map((x) => +x.toFixed(4)).join(' ') });
  }
  console.error(`${n} ratings done`);
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores (shared, under load); dot-bias, 50 factors, batch 64`);
console.log('one epoch of dot-bias (seconds of the batches, fastest of the rounds):');
console.table(speed);
console.log(`validation RMSE after ${epochs} epochs of fit_one_cycle(lr 5e-3, wd 0.1) (LibMF on the same shape, as measured for issue 12: 0.418):`);
console.table(quality);
writeFileSync(new URL('./scale-results.json', import.meta.url), JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, date: new Date().toISOString(), rounds, speed, quality }, null, 2) + '\n');
