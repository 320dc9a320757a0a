import { Command } from 'commander';
import { MODEL_SPECS } from '@collab-ts/models';
import { createOutput } from '../io/output.js';

/** `collab models`: the model registry with fastai names, options and defaults. */
export function modelsCommand(): Command {
  return new Command('models')
    .description('list the models, their fastai names, options and defaults')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ collab models\n  $ collab models --json | jq ".[].kind"')
    .action((opts: { json?: boolean }) => {
      const out = createOutput(opts);
      if (out.jsonMode) {
        out.json(MODEL_SPECS);
        return;
      }
      for (const s of MODEL_SPECS) {
        out.result(`${s.kind}  (fastai: ${s.fastaiName}; backends: ${s.backends.join(', ')})`);
        out.result(`  ${s.summary}`);
        for (const o of s.options) out.result(`    ${String(o.name).padEnd(14)} default ${JSON.stringify(o.default)}  ${o.help}`);
      }
    });
}
