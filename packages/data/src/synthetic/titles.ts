import type { Rng } from '@collab-ts/core';

const ADJECTIVES = [
  'Silent', 'Crimson', 'Last', 'Hidden', 'Broken', 'Golden', 'Midnight', 'Lost', 'Electric', 'Quiet', 'Savage', 'Distant',
  'Frozen', 'Burning', 'Secret', 'Wild', 'Iron', 'Paper', 'Hollow', 'Northern',
];
const NOUNS = [
  'Harbor', 'Empire', 'Garden', 'Signal', 'River', 'Stranger', 'Machine', 'Summer', 'Witness', 'Kingdom', 'Orchard',
  'Frontier', 'Mirror', 'Station', 'Voyage', 'Letter', 'Comet', 'Island', 'Carnival', 'Labyrinth',
];

/** Made-up movie titles ("The Silent Harbor (1987)") so synthetic datasets read like MovieLens. @internal */
export function syntheticTitles(n: number, rng: Rng): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const a = ADJECTIVES[rng.int(ADJECTIVES.length)];
    const b = NOUNS[rng.int(NOUNS.length)];
    const year = 1930 + rng.int(90);
    out[i] = rng.next() < 0.5 ? `The ${a} ${b} (${year})` : `${a} ${b} ${1 + (i % 7)} (${year})`;
  }
  return out;
}
