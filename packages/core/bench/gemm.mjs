#!/usr/bin/env node
// GFLOP/s of core's GEMM: the WebAssembly SIMD kernel against the JS fallback, in the same process, at the
// shapes the embedding-nn layers and blocked scoring use (operands resident in the arena, so no copies).
// Timed by CPU time, rounds alternating between the two. Usage: node bench/gemm.mjs   (after `pnpm build`;
// BENCH_MS sets the CPU time per measurement, default 400)
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { GemmArena, createRng } from '../dist/index.js';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 400);
const shapes = [
  // [label, m, n, k, options]
  ['nn forward x·Wᵀ', 64, 100, 177, { transB: true }],
  ['nn backward dY·W', 64, 177, 100, {}],
  ['nn backward dYᵀ·X', 100, 177, 64, { transA: true }],
  ['nn layer 2 x·Wᵀ', 64, 50, 100, { transB: true }],
  ['square', 256, 256, 256, {}],
  ['scoring U·Vᵀ f32', 256, 1682, 50, { transB: true }],
  ['scoring U·Vᵀ f64', 256, 1682, 50, { transB: true, accumulate: 'f64' }],
];

function operands(arena, m, n, k, o, rng) {
  const fill = (x) => {
    const d = x.data;
    for (let i = 0; i < d.length; i++) d[i] = rng.normal(0, 1);
    return x;
  };
  const a = fill(o.transA ? arena.matrix(k, m) : arena.matrix(m, k));
  const b = fill(o.transB ? arena.matrix(n, k) : arena.matrix(k, n));
  return { a, b, c: arena.matrix(m, n) };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Repetitions that take about BUDGET_MS / 10 of CPU time. */
function calibrate(arena, ops, o) {
  let reps = 1;
  for (;;) {
    const t0 = cpuMs();
    for (let r = 0; r < reps; r++) arena.gemm(ops.a, ops.b, ops.c, o);
    if (cpuMs() - t0 > BUDGET_MS / 10) return reps;
    reps *= 2;
  }
}

/**
 * Median GFLOP/s of the two arenas over 5 rounds that alternate between them, timed by the process's CPU
 * time (on a loaded machine, wall time measures the other processes as much as this one).
 */
function measurePair(pairs, o, flops) {
  const rates = pairs.map(() => []);
  const reps = pairs.map(([arena, ops]) => calibrate(arena, ops, o));
  for (let round = 0; round < 5; round++) {
    pairs.forEach(([arena, ops], i) => {
      const t0 = cpuMs();
      for (let r = 0; r < reps[i]; r++) arena.gemm(ops.a, ops.b, ops.c, o);
      rates[i].push((flops * reps[i]) / ((cpuMs() - t0) * 1e6));
    });
  }
  return rates.map((r) => r.sort((x, y) => x - y)[2]);
}

const wasm = GemmArena.create();
const js = GemmArena.create({ wasm: false });
if (!wasm.usesWasm) console.warn('WebAssembly SIMD is not available here: both columns are the JS fallback');
const machine = `${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores), Node ${process.version}, load ${loadavg()[0].toFixed(2)}`;
const rows = [];
for (const [label, m, n, k, o] of shapes) {
  const flops = 2 * m * n * k;
  const [jsRate, wasmRate] = measurePair([[js, operands(js, m, n, k, o, createRng(1))], [wasm, operands(wasm, m, n, k, o, createRng(1))]], o, flops);
  rows.push({ shape: label, m, n, k, transA: !!o.transA, transB: !!o.transB, accumulate: o.accumulate ?? 'f32', jsGflops: jsRate, wasmGflops: wasmRate, speedup: wasmRate / jsRate });
  wasm.reset();
  js.reset();
}
console.log(`GEMM GFLOP/s by CPU time, median of 5 alternating rounds; ${machine}`);
console.table(rows.map((r) => ({ shape: r.shape, 'm x n x k': `${r.m}x${r.n}x${r.k}`, js: r.jsGflops.toFixed(2), wasm: r.wasmGflops.toFixed(2), speedup: `${r.speedup.toFixed(1)}x` })));
writeFileSync(new URL('./gemm-results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2)}\n`);
