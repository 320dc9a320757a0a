import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { factorScore, scoreFactorBlock } from './score-block.js';
import { F32ScoreBound } from './score-bound.js';
import type { FactorTables } from './scoring.js';

function tables(seed: number, nU: number, nI: number, dim: number, biases: boolean): FactorTables {
  const rng = createRng(seed);
  const normal = (n: number) => Float32Array.from({ length: n }, () => rng.normal(0, 0.3));
  return {
    dim,
    userFactors: normal(nU * dim),
    itemFactors: normal(nI * dim),
    userBias: biases ? normal(nU) : null,
    itemBias: biases ? normal(nI) : null,
    yRange: null,
  };
}

/** The documented semantics as a scalar loop: left to right in double, + user bias + item bias, one rounding. */
function scalarScores(t: FactorTables, users: number[], nItems: number): Float32Array {
  const out = new Float32Array(users.length * nItems);
  users.forEach((u, b) => {
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let k = 0; k < t.dim; k++) s += t.userFactors[u * t.dim + k] * t.itemFactors[i * t.dim + k];
      out[b * nItems + i] = s + (t.userBias ? t.userBias[u] : 0) + (t.itemBias ? t.itemBias[i] : 0);
    }
  });
  return out;
}

describe('scoreFactorBlock', () => {
  for (const biases of [true, false]) {
    it(`gives the scalar double loop's floats bit for bit (${biases ? 'with' : 'without'} biases, odd sizes)`, () => {
      for (const [nU, nI, dim] of [[7, 13, 5], [40, 1031, 50], [3, 2, 1], [9, 517, 33]]) {
        const t = tables(nU * 7 + dim, nU, nI, dim, biases);
        const users = [2, 0, nU - 1, 1, 2, nU - 1].filter((u) => u < nU);
        const out = new Float32Array(users.length * nI);
        // score users[1..] only, from an offset into the list
        scoreFactorBlock(t, users, 1, users.length - 1, nI, out);
        expect(Array.from(out.subarray(0, (users.length - 1) * nI))).toEqual(Array.from(scalarScores(t, users.slice(1), nI)));
      }
    });
  }

  it('scores only the first nItems items when the table holds more, and leaves the rest of out alone', () => {
    const t = tables(1, 4, 20, 6, true);
    const out = new Float32Array(2 * 12 + 3).fill(-7);
    scoreFactorBlock(t, [3, 1], 0, 2, 12, out);
    expect(Array.from(out.subarray(0, 24))).toEqual(Array.from(scalarScores(t, [3, 1], 12)));
    expect(Array.from(out.subarray(24))).toEqual([-7, -7, -7]);
  });
});

describe('factorScore and the float32 mode', () => {
  it('factorScore gives the f64 block floats bit for bit', () => {
    const t = tables(5, 6, 300, 50, true);
    const out = new Float32Array(6 * 300);
    scoreFactorBlock(t, [0, 1, 2, 3, 4, 5], 0, 6, 300, out);
    for (let u = 0; u < 6; u++) for (let i = 0; i < 300; i++) expect(factorScore(t, u, i)).toBe(out[u * 300 + i]);
  });

  for (const [label, scale] of [['small', 0.3], ['large', 40]] as const) {
    it(`keeps every f32 score within F32ScoreBound's slack of the exact one (${label} factors), and is not exact`, () => {
      const base = tables(label.length, 24, 700, 64, true);
      const grow = (a: Float32Array | null) => (a ? a.map((x) => x * scale) : null);
      const t = { ...base, userFactors: grow(base.userFactors)!, itemFactors: grow(base.itemFactors)!, itemBias: grow(base.itemBias) };
      const users = Array.from({ length: 24 }, (_, u) => u);
      const exact = new Float32Array(24 * 700);
      const fast = new Float32Array(24 * 700);
      scoreFactorBlock(t, users, 0, 24, 700, exact);
      scoreFactorBlock(t, users, 0, 24, 700, fast, 'f32');
      const bound = new F32ScoreBound(t);
      let differ = 0;
      for (let u = 0; u < 24; u++) {
        const sl = bound.slack(u);
        expect(sl).toBeGreaterThan(0);
        for (let i = 0; i < 700; i++) {
          const e = Math.abs(fast[u * 700 + i] - exact[u * 700 + i]);
          expect(e).toBeLessThanOrEqual(sl);
          if (e > 0) differ++;
        }
      }
      // float32 sums do round differently (else the bound would be untested)
      expect(differ).toBeGreaterThan(0);
    });
  }

  it('gives a non-finite slack for non-finite tables, so a scan skips no finite score', () => {
    const t = tables(3, 2, 5, 4, true);
    t.itemFactors[7] = Infinity;
    expect(new F32ScoreBound(t).slack(0)).toBe(Infinity);
    const n = tables(3, 2, 5, 4, true);
    n.itemFactors[2] = NaN;
    expect(new F32ScoreBound(n).slack(1)).toBeNaN();
  });
});
