/** MovieLens 25M's shape: 25,000,095 ratings by 162,541 users of 59,047 films. */
const ML25M = { ratings: 25_000_095, users: 162_541, items: 59_047 };

/**
 * Users and items for `ratings` ratings in MovieLens 25M's shape, scaled down: users in proportion to the
 * ratings, items with the square root of the ratio (small catalogues stay sparse enough to sample). What
 * `collab generate` and the scale benchmark use with {@link generateSynthetic}.
 *
 * @example
 * ```ts
 * const shape = movieLens25mShape(1_000_000); // { users: 6502, items: 11809 }
 * const { dataset } = generateSynthetic({ ...shape, ratings: 1_000_000, seed: 1 });
 * ```
 */
export function movieLens25mShape(ratings: number): { users: number; items: number } {
  const f = Math.min(1, ratings / ML25M.ratings);
  const users = Math.max(10, Math.round(ML25M.users * f));
  let items = Math.max(10, Math.round(ML25M.items * Math.sqrt(f)));
  while (users * items < ratings * 1.5) items++;
  return { users, items };
}
