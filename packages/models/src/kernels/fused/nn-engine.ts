import { SparseRowAccumulator } from '@collab-ts/core';
import type { DenseGrad, Gradients, ParamStore, RatingBatch, Rng } from '@collab-ts/core';
import { BN_EPS, BN_MOMENTUM, nnLayout } from '../../models/embedding-nn.js';
import type { NNLayout } from '../../models/embedding-nn.js';
import type { LossAndGrads, LossName, ModelConfig } from '../../types.js';
import type { Engine } from '../engine.js';
import { dropoutMask, nnDropoutRng } from '../nn-dropout.js';

/** Per hidden layer: parameter views, activations and their gradients for one batch (grown on demand). */
interface LayerState {
  inSize: number;
  outSize: number;
  w: Float32Array;
  bias: Float32Array | null;
  gamma: Float32Array | null;
  beta: Float32Array | null;
  runMean: Float32Array | null;
  runVar: Float32Array | null;
  p: number;
  gW: DenseGrad;
  gBias: DenseGrad | null;
  gGamma: DenseGrad | null;
  gBeta: DenseGrad | null;
  z: Float64Array; // pre-activation
  xhat: Float64Array; // normalised relu output (or the relu output without batch norm)
  out: Float64Array; // block output, input of the next block
  mask: Float64Array; // dropout scale per element
  mean: Float64Array;
  invStd: Float64Array;
  dOut: Float64Array; // gradient w.r.t. out
}

const PREDICT_CHUNK = 1024;

/**
 * The `fused` engine of `embedding-nn`: hand-written Linear / ReLU / BatchNorm1d / Dropout forward and
 * backward over preallocated Float64 buffers; embedding row gradients go to sparse accumulators.
 */
export class FusedNNEngine implements Engine {
  readonly backend = 'fused' as const;
  private readonly layout: NNLayout;
  private readonly userEmb: Float32Array;
  private readonly itemEmb: Float32Array;
  private readonly accUser: SparseRowAccumulator;
  private readonly accItem: SparseRowAccumulator;
  private readonly layers: LayerState[];
  private readonly wOut: Float32Array;
  private readonly bOut: Float32Array;
  private readonly gWOut: DenseGrad;
  private readonly gBOut: DenseGrad;
  private readonly grads: Gradients = new Map();
  private readonly rng: Rng;
  private readonly hasRange: boolean;
  private readonly lo: number;
  private readonly span: number;
  private cap = 0;
  private x0: Float64Array = new Float64Array(0);
  private mask0 = new Float64Array(0);
  private dx0 = new Float64Array(0);
  private score = new Float64Array(0);
  private gScore = new Float64Array(0);

  constructor(config: ModelConfig, params: ParamStore) {
    const l = nnLayout(config);
    this.layout = l;
    this.userEmb = params.get(l.userEmb).data;
    this.itemEmb = params.get(l.itemEmb).data;
    this.accUser = new SparseRowAccumulator(config.nUsers, l.userDim, 128);
    this.accItem = new SparseRowAccumulator(config.nItems, l.itemDim, 128);
    const dense = (name: string): DenseGrad => {
      const g: DenseGrad = { kind: 'dense', values: new Float32Array(params.get(name).data.length) };
      this.grads.set(name, g);
      return g;
    };
    this.layers = l.hidden.map((h) => ({
      inSize: h.inSize,
      outSize: h.outSize,
      w: params.get(h.weight).data,
      bias: h.bias ? params.get(h.bias).data : null,
      gamma: h.bn ? params.get(h.bn.weight).data : null,
      beta: h.bn ? params.get(h.bn.bias).data : null,
      runMean: h.bn ? params.get(h.bn.runningMean).data : null,
      runVar: h.bn ? params.get(h.bn.runningVar).data : null,
      p: h.dropout,
      gW: dense(h.weight),
      gBias: h.bias ? dense(h.bias) : null,
      gGamma: h.bn ? dense(h.bn.weight) : null,
      gBeta: h.bn ? dense(h.bn.bias) : null,
      z: new Float64Array(0),
      xhat: new Float64Array(0),
      out: new Float64Array(0),
      mask: new Float64Array(0),
      mean: new Float64Array(h.outSize),
      invStd: new Float64Array(h.outSize),
      dOut: new Float64Array(0),
    }));
    this.wOut = params.get(l.outWeight).data;
    this.bOut = params.get(l.outBias).data;
    this.gWOut = dense(l.outWeight);
    this.gBOut = dense(l.outBias);
    this.rng = nnDropoutRng(config.seed);
    this.hasRange = config.yRange !== null;
    this.lo = config.yRange?.[0] ?? 0;
    this.span = config.yRange ? config.yRange[1] - config.yRange[0] : 1;
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const D = this.layout.inSize;
    this.x0 = new Float64Array(n * D);
    this.mask0 = new Float64Array(n * D);
    this.dx0 = new Float64Array(n * D);
    this.score = new Float64Array(n);
    this.gScore = new Float64Array(n);
    for (const s of this.layers) {
      const m = n * s.outSize;
      s.z = new Float64Array(m);
      s.xhat = new Float64Array(m);
      s.out = new Float64Array(m);
      s.mask = new Float64Array(m);
      s.dOut = new Float64Array(m);
    }
    this.cap = n;
  }

