// Optimizer step cost: lazy sparse updates (cost ~ rows touched) vs dense mode (cost ~ table size), and the
// catch-up's cost per touched row against how long the row sat out (closed form vs replay, and the optimizer
// of an older revision when bench/baseline/dist exists: `node bench/build-baseline.mjs` builds it).
// Usage: node bench/run.mjs  (after `tsup`); prints two tables and writes bench/results.json.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ParamStore, createRng } from '@collab-ts/core';
import { adam, sgd } from '../dist/index.js';

const DIM = 50;
const BATCH = 64;

function model(users, items) {
  const rng = createRng(1);
  const s = new ParamStore();
  const init = (n) => Float32Array.from({ length: n }, () => rng.normal(0, 0.01));
  s.add('u', [users, DIM], init(users * DIM), { kind: 'embedding' });
  s.add('i', [items, DIM], init(items * DIM), { kind: 'embedding' });
  s.add('ub', [users, 1], init(users), { kind: 'embedding' });
  s.add('ib', [items, 1], init(items), { kind: 'embedding' });
  return s;
}

/** Precomputed batches of BATCH distinct users and items with random row gradients. */
function batches(users, items, n) {
  const rng = createRng(2);
  const pick = (size) => {
    const set = new Set();
    while (set.size < BATCH) set.add(rng.int(size));
    return Int32Array.from(set);
  };
  const out = [];
  for (let k = 0; k < n; k++) {
    const ur = pick(users);
    const ir = pick(items);
    const vals = (m) => Float32Array.from({ length: m }, () => rng.normal(0, 0.1));
    out.push(
      new Map([
        ['u', { kind: 'sparse', rows: ur, values: vals(BATCH * DIM), count: BATCH }],
        ['i', { kind: 'sparse', rows: ir, values: vals(BATCH * DIM), count: BATCH }],
        ['ub', { kind: 'sparse', rows: ur, values: vals(BATCH), count: BATCH }],
        ['ib', { kind: 'sparse', rows: ir, values: vals(BATCH), count: BATCH }],
      ]),
    );
  }
  return out;
}

function time(name, shape, build, steps) {
  const [users, items] = shape;
  const store = model(users, items);
  const opt = build(store);
  const bs = batches(users, items, 64);
  for (let k = 0; k < 50; k++) opt.step(bs[k % bs.length]); // warm up
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < steps; k++) opt.step(bs[k % bs.length]);
  const perStep = Number(process.hrtime.bigint() - t0) / 1e3 / steps;
  const f0 = process.hrtime.bigint();
  opt.flush();
  const flushMs = Number(process.hrtime.bigint() - f0) / 1e6;
  return { name, users, items, dim: DIM, batch: BATCH, usPerStep: +perStep.toFixed(2), msPerEpoch100k: +((perStep * 1250) / 1000).toFixed(1), flushMs: +flushMs.toFixed(2) };
}

