import { Command } from 'commander';
import { describeDataset, formatDescription } from '@collab-ts/data';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { positiveInt } from '../parse.js';

/** `collab info`: counts, rating range, density and the most-rated items of a ratings file. */
export function infoCommand(): Command {
  const cmd = new Command('info').description('summarise a ratings dataset: counts, rating range, density, most-rated items');
  addDataOptions(cmd)
    .option('--top <n>', 'how many of the most-rated items to list', positiveInt, 10)
    .option('--json', 'print one JSON object on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab info --data ml-100k\n  $ collab info --data ratings.csv --json | jq .density\n  $ collab info --data ratings.parquet --user-col customer_id --item-col product_id\n  $ collab info --data exports/ratings   # a folder of part-*.parquet files (Spark, DuckDB)')
    .action(async (opts: DataOptions & { top: number; json?: boolean; quiet?: boolean }) => {
      const out = createOutput(opts);
      const ds = await readData(opts, out);
      const info = describeDataset(ds, { top: opts.top });
      if (out.jsonMode) out.json(info);
      else out.result(formatDescription(info));
    });
  return cmd;
}
