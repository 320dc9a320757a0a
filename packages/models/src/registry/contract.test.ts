import { describe, expect, it } from 'vitest';
import { listFamilies, resolveFamilyOptions, getFamily } from './registry.js';
import { recommenderContract } from '../testing/contract.js';

/** Fast settings per family for the contract run; families not listed use their defaults. */
const FAST: Record<string, Record<string, unknown>> = {
  'embedding-nn': { layers: [16], epochs: 3 },
};

describe('the model family registry', () => {
  it('lists every family with documented, resolvable options', () => {
    const kinds = listFamilies().map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['dot', 'dot-bias', 'dot-bias-raw', 'embedding-dot-bias', 'embedding-nn']));
    for (const f of listFamilies()) {
      expect(f.tasks.length).toBeGreaterThan(0);
      for (const o of f.options) expect(o.help.length).toBeGreaterThan(5);
      expect(() => resolveFamilyOptions(f, {})).not.toThrow();
    }
  });

  it('rejects unknown kinds, unknown options and bad values with usage errors', () => {
    expect(() => getFamily('svd++')).toThrow(/unknown model "svd\+\+"; expected one of dot, /);
    expect(() => resolveFamilyOptions(getFamily('dot-bias'), { factor: 3 })).toThrow(/dot-bias has no option "factor"/);
    expect(() => resolveFamilyOptions(getFamily('dot-bias'), { factors: 0 })).toThrow(/factors must be an integer in \[1, inf\]/);
    expect(resolveFamilyOptions(getFamily('dot-bias'), { factors: 7 }).factors).toBe(7);
  });
});

for (const family of listFamilies()) {
  describe(`Recommender contract: ${family.kind}`, () => {
    recommenderContract(family.kind, { options: FAST[family.kind] });
  });
}

describe('non-finite scores', () => {
  it('are an error when recommending, never a silent NaN', async () => {
    const { createModel } = await import('../create.js');
    const m = await createModel('dot-bias', { nUsers: 3, nItems: 4, factors: 2, initStd: 0.3 });
    m.params.get('item_factors.weight').data.fill(Number.NaN);
    expect(() => m.recommend(0, { k: 2 })).toThrow(/dot-bias produced a non-finite score \(NaN\) for item index \d: the model is damaged or diverged/);
  });
});
