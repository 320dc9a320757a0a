import { Command } from 'commander';
import { generateSynthetic } from '@collab-ts/data';
import { writeRatingsCsv } from '@collab-ts/data/node';
import { createOutput } from '../io/output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

/** MovieLens 25M's shape: 25,000,095 ratings by 162,541 users of 59,047 films. */
const ML25M = { ratings: 25_000_095, users: 162_541, items: 59_047 };

/**
 * Users and items for `ratings` ratings in MovieLens 25M's shape, scaled down: users in proportion to the
 * ratings, items with the square root of the ratio (small catalogues stay sparse enough to sample).
 */
export function scaledShape(ratings: number): { users: number; items: number } {
  const f = Math.min(1, ratings / ML25M.ratings);
  const users = Math.max(10, Math.round(ML25M.users * f));
  let items = Math.max(10, Math.round(ML25M.items * Math.sqrt(f)));
  while (users * items < ratings * 1.5) items++;
  return { users, items };
}

interface GenerateOpts {
  ratings: number;
  users?: number;
  items?: number;
  factors: number;
  seed: number;
  out: string;
  quiet?: boolean;
}

/** `collab generate`: the seeded synthetic generator from the command line. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('write a seeded synthetic ratings file (planted latent factors, long-tail popularity; MovieLens 25M shape scaled to --ratings)')
    .requiredOption('--ratings <n>', 'number of ratings', positiveInt)
    .option('--users <n>', 'number of users (default: scaled from MovieLens 25M)', positiveInt)
    .option('--items <n>', 'number of items (default: scaled from MovieLens 25M)', positiveInt)
    .option('--factors <n>', 'latent dimension of the planted factors', positiveInt, 8)
    .option('--seed <n>', 'seed', nonNegativeInt, 0)
    .option('--out <file.csv>', 'where to write (userId,movieId,rating,timestamp); "-" for standard output', '-')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab generate --ratings 1000000 --seed 1 --out ratings-1m.csv\n  $ collab generate --ratings 25000000 --out ml25m-shaped.csv\n  $ collab generate --ratings 5000 --users 100 --items 80 | head')
    .action((opts: GenerateOpts) => {
      const out = createOutput(opts);
      const shape = scaledShape(opts.ratings);
      const users = opts.users ?? shape.users;
      const items = opts.items ?? shape.items;
      const t0 = performance.now();
      const { dataset } = generateSynthetic({ users, items, ratings: opts.ratings, factors: opts.factors, seed: opts.seed, titles: false });
      const bytes = writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, opts.out);
      out.log(`wrote ${opts.ratings} ratings by ${users} users of ${items} items (${(bytes / 1e6).toFixed(1)} MB) to ${opts.out === '-' ? 'standard output' : opts.out} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    });
}
