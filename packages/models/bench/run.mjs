#!/usr/bin/env node
// Per-epoch cost of forward + backward + a plain sparse SGD step for every model and engine on MovieLens
// 100k (random 80% = 80k ratings, bs 64), against the plain fused per-rating SGD loop of the design brief.
// Usage: COLLAB_DATA_DIR=/path/to/data node bench/run.mjs   (after `pnpm build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createRng, rowSize } from '@collab-ts/core';
import { createModel } from '../dist/index.js';

const dataDir = process.env.COLLAB_DATA_DIR;
if (!dataDir) {
  console.error('set COLLAB_DATA_DIR to the directory holding ml-100k/u.data');
  process.exit(2);
}
const BS = 64;
const LR = 0.01;
const TIME_BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 4000);

// --- data: a tiny u.data parser (user \t item \t rating \t timestamp) --------------------------------------
function readUData(path) {
  const text = readFileSync(path, 'latin1');
  const users = [];
  const items = [];
  const ratings = [];
  const uIndex = new Map();
  const iIndex = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [u, i, r] = line.split('\t');
    if (!uIndex.has(u)) uIndex.set(u, uIndex.size);
    if (!iIndex.has(i)) iIndex.set(i, iIndex.size);
    users.push(uIndex.get(u));
    items.push(iIndex.get(i));
    ratings.push(Number(r));
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings), nUsers: uIndex.size, nItems: iIndex.size };
}

const all = readUData(join(dataDir, 'ml-100k', 'u.data'));
const perm = createRng(42).permutation(all.ratings.length);
function take(n) {
  const idx = perm.subarray(0, n);
  return {
    users: Int32Array.from(idx, (k) => all.users[k]),
    items: Int32Array.from(idx, (k) => all.items[k]),
    ratings: Float32Array.from(idx, (k) => all.ratings[k]),
  };
}
const train80 = take(Math.round(all.ratings.length * 0.8));
const train40 = take(Math.round(all.ratings.length * 0.4));