  /** Forward pass into the buffers; scores (before the y-range) land in `this.score`. */
  private forward(users: Int32Array, items: Int32Array, training: boolean): void {
    const n = users.length;
    this.ensure(n);
    const { userDim, itemDim, inSize: D, embDropout } = this.layout;
    const x0 = this.x0;
    for (let b = 0; b < n; b++) {
      const o = b * D;
      const uo = users[b] * userDim;
      const io = items[b] * itemDim;
      for (let j = 0; j < userDim; j++) x0[o + j] = this.userEmb[uo + j];
      for (let j = 0; j < itemDim; j++) x0[o + userDim + j] = this.itemEmb[io + j];
    }
    const drop0 = training && embDropout > 0;
    if (drop0) {
      dropoutMask(this.rng, this.mask0, n * D, embDropout);
      for (let e = 0; e < n * D; e++) x0[e] *= this.mask0[e];
    }
    let x: Float64Array = x0;
    for (const s of this.layers) {
      const I = s.inSize;
      const H = s.outSize;
      const { z, xhat, out, w } = s;
      const I4 = I - (I % 4);
      // hot loop: z = x W^T (+ b), rows of W are contiguous in PyTorch's [out, in] layout
      for (let b = 0; b < n; b++) {
        const xo = b * I;
        for (let o = 0; o < H; o++) {
          const wo = o * I;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          let i = 0;
          for (; i < I4; i += 4) {
            a0 += x[xo + i] * w[wo + i];
            a1 += x[xo + i + 1] * w[wo + i + 1];
            a2 += x[xo + i + 2] * w[wo + i + 2];
            a3 += x[xo + i + 3] * w[wo + i + 3];
          }
          for (; i < I; i++) a0 += x[xo + i] * w[wo + i];
          z[b * H + o] = (s.bias ? s.bias[o] : 0) + (a0 + a1 + (a2 + a3));
        }
      }
      if (s.gamma) {
        const mean = s.mean;
        const invStd = s.invStd;
        if (training) {
          mean.fill(0);
          for (let b = 0; b < n; b++) for (let o = 0; o < H; o++) mean[o] += Math.max(0, z[b * H + o]);
          for (let o = 0; o < H; o++) mean[o] /= n;
          invStd.fill(0);
          for (let b = 0; b < n; b++) {
            for (let o = 0; o < H; o++) {
              const d = Math.max(0, z[b * H + o]) - mean[o];
              invStd[o] += d * d;
            }
          }
          const rm = s.runMean!;
          const rv = s.runVar!;
          for (let o = 0; o < H; o++) {
            const v = invStd[o] / n;
            rm[o] = (1 - BN_MOMENTUM) * rm[o] + BN_MOMENTUM * mean[o];
            rv[o] = (1 - BN_MOMENTUM) * rv[o] + BN_MOMENTUM * (n > 1 ? (v * n) / (n - 1) : v);
            invStd[o] = 1 / Math.sqrt(v + BN_EPS);
          }
        } else {
          for (let o = 0; o < H; o++) {
            mean[o] = s.runMean![o];
            invStd[o] = 1 / Math.sqrt(s.runVar![o] + BN_EPS);
          }
        }
        const gamma = s.gamma;
        const beta = s.beta!;
        for (let b = 0; b < n; b++) {
          for (let o = 0; o < H; o++) {
            const e = b * H + o;
            const xh = (Math.max(0, z[e]) - mean[o]) * invStd[o];
            xhat[e] = xh;
            out[e] = gamma[o] * xh + beta[o];
          }
        }
      } else {
        for (let e = 0; e < n * H; e++) {
          xhat[e] = Math.max(0, z[e]);
          out[e] = xhat[e];
        }
      }
      if (training && s.p > 0) {
        dropoutMask(this.rng, s.mask, n * H, s.p);
        for (let e = 0; e < n * H; e++) out[e] *= s.mask[e];
      }
      x = out;
    }
    const I = this.layers.length ? this.layers[this.layers.length - 1].outSize : D;
    for (let b = 0; b < n; b++) {
      let acc = this.bOut[0];
      for (let i = 0; i < I; i++) acc += x[b * I + i] * this.wOut[i];
      this.score[b] = acc;
    }
  }

