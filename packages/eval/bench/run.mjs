// Benchmark: ranking evaluation of an ML-100k-sized factor model (943 users x 1682 items, 50 factors)
// against every item, plus the predict-based fallback, the sampled-negatives protocol, recommendAll and
// the baselines. Uses the real u1.base/u1.test split when $COLLAB_DATA_DIR/ml-100k exists, else a
// seeded synthetic split of the same size. Run: pnpm build && node bench/run.mjs
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@collab-ts/core';
import {
  biasBaseline,
  evaluateRatings,
  popularityRanker,
  rankingMetrics,
  recommendAll,
} from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const N_USERS = 943;
const N_ITEMS = 1682;
const DIM = 50;

/** Tiny reader for MovieLens 100k's tab-separated user, item, rating, timestamp lines (ids are 1-based). */
function readU(file) {
  const lines = readFileSync(file, 'latin1').split('\n').filter((l) => l.trim() !== '');
  const users = new Int32Array(lines.length);
  const items = new Int32Array(lines.length);
  const ratings = new Float32Array(lines.length);
  lines.forEach((line, i) => {
    const [u, it, r] = line.split('\t');
    users[i] = Number(u) - 1;
    items[i] = Number(it) - 1;
    ratings[i] = Number(r);
  });
  return { users, items, ratings, timestamps: null };
}

function syntheticSplit(rng) {
  const rows = [];
  for (let u = 0; u < N_USERS; u++) {
    const perm = rng.permutation(N_ITEMS);
    for (let j = 0; j < 106; j++) rows.push([u, perm[j], 1 + rng.int(5), j < 85]);
  }
  const take = (keep) => {
    const sel = rows.filter((r) => r[3] === keep);
    return {
      users: Int32Array.from(sel, (r) => r[0]),
      items: Int32Array.from(sel, (r) => r[1]),
      ratings: Float32Array.from(sel, (r) => r[2]),
      timestamps: null,
    };
  };
  return { train: take(true), test: take(false) };
}

const rng = createRng(42);
const dataDir = process.env.COLLAB_DATA_DIR;
const realDir = dataDir ? join(dataDir, 'ml-100k') : null;
let split;
let data;
if (realDir && existsSync(join(realDir, 'u1.base'))) {
  split = { train: readU(join(realDir, 'u1.base')), test: readU(join(realDir, 'u1.test')) };
  data = `MovieLens 100k u1.base / u1.test (${split.train.ratings.length} / ${split.test.ratings.length} ratings)`;
} else {
  split = syntheticSplit(rng);
  data = `synthetic (COLLAB_DATA_DIR not set): ${split.train.ratings.length} / ${split.test.ratings.length} ratings`;
}

const normal = (n, std) => Float32Array.from({ length: n }, () => rng.normal(0, std));
const tables = {
  dim: DIM,
  userFactors: normal(N_USERS * DIM, 0.1),
  itemFactors: normal(N_ITEMS * DIM, 0.1),
  userBias: normal(N_USERS, 0.1),
  itemBias: normal(N_ITEMS, 0.1),
  yRange: [0, 5.5],
};
/** A stand-in for a trained dot-product-bias model: predict applies y_range's sigmoid. */
const model = {
  nUsers: N_USERS,
  nItems: N_ITEMS,
  predict(users, items) {
    const out = new Float32Array(users.length);
    for (let n = 0; n < users.length; n++) {
      const uo = users[n] * DIM;
      const io = items[n] * DIM;
      let s = 0;
      for (let k = 0; k < DIM; k++) s += tables.userFactors[uo + k] * tables.itemFactors[io + k];
      s = s + tables.userBias[users[n]] + tables.itemBias[items[n]];
      out[n] = 5.5 / (1 + Math.exp(-s));
    }
    return out;
  },
  factors: () => tables,
};

function time(fn, reps) {
  fn(); // warm-up
  const ms = [];
  let out;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)], out };
}

const ks = [5, 10, 20];
const base = { train: split.train, test: split.test, k: ks };
const rows = [];
const add = (name, fn, reps = 5) => {
  const { ms, out } = time(fn, reps);
  rows.push({ name, ms, metrics: out });
};

add('rankingMetrics, fast path (test users x all items)', () => rankingMetrics(model, base));
add('rankingMetrics, predict fallback (test users x all items)', () => rankingMetrics(model, { ...base, useFactors: false }), 3);
add('rankingMetrics, 100 sampled negatives per test item (NCF)', () =>
  rankingMetrics(model, { ...base, threshold: null, candidates: { sampledNegatives: 100, seed: 1 } }),
);
if (realDir && existsSync(join(realDir, 'ua.base'))) {
  // ua.test holds 10 ratings of every one of the 943 users: every user is ranked against every item
  const ua = { train: readU(join(realDir, 'ua.base')), test: readU(join(realDir, 'ua.test')), k: ks };
  add('rankingMetrics, fast path, ua split (all 943 users)', () => rankingMetrics(model, ua));
}
add('recommendAll k=10 (all users)', () => recommendAll(model, split.train, 10).length);
let bias;
add('biasBaseline fit (10 ALS passes)', () => (bias = biasBaseline(split.train, { nUsers: N_USERS, nItems: N_ITEMS })).nUsers);
add('evaluateRatings (bias baseline)', () => evaluateRatings(bias, split.test));
add('rankingMetrics, bias baseline (predict path)', () => rankingMetrics(bias, base), 3);
const pop = popularityRanker(split.train, { nUsers: N_USERS, nItems: N_ITEMS });
add('rankingMetrics, popularity (predict path)', () => rankingMetrics(pop, base), 3);

const pad = (s, n) => String(s).padEnd(n);
console.log(`data: ${data}`);
console.log(`model: random factors ${N_USERS} x ${N_ITEMS}, ${DIM} factors, biases, y_range [0, 5.5]`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}\n`);
console.log(`${pad('case', 62)}${pad('median ms', 12)}ndcg@10   precision@10  recall@10   rmse`);
for (const r of rows) {
  const m = typeof r.metrics === 'object' && r.metrics && 'ndcg@10' in r.metrics ? r.metrics : null;
  const f = (x) => (m ? m[x].toFixed(4).padEnd(10) : '-'.padEnd(10));
  const rmse = typeof r.metrics === 'object' && r.metrics && 'rmse' in r.metrics ? r.metrics.rmse.toFixed(4) : '-';
  console.log(`${pad(r.name, 62)}${pad(r.ms.toFixed(1), 12)}${f('ndcg@10')}${f('precision@10')}  ${f('recall@10')}  ${rmse}`);
}
const out = {
  date: new Date().toISOString(),
  data,
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  model: { nUsers: N_USERS, nItems: N_ITEMS, dim: DIM, seed: 42 },
  results: rows.map((r) => ({ name: r.name, medianMs: Number(r.ms.toFixed(2)), metrics: typeof r.metrics === 'object' ? r.metrics : undefined })),
};
writeFileSync(join(here, 'results.json'), JSON.stringify(out, null, 2) + '\n');
console.log('\nwrote bench/results.json');
