import { Command } from 'commander';
import { BatchLoader, describeDataset, formatDescription, randomSplit, showBatch } from '@collab-ts/data';
import { itemBiasExtremes, itemPopularity, recommendForUser } from '@collab-ts/eval';
import { readData } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { collabCommand } from '../io/invocation.js';
import { sparkline } from '../plots/sparkline.js';
import { positiveInt } from '../parse.js';
import { buildModel, saveTrained, TRAIN_DEFAULTS, trainModel } from '../training.js';
import type { TrainCliOptions } from '../training.js';
import { findItem, seenItems, wellRatedNeighbours } from '../model-source.js';

interface DemoOpts {
  data: string;
  model: TrainCliOptions['model'];
  epochs: number;
  user: string;
  item: string;
  out: string;
  quiet?: boolean;
}

/** `collab demo`: the whole workflow on MovieLens 100k: read, show, train, save, recommend, interpret. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('the whole workflow in one go: read MovieLens 100k, show a batch, train, save, recommend for a user, find similar films')
    .option('--data <dir|file|name>', 'ratings to use', 'ml-100k')
    .option('--model <kind>', 'model to train', TRAIN_DEFAULTS.model)
    .option('--epochs <n>', 'epochs', positiveInt, 5)
    .option('--user <id>', 'user to recommend for', '196')
    .option('--item <id|title>', 'film to find neighbours of', 'Star Wars (1977)')
    .option('--out <dir>', 'where to save the model', 'models/ml-100k')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (opts: DemoOpts) => {
      const out = createOutput(opts);
      const heading = (t: string): void => out.result(`\n== ${t} ==`);
      const ds = await readData({ data: opts.data, format: 'auto' }, out);
      // usage errors before the training, not after it
      const user = ds.users.encode(opts.user);
      const item = findItem(ds.items, opts.item);
      heading('the data');
      out.result(formatDescription(describeDataset(ds, { top: 5 })));
      heading('one mini-batch (fastai show_batch)');
      const batch = new BatchLoader(ds.ratings, { bs: 64, seed: 42 }).oneBatch(0)!;
      out.result(showBatch(ds, batch, { rows: 8 }));
      const o: TrainCliOptions = { ...TRAIN_DEFAULTS, model: opts.model, epochs: opts.epochs };
      heading(`training ${o.model}: ${o.epochs} epochs, ${o.schedule}, lr ${o.lr.toExponential(0)}, wd ${o.wd}`);
      const split = randomSplit(ds.ratings, { validPct: o.validPct, seed: o.seed });
      const model = await buildModel(ds, o);
      const t0 = performance.now();
      const { learner, result } = await trainModel(model, split.train, split.valid, o, { ...out, log: (l) => out.result(l) });
      const seconds = (performance.now() - t0) / 1000;
      out.result(`loss ${sparkline(learner.recorder.losses, 50)}`);
      out.result(`valid MSE ${result.valid!.mse.toFixed(4)} (RMSE ${result.valid!.rmse.toFixed(4)}) in ${seconds.toFixed(2)}s; fastai's figure for this setup is about 0.82`);
      saveTrained(opts.out, model, ds, { ...o }, result.valid, seconds);
      out.result(`saved to ${opts.out} (try: ${collabCommand()} recommend --model ${opts.out} --user ${opts.user})`);
      heading(`top 10 films for user ${opts.user} (not yet rated by them)`);
      for (const [i, r] of recommendForUser(model, user, { k: 10, exclude: seenItems(ds.ratings, user) }).entries()) {
        out.result(`${String(i + 1).padStart(3)}. ${ds.items.title(r.item)}  (predicted ${r.score.toFixed(2)})`);
      }
      const factors = model.factors();
      if (factors) {
        heading(`films closest to ${ds.items.title(item)} (among films with 20+ ratings)`);
        for (const s of wellRatedNeighbours(factors, item, 8, itemPopularity(ds.ratings, ds.items.size), 20)) out.result(`  ${s.score.toFixed(3)}  ${ds.items.title(s.index)}`);
        if (factors.itemBias) {
          const b = itemBiasExtremes(factors, ds.items, 5);
          heading('highest item biases (liked beyond what their factors explain)');
          for (const e of b.highest) out.result(`  ${e.bias.toFixed(3)}  ${e.title}`);
          heading('lowest item biases');
          for (const e of b.lowest) out.result(`  ${e.bias.toFixed(3)}  ${e.title}`);
        }
      }
      model.dispose();
    });
}