// --- the reference: one fused per-rating SGD loop updating only the touched rows in place ------------------
function referenceEpoch(data, k, tables) {
  const { uf, vf, ub, vb } = tables;
  const n = data.ratings.length;
  for (let r = 0; r < n; r++) {
    const u = data.users[r];
    const i = data.items[r];
    const uo = u * k;
    const io = i * k;
    let x = ub[u] + vb[i];
    for (let j = 0; j < k; j++) x += uf[uo + j] * vf[io + j];
    const g = LR * 2 * (x - data.ratings[r]);
    ub[u] -= g;
    vb[i] -= g;
    for (let j = 0; j < k; j++) {
      const a = uf[uo + j];
      uf[uo + j] -= g * vf[io + j];
      vf[io + j] -= g * a;
    }
  }
}
function referenceTables(k) {
  const rng = createRng(1);
  const normal = (n) => Float32Array.from({ length: n }, () => rng.normal(0, 0.01));
  return { uf: normal(all.nUsers * k), vf: normal(all.nItems * k), ub: new Float32Array(all.nUsers), vb: new Float32Array(all.nItems) };
}
function timeReference(data, k, repeats = 5) {
  const t = referenceTables(k);
  referenceEpoch(data, k, t); // warm-up
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    referenceEpoch(data, k, t);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

// --- models: forward + backward + plain sparse SGD over batches of 64 --------------------------------------
// plain sparse SGD: p -= lr * g on the rows that have a gradient (4-way unrolled, like the kernels)
function sgdRows(p, vals, rows, count, w, lr) {
  const w4 = w - (w % 4);
  for (let s = 0; s < count; s++) {
    const o = rows[s] * w;
    const v = s * w;
    let j = 0;
    for (; j < w4; j += 4) {
      p[o + j] -= lr * vals[v + j];
      p[o + j + 1] -= lr * vals[v + j + 1];
      p[o + j + 2] -= lr * vals[v + j + 2];
      p[o + j + 3] -= lr * vals[v + j + 3];
    }
    for (; j < w; j++) p[o + j] -= lr * vals[v + j];
  }
}
function sgd(params, grads) {
  for (const [name, g] of grads) {
    const param = params.get(name);
    const p = param.data;
    if (g.kind === 'dense') {
      for (let i = 0; i < g.values.length; i++) p[i] -= LR * g.values[i];
    } else {
      sgdRows(p, g.values, g.rows, g.count, rowSize(param), LR);
    }
  }
}
// batches are copied into reused buffers, as a data loader hands them over
const batch = { users: new Int32Array(BS), items: new Int32Array(BS), ratings: new Float32Array(BS) };
function runBatches(model, data, maxBatches, budgetMs) {
  const n = data.ratings.length;
  const t0 = performance.now();
  let batches = 0;
  for (let s = 0; s + BS <= n && batches < maxBatches; s += BS) {
    for (let q = 0; q < BS; q++) {
      batch.users[q] = data.users[s + q];
      batch.items[q] = data.items[s + q];
      batch.ratings[q] = data.ratings[s + q];
    }
    sgd(model.params, model.lossAndGrads(batch).grads);
    batches++;
    if (performance.now() - t0 > budgetMs) break;
  }
  return { ms: performance.now() - t0, batches };
}
async function timeModel(kind, backend, data, factors, repeats) {
  let model;
  try {
    model = await createModel(kind, { nUsers: all.nUsers, nItems: all.nItems, factors, backend });
  } catch (err) {
    return { error: String(err.message ?? err) };
  }
  const total = Math.floor(data.ratings.length / BS);
  runBatches(model, data, Math.min(total, 50), TIME_BUDGET_MS / 4); // warm-up
  let best = null;
  for (let r = 0; r < repeats; r++) {
    const { ms, batches } = runBatches(model, data, total, TIME_BUDGET_MS);
    const epochMs = (ms / batches) * total;
    if (!best || epochMs < best.epochMs) best = { epochMs, batches, total, extrapolated: batches < total };
  }
  model.dispose();
  return best;
}

const machine = `${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores), Node ${process.version}`;
console.log(`MovieLens 100k, ${train80.ratings.length} ratings, bs ${BS}, 50 factors; ${machine}`);
const ref = timeReference(train80, 50);
console.log(`reference per-rating SGD loop: ${ref.toFixed(1)} ms/epoch`);

const kinds = ['dot', 'dot-bias', 'dot-bias-raw', 'embedding-dot-bias', 'embedding-nn'];
const backends = ['fused', 'wasm', 'cpu', 'tensorflow'];
const rows = [];
for (const kind of kinds) {
  for (const backend of backends) {
    const r = await timeModel(kind, backend, train80, 50, backend === 'fused' ? 5 : 1);
    if (r.error) {
      rows.push({ kind, backend, error: r.error });
      continue;
    }
    rows.push({ kind, backend, msPerEpoch: r.epochMs, ratio: r.epochMs / ref, batchesTimed: r.batches, batchesPerEpoch: r.total, extrapolated: r.extrapolated });
  }
}

const scaling = [];
for (const [label, data, k] of [
  ['40k ratings, 50 factors', train40, 50],
  ['80k ratings, 50 factors', train80, 50],
  ['80k ratings, 25 factors', train80, 25],
  ['80k ratings, 100 factors', train80, 100],
]) {
  const r = await timeModel('dot-bias', 'fused', data, k, 5);
  scaling.push({ label, ratings: data.ratings.length, factors: k, msPerEpoch: r.epochMs, referenceMs: timeReference(data, k) });
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const lines = [];
lines.push(`| model | backend | ms / epoch | x reference | how |`);
lines.push(`|---|---|---:|---:|---|`);
lines.push(`| reference per-rating SGD loop (biased MF) | plain JS | ${fmt(ref)} | 1.0 | whole epoch, best of 5 |`);
for (const r of rows) {
  if (r.error) {
    lines.push(`| ${r.kind} | ${r.backend} | n/a | n/a | ${r.error.split(':')[0].slice(0, 60)} |`);
    continue;
  }
  const how = r.extrapolated ? `${r.batchesTimed} of ${r.batchesPerEpoch} batches timed, extrapolated` : r.backend === 'fused' ? 'whole epoch, best of 5' : 'whole epoch';
  lines.push(`| ${r.kind} | ${r.backend} | ${fmt(r.msPerEpoch)} | ${fmt(r.ratio)} | ${how} |`);
}
lines.push('');
lines.push(`| dot-bias fused | ms / epoch | reference ms / epoch | ratio |`);
lines.push(`|---|---:|---:|---:|`);
for (const s of scaling) lines.push(`| ${s.label} | ${fmt(s.msPerEpoch)} | ${fmt(s.referenceMs)} | ${(s.msPerEpoch / s.referenceMs).toFixed(2)} |`);
console.log(lines.join('\n'));

writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine, dataset: 'ml-100k u.data, random 80% (seed 42)', batchSize: BS, factors: 50, referenceMsPerEpoch: ref, rows, scaling, table: lines }, null, 2)}\n`,
);
