#!/usr/bin/env node
// Sanity check of model quality on MovieLens 100k against fastai's figures (random 20% validation, 50
// factors, 5 epochs, one-cycle-like lr peaking at 5e-3, wd 0.1 decoupled, bs 64), with a minimal lazy AdamW
// written here (the real optimizers live in @collab-ts/optim). Usage: COLLAB_DATA_DIR=... node bench/quality.mjs [kinds...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, rowSize } from '@collab-ts/core';
import { createModel } from '../dist/index.js';
const dir = process.env.COLLAB_DATA_DIR;
if (!dir) {
  console.error('set COLLAB_DATA_DIR to the directory holding ml-100k/u.data');
  process.exit(2);
}
const lines = readFileSync(join(dir, 'ml-100k', 'u.data'), 'latin1').trim().split('\n');
const N = lines.length; const perm = createRng(42).permutation(N);
const cols = (idx) => ({ users: Int32Array.from(idx, k => +lines[k].split('\t')[0] - 1), items: Int32Array.from(idx, k => +lines[k].split('\t')[1] - 1), ratings: Float32Array.from(idx, k => +lines[k].split('\t')[2]) });
const train = cols(perm.subarray(0, 80000)), valid = cols(perm.subarray(80000));
function adamw(params, wd) {
  const st = new Map(params.list().map(p => [p.name, { m: new Float32Array(p.data.length), v: new Float32Array(p.data.length), t: 0 }]));
  return (grads, lr) => { for (const [name, g] of grads) { const p = params.get(name); const s = st.get(name); s.t++; const w = rowSize(p);
    const upd = (i, gi) => { if (p.decay) p.data[i] -= lr * wd * p.data[i]; s.m[i] = 0.9 * s.m[i] + 0.1 * gi; s.v[i] = 0.99 * s.v[i] + 0.01 * gi * gi; p.data[i] -= lr * (s.m[i] / (1 - 0.9 ** s.t)) / (Math.sqrt(s.v[i] / (1 - 0.99 ** s.t)) + 1e-5); };
    if (g.kind === 'dense') for (let i = 0; i < g.values.length; i++) upd(i, g.values[i]); else for (let k = 0; k < g.count; k++) for (let j = 0; j < w; j++) upd(g.rows[k] * w + j, g.values[k * w + j]); } };
}
const kinds = process.argv.length > 2 ? process.argv.slice(2) : ['dot-bias', 'embedding-dot-bias', 'embedding-nn'];
for (const kind of kinds) {
  const m = await createModel(kind, { nUsers: 943, nItems: 1682, factors: 50 });
  const step = adamw(m.params, 0.1); const rng = createRng(1); const bs = 64; const epochs = 5; const total = epochs * Math.floor(80000 / bs); let it = 0;
  const b = { users: new Int32Array(bs), items: new Int32Array(bs), ratings: new Float32Array(bs) };
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) { const p = rng.permutation(80000);
    for (let s = 0; s + bs <= 80000; s += bs) { for (let q = 0; q < bs; q++) { b.users[q] = train.users[p[s+q]]; b.items[q] = train.items[p[s+q]]; b.ratings[q] = train.ratings[p[s+q]]; }
      const pct = it++ / total; const lr = pct < 0.25 ? 5e-3 * (0.04 + 0.96 * (1 - Math.cos(Math.PI * pct / 0.25)) / 2) : 5e-3 * (1 + Math.cos(Math.PI * (pct - 0.25) / 0.75)) / 2; // one-cycle-ish
      step(m.lossAndGrads(b).grads, lr); }
    console.log(kind, 'epoch', e, 'valid mse', m.evaluateLoss(valid).toFixed(4), ((performance.now() - t0) / 1000).toFixed(1) + 's'); }
}