  /** Loss of the scores in `this.score`; fills `this.gScore` with d(mean loss)/d(score). */
  private loss(ratings: Float32Array, loss: LossName): number {
    const n = ratings.length;
    let total = 0;
    for (let b = 0; b < n; b++) {
      const x = this.score[b];
      const y = ratings[b];
      if (loss === 'bce') {
        total += (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))) - x * y;
        this.gScore[b] = (1 / (1 + Math.exp(-x)) - y) / n;
      } else if (this.hasRange) {
        const s = 1 / (1 + Math.exp(-x));
        const e = this.lo + this.span * s - y;
        total += e * e;
        this.gScore[b] = ((2 * e) / n) * this.span * s * (1 - s);
      } else {
        const e = x - y;
        total += e * e;
        this.gScore[b] = (2 * e) / n;
      }
    }
    return total / n;
  }

  private backward(users: Int32Array, items: Int32Array, training: boolean): void {
    const n = users.length;
    const D = this.layout.inSize;
    const L = this.layers.length;
    const xLast = L ? this.layers[L - 1].out : this.x0;
    const I = L ? this.layers[L - 1].outSize : D;
    const gw = this.gWOut.values;
    gw.fill(0);
    let gb = 0;
    const dLast = L ? this.layers[L - 1].dOut : this.dx0;
    for (let b = 0; b < n; b++) {
      const g = this.gScore[b];
      gb += g;
      for (let i = 0; i < I; i++) {
        gw[i] += g * xLast[b * I + i];
        dLast[b * I + i] = g * this.wOut[i];
      }
    }
    this.gBOut.values[0] = gb;
    for (let l = L - 1; l >= 0; l--) {
      const s = this.layers[l];
      const H = s.outSize;
      const In = s.inSize;
      const dy = s.dOut;
      if (training && s.p > 0) for (let e = 0; e < n * H; e++) dy[e] *= s.mask[e];
      // dy becomes d(loss)/d(z) in place: batch norm backward, then the ReLU gate
      if (s.gamma) {
        const gGamma = s.gGamma!.values;
        const gBeta = s.gBeta!.values;
        gGamma.fill(0);
        gBeta.fill(0);
        const gamma = s.gamma;
        const invStd = s.invStd;
        const sDx = this.scratch(H, 0);
        const sDxX = this.scratch(H, 1);
        sDx.fill(0);
        sDxX.fill(0);
        for (let b = 0; b < n; b++) {
          for (let o = 0; o < H; o++) {
            const e = b * H + o;
            gGamma[o] += dy[e] * s.xhat[e];
            gBeta[o] += dy[e];
            const dxh = dy[e] * gamma[o];
            sDx[o] += dxh;
            sDxX[o] += dxh * s.xhat[e];
          }
        }
        for (let b = 0; b < n; b++) {
          for (let o = 0; o < H; o++) {
            const e = b * H + o;
            const dxh = dy[e] * gamma[o];
            const da = training ? (invStd[o] / n) * (n * dxh - sDx[o] - s.xhat[e] * sDxX[o]) : dxh * invStd[o];
            dy[e] = s.z[e] > 0 ? da : 0;
          }
        }
      } else {
        for (let e = 0; e < n * H; e++) if (!(s.z[e] > 0)) dy[e] = 0;
      }
      const x = l === 0 ? this.x0 : this.layers[l - 1].out;
      const dx = l === 0 ? this.dx0 : this.layers[l - 1].dOut;
      const gW = s.gW.values;
      gW.fill(0);
      const gBias = s.gBias?.values ?? null;
      gBias?.fill(0);
      dx.fill(0, 0, n * In);
      const w = s.w;
      const In4 = In - (In % 4);
      // hot loop: dW += dz^T x and dx += dz W, both walking contiguous rows of length `in`
      for (let b = 0; b < n; b++) {
        const xo = b * In;
        for (let o = 0; o < H; o++) {
          const g = dy[b * H + o];
          if (g === 0) continue;
          if (gBias) gBias[o] += g;
          const wo = o * In;
          let i = 0;
          for (; i < In4; i += 4) {
            gW[wo + i] += g * x[xo + i];
            gW[wo + i + 1] += g * x[xo + i + 1];
            gW[wo + i + 2] += g * x[xo + i + 2];
            gW[wo + i + 3] += g * x[xo + i + 3];
            dx[xo + i] += g * w[wo + i];
            dx[xo + i + 1] += g * w[wo + i + 1];
            dx[xo + i + 2] += g * w[wo + i + 2];
            dx[xo + i + 3] += g * w[wo + i + 3];
          }
          for (; i < In; i++) {
            gW[wo + i] += g * x[xo + i];
            dx[xo + i] += g * w[wo + i];
          }
        }
      }
    }
    const { userDim, itemDim, embDropout } = this.layout;
    if (training && embDropout > 0) for (let e = 0; e < n * D; e++) this.dx0[e] *= this.mask0[e];
    for (let b = 0; b < n; b++) {
      const o = b * D;
      const su = this.accUser.slot(users[b]);
      const bu = this.accUser.buffer;
      for (let j = 0; j < userDim; j++) bu[su + j] += this.dx0[o + j];
      const si = this.accItem.slot(items[b]);
      const bi = this.accItem.buffer;
      for (let j = 0; j < itemDim; j++) bi[si + j] += this.dx0[o + userDim + j];
    }
  }

  private scratchBufs: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
  private scratch(n: number, k: number): Float64Array {
    if (this.scratchBufs[k].length < n) this.scratchBufs[k] = new Float64Array(n);
    return this.scratchBufs[k];
  }

  lossAndGrads(batch: RatingBatch, training: boolean, loss: LossName): LossAndGrads {
    this.accUser.reset();
    this.accItem.reset();
    this.forward(batch.users, batch.items, training);
    const value = this.loss(batch.ratings, loss);
    this.backward(batch.users, batch.items, training);
    this.grads.set(this.layout.userEmb, this.accUser.result());
    this.grads.set(this.layout.itemEmb, this.accItem.result());
    return { loss: value, grads: this.grads };
  }

  evaluateLoss(batch: RatingBatch, loss: LossName): number {
    let total = 0;
    const n = batch.ratings.length;
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const end = Math.min(n, start + PREDICT_CHUNK);
      this.forward(batch.users.subarray(start, end), batch.items.subarray(start, end), false);
      total += this.loss(batch.ratings.subarray(start, end), loss) * (end - start);
    }
    return total / n;
  }

  predict(users: Int32Array, items: Int32Array, out: Float32Array): void {
    for (let start = 0; start < users.length; start += PREDICT_CHUNK) {
      const end = Math.min(users.length, start + PREDICT_CHUNK);
      this.forward(users.subarray(start, end), items.subarray(start, end), false);
      for (let b = 0; b < end - start; b++) {
        const x = this.score[b];
        out[start + b] = this.hasRange ? this.lo + this.span / (1 + Math.exp(-x)) : x;
      }
    }
  }

  dispose(): void {}
}
