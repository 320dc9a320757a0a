import { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import { similarItems } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import { findItem, openModel } from '../model-source.js';
import { positiveInt } from '../parse.js';

/** `collab similar`: the nearest items by cosine similarity of their factors. */
export function similarCommand(): Command {
  return new Command('similar')
    .description('list the items most similar to one item (cosine similarity of the learned factors)')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .requiredOption('--item <id|title>', 'an item id, or (part of) a title')
    .option('-k, --k <n>', 'how many items', positiveInt, 10)
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab similar --model models/ml-100k --item "Silence of the Lambs"\n  $ collab similar --model models/ml-100k --item 50 -k 5 --json')
    .action(async (opts: { model: string; item: string; k: number; json?: boolean; quiet?: boolean }) => {
      const out = createOutput(opts);
      const bundle = await openModel(opts.model, out);
      const factors = bundle.model.factors();
      if (!factors) throw new UsageError(`similar items need a dot-product model; ${bundle.model.kind} has no item factor table`);
      const item = findItem(bundle.items, opts.item);
      const sims = similarItems(factors, item, opts.k);
      const rows = sims.map((s, i) => ({ rank: i + 1, item: bundle.items.decode(s.index), title: bundle.items.title(s.index), similarity: s.score }));
      if (out.jsonMode) {
        out.json({ item: bundle.items.decode(item), title: bundle.items.title(item), similar: rows });
        return;
      }
      out.result(`items most similar to ${bundle.items.title(item)}:`);
      for (const r of rows) out.result(`${String(r.rank).padStart(4)}  ${r.similarity.toFixed(3)}  ${r.title}`);
    });
}
