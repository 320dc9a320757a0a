import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { randomSplit } from '@collab-ts/data';
import { Learner, lrFind } from '@collab-ts/train';
import { addDataOptions, readData } from '../data-source.js';
import type { DataOptions } from '../data-source.js';
import { createOutput } from '../io/output.js';
import { lineChartSvg } from '../plots/line-chart.js';
import { finiteNumber, positiveInt } from '../parse.js';
import { addModelOptions, buildModel } from '../training.js';
import type { TrainCliOptions } from '../training.js';

type LrFindOpts = DataOptions &
  TrainCliOptions & { startLr: number; endLr: number; iters: number; plot?: string; json?: boolean; quiet?: boolean };

/** `collab lr-find`: sweep the learning rate exponentially and suggest one (fastai's `lr_find`). */
export function lrFindCommand(): Command {
  const cmd = new Command('lr-find').description('sweep the learning rate exponentially, plot the loss, and suggest a rate');
  addDataOptions(cmd);
  addModelOptions(cmd)
    .option('--bs <n>', 'batch size', positiveInt, 64)
    .option('--wd <decay>', 'weight decay', finiteNumber, 0.1)
    .option('--start-lr <rate>', 'first rate of the sweep', finiteNumber, 1e-7)
    .option('--end-lr <rate>', 'last rate of the sweep', finiteNumber, 10)
    .option('--iters <n>', 'steps in the sweep', positiveInt, 100)
    .option('--plot <file.svg>', 'write the loss against learning rate as an SVG chart (no file unless asked)')
    .option('--json', 'print the curve and suggestions as JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab lr-find --data ml-100k --model dot-bias --plot lr.svg')
    .action(async (opts: LrFindOpts) => {
      const out = createOutput(opts);
      const ds = await readData(opts, out);
      const split = randomSplit(ds.ratings, { validPct: 0.2, seed: opts.seed });
      const model = await buildModel(ds, opts);
      const learner = new Learner({ model, train: split.train, valid: null, bs: opts.bs, seed: opts.seed });
      const r = lrFind(learner, { startLr: opts.startLr, endLr: opts.endLr, numIter: opts.iters, wd: opts.wd });
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
