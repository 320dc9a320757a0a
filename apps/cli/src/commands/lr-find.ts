import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { randomSplit } from '@collab-ts/data';
import { fitRecommender, getFamily, listFamilies } from '@collab-ts/models';
import { Learner, lrFind } from '@collab-ts/train';
import type { LrFindResult } from '@collab-ts/train';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { lineChartSvg } from '../plots/line-chart.js';
import { addFamilyOptions, checkFamilyOptions, pickFamilyOptions } from '../family-options.js';
import { isLearnerFamily } from '../model-choice.js';
import { finiteNumber, nonNegativeInt, positiveInt } from '../parse.js';
import { modelOption } from '../training.js';

type LrFindOpts = DataOptions &
  Record<string, unknown> & { model: string; seed?: number; bs?: number; wd?: number; startLr: number; endLr: number; iters: number; plot?: string; json?: boolean; quiet?: boolean };

/** `collab lr-find`: sweep the learning rate exponentially and suggest one (fastai's `lr_find`). */
export function lrFindCommand(): Command {
  const cmd = new Command('lr-find').description('sweep the learning rate exponentially, plot the loss, and suggest a rate');
  addDataOptions(cmd);
  const gradient = listFamilies().filter(isLearnerFamily);
  cmd.addOption(modelOption(gradient)).option('--seed <n>', 'seed of the split, the initialisation and the batch order (default 42)', nonNegativeInt);
  // the sweep replaces the schedule: no epochs, rate or schedule flags here
  addFamilyOptions(cmd, gradient, ['epochs', 'lr', 'schedule'])
    .option('--start-lr <rate>', 'first rate of the sweep', finiteNumber, 1e-7)
    .option('--end-lr <rate>', 'last rate of the sweep', finiteNumber, 10)
    .option('--iters <n>', 'steps in the sweep', positiveInt, 100)
    .option('--plot <file.svg>', 'write the loss against learning rate as an SVG chart', 'lr-find.svg')
    .option('--json', 'print the curve and suggestions as JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab lr-find --data ml-100k --model dot-bias --plot lr.svg')
    .action(async (opts: LrFindOpts) => {
      const out = createOutput(opts);
      const spec = getFamily(opts.model);
      const resolved = checkFamilyOptions([spec.kind], opts, ['seed']).get(spec.kind)!;
      const seed = opts.seed ?? 42;
      const ds = await readData(opts, out);
      const split = randomSplit(ds.ratings, { validPct: 0.2, seed });
      const sweep: { r: LrFindResult | null } = { r: null };
      // the family builds the model; the sweep takes the place of its training
      const model = await fitRecommender(
        spec.kind,
        { train: split.train, nUsers: ds.users.size, nItems: ds.items.size, ratingRange: ds.ratingRange },
        { ...pickFamilyOptions(spec, opts), ...(spec.options.some((o) => o.name === 'seed') ? { seed } : {}) },
        {
          trainGradient: async (m) => {
            const learner = new Learner({ model: m, train: split.train, valid: null, bs: resolved.bs as number, seed });
            sweep.r = lrFind(learner, { startLr: opts.startLr, endLr: opts.endLr, numIter: opts.iters, wd: resolved.wd as number });
          },
        },
      );
      const r = sweep.r;
      if (!r) throw new Error('lr-find: the model family did not run the sweep');
      if (opts.plot) {
        writeFileSync(
          opts.plot,
          lineChartSvg([{ name: 'smoothed loss', x: r.lrs, y: r.losses }], { title: 'learning-rate finder', xLabel: 'learning rate (log scale)', yLabel: 'loss', logX: true, markX: r.suggested }),
        );
        out.log(`wrote ${opts.plot}`);
      }
      if (out.jsonMode) out.json({ suggested: r.suggested, suggestions: r.suggestions, diverged: r.diverged, lrs: r.lrs, losses: r.losses });
      else {
        out.result(`suggested learning rate (valley): ${r.suggestions.valley.toExponential(2)}`);
        out.result(`  minimum/10: ${r.suggestions.minimum.toExponential(2)}   steepest: ${r.suggestions.steep.toExponential(2)}`);
      }
      model.dispose();
    });
  return cmd;
}