const small = [943, 1682];
const large = [162541, 59047];
const rows = [
  time('adamW lazy (wd 0.1)', small, (s) => adam(s, { lr: 5e-3, wd: 0.1 }), 3000),
  time('adam lazy, L2 wd', small, (s) => adam(s, { lr: 5e-3, wd: 0.1, decoupledWd: false }), 3000),
  time('sgd+momentum lazy (wd 0.1)', small, (s) => sgd(s, { lr: 0.05, momentum: 0.9, wd: 0.1 }), 3000),
  time('adamW dense mode', small, (s) => adam(s, { lr: 5e-3, wd: 0.1, sparseMode: 'dense' }), 300),
  time('adamW lazy, ML-25M-size tables', large, (s) => adam(s, { lr: 5e-3, wd: 0.1 }), 3000),
  time('adamW dense mode, ML-25M-size tables', large, (s) => adam(s, { lr: 5e-3, wd: 0.1, sparseMode: 'dense' }), 10),
];

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}; batch ${BATCH} distinct users and items, ${DIM} factors + biases`);
console.table(rows);
console.log('msPerEpoch100k: optimizer time for one ML-100k epoch (80k ratings / 64 = 1250 steps).');

// --- catch-up cost against the gap ---------------------------------------------------------------------
// A table of 64 rows is touched all at once every `gap + 1` steps; in between, the steps touch one row of a
// second table in the same group, so the 64 rows sit out exactly `gap` steps. Only the touching steps are
// timed, each on its own: microseconds per touched row (Adam, one-cycle lr and beta1, wd 0.1, 50 factors),
// the fastest of all touching steps of all rounds (on a shared machine the fastest step is the one least
// disturbed; the variants run interleaved, so their ratios hold).
const baselineUrl = new URL('./baseline/dist/index.js', import.meta.url);
const baseline = existsSync(baselineUrl) ? await import(baselineUrl.href) : null;
const { oneCycle } = await import('../dist/index.js');

function catchUpCost(build, gap, touches) {
  const rng = createRng(3);
  const s = new ParamStore();
  s.add('rows', [BATCH, DIM], Float32Array.from({ length: BATCH * DIM }, () => rng.normal(0, 0.01)), { kind: 'embedding' });
  s.add('other', [1, DIM], new Float32Array(DIM), { kind: 'embedding' });
  const opt = build(s);
  const rows = Int32Array.from({ length: BATCH }, (_, i) => i);
  const touch = new Map([['rows', { kind: 'sparse', rows, values: Float32Array.from({ length: BATCH * DIM }, () => rng.normal(0, 0.1)), count: BATCH }]]);
  const idle = new Map([['other', { kind: 'sparse', rows: Int32Array.of(0), values: new Float32Array(DIM).fill(0.01), count: 1 }]]);
  const sched = oneCycle({ lrMax: 5e-3 });
  const total = (touches + 1) * (gap + 1);
  let best = Infinity;
  for (let k = 0, touched = 0; touched <= touches; k++) {
    opt.lr = sched.lr(k / total);
    opt.mom = sched.mom(k / total);
    if (k % (gap + 1) !== 0) {
      opt.step(idle);
      continue;
    }
    const t0 = process.hrtime.bigint();
    opt.step(touch);
    if (touched++ > 0) best = Math.min(best, Number(process.hrtime.bigint() - t0)); // the first touch has no gap
  }
  return best / 1e3 / BATCH;
}

const variants = [
  ['closed form', (s) => adam(s, { lr: 5e-3, wd: 0.1, sparseMode: 'catch-up' })],
  ['closed form, eps tracked', (s) => adam(s, { lr: 5e-3, wd: 0.1, sparseMode: 'catch-up', idleEps: 'tracked' })],
  ['replay (reference)', (s) => adam(s, { lr: 5e-3, wd: 0.1, sparseMode: 'catch-up', catchUp: 'replay' })],
];
if (baseline) variants.push(['older revision', (s) => baseline.adam(s, { lr: 5e-3, wd: 0.1, sparseMode: 'catch-up' })]);
const gaps = [1, 8, 64, 512, 2048, 8192, 32768];
const catchUp = [];
for (const gap of gaps) {
  const touches = Math.max(8, Math.min(200, Math.floor(100_000 / gap)));
  const row = { gap };
  for (const [name] of variants) row[name] = Infinity;
  for (let round = 0; round < 5; round++) {
    for (const [name, build] of variants) row[name] = Math.min(row[name], catchUpCost(build, gap, touches));
  }
  for (const [name] of variants) row[name] = +row[name].toFixed(3);
  catchUp.push(row);
}
console.log(`catch-up: microseconds per touched row (${DIM} factors, Adam; fastest step) against the steps it sat out`);
console.table(catchUp);
if (baseline) console.log('older revision: the replay ring of 2048 steps; rows idle longer lose the moves of their momentum (not made up at all).');
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, date: new Date().toISOString(), rows, catchUp }, null, 2) + '\n');
