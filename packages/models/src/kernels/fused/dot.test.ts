import { describe, expect, it } from 'vitest';
import { createModel } from '../../create.js';
import { finiteDifferenceCheck, randomBatch, denseGrads } from '../../testing/helpers.js';
import type { ModelKind } from '../../types.js';

const cases: { kind: ModelKind; yRange: [number, number] | null; loss: 'mse' | 'bce' }[] = [
  { kind: 'dot', yRange: null, loss: 'mse' },
  { kind: 'dot', yRange: [0, 5.5], loss: 'mse' },
  { kind: 'dot', yRange: null, loss: 'bce' },
  { kind: 'dot-bias', yRange: null, loss: 'mse' },
  { kind: 'dot-bias', yRange: [0, 5.5], loss: 'mse' },
  { kind: 'dot-bias-raw', yRange: [0.5, 5], loss: 'mse' },
  { kind: 'embedding-dot-bias', yRange: null, loss: 'bce' },
];

describe('fused dot-family kernels', () => {
  for (const c of cases) {
    it(`${c.kind} ${c.loss} yRange=${JSON.stringify(c.yRange)}: gradients match finite differences`, async () => {
      // larger init so the dot product matters; 12 users and 9 items in 40 ratings gives repeated rows
      const model = await createModel(c.kind, { nUsers: 12, nItems: 9, factors: 5, yRange: c.yRange, initStd: 0.5, backend: 'fused' });
      const batch = randomBatch(3, 12, 9, 40, c.loss === 'bce');
      const r = finiteDifferenceCheck(model, batch, { loss: c.loss, count: 8 });
      expect(r.checked).toBeGreaterThan(10);
      expect(r.worst, r.where).toBeLessThan(1e-4);
    });
  }

  it('sums the gradient of a row that appears several times in a batch', async () => {
    const model = await createModel('dot-bias', { nUsers: 3, nItems: 3, factors: 4, initStd: 0.3, backend: 'fused' });
    const one = { users: new Int32Array([1]), items: new Int32Array([2]), ratings: new Float32Array([4]) };
    const g1 = denseGrads(model, model.lossAndGrads(one).grads);
    const twice = { users: new Int32Array([1, 1]), items: new Int32Array([2, 2]), ratings: new Float32Array([4, 4]) };
    const g2 = denseGrads(model, model.lossAndGrads(twice).grads);
    // mean over two identical ratings: same gradient as the single one
    for (const [name, g] of g1) expect(Array.from(g2.get(name)!)).toEqual(Array.from(g).map((v) => expect.closeTo(v, 7)));
    const { grads } = model.lossAndGrads(twice);
    const ub = grads.get('user_bias.weight')!;
    expect(ub.kind === 'sparse' && ub.count).toBe(1);
  });

  it('the loss is the mean squared error of predict()', async () => {
    const model = await createModel('embedding-dot-bias', { nUsers: 20, nItems: 30, factors: 8, initStd: 0.3, backend: 'fused' });
    const batch = randomBatch(5, 20, 30, 64);
    const pred = model.predict(batch.users, batch.items);
    let mse = 0;
    for (let b = 0; b < 64; b++) mse += (pred[b] - batch.ratings[b]) ** 2;
    expect(model.lossAndGrads(batch).loss).toBeCloseTo(mse / 64, 5);
    expect(model.evaluateLoss(batch)).toBeCloseTo(mse / 64, 5);
  });
});
