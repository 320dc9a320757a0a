// Optimizer step cost: lazy sparse updates (cost ~ rows touched) vs dense mode (cost ~ table size).
// Usage: node bench/run.mjs  (after `tsup`); prints a table and writes bench/results.json.
import { writeFileSync } from 'node:fs';
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
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model, date: new Date().toISOString(), rows }, null, 2) + '\n');
