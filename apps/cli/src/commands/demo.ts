import { Command } from 'commander';
import { BatchLoader, describeDataset, formatDescription, leaveLastOut, randomSplit } from '@collab-ts/data';
import { showBatch } from '@collab-ts/data';
import { itemBiasExtremes, itemPopularity } from '@collab-ts/eval';
import { getFamily, resolveFamilyOptions } from '@collab-ts/models';
import { readData } from '../data-source.js';
import { evaluateOn, fitPopularity } from '../evaluation.js';
import { createOutput } from '../io/output.js';
import { collabCommand } from '../io/invocation.js';
import type { Output } from '../io/output.js';
import { sparkline } from '../plots/sparkline.js';
import { positiveInt } from '../parse.js';
import { DEFAULT_MODEL, POPULARITY, isLearnerFamily, preferredRankingFamily } from '../model-choice.js';
import { fitFamily, modelOption, saveTrained } from '../training.js';
import { popularItems, seenItems, wellRatedNeighbours } from '../model-source.js';

interface DemoOpts {
  data: string;
  model: string;
  epochs?: number;
  user: string;
  item: string;
  out: string;
  quiet?: boolean;
}

/** `collab demo`: the whole workflow on MovieLens 100k: read, show, train, save, recommend, interpret, and a ranking model beside it. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('the whole workflow in one go: read MovieLens 100k, show a batch, train, save, recommend for a user, find similar films, and compare with a ranking model')
    .option('--data <dir|file|name>', 'ratings to use', 'ml-100k')
    .addOption(modelOption(null, DEFAULT_MODEL).makeOptionMandatory(false))
    .option('--epochs <n>', 'epochs (models trained by epochs; default: the model\'s own, 5 for the chapter-8 models)', positiveInt)
    .option('--user <id>', 'user to recommend for', '196')
    .option('--item <id|title>', 'film to find neighbours of', 'Star Wars (1977)')
    .option('--out <dir>', 'where to save the model', 'models/ml-100k')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (opts: DemoOpts) => {
      const out = createOutput(opts);
      const shown: Output = { ...out, log: (l) => out.result(l) };
      const heading = (t: string): void => out.result(`\n== ${t} ==`);
      const ds = await readData({ data: opts.data, format: 'auto' }, out);
      const shape = { nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange };
      ds.users.encode(opts.user); // an unknown user is a usage error before the training, not after it
      heading('the data');
      out.result(formatDescription(describeDataset(ds, { top: 5 })));
      heading('one mini-batch (fastai show_batch)');
      const batch = new BatchLoader(ds.ratings, { bs: 64, seed: 42 }).oneBatch(0)!;
      out.result(showBatch(ds, batch, { rows: 8 }));
      const spec = getFamily(opts.model);
      const given = opts.epochs !== undefined && spec.options.some((x) => x.name === 'epochs') ? { epochs: opts.epochs } : {};
      const o = resolveFamilyOptions(spec, given);
      const seed = typeof o.seed === 'number' ? o.seed : 42;
      heading(isLearnerFamily(spec) ? `training ${spec.kind}: ${o.epochs} epochs, ${o.schedule}, lr ${(o.lr as number).toExponential(0)}, wd ${o.wd}` : `fitting ${spec.kind} (${spec.method})`);
      const split = randomSplit(ds.ratings, { validPct: 0.2, seed });
      const fit = await fitFamily(spec.kind, { train: split.train, valid: split.valid, ...shape }, given, {}, shown);
      const model = fit.rec;
      if (fit.gradient) {
        const valid = fit.gradient.valid!;
        out.result(`loss ${sparkline(fit.gradient.learner.recorder.losses, 50)}`);
        out.result(`valid MSE ${valid.mse.toFixed(4)} (RMSE ${valid.rmse.toFixed(4)}) in ${fit.seconds.toFixed(2)}s; fastai's figure for this setup is about 0.82`);
      }
      saveTrained(opts.out, model, ds, { options: { model: spec.kind, ...o, seed, validPct: 0.2 }, task: spec.tasks[0], valid: fit.gradient?.valid ?? null, trainSeconds: fit.seconds });
      out.result(`saved to ${opts.out} (try: ${collabCommand()} recommend --model ${opts.out} --user ${opts.user})`);
      const user = ds.users.encode(opts.user);
      const seen = seenItems(ds.ratings, user);
      heading(`top 10 films for user ${opts.user} (not yet rated by them)`);
      for (const [i, r] of model.recommend(user, { k: 10, exclude: seen }).entries()) {
        out.result(`${String(i + 1).padStart(3)}. ${ds.items.title(r.item)}  (predicted ${r.score.toFixed(2)})`);
      }
      const factors = model.factors();
      if (factors) {
        const item = ds.items.tryEncode(opts.item) >= 0 ? ds.items.encode(opts.item) : ds.items.findTitle(opts.item);
        if (item >= 0) {
          heading(`films closest to ${ds.items.title(item)} (among films with 20+ ratings)`);
          for (const s of wellRatedNeighbours(model, item, 8, itemPopularity(ds.ratings, ds.items.size), 20)) out.result(`  ${s.score.toFixed(3)}  ${ds.items.title(s.item)}`);
        }
        if (factors.itemBias) {
          const b = itemBiasExtremes(factors, ds.items, 5);
          heading('highest item biases (liked beyond what their factors explain)');
          for (const e of b.highest) out.result(`  ${e.bias.toFixed(3)}  ${e.title}`);
          heading('lowest item biases');
          for (const e of b.lowest) out.result(`  ${e.bias.toFixed(3)}  ${e.title}`);
        }
      }
      model.dispose();
      if (ds.ratings.timestamps) await rankingSection(ds, spec.kind, given, user, seen, opts, out);
    });
}

/**
 * The ranking half of the demo: the preferred registered ranking model's top 10 for the same user, and one
 * line comparing it and the rating model with popularity on leave-last-out NDCG@10.
 */
