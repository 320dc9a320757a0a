import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { itemBiasExtremes, itemPopularity, pca, pcaScatterSvg } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import { historyCounts, openModel, ratingsForModel, requireFactors } from '../model-source.js';
import { positiveInt } from '../parse.js';

interface ExplainOpts {
  model: string;
  data?: string;
  n: number;
  top: number;
  label: number;
  svg?: string;
  plot?: string;
  json?: boolean;
  quiet?: boolean;
}

/** `collab explain`: item biases and the principal components of the item factors (fastai chapter 8). */
export function explainCommand(): Command {
  return new Command('explain')
    .description('interpret a factor model: the items with the lowest and highest bias, and the main axes (PCA) of the item factors')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .option('--data <dir|file|name>', 'ratings used to pick the most-rated items (default: the model\'s training history)')
    .option('-n, --n <n>', 'items to list at each end', positiveInt, 5)
    .option('--top <n>', 'PCA over this many most-rated items (as the chapter does)', positiveInt, 1000)
    .option('--label <n>', 'label this many most-rated items in the scatter plot', positiveInt, 50)
    .option('--plot <file.svg>', 'write the PCA scatter of the most-rated items as SVG')
    .option('--svg <file.svg>', 'the same as --plot')
    .option('--json', 'print JSON on stdout')
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText('after', '\nExamples:\n  $ collab explain --model models/ml-100k --svg pca.svg')
    .action(async (opts: ExplainOpts) => {
      const out = createOutput(opts);
      const bundle = await openModel(opts.model, out);
      const factors = requireFactors(bundle, 'explain');
      const nItems = bundle.items.size;
      const counts = opts.data ? itemPopularity((await ratingsForModel(bundle, opts.data, out)).cols, nItems) : historyCounts(bundle.model);
      const order = Array.from({ length: nItems }, (_, i) => i);
      if (counts) order.sort((a, b) => counts[b] - counts[a] || a - b);
      const chosen = order.slice(0, Math.min(opts.top, nItems));
      const d = factors.dim;
      const matrix = new Float64Array(chosen.length * d);
      chosen.forEach((it, r) => {
        for (let j = 0; j < d; j++) matrix[r * d + j] = factors.itemFactors[it * d + j];
      });
      const p = pca(matrix, chosen.length, d, { components: 3 });
      const k = 3;
      const axes = [0, 1, 2].map((c) => {
        const byCoord = chosen.map((it, r) => ({ item: it, x: p.coordinates[r * k + c] })).sort((a, b) => a.x - b.x);
        const name = (e: { item: number; x: number }) => ({ id: bundle.items.decode(e.item), title: bundle.items.title(e.item), coordinate: e.x });
        return { component: c + 1, varianceShare: p.explainedVarianceRatio[c], negative: byCoord.slice(0, opts.n).map(name), positive: byCoord.slice(-opts.n).reverse().map(name) };
      });
      const biases = factors.itemBias ? itemBiasExtremes(factors, bundle.items, opts.n) : null;
      const svgFile = opts.plot ?? opts.svg;
      if (svgFile) {
        const labelled = chosen.slice(0, opts.label).map((it, r) => ({ x: p.coordinates[r * k], y: p.coordinates[r * k + 1], label: bundle.items.title(it) }));
        writeFileSync(svgFile, pcaScatterSvg(labelled, { title: `Item factors: first two principal components (${labelled.length} most-rated items)`, xLabel: 'PC1', yLabel: 'PC2' }));
        out.log(`wrote ${svgFile}`);
      }
      if (out.jsonMode) {
        out.json({ biases, pca: axes, items_in_pca: chosen.length });
        return;
      }
      if (biases) {
        out.result('lowest item biases (liked less than their factors predict):');
        for (const b of biases.lowest) out.result(`  ${b.bias.toFixed(3).padStart(7)}  ${b.title}`);
        out.result('highest item biases (liked more than their factors predict):');
        for (const b of biases.highest) out.result(`  ${b.bias.toFixed(3).padStart(7)}  ${b.title}`);
      }
      for (const a of axes) {
        out.result(`\nprincipal component ${a.component} (${(a.varianceShare * 100).toFixed(1)}% of the variance over ${chosen.length} items)`);
        out.result(`  one end:   ${a.negative.map((e) => e.title).join('; ')}`);
        out.result(`  other end: ${a.positive.map((e) => e.title).join('; ')}`);
      }
    });
}
