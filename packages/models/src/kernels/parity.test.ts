import { describe, expect, it } from 'vitest';
import { buildModel } from '../create.js';
import { resolveConfig } from '../config.js';
import { initParams } from '../create.js';
import { denseGrads, maxRelDiff, randomBatch } from '../testing/helpers.js';
import type { BackendName, ModelKind, ModelOptions } from '../types.js';

async function wasmWorks(): Promise<boolean> {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

const TOL = 1e-5;
const setups: { kind: ModelKind; opts: Partial<ModelOptions>; loss: 'mse' | 'bce' }[] = [
  { kind: 'dot', opts: { yRange: null }, loss: 'mse' },
  { kind: 'dot', opts: { yRange: [0, 5.5] }, loss: 'mse' },
  { kind: 'dot-bias', opts: {}, loss: 'mse' },
  { kind: 'dot-bias-raw', opts: { yRange: null }, loss: 'mse' },
  { kind: 'embedding-dot-bias', opts: {}, loss: 'mse' },
  { kind: 'embedding-dot-bias', opts: { yRange: null }, loss: 'bce' },
  { kind: 'embedding-nn', opts: { layers: [16, 8] }, loss: 'mse' },
  { kind: 'embedding-nn', opts: { layers: [12, 6], dropout: [0.2, 0.1], embDropout: 0.1 }, loss: 'mse' },
  { kind: 'embedding-nn', opts: { layers: [10], batchNorm: false, yRange: null }, loss: 'bce' },
];

describe('fused vs TensorFlow.js parity', async () => {
  it('large batches (accumulators and bias buffers grow past their initial capacity)', async () => {
    for (const kind of ['dot-bias', 'embedding-nn'] as const) {
      const config = resolveConfig(kind, { nUsers: 500, nItems: 400, factors: 5, layers: [8], initStd: 0.3 });
      const params = initParams(config);
      const fused = await buildModel(config, params.clone(), 'fused');
      const cpu = await buildModel(config, params.clone(), 'cpu');
      for (const n of [700, 64, 1500]) {
        const batch = randomBatch(n, 500, 400, n);
        const a = fused.lossAndGrads(batch);
        const ga = denseGrads(fused, a.grads);
        const b = cpu.lossAndGrads(batch);
        const gb = denseGrads(cpu, b.grads);
        expect(Math.abs(a.loss - b.loss) / Math.max(1, a.loss)).toBeLessThan(TOL);
        for (const [name, g] of ga) expect(maxRelDiff(g, gb.get(name)!), `${kind} ${n} ${name}`).toBeLessThan(TOL);
      }
    }
  });

  const backends: BackendName[] = ['cpu'];
  if (await wasmWorks()) backends.push('wasm');
  else console.warn('tfjs wasm backend does not initialise here: parity checked on cpu only');

  for (const backend of backends) {
    for (const s of setups) {
      it(`${s.kind} ${JSON.stringify(s.opts)} ${s.loss}: fused and ${backend} agree`, async () => {
        const config = resolveConfig(s.kind, { nUsers: 15, nItems: 11, factors: 6, initStd: 0.4, seed: 3, ...s.opts });
        const params = initParams(config);
        const fused = await buildModel(config, params.clone(), 'fused');
        const tfm = await buildModel(config, params.clone(), backend);
        expect(tfm.backend).toBe(backend);
        const binary = s.loss === 'bce';
        for (let step = 0; step < 3; step++) {
          const batch = randomBatch(10 + step, 15, 11, 48, binary);
          const a = fused.lossAndGrads(batch, { loss: s.loss });
          const ga = denseGrads(fused, a.grads);
          const b = tfm.lossAndGrads(batch, { loss: s.loss });
          const gb = denseGrads(tfm, b.grads);
          expect(Math.abs(a.loss - b.loss) / Math.max(1, a.loss)).toBeLessThan(TOL);
          expect([...gb.keys()].sort()).toEqual([...ga.keys()].sort());
          for (const [name, g] of ga) expect(maxRelDiff(g, gb.get(name)!), name).toBeLessThan(TOL);
          // buffers (batch-norm running statistics) follow the same updates
          for (const p of fused.params.list()) expect(maxRelDiff(p.data, tfm.params.get(p.name).data), p.name).toBeLessThan(TOL);
          expect(Math.abs(fused.evaluateLoss(batch) - tfm.evaluateLoss(batch))).toBeLessThan(TOL * 10);
          expect(maxRelDiff(fused.predict(batch.users, batch.items), tfm.predict(batch.users, batch.items))).toBeLessThan(TOL);
        }
        // the tfjs engine frees every tensor it makes
        const tf = await import('@tensorflow/tfjs-core');
        const before = tf.memory().numTensors;
        tfm.lossAndGrads(randomBatch(99, 15, 11, 48, binary), { loss: s.loss });
        tfm.evaluateLoss(randomBatch(98, 15, 11, 48, binary));
        tfm.predict(new Int32Array([1, 2]), new Int32Array([3, 4]));
        expect(tf.memory().numTensors).toBe(before);
        fused.dispose();
        tfm.dispose();
      });
    }
  }
});