async function rankingSection(
  ds: Awaited<ReturnType<typeof readData>>,
  ratingKind: string,
  given: Record<string, unknown>,
  user: number,
  seen: Int32Array,
  opts: DemoOpts,
  out: Output,
): Promise<void> {
  const quiet: Output = { ...out, log: () => {} };
  const shape = { nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange };
  const split = leaveLastOut(ds.ratings, { k: 1 });
  const rankSpec = preferredRankingFamily();
  const rankKind = rankSpec?.kind ?? POPULARITY;
  const t0 = performance.now();
  const ranker = rankSpec ? (await fitFamily(rankSpec.kind, { train: split.train, ...shape }, {}, {}, quiet)).rec : null;
  const rankSeconds = (performance.now() - t0) / 1000;
  const popularity = await fitPopularity(split.train, shape.nUsers, shape.nItems, shape.ratingRange, {}, quiet);
  out.result(`\n== top 10 films for user ${opts.user} from ${rankKind}, a ranking model (every rating counts as an interaction) ==`);
  const recs = ranker ? ranker.recommend(user, { k: 10, exclude: seen }) : popularItems(itemPopularity(split.train, shape.nItems), 10, seen);
  for (const [i, r] of recs.entries()) out.result(`${String(i + 1).padStart(3)}. ${ds.items.title(r.item)}  (score ${r.score.toFixed(3)})`);
  const rating = (await fitFamily(ratingKind, { train: split.train, ...shape }, given, {}, quiet, { table: false, describe: false })).rec;
  const m = { metrics: ['ndcg@10'], threshold: null, sampled: null };
  const ndcg = async (s: Parameters<typeof evaluateOn>[0]): Promise<string> => (await evaluateOn(s, split.train, split.valid, m))['ndcg@10'].toFixed(3);
  const parts = [...(ranker ? [`${rankKind} ${await ndcg(ranker)} (fitted in ${rankSeconds.toFixed(1)}s)`] : []), `${ratingKind} ${await ndcg(rating)} (ranked by predicted rating)`, `${POPULARITY} ${await ndcg(popularity)}`];
  out.result(`\nleave-last-out NDCG@10 (each user's latest rating held out, ranked among all ${shape.nItems} films they had not rated): ${parts.join(' · ')}`);
  ranker?.dispose();
  rating.dispose();
}
