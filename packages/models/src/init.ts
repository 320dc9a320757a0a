import type { Rng } from '@collab-ts/core';

/**
 * Fills `out` with normal(0, std) draws. `truncated` follows fastai's `trunc_normal_` (a standard normal
 * folded into (-2, 2) with fmod, then scaled), which is how fastai initialises `Embedding` layers; plain
 * normal is the book's `create_params`.
 */
export function initNormal(rng: Rng, out: Float32Array, std: number, truncated: boolean): Float32Array {
  for (let i = 0; i < out.length; i++) {
    const z = rng.normal();
    out[i] = (truncated ? z % 2 : z) * std;
  }
  return out;
}

/** Uniform(-bound, bound) draws into `out`. */
export function initUniform(rng: Rng, out: Float32Array, bound: number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = (rng.next() * 2 - 1) * bound;
  return out;
}

/**
 * PyTorch's default `nn.Linear` init: weight from kaiming_uniform(a = sqrt(5)), which reduces to
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and the same bound for the bias.
 */
export function linearBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}
