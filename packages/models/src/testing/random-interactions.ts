// Test-only fixture (not exported from the package).
import { createRng } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';

/** Shape of {@link randomInteractions}. */
export interface RandomInteractionsOptions {
  seed: number;
  users: number;
  items: number;
  /** Probability that user u has item 0; item i's falls as `density / (1 + i / tail)` (a long tail). */
  density: number;
  tail: number;
  /** Extra copies of random existing pairs (repeated interactions), each with strength `repeatValue`. */
  repeats: number;
  repeatValue: number;
}

/** Random interactions with strengths 1..5, a long tail of item popularity, ties, empty pairs and repeats. */
export function randomInteractions(o: RandomInteractionsOptions): RatingColumns {
  const rng = createRng(o.seed);
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < o.users; u++) {
    for (let i = 0; i < o.items; i++) {
      if (rng.next() < o.density / (1 + i / o.tail)) {
        users.push(u);
        items.push(i);
        values.push(1 + rng.int(5));
      }
    }
  }
  for (let r = 0; r < o.repeats; r++) {
    const k = rng.int(users.length);
    users.push(users[k]);
    items.push(items[k]);
    values.push(o.repeatValue);
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(values), timestamps: null };
}
