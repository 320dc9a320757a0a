import { describe, expect, it } from 'vitest';
import { GemmArena, createRng } from '@collab-ts/core';
import { maxRelDiff } from '../../../testing/helpers.js';
import { jsBatchNorm } from './batch-norm.js';
import type { BatchNormParams } from './batch-norm.js';
import { wasmBatchNormFactory } from './batch-norm-wasm.js';

function params(h: number, seed: number): BatchNormParams {
  const rng = createRng(seed);
  const vec = (f: () => number) => Float32Array.from({ length: h }, f);
  return { gamma: vec(() => rng.normal(1, 0.3)), beta: vec(() => rng.normal(0, 0.3)), runMean: vec(() => rng.next()), runVar: vec(() => 0.5 + rng.next()) };
}

describe('batch norm: the SIMD passes against the JS ones', () => {
  it('wasm batch norm is available where the GEMM kernel is', () => {
    expect(wasmBatchNormFactory(GemmArena.create())).not.toBeNull();
  });

  // h around the 4-feature vectors (tails of 1..3), n from one row up
  for (const [n, h] of [[1, 4], [3, 7], [64, 50], [17, 100], [5, 1], [9, 6]]) {
    for (const training of [true, false]) {
      it(`${n} x ${h}, ${training ? 'training' : 'evaluation'}: same outputs, gradients and running statistics`, () => {
        const arena = GemmArena.create();
        const wasm = wasmBatchNormFactory(arena)!(h);
        const js = jsBatchNorm(h);
        const [z, xhatW, outW, dyW] = [0, 1, 2, 3].map(() => arena.matrix(n, h));
        const rng = createRng(n * 31 + h);
        z.data.set(Float32Array.from({ length: n * h }, () => rng.normal(0.2, 1)));
        dyW.data.set(Float32Array.from({ length: n * h }, () => rng.normal(0, 1)));
        const plain = (m: { data: Float32Array }) => ({ data: m.data.slice(), rows: n, cols: h });
        const [zJ, xhatJ, outJ, dyJ] = [z, xhatW, outW, dyW].map(plain);
        const pW = params(h, 3);
        const pJ = params(h, 3);
        wasm.forward(z, xhatW, outW, n, pW, training);
        js.forward(zJ, xhatJ, outJ, n, pJ, training);
        expect(maxRelDiff(xhatW.data, xhatJ.data)).toBeLessThan(1e-5);
        expect(maxRelDiff(outW.data, outJ.data)).toBeLessThan(1e-5);
        expect(maxRelDiff(pW.runMean, pJ.runMean)).toBeLessThan(1e-6);
        expect(maxRelDiff(pW.runVar, pJ.runVar)).toBeLessThan(1e-6);
        const grads = () => [new Float32Array(h), new Float32Array(h)];
        const [ggW, gbW] = grads();
        const [ggJ, gbJ] = grads();
        wasm.backward(dyW, z, xhatW, n, pW.gamma, training, ggW, gbW);
        js.backward(dyJ, zJ, xhatJ, n, pJ.gamma, training, ggJ, gbJ);
        expect(maxRelDiff(dyW.data, dyJ.data)).toBeLessThan(1e-5);
        expect(maxRelDiff(ggW, ggJ)).toBeLessThan(1e-5);
        expect(maxRelDiff(gbW, gbJ)).toBeLessThan(1e-5);
        // the ReLU gate: d/dz is exactly 0 where z <= 0
        for (let e = 0; e < n * h; e++) if (!(z.data[e] > 0)) expect(dyW.data[e]).toBe(0);
      });
    }
  }
});
