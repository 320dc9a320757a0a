import { Command } from 'commander';
import { generateSynthetic, movieLens25mShape } from '@collab-ts/data';
import { writeRatingsCsv } from '@collab-ts/data/node';
import { createOutput } from '../io/output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

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
      const shape = movieLens25mShape(opts.ratings);
      const users = opts.users ?? shape.users;
      const items = opts.items ?? shape.items;
      const t0 = performance.now();
      const { dataset } = generateSynthetic({ users, items, ratings: opts.ratings, factors: opts.factors, seed: opts.seed, titles: false });
      const bytes = writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, opts.out);
      out.log(`wrote ${opts.ratings} ratings by ${users} users of ${items} items (${(bytes / 1e6).toFixed(1)} MB) to ${opts.out === '-' ? 'standard output' : opts.out} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    });
}
