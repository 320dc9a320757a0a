import { createRng, userItemMatrix } from '@collab-ts/core';
import type { RecommenderState } from '@collab-ts/core';
import type { FamilySpec } from '../../registry/family.js';
import { svdEpoch } from './sgd-epoch.js';
import { SvdRecommender } from './svd-recommender.js';
import type { SvdConfig } from './svd-recommender.js';

export { SvdRecommender } from './svd-recommender.js';
export type { SvdConfig } from './svd-recommender.js';

function rmseOf(rec: SvdRecommender, v: { users: Int32Array; items: Int32Array; ratings: Float32Array }): number {
  const p = rec.predict(v.users, v.items);
  let s = 0;
  for (let j = 0; j < p.length; j++) s += (p[j] - v.ratings[j]) ** 2;
  return Math.sqrt(s / Math.max(1, p.length));
}

/**
 * `svd`: biased matrix factorisation trained by per-rating SGD with per-touch regularisation, the classical
 * formulation of Funk, Surprise's `SVD` and LibMF (option names follow Surprise: `factors` = `n_factors`,
 * `epochs` = `n_epochs`, `lr` = `lr_all`, `reg` = `reg_all`, `initStd` = `init_std_dev`). Because each
 * rating's update regularises only the rows it touches, the amount of regularisation per epoch is the same
 * whatever the data size, unlike a decoupled weight decay applied at every optimizer step.
 *
 * @example
 * const svd = await fitRecommender('svd', { train, nUsers, nItems }, { factors: 100, epochs: 20 });
 * svd.predict(Int32Array.of(0), Int32Array.of(5)); // a rating, clipped to the training range
 */
export const SVD_FAMILY: FamilySpec = {
  kind: 'svd',
  summary: 'biased matrix factorisation by per-rating SGD (Funk / Surprise SVD / LibMF), regularised per touch',
  peerName: "Surprise's SVD, LibMF",
  tasks: ['rating', 'ranking'],
  method: 'gradient',
  backends: ['fused'],
  options: [
    { name: 'factors', type: 'int', min: 1, default: 50, help: 'latent factors (Surprise n_factors; Surprise defaults to 100)' },
    { name: 'epochs', type: 'int', min: 1, default: 30, help: 'passes over the ratings (Surprise n_epochs)' },
    { name: 'lr', type: 'number', min: 0, default: 0.01, help: 'SGD step for the factors (Surprise lr_all)' },
    { name: 'reg', type: 'number', min: 0, default: 0.05, help: 'L2 penalty on the factors, applied at each touch (Surprise reg_all)' },
    { name: 'lrBias', type: 'number', min: 0, default: undefined, help: 'SGD step for the biases (default: lr)' },
    { name: 'regBias', type: 'number', min: 0, default: undefined, help: 'L2 penalty on the biases (default: reg)' },
    { name: 'lrDecay', type: 'number', min: 0, max: 1, default: 0.96, help: 'the step sizes are multiplied by this after each epoch' },
    { name: 'initStd', type: 'number', min: 0, default: 0.05, help: 'standard deviation of the normal factor init (Surprise init_std_dev)' },
    { name: 'clip', type: 'boolean', default: true, help: 'clip predictions to the training ratings\' range' },
    { name: 'seed', type: 'int', min: 0, default: 42, help: 'seed of the init and the rating order' },
  ],
  async fit(data, o, ctx) {
    const { train, nUsers, nItems } = data;
    const d = o.factors as number;
    const rng = createRng(o.seed as number);
    const init = rng.fork(1);
    const userFactors = new Float32Array(nUsers * d);
    const itemFactors = new Float32Array(nItems * d);
    for (let i = 0; i < userFactors.length; i++) userFactors[i] = init.normal(0, o.initStd as number);
    for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = init.normal(0, o.initStd as number);
    const userBias = new Float32Array(nUsers);
    const itemBias = new Float32Array(nItems);
    const n = train.ratings.length;
    let mean = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < n; j++) {
      const r = train.ratings[j];
      mean += r;
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    mean = n > 0 ? mean / n : 0;
    const order = Int32Array.from({ length: n }, (_, j) => j);
    const shuffle = rng.fork(2);
    const tables = { dim: d, userFactors, itemFactors, userBias, itemBias };
    let lr = o.lr as number;
    let lrBias = (o.lrBias as number | undefined) ?? lr;
    const epochs = o.epochs as number;
    for (let e = 0; e < epochs; e++) {
      shuffle.shuffle(order);
      const sse = svdEpoch(tables, train.users, train.items, train.ratings, order, { lr, reg: o.reg as number, lrBias, regBias: (o.regBias as number | undefined) ?? (o.reg as number), mean });
      if (!Number.isFinite(sse)) {
        const { DivergenceError } = await import('@collab-ts/core');
        throw new DivergenceError(`svd diverged in epoch ${e + 1} (the training error is not finite): lower --lr (now ${o.lr})`, e);
      }
      ctx.log?.(`svd epoch ${e + 1}/${epochs}: train rmse ${Math.sqrt(sse / Math.max(1, n)).toFixed(4)}`);
      ctx.progress?.((e + 1) / epochs, 'svd');
      lr *= o.lrDecay as number;
      lrBias *= o.lrDecay as number;
    }
    for (let i = 0; i < nItems; i++) itemBias[i] += mean;
    const config: SvdConfig = { nUsers, nItems, factors: d, mean, clip: o.clip && n > 0 ? [lo, hi] : null, options: { ...o } };
    const rec = new SvdRecommender(config, userFactors, itemFactors, userBias, itemBias);
    if (data.valid && data.valid.ratings.length > 0) ctx.log?.(`svd valid rmse ${rmseOf(rec, data.valid).toFixed(4)}`);
    rec.history = userItemMatrix(train, nUsers, nItems);
    return rec;
  },
  async load(state: RecommenderState) {
    const c = state.config as unknown as SvdConfig;
    if (!(Number.isInteger(c.nUsers) && Number.isInteger(c.nItems) && Number.isInteger(c.factors))) throw new Error('svd: the config lacks nUsers, nItems or factors');
    const get = (name: string, size: number) => {
      const t = state.tensors[name];
      if (!t || !(t.data instanceof Float32Array) || t.data.length !== size) throw new Error(`svd: tensor ${name} is missing or has the wrong size (expected ${size} floats)`);
      return t.data;
    };
    return new SvdRecommender(c, get('user_factors', c.nUsers * c.factors), get('item_factors', c.nItems * c.factors), get('user_bias', c.nUsers), get('item_bias', c.nItems));
  },
};
