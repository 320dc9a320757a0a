// Cold start on MovieLens 100k (fastai chapter 8's "bootstrapping problem"): hold out 10% of the users, train
// DotProductBias on everyone else, then for each held-out user fold in their first 10 ratings (by time)
// against the fixed item factors and rank every other film; compare with the popularity fallback and with
// item biases alone. Relevant = a later rating of 4 or 5. Writes bench/cold-start-results.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, takeRows } from '@collab-ts/core';
import { readMovieLens100k } from '@collab-ts/data/node';
import { createModel } from '@collab-ts/models';
import { Learner } from '@collab-ts/train';
import { foldInUser, itemPopularity, ndcgAtK, precisionAtK, recallAtK, recommendForNewUser } from '@collab-ts/eval';

const dataDir = process.env.COLLAB_DATA_DIR;
if (!dataDir) {
  console.error('set COLLAB_DATA_DIR to the folder holding ml-100k/');
  process.exit(1);
}
const ds = readMovieLens100k(join(dataDir, 'ml-100k'));
const r = ds.ratings;
const rng = createRng(42);
const counts = new Int32Array(ds.users.size);
for (const u of r.users) counts[u]++;
const eligible = [...Array(ds.users.size).keys()].filter((u) => counts[u] >= 30);
const heldOut = new Set(rng.shuffle(Int32Array.from(eligible)).slice(0, Math.round(ds.users.size * 0.1)));
const trainIdx = [];
const byUser = new Map();
for (let i = 0; i < r.ratings.length; i++) {
  if (!heldOut.has(r.users[i])) trainIdx.push(i);
  else (byUser.get(r.users[i]) ?? byUser.set(r.users[i], []).get(r.users[i])).push(i);
}
const train = takeRows(r, trainIdx);
const model = await createModel('dot-bias', { nUsers: ds.users.size, nItems: ds.items.size, factors: 50, yRange: [0, 5.5], seed: 42 });
await new Learner({ model, train, valid: null, bs: 64, seed: 42 }).fitOneCycle(5, 5e-3, { wd: 0.1 });
const factors = model.factors();
const popularity = itemPopularity(train, ds.items.size);
const K = 10;
const SHOTS = Number(process.env.SHOTS ?? 10);
const MIN_COUNT = Number(process.env.MIN_COUNT ?? 50);
const LAMBDA = Number(process.env.LAMBDA ?? 1);
const sums = {};
let users = 0;
for (const [, idx] of byUser) {
  idx.sort((a, b) => r.timestamps[a] - r.timestamps[b] || a - b);
  const shots = idx.slice(0, SHOTS).map((i) => ({ item: r.items[i], rating: r.ratings[i] }));
  const relevant = idx.slice(SHOTS).filter((i) => r.ratings[i] >= 4).map((i) => r.items[i]);
  if (relevant.length === 0) continue;
  users++;
  const exclude = Int32Array.from(shots, (s) => s.item);
  const fold = foldInUser(factors, shots, { yRange: factors.yRange, lambda: LAMBDA });
  // the same fold-in, ranking only films with at least MIN_COUNT training ratings (a common candidate filter)
  const rare = [];
  for (let i = 0; i < popularity.length; i++) if (popularity[i] < MIN_COUNT) rare.push(i);
  const lists = {
    'fold-in': recommendForNewUser(factors, fold, { k: K, exclude }).items,
    [`fold-in, films with >= ${MIN_COUNT} ratings`]: recommendForNewUser(factors, fold, { k: K, exclude: Int32Array.from([...exclude, ...rare]) }).items,
    popularity: recommendForNewUser(factors, null, { k: K, exclude, popularity }).items,
    'item-bias': recommendForNewUser(factors, null, { k: K, exclude }).items,
  };
  for (const [name, list] of Object.entries(lists)) {
    sums[name] ??= [0, 0, 0];
    const ranked = list.map((x) => x.item);
    sums[name][0] += ndcgAtK(ranked, relevant, K);
    sums[name][1] += precisionAtK(ranked, relevant, K);
    sums[name][2] += recallAtK(ranked, relevant, K);
  }
}
const rows = Object.entries(sums).map(([name, [n, p, rc]]) => ({ method: name, ndcg10: n / users, precision10: p / users, recall10: rc / users }));
console.log(`MovieLens 100k cold start: ${users} held-out users, ${SHOTS} ratings each folded in (earliest by time), relevant = later ratings >= 4, all other films ranked`);
console.log('| method | NDCG@10 | precision@10 | recall@10 |');
console.log('|---|---:|---:|---:|');
for (const row of rows) console.log(`| ${row.method} | ${row.ndcg10.toFixed(4)} | ${row.precision10.toFixed(4)} | ${row.recall10.toFixed(4)} |`);
writeFileSync(new URL('./cold-start-results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), users, shots: SHOTS, rows }, null, 2)}\n`);
