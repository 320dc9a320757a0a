import type { RecommenderState } from '@collab-ts/core';
import { userItemMatrix } from '@collab-ts/core';
import type { FamilySpec } from '../../registry/family.js';
import { SvdRecommender } from './svd-recommender.js';
import type { SvdConfig } from './svd-recommender.js';
import { svdSettings } from './svd-settings.js';
import { trainSvd } from './train-svd.js';

export { SvdRecommender } from './svd-recommender.js';
export type { SvdConfig } from './svd-recommender.js';

/**
 * `svd`: biased matrix factorisation trained by per-rating SGD with per-touch regularisation, the classical
 * formulation of Funk, Surprise's `SVD` and LibMF (option names follow Surprise: `factors` = `n_factors`,
 * `epochs` = `n_epochs`, `lr` = `lr_all`, `reg` = `reg_all`, `initStd` = `init_std_dev`), trained as LibMF
 * trains it:
 *
 * - Adaptive steps (default): each factor row and bias steps by `lr / sqrt(G)`, `G` summing that row's squared
 *   gradients (LibMF's row-wise AdaGrad), so rows seen often settle while rare ones still move.
 * - Blocked ratings: users and items are dealt into groups and the ratings sorted into user-group x item-group
 *   blocks (each block's rows stay in cache); an epoch trains every block once in a seeded random order.
 * - Threads: given a `TaskRunner` as `ctx.runner` (core/node's `WorkerPool`; the CLI's `--threads`, default all
 *   cores), the tables go into SharedArrayBuffers and worker threads take free blocks whose user and item groups
 *   no other thread holds (LibMF's scheduling), so no update is lost. One thread (no runner, or a one-thread
 *   runner; always in browsers) gives the same digits for a seed; several threads give a run equivalent to one
 *   thread training the blocks in the order the threads took them, which depends on timing, so digits vary
 *   from run to run (the quality does not).
 * - SVD++ (`implicit`, on by default up to 1M training ratings): the user vector also sums implicit factors of
 *   the items the user rated (Koren's SVD++), trained a user at a time on one thread; the fitted model stores
 *   the summed user vectors, so it predicts, ranks and exports as plain `svd` does.
 * - Defaults by data size: `reg = 0.06 (n / 100k)^(-0.8)` (within [0.01, 0.07]) and `lr` from 0.06 to 0.1 (see `svd-settings.ts`
 *   and the docs' "svd at scale" page). Because each rating regularises only the rows it touches, the
 *   regularisation per epoch does not depend on the number of steps per epoch, unlike a decoupled weight decay
 *   applied at every optimizer step.
 *
 * @example
 * const svd = await fitRecommender('svd', { train, nUsers, nItems }, { epochs: 5 });
 * // on both cores: fitRecommender('svd', data, { epochs: 5 }, { runner: new WorkerPool({ threads: 2 }) })
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
    { name: 'factors', type: 'int', min: 1, default: 50, help: 'latent factors (Surprise n_factors, LibMF -k)' },
    { name: 'epochs', type: 'int', min: 1, default: undefined, help: 'passes over the ratings (Surprise n_epochs; default 10, or 30 without adaptive steps)' },
    { name: 'lr', type: 'number', min: 0, default: undefined, help: 'SGD step for the factors (Surprise lr_all). Default by data size: 0.06 (n / 100k)^0.22 within [0.06, 0.1] for n training ratings (0.1 is LibMF\'s eta); 0.01 without adaptive steps' },
    { name: 'reg', type: 'number', min: 0, default: undefined, help: 'L2 penalty on the factors, applied at each touch (Surprise reg_all). Default by data size: 0.06 (n / 100k)^(-0.8) within [0.01, 0.07]; 0.05 without adaptive steps' },
    { name: 'lrBias', type: 'number', min: 0, default: undefined, help: 'SGD step for the biases (default: lr)' },
    { name: 'regBias', type: 'number', min: 0, default: undefined, help: 'L2 penalty on the biases (default 0.01; 0.05 without adaptive steps)' },
    { name: 'lrDecay', type: 'number', min: 0, max: 1, default: undefined, help: 'the step sizes are multiplied by this after each epoch (default 1 with adaptive steps, else 0.96)' },
    { name: 'adaptive', type: 'boolean', default: true, help: 'LibMF\'s per-row adaptive step lr / sqrt(G), G summing the row\'s squared gradients (AdaGrad); false: Surprise\'s plain SGD' },
    { name: 'initStd', type: 'number', min: 0, default: 0.01, help: 'standard deviation of the normal factor init (Surprise init_std_dev)' },
    { name: 'clip', type: 'boolean', default: true, help: 'clip predictions to the training ratings\' range' },
    { name: 'implicit', type: 'boolean', default: undefined, help: 'SVD++ (Surprise SVDpp): each user vector gains |N(u)|^-1/2 times the sum of implicit factors y_j of the items the user rated; one thread, about 2x the cost per rating. Default: on up to 1M training ratings, off above' },
    { name: 'lrImplicit', type: 'number', min: 0, default: 0.007, help: 'step of the implicit factors y_j (Surprise lr_yj)' },
    { name: 'regImplicit', type: 'number', min: 0, default: 0.1, help: 'L2 penalty on the implicit factors y_j (Surprise reg_yj)' },
    { name: 'seed', type: 'int', min: 0, default: 42, help: 'seed of the init and the rating order' },
  ],
  async fit(data, o, ctx) {
    const settings = svdSettings(o, { ratings: data.train.ratings.length, users: data.nUsers, items: data.nItems });
    const rec = await trainSvd(data, settings, ctx);
    rec.history = userItemMatrix(data.train, data.nUsers, data.nItems);
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
