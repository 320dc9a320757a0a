import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import { Learner } from '../dist/index.js';
const N = +process.argv[2] || 1_000_000;
const epochs = +process.argv[3] || 5;
const wds = (process.argv[4] || '0.1,0.01,0').split(',').map(Number);
const f = N / 25_000_095;
const users = Math.round(162541 * f), items = Math.round(59047 * Math.sqrt(f));
const { dataset } = generateSynthetic({ users, items, ratings: N, seed: 1, titles: false });
const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 42 });
console.log(N, users, items, 'steps/epoch', Math.ceil(train.ratings.length / 64));
for (const wd of wds) {
  const model = await createModel('dot-bias', { nUsers: users, nItems: items, factors: 50, yRange: [0, 5.5] });
  const learn = new Learner({ model, train, valid, bs: 64, seed: 42 });
  const r = await learn.fitOneCycle(epochs, 5e-3, { wd });
  console.log('wd', wd, r.epochs.map((e) => Math.sqrt(e.validLoss).toFixed(4)).join(' '), 'train', r.epochs.map((e) => e.trainLoss.toFixed(3)).join(' '));
}
