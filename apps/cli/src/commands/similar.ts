import { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import { itemPopularity, similarItems } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import { findItem, openModel, ratingsForModel } from '../model-source.js';
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
      const factors = bundle.model.factors();
      if (!factors) throw new UsageError(`similar items need a dot-product model; ${bundle.model.kind} has no item factor table`);
      const item = findItem(bundle.items, opts.item);
      const seen = opts.minRatings > 0 ? await ratingsForModel(bundle, opts.data, out) : null;
      const counts = seen ? itemPopularity(seen.cols, bundle.items.size) : null;
      // rank everything, then drop rarely rated items: their factors are mostly initial noise and weight decay
      const sims = similarItems(factors, item, bundle.items.size - 1)
        .filter((s) => !counts || counts[s.index] >= opts.minRatings)
        .slice(0, opts.k);
      const rows = sims.map((s, i) => ({ rank: i + 1, item: bundle.items.decode(s.index), title: bundle.items.title(s.index), similarity: s.score }));
      if (out.jsonMode) {
        out.json({ item: bundle.items.decode(item), title: bundle.items.title(item), similar: rows });
        return;
      }
      out.result(`items most similar to ${bundle.items.title(item)}:`);
      for (const r of rows) out.result(`${String(r.rank).padStart(4)}  ${r.similarity.toFixed(3)}  ${r.title}`);
    });
}
