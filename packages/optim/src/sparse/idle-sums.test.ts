import { describe, expect, it } from 'vitest';
import { createRng } from '@collab-ts/core';
import { oneCycle } from '../schedules/index.js';
import { BlockedIdleSums } from './blocked-idle-sums.js';
import { emptyIdleSummary } from './idle-summary.js';
import type { IdleSummary } from './idle-summary.js';
import { ReplayIdleSums } from './replay-idle-sums.js';

const CHAINS = 3;

/** Records `steps` steps of a one-cycle schedule (lr and momentum) into every history, Adam-like chains. */
function feed(histories: { record: BlockedIdleSums['record'] }[], steps: number, from: number, total: number, wd: number, b2 = 0.99): void {
  const sched = oneCycle({ lrMax: 0.01 });
  const rates = new Float64Array(CHAINS);
  const coefs = new Float64Array(CHAINS);
  for (let i = from; i < from + steps; i++) {
    const pct = i / total;
    const lr = sched.lr(pct);
    const b1 = sched.mom(pct);
    const k = i + 1;
    const bc2 = 1 - b2 ** k;
    const c = (lr * Math.sqrt(bc2)) / (1 - b1 ** k);
    rates[0] = b1 / Math.sqrt(b2);
    rates[1] = b1 / b2;
    rates[2] = b1 / b2 ** 1.5;
    coefs[0] = c;
    coefs[1] = c * Math.sqrt(bc2);
    coefs[2] = c * bc2;
    for (const h of histories) h.record(1 - lr * wd, b1, rates, coefs);
  }
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
}

function expectSame(a: IdleSummary, b: IdleSummary, tol: number): void {
  expect(a.gap).toBe(b.gap);
  expect(relDiff(a.decay, b.decay)).toBeLessThan(tol);
  for (let j = 0; j < CHAINS; j++) expect(relDiff(a.moves[j], b.moves[j])).toBeLessThan(tol);
  // the replay stops once the state is below 1e-16, leaving its factor unfinished there: compare absolutely
  expect(Math.abs(a.momDecay - b.momDecay)).toBeLessThan(tol * b.momDecay + 1e-15);
}

describe('the closed-form catch-up sums (BlockedIdleSums)', () => {
  it('equal the step-by-step replay for every gap, across block boundaries of all three levels', () => {
    const blocked = new BlockedIdleSums(CHAINS);
    const replay = new ReplayIdleSums(CHAINS);
    const rng = createRng(31);
    const total = 9000;
    const a = emptyIdleSummary();
    const b = emptyIdleSummary();
    let done = 0;
    // stop at block boundaries (64, 4096) and just around them, then at random points
    for (const upTo of [1, 63, 64, 65, 200, 4095, 4096, 4097, 6000, total]) {
      feed([blocked, replay], upTo - done, done, total, 0.1);
      done = upTo;
      const lasts = [0, done, done - 1, Math.max(0, done - 64), Math.max(0, done - 4096), ...Array.from({ length: 40 }, () => rng.int(done + 1))];
      for (const last of lasts) {
        for (const decays of [true, false]) {
          expectSame(blocked.summarize(last, decays, a), replay.summarize(last, decays, b), 1e-12);
        }
      }
    }
  });

  it('sums gaps whose state never vanishes (rates near 1) as exactly as the full replay', () => {
    const blocked = new BlockedIdleSums(CHAINS);
    const replay = new ReplayIdleSums(CHAINS);
    // beta2 0.9999 and beta1 near 0.95: chain rates of about 0.95..1.0, state alive over thousands of steps
    feed([blocked, replay], 5000, 0, 5000, 0.01, 0.9999);
    const a = emptyIdleSummary();
    const b = emptyIdleSummary();
    for (const last of [0, 1, 777, 4095, 4999]) expectSame(blocked.summarize(last, true, a), replay.summarize(last, true, b), 1e-11);
  });

  it('says when it is full, and starts over after a reset', () => {
    const small = new BlockedIdleSums(CHAINS, 2);
    expect(small.capacity).toBe(4096);
    feed([small], 4095, 0, 4096, 0.1);
    expect(small.full).toBe(false);
    feed([small], 1, 4095, 4096, 0.1);
    expect(small.full).toBe(true);
    expect(() => feed([small], 1, 4096, 4097, 0.1)).toThrow(/full/);
    small.reset(4096);
    expect(small.now).toBe(4096);
    const replay = new ReplayIdleSums(CHAINS);
    replay.reset(4096);
    feed([small, replay], 100, 4096, 5000, 0.1);
    expectSame(small.summarize(4100, true, emptyIdleSummary()), replay.summarize(4100, true, emptyIdleSummary()), 1e-12);
  });
});
