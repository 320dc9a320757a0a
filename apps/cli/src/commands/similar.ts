import { Command } from 'commander';
import { itemPopularity } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import { findItem, openModel, ratingsForModel, requireFactors, wellRatedNeighbours } from '../model-source.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

/** `collab similar`: the nearest items by cosine similarity of their factors. */
export function similarCommand(): Command {
  return new Command('similar')
    .description('list the items most similar to one item (cosine similarity of the learned factors)')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .requiredOption('--item <id|title>', 'an item id, or (part of) a title')
    .option('-k, --k <n>', 'how many items', positiveInt, 10)
    .option('--min-ratings <n>', 'only list items with at least this many ratings (their factors are trustworthy); needs the training data', nonNegativeInt, 20)
    .option('--data <dir|file|name>', 'ratings for --min-ratings (default: the data the model was trained on, when found)')
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab similar --model models/ml-100k --item "Silence of the Lambs"\n  $ collab similar --model models/ml-100k --item 50 -k 5 --json')
    .action(async (opts: { model: string; item: string; k: number; minRatings: number; data?: string; json?: boolean; quiet?: boolean }) => {
      const out = createOutput(opts);
      const bundle = await openModel(opts.model, out);
      const factors = requireFactors(bundle, 'finding similar items');
      const item = findItem(bundle.items, opts.item);
      const seen = opts.minRatings > 0 ? await ratingsForModel(bundle, opts.data, out) : null;
      const counts = seen ? itemPopularity(seen.cols, bundle.items.size) : null;
      const sims = wellRatedNeighbours(factors, item, opts.k, counts, opts.minRatings);
      const rows = sims.map((s, i) => ({ rank: i + 1, item: bundle.items.decode(s.index), title: bundle.items.title(s.index), similarity: s.score }));
      if (out.jsonMode) {
        out.json({ item: bundle.items.decode(item), title: bundle.items.title(item), similar: rows });
        return;
      }
      out.result(`items most similar to ${bundle.items.title(item)}:`);
      for (const r of rows) out.result(`${String(r.rank).padStart(4)}  ${r.similarity.toFixed(3)}  ${r.title}`);
    });
}
