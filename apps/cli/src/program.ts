import { Command } from 'commander';
import { completionCommand } from './commands/completion.js';
import { configSchemaCommand } from './commands/config.js';
import { cvCommand } from './commands/cv.js';
import { demoCommand } from './commands/demo.js';
import { evaluateCommand } from './commands/evaluate.js';
import { explainCommand } from './commands/explain.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { importCommand } from './commands/import.js';
import { infoCommand } from './commands/info.js';
import { lrFindCommand } from './commands/lr-find.js';
import { modelsCommand } from './commands/models.js';
import { recommendCommand } from './commands/recommend.js';
import { serveCommand } from './commands/serve.js';
import { showBatchCommand } from './commands/show-batch.js';
import { similarCommand } from './commands/similar.js';
import { trainCommand } from './commands/train.js';
import { tuneCommand } from './commands/tune.js';

/** The `collab` program with every command attached. */
export function createProgram(): Command {
  const program = new Command('collab')
    .description('Collaborative filtering from the terminal: read ratings, train latent-factor models, evaluate, recommend.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nIn a clone of the repository (Node and npm only), type `npx -y pnpm@10 --silent collab` for `collab`, from its root.\n\nQuick start:\n  $ collab info --data ml-100k\n  $ collab train --data ml-100k --model embedding-dot-bias --out models/ml-100k\n  $ collab recommend --model models/ml-100k --user 196 -k 10\n  $ collab similar --model models/ml-100k --item "Star Wars (1977)"',
    );
  const commands = [infoCommand, showBatchCommand, modelsCommand, trainCommand, lrFindCommand, evaluateCommand, cvCommand, tuneCommand, recommendCommand, similarCommand, explainCommand, serveCommand, demoCommand, generateCommand, importCommand, exportCommand];
  for (const make of commands) program.addCommand(make().option('--config <file>', `read options from a JSON config file (default: ./collab.config.json when present)`));
  program.addCommand(configSchemaCommand(() => program));
  program.addCommand(completionCommand(() => program));
  return program;
}
