import { describe, expect, it } from 'vitest';
import { Learner } from './learner.js';
import { fixture, modelFor } from './fixture.test-helpers.js';

// `collab models` and the docs say that dot-bias and embedding-dot-bias are one model under two names (the
// book's DotProductBias and fastai's EmbeddingDotBias): same computation, same initialisation, so the same
// seed gives bit-identical results. This holds them to it.
describe('dot-bias and embedding-dot-bias', () => {
  it('start from the same parameters and train to bit-identical predictions', async () => {
    const { ds, split } = fixture();
    const a = await modelFor(ds, 'dot-bias', { factors: 16 });
    const b = await modelFor(ds, 'embedding-dot-bias', { factors: 16 });
    const pa = a.params.list();
    const pb = b.params.list();
    expect(pa.map((p) => p.shape)).toEqual(pb.map((p) => p.shape));
    pa.forEach((p, k) => expect(p.data).toEqual(pb[k].data));
    expect(pa.map((p) => p.name)).not.toEqual(pb.map((p) => p.name)); // only the names differ
    const ra = await new Learner({ model: a, train: split.train, valid: split.valid, seed: 3 }).fitOneCycle(2, 5e-3, { wd: 0.1 });
    const rb = await new Learner({ model: b, train: split.train, valid: split.valid, seed: 3 }).fitOneCycle(2, 5e-3, { wd: 0.1 });
    expect(rb.valid!.mse).toBe(ra.valid!.mse);
    expect(b.predict(split.valid.users, split.valid.items)).toEqual(a.predict(split.valid.users, split.valid.items));
  });
});
