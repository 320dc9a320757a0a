import { Command } from 'commander';
import { itemPopularity } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import { findItem, historyCounts, openModel, ratingsForModel, wellRatedNeighbours } from '../model-source.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

/** `collab similar`: the nearest items by cosine similarity of their factors. */
export function similarCommand(): Command {
  return new Command('similar')
    .description("list the items most similar to one item, by the model's own similarity (cosine of the learned factors for factor models)")
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .requiredOption('--item <id|title>', 'an item id, or (part of) a title')
    .option('-k, --k <n>', 'how many items', positiveInt, 10)
    .option('--min-ratings <n>', 'only list items with at least this many ratings in the model\'s training history (their factors are trustworthy)', nonNegativeInt, 20)
    .option('--data <dir|file|name>', 'count --min-ratings in these ratings instead of the model\'s training history')
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab similar --model models/ml-100k --item "Silence of the Lambs"\n  $ collab similar --model models/ml-100k --item 50 -k 5 --json')
    .action(async (opts: { model: string; item: string; k: number; minRatings: number; data?: string; json?: boolean; quiet?: boolean }) => {
      const out = createOutput(opts);
      const bundle = await openModel(opts.model, out);
      const item = findItem(bundle.items, opts.item);
      let counts: ArrayLike<number> | null = null;
      if (opts.minRatings > 0) {
        counts = opts.data ? itemPopularity((await ratingsForModel(bundle, opts.data, out)).cols, bundle.items.size) : historyCounts(bundle.model);
        if (!counts) out.log('note: the model has no saved training history, so --min-ratings is not applied (pass --data)');
      }
      const sims = wellRatedNeighbours(bundle.model, item, opts.k, counts, opts.minRatings);
      const rows = sims.map((s, i) => ({ rank: i + 1, item: bundle.items.decode(s.item), title: bundle.items.title(s.item), similarity: s.score }));
      if (out.jsonMode) {
        out.json({ item: bundle.items.decode(item), title: bundle.items.title(item), similar: rows });
        return;
      }
      out.result(`items most similar to ${bundle.items.title(item)}:`);
      for (const r of rows) out.result(`${String(r.rank).padStart(4)}  ${r.similarity.toFixed(3)}  ${r.title}`);
    });
}
