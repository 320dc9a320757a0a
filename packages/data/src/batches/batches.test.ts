import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../synthetic/generate.js';
import { BatchLoader } from './batch-loader.js';
import { showBatch } from './show-batch.js';
import { describeDataset, formatDescription } from './describe.js';
import { parseDelimited } from '../readers/delimited.js';

const { dataset } = generateSynthetic({ users: 50, items: 40, ratings: 1003, seed: 5 });

/** Row identities (user, item pairs are unique) visited by one epoch. */
function epochKeys(loader: BatchLoader, e: number): string[] {
  const out: string[] = [];
  for (const b of loader.epoch(e)) for (let k = 0; k < b.users.length; k++) out.push(`${b.users[k]}:${b.items[k]}:${b.ratings[k]}`);
  return out;
}
const allKeys = Array.from(dataset.ratings.users, (u, i) => `${u}:${dataset.ratings.items[i]}:${dataset.ratings.ratings[i]}`);

describe('BatchLoader', () => {
  it('visits every rating exactly once per epoch', () => {
    const loader = new BatchLoader(dataset.ratings, { bs: 64, seed: 1 });
    expect(loader.numBatches).toBe(16);
    const seen = epochKeys(loader, 0);
    expect(seen.length).toBe(1003);
    expect([...seen].sort()).toEqual([...allKeys].sort());
    const sizes = [...loader.epoch(1)].map((b) => b.ratings.length);
    expect(sizes.slice(0, 15).every((s) => s === 64)).toBe(true);
    expect(sizes[15]).toBe(1003 - 15 * 64);
  });

  it('orders deterministically per (seed, epoch) and differently across epochs and seeds', () => {
    const a = new BatchLoader(dataset, { bs: 32, seed: 1 });
    const b = new BatchLoader(dataset, { bs: 32, seed: 1 });
    expect(epochKeys(a, 3)).toEqual(epochKeys(b, 3));
    expect(epochKeys(a, 3)).not.toEqual(epochKeys(a, 4));
    expect(epochKeys(new BatchLoader(dataset, { bs: 32, seed: 2 }), 3)).not.toEqual(epochKeys(a, 3));
    expect(Array.from(a.epochOrder(2))).toEqual(Array.from(b.epochOrder(2)));
  });

  it('keeps source order without shuffling and drops the last batch on request', () => {
    const plain = new BatchLoader(dataset, { bs: 100, shuffle: false, dropLast: true });
    expect(plain.numBatches).toBe(10);
    const seen = epochKeys(plain, 0);
    expect(seen).toEqual(allKeys.slice(0, 1000));
    expect(() => new BatchLoader(dataset, { bs: 0 })).toThrow(/bs/);
  });
});

describe('showBatch and describeDataset', () => {
  const ds = parseDelimited('user,item,rating\nann,m1,5\nbob,m1,3\nann,m2,4\n');
  const titled = { ...ds, items: ds.items.withTitles((id) => (id === 'm1' ? 'Toy Story (1995)' : null)) };

  it('shows user ids, titles and ratings', () => {
    const text = showBatch(titled, { users: Int32Array.from([0, 1]), items: Int32Array.from([0, 1]), ratings: Float32Array.from([5, 4]) });
    const lines = text.split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['user', 'title', 'rating']);
    expect(lines[2]).toMatch(/^ann\s+Toy Story \(1995\)\s+5$/);
    expect(lines[3]).toMatch(/^bob\s+m2\s+4$/);
    expect(showBatch(dataset, undefined, { rows: 4 }).split('\n')).toHaveLength(6);
  });

  it('describes sizes, range, density, mean and the most rated items', () => {
    const d = describeDataset(titled, { top: 1 });
    expect(d).toMatchObject({ ratings: 3, users: 2, items: 2, rating_min: 3, rating_max: 5, density: 0.75, mean_rating: 4 });
    expect(d.top_items).toEqual([{ id: 'm1', title: 'Toy Story (1995)', count: 2, mean: 4 }]);
    const text = formatDescription(d);
    expect(text).toMatch(/ratings\s+3/);
    expect(text).toMatch(/m1\s+Toy Story \(1995\)\s+2\s+4/);
  });
});
