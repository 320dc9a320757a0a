import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { scoreFactorBlock } from './score-block.js';
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
