import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { createRng } from '../rng.js';
import type { Rng } from '../rng.js';
import { GemmArena } from './arena.js';
import { gemm, wasmGemmAvailable } from './gemm.js';
import type { GemmOptions, Matrix } from './matrix.js';

function random(rng: Rng, rows: number, cols: number): Matrix {
  return { data: Float32Array.from({ length: rows * cols }, () => rng.normal(0, 1)), rows, cols };
}

/** The textbook triple loop in double, left to right, as the reference. */
function naive(a: Matrix, b: Matrix, c: Matrix, o: GemmOptions): Float32Array {
  const tA = o.transA ?? false;
  const tB = o.transB ?? false;
  const m = c.rows;
  const n = c.cols;
  const k = tA ? a.rows : a.cols;
  const out = c.data.slice(0, m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a.data[p * m + i] : a.data[i * k + p]) * (tB ? b.data[j * k + p] : b.data[p * n + j]);
      let v = (o.alpha ?? 1) * s;
      if (o.rowBias) v += o.rowBias[i];
      if (o.colBias) v += o.colBias[j];
      if ((o.beta ?? 0) !== 0) v += (o.beta ?? 0) * c.data[i * n + j];
      out[i * n + j] = v;
    }
  }
  return out;
}

/** Largest |x - y| relative to the scale of the sum (sqrt(k) for unit normals), so f32 rounding passes. */
function maxError(x: Float32Array, y: Float32Array, k: number): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.sqrt(k), Math.abs(y[i])));
  return worst;
}

function problem(rng: Rng, m: number, n: number, k: number, o: GemmOptions) {
  const a = o.transA ? random(rng, k, m) : random(rng, m, k);
  const b = o.transB ? random(rng, n, k) : random(rng, k, n);
  // C starts as garbage: NaN when beta is 0 checks that C is then never read
  const c = (o.beta ?? 0) === 0 ? { data: new Float32Array(m * n).fill(NaN), rows: m, cols: n } : random(rng, m, n);
  return { a, b, c };
}

// sizes around the 4x8 / 4x4 tiles, the 128-row M blocks, the 256-deep K blocks and the 1024 / 512-wide N blocks
const shapes: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 8, 4], [5, 9, 3], [7, 13, 1], [64, 100, 177], [64, 177, 100], [100, 177, 64],
  [13, 1, 300], [1, 31, 257], [131, 37, 19], [9, 1030, 6], [6, 517, 9], [2, 3, 600],
];
const combos: GemmOptions[] = [
  {},
  { transA: true },
  { transB: true },
  { transA: true, transB: true },
  { alpha: -0.5, beta: 2 },
  { transA: true, alpha: 3, beta: -1 },
  { transB: true, beta: 1 },
  { transA: true, transB: true, alpha: 0.25, beta: 0.5 },
];

