import type { GemmArena } from '@collab-ts/core';
import { BN_EPS, BN_MOMENTUM } from '../../../models/embedding-nn.js';
import type { BatchNormKernel, BatchNormParams } from './batch-norm.js';
import kernelBase64 from './batch-norm.wat';
import type { Mat } from './dense-ops.js';

/** The exports of batch-norm.wat; pointers are byte offsets into the arena's memory. */
interface BatchNormExports {
  relu_stats(z: number, xhat: number, n: number, h: number, sum: number, sq: number): void;
  normalize(src: number, xhat: number, out: number, n: number, h: number, mean: number, invStd: number, gamma: number, beta: number): void;
  grad_sums(dy: number, xhat: number, n: number, h: number, gg: number, gb: number): void;
  grad_apply(dy: number, z: number, xhat: number, n: number, h: number, scale: number, shift: number, coef: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function batchNormModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const bin = atob(kernelBase64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Byte offset of a resident float32 matrix in the arena's memory. */
const at = (m: Mat): number => m.data.byteOffset;

/**
 * A factory of SIMD batch-norm kernels working in place on `arena`'s resident matrices, or `null` where the
 * arena runs without WebAssembly (the JS batch norm is used then).
 */
export function wasmBatchNormFactory(arena: GemmArena): ((h: number) => BatchNormKernel) | null {
  const module = batchNormModule();
  if (!arena.memory || !module) return null;
  // the arena moves to a larger memory when it grows: instantiate on the current one
  let bound: { memory: WebAssembly.Memory; exports: BatchNormExports } | null = null;
  const kernel = (): BatchNormExports => {
    const memory = arena.memory!;
    if (bound?.memory !== memory) bound = { memory, exports: new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as BatchNormExports };
    return bound.exports;
  };
  return (h) => new WasmBatchNorm(arena, kernel, h);
}

/**
 * The batch-norm passes on the SIMD kernel; the per-feature arithmetic between them (statistics, running
 * averages, the backward's coefficients) stays here in double, on h values.
 */
class WasmBatchNorm implements BatchNormKernel {
  private readonly h: number;
  private readonly kernel: () => BatchNormExports;
  private readonly arena: GemmArena;
  // per-feature vectors in the arena: two of h doubles (sums), then float32 ones
  private readonly sumA: Mat;
  private readonly sumB: Mat;
  private readonly mean: Mat;
  private readonly invStd: Mat;
  private readonly gamma: Mat;
  private readonly beta: Mat;
  private readonly shift: Mat;
  private readonly coef: Mat;
  /** 1 / sqrt(var + eps) of the last forward, in double, for the backward. */
  private readonly invStd64: Float64Array;

  constructor(arena: GemmArena, kernel: () => BatchNormExports, h: number) {
    this.h = h;
    this.kernel = kernel;
    this.arena = arena;
    this.sumA = arena.matrix(1, 2 * h);
    this.sumB = arena.matrix(1, 2 * h);
    [this.mean, this.invStd, this.gamma, this.beta, this.shift, this.coef] = [0, 1, 2, 3, 4, 5].map(() => arena.matrix(1, h));
    this.invStd64 = new Float64Array(h);
  }

  private doubles(m: Mat): Float64Array {
    return new Float64Array(this.arena.memory!.buffer, at(m), this.h);
  }

  forward(z: Mat, xhat: Mat, out: Mat, n: number, p: BatchNormParams, training: boolean): void {
    const h = this.h;
    const mean = this.mean.data;
    const invStd = this.invStd.data;
    const k = this.kernel();
    if (training) {
      k.relu_stats(at(z), at(xhat), n, h, at(this.sumA), at(this.sumB));
      const sum = this.doubles(this.sumA);
      const sq = this.doubles(this.sumB);
      for (let o = 0; o < h; o++) {
        const mu = sum[o] / n;
        const v = Math.max(0, sq[o] / n - mu * mu);
        mean[o] = mu;
        p.runMean[o] = (1 - BN_MOMENTUM) * p.runMean[o] + BN_MOMENTUM * mu;
        p.runVar[o] = (1 - BN_MOMENTUM) * p.runVar[o] + BN_MOMENTUM * (n > 1 ? (v * n) / (n - 1) : v);
        this.invStd64[o] = 1 / Math.sqrt(v + BN_EPS);
        invStd[o] = this.invStd64[o];
      }
    } else {
      for (let o = 0; o < h; o++) {
        mean[o] = p.runMean[o];
        this.invStd64[o] = 1 / Math.sqrt(p.runVar[o] + BN_EPS);
        invStd[o] = this.invStd64[o];
      }
    }
    this.gamma.data.set(p.gamma);
    this.beta.data.set(p.beta);
    // training normalises relu(z), already in xhat; evaluation applies the ReLU on the way
    k.normalize(training ? at(xhat) : at(z), at(xhat), at(out), n, h, at(this.mean), at(this.invStd), at(this.gamma), at(this.beta));
  }

  backward(dy: Mat, z: Mat, xhat: Mat, n: number, gamma: Float32Array, training: boolean, gGamma: Float32Array, gBeta: Float32Array): void {
    const h = this.h;
    const k = this.kernel();
    k.grad_sums(at(dy), at(xhat), n, h, at(this.sumA), at(this.sumB));
    const gg = this.doubles(this.sumA);
    const gb = this.doubles(this.sumB);
    // dz = scale * dy - shift - xhat * coef where z > 0 (see batchNormBackward); scale reuses the gamma slot
    const scale = this.gamma.data;
    const shift = this.shift.data;
    const coef = this.coef.data;
    for (let o = 0; o < h; o++) {
      gGamma[o] = gg[o];
      gBeta[o] = gb[o];
      const s = gamma[o] * this.invStd64[o];
      scale[o] = s;
      shift[o] = training ? (s * gb[o]) / n : 0;
      coef[o] = training ? (s * gg[o]) / n : 0;
    }
    k.grad_apply(at(dy), at(z), at(xhat), n, h, at(this.gamma), at(this.shift), at(this.coef));
  }
}
