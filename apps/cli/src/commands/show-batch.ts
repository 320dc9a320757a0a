import { Command } from 'commander';
import { BatchLoader, showBatch } from '@collab-ts/data';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

/** `collab show-batch`: one shuffled mini-batch as a table with titles (fastai's `show_batch`). */
export function showBatchCommand(): Command {
  const cmd = new Command('show-batch').description('show one shuffled mini-batch as a table of users, titles and ratings');
  addDataOptions(cmd)
    .option('--bs <n>', 'batch size', positiveInt, 64)
    .option('--rows <n>', 'rows of the batch to print (default: all)', positiveInt)
    .option('--seed <n>', 'seed of the shuffle', nonNegativeInt, 42)
    .option('--json', 'print the batch as JSON rows on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab show-batch --data ml-100k --bs 10 --seed 1')
    .action(async (opts: DataOptions & { bs: number; rows?: number; seed: number; json?: boolean; quiet?: boolean }) => {
      const out = createOutput(opts);
      const ds = await readData(opts, out);
      const loader = new BatchLoader(ds.ratings, { bs: opts.bs, shuffle: true, seed: opts.seed });
      const batch = loader.oneBatch(0);
      if (batch.ratings.length === 0) {
        out.log('the dataset has no ratings');
        return;
      }
      if (out.jsonMode) {
        const rows = Array.from(batch.users, (u, i) => ({
          user: ds.users.decode(u),
          item: ds.items.decode(batch.items[i]),
          title: ds.items.title(batch.items[i]),
          rating: batch.ratings[i],
        }));
        out.json(rows.slice(0, opts.rows ?? rows.length));
      } else {
        out.result(showBatch(ds, batch, { rows: opts.rows }));
      }
    });
  return cmd;
}