describe('gemm', () => {
  it(`runs on the ${wasmGemmAvailable() ? 'WebAssembly SIMD kernel' : 'JS fallback'} here`, () => {
    // Node 20 validates SIMD; a failure to instantiate would silently cost the speed, so say it
    expect(wasmGemmAvailable()).toBe(true);
  });

  for (const wasm of [true, false]) {
    for (const accumulate of ['f32', 'f64'] as const) {
      it(`${wasm ? 'wasm' : 'js'} ${accumulate}: matches the naive product on every op combination, odd sizes, alpha, beta and biases`, () => {
        const arena = GemmArena.create({ wasm });
        const rng = createRng(11);
        let cases = 0;
        for (const [m, n, k] of shapes) {
          for (const base of combos) {
            const bias = rng.next() < 0.5;
            const o: GemmOptions = {
              ...base,
              accumulate,
              rowBias: bias ? random(rng, 1, m).data : null,
              colBias: rng.next() < 0.5 ? random(rng, 1, n).data : null,
            };
            const { a, b, c } = problem(rng, m, n, k, o);
            const want = naive(a, b, c, o);
            arena.gemm(a, b, c, o);
            // f64 accumulation is exact up to the final rounding: the same floats as the double loop
            if (accumulate === 'f64') expect(Array.from(c.data), `${m}x${n}x${k} ${JSON.stringify(base)}`).toEqual(Array.from(want));
            else expect(maxError(c.data, want, k), `${m}x${n}x${k} ${JSON.stringify(base)}`).toBeLessThan(1e-5);
            cases++;
          }
        }
        expect(cases).toBe(shapes.length * combos.length);
      });
    }
  }

  it('uses resident matrices in place and survives growth, moving to a larger memory without detaching views', () => {
    const arena = GemmArena.create({ bytes: 65536 });
    const rng = createRng(3);
    const a = arena.matrix(37, 21);
    const b = arena.matrix(21, 45);
    a.data.set(random(rng, 37, 21).data);
    b.data.set(random(rng, 21, 45).data);
    const c = arena.matrix(37, 45);
    const old = c.data;
    const oldA = a.data.slice();
    expect(arena.isResident(old)).toBe(true);
    // a big allocation moves the arena: the old view stays attached (no process-wide detach), `data` follows
    const big = arena.matrix(1000, 1000);
    expect(big.data.length).toBe(1e6);
    expect(arena.byteLength).toBeGreaterThanOrEqual(4e6);
    expect(old.length).toBe(37 * 45);
    expect(arena.isResident(old)).toBe(false);
    expect(Array.from(a.data)).toEqual(Array.from(oldA));
    arena.gemm(a, b, c);
    expect(maxError(c.data, naive(a, b, c, {}), 21)).toBeLessThan(1e-5);
    // a product with an outside operand moves the arena during the call; resident results land in the new memory
    const outside = random(rng, 45, 40000);
    const d = arena.matrix(37, 40000);
    const before = arena.memory;
    arena.gemm(c, outside, d);
    expect(arena.memory).not.toBe(before);
    expect(maxError(d.data, naive(c, outside, d, {}), 45)).toBeLessThan(1e-4);
    arena.reset();
    expect(() => a.data).toThrow(UsageError);
  });

  it('a raw view of the arena passed as C gets the result even when the call moves the arena', () => {
    const arena = GemmArena.create({ bytes: 65536 });
    const rng = createRng(8);
    const cm = arena.matrix(3, 5);
    const raw = cm.data; // a plain view, not the ArenaMatrix
    const a = random(rng, 3, 7000);
    const b = random(rng, 7000, 5);
    const c = { data: raw, rows: 3, cols: 5 };
    arena.gemm(a, b, c);
    expect(raw.buffer).not.toBe(arena.buffer);
    expect(maxError(raw, naive(a, b, c, {}), 7000)).toBeLessThan(1e-4);
    expect(Array.from(cm.data)).toEqual(Array.from(raw));
  });

  it('rejects shapes that do not fit together, naming them', () => {
    const m = (rows: number, cols: number): Matrix => ({ data: new Float32Array(rows * cols), rows, cols });
    expect(() => gemm(m(2, 3), m(4, 5), m(2, 5))).toThrow(/op\(A\) is 2x3, op\(B\) is 4x5/);
    expect(() => gemm(m(2, 3), m(3, 5), m(2, 4))).toThrow(/C is 2x4/);
    expect(() => gemm(m(2, 3), m(5, 3), m(2, 5), { transB: true, colBias: new Float32Array(2) })).toThrow(/colBias/);
    expect(() => gemm({ data: new Float32Array(5), rows: 2, cols: 3 }, m(3, 1), m(2, 1))).toThrow(UsageError);
  });

  it('k = 0 gives beta * C plus the biases; empty products leave C alone', () => {
    const c = { data: new Float32Array([1, 2]), rows: 1, cols: 2 };
    gemm({ data: new Float32Array(0), rows: 1, cols: 0 }, { data: new Float32Array(0), rows: 0, cols: 2 }, c, { beta: 2, colBias: new Float32Array([10, 20]) });
    expect(Array.from(c.data)).toEqual([12, 24]);
    gemm({ data: new Float32Array(0), rows: 0, cols: 3 }, { data: new Float32Array(6), rows: 3, cols: 2 }, { data: new Float32Array(0), rows: 0, cols: 2 });
  });

  it('is deterministic: the same inputs give the same bits', () => {
    const rng = createRng(5);
    const { a, b, c } = problem(rng, 70, 90, 300, { transB: true });
    const c2 = { ...c, data: c.data.slice() };
    GemmArena.create().gemm(a, b, c, { transB: true });
    GemmArena.create().gemm(a, b, c2, { transB: true });
    expect(Array.from(c.data)).toEqual(Array.from(c2.data));
  });
});
